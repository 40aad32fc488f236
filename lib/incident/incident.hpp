// incident: one rated case, and the record that carries it.
//
// An incident gathers the alerts of one organization about one affected
// host (or user) of one rule family, while they keep coming within the
// grouping gap. Lists are bounded (hosts, indicators, evidence...) so one
// noisy host cannot grow a record without end; counts are exact.
//
// write_record() writes the `event.kind: incident` record (documented in
// mimamori-records(5)); to_json()/from_json() keep the whole state in the
// store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "incident/severity.hpp"
#include "time/timestamp.hpp"

namespace mimamori::incident {

inline constexpr std::size_t max_list = 50;     // hosts, users, indicators, blocks
inline constexpr std::size_t max_evidence = 5;  // originals kept as evidence

// Appends `value` unless present or the list is full; true when added.
bool add_unique(std::vector<std::string>& list, std::string_view value, std::size_t cap = max_list);

struct recommended_actions {
  std::vector<std::string> block_domains;
  std::vector<std::string> block_urls;
  std::vector<std::string> block_ips;
  std::vector<std::string> block_signatures;
  std::vector<std::string> isolate_hosts;
};

struct incident {
  std::string id;  // ORG-YYYY-NNNNNN
  std::string org;
  std::string family;  // rule family: threat-intel, credential-access, malware, ...
  std::string entity;  // the affected host, address or user the alerts are grouped by
  std::string group_key;
  std::uint64_t version = 0;  // +1 for each record written
  std::string status = "new";  // new, notified, acknowledged, closed, tuning
  std::string verdict;         // black, grey, white; "" where it does not apply
  bool endpoint = false;
  int score = 0;
  int level = 3;
  std::string label;
  time::timestamp first_seen;
  time::timestamp last_seen;
  time::timestamp level_since;  // when it reached its present level
  std::optional<time::timestamp> grey_due;  // grey -> white unless someone replies
  bool replied = false;                     // someone answered (triage set)
  std::uint64_t alert_count = 0;
  std::uint64_t suppressed_count = 0;
  std::vector<std::string> rules;  // rule names
  std::vector<std::string> hosts;
  std::vector<std::string> users;
  std::vector<std::string> indicators;
  std::vector<std::string> tactics;
  std::vector<std::string> evidence;
  recommended_actions recommended;
  evidence_facts facts;
  std::vector<reason> reasons;
  std::uint64_t analyst_revision = 0;  // bumped by `triage set`
  bool entity_is_user = false;

  // Transient, not stored: changed since saved / counts changed since written.
  bool dirty = false;
  bool pending_write = false;

  [[nodiscard]] std::string title() const;
  // What happened in plain words, "en" or "ja".
  [[nodiscard]] std::string summary(std::string_view language) const;
  // The ATT&CK tactic that is furthest along the kill chain, or "".
  [[nodiscard]] std::string stage() const;
};

struct record_options {
  std::string_view profile = "mss";
  bool created = false;  // event.type creation (else change)
};

// Appends the incident record (no newline).
void write_record(std::string& out, const incident& i, const record_options& options);

[[nodiscard]] nlohmann::json to_json(const incident& i);
[[nodiscard]] incident from_json(const nlohmann::json& j);

// "ACME-2026-000123".
[[nodiscard]] std::string make_id(std::string_view org, int year, std::uint64_t sequence);

}  // namespace mimamori::incident
