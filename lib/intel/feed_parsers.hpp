// feed_parsers: the per-format readers behind feed.hpp, and what they
// share. One file each: plain_list.cpp, csv_feed.cpp (with the JSON record
// exports that use the same names), misp_feed.cpp, stix_feed.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "intel/feed.hpp"
#include "time/timestamp.hpp"

namespace mimamori::intel::detail {

// Where the readers put what they read.
class sink {
 public:
  sink(store& into, load_report& report, std::string_view origin, const feed_options& options)
      : store_(into), report_(report), origin_(origin), options_(options) {}

  store& target() { return store_; }
  load_report& report() { return report_; }
  const feed_options& options() const { return options_; }
  std::string_view origin() const { return origin_; }

  // A context with the feed name filled in.
  std::uint32_t context_id(context c);
  void add(const detected& value, std::uint32_t context, std::optional<time::timestamp> first);
  // "ORIGIN:LINE: what" (line 0: "ORIGIN: what").
  void bad(std::uint64_t line, std::string_view what);
  void unsupported(std::uint64_t line, std::string_view what);
  void skipped() { ++report_.skipped; }

 private:
  void message(std::uint64_t line, std::string_view what);

  store& store_;
  load_report& report_;
  std::string_view origin_;
  const feed_options& options_;
};

// Lines of a text or a file, one at a time: (text, 1-based number).
using line_source = std::function<bool(std::string_view&, std::uint64_t&)>;

void read_plain(line_source& lines, sink& out);
void read_csv(line_source& lines, sink& out);
// NDJSON records, one object per line.
void read_json_lines(line_source& lines, sink& out);
// A whole JSON document (records array or object); text must be padded for
// simdjson (SIMDJSON_PADDING bytes readable past its end).
void read_json_records(simdjson::dom::element root, sink& out);
void read_misp(simdjson::dom::element root, sink& out);
void read_stix(simdjson::dom::element root, sink& out);

// Whether the start of a text has a CSV header row that names a value column.
bool looks_like_csv(std::string_view head);

// Shared helpers.
std::string_view trim(std::string_view s);
// A time as feeds write it: RFC 3339, "2024-03-19 11:34:09[ UTC]" (UTC),
// a date, or epoch seconds.
std::optional<time::timestamp> parse_feed_time(std::string_view text);
// A MISP-style "name|name" compound value split at '|'.
std::pair<std::string_view, std::string_view> split_pipe(std::string_view value);

}  // namespace mimamori::intel::detail
