// rule: a behavioural detection that Sigma cannot express, read from YAML.
//
// An analytics rule is a YAML document with Sigma's descriptive keys (title,
// id, status, description, references, author, date, modified, level, tags
// with ATT&CK names) and, instead of `detection:`, a top-level `analytics:`
// map; man/correlate.1 (ANALYTICS) and rules/analytics/README.md document it:
//
//   analytics:
//     type: beaconing | dns_tunnel | rare_domain | spaced_attempts
//     match:                    # optional: every field must equal one of its values
//       event.category: [network, web]
//     cancel:                   # spaced_attempts: events that end a source's attempts
//       event.outcome: success
//     distinct: [user.name]     # spaced_attempts: count attempts with a new value only
//     source: [source.ip, host.name]          # beaconing: who (first field present)
//     destination: [url.domain, destination.ip+destination.port]   # beaconing: whom
//     domain: [dns.question.name]             # dns_tunnel, rare_domain: the names
//     ignore: [windowsupdate.com, 10.0.0.53]  # destinations/domains never tracked
//     parameters: {window: 24h, min_count: 12, ...}
//
// A field list names ECS paths tried in order; "a+b" joins two fields with
// ':' (destination.ip+destination.port -> "203.0.113.9:443"). Durations are
// a number and a unit: 500ms, 30s, 5m, 2h, 7d.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigma/rule.hpp"

namespace mimamori::analytics {

enum class kind { beaconing, dns_tunnel, rare_domain, spaced_attempts };

[[nodiscard]] const char* kind_name(kind k);

// One `match:` entry: the event's field (a string, number or array of them)
// equals one of the values, compared without case.
struct field_match {
  std::string field;
  std::vector<std::string> values;  // lowercased
};

// Every parameter with its default; each type reads its own (rule.cpp's
// table says which).
struct parameters {
  std::int64_t window = 0;  // ns; default per type
  // beaconing (and spaced_attempts, default 4)
  std::size_t min_count = 12;           // contacts (bursts merged) in the window
  std::int64_t min_period = 10'000'000'000;          // 10 s
  std::int64_t max_period = 6 * 3600'000'000'000LL;  // 6 h
  double max_jitter = 0.1;    // median absolute deviation / median of the intervals
  std::int64_t burst = 2'000'000'000;  // events closer than this are one contact
  std::size_t history = 64;            // contact times kept per (source, destination)
  std::size_t max_pairs = 200'000;
  // dns_tunnel
  std::size_t min_distinct = 30;  // distinct suspicious names of one domain in the window
  std::size_t min_length = 24;    // characters left of the registered domain (dots not counted)
  double min_entropy = 3.3;       // bits per character of those characters
  double max_word_share = 0.2;    // share of letter pairs that are common in English words
  std::size_t max_domains = 100'000;  // dns_tunnel: domains tracked; rare_domain: domains remembered
  std::size_t samples = 5;            // names and sources kept for the alert
  // rare_domain
  std::int64_t learning = 7 * 86400'000'000'000LL;  // per organisation, from its first event
  // spaced_attempts
  std::int64_t min_interval = 600'000'000'000LL;  // 10 min: the median gap of the last min_count attempts
  std::size_t max_sources = 100'000;              // sources with attempts under way
};

struct rule {
  sigma::rule meta;  // title, id, level, tags and ATT&CK, severity, file, line
  kind type = kind::beaconing;
  std::vector<field_match> match;
  std::vector<field_match> cancel;  // spaced_attempts
  std::vector<std::string> source_fields, destination_fields, domain_fields, distinct_fields;
  std::vector<std::string> ignore;  // lowercased names (suffix match on labels) or addresses
  parameters params;

  // The key under which the rule's state is saved: its id, else its title.
  [[nodiscard]] const std::string& key() const { return meta.id.empty() ? meta.title : meta.id; }
};

struct load_problem {
  std::string file;
  int line = 0, column = 0;
  std::string id, category, reason;
};

// True when YAML text holds an analytics rule: a line that starts with
// "analytics:" (a top-level key).
[[nodiscard]] bool is_analytics_text(std::string_view text);

// Reads every analytics document of `text` (named `file`); good rules are
// appended to `rules`, bad ones (every problem, with line and column) to
// `problems`. Documents without `analytics:` are left alone.
void read_rules(const std::string& text, const std::string& file, std::vector<rule>& rules,
                std::vector<load_problem>& problems);

// A duration such as 30s, 5m, 2h, 7d, 500ms, in ns; nothing if it is not one.
[[nodiscard]] std::optional<std::int64_t> parse_duration(std::string_view text);

}  // namespace mimamori::analytics
