// options: correlate's command line.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "cli/main.hpp"

namespace mimamori::correlate {

struct options {
  cli::common_options common;
  std::vector<std::string> inputs;    // event files; with --check: rule files and directories
  std::vector<std::string> rules;     // --rules PATH (files or directories); default: shipped rules
  std::vector<std::string> mappings;  // --mapping FILE, on top of the shipped mapping
  bool alerts_only = false;
  bool check = false;
  // Threat-intelligence feeds (--intel [TYPE:]FEED), matched by lib/intel
  // beside lib/sigma in the same per-event loop (correlate.cpp, `detect`).
  std::vector<std::string> intel;
  bool retro = false;  // --retro: intel alerts are marked mimamori.retro: true
};

[[nodiscard]] cli::tool_description tool();
void setup(CLI::App& app, options& o);

// Where the rules and the mapping that ship with mimamori are.
[[nodiscard]] std::string shipped_rules_dir();

}  // namespace mimamori::correlate
