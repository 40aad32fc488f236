// scan: shared scanners.
#include "parsers/scan.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace mimamori::parsers {

const char* find_either(const char* p, const char* end, char a, char b) noexcept {
#ifdef __SSE2__
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  while (end - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask =
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(chunk, va), _mm_cmpeq_epi8(chunk, vb)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != a && *p != b) ++p;
  return p;
}

std::size_t find_text(std::string_view text, std::string_view needle, std::size_t from) noexcept {
  const std::size_t m = needle.size();
  if (m < 2 || from >= text.size() || text.size() - from < m) return text.find(needle, from);
  const char* const t = text.data();
  const char* const n = needle.data();
  std::size_t i = from;
#ifdef __SSE2__
  // Blocks of 16 candidate starts, whose last bytes (at + m - 1 + 15) stay
  // inside the text.
  const __m128i first = _mm_set1_epi8(n[0]), last = _mm_set1_epi8(n[m - 1]);
  for (; i + m - 1 + 16 <= text.size(); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + i + m - 1));
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask != 0) {
      const auto k = static_cast<std::size_t>(__builtin_ctz(mask));
      if (m == 2 || std::memcmp(t + i + k + 1, n + 1, m - 2) == 0) return i + k;
      mask &= mask - 1;
    }
  }
#endif
  return text.find(needle, i);
}

namespace {

// Whether the n bytes at `p`, n in 1..3, all digits, make at most 255.
inline bool part_fits(const char* p, unsigned n) {
  if (n < 3) return true;
  return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0') <= 255;
}

bool is_ipv4(std::string_view t) {
  // Four parts of 1-3 digits, each at most 255, joined by dots: 7 to 15
  // characters.
  const std::size_t n = t.size();
  if (n < 7 || n > 15) return false;
  // The text in 16 bytes, zeros after it: two overlapping words of 8 (of 4
  // for 7 bytes), which read nothing outside it.
  alignas(16) char bytes[16] = {};
  if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, t.data(), 8);
    std::memcpy(&b, t.data() + n - 8, 8);
    std::memcpy(bytes, &a, 8);
    std::memcpy(bytes + n - 8, &b, 8);
  } else {
    std::uint32_t a, b;
    std::memcpy(&a, t.data(), 4);
    std::memcpy(&b, t.data() + n - 4, 4);
    std::memcpy(bytes, &a, 4);
    std::memcpy(bytes + n - 4, &b, 4);
  }
  const unsigned all = (1U << n) - 1U;
  unsigned digits = 0, dots = 0;
#ifdef __SSE2__
  {
    const __m128i v = _mm_load_si128(reinterpret_cast<const __m128i*>(bytes));
    const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    digits = static_cast<unsigned>(
                 _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d))) &
             all;
    dots = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')))) & all;
  }
#else
  for (std::size_t i = 0; i < n; ++i) {
    if (is_digit(bytes[i])) digits |= 1U << i;
    if (bytes[i] == '.') dots |= 1U << i;
  }
#endif
  // Exactly three dots (no popcount: the baseline x86-64 has no instruction
  // for it), at d1 < d2 < d3, cut four parts of 1..3 digits.
  const unsigned rest = dots & (dots - 1), last = rest & (rest - 1);
  if ((digits | dots) != all || last == 0 || (last & (last - 1)) != 0) return false;
  const auto d1 = static_cast<unsigned>(__builtin_ctz(dots));
  const auto d2 = static_cast<unsigned>(__builtin_ctz(rest));
  const auto d3 = static_cast<unsigned>(__builtin_ctz(last));
  const unsigned l1 = d1, l2 = d2 - d1 - 1, l3 = d3 - d2 - 1,
                 l4 = static_cast<unsigned>(n) - d3 - 1;
  if (l1 - 1 > 2 || l2 - 1 > 2 || l3 - 1 > 2 || l4 - 1 > 2) return false;
  return part_fits(bytes, l1) && part_fits(bytes + d1 + 1, l2) && part_fits(bytes + d2 + 1, l3) &&
         part_fits(bytes + d3 + 1, l4);
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_ipv6(std::string_view t) {
  if (const std::size_t zone = t.find('%'); zone != std::string_view::npos) t = t.substr(0, zone);
  if (t.size() < 2 || t.size() > 45) return false;
  int groups = 0, run = 0;
  bool double_colon = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (is_hex(c)) {
      if (++run > 4) return false;
    } else if (c == ':') {
      if (run > 0) ++groups;
      run = 0;
      if (i + 1 < t.size() && t[i + 1] == ':') {
        if (double_colon) return false;
        double_colon = true;
        ++i;
      } else if (i == 0 || i + 1 == t.size()) {
        return false;
      }
    } else if (c == '.') {
      // An embedded IPv4 tail: the rest from the last group's start.
      const std::size_t start = t.rfind(':', i);
      return start != std::string_view::npos && is_ipv4(t.substr(start + 1)) &&
             (double_colon || groups == 6);
    } else {
      return false;
    }
  }
  if (run > 0) ++groups;
  return double_colon ? groups < 8 : groups == 8;
}

}  // namespace

bool is_ip(std::string_view t) {
  // An IPv4 address has no ':'; anything else with one may be IPv6.
  if (is_ipv4(t)) return true;
  return t.find(':') != std::string_view::npos && is_ipv6(t);
}

std::string_view take_until(std::string_view& s, char d) {
  const std::size_t at = s.find(d);
  std::string_view head = s.substr(0, at);
  s = at == std::string_view::npos ? std::string_view{} : s.substr(at + 1);
  return head;
}

bool next_kv(std::string_view text, std::size_t& pos, kv_pair& out) {
  const char* t = text.data();
  const std::size_t size = text.size();
  const char* const end = t + size;
  for (;;) {
    while (pos < size && (t[pos] == ' ' || t[pos] == '\t' || t[pos] == ',')) ++pos;
    if (pos >= size) return false;
    // The key: up to '='; a blank first means a stray word, skipped. With
    // neither '=' nor ' ' in the rest there is no pair left.
    const std::size_t eq = static_cast<std::size_t>(find_either(t + pos, end, '=', ' ') - t);
    if (eq == size) return false;
    if (t[eq] == ' ') {
      // No '=' after this word; one may still follow a stray word.
      if (static_cast<const void*>(std::memchr(t + eq, '=', size - eq)) == nullptr) return false;
      pos = eq;
      continue;
    }
    out.key = text.substr(pos, eq - pos);
    std::size_t i = eq + 1;
    if (i < size && t[i] == '"') {
      const std::size_t start = i + 1;
      // The closing quote; a backslash escapes the character after it.
      const char* q = find_either(t + start, end, '"', '\\');
      if (q == end || *q == '"') {
        i = static_cast<std::size_t>(q - t);
      } else {
        for (i = static_cast<std::size_t>(q - t); i < size && t[i] != '"'; ++i) {
          if (t[i] == '\\') ++i;
        }
      }
      out.value = text.substr(start, std::min(i, size) - start);
      out.quoted = true;
      pos = i + 1;
    } else {
      const std::size_t start = i;
      i = static_cast<std::size_t>(find_either(t + start, end, ' ', '\t') - t);
      out.value = text.substr(start, i - start);
      out.quoted = false;
      pos = i;
    }
    return true;
  }
}

void set_endpoint(fields& out, std::string_view prefix, std::string_view ip,
                  std::string_view port) {
  // Paths are literals of the families; build them from a small table.
  struct paths {
    std::string_view prefix, ip, port;
  };
  static constexpr paths table[] = {
      {"source", "source.ip", "source.port"},
      {"destination", "destination.ip", "destination.port"},
      {"source.nat", "source.nat.ip", "source.nat.port"},
      {"destination.nat", "destination.nat.ip", "destination.nat.port"},
      {"client", "client.ip", "client.port"},
      {"server", "server.ip", "server.port"},
  };
  for (const auto& p : table) {
    if (p.prefix != prefix) continue;
    if (is_ip(ip)) {
      out.set(p.ip, ip);
      out.add("related.ip", ip);
    }
    if (auto n = to_int(port); n && *n >= 0 && *n <= 65535) out.set_int(p.port, *n);
    return;
  }
}

void set_lower(fields& out, std::string_view path, std::string_view value) {
  char buffer[64];
  std::string long_value;  // a value longer than the buffer (rare)
  char* lower = buffer;
  if (value.size() > sizeof buffer) {
    long_value.resize(value.size());
    lower = long_value.data();
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    lower[i] = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
  }
  out.set_copy(path, std::string_view(lower, value.size()));
}

bool split_ip_port(std::string_view text, char sep, std::string_view& ip, std::string_view& port) {
  const std::size_t at = text.rfind(sep);
  if (at == std::string_view::npos) return false;
  ip = text.substr(0, at);
  port = text.substr(at + 1);
  return true;
}

void set_url(fields& out, std::string_view url) {
  if (url.empty() || url == "-") return;
  out.set("url.original", url);
  std::string_view rest = url;
  const std::size_t scheme = rest.find("://");
  if (scheme != std::string_view::npos) {
    out.set("url.scheme", rest.substr(0, scheme));
    rest = rest.substr(scheme + 3);
  }
  const std::size_t path = rest.find('/');
  std::string_view host = rest.substr(0, path);
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos &&
                                                 host.find(']') == std::string_view::npos &&
                                                 host.find(':') == colon) {
    if (auto p = to_int(host.substr(colon + 1))) out.set_int("url.port", *p);
    host = host.substr(0, colon);
  }
  if (!host.empty()) out.set("url.domain", host);
  if (path != std::string_view::npos) {
    std::string_view p = rest.substr(path);
    const std::size_t q = p.find('?');
    if (q != std::string_view::npos) {
      out.set("url.query", p.substr(q + 1));
      p = p.substr(0, q);
    }
    out.set("url.path", p);
  }
}

}  // namespace mimamori::parsers
