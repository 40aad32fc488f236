// detector: the state machine of one analytics rule (beaconing.cpp,
// dns_tunnel.cpp, rare_domain.cpp), fed by engine.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analytics/rule.hpp"
#include "event/record.hpp"
#include "time/timestamp.hpp"

namespace mimamori::analytics {

// What engine has read from the event once for every rule.
struct event_context {
  const event::record& event;
  std::string_view organization;  // organization.id, else "default"
  time::timestamp time;           // @timestamp
};

// Counters a detector keeps for the run summary.
struct detector_counters {
  std::uint64_t alerts = 0;
  std::uint64_t evicted = 0;  // state dropped to stay within the rule's bound
  std::uint64_t late = 0;     // events older than the state they would join
};

class detector {
 public:
  explicit detector(const rule& r) : rule_(r) {}
  virtual ~detector() = default;
  detector(const detector&) = delete;
  detector& operator=(const detector&) = delete;

  // Appends the alerts (each "\n"-terminated) the event raises; returns their count.
  virtual std::size_t process(const event_context& e, std::string& out) = 0;
  // An event the rule's `cancel` selects (spaced_attempts): what it ends.
  virtual void cancel(const event_context& /*e*/) {}
  // The open state as a JSON object, in a deterministic order; restore()
  // reads what save() wrote and throws std::runtime_error on anything else.
  virtual void save(nlohmann::json& state) const = 0;
  virtual void restore(const nlohmann::json& state) = 0;

  [[nodiscard]] const rule& definition() const { return rule_; }
  [[nodiscard]] const detector_counters& counters() const { return counters_; }

 protected:
  const rule& rule_;
  detector_counters counters_;
};

// t + span on int64 ns, saturating (times near the ends of the range).
[[nodiscard]] inline std::int64_t shifted(std::int64_t t, std::int64_t span) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(t, span, &r)) {
    return span > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return r;
}

[[nodiscard]] std::unique_ptr<detector> make_beaconing(const rule& r);
[[nodiscard]] std::unique_ptr<detector> make_dns_tunnel(const rule& r);
[[nodiscard]] std::unique_ptr<detector> make_rare_domain(const rule& r);
[[nodiscard]] std::unique_ptr<detector> make_spaced_attempts(const rule& r);

}  // namespace mimamori::analytics
