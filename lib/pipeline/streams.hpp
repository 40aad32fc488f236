// streams: the inputs of a tool, line by line or record by record.
//
// A tool names its inputs as positional arguments (none or "-" is stdin);
// line_stream reads them one after the other (compressed or not), stops on
// SIGTERM/SIGINT, and reports an input that cannot be opened or breaks off
// (`tool: file: reason`) before going on with the next. record_stream parses
// each line as a JSON object and sends the lines that are not to the dead
// letter, so a tool's loop only sees good records:
//
//   pipeline::record_stream records(inputs, io, dead_letters, options.common.strict);
//   while (records.next()) use(records.record());
//   return records.finish();
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/io.hpp"
#include "event/record.hpp"
#include "ndjson/reader.hpp"
#include "pipeline/dead_letter.hpp"

namespace mimamori::pipeline {

class line_stream {
 public:
  line_stream(std::vector<std::string> inputs, const cli::io& io, std::string tool);

  // The next line of any input; false when all are read or a stop was asked.
  bool next();
  [[nodiscard]] const ndjson::line& line() const { return line_; }

  [[nodiscard]] std::uint64_t lines() const { return lines_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
  // An input could not be opened or read to its end.
  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] bool stopped() const { return stopped_; }
  // A stop without a signal: --strict met a bad record.
  void stop() { stopped_ = true; }
  // Called when an input is about to wait for more data (ndjson::input::on_idle).
  void on_idle(std::function<void()> idle) { idle_ = std::move(idle); }

 private:
  bool open_next();

  std::vector<std::string> inputs_;
  std::size_t next_input_ = 0;
  const cli::io& io_;
  std::string tool_;
  std::unique_ptr<ndjson::line_reader> reader_;
  std::function<void()> idle_;
  ndjson::line line_;
  std::uint64_t lines_ = 0;
  std::uint64_t bytes_ = 0;
  bool failed_ = false;
  bool stopped_ = false;
};

class record_stream {
 public:
  record_stream(std::vector<std::string> inputs, const cli::io& io, dead_letter& rejects,
                bool strict, std::string tool);

  // The next good record; blank lines are skipped, bad ones rejected.
  bool next();
  [[nodiscard]] const event::record& record() const { return parser_.current(); }
  [[nodiscard]] const ndjson::line& line() const { return lines_.line(); }

  [[nodiscard]] std::uint64_t read() const { return lines_.lines(); }
  [[nodiscard]] std::uint64_t bytes() const { return lines_.bytes(); }
  [[nodiscard]] std::uint64_t blank() const { return blank_; }
  [[nodiscard]] bool strict_stop() const { return strict_stop_; }
  [[nodiscard]] line_stream& lines() { return lines_; }

 private:
  line_stream lines_;
  event::parser parser_;
  dead_letter& rejects_;
  bool strict_;
  bool strict_stop_ = false;
  std::uint64_t blank_ = 0;
};

// What a tool prints at exit (unless -q): one line on stderr.
//   lognorm: read 1200 lines, wrote 1198 records, rejected 2 (to bad.ndjson)
struct run_summary {
  std::uint64_t read = 0;
  std::uint64_t written = 0;
  std::uint64_t rejected = 0;
  std::string rejected_to;
  std::string extra;  // tool-specific figures, appended after a semicolon
};
void print_summary(const cli::io& io, const std::string& tool, const run_summary& summary);

// The exit status of a stream tool from how its run ended: a failed output,
// a failed input, --strict stopping at a bad record, or success (main adds
// 128+N after a signal).
int finish_status(bool output_ok, bool input_failed, bool strict_stop);

}  // namespace mimamori::pipeline
