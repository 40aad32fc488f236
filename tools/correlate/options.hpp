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
  // Correlation windows (sigma/correlation.hpp) and their state (state.hpp).
  std::string lateness = "5m";        // --lateness DURATION: allowed out-of-order time
  std::size_t evidence = 5;           // --evidence N: originals kept per correlation alert
  std::string state;                  // --state FILE: open windows across restarts
  std::string state_interval = "60s"; // --state-interval DURATION (wall clock)
  std::size_t max_state = 1'000'000;  // --max-state N: open groups; 0: no bound
};

[[nodiscard]] cli::tool_description tool();
void setup(CLI::App& app, options& o);

// Where the rules and the mapping that ship with mimamori are.
[[nodiscard]] std::string shipped_rules_dir();

}  // namespace mimamori::correlate
