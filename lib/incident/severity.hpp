// severity: the 0-100 score of an incident, its label and its deadline.
//
// The score is computed, step by step, from what the incident's alerts show
// (DESIGN.md, Severity): the rule's own rating, the indicator's confidence,
// evidence that the attack worked (an allowed connection, a login that
// succeeded after failures, a process that ran), repetition, the asset
// (criticality, an operating system past its end of support) and spread over
// several hosts. Each step that moves the score is kept as a `reason`, in
// the order applied, so an analyst can see why.
//
// Labels come from a profile: `mss` (Emergency / Critical / Warning /
// Informational, the default) or `four` (Critical / Serious / Medium /
// Information). Each level has a notification deadline: the first two 10
// minutes, the third 2 hours, the fourth the daily digest.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mimamori::incident {

struct reason {
  std::string step;  // rule, indicator, outcome, repetition, asset, end_of_support, spread
  int delta = 0;     // what the step added (the first step: the starting score)
  std::string text;  // in words
};

struct severity_profile {
  std::string name;
  std::string_view labels[4];
  int thresholds[3];  // score >= thresholds[i] gets labels[i]
};

// "mss" or "four"; nullopt for any other name.
[[nodiscard]] std::optional<severity_profile> find_profile(std::string_view name);

// 0 (highest) .. 3 (lowest).
[[nodiscard]] int level_of(const severity_profile& p, int score);
[[nodiscard]] inline std::string_view label_of(const severity_profile& p, int score) {
  return p.labels[level_of(p, score)];
}
// The notification delay of a level; nullopt for the digest level.
[[nodiscard]] std::optional<std::chrono::minutes> deadline_delay(int level);

// A Sigma level as a starting score ("high" -> 65); -1 when unknown.
[[nodiscard]] int score_of_rule_level(std::string_view level);

// What the alerts of one incident showed, as the score needs it.
struct evidence_facts {
  int base = -1;                // highest rule rating (event.severity or rule.level)
  std::string base_rule;        // the rule that gave it
  int confidence = -1;          // highest indicator confidence 0-100, -1 unknown
  std::uint64_t alerts = 0;
  std::uint64_t allowed = 0;    // connections let through
  std::uint64_t blocked = 0;    // connections blocked
  std::uint64_t succeeded = 0;  // event.outcome success (login, action)
  std::uint64_t failures_before_success = 0;  // failed logins before a success
  bool process_ran = false;
  bool prevented = false;       // the endpoint product blocked or quarantined it
  std::string criticality;      // from the asset inventory: low, medium, high, critical
  std::string asset;            // which asset
  std::string end_of_support;   // the OS past its end of support, or ""
  std::uint64_t spread_hosts = 1;  // hosts that showed the same indicator or rule
};

// The score and the steps that made it.
int compute_score(const evidence_facts& f, std::vector<reason>& reasons);
// The same score without the words (the per-alert path).
[[nodiscard]] int score_only(const evidence_facts& f);

}  // namespace mimamori::incident
