// engine: the analytics rules correlate runs beside Sigma and intel.
//
// Loading walks the same --rules paths as the Sigma loader (files, and
// *.yml / *.yaml under directories, recursively, in name order) and takes
// the YAML documents that have a top-level `analytics:` key; a file with
// such a key is remembered (is_rule_file) so correlate can drop the Sigma
// loader's "not a Sigma rule" about it. A bad rule is reported with file,
// line and column and skipped, as a Sigma rule is.
//
// detect() reads the event's @timestamp and organization.id once and hands
// the event to each rule whose `match:` holds, in load order; everything
// runs on event time, so the same input gives the same alerts.
//
// State: save() writes every rule's open state into one JSON object keyed by
// rule (id, else title), restore() reads it back; correlate's --state file
// holds it under "analytics".
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/detector.hpp"
#include "analytics/rule.hpp"
#include "event/record.hpp"

namespace mimamori::analytics {

struct load_report {
  std::size_t files = 0;   // files with at least one analytics document
  std::size_t loaded = 0;  // rules loaded
  std::vector<load_problem> problems;
};

class engine {
 public:
  engine() = default;
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Loads a file or directory; throws std::runtime_error only when `path`
  // does not exist.
  void load(const std::string& path, load_report& report);
  // Loads rules from YAML text (tests; `name` stands for the file).
  void load_text(const std::string& text, const std::string& name, load_report& report);

  [[nodiscard]] bool is_rule_file(const std::string& path) const { return files_.contains(path); }
  [[nodiscard]] std::size_t size() const { return detectors_.size(); }
  [[nodiscard]] const rule& rule_at(std::size_t i) const { return detectors_[i]->definition(); }

  // Appends the alerts the event raises ("\n"-terminated); returns their count.
  std::size_t detect(const event::record& e, std::string& out);

  void save(nlohmann::json& state) const;
  // Throws std::runtime_error naming the rule whose state is malformed.
  // Rules that have no saved state start empty; saved rules no longer
  // loaded are ignored.
  void restore(const nlohmann::json& state);

  // Totals over the rules.
  [[nodiscard]] detector_counters counters() const;
  [[nodiscard]] std::uint64_t untimed() const { return untimed_; }

 private:
  std::vector<std::unique_ptr<rule>> rules_;  // stable addresses: detectors point at them
  std::vector<std::unique_ptr<detector>> detectors_;
  std::set<std::string> files_;
  std::uint64_t untimed_ = 0;  // events without a readable @timestamp
};

}  // namespace mimamori::analytics
