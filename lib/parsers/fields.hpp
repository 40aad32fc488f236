// fields: the ECS fields one parser run sets, collected flat and written as
// nested JSON.
//
// Paths are ECS dotted names. Values are views into the line being parsed,
// string literals, or text copied into the collection's own arena (for
// values a parser computes: unescaped text, lowercased words, numbers it
// formats). add() appends to an array field (event.category, related.ip)
// and skips a value the array already holds. Reusing one collection across
// records allocates nothing once its buffers have grown.
//
// A path given as a view (every setter but set_dynamic) must be text that
// stays as it is for the life of the collection: a literal or a table that
// is never rewritten. Writing relies on it: records of one parser and one
// message kind set the same paths in the same order, and the nesting and
// path order of such a shape is worked out once and kept (write_members).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mimamori::parsers {

class fields {
 public:
  enum class kind : std::uint8_t { string, integer, boolean, raw };

  // The first 16 bytes (path, length, type, array flag) are the entry's
  // part of the record's shape (shape_key): compared as two words.
  struct entry {
    const char* path_ptr;  // nullptr: a dynamic path, kept by the collection
    std::uint32_t path_len;
    kind type;
    bool array;
    std::uint16_t zero;     // always 0 (the shape compares these bytes)
    const char* value_ptr;  // nullptr: a value in the arena at value_at
    std::uint32_t path_at, value_at;
    std::uint32_t value_len;
    std::uint32_t previous;  // 1 + the index of the entry before with the same presence bit, or 0
    std::int64_t number;
  };

  void clear() {
    entries_.clear();
    arena_.clear();
    dynamic_paths_.clear();
    hash_ = 0;
    present_ = {};
    value_bytes_ = 0;
    trusted_utf8_ = false;
    arena_utf8_ = true;
  }
  // The line the values are mostly views of, when it is followed by at
  // least 16 readable bytes (a line of ndjson::line_reader, padded for
  // simdjson): its values are then written 16 bytes at a time. Kept across
  // clear(); an empty view for none.
  void padded_source(std::string_view line) { source_ = line; }
  // Every value is valid UTF-8 (the line was checked once): strings are
  // then written without validating each again. Copies a parser made are
  // checked as they come in (a decoded hex value need not be UTF-8): one
  // that is not withdraws the trust.
  void trust_utf8(bool trusted) { trusted_utf8_ = trusted; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

  // Scalars: a later set of the same path replaces the earlier one.
  void set(std::string_view path, std::string_view value) {
    store_view(push(path, kind::string, false), value);
  }
  void set_copy(std::string_view path, std::string_view value) {
    store_copy(push(path, kind::string, false), value);
  }
  void set_int(std::string_view path, std::int64_t value) {
    push(path, kind::integer, false).number = value;
  }
  void set_bool(std::string_view path, bool value) {
    push(path, kind::boolean, false).number = value ? 1 : 0;
  }
  // JSON text already (a number as the device wrote it, an object...).
  void set_raw(std::string_view path, std::string_view json) {
    store_copy(push(path, kind::raw, false), json);
  }
  // Array members, in order, without duplicates.
  void add(std::string_view path, std::string_view value) { add_member(path, value, false); }
  void add_copy(std::string_view path, std::string_view value) { add_member(path, value, true); }
  // A path built at run time ("fortinet.firewall." + key): copied.
  void set_dynamic(std::string_view prefix, std::string_view key, std::string_view value,
                   bool copy_value);
  // The same with a value that is JSON text already (a number, true, an
  // array), copied.
  void set_dynamic_raw(std::string_view prefix, std::string_view key, std::string_view json);

  [[nodiscard]] bool has(std::string_view path) const { return find_entry(path) != nullptr; }
  [[nodiscard]] std::string_view get(std::string_view path) const {
    const entry* e = find_entry(path);
    return e ? value(*e) : std::string_view{};
  }
  void remove(std::string_view path);

  [[nodiscard]] std::string_view path(const entry& e) const {
    return e.path_ptr ? std::string_view(e.path_ptr, e.path_len)
                      : std::string_view(dynamic_paths_.data() + e.path_at, e.path_len);
  }
  [[nodiscard]] std::string_view value(const entry& e) const {
    return e.value_ptr ? std::string_view(e.value_ptr, e.value_len)
                       : std::string_view(arena_.data() + e.value_at, e.value_len);
  }
  [[nodiscard]] const std::vector<entry>& entries() const { return entries_; }

  // Writes the fields as members of a JSON object that is open in `out`
  // (after "{" or after other members: `first` says whether a comma is due),
  // nested by path, in path order.
  void write_members(std::string& out, bool first) const;
  // Writes each value as JSON text (scalar or array) for event::patch.
  // Calls visit(path, json) once per path.
  template <typename Visit>
  void each_json(std::string& scratch, Visit visit) const;

 private:
  // Which paths may be present: one bit of 256 per path, from its length
  // and two of its bytes. A clear bit answers has() and the duplicate check
  // of add() without a scan; a set one leads to the last entry with that bit
  // (last_at_), and from there along `previous` to the others, so a lookup
  // looks only at the entries of its bit.
  static std::uint32_t presence_bit(std::string_view p) {
    if (p.empty()) return 0;
    const auto c = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
    return (static_cast<std::uint32_t>(p.size()) * 37U + c(p.size() - 1) * 7U + c(p.size() / 2)) & 255U;
  }
  [[nodiscard]] bool may_have(std::string_view p) const {
    const std::uint32_t bit = presence_bit(p);
    return (present_[bit >> 6] >> (bit & 63)) & 1U;
  }
  static std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h = (h ^ v) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }
  // Appends an entry and keeps the hash of the record's shape (hash_) and
  // the presence bits up to date. `word` names the path: its address, or for
  // a dynamic path a hash of its text with the top bit set. The shape itself
  // is the entries' paths, types and array flags, in order (shape_matches).
  [[gnu::always_inline]] entry& push_entry(std::string_view p, std::uint64_t word, const char* path_ptr,
                    std::uint32_t path_at, kind type, bool array) {
    const std::uint64_t flags = (std::uint64_t{p.size()} << 8) |
                                (static_cast<std::uint64_t>(type) << 1) | (array ? 1U : 0U);
    hash_ = mix(hash_, word ^ (flags << 40));
    const std::uint32_t bit = presence_bit(p);
    const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
    const std::uint32_t previous = (present_[bit >> 6] & mask) != 0 ? last_at_[bit] : 0;
    present_[bit >> 6] |= mask;
    // Growing is out of line: the common step (room kept from earlier
    // records) carries no reallocation code and saves fewer registers.
    if (entries_.size() == entries_.capacity()) [[unlikely]] grow_entries();
    // Tells the compiler push_back has room: its growing code drops out.
    if (entries_.end() == entries_.begin() + static_cast<std::ptrdiff_t>(entries_.capacity()))
      __builtin_unreachable();
    entry* e = entries_.data() + entries_.size();
    entries_.push_back(entry{path_ptr, static_cast<std::uint32_t>(p.size()), type, array, 0,
                             nullptr, path_at, 0, 0, previous, 0});
    last_at_[bit] = static_cast<std::uint32_t>(entries_.size());
    return *e;
  }
  [[gnu::noinline, gnu::cold]] void grow_entries() { entries_.reserve(entries_.size() * 2 + 16); }
  [[gnu::always_inline]] entry& push(std::string_view p, kind type, bool array) {
    return push_entry(p, reinterpret_cast<std::uintptr_t>(p.data()), p.data(), 0, type, array);
  }
  void store_view(entry& e, std::string_view v) {
    // A view into the arena itself (a value read back with get()) is kept
    // as an offset: the arena may move when it grows.
    const auto at = reinterpret_cast<std::uintptr_t>(v.data()),
               base = reinterpret_cast<std::uintptr_t>(arena_.data());
    if (at - base < arena_.size()) {
      e.value_ptr = nullptr;
      e.value_at = static_cast<std::uint32_t>(at - base);
    } else {
      e.value_ptr = v.data() != nullptr ? v.data() : "";
    }
    e.value_len = static_cast<std::uint32_t>(v.size());
    value_bytes_ += v.size();
  }
  void store_copy(entry& e, std::string_view v);
  void add_member(std::string_view path, std::string_view value, bool copy) {
    if (value.empty()) return;
    if (may_have(path) && holds(path, value)) return;
    entry& e = push(path, kind::string, true);
    if (copy)
      store_copy(e, value);
    else
      store_view(e, value);
  }
  // Whether the array `path` holds `value` already.
  [[nodiscard]] bool holds(std::string_view path, std::string_view value) const;
  // The last entry of a path: later sets win.
  [[nodiscard]] const entry* find_entry(std::string_view path) const {
    const std::uint32_t bit = presence_bit(path);
    if (((present_[bit >> 6] >> (bit & 63)) & 1U) == 0) return nullptr;
    for (std::uint32_t at = last_at_[bit]; at != 0;) {
      const entry& e = entries_[at - 1];
      if (e.path_len == path.size() && (e.path_ptr == path.data() || same_text(e, path))) return &e;
      at = e.previous;
    }
    return nullptr;
  }
  // Whether the path of `e` (of the same length) is `p`: the first 8 bytes
  // compared as one word, which tells most paths of one length apart
  // without a call.
  [[nodiscard]] bool same_text(const entry& e, std::string_view p) const {
    const std::string_view q = path(e);
    if (p.size() >= 8) {
      std::uint64_t a, b;
      std::memcpy(&a, p.data(), 8);
      std::memcpy(&b, q.data(), 8);
      if (a != b) return false;
    }
    return q == p;
  }
  // After remove(): the shape key, the presence bits and the dynamic paths
  // worked out again from the entries left.
  void rebuild_keys();
  void write_value(std::string& out, const entry& e) const;
  void write_key(std::string& out, std::string_view key) const;
  void sort_order() const;

  // The shape of a record (see the top of this file): its key (the paths,
  // types and array flags of its entries in insertion order, a dynamic path
  // as its length, with the text of all dynamic paths beside), and what
  // write_members writes for it, keys and braces as one text per value.
  struct shape_key {
    const char* path_ptr;  // nullptr: a dynamic path
    std::uint32_t path_len;
    kind type;
    bool array;
    std::uint16_t zero;
  };
  struct shape_slot {
    std::uint32_t text_at, text_len;  // what goes before the value(s)
    std::uint32_t first, count;       // entry indices in order
    bool quoted;                      // one string: its quotes are in the text
  };
  struct shape {
    std::vector<shape_key> keys;
    std::string dynamic_paths;
    std::vector<shape_slot> slots;
    std::vector<std::uint32_t> order;
    std::string text;
    std::uint32_t close_at = 0, close_len = 0;
  };
  static constexpr std::size_t max_shapes = 4096;

  std::vector<entry> entries_;
  std::string arena_;
  std::string dynamic_paths_;  // the text of the dynamic paths, in order
  // A hash of every entry's path word and its length, type and array flags:
  // where the record's shape is looked up.
  std::uint64_t hash_ = 0;
  std::array<std::uint64_t, 4> present_{};
  std::array<std::uint32_t, 256> last_at_{};  // for a set presence bit: 1 + its last entry's index
  std::size_t value_bytes_ = 0;  // the length of all values, for the room a record needs
  std::string_view source_;
  mutable std::vector<std::uint32_t> sorted_;
  mutable std::vector<std::uint64_t> keys_;
  bool trusted_utf8_ = false;
  bool arena_utf8_ = true;  // every copied value is valid UTF-8
  [[nodiscard]] bool trusted() const { return trusted_utf8_ && arena_utf8_; }
  mutable std::unordered_map<std::uint64_t, shape> shapes_;
  mutable std::string staging_;  // a shaped record is written here first

  friend struct fields_json;
};

template <typename Visit>
void fields::each_json(std::string& scratch, Visit visit) const {
  sort_order();
  for (std::size_t i = 0; i < sorted_.size();) {
    const entry& e = entries_[sorted_[i]];
    scratch.clear();
    std::size_t j = i + 1;
    if (e.array) {
      scratch.push_back('[');
      write_value(scratch, e);
      while (j < sorted_.size() && path(entries_[sorted_[j]]) == path(e)) {
        scratch.push_back(',');
        write_value(scratch, entries_[sorted_[j]]);
        ++j;
      }
      scratch.push_back(']');
    } else {
      write_value(scratch, e);
    }
    visit(path(e), std::string_view(scratch));
    i = j;
  }
}

}  // namespace mimamori::parsers
