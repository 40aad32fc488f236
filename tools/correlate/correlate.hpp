// correlate: ECS events in, the same events plus alerts out.
//
// detector holds the loaded rules and turns one event into the alerts it
// raises, written after the event in the order the rules were loaded, so
// the same input and rules give the same bytes. Records that are not
// events (alerts, incidents, pipeline errors) pass through unmatched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/engine.hpp"
#include "cli/io.hpp"
#include "correlate/options.hpp"
#include "event/record.hpp"
#include "intel/intel.hpp"
#include "sigma/correlation.hpp"
#include "sigma/ruleset.hpp"

namespace mimamori::correlate {

class detector {
 public:
  explicit detector(sigma::mapping map) : rules_(std::move(map)) {}

  sigma::ruleset& rules() { return rules_; }
  // Loads one feed ("FILE" or "TYPE:FILE"); call finish_intel() after the last.
  [[nodiscard]] intel::load_report load_intel(const std::string& spec) {
    return intel::load_feed(indicators_, spec);
  }
  void finish_intel(bool retro) {
    indicators_.finalize();
    matcher_.emplace(indicators_);
    retro_ = retro;
  }
  [[nodiscard]] const intel::store& indicators() const { return indicators_; }
  // Behavioural rules (lib/analytics: beaconing, DNS tunnels, rare domains),
  // loaded from the same --rules paths; their alerts follow the intel ones.
  analytics::engine& analytics() { return analytics_; }
  // Compiles the Sigma correlation rules and filters met while loading;
  // call once every rule file is loaded.
  void finish_rules(sigma::load_report& report, const sigma::correlation_settings& settings) {
    correlation_.emplace(rules_, report, settings);
  }
  [[nodiscard]] sigma::correlation_engine* correlation() {
    return correlation_ ? &*correlation_ : nullptr;
  }
  // Whether indicators are all there is to match: no Sigma rule,
  // correlation or analytics rule is loaded.
  [[nodiscard]] bool intel_only() const {
    return matcher_ && rules_.rules().empty() && (!correlation_ || correlation_->empty()) &&
           analytics_.size() == 0;
  }
  // Appends the alerts `event` raises ("\n"-terminated); returns their count.
  // Rule alerts come first, then correlation alerts that became due (their
  // windows run on event time, so they may be about earlier events).
  std::size_t detect(const event::record& event, std::string& out);
  // End of input: the correlation windows close; appends their alerts.
  std::size_t finish(std::string& out) {
    return correlation_ && !correlation_->empty() ? correlation_->finish(out) : 0;
  }

 private:
  // Appends an alert per hit of the matcher on `event`; returns their count.
  std::size_t write_intel_alerts(const std::vector<intel::hit>& found, const event::record& event,
                                 std::string& out);

  sigma::ruleset rules_;
  std::vector<std::uint32_t> hits_;
  std::optional<sigma::correlation_engine> correlation_;  // after finish_rules()
  std::string correlation_out_;
  intel::store indicators_;
  std::optional<intel::matcher> matcher_;  // with --intel
  analytics::engine analytics_;
  bool retro_ = false;
};

// Reads the shipped mapping and then each of `extra`; problems are printed
// and make it a usage error.
[[nodiscard]] sigma::mapping load_mapping(const std::vector<std::string>& extra, const cli::io& io);

int run(options& o, cli::io& io);

}  // namespace mimamori::correlate
