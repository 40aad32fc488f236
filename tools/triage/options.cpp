#include "triage/options.hpp"

namespace mimamori::triage {

cli::tool_description tool() {
  return {
      "triage",
      "triage [OPTIONS] [--store FILE] [--assets FILE] [--exceptions FILE] [FILE...]\n"
      "       triage list|show|set|exceptions|stats|timers|holidays --store FILE ...",
      "Turn alerts (NDJSON) into rated, explained incidents: group them per organization, host "
      "and rule family, suppress what the exception list names and repeats within the dedup "
      "window, compute the severity step by step, and keep the incidents in a SQLite store that "
      "the subcommands list, show and update. Records that are not alerts pass through.",
      "correlate --intel feeds.txt events.ndjson | triage --store incidents.db --assets assets.csv",
  };
}

void setup(CLI::App& app, options& o) {
  app.fallthrough();  // --store and such also after the subcommand
  app.require_subcommand(0, 1);
  app.add_option("inputs", o.inputs, "Alert files; none or - reads stdin")->type_name("FILE");
  const char* state = "State";
  app.add_option("--store", o.store,
                 "SQLite file with incidents, exceptions, dedup keys, timers and the checkpoint "
                 "(default: in memory, nothing kept)")
      ->type_name("FILE")
      ->group(state);
  app.add_flag("--resume", o.resume,
               "Skip the input records an earlier run on the same inputs consumed (the store's "
               "checkpoint)")
      ->group(state);
  app.add_option("--batch", o.batch, "Records per checkpoint (one transaction each)")
      ->type_name("N")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10'000'000}))
      ->group(state);

  const char* rating = "Rating";
  app.add_option("--assets", o.assets,
                 "Asset inventory, CSV or JSON: address, mac, hostname, owner, criticality, os, eol")
      ->type_name("FILE")
      ->group(rating);
  app.add_option("--exceptions", o.exception_files, "Exception list (YAML) added to the store")
      ->type_name("FILE")
      ->allow_extra_args(false)
      ->group(rating);
  app.add_option("--profile", o.profile, "Severity labels: mss (Emergency/Critical/Warning/"
                                         "Informational) or four (Critical/Serious/Medium/Information)")
      ->type_name("NAME")
      ->check(CLI::IsMember({"mss", "four"}))
      ->group(rating);
  app.add_option("--suppressed", o.suppressed,
                 "Write suppressed alerts (exception list, dedup) here instead of stdout")
      ->type_name("FILE")
      ->group(rating);
  app.add_option("--group-gap", o.group_gap,
                 "Alerts of one host and rule family join an incident while they come within this "
                 "span of its last alert (30m, 24h, 7d)")
      ->type_name("SPAN")
      ->group(rating);
  app.add_option("--dedup", o.dedup,
                 "Dedup rule FIELD[|ALT],FIELD...:WINDOW (repeatable; default "
                 "host.name|host.hostname|host.ip,file.hash.sha256|file.hash.sha1|file.hash.md5:72h)")
      ->type_name("RULE")
      ->allow_extra_args(false)
      ->group(rating);
  app.add_flag("--no-dedup", o.no_dedup, "No dedup rules at all")->group(rating);
  app.add_option("--tuning", o.tuning,
                 "Tuning period ORG:DAYS[:START]: the organization's incidents get status tuning "
                 "(START defaults to its first alert)")
      ->type_name("SPEC")
      ->allow_extra_args(false)
      ->group(rating);
  const char* calendar = "Business calendar (grey -> white timer)";
  app.add_option("--grey-days", o.grey_days, "Business days a grey verdict waits for a reply")
      ->check(CLI::Range(1, 365))
      ->group(calendar);
  app.add_option("--business-hours", o.business_hours, "Working hours, HH:MM-HH:MM")
      ->type_name("RANGE")
      ->group(calendar);
  app.add_option("--business-tz", o.business_tz, "UTC offset or zone of the working hours")
      ->type_name("ZONE")
      ->group(calendar);
  app.add_option("--day-off", o.days_off, "An extra day off, YYYY-MM-DD (repeatable)")
      ->type_name("DATE")
      ->allow_extra_args(false)
      ->group(calendar);
  app.add_flag("--no-jp-holidays", o.no_jp_holidays, "Do not skip Japanese public holidays")
      ->group(calendar);

  o.list_cmd = app.add_subcommand("list", "List incidents in the store");
  o.list_cmd->add_option("--org", o.org, "Only this organization");
  o.list_cmd->add_option("--status", o.status, "Only this status");
  o.list_cmd->add_option("--severity", o.severity, "Only this label, or a score at least N");
  o.list_cmd->add_option("--since", o.since, "Only incidents seen at or after TIME");
  o.list_cmd->add_flag("--json", o.json, "One JSON object a line");

  o.show_cmd = app.add_subcommand("show", "Show one incident, its reasons and history");
  o.show_cmd->add_option("id", o.id, "Incident id")->required();
  o.show_cmd->add_flag("--json", o.json, "The incident record (NDJSON) instead");

  o.set_cmd = app.add_subcommand("set", "Change an incident's status or verdict, or add a note");
  o.set_cmd->add_option("id", o.id, "Incident id")->required();
  o.set_cmd->add_option("--status", o.status, "new, notified, acknowledged, closed or tuning")
      ->check(CLI::IsMember({"new", "notified", "acknowledged", "closed", "tuning"}));
  o.set_cmd->add_option("--verdict", o.verdict, "black, grey or white")
      ->check(CLI::IsMember({"black", "grey", "white"}));
  o.set_cmd->add_option("--note", o.note, "A note for the history");
  o.set_cmd->add_option("--by", o.by, "Who (default: $USER)");

  o.exceptions_cmd = app.add_subcommand("exceptions", "Manage the exception list");
  o.exceptions_cmd->require_subcommand(1);
  o.exceptions_add = o.exceptions_cmd->add_subcommand("add", "Add an exception");
  auto* add = o.exceptions_add;
  add->add_option("--org", o.org, "Organization")->required();
  add->add_option("--hash", o.hash, "File hash (MD5, SHA-1, SHA-256)");
  add->add_option("--domain", o.domain, "Domain and its subdomains");
  add->add_option("--url", o.url, "URL prefix");
  add->add_option("--ip", o.ip, "Address or CIDR block");
  add->add_option("--host", o.host, "Host name");
  add->add_option("--user", o.user, "User name");
  add->add_option("--rule", o.rule, "Rule id or name");
  add->add_option("--match", o.match, "Field expression: FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT, joined by ' and '");
  add->add_option("--reason", o.reason, "Why")->required();
  add->add_option("--owner", o.owner, "Who is responsible")->required();
  add->add_option("--ticket", o.ticket, "Ticket reference");
  add->add_option("--expires", o.expires, "When it stops applying (event time)");
  o.exceptions_list = o.exceptions_cmd->add_subcommand("list", "List exceptions with their hits");
  o.exceptions_list->add_option("--org", o.org, "Only this organization");
  o.exceptions_list->add_flag("--json", o.json, "One JSON object a line");
  o.exceptions_rm = o.exceptions_cmd->add_subcommand("rm", "Remove an exception");
  o.exceptions_rm->add_option("id", o.exception_id, "Exception id")->required();

  o.stats_cmd = app.add_subcommand("stats", "Counts of a month: by type, severity, verdict; top hosts");
  o.stats_cmd->add_option("--org", o.org, "Organization")->required();
  o.stats_cmd->add_option("--month", o.month, "Month, YYYY-MM")->required();
  o.stats_cmd->add_flag("--json", o.json, "JSON instead of text");

  o.timers_cmd = app.add_subcommand(
      "timers", "Turn grey verdicts past their due time white (at --now, default the clock); "
                "print the incidents changed");

  o.holidays_cmd = app.add_subcommand("holidays", "List the Japanese public holidays of a year");
  o.holidays_cmd->add_option("year", o.year, "Year")->required()->check(CLI::Range(1949, 2099));
}

}  // namespace mimamori::triage
