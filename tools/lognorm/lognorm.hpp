// lognorm: raw log lines in, ECS events out.
//
// normalizer turns one input line into one output record: a logcollect raw
// record (its event.original is parsed, its other fields kept, its
// @timestamp used as the receive time), a record already normalised (passed
// through unchanged), or a plain log line. The envelope is read by
// syslog::parse_header, the payload by the first parser that recognises it
// (or the one --format names): the user rules of --rules first, in order,
// then the built-in parsers. Unrecognised lines still go out, with the
// envelope fields and tags ["unparsed"]; a line that breaks its parser goes
// to the dead letter.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/io.hpp"
#include "event/patch.hpp"
#include "event/record.hpp"
#include "lognorm/options.hpp"
#include "ndjson/reader.hpp"
#include "parsers/fields.hpp"
#include "parsers/parser.hpp"
#include "parsers/rulebase.hpp"
#include "parsers/stream_state.hpp"
#include "pipeline/dead_letter.hpp"
#include "syslog/header.hpp"
#include "time/zone.hpp"

namespace mimamori::lognorm {

struct normalizer_settings {
  std::string organization = "default";
  const parsers::parser* format = nullptr;  // forced parser, or detection
  // User rules (--rules): tried in order before the built-in parsers; the
  // first that takes a line wins.
  std::shared_ptr<const parsers::rulebase> rules;
  time::zone tz;
};

class normalizer {
 public:
  enum class result { event, unparsed, passed, rejected, blank };

  explicit normalizer(normalizer_settings settings);

  // Appends the output record for `line` to `out` (without a newline) or
  // rejects it. `line` must be readable SIMDJSON_PADDING bytes past its end
  // (ndjson::line_reader lines are); explain() copies.
  result process(std::string_view line, const ndjson::position& where, time::timestamp now,
                 std::string& out, pipeline::dead_letter* rejects);

  // The parser of the last event (nullptr for unparsed and passed lines).
  [[nodiscard]] const parsers::parser* last_parser() const { return last_; }
  [[nodiscard]] const parsers::fields& last_fields() const { return fields_; }
  [[nodiscard]] std::string_view last_reason() const { return reason_; }
  // The event.dataset of the last event.
  [[nodiscard]] std::string_view last_dataset() const { return fields_.get("event.dataset"); }
  // For --explain: the user rules tried on the last line that did not take
  // it, and why.
  struct near_miss {
    const parsers::parser* rule;
    std::string why;
  };
  void trace_rules(bool on) { trace_ = on; }
  [[nodiscard]] const std::vector<near_miss>& near_misses() const { return misses_; }

 private:
  result normalize(std::string_view original, time::timestamp received,
                   std::string_view organization, const ndjson::position& where,
                   pipeline::dead_letter* rejects, std::string_view whole_line);
  // The state of one input: the file being read, and within a stream of
  // logcollect records the file each came from (log.file.path).
  parsers::stream_state& stream_of(std::string_view input, std::string_view source);
  void add_envelope(std::string_view organization, time::timestamp received, bool raw_text);

  normalizer_settings settings_;
  event::parser json_;
  event::patch patch_;
  parsers::fields fields_;
  syslog::header header_;
  std::string scratch_;
  char stamp_[32] = {};
  char pid_[24] = {};
  const parsers::parser* last_ = nullptr;
  std::string_view reason_;
  // Per-input parser state (Zeek TSV headers), keyed by input and source;
  // the last one used is checked first.
  std::vector<std::pair<std::string, parsers::stream_state>> streams_;
  std::size_t stream_ = 0;
  parsers::stream_state* current_ = nullptr;
  bool trace_ = false;
  std::vector<near_miss> misses_;
};

int run(options& o, cli::io& io);

}  // namespace mimamori::lognorm
