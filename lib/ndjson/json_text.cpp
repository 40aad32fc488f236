#include "ndjson/json_text.hpp"

#include <bit>
#include <charconv>
#include <cstring>
#include <cmath>
#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace mimamori::ndjson {

namespace {

// 0: copy as is; 1: needs an escape; 2: start of a multi-byte sequence.
constexpr unsigned char byte_class(unsigned char c) {
  if (c < 0x20 || c == '"' || c == '\\') return 1;
  if (c >= 0x80) return 2;
  return 0;
}

struct class_table {
  unsigned char v[256];
  constexpr class_table() : v{} {
    for (int i = 0; i < 256; ++i) v[i] = byte_class(static_cast<unsigned char>(i));
  }
};
constexpr class_table classes;

constexpr char hex_digits[] = "0123456789abcdef";

// Appends the JSON escape of one byte that needs it ('"', '\\', controls).
void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out.append("\\\""); break;
    case '\\': out.append("\\\\"); break;
    case '\n': out.append("\\n"); break;
    case '\r': out.append("\\r"); break;
    case '\t': out.append("\\t"); break;
    case '\b': out.append("\\b"); break;
    case '\f': out.append("\\f"); break;
    default: {
      char u[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 15]};
      out.append(u, 6);
    }
  }
}

}  // namespace

std::size_t utf8_sequence(const unsigned char* p, std::size_t left) {
  unsigned char c = p[0];
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (left < n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return n;
}

bool is_valid_utf8(std::string_view bytes) {
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

namespace {

// Bytes that stop the copy: those JSON escapes ('"', '\\', below 0x20) and,
// until the text is known to be valid UTF-8, the first byte of 0x80 or more.
// Eight bytes at a time (SWAR): bit 7 of a result byte is set for such a
// byte. A borrow can flag a byte after a real one, never before, so the
// lowest flagged byte is exact.
constexpr std::uint64_t ones = 0x0101010101010101ULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;

inline std::uint64_t stops(std::uint64_t w, bool stop_at_high) {
  std::uint64_t below_space = (w - ones * 0x20) & ~w;
  std::uint64_t q = w ^ (ones * '"');
  std::uint64_t quote = (q - ones) & ~q;
  std::uint64_t b = w ^ (ones * '\\');
  std::uint64_t backslash = (b - ones) & ~b;
  std::uint64_t found = (below_space | quote | backslash) & highs;
  if (stop_at_high) found |= w & highs;
  return found;
}

// Writes the JSON escape of c ('"', '\\', a control) at dst; its length.
std::size_t write_escape(char* dst, unsigned char c) {
  dst[0] = '\\';
  switch (c) {
    case '"': dst[1] = '"'; return 2;
    case '\\': dst[1] = '\\'; return 2;
    case '\n': dst[1] = 'n'; return 2;
    case '\r': dst[1] = 'r'; return 2;
    case '\t': dst[1] = 't'; return 2;
    case '\b': dst[1] = 'b'; return 2;
    case '\f': dst[1] = 'f'; return 2;
    default:
      dst[1] = 'u';
      dst[2] = '0';
      dst[3] = '0';
      dst[4] = hex_digits[c >> 4];
      dst[5] = hex_digits[c & 15];
      return 6;
  }
}

// Text with bytes that are not UTF-8: each invalid byte becomes U+FFFD.
void append_replacing(std::string& out, const unsigned char* p, const unsigned char* end) {
  while (p < end) {
    const auto* run = p;
    while (p < end && classes.v[*p] == 0) ++p;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p == end) break;
    unsigned char c = *p;
    if (classes.v[c] == 2) {
      std::size_t n = utf8_sequence(p, static_cast<std::size_t>(end - p));
      if (n == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++p;
      } else {
        out.append(reinterpret_cast<const char*>(p), n);
        p += n;
      }
      continue;
    }
    append_escape(out, c);
    ++p;
  }
}

// ASCII text (most logs) is copied eight bytes at a time into a buffer on
// the stack, stopping only at the bytes JSON escapes; the buffer goes to
// `out` in few appends. At the first byte of 0x80 or more, which starts a
// character, the rest is validated once (SIMD); if it is valid UTF-8 such
// bytes are copied like the others, otherwise the rest is copied byte by
// byte with U+FFFD for each invalid one. Returns whether text was valid.
bool escape(std::string& out, std::string_view text) {
  constexpr std::size_t room = 4096;
  char buf[room];
  std::size_t n = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  bool stop_at_high = true;
  while (p < end) {
    if (n > room - 32) {
      out.append(buf, n);
      n = 0;
    }
#if defined(__SSE2__)
    if (end - p >= 16) {  // sixteen at a time
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(buf + n), v);
      __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
      __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
      __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
      auto found = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(control, quote), backslash)));
      if (stop_at_high) found |= static_cast<unsigned>(_mm_movemask_epi8(v));
      if (found == 0) {
        n += 16;
        p += 16;
        continue;
      }
      std::size_t k = static_cast<std::size_t>(std::countr_zero(found));
      n += k;
      p += k;
    } else
#endif
    if (std::endian::native == std::endian::little && end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      std::memcpy(buf + n, &w, 8);
      std::uint64_t found = stops(w, stop_at_high);
      if (found == 0) {
        n += 8;
        p += 8;
        continue;
      }
      std::size_t k = static_cast<std::size_t>(std::countr_zero(found)) / 8;
      n += k;
      p += k;
    } else {
      unsigned char k = classes.v[static_cast<unsigned char>(*p)];
      if (k == 0 || (k == 2 && !stop_at_high)) {
        buf[n++] = *p++;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(*p);
    if (c >= 0x80) {  // the first: is the rest valid UTF-8?
      if (simdjson::validate_utf8(p, static_cast<std::size_t>(end - p))) {
        stop_at_high = false;
        continue;
      }
      out.append(buf, n);
      append_replacing(out, reinterpret_cast<const unsigned char*>(p),
                       reinterpret_cast<const unsigned char*>(end));
      return false;
    }
    n += write_escape(buf + n, c);
    ++p;
  }
  out.append(buf, n);
  return true;
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  escape(out, text);
}

bool append_escaped_checking(std::string& out, std::string_view text) {
  return escape(out, text);
}

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  append_escaped(out, text);
  out.push_back('"');
}

void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63],
                 alphabet[v & 63]};
    out.append(q, 4);
  }
  if (n - i == 1) {
    std::uint32_t v = p[i] << 16;
    char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], '=', '='};
    out.append(q, 4);
  } else if (n - i == 2) {
    std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    char q[4] = {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], '='};
    out.append(q, 4);
  }
}

void append_int(std::string& out, std::int64_t value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

void append_uint(std::string& out, std::uint64_t value) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

}  // namespace mimamori::ndjson
