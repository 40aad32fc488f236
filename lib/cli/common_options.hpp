// common_options: the flags that mean the same in every tool, declared once.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "ndjson/writer.hpp"

namespace mimamori::cli {

struct common_options {
  std::string config_file;   // --config FILE (YAML)
  bool print_config = false; // --print-config: each value and its origin
  bool strict = false;       // --strict: stop at the first bad record (exit 3)
  std::string dead_letter;   // --dead-letter FILE: rejected records go there
  bool line_buffered = false;
  std::string now;           // --now TIME: pin "now" (RFC 3339, epoch, ...)
  bool quiet = false;        // -q: no summary line
  int verbose = 0;           // -v, -vv

  [[nodiscard]] ndjson::buffering output_buffering() const {
    return line_buffered ? ndjson::buffering::line : ndjson::buffering::automatic;
  }
};

void add_common_options(CLI::App& app, common_options& options);

}  // namespace mimamori::cli
