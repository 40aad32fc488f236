// engine: alerts in, rated incidents out (the logic of triage).
//
// For each alert, in order:
//   1. the organization's exception list: a match suppresses the alert
//      (counted on the entry, written as a `mimamori.suppressed` record);
//   2. dedup: the same key (default: file hash on the same host) seen within
//      the window after the last *reported* alert is a repeat: suppressed and
//      counted on the incident, not reported again;
//   3. grouping: organization + affected host (or address, or user) + rule
//      family, while alerts keep coming within `group_gap` of the last one;
//      a closed incident is never reopened;
//   4. the incident's facts are updated, the score recomputed with its
//      reasons (severity.hpp), the verdict, deadline and recommended actions
//      derived.
// A new incident, or one whose label, verdict, status, hosts, users,
// indicators or recommendations changed, is written at once; one whose
// counts alone changed is written by flush() (at each checkpoint).
//
// Evidence of success often lives in the event that raised the alert
// rather than in the alert: correlate writes each event before its alerts,
// so the engine remembers the last event it passed through (and failed
// logins per host and source address) and reads an alert's outcome from
// the event with the same event.original (event_context).
//
// Grey verdicts turn white when the event-time watermark (the latest alert
// time seen) passes their due time: process() fires such timers before it
// applies the alert that moved the watermark; run_timers() fires them at a
// given time (`triage timers`, the end of a run with --now).
//
// Everything that must survive a restart, the event context and the
// watermark included, is reachable through state(): the store (store.hpp)
// loads it at start and saves what changed at each checkpoint, so a
// resumed run gives the same incidents as an uninterrupted one.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "event/record.hpp"
#include "incident/assets.hpp"
#include "incident/calendar.hpp"
#include "incident/exception_list.hpp"
#include "incident/incident.hpp"
#include "incident/severity.hpp"
#include "time/timestamp.hpp"

namespace mimamori::incident {

// Alerts with the same values of `fields` (each a list of alternatives,
// the first present wins) within `window` of the last reported one are
// repeats. An alert lacking any field is not deduplicated by the rule.
struct dedup_rule {
  std::vector<std::vector<std::string>> fields;
  std::chrono::nanoseconds window{};
  std::string text;  // as given: "host.name|host.hostname,file.hash.sha256:72h"
};

// Parses "FIELD[|ALT...],FIELD...:DURATION" (DURATION: 30m, 72h, 7d).
[[nodiscard]] std::optional<dedup_rule> parse_dedup_rule(std::string_view text);
// Parses "30m", "24h", "7d", "90s".
[[nodiscard]] std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);
[[nodiscard]] dedup_rule default_dedup_rule();

// An organization's tuning period: its first `days` days from `start`
// (default: its first alert).
struct tuning_period {
  std::string org;
  int days = 30;
  std::optional<time::timestamp> start;
};
// Parses "ORG:DAYS" or "ORG:DAYS:START".
[[nodiscard]] std::optional<tuning_period> parse_tuning(std::string_view text);

struct engine_options {
  severity_profile profile = *find_profile("mss");
  std::chrono::nanoseconds group_gap = std::chrono::hours(24);
  std::vector<dedup_rule> dedup = {default_dedup_rule()};
  std::vector<tuning_period> tuning;
  business_calendar calendar;
  int grey_business_days = 3;
};

// A change to keep in an incident's history.
struct history_entry {
  std::string id;
  time::timestamp at;
  std::string by;
  std::string field;
  std::string old_value;
  std::string new_value;
  std::string note;
};

// Failed logins are counted before a success within this span.
inline constexpr std::chrono::hours failure_window{1};

// What the engine remembers of the events (not alerts) it passed through.
struct event_context {
  // The last event: its event.original and what it said about success.
  std::string original;
  bool valid = false;
  int network = 0;  // 1 allowed, -1 blocked
  bool auth = false;
  int outcome = 0;  // 1 success, -1 failure
  bool prevented = false;
  std::uint64_t failures_before = 0;  // failed logins before it, when it is a success
  bool last_changed = false;          // since the last save
  // Failed logins per "org \x1f host \x1f source.ip".
  struct failures {
    std::uint64_t count = 0;
    time::timestamp last;
  };
  std::unordered_map<std::string, failures> auth_failures;
  std::vector<std::string> changed_failures;  // keys set or erased since the last save
  bool failures_cleared = false;              // all dropped (the bound) since the last save
};

struct dedup_state {
  time::timestamp last;  // the last reported alert
  std::string incident;  // the incident it went to
};

// What the store loads and saves.
struct engine_state {
  std::vector<std::unique_ptr<incident>> incidents;  // open incidents (memory)
  std::unordered_map<std::string, incident*> by_group;
  std::unordered_map<std::string, incident*> by_id;
  std::map<std::string, std::uint64_t> sequences;     // "org\x1fyear" -> last number
  std::unordered_map<std::string, dedup_state> dedup;  // key -> state
  std::map<std::string, time::timestamp> org_first_seen;
  exception_list exceptions;
  // Changed since the last save:
  std::vector<incident*> dirty;
  std::vector<std::string> dirty_dedup;
  std::vector<std::string> dirty_sequences;
  std::vector<std::string> dirty_orgs;
  std::vector<history_entry> history;
  event_context context;
  time::timestamp watermark = time::timestamp::min();  // latest event time seen

  incident* add(std::unique_ptr<incident> i);
  void mark(incident* i);
};

struct engine_counts {
  std::uint64_t alerts = 0;
  std::uint64_t passed = 0;
  std::uint64_t suppressed_by_exception = 0;
  std::uint64_t suppressed_by_dedup = 0;
  std::uint64_t incidents_new = 0;
  std::uint64_t records = 0;  // incident records written
};

class engine {
 public:
  explicit engine(engine_options options) : options_(std::move(options)) {}

  [[nodiscard]] engine_state& state() { return state_; }
  [[nodiscard]] const engine_counts& counts() const { return counts_; }
  [[nodiscard]] const engine_options& options() const { return options_; }
  asset_inventory& assets() { return assets_; }

  // A record that is not an alert: remembered as context, passed through.
  void observe(const event::record& r);
  // An alert: appends incident records (each "\n"-terminated) to `out` and
  // suppressed records to `suppressed`; returns the number of lines added
  // to each.
  struct written {
    std::uint64_t incidents = 0;
    std::uint64_t suppressed = 0;
  };
  written process(const event::record& alert, std::string& out, std::string& suppressed);
  // Writes the incidents whose counts changed since they were last written.
  std::uint64_t flush(std::string& out);
  // Grey verdicts past their due time without a reply become white; their
  // records are appended to `out`. Returns how many.
  std::uint64_t run_timers(time::timestamp now, std::string& out);
  // Called before timers fire, to take the answers and verdicts other
  // writers (`triage set`, `triage timers`) saved meanwhile.
  std::function<void()> before_timers;
  // The earliest running grey timer (timestamp::max() when none).
  [[nodiscard]] time::timestamp next_timer() const {
    return timers_.empty() ? time::timestamp::max() : timers_.begin()->first;
  }
  // Drops from memory incidents that are saved and can no longer group or
  // dedup anything (call after a save).
  void evict();
  // Recomputes an incident's score, label, verdict and recommendations
  // (the reasons in words are written by explain(), when the record is).
  void rate(incident& i, time::timestamp at);
  static void explain(incident& i);
  // Fills in the reasons of every incident about to be saved.
  void explain_dirty();
  // After the store has loaded the state: rebuilds the spread index and
  // the timer queue.
  void loaded();
  // The longest span an incident or dedup key can still matter.
  [[nodiscard]] std::chrono::nanoseconds horizon() const;

 private:
  void write(incident& i, bool created, std::string& out);

  engine_options options_;
  engine_state state_;
  engine_counts counts_;
  asset_inventory assets_;
  std::vector<incident*> pending_;  // counts changed, not yet written
  // org \x1f indicator (or rule) -> hosts that showed it
  struct spread_entry {
    std::unordered_set<std::string> hosts;
    std::vector<std::string> holders;  // incidents carrying the key (the first few)
  };
  std::unordered_map<std::string, spread_entry> spread_;
  // Running grey timers: (due, incident id). Entries whose incident was
  // answered or closed since are skipped when they come up.
  std::set<std::pair<time::timestamp, std::string>> timers_;
  // Buffers reused from alert to alert.
  std::string group_key_;
  std::string spread_key_;
  std::vector<std::string> tactics_;
  std::vector<std::string> dedup_keys_;
  std::vector<std::string> spread_keys_;
};

}  // namespace mimamori::incident
