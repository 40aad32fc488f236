#include "incident/severity.hpp"

#include <algorithm>

namespace mimamori::incident {

namespace {

constexpr int default_base = 40;  // an alert with no rating at all

std::string count_text(std::uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::optional<severity_profile> find_profile(std::string_view name) {
  if (name == "mss") {
    return severity_profile{"mss", {"Emergency", "Critical", "Warning", "Informational"}, {90, 70, 40}};
  }
  if (name == "four") {
    return severity_profile{"four", {"Critical", "Serious", "Medium", "Information"}, {90, 70, 40}};
  }
  return std::nullopt;
}

int level_of(const severity_profile& p, int score) {
  for (int i = 0; i < 3; ++i) {
    if (score >= p.thresholds[i]) return i;
  }
  return 3;
}

std::optional<std::chrono::minutes> deadline_delay(int level) {
  if (level <= 1) return std::chrono::minutes(10);
  if (level == 2) return std::chrono::minutes(120);
  return std::nullopt;
}

int score_of_rule_level(std::string_view level) {
  if (level == "informational") return 10;
  if (level == "low") return 25;
  if (level == "medium") return 45;
  if (level == "high") return 65;
  if (level == "critical") return 85;
  return -1;
}

int compute_score(const evidence_facts& f, std::vector<reason>& reasons) {
  reasons.clear();
  int score = f.base >= 0 ? std::min(f.base, 100) : default_base;
  reasons.push_back({"rule", score,
                     f.base >= 0 ? "rule '" + f.base_rule + "' rates it " + std::to_string(score)
                                 : "no rating on the alert: start at " + std::to_string(score)});
  auto step = [&](std::string name, int delta, std::string text) {
    score += delta;
    reasons.push_back({std::move(name), delta, std::move(text)});
  };
  if (f.confidence >= 70) {
    step("indicator", 10, "indicator confidence " + std::to_string(f.confidence) + " (high)");
  } else if (f.confidence >= 0 && f.confidence < 30) {
    step("indicator", -10, "indicator confidence " + std::to_string(f.confidence) + " (low)");
  }
  if (f.failures_before_success > 0) {
    step("outcome", 25, "login succeeded after " +
                            count_text(f.failures_before_success, "failed attempt",
                                       "failed attempts"));
  }
  if (f.succeeded > 0) {
    step("outcome", 15, count_text(f.succeeded, "action", "actions") + " succeeded");
  } else if (f.allowed > 0) {
    step("outcome", 15, count_text(f.allowed, "connection was", "connections were") + " allowed");
  } else if (f.blocked > 0) {
    step("outcome", -15, "every connection was blocked (" + std::to_string(f.blocked) + ")");
  }
  if (f.process_ran && !f.prevented) {
    step("outcome", 15, "the process ran");
  } else if (f.prevented) {
    step("outcome", -15, "the endpoint product blocked or quarantined it");
  }
  if (f.alerts >= 3) {
    step("repetition", 10, count_text(f.alerts, "alert", "alerts") + " in this incident");
  }
  if (f.criticality == "critical") {
    step("asset", 15, "asset " + f.asset + " is critical");
  } else if (f.criticality == "high") {
    step("asset", 10, "asset " + f.asset + " has high criticality");
  } else if (f.criticality == "low") {
    step("asset", -10, "asset " + f.asset + " has low criticality");
  }
  if (!f.end_of_support.empty()) {
    step("end_of_support", 10, "runs " + f.end_of_support + ", past its end of support");
  }
  if (f.spread_hosts > 1) {
    const int delta = static_cast<int>(std::min<std::uint64_t>(f.spread_hosts - 1, 3)) * 5;
    step("spread", delta, "the same indicator or rule on " + std::to_string(f.spread_hosts) + " hosts");
  }
  const int clamped = std::clamp(score, 0, 100);
  if (clamped != score) {
    reasons.push_back({"clamp", clamped - score, "kept within 0-100"});
  }
  return clamped;
}

int score_only(const evidence_facts& f) {
  int score = f.base >= 0 ? std::min(f.base, 100) : default_base;
  if (f.confidence >= 70) {
    score += 10;
  } else if (f.confidence >= 0 && f.confidence < 30) {
    score -= 10;
  }
  if (f.failures_before_success > 0) score += 25;
  if (f.succeeded > 0 || f.allowed > 0) {
    score += 15;
  } else if (f.blocked > 0) {
    score -= 15;
  }
  if (f.process_ran && !f.prevented) {
    score += 15;
  } else if (f.prevented) {
    score -= 15;
  }
  if (f.alerts >= 3) score += 10;
  if (f.criticality == "critical") {
    score += 15;
  } else if (f.criticality == "high") {
    score += 10;
  } else if (f.criticality == "low") {
    score -= 10;
  }
  if (!f.end_of_support.empty()) score += 10;
  if (f.spread_hosts > 1) score += static_cast<int>(std::min<std::uint64_t>(f.spread_hosts - 1, 3)) * 5;
  return std::clamp(score, 0, 100);
}

}  // namespace mimamori::incident
