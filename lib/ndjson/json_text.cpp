#include "ndjson/json_text.hpp"

#include <charconv>
#include <cmath>
#include <simdjson.h>

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

// Length of the valid UTF-8 sequence starting at p, or 0 if it is invalid.
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

bool is_valid_utf8(std::string_view bytes) {
  return simdjson::validate_utf8(bytes.data(), bytes.size());
}

void append_escaped(std::string& out, std::string_view text) {
  // Fast path: text that is valid UTF-8 (checked at SIMD speed) only stops
  // at the bytes JSON escapes; multi-byte sequences are copied with the rest.
  if (simdjson::validate_utf8(text.data(), text.size())) {
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      const char* run = p;
      while (p < end && classes.v[static_cast<unsigned char>(*p)] != 1) ++p;
      out.append(run, static_cast<std::size_t>(p - run));
      if (p == end) break;
      append_escape(out, static_cast<unsigned char>(*p));
      ++p;
    }
    return;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
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
