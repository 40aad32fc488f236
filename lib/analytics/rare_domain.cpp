// rare_domain: a registered domain the organisation has never been seen
// using, once it has been watched for `learning`.
//
// Each organisation's learning period starts at its first event (event
// time). During it every registered domain is remembered; afterwards a
// domain not remembered raises one alert and is remembered from then on.
// Domains are kept as 64-bit hashes with the time they were last seen, at
// most `max_domains` per rule; beyond that the least recently seen quarter
// is forgotten (counted), so a domain unused for long can alert again.
#include <algorithm>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "analytics/alert.hpp"
#include "analytics/detector.hpp"
#include "analytics/domain.hpp"
#include "analytics/fields.hpp"
#include "time/format.hpp"

namespace mimamori::analytics {

namespace {

class rare_domain final : public detector {
 public:
  explicit rare_domain(const rule& r) : detector(r), suffixes_(suffix_list::shipped()) {}

  std::size_t process(const event_context& e, std::string& out) override {
    auto field = first_field(e.event, rule_.domain_fields, buffer_);
    if (!field) return 0;
    if (!normalise_name(field->value, name_)) return 0;
    const std::string* name = &name_;
    auto registered = suffixes_.registered_domain(*name);
    if (!registered) return 0;
    if (is_ignored(*name, rule_.ignore)) return 0;

    organization_.assign(e.organization);
    auto org = learning_since_.find(organization_);
    if (org == learning_since_.end()) org = learning_since_.emplace(organization_, e.time.ns).first;
    org->second = std::min(org->second, e.time.ns);
    const bool learning = e.time.ns < shifted(org->second, rule_.params.learning);

    key_.assign(e.organization);
    key_.push_back('\x1f');
    key_.append(*registered);
    const std::uint64_t h = stable_hash(key_);
    auto it = seen_.find(h);
    if (it != seen_.end()) {
      it->second = std::max(it->second, e.time.ns);
      return 0;
    }
    if (seen_.size() >= rule_.params.max_domains) evict();
    seen_.emplace(h, e.time.ns);
    if (learning) return 0;

    ++counters_.alerts;
    alert_summary s;
    s.organization = e.organization;
    s.group = {{"registered_domain", *registered}};
    s.count = 1;
    s.first = e.time;
    s.last = e.time;
    char since[time::utc_ms_length];
    time::write_utc_ms(since, time::timestamp{org->second});
    s.message = "first use of " + std::string(*registered) + " (as " + *name + ") since " +
                std::string(since, sizeof since);
    write_alert(out, rule_, e.event, s, [&](event::builder& b) {
      b.field("registered_domain", *registered);
      b.field("name", std::string_view(*name));
      b.field("field", field->path);
      b.field("watched_since", std::string_view(since, sizeof since));
    });
    return 1;
  }

  void save(nlohmann::json& state) const override {
    nlohmann::json organizations = nlohmann::json::object();  // sorted by key
    for (const auto& [org, since] : learning_since_) organizations[org] = since;
    std::vector<std::pair<std::uint64_t, std::int64_t>> sorted(seen_.begin(), seen_.end());
    std::sort(sorted.begin(), sorted.end());
    nlohmann::json domains = nlohmann::json::array();
    for (const auto& [h, last] : sorted) domains.push_back({h, last});
    state = {{"type", "rare_domain"}, {"learning_since", std::move(organizations)},
             {"domains", std::move(domains)}};
  }

  void restore(const nlohmann::json& state) override {
    learning_since_.clear();
    seen_.clear();
    if (!state.is_object() || state.value("type", "") != "rare_domain") {
      throw std::runtime_error("not the state of a rare_domain rule");
    }
    try {
      for (const auto& [org, since] : state.at("learning_since").items()) {
        learning_since_[org] = since.get<std::int64_t>();
      }
      for (const auto& item : state.at("domains")) {
        seen_[item.at(0).get<std::uint64_t>()] = item.at(1).get<std::int64_t>();
      }
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("rare_domain state: ") + e.what());
    }
  }

 private:
  void evict() {
    std::vector<std::pair<std::int64_t, std::uint64_t>> by_age;
    by_age.reserve(seen_.size());
    for (const auto& [h, last] : seen_) by_age.emplace_back(last, h);
    std::sort(by_age.begin(), by_age.end());
    const std::size_t drop = std::max<std::size_t>(1, by_age.size() / 4);
    for (std::size_t i = 0; i < drop; ++i) seen_.erase(by_age[i].second);
    counters_.evicted += drop;
  }

  const suffix_list& suffixes_;
  std::map<std::string, std::int64_t> learning_since_;  // organisation -> first event time
  std::unordered_map<std::uint64_t, std::int64_t> seen_;  // hash of org + domain -> last seen
  std::string key_, organization_, buffer_, name_;
};

}  // namespace

std::unique_ptr<detector> make_rare_domain(const rule& r) { return std::make_unique<rare_domain>(r); }

}  // namespace mimamori::analytics
