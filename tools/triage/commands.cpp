// The analyst commands: list, show, set, exceptions add|list|rm, stats, timers, holidays.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/main.hpp"
#include "incident/calendar.hpp"
#include "incident/store.hpp"
#include "ndjson/writer.hpp"
#include "time/format.hpp"
#include "time/parse_any.hpp"
#include "time/zone.hpp"
#include "triage/triage.hpp"

namespace mimamori::triage {

namespace {

std::string text_time(time::timestamp t) { return time::format_utc_ms(t); }

std::string pad(std::string s, std::size_t width) {
  // Width in characters, counting a UTF-8 sequence as one.
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  if (chars < width) s.append(width - chars, ' ');
  return s;
}

std::string cut(const std::string& s, std::size_t max) {
  return s.size() <= max ? s : s.substr(0, max - 3) + "...";
}

time::timestamp parse_time_flag(const std::string& flag, const std::string& text, const cli::io& io) {
  auto t = time::parse_any(text, io.clock.now(), time::zone::utc());
  if (!t) throw cli::usage_error(flag + ": cannot read '" + text + "' as a time");
  return *t;
}

incident::store open_store(const options& o) {
  if (o.store.empty()) throw cli::usage_error("--store FILE is needed for this command");
  return incident::store(o.store);
}

class output {
 public:
  explicit output(const cli::io& io) : out_(io.out, "<stdout>", ndjson::buffering::block), io_(io) {}
  void line(std::string_view s) { out_.write(s); }
  int finish() {
    if (out_.close()) return cli::success;
    if (out_.status() == ndjson::write_status::broken_pipe) return cli::signal_base + SIGPIPE;
    cli::print_line(io_.err, "triage: " + out_.message());
    return cli::failure;
  }

 private:
  ndjson::line_writer out_;
  const cli::io& io_;
};

int list(const options& o, const cli::io& io) {
  incident::store store = open_store(o);
  incident::list_filter f;
  f.org = o.org;
  f.status = o.status;
  f.severity = o.severity;
  if (!o.since.empty()) f.since = parse_time_flag("--since", o.since, io);
  output out(io);
  if (!o.json) {
    out.line(pad("INCIDENT", 22) + pad("ORG", 10) + pad("SEVERITY", 18) + pad("STATUS", 13) +
             pad("VERDICT", 8) + pad("HOST", 18) + pad("ALERTS", 7) + pad("LAST SEEN", 25) + "TITLE");
  }
  for (const incident::incident_row& r : store.list(f)) {
    if (o.json) {
      nlohmann::json j = {{"id", r.id},         {"organization", r.org}, {"severity", r.label},
                          {"score", r.score},    {"status", r.status},    {"verdict", r.verdict},
                          {"family", r.family},  {"host", r.entity},      {"alert_count", r.alert_count},
                          {"suppressed_count", r.suppressed_count},
                          {"first_seen", text_time(r.first_seen)},
                          {"last_seen", text_time(r.last_seen)}, {"title", r.title},
                          {"recommended", r.block}};
      out.line(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
      out.line(pad(r.id, 22) + pad(r.org, 10) + pad(r.label + " " + std::to_string(r.score), 18) +
               pad(r.status, 13) + pad(r.verdict.empty() ? "-" : r.verdict, 8) +
               pad(cut(r.entity, 17), 18) + pad(std::to_string(r.alert_count), 7) +
               pad(text_time(r.last_seen), 25) + r.title);
    }
  }
  return out.finish();
}

std::string joined(const std::vector<std::string>& list) {
  if (list.empty()) return "-";
  std::string s;
  for (const std::string& x : list) s += (s.empty() ? "" : ", ") + x;
  return s;
}

int show(const options& o, const cli::io& io) {
  incident::store store = open_store(o);
  auto found = store.get(o.id);
  if (!found) throw std::runtime_error(o.id + ": no such incident in " + o.store);
  const incident::incident& i = *found;
  output out(io);
  const std::string profile = store.profile();
  if (o.json) {
    std::string record;
    incident::write_record(record, i, {profile, false});
    out.line(record);
    return out.finish();
  }
  out.line(i.id + "  " + i.title());
  out.line("  organization  " + i.org);
  out.line("  severity      " + i.label + " (" + std::to_string(i.score) + "/100, profile " + profile + ")");
  out.line("  status        " + i.status + (i.verdict.empty() ? "" : "   verdict " + i.verdict));
  out.line("  seen          " + text_time(i.first_seen) + " .. " + text_time(i.last_seen));
  out.line("  alerts        " + std::to_string(i.alert_count) + " (suppressed repeats " +
           std::to_string(i.suppressed_count) + ")");
  out.line("  hosts         " + joined(i.hosts));
  out.line("  users         " + joined(i.users));
  out.line("  rules         " + joined(i.rules));
  out.line("  indicators    " + joined(i.indicators));
  out.line("  tactics       " + joined(i.tactics) + (i.stage().empty() ? "" : "  (stage " + i.stage() + ")"));
  out.line("  what (en)     " + i.summary("en"));
  out.line("  what (ja)     " + i.summary("ja"));
  out.line("  why this severity:");
  for (const incident::reason& r : i.reasons) {
    std::string delta = std::to_string(r.delta);
    if (r.step != "rule" && r.delta >= 0) delta = "+" + delta;
    out.line("    " + pad(delta, 5) + pad(r.step, 15) + r.text);
  }
  out.line("  recommended:");
  out.line("    block domains     " + joined(i.recommended.block_domains));
  out.line("    block URLs        " + joined(i.recommended.block_urls));
  out.line("    block addresses   " + joined(i.recommended.block_ips));
  out.line("    block signatures  " + joined(i.recommended.block_signatures));
  out.line("    isolate hosts     " + joined(i.recommended.isolate_hosts));
  out.line("  evidence:");
  for (const std::string& e : i.evidence) out.line("    " + cut(e, 200));
  const auto history = store.history(i.id);
  if (!history.empty()) {
    out.line("  history:");
    for (const incident::history_entry& h : history) {
      std::string what = h.field == "note" ? "note: " + h.note
                                           : h.field + " " + (h.old_value.empty() ? "-" : h.old_value) +
                                                 " -> " + h.new_value + (h.note.empty() ? "" : " (" + h.note + ")");
      out.line("    " + text_time(h.at) + "  " + pad(h.by, 12) + what);
    }
  }
  return out.finish();
}

int set(const options& o, const cli::io& io) {
  if (o.status.empty() && o.verdict.empty() && o.note.empty()) {
    throw cli::usage_error("set: name --status, --verdict or --note");
  }
  std::string by = o.by;
  if (by.empty()) {
    const char* user = std::getenv("USER");
    by = user != nullptr && *user != '\0' ? user : "analyst";
  }
  incident::store store = open_store(o);
  const time::timestamp now = io.clock.now();
  if (!o.status.empty()) store.set(o.id, "status", o.status, by, now);
  if (!o.verdict.empty()) store.set(o.id, "verdict", o.verdict, by, now);
  if (!o.note.empty()) store.set(o.id, "note", o.note, by, now);
  return cli::success;
}

int exceptions_add(const options& o, const cli::io& io) {
  incident::exception_entry e;
  int kinds = 0;
  for (auto [kind, value] : {std::pair{incident::exception_kind::hash, &o.hash},
                             std::pair{incident::exception_kind::domain, &o.domain},
                             std::pair{incident::exception_kind::url, &o.url},
                             std::pair{incident::exception_kind::ip, &o.ip},
                             std::pair{incident::exception_kind::host, &o.host},
                             std::pair{incident::exception_kind::user, &o.user},
                             std::pair{incident::exception_kind::rule, &o.rule},
                             std::pair{incident::exception_kind::match, &o.match}}) {
    if (value->empty()) continue;
    ++kinds;
    e.kind = kind;
    e.value = *value;
  }
  if (kinds != 1) {
    throw cli::usage_error(
        "exceptions add: name exactly one of --hash, --domain, --url, --ip, --host, --user, --rule, --match");
  }
  if (std::string why = incident::validate(e.kind, e.value); !why.empty()) {
    throw cli::usage_error("exceptions add: --" + std::string(incident::kind_name(e.kind)) + ": " + why);
  }
  e.org = o.org;
  e.owner = o.owner;
  e.reason = o.reason;
  e.ticket = o.ticket;
  e.created = io.clock.now();
  if (!o.expires.empty()) e.expires = parse_time_flag("--expires", o.expires, io);
  incident::store store = open_store(o);
  const std::int64_t id = store.add_exception(e);
  output out(io);
  out.line(std::to_string(id));
  return out.finish();
}

int exceptions_list(const options& o, const cli::io& io) {
  incident::store store = open_store(o);
  output out(io);
  if (!o.json) {
    out.line(pad("ID", 5) + pad("ORG", 10) + pad("KIND", 7) + pad("VALUE", 32) + pad("HITS", 7) +
             pad("OWNER", 10) + pad("TICKET", 16) + pad("EXPIRES", 25) + "REASON");
  }
  for (const incident::exception_entry& e : store.exceptions(o.org)) {
    if (o.json) {
      nlohmann::json j = {{"id", e.id},         {"organization", e.org},
                          {"kind", incident::kind_name(e.kind)}, {"value", e.value},
                          {"owner", e.owner},   {"reason", e.reason},
                          {"ticket", e.ticket}, {"created", text_time(e.created)},
                          {"hits", e.hits}};
      if (e.expires) j["expires"] = text_time(*e.expires);
      out.line(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
      out.line(pad(std::to_string(e.id), 5) + pad(e.org, 10) + pad(std::string(incident::kind_name(e.kind)), 7) +
               pad(cut(e.value, 31), 32) + pad(std::to_string(e.hits), 7) + pad(e.owner, 10) +
               pad(e.ticket.empty() ? "-" : e.ticket, 16) +
               pad(e.expires ? text_time(*e.expires) : "-", 25) + e.reason);
    }
  }
  return out.finish();
}

int exceptions_rm(const options& o, const cli::io&) {
  incident::store store = open_store(o);
  if (!store.remove_exception(o.exception_id)) {
    throw std::runtime_error("exception " + std::to_string(o.exception_id) + ": no such exception in " + o.store);
  }
  return cli::success;
}

int stats(const options& o, const cli::io& io) {
  if (o.month.size() != 7 || o.month[4] != '-') {
    throw cli::usage_error("--month: '" + o.month + "' is not YYYY-MM");
  }
  auto start = time::parse_any(o.month + "-01", time::timestamp{}, time::zone::utc());
  if (!start) throw cli::usage_error("--month: '" + o.month + "' is not YYYY-MM");
  const time::civil_time c = time::civil_from_utc(*start);
  const int next_year = c.month == 12 ? c.year + 1 : c.year;
  const unsigned next_month = c.month == 12 ? 1 : c.month + 1;
  const time::timestamp end = *time::utc_from_civil({next_year, next_month, 1, 0, 0, 0, 0});
  incident::store store = open_store(o);
  incident::list_filter f;
  f.org = o.org;
  f.since = *start;  // seen during the month: last seen after its start ...
  f.until = end;     // ... and first seen before its end
  std::map<std::string, std::uint64_t> by_type, by_severity, by_verdict, by_status;
  std::map<std::string, std::uint64_t> hosts;
  std::uint64_t incidents = 0;
  std::uint64_t alerts = 0;
  std::uint64_t suppressed = 0;
  for (const incident::incident_row& r : store.list(f)) {
    ++incidents;
    alerts += r.alert_count;
    suppressed += r.suppressed_count;
    ++by_type[r.family];
    ++by_severity[r.label];
    ++by_verdict[r.verdict.empty() ? "none" : r.verdict];
    ++by_status[r.status];
    ++hosts[r.entity];
  }
  std::uint64_t exception_hits = 0;
  for (const auto& e : store.exceptions(o.org)) exception_hits += e.hits;
  std::vector<std::pair<std::string, std::uint64_t>> top(hosts.begin(), hosts.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (top.size() > 10) top.resize(10);
  output out(io);
  if (o.json) {
    nlohmann::json j = {{"organization", o.org},  {"month", o.month},
                        {"incidents", incidents}, {"alerts", alerts},
                        {"suppressed_repeats", suppressed}, {"exception_hits", exception_hits},
                        {"by_type", by_type},     {"by_severity", by_severity},
                        {"by_verdict", by_verdict}, {"by_status", by_status}};
    nlohmann::json t = nlohmann::json::array();
    for (const auto& [h, n] : top) t.push_back({{"host", h}, {"incidents", n}});
    j["top_hosts"] = t;
    out.line(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return out.finish();
  }
  out.line(o.org + " " + o.month + ": " + std::to_string(incidents) + " incidents from " +
           std::to_string(alerts) + " alerts (" + std::to_string(suppressed) +
           " repeats suppressed; exception hits so far " + std::to_string(exception_hits) + ")");
  auto section = [&out](const std::string& title, const std::map<std::string, std::uint64_t>& m) {
    out.line(title + ":");
    for (const auto& [k, n] : m) out.line("  " + pad(k, 24) + std::to_string(n));
  };
  section("by type", by_type);
  section("by severity", by_severity);
  section("by verdict", by_verdict);
  section("by status", by_status);
  out.line("top hosts:");
  for (const auto& [h, n] : top) out.line("  " + pad(h, 24) + std::to_string(n));
  return out.finish();
}

// Fires the grey -> white timers due at --now (default: the wall clock) and
// writes the incidents it changed, as stream mode would; for cron, or a
// pipeline whose input has gone quiet. The records are written before the
// store is saved: a crash in between fires them again, nothing is lost.
int timers(const options& o, cli::io& io) {
  if (o.store.empty()) throw cli::usage_error("--store FILE is needed for this command");
  incident::store store(o.store);
  incident::engine_options options = engine_options_from(o);
  // The labels of the incidents in the store: the profile the stream used.
  if (auto p = incident::find_profile(store.profile())) options.profile = *p;
  incident::engine engine(std::move(options));
  store.load(engine);
  const time::timestamp now = io.clock.now();
  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  const std::uint64_t fired = engine.run_timers(now, out.buffer());
  out.end_block(fired);
  const bool output_ok = out.close();
  if (!output_ok) {
    if (out.status() == ndjson::write_status::broken_pipe) return cli::signal_base + SIGPIPE;
    cli::print_line(io.err, "triage: " + out.message());
    return cli::failure;
  }
  std::vector<std::string> changed;
  for (const incident::incident* i : engine.state().dirty) changed.push_back(i->id);
  store.save(engine, nullptr, 0, store.profile(), changed);
  if (!o.common.quiet) {
    cli::print_line(io.err, "triage: timers at " + text_time(now) + ": " + std::to_string(fired) +
                                (fired == 1 ? " grey verdict" : " grey verdicts") + " turned white" +
                                (engine.next_timer() == time::timestamp::max()
                                     ? std::string(", none running")
                                     : ", next due " + text_time(engine.next_timer())));
  }
  return cli::success;
}

int holidays(const options& o, const cli::io& io) {
  output out(io);
  for (unsigned m = 1; m <= 12; ++m) {
    for (unsigned d = 1; d <= time::days_in_month(o.year, m); ++d) {
      std::string_view name = incident::jp_holiday(o.year, m, d);
      if (name.empty()) continue;
      char date[11];
      std::snprintf(date, sizeof date, "%04d-%02u-%02u", o.year, m, d);
      out.line(std::string(date) + " " + std::string(name));
    }
  }
  return out.finish();
}

}  // namespace

int run_command(options& o, cli::io& io) {
  if (o.list_cmd->parsed()) return list(o, io);
  if (o.show_cmd->parsed()) return show(o, io);
  if (o.set_cmd->parsed()) return set(o, io);
  if (o.exceptions_add->parsed()) return exceptions_add(o, io);
  if (o.exceptions_list->parsed()) return exceptions_list(o, io);
  if (o.exceptions_rm->parsed()) return exceptions_rm(o, io);
  if (o.stats_cmd->parsed()) return stats(o, io);
  if (o.timers_cmd->parsed()) return timers(o, io);
  if (o.holidays_cmd->parsed()) return holidays(o, io);
  throw cli::usage_error("unknown command");
}

}  // namespace mimamori::triage
