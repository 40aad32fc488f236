// patch: changes to a record, written without re-serialising the record.
//
// A tool that adds `event.kind` or `threat.indicator.*` to a record it
// passed through collects the changes here, then apply() copies the
// original bytes and rewrites only the objects on the changed paths; every
// other member is copied verbatim. Reusing one patch across records
// allocates nothing once its buffers have grown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mimamori::event {

class patch {
 public:
  void clear();
  [[nodiscard]] bool empty() const { return ops_.empty(); }

  // Paths are ECS dotted names; a later change to a path wins.
  void set_string(std::string_view path, std::string_view value);
  void set_int(std::string_view path, std::int64_t value);
  void set_double(std::string_view path, double value);
  void set_bool(std::string_view path, bool value);
  // `json` must be one valid JSON value (an object, an array, a literal).
  void set_raw(std::string_view path, std::string_view json);
  void remove(std::string_view path);

  // Appends `original` (the text of a valid JSON object) with the changes
  // applied to `out`.
  void apply(std::string_view original, std::string& out) const;

 private:
  struct op {
    std::uint32_t path_begin, path_end;    // in arena_
    std::uint32_t value_begin, value_end;  // JSON text in arena_; empty: remove
    bool removes;
  };
  void add(std::string_view path, bool removes);
  void end_value();

  void apply_object(std::string_view object, const std::vector<std::uint32_t>& ops,
                    std::size_t depth, std::string& out) const;
  void write_member(std::string_view key, const char* base_begin, const char* base_end,
                    const std::vector<std::uint32_t>& ops, std::size_t depth,
                    std::string& out, bool new_key = false) const;
  [[nodiscard]] std::string_view segment(const op& o, std::size_t depth) const;
  [[nodiscard]] std::size_t segments(const op& o) const;

  std::string arena_;
  std::vector<op> ops_;
  mutable std::vector<std::vector<std::uint32_t>> scratch_;  // per depth
};

}  // namespace mimamori::event
