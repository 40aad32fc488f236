// options: triage's command line (stream mode and the analyst commands).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "cli/main.hpp"

namespace mimamori::triage {

struct options {
  cli::common_options common;
  std::vector<std::string> inputs;  // alert files; none or - is stdin
  std::string store;                // --store FILE (SQLite); none: in memory
  std::string assets;               // --assets FILE (CSV or JSON)
  std::vector<std::string> exception_files;  // --exceptions FILE (YAML)
  std::string profile = "mss";
  std::string suppressed;           // --suppressed FILE
  std::string group_gap = "24h";
  std::vector<std::string> dedup;   // --dedup KEYS:WINDOW
  bool no_dedup = false;
  std::vector<std::string> tuning;  // --tuning ORG:DAYS[:START]
  std::string business_hours = "09:00-18:00";
  std::string business_tz = "+09:00";
  std::vector<std::string> days_off;  // --day-off DATE
  bool no_jp_holidays = false;
  int grey_days = 3;
  bool resume = false;
  std::uint64_t batch = 65536;

  // Subcommands.
  CLI::App* list_cmd = nullptr;
  CLI::App* show_cmd = nullptr;
  CLI::App* set_cmd = nullptr;
  CLI::App* exceptions_cmd = nullptr;
  CLI::App* exceptions_add = nullptr;
  CLI::App* exceptions_list = nullptr;
  CLI::App* exceptions_rm = nullptr;
  CLI::App* stats_cmd = nullptr;
  CLI::App* timers_cmd = nullptr;
  CLI::App* holidays_cmd = nullptr;
  std::string org;
  std::string status;
  std::string severity;
  std::string since;
  std::string id;
  bool json = false;
  std::string verdict;
  std::string note;
  std::string by;
  std::string hash, domain, url, ip, host, user, rule, match;
  std::string reason, owner, ticket, expires;
  std::int64_t exception_id = 0;
  std::string month;
  int year = 0;
};

[[nodiscard]] cli::tool_description tool();
void setup(CLI::App& app, options& o);

}  // namespace mimamori::triage
