// fields: collecting ECS fields and writing them as nested JSON.
#include "parsers/fields.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ndjson/json_text.hpp"

namespace mimamori::parsers {

namespace {

// Whether no byte of the text is above 0x7F, 8 bytes at a time.
bool ascii(std::string_view v) {
  std::size_t i = 0;
  std::uint64_t high = 0;
  for (; i + 8 <= v.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    high |= w;
  }
  for (; i < v.size(); ++i) high |= static_cast<unsigned char>(v[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

}  // namespace

void fields::store_copy(entry& e, std::string_view v) {
  if (arena_utf8_ && !ascii(v)) arena_utf8_ = ndjson::is_valid_utf8(v);
  value_bytes_ += v.size();
  e.value_ptr = nullptr;
  e.value_at = static_cast<std::uint32_t>(arena_.size());
  e.value_len = static_cast<std::uint32_t>(v.size());
  const auto at = reinterpret_cast<std::uintptr_t>(v.data()),
             base = reinterpret_cast<std::uintptr_t>(arena_.data());
  if (at - base < arena_.size()) {
    // append() from its own buffer: copy through an offset.
    arena_.append(arena_, at - base, v.size());
    return;
  }
  arena_.append(v);
}

bool fields::holds(std::string_view p, std::string_view v) const {
  // The entries of p's presence bit, last first (the caller saw it set).
  for (std::uint32_t at = last_at_[presence_bit(p)]; at != 0;) {
    const entry& e = entries_[at - 1];
    if (e.array && e.path_len == p.size() && e.value_len == v.size() &&
        (e.path_ptr == p.data() || path(e) == p) && value(e) == v) {
      return true;
    }
    at = e.previous;
  }
  return false;
}

void fields::remove(std::string_view p) {
  const std::size_t before = entries_.size();
  std::erase_if(entries_, [&](const entry& e) { return path(e) == p; });
  if (entries_.size() != before) rebuild_keys();
}

namespace {

std::uint64_t text_hash(std::string_view s) {
  std::uint64_t h = s.size();
  std::size_t i = 0;
  const auto mix = [](std::uint64_t x, std::uint64_t v) {
    x = (x ^ v) * 0x9E3779B97F4A7C15ULL;
    return x ^ (x >> 29);
  };
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix(h, w);
  }
  // The rest without a call: the last 8 bytes (overlapping what was mixed
  // in), or for a text shorter than 8 its bytes as two overlapping halves.
  std::uint64_t w = 0;
  if (i < s.size()) {
    if (s.size() >= 8) {
      std::memcpy(&w, s.data() + s.size() - 8, 8);
    } else if (s.size() >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, s.data(), 4);
      std::memcpy(&b, s.data() + s.size() - 4, 4);
      w = (std::uint64_t{a} << 32) | b;
    } else {
      for (std::size_t k = 0; k < s.size(); ++k)
        w = (w << 8) | static_cast<unsigned char>(s[k]);
    }
  }
  return mix(h, w ^ 0xFF);
}

constexpr std::uint64_t dynamic_word = std::uint64_t{1} << 63;

}  // namespace

void fields::set_dynamic(std::string_view prefix, std::string_view key, std::string_view v,
                         bool copy_value) {
  const auto at = static_cast<std::uint32_t>(dynamic_paths_.size());
  dynamic_paths_.append(prefix);
  dynamic_paths_.append(key);
  const std::string_view p(dynamic_paths_.data() + at, prefix.size() + key.size());
  entry& e = push_entry(p, text_hash(p) | dynamic_word, nullptr, at, kind::string, false);
  if (copy_value)
    store_copy(e, v);
  else
    store_view(e, v);
}

void fields::set_dynamic_raw(std::string_view prefix, std::string_view key,
                             std::string_view json) {
  const auto at = static_cast<std::uint32_t>(dynamic_paths_.size());
  dynamic_paths_.append(prefix);
  dynamic_paths_.append(key);
  const std::string_view p(dynamic_paths_.data() + at, prefix.size() + key.size());
  store_copy(push_entry(p, text_hash(p) | dynamic_word, nullptr, at, kind::raw, false), json);
}

void fields::rebuild_keys() {
  std::string paths;
  hash_ = 0;
  present_ = {};
  std::vector<entry> kept;
  kept.swap(entries_);
  for (entry e : kept) {
    entry* added;
    if (e.path_ptr != nullptr) {
      added = &push(std::string_view(e.path_ptr, e.path_len), e.type, e.array);
    } else {
      const auto at = static_cast<std::uint32_t>(paths.size());
      paths.append(path(e));
      const std::string_view p(paths.data() + at, e.path_len);
      added = &push_entry(p, text_hash(p) | dynamic_word, nullptr, at, e.type, e.array);
    }
    added->value_ptr = e.value_ptr;
    added->value_at = e.value_at;
    added->value_len = e.value_len;
    added->number = e.number;
  }
  dynamic_paths_.swap(paths);
}

namespace {

// Bytes JSON escapes: control characters, '"' and '\\'.
struct escape_table {
  bool v[256] = {};
  constexpr escape_table() {
    for (int c = 0; c < 0x20; ++c) v[c] = true;
    v[static_cast<unsigned char>('"')] = true;
    v[static_cast<unsigned char>('\\')] = true;
  }
};
constexpr escape_table needs_escape;

// The offset of the first byte of text[from, size) that JSON escapes (a byte
// below 0x20, '"' or '\\'), or size.
inline std::size_t first_escape(const char* text, std::size_t from, std::size_t size) {
  std::size_t i = from;
  if (size - i < 16) {
    // Short values (addresses, words, numbers as text) are most of them:
    // two overlapping words tell whether any byte needs escaping (SWAR:
    // exact for "any"), then the bytes are looked at only if one does.
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    auto any = [](std::uint64_t w, std::uint64_t o, std::uint64_t h) {
      const std::uint64_t q = w ^ (o * '"'), b = w ^ (o * '\\');
      return (((w - o * 0x20) & ~w) | ((q - o) & ~q) | ((b - o) & ~b)) & h;
    };
    const std::size_t n = size - i;
    if (n >= 8) {
      std::uint64_t a, b;
      std::memcpy(&a, text + i, 8);
      std::memcpy(&b, text + size - 8, 8);
      if ((any(a, ones, highs) | any(b, ones, highs)) == 0) return size;
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, text + i, 4);
      std::memcpy(&b, text + size - 4, 4);
      constexpr std::uint64_t ones4 = 0x01010101ULL, highs4 = 0x80808080ULL;
      if ((any(a, ones4, highs4) | any(b, ones4, highs4)) == 0) return size;
    }
    while (i < size && !needs_escape.v[static_cast<unsigned char>(text[i])]) ++i;
    return i;
  }
#ifdef __SSE2__
  {
    const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\'),
                  control = _mm_set1_epi8(0x1F);
    auto hits = [&](std::size_t at) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at));
      const __m128i hit =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, slash)),
                       _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
      return static_cast<unsigned>(_mm_movemask_epi8(hit));
    };
    for (; size - i >= 16; i += 16) {
      if (const unsigned mask = hits(i); mask != 0) return i + __builtin_ctz(mask);
    }
    if (i == size) return size;
    // The last bytes: one more load ending at the end, overlapping what was
    // checked already.
    const std::size_t at = size - 16;
    const unsigned mask = hits(at) >> (i - at);
    return mask != 0 ? i + __builtin_ctz(mask) : size;
  }
#endif
  while (i < size && !needs_escape.v[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

// The JSON string body of text known to be valid UTF-8: only the escapes,
// no validation, no quotes.
inline void append_body(std::string& out, std::string_view text) {
  const char* p = text.data();
  const std::size_t size = text.size();
  std::size_t i = first_escape(p, 0, size);
  if (i == size) {
    out.append(p, size);
    return;
  }
  std::size_t run = 0;
  while (true) {
    out.append(p + run, i - run);
    if (i == size) break;
    const auto c = static_cast<unsigned char>(p[i++]);
    if (c == '"' || c == '\\') {
      const char pair[2] = {'\\', static_cast<char>(c)};
      out.append(pair, 2);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '\t') {
      out.append("\\t");
    } else if (c == '\r') {
      out.append("\\r");
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      out.append(u, 6);
    }
    run = i;
    i = first_escape(p, i, size);
  }
}

void append_trusted(std::string& out, std::string_view text) {
  out.push_back('"');
  append_body(out, text);
  out.push_back('"');
}

// Writing a shaped record into a staging buffer through a pointer: the
// buffer only grows (it is as large as the largest record so far), every
// text and value fits unless a value needs escapes, and only an escape
// checks for room again. The record then goes to the output in one append.
struct raw_out {
  std::string& s;
  char* p;
  char* limit;
  std::size_t bound;  // what the rest of the record needs at most, escapes aside

  raw_out(std::string& staging, std::size_t record_bound) : s(staging), bound(record_bound) {
    if (s.size() < bound) s.resize(bound * 2);
    p = s.data();
    limit = s.data() + s.size();
  }
  [[nodiscard]] std::string_view written() const {
    return {s.data(), static_cast<std::size_t>(p - s.data())};
  }
  // An escape is about to write n bytes: keep room for them and for all that
  // may still follow.
  void room(std::size_t n) {
    if (static_cast<std::size_t>(limit - p) >= n + bound) return;
    const std::size_t at = static_cast<std::size_t>(p - s.data());
    s.resize(at + (n + bound) * 2);
    p = s.data() + at;
    limit = s.data() + s.size();
  }
};

// Copies n bytes without a call for the short texts records are made of;
// reads only [from, from + n).
inline void copy_short(char* to, const char* from, std::size_t n) {
  if (n > 16) {
    std::memcpy(to, from, n);
  } else if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, from, 8);
    std::memcpy(&b, from + n - 8, 8);
    std::memcpy(to, &a, 8);
    std::memcpy(to + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, from, 4);
    std::memcpy(&b, from + n - 4, 4);
    std::memcpy(to, &a, 4);
    std::memcpy(to + n - 4, &b, 4);
  } else if (n > 0) {
    to[0] = from[0];
    to[n / 2] = from[n / 2];
    to[n - 1] = from[n - 1];
  }
}

#ifndef __SSE2__
// A JSON string body (valid UTF-8 known): copied, escapes written out.
inline void put_body(raw_out& w, std::string_view text) {
  const char* src = text.data();
  const std::size_t size = text.size();
  std::size_t run = 0;
  std::size_t i = first_escape(src, 0, size);
  while (true) {
    copy_short(w.p, src + run, i - run);
    w.p += i - run;
    if (i == size) return;
    w.room(6);
    const auto c = static_cast<unsigned char>(src[i++]);
    char* d = w.p;
    if (c == '"' || c == '\\') {
      d[0] = '\\';
      d[1] = static_cast<char>(c);
      w.p += 2;
    } else if (c == '\n' || c == '\t' || c == '\r') {
      d[0] = '\\';
      d[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
      w.p += 2;
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      std::memcpy(d, u, 6);
      w.p += 6;
    }
    run = i;
    i = first_escape(src, i, size);
  }
}
#endif

#ifdef __SSE2__
// The bytes of 16 that JSON escapes, as bits.
inline unsigned escape_bits(__m128i v) {
  const __m128i hit = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
      _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

// Whether none of the n (< 16) bytes at `text` is one JSON escapes: two
// overlapping words (SWAR: exact for "any"), or the bytes one by one.
inline bool plain_short(const char* text, std::size_t n) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto any = [](std::uint64_t w, std::uint64_t o, std::uint64_t h) {
    const std::uint64_t q = w ^ (o * '"'), b = w ^ (o * '\\');
    return (((w - o * 0x20) & ~w) | ((q - o) & ~q) | ((b - o) & ~b)) & h;
  };
  if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, text, 8);
    std::memcpy(&b, text + n - 8, 8);
    return (any(a, ones, highs) | any(b, ones, highs)) == 0;
  }
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, text, 4);
    std::memcpy(&b, text + n - 4, 4);
    constexpr std::uint64_t ones4 = 0x01010101ULL, highs4 = 0x80808080ULL;
    return (any(a, ones4, highs4) | any(b, ones4, highs4)) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (needs_escape.v[static_cast<unsigned char>(text[i])]) return false;
  }
  return true;
}

// The escape of one byte JSON escapes at p, with room kept for it; returns
// where the output goes on.
inline char* put_escape(raw_out& w, char* p, unsigned char c) {
  if (static_cast<std::size_t>(w.limit - p) < 6 + w.bound) {
    w.p = p;
    w.room(6);
    p = w.p;
  }
  if (c == '"' || c == '\\') {
    p[0] = '\\';
    p[1] = static_cast<char>(c);
    return p + 2;
  }
  if (c == '\n' || c == '\t' || c == '\r') {
    p[0] = '\\';
    p[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
    return p + 2;
  }
  static constexpr char hex[] = "0123456789abcdef";
  const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
  std::memcpy(p, u, 6);
  return p + 6;
}

// A string body (valid UTF-8 known) from text of which 16 bytes may be read
// from any of its bytes on when `readable` (a padded line, an arena with room
// to spare): 16 bytes are checked and copied in one step, an escape is
// written where the check finds one, and the scan goes on after it. The
// output may be written up to 16 bytes past what is kept (raw_out's bound
// holds room for it). Long texts, texts with escapes and short texts that
// may not be read past their end come here; see write_members.
[[gnu::noinline]] void put_value_rest(raw_out& w, const char* text, std::size_t size,
                                      bool readable) {
#ifdef __SSE2__
  char* p = w.p;
  const char* s = text;
  const char* const end = text + size;
  while (end - s >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
    const unsigned mask = escape_bits(v);
    if (mask == 0) {
      s += 16;
      p += 16;
      continue;
    }
    const auto k = static_cast<unsigned>(__builtin_ctz(mask));
    s += k;
    p = put_escape(w, p + k, static_cast<unsigned char>(*s++));
  }
  auto n = static_cast<std::size_t>(end - s);
  if (n == 0) {
    w.p = p;
    return;
  }
  if (readable) {
    for (;;) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
      const unsigned mask = escape_bits(v) & ((1U << n) - 1U);
      if (mask == 0) {
        w.p = p + n;
        return;
      }
      const auto k = static_cast<unsigned>(__builtin_ctz(mask));
      s += k;
      p = put_escape(w, p + k, static_cast<unsigned char>(*s++));
      n -= k + 1;
      if (n == 0) {
        w.p = p;
        return;
      }
    }
  }
  // The last bytes of a longer text: one load ending at its end, overlapping
  // what was checked already; of a short one, a check by words.
  const bool plain =
      size >= 16
          ? (escape_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(end - 16))) >> (16 - n)) == 0
          : plain_short(s, n);
  if (plain) {
    copy_short(p, s, n & 15);  // n < 16: the mask says so to the compiler
    w.p = p + n;
    return;
  }
  for (; s < end; ++s) {
    const auto c = static_cast<unsigned char>(*s);
    if (needs_escape.v[c]) {
      p = put_escape(w, p, c);
    } else {
      *p++ = static_cast<char>(c);
    }
  }
  w.p = p;
#else
  (void)readable;
  put_body(w, std::string_view(text, size));
#endif
}

#ifdef __SSE2__
// The n (< 16) bytes at `text` in one register, reading no byte past them:
// two overlapping words of 8 (n >= 8) or 4 (n >= 4) bytes, or the first,
// middle and last byte. Only the low short_mask(n) bytes are meant: together
// they hold every byte of the text (some twice).
inline __m128i load_short(const char* text, std::size_t n) {
  if (n >= 8) {
    std::int64_t a, b;
    std::memcpy(&a, text, 8);
    std::memcpy(&b, text + n - 8, 8);
    return _mm_set_epi64x(b, a);
  }
  if (n >= 4) {
    std::int32_t a, b;
    std::memcpy(&a, text, 4);
    std::memcpy(&b, text + n - 4, 4);
    return _mm_set_epi32(0, 0, b, a);
  }
  if (n == 0) return _mm_set1_epi8('a');
  return _mm_set_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, text[n - 1], text[n / 2], text[0]);
}
inline unsigned short_mask(std::size_t n) { return n >= 8 ? 0xFFFFU : n >= 4 ? 0xFFU : 0x7U; }
#endif

// A shape's text: followed by shape_padding bytes of its own, so short ones
// are copied in two fixed steps.
constexpr std::size_t shape_padding = 32;
inline char* put_shape_text(char* p, const char* text, std::size_t size) {
  if (size <= 32) {
    std::memcpy(p, text, 16);
    std::memcpy(p + 16, text + 16, 16);
  } else {
    std::memcpy(p, text, size);
  }
  return p + size;
}

}  // namespace

void fields::write_key(std::string& out, std::string_view key) const {
  // Keys are short and nearly always plain: check, then copy at once.
  bool plain = true;
  for (char c : key) {
    if (needs_escape.v[static_cast<unsigned char>(c)] || static_cast<unsigned char>(c) >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) {
    out.push_back('"');
    out.append(key);
    out.push_back('"');
  } else if (trusted()) {
    append_trusted(out, key);
  } else {
    ndjson::append_string(out, key);
  }
}

void fields::write_value(std::string& out, const entry& e) const {
  switch (e.type) {
    case kind::string:
      if (trusted())
        append_trusted(out, value(e));
      else
        ndjson::append_string(out, value(e));
      break;
    case kind::integer: ndjson::append_int(out, e.number); break;
    case kind::boolean: out.append(e.number ? "true" : "false"); break;
    case kind::raw: out.append(value(e)); break;
  }
}

namespace {

// The first 8 bytes of a path as a big-endian number: comparing two of
// these orders most paths without touching their text.
std::uint64_t prefix_key(std::string_view p, std::size_t from) {
  if (p.size() >= from + 8) {
    std::uint64_t word;
    std::memcpy(&word, p.data() + from, 8);
    return __builtin_bswap64(word);  // big-endian: byte order is number order
  }
  std::uint64_t key = 0;
  for (std::size_t i = from; i < from + 8; ++i) {
    key = (key << 8) | (i < p.size() ? static_cast<unsigned char>(p[i]) : 0U);
  }
  return key;
}

}  // namespace

void fields::sort_order() const {
  sorted_.resize(entries_.size());
  keys_.resize(entries_.size() * 3);
  for (std::uint32_t i = 0; i < sorted_.size(); ++i) {
    sorted_[i] = i;
    const std::string_view p = path(entries_[i]);
    keys_[i * 3] = prefix_key(p, 0);
    keys_[i * 3 + 1] = prefix_key(p, 8);
    keys_[i * 3 + 2] = prefix_key(p, 16);
  }
  // Paths compare as their first 24 bytes in three numbers (a path padded
  // with zero bytes sorts before any longer one, as strings do), then as text.
  auto less = [&](std::uint32_t a, std::uint32_t b) {
    for (std::size_t k = 0; k < 3; ++k) {
      if (keys_[a * 3 + k] != keys_[b * 3 + k]) return keys_[a * 3 + k] < keys_[b * 3 + k];
    }
    const std::string_view pa = path(entries_[a]), pb = path(entries_[b]);
    if (pa != pb) return pa < pb;
    return a < b;  // insertion order: entries are appended in order
  };
  // No allocation (std::stable_sort would take a buffer); ties are broken
  // by insertion order, so the result is stable all the same.
  std::sort(sorted_.begin(), sorted_.end(), less);
}

namespace {

bool plain_key(std::string_view key) {
  for (const char c : key) {
    if (needs_escape.v[static_cast<unsigned char>(c)] || static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

}  // namespace

struct fields_json {
  // Walks the entries in path order as write_members writes them: emit(text)
  // for commas, braces and keys (key(text) for a key), value(first, count)
  // for the sorted_ positions one member's value takes (the members of an
  // array, or the last of a scalar set more than once). Returns false when
  // key() does.
  template <typename Emit, typename Key, typename Value>
  static bool walk(const fields& f, Emit emit, Key key, Value value) {
    f.sort_order();
    const auto& sorted = f.sorted_;
    std::string_view previous;  // path of the previous written field
    std::size_t open = 0;       // objects opened for `previous` (its dots)
    bool need_comma = true;
    for (std::size_t i = 0; i < sorted.size();) {
      const fields::entry& e = f.entries_[sorted[i]];
      const std::string_view p = f.path(e);
      // The parents this path shares with the previous one: whole segments
      // of their common prefix.
      std::size_t common = 0;
      const std::size_t limit = std::min(previous.size(), p.size());
      while (common < limit && previous[common] == p[common]) ++common;
      std::size_t shared = 0, at = 0;
      for (std::size_t k = 0; k < common; ++k) {
        if (p[k] == '.') {
          ++shared;
          at = k + 1;
        }
      }
      for (; open > shared; --open) emit("}");
      // Open this path's remaining parents.
      for (std::size_t k = at; k < p.size(); ++k) {
        if (p[k] != '.') continue;
        if (need_comma) emit(",");
        if (!key(p.substr(at, k - at))) return false;
        emit(":{");
        need_comma = false;
        ++open;
        at = k + 1;
      }
      if (need_comma) emit(",");
      if (!key(p.substr(at))) return false;
      emit(":");
      std::size_t j = i + 1;
      while (j < sorted.size() && f.path(f.entries_[sorted[j]]) == p) ++j;
      if (e.array) {
        emit("[");
        value(i, j - i, true);
        emit("]");
      } else {
        // A scalar set twice under the same path keeps the last only.
        value(j - 1, 1, false);
      }
      need_comma = true;
      previous = p;
      i = j;
    }
    for (; open > 0; --open) emit("}");
    return true;
  }

  static bool matches(const fields& f, const fields::shape& s) {
    const std::size_t n = f.entries_.size();
    if (s.keys.size() != n) return false;
    static_assert(sizeof(fields::shape_key) == 16 && offsetof(fields::entry, value_ptr) == 16);
    const fields::entry* e = f.entries_.data();
    const fields::shape_key* k = s.keys.data();
    for (std::size_t i = 0; i < n; ++i) {
      // The first 16 bytes of an entry are its shape_key.
      std::uint64_t a[2], b[2];
      std::memcpy(a, &e[i], 16);
      std::memcpy(b, &k[i], 16);
      if (((a[0] ^ b[0]) | (a[1] ^ b[1])) != 0) return false;
    }
    return s.dynamic_paths == f.dynamic_paths_;
  }

  // Works out the shape of the current entries; nullptr when a key needs
  // escaping (then how it is written depends on the line: no shape).
  static const fields::shape* build(const fields& f, std::uint64_t hash) {
    if (f.shapes_.size() >= fields::max_shapes) f.shapes_.clear();
    fields::shape s;
    s.keys.reserve(f.entries_.size());
    for (const fields::entry& e : f.entries_)
      s.keys.push_back(fields::shape_key{e.path_ptr, e.path_len, e.type, e.array, 0});
    s.dynamic_paths = f.dynamic_paths_;
    std::uint32_t text_start = 0;
    const bool ok = walk(
        f, [&](std::string_view text) { s.text.append(text); },
        [&](std::string_view key) {
          if (!plain_key(key)) return false;
          s.text.push_back('"');
          s.text.append(key);
          s.text.push_back('"');
          return true;
        },
        [&](std::size_t first, std::size_t count, bool array) {
          const bool quoted =
              !array && f.entries_[f.sorted_[first + count - 1]].type == fields::kind::string;
          if (quoted) s.text.push_back('"');
          fields::shape_slot slot{text_start, static_cast<std::uint32_t>(s.text.size()) - text_start,
                                  static_cast<std::uint32_t>(s.order.size()),
                                  static_cast<std::uint32_t>(count), quoted};
          for (std::size_t k = 0; k < count; ++k) s.order.push_back(f.sorted_[first + k]);
          s.slots.push_back(slot);
          text_start = static_cast<std::uint32_t>(s.text.size());
          if (quoted) s.text.push_back('"');
        });
    if (!ok) return nullptr;
    s.close_at = text_start;
    s.close_len = static_cast<std::uint32_t>(s.text.size()) - text_start;
    s.text.append(shape_padding, '\0');
    return &(f.shapes_[hash] = std::move(s));
  }
};

void fields::write_members(std::string& out, bool first) const {
  if (entries_.empty()) return;
  // Shapes write strings as the trusted UTF-8 they are; a line that is not
  // valid UTF-8 takes the path that replaces what is broken.
  const shape* s = nullptr;
  if (trusted()) {
    if (const auto it = shapes_.find(hash_);
        it != shapes_.end() && fields_json::matches(*this, it->second)) {
      s = &it->second;
    } else {
      s = fields_json::build(*this, hash_);
    }
  }
  if (s != nullptr) {
    // Room for every text and value as it is (escapes ask for more), for
    // numbers and array punctuation, and for the fixed-size steps of
    // put_shape_text and the value bodies.
    const std::size_t bound = s->text.size() + value_bytes_ + 24 * entries_.size() + 64;
    raw_out w(staging_, bound);
    const char* text = s->text.data();
    const char* arena = arena_.data();
    // Values of the source line and of the arena may be read 16 bytes at a
    // time: the line is padded, the arena when it has room to spare.
    const bool arena_readable = arena_.capacity() - arena_.size() >= 16;
    const auto source = reinterpret_cast<std::uintptr_t>(source_.data());
    const std::size_t source_size = source_.size();
    // The output goes through `p` (a local: stores of chars could alias any
    // member of `w`); `w` knows where it stands only when an escape or a
    // long value may ask it for room.
    char* p = w.p;
    auto body = [&](const entry& e) {
      const char* v;
      bool readable;
      if (e.value_ptr == nullptr) {
        v = arena + e.value_at;
        readable = arena_readable;
      } else {
        v = e.value_ptr;
        readable = reinterpret_cast<std::uintptr_t>(v) - source < source_size;
      }
      const std::size_t n = e.value_len;
#ifdef __SSE2__
      if (readable && n <= 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p), bytes);
        if ((escape_bits(bytes) & ((1U << n) - 1U)) == 0) {
          p += n;
          return;
        }
      }
      if (n < 16 && !readable) {
        // A short value that may not be read past its end (a literal):
        // its bytes checked in one register all the same.
        if ((escape_bits(load_short(v, n)) & short_mask(n)) == 0) {
          copy_short(p, v, n & 15);
          p += n;
          return;
        }
      }
#endif
      w.p = p;
      put_value_rest(w, v, n, readable);
      p = w.p;
    };
    const entry* const entries = entries_.data();
    const std::uint32_t* const order = s->order.data();
    const shape_slot* slot = s->slots.data();
    const shape_slot* const slots_end = slot + s->slots.size();
    const std::size_t skip = first ? 1 : 0;  // every shape starts with ","
    p = put_shape_text(p, text + slot->text_at + skip, slot->text_len - skip);
    for (;;) {
      const std::uint32_t* index = order + slot->first;
      if (slot->quoted) {
        body(entries[index[0]]);
      } else {
        for (std::uint32_t k = 0; k < slot->count; ++k) {
          if (k > 0) *p++ = ',';
          const entry& e = entries[index[k]];
          switch (e.type) {
            case kind::string:
              *p++ = '"';
              body(e);
              *p++ = '"';
              break;
            case kind::integer: p = std::to_chars(p, p + 24, e.number).ptr; break;
            case kind::boolean:
              std::memcpy(p, e.number ? "true" : "false", e.number ? 4 : 5);
              p += e.number ? 4 : 5;
              break;
            case kind::raw:
              std::memcpy(p, value(e).data(), e.value_len);
              p += e.value_len;
              break;
          }
        }
      }
      if (++slot == slots_end) break;
      p = put_shape_text(p, text + slot->text_at, slot->text_len);
    }
    p = put_shape_text(p, text + s->close_at, s->close_len);
    w.p = p;
    out.append(w.written());
    return;
  }
  bool skip_comma = first;
  fields_json::walk(
      *this,
      [&](std::string_view text) {
        if (skip_comma && text == ",") {
          skip_comma = false;
          return;
        }
        skip_comma = false;
        out.append(text);
      },
      [&](std::string_view key) {
        write_key(out, key);
        return true;
      },
      [&](std::size_t at, std::size_t count, bool) {
        for (std::size_t k = 0; k < count; ++k) {
          if (k > 0) out.push_back(',');
          write_value(out, entries_[sorted_[at + k]]);
        }
      });
}

}  // namespace mimamori::parsers
