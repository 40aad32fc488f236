// dead_letter: where records that cannot be processed go, whole.
//
// A rejected line becomes an `event.kind: pipeline_error` record carrying
// the line itself (`event.original`; when it is not UTF-8, invalid bytes are
// replaced and the exact bytes kept in `mimamori.original_base64`), the tool,
// the reason (`error.type`, `error.message`) and the input position
// (`log.file.path`, `log.offset`, `mimamori.input.line`). It goes into the
// output stream, or with --dead-letter FILE into that file. Each reject is
// reported on stderr as `tool: file:line: reason` (the first few; the rest
// are counted in the summary) and counted. Nothing is dropped without a trace.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cli/io.hpp"
#include "ndjson/reader.hpp"
#include "ndjson/writer.hpp"

namespace mimamori::pipeline {

class dead_letter {
 public:
  // Rejected records go to `out` unless `file` names a dead-letter file.
  dead_letter(std::string tool, ndjson::line_writer& out, const std::string& file,
              const cli::io& io, int verbose = 0);

  void reject(std::string_view original, const ndjson::position& where, std::string_view type,
              std::string_view message);

  // Adds pipeline_error records already written ("\n"-terminated lines) by
  // someone else, such as a logcollect source thread.
  void add(std::string_view records, std::uint64_t count);

  [[nodiscard]] std::uint64_t count() const { return count_; }
  // "as pipeline_error records" or "to FILE".
  [[nodiscard]] std::string destination() const;
  // Flushes the dead-letter file; false (with message()) if writing failed.
  bool close();
  [[nodiscard]] std::string message() const;

 private:
  std::string tool_;
  ndjson::line_writer* out_;
  std::unique_ptr<ndjson::line_writer> file_;
  const cli::io& io_;
  int verbose_;
  std::uint64_t count_ = 0;
};

// Appends a pipeline_error record (without the newline) to out.
void write_pipeline_error(std::string& out, std::string_view tool, std::string_view original,
                          const ndjson::position& where, std::string_view type,
                          std::string_view message, std::string_view timestamp);

}  // namespace mimamori::pipeline
