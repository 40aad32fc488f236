#include "lognorm/options.hpp"

namespace mimamori::lognorm {

cli::tool_description tool() {
  return {
      "lognorm",
      "lognorm [OPTIONS] [FILE...]\n       lognorm --explain [OPTIONS] LINE...",
      "Turn raw log lines (plain text or logcollect's raw records) into ECS events (NDJSON): "
      "syslog envelopes, Cisco ASA/FTD, FortiGate, Linux auth, Squid, Apache/Nginx, "
      "iptables, pfSense, Suricata EVE and CEF; --list-formats names them all; --rules adds "
      "user formats from a YAML rulebase.",
      "logcollect --org acme /var/log/fw.log | lognorm --tz Asia/Tokyo --stats",
  };
}

void setup(CLI::App& app, options& o) {
  app.add_option("inputs", o.inputs, "Files to read; none or - reads stdin (LINEs with --explain)")
      ->type_name("FILE");
  const char* group = "Parsing";
  app.add_option("--org", o.organization,
                 "The customer of lines that do not name one (organization.id)")
      ->type_name("ID")
      ->capture_default_str()
      ->group(group);
  app.add_option("--format", o.format, "Parse every line with this parser (see --list-formats)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--rules", o.rules,
                 "A rulebase of user formats (YAML); repeatable; its rules are tried first")
      ->type_name("FILE")
      ->allow_extra_args(false)
      ->group(group);
  app.add_option("--tz", o.tz, "The devices' time zone for stamps without an offset")
      ->type_name("ZONE")
      ->capture_default_str()
      ->group(group);
  app.add_flag("--stats", o.stats, "Print per-dataset counts on stderr at exit")->group(group);
  app.add_flag("--explain", o.explain,
               "Show, for each LINE argument, which parser matched and the fields it set")
      ->group(group);
  app.add_flag("--list-formats", o.list_formats, "List the parsers and their datasets")
      ->group(group);
}

}  // namespace mimamori::lognorm
