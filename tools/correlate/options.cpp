#include "correlate/options.hpp"

#include <cstdlib>

namespace mimamori::correlate {

cli::tool_description tool() {
  return {
      "correlate",
      "correlate [OPTIONS] [--rules PATH]... [FILE...]\n       correlate --check [OPTIONS] RULES...",
      "Match ECS events (NDJSON) against Sigma rules and add an `event.kind: alert` record "
      "after each event a rule matches; events pass through unchanged. --check loads rules "
      "and reports which are unsupported and why.",
      "lognorm winlog.ndjson | correlate --rules sigma/rules/windows --alerts-only",
  };
}

std::string shipped_rules_dir() {
  if (const char* dir = std::getenv("MIMAMORI_RULES_DIR"); dir != nullptr && *dir != '\0') return dir;
  return MIMAMORI_RULES_DIR;
}

void setup(CLI::App& app, options& o) {
  app.add_option("inputs", o.inputs,
                 "Event files; none or - reads stdin (with --check: rule files and directories)")
      ->type_name("FILE");
  const char* group = "Detection";
  app.add_option("--rules", o.rules,
                 "Sigma or analytics rule file or directory (repeatable; default: the rules "
                 "shipped in " +
                     shipped_rules_dir() + "/sigma and /analytics)")
      ->type_name("PATH")
      ->allow_extra_args(false)
      ->group(group);
  app.add_option("--mapping", o.mappings,
                 "Field and logsource mapping (YAML) applied over the shipped " +
                     shipped_rules_dir() + "/mappings/ecs.yml (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false)
      ->group(group);
  app.add_option("--intel", o.intel,
                 "Threat-intelligence feed: plain list, abuse.ch CSV, MISP JSON or feed "
                 "directory, STIX 2.1 bundle, MISP warninglist; format detected, or forced "
                 "as TYPE:FILE (repeatable)")
      ->type_name("FEED")
      ->allow_extra_args(false)  // one feed per --intel: FILE arguments stay inputs
      ->group(group);
  app.add_flag("--retro", o.retro,
               "Retro-hunt: mark intel alerts mimamori.retro: true (for archived events)")
      ->group(group);
  app.add_flag("--alerts-only", o.alerts_only, "Write only the alerts, not the events")
      ->group(group);
  app.add_flag("--check", o.check,
               "Load the rules, print how many load and which are unsupported (by reason), exit")
      ->group(group);
  const char* windows = "Correlation windows";
  app.add_option("--lateness", o.lateness,
                 "How far behind the latest @timestamp seen an event may arrive and still "
                 "count in correlation windows (30s, 5m, 2h, 1d; default 5m)")
      ->type_name("DURATION")
      ->group(windows);
  app.add_option("--evidence", o.evidence,
                 "Originals of the first N contributing events kept in a correlation alert "
                 "(default 5)")
      ->type_name("N")
      ->group(windows);
  app.add_option("--state", o.state,
                 "Keep open windows in FILE: saved on SIGTERM/SIGINT, every --state-interval and "
                 "at exit, restored at start; a restart on the same input files skips the lines "
                 "already done")
      ->type_name("FILE")
      ->group(windows);
  app.add_option("--state-interval", o.state_interval,
                 "How often --state is saved while running (wall clock; default 60s)")
      ->type_name("DURATION")
      ->group(windows);
  app.add_option("--max-state", o.max_state,
                 "Most open correlation groups; the least recently fed are evicted and counted "
                 "(0: no bound; default 1000000)")
      ->type_name("N")
      ->group(windows);
}

}  // namespace mimamori::correlate
