// fields: collecting ECS fields and writing them as nested JSON.
#include "parsers/fields.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ndjson/json_text.hpp"

namespace mimamori::parsers {

fields::entry& fields::push(std::string_view p, bool copy_path) {
  entry e{};
  if (copy_path) {
    e.path_at = static_cast<std::uint32_t>(arena_.size());
    arena_.append(p);
  } else {
    e.path_ptr = p.data();
  }
  e.path_len = static_cast<std::uint32_t>(p.size());
  e.order = next_order_++;
  entries_.push_back(e);
  return entries_.back();
}

void fields::store_value(entry& e, std::string_view v, bool copy) {
  // A view into the arena itself (a value read back with get()) is kept as
  // an offset: the arena may move when it grows.
  const bool in_arena =
      !arena_.empty() && v.data() >= arena_.data() && v.data() < arena_.data() + arena_.size();
  if (in_arena && !copy) {
    e.value_ptr = nullptr;
    e.value_at = static_cast<std::uint32_t>(v.data() - arena_.data());
    e.value_len = static_cast<std::uint32_t>(v.size());
    return;
  }
  if (copy) {
    if (in_arena) {
      // append() from its own buffer: copy through an offset.
      const std::size_t at = static_cast<std::size_t>(v.data() - arena_.data());
      e.value_ptr = nullptr;
      e.value_at = static_cast<std::uint32_t>(arena_.size());
      e.value_len = static_cast<std::uint32_t>(v.size());
      arena_.append(arena_, at, v.size());
      return;
    }
    e.value_ptr = nullptr;
    e.value_at = static_cast<std::uint32_t>(arena_.size());
    arena_.append(v);
  } else {
    e.value_ptr = v.data() != nullptr ? v.data() : "";
  }
  e.value_len = static_cast<std::uint32_t>(v.size());
}

// The last entry of a path: later sets win.
fields::entry* fields::find_entry(std::string_view p) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (!it->array && it->path_len == p.size() && path(*it) == p) return &*it;
  }
  return nullptr;
}
const fields::entry* fields::find_entry(std::string_view p) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->path_len == p.size() && path(*it) == p) return &*it;
  }
  return nullptr;
}

bool fields::has(std::string_view p) const {
  return find_entry(p) != nullptr;
}

std::string_view fields::get(std::string_view p) const {
  const entry* e = find_entry(p);
  return e ? value(*e) : std::string_view{};
}

void fields::remove(std::string_view p) {
  std::erase_if(entries_, [&](const entry& e) { return path(e) == p; });
}

void fields::set(std::string_view p, std::string_view v) {
  entry& e = push(p, false);
  e.type = kind::string;
  store_value(e, v, false);
}
void fields::set_copy(std::string_view p, std::string_view v) {
  entry& e = push(p, false);
  e.type = kind::string;
  store_value(e, v, true);
}
void fields::set_int(std::string_view p, std::int64_t v) {
  entry& e = push(p, false);
  e.type = kind::integer;
  e.number = v;
}
void fields::set_bool(std::string_view p, bool v) {
  entry& e = push(p, false);
  e.type = kind::boolean;
  e.number = v ? 1 : 0;
}
void fields::set_raw(std::string_view p, std::string_view json) {
  entry& e = push(p, false);
  e.type = kind::raw;
  store_value(e, json, true);
}

void fields::add_member(std::string_view p, std::string_view v, bool copy) {
  if (v.empty()) return;
  for (const auto& e : entries_) {
    if (e.array && path(e) == p && value(e) == v) return;
  }
  entry& e = push(p, false);
  e.array = true;
  e.type = kind::string;
  store_value(e, v, copy);
}
void fields::add(std::string_view p, std::string_view v) { add_member(p, v, false); }
void fields::add_copy(std::string_view p, std::string_view v) { add_member(p, v, true); }

void fields::set_dynamic(std::string_view prefix, std::string_view key, std::string_view v,
                         bool copy_value) {
  const auto at = static_cast<std::uint32_t>(arena_.size());
  arena_.append(prefix);
  arena_.append(key);
  entry e{};
  e.path_at = at;
  e.path_len = static_cast<std::uint32_t>(prefix.size() + key.size());
  e.order = next_order_++;
  e.type = kind::string;
  store_value(e, v, copy_value);
  entries_.push_back(e);
}

void fields::set_dynamic_raw(std::string_view prefix, std::string_view key,
                             std::string_view json) {
  set_dynamic(prefix, key, json, true);
  entries_.back().type = kind::raw;
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
  } else if (trusted_utf8_) {
    append_trusted(out, key);
  } else {
    ndjson::append_string(out, key);
  }
}

void fields::write_value(std::string& out, const entry& e) const {
  switch (e.type) {
    case kind::string:
      if (trusted_utf8_)
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

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
  return h ^ (h >> 29);
}

std::uint64_t text_hash(std::string_view s) {
  std::uint64_t h = s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = mix(h, w);
  }
  std::uint64_t w = 0;
  std::memcpy(&w, s.data() + i, s.size() - i);
  return mix(h, w ^ 0xFF);
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

  static std::uint64_t shape_hash(const fields& f) {
    std::uint64_t h = f.entries_.size();
    for (const fields::entry& e : f.entries_) {
      const std::uint64_t flags = (std::uint64_t{e.path_len} << 4) |
                                  (static_cast<std::uint64_t>(e.type) << 1) | (e.array ? 1U : 0U);
      if (e.path_ptr != nullptr) {
        h = mix(h, reinterpret_cast<std::uintptr_t>(e.path_ptr) ^ (flags << 40));
      } else {
        h = mix(h, text_hash(f.path(e)) ^ flags);
      }
    }
    return h;
  }

  static bool matches(const fields& f, const fields::shape& s) {
    if (s.members.size() != f.entries_.size()) return false;
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      const fields::shape_member& m = s.members[i];
      const fields::entry& e = f.entries_[i];
      if (m.path_ptr != e.path_ptr || m.path_len != e.path_len || m.array != e.array ||
          m.type != e.type) {
        return false;
      }
      if (m.path_ptr == nullptr &&
          std::memcmp(s.text.data() + m.path_at, f.arena_.data() + e.path_at, m.path_len) != 0) {
        return false;
      }
    }
    return true;
  }

  // Works out the shape of the current entries; nullptr when a key needs
  // escaping (then how it is written depends on the line: no shape).
  static const fields::shape* build(const fields& f, std::uint64_t hash) {
    if (f.shapes_.size() >= fields::max_shapes) f.shapes_.clear();
    fields::shape s;
    s.members.reserve(f.entries_.size());
    for (const fields::entry& e : f.entries_) {
      fields::shape_member m{e.path_ptr, 0, e.path_len, e.type, e.array};
      if (e.path_ptr == nullptr) {
        m.path_at = static_cast<std::uint32_t>(s.text.size());
        s.text.append(f.path(e));
      }
      s.members.push_back(m);
    }
    std::uint32_t text_start = static_cast<std::uint32_t>(s.text.size());
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
    return &(f.shapes_[hash] = std::move(s));
  }
};

void fields::write_members(std::string& out, bool first) const {
  if (entries_.empty()) return;
  // Shapes write strings as the trusted UTF-8 they are; a line that is not
  // valid UTF-8 takes the path that replaces what is broken.
  const shape* s = nullptr;
  if (trusted_utf8_) {
    const std::uint64_t hash = fields_json::shape_hash(*this);
    if (const auto it = shapes_.find(hash);
        it != shapes_.end() && fields_json::matches(*this, it->second)) {
      s = &it->second;
    } else {
      s = fields_json::build(*this, hash);
    }
  }
  if (s != nullptr) {
    // Room for every text and value as it is (escapes ask for more), and
    // for numbers and array punctuation.
    std::size_t bound = s->text.size() + 64;
    for (const entry& e : entries_) bound += e.value_len + 24;
    raw_out w(staging_, bound);
    const char* text = s->text.data();
    bool skip_comma = first;  // every shape starts with ","
    for (const shape_slot& slot : s->slots) {
      const std::size_t skip = skip_comma ? 1 : 0;
      skip_comma = false;
      copy_short(w.p, text + slot.text_at + skip, slot.text_len - skip);
      w.p += slot.text_len - skip;
      const std::uint32_t* index = s->order.data() + slot.first;
      if (slot.quoted) {
        put_body(w, value(entries_[index[0]]));
        continue;
      }
      for (std::uint32_t k = 0; k < slot.count; ++k) {
        if (k > 0) *w.p++ = ',';
        const entry& e = entries_[index[k]];
        switch (e.type) {
          case kind::string:
            *w.p++ = '"';
            put_body(w, value(e));
            *w.p++ = '"';
            break;
          case kind::integer: w.p = std::to_chars(w.p, w.p + 24, e.number).ptr; break;
          case kind::boolean:
            std::memcpy(w.p, e.number ? "true" : "false", e.number ? 4 : 5);
            w.p += e.number ? 4 : 5;
            break;
          case kind::raw:
            std::memcpy(w.p, value(e).data(), e.value_len);
            w.p += e.value_len;
            break;
        }
      }
    }
    copy_short(w.p, text + s->close_at, s->close_len);
    w.p += s->close_len;
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
