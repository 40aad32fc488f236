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

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mimamori::parsers {

class fields {
 public:
  enum class kind : std::uint8_t { string, integer, boolean, raw };

  struct entry {
    // A view (ptr != nullptr) or an arena range (ptr == nullptr).
    const char* path_ptr;
    std::uint32_t path_at, path_len;
    const char* value_ptr;
    std::uint32_t value_at, value_len;
    std::int64_t number;
    kind type;
    bool array;
    std::uint32_t order;
  };

  void clear() {
    entries_.clear();
    arena_.clear();
    trusted_utf8_ = false;
  }
  // Every value is valid UTF-8 (the line was checked once): strings are
  // then written without validating each again.
  void trust_utf8(bool trusted) { trusted_utf8_ = trusted; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

  // Scalars: a later set of the same path replaces the earlier one.
  void set(std::string_view path, std::string_view value);
  void set_copy(std::string_view path, std::string_view value);
  void set_int(std::string_view path, std::int64_t value);
  void set_bool(std::string_view path, bool value);
  // JSON text already (a number as the device wrote it, an object...).
  void set_raw(std::string_view path, std::string_view json);
  // Array members, in order, without duplicates.
  void add(std::string_view path, std::string_view value);
  void add_copy(std::string_view path, std::string_view value);
  // A path built at run time ("fortinet.firewall." + key): copied.
  void set_dynamic(std::string_view prefix, std::string_view key, std::string_view value,
                   bool copy_value);
  // The same with a value that is JSON text already (a number, true, an
  // array), copied.
  void set_dynamic_raw(std::string_view prefix, std::string_view key, std::string_view json);

  [[nodiscard]] bool has(std::string_view path) const;
  [[nodiscard]] std::string_view get(std::string_view path) const;
  void remove(std::string_view path);

  [[nodiscard]] std::string_view path(const entry& e) const {
    return e.path_ptr ? std::string_view(e.path_ptr, e.path_len)
                      : std::string_view(arena_.data() + e.path_at, e.path_len);
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
  entry* find_entry(std::string_view path);
  const entry* find_entry(std::string_view path) const;
  entry& push(std::string_view path, bool copy_path);
  void store_value(entry& e, std::string_view value, bool copy);
  void add_member(std::string_view path, std::string_view value, bool copy);
  void write_value(std::string& out, const entry& e) const;
  void write_key(std::string& out, std::string_view key) const;
  void sort_order() const;

  // The shape of a record (see the top of this file): its paths in insertion
  // order, and what write_members writes for them, keys and braces as one
  // text per value.
  struct shape_member {
    const char* path_ptr;  // nullptr: a dynamic path, kept in text at path_at
    std::uint32_t path_at, path_len;
    kind type;
    bool array;
  };
  struct shape_slot {
    std::uint32_t text_at, text_len;  // what goes before the value(s)
    std::uint32_t first, count;       // entry indices in order
    bool quoted;                      // one string: its quotes are in the text
  };
  struct shape {
    std::vector<shape_member> members;
    std::vector<shape_slot> slots;
    std::vector<std::uint32_t> order;
    std::string text;
    std::uint32_t close_at = 0, close_len = 0;
  };
  static constexpr std::size_t max_shapes = 4096;

  std::vector<entry> entries_;
  std::string arena_;
  mutable std::vector<std::uint32_t> sorted_;
  mutable std::vector<std::uint64_t> keys_;
  std::uint32_t next_order_ = 0;
  bool trusted_utf8_ = false;
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
