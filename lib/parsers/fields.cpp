// fields: collecting ECS fields and writing them as nested JSON.
#include "parsers/fields.hpp"

#include <algorithm>
#include <cstring>

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

void fields::add(std::string_view p, std::string_view v) {
  if (v.empty()) return;
  for (const auto& e : entries_) {
    if (e.array && path(e) == p && value(e) == v) return;
  }
  entry& e = push(p, false);
  e.array = true;
  e.type = kind::string;
  store_value(e, v, false);
}
void fields::add_copy(std::string_view p, std::string_view v) {
  if (v.empty()) return;
  for (const auto& e : entries_) {
    if (e.array && path(e) == p && value(e) == v) return;
  }
  entry& e = push(p, false);
  e.array = true;
  e.type = kind::string;
  store_value(e, v, true);
}

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

// For text known to be valid UTF-8: only the escapes, no validation.
void append_trusted(std::string& out, std::string_view text) {
  out.push_back('"');
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char* run = p;
    // Eight bytes at a time while none needs escaping (SWAR: a byte below
    // 0x20, or equal to '"' or '\\').
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t quote = w ^ (ones * '"');
      const std::uint64_t slash = w ^ (ones * '\\');
      const std::uint64_t hit = ((w - ones * 0x20) | (quote - ones) | (slash - ones)) & ~w & highs;
      // (quote - ones) & ~quote & highs would be exact; ~w is close enough
      // to skip clean words, and a false hit only ends the fast loop.
      if (hit != 0) break;
      p += 8;
    }
    while (p < end && !needs_escape.v[static_cast<unsigned char>(*p)]) ++p;
    out.append(run, static_cast<std::size_t>(p - run));
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
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
  }
  out.push_back('"');
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

void fields::write_members(std::string& out, bool first) const {
  sort_order();
  std::string_view previous;  // path of the previous written field
  std::size_t open = 0;       // objects opened for `previous` (its dots)
  bool need_comma = !first;
  for (std::size_t i = 0; i < sorted_.size();) {
    const entry& e = entries_[sorted_[i]];
    const std::string_view p = path(e);
    // The parents this path shares with the previous one: whole segments of
    // their common prefix.
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
    for (; open > shared; --open) out.push_back('}');
    // Open this path's remaining parents.
    for (std::size_t k = at; k < p.size(); ++k) {
      if (p[k] != '.') continue;
      if (need_comma) out.push_back(',');
      write_key(out, p.substr(at, k - at));
      out.append(":{");
      need_comma = false;
      ++open;
      at = k + 1;
    }
    if (need_comma) out.push_back(',');
    write_key(out, p.substr(at));
    out.push_back(':');
    std::size_t j = i + 1;
    if (e.array) {
      out.push_back('[');
      write_value(out, e);
      while (j < sorted_.size() && path(entries_[sorted_[j]]) == p) {
        out.push_back(',');
        write_value(out, entries_[sorted_[j]]);
        ++j;
      }
      out.push_back(']');
    } else {
      // A scalar set twice under the same path keeps the last only.
      while (j < sorted_.size() && path(entries_[sorted_[j]]) == p) ++j;
      write_value(out, entries_[sorted_[j - 1]]);
    }
    need_comma = true;
    previous = p;
    i = j;
  }
  for (; open > 0; --open) out.push_back('}');
}

}  // namespace mimamori::parsers
