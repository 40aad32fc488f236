// options: lognorm's command line.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "cli/main.hpp"

namespace mimamori::lognorm {

struct options {
  cli::common_options common;
  std::vector<std::string> inputs;  // files; none or "-" is stdin (with --explain: lines)
  std::string organization = "default";
  std::string format;  // a parser name: skip detection
  std::vector<std::string> rules;  // user rulebases (YAML), tried before the built-ins
  std::string tz = "UTC";
  bool stats = false;
  bool explain = false;
  bool list_formats = false;
};

[[nodiscard]] cli::tool_description tool();
void setup(CLI::App& app, options& o);

}  // namespace mimamori::lognorm
