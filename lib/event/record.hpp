// record: one parsed NDJSON record and its ECS fields by dotted path.
//
// What we chose, and why (measured on this 2-core machine, 1 KB ECS records,
// one core; figures in the foundation issue's note and `make bench`):
//
//  - Reading: simdjson's DOM parser, reused across records. It validates the
//    whole line (JSON syntax and UTF-8) in one pass into a tape that it keeps
//    between records, so a record costs no allocation, and any number of
//    fields can then be looked up in any order without parsing again.
//    simdjson's on-demand API is faster only when a tool reads few fields in
//    document order, and it validates lazily, so a broken line could pass
//    unseen; a nlohmann::json tree costs ~20x more per record. nlohmann/json
//    stays for configuration and low-rate tools.
//    Tried and dropped (2026-12-01, correlate with indicators only): running
//    only simdjson's stage 1 and validating the line by walking its
//    structural index with the JSON grammar (checking every scalar), then
//    parsing in full only the lines holding a value that meets an
//    indicator. On the bench's 1.2 KB ECS records the walk over their ~250
//    structurals cost what stage 2 costs (12.0k against 11.8k instructions
//    per record under callgrind, with stage 1 in both), and in wall time
//    it was no faster: the walk, not the tape, is what stage 2 spends. An
//    on-demand walk that reads a few members and skips the rest is about
//    as dear here (1.36 M records/s against 1.33 M for the DOM), since
//    skipping a value steps through its structurals too.
//  - Writing: records are never re-serialised from a tree. New records are
//    written with event::builder straight into the output buffer; changes to
//    an existing record go through event::patch, which copies the original
//    bytes and rewrites only the objects on the changed paths.
//
// Paths are ECS dotted names ("source.ip"), looked up in nested objects as
// ECS writes them; a flattened key ("source.ip" as one key) is found too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace mimamori::event {

enum class parse_error {
  none,
  not_json,      // a syntax error
  not_object,    // valid JSON, but not an object
  invalid_utf8,  // bytes that are not UTF-8
  too_large,     // beyond what the parser accepts
};

// A view of one parsed record; valid until the parser parses the next one.
class record {
 public:
  record() = default;
  record(std::string_view text, simdjson::dom::element root) : text_(text), root_(root) {}

  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] simdjson::dom::element root() const { return root_; }

  [[nodiscard]] std::optional<simdjson::dom::element> find(std::string_view path) const;
  [[nodiscard]] bool has(std::string_view path) const { return find(path).has_value(); }
  // The value at path if it is of that type.
  [[nodiscard]] std::optional<std::string_view> string(std::string_view path) const;
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view path) const;
  [[nodiscard]] std::optional<double> number(std::string_view path) const;
  [[nodiscard]] std::optional<bool> boolean(std::string_view path) const;

 private:
  std::string_view text_;
  simdjson::dom::element root_;
};

class parser {
 public:
  parser() = default;

  // Parses a line in place. The line must be followed by at least
  // simdjson::SIMDJSON_PADDING readable bytes, as ndjson::line_reader lines
  // are; use parse_copy() for text that is not.
  parse_error parse(std::string_view line);
  // Parses text that has no padding after it (copies it first).
  parse_error parse_copy(std::string_view text);

  [[nodiscard]] const record& current() const { return record_; }
  // Why the last parse failed, in words ("not a JSON object", ...).
  [[nodiscard]] std::string_view message() const { return message_; }

 private:
  parse_error finish(std::string_view text, simdjson::error_code code,
                     simdjson::dom::element root);

  simdjson::dom::parser parser_;
  record record_;
  std::string_view message_;
};

[[nodiscard]] std::string_view describe(parse_error error);

}  // namespace mimamori::event
