// beaconing: one source contacting one destination at near-regular intervals.
//
// Per (organisation, source, destination) the times of the last `history`
// contacts are kept, sorted (events closer than `burst` to a kept time are
// one contact: a beacon that fetches two URLs is one beacon). On each new
// contact, unless the pair alerted less than `window` ago, the contacts of
// the last `window` are tested: at least `min_count` of them, the median of
// their intervals (the period) within [min_period, max_period], and the
// median absolute deviation of the intervals divided by the period (the
// jitter) at most `max_jitter`. The median and MAD ignore a missed beacon
// or a stray visit, which a mean and standard deviation would not.
//
// Memory: at most `max_pairs` pairs; beyond that, pairs idle for a window go
// first, then the least recently seen (ties by key), and each is counted.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "analytics/alert.hpp"
#include "analytics/detector.hpp"
#include "analytics/domain.hpp"
#include "analytics/fields.hpp"
#include "ndjson/json_text.hpp"
#include "time/format.hpp"

namespace mimamori::analytics {

namespace {

struct pair_state {
  std::vector<std::int64_t> times;  // contact times, ascending, at most `history`
  std::uint64_t events = 0;         // events of the pair since it was first seen
  std::int64_t first = 0;           // first event of the pair
  std::int64_t last = 0;            // latest event
  std::int64_t quiet_until = 0;     // no alert before this (the last alert + window)
  bool alerted = false;
};

struct measure {
  std::size_t contacts = 0;
  double period = 0, jitter = 0;  // seconds; ratio
  std::int64_t first = 0;
};

// The median of `v` (reordered), in the units of its values.
double median_of(std::vector<std::int64_t>& v) {
  const std::size_t n = v.size();
  const auto middle = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(v.begin(), middle, v.end());
  const auto upper = static_cast<double>(*middle);
  if (n % 2 == 1) return upper;
  const auto lower = static_cast<double>(*std::max_element(v.begin(), middle));
  return (lower + upper) / 2.0;
}

class beaconing final : public detector {
 public:
  explicit beaconing(const rule& r) : detector(r) {}

  std::size_t process(const event_context& e, std::string& out) override {
    auto source = first_field(e.event, rule_.source_fields, source_buffer_);
    if (!source) return 0;
    auto destination = first_field(e.event, rule_.destination_fields, destination_buffer_);
    if (!destination) return 0;
    std::string_view target = destination->value;
    if (normalise_name(target, lowered_)) target = lowered_;
    if (is_ignored(target, rule_.ignore)) return 0;

    key_.assign(e.organization);
    key_.push_back('\x1f');
    key_.append(source->value);
    key_.push_back('\x1f');
    key_.append(target);
    auto it = pairs_.find(key_);
    if (it == pairs_.end()) {
      if (pairs_.size() >= rule_.params.max_pairs) evict(e.time.ns);
      it = pairs_.emplace(key_, pair_state{}).first;
      it->second.first = e.time.ns;
      it->second.last = e.time.ns;
    }
    pair_state& p = it->second;
    ++p.events;
    p.first = std::min(p.first, e.time.ns);
    p.last = std::max(p.last, e.time.ns);
    if (!add_contact(p, e.time.ns)) return 0;
    if (p.alerted && e.time.ns < p.quiet_until) return 0;
    auto m = evaluate(p);
    if (!m) return 0;

    p.alerted = true;
    p.quiet_until = shifted(e.time.ns, rule_.params.window);
    ++counters_.alerts;
    alert_summary s;
    s.organization = e.organization;
    s.group = {{source->path, source->value}, {destination->path, target}};
    s.count = p.events;
    s.first = time::timestamp{p.first};
    s.last = time::timestamp{p.last};
    s.message = std::string(source->value) + " contacted " + std::string(target) + " " +
                std::to_string(m->contacts) + " times at a regular interval of " +
                format_seconds(m->period) + " s (jitter " + format_seconds(m->jitter) + ")";
    write_alert(out, rule_, e.event, s, [&](event::builder& b) {
      b.field("contacts", static_cast<std::uint64_t>(m->contacts));
      b.field("period", rounded(m->period));
      b.field("jitter", rounded(m->jitter));
      char text[time::utc_ms_length];
      time::write_utc_ms(text, time::timestamp{m->first});
      b.field("window_start", std::string_view(text, sizeof text));
    });
    return 1;
  }

  void save(nlohmann::json& state) const override {
    std::vector<const std::pair<const std::string, pair_state>*> sorted;
    sorted.reserve(pairs_.size());
    for (const auto& entry : pairs_) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
    nlohmann::json list = nlohmann::json::array();
    for (const auto* entry : sorted) {
      const pair_state& p = entry->second;
      list.push_back({{"key", entry->first},
                      {"times", p.times},
                      {"events", p.events},
                      {"first", p.first},
                      {"last", p.last},
                      {"quiet_until", p.quiet_until},
                      {"alerted", p.alerted}});
    }
    state = {{"type", "beaconing"}, {"pairs", std::move(list)}};
  }

  void restore(const nlohmann::json& state) override {
    pairs_.clear();
    if (!state.is_object() || state.value("type", "") != "beaconing" || !state.contains("pairs") ||
        !state["pairs"].is_array()) {
      throw std::runtime_error("not the state of a beaconing rule");
    }
    try {
      for (const auto& item : state["pairs"]) {
        pair_state p;
        p.times = item.at("times").get<std::vector<std::int64_t>>();
        std::sort(p.times.begin(), p.times.end());
        if (p.times.size() > rule_.params.history) {
          p.times.erase(p.times.begin(), p.times.end() - static_cast<std::ptrdiff_t>(rule_.params.history));
        }
        p.events = item.at("events").get<std::uint64_t>();
        p.first = item.at("first").get<std::int64_t>();
        p.last = item.at("last").get<std::int64_t>();
        p.quiet_until = item.at("quiet_until").get<std::int64_t>();
        p.alerted = item.at("alerted").get<bool>();
        pairs_[item.at("key").get<std::string>()] = std::move(p);
      }
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("beaconing state: ") + e.what());
    }
  }

 private:
  static std::string format_seconds(double v) {
    std::string s;
    ndjson::append_double(s, rounded(v));
    return s;
  }

  // Adds the contact at `t`; false if it joins a burst or is older than
  // everything kept (late).
  bool add_contact(pair_state& p, std::int64_t t) {
    const std::int64_t burst = rule_.params.burst;
    auto pos = std::upper_bound(p.times.begin(), p.times.end(), t);
    if (pos != p.times.end() && *pos < shifted(t, burst)) return false;
    if (pos != p.times.begin() && t < shifted(*(pos - 1), burst)) return false;
    if (p.times.size() >= rule_.params.history) {
      if (pos == p.times.begin()) {
        ++counters_.late;
        return false;
      }
      p.times.erase(p.times.begin());
      pos = std::upper_bound(p.times.begin(), p.times.end(), t);
    }
    p.times.insert(pos, t);
    return true;
  }

  std::optional<measure> evaluate(const pair_state& p) {
    const parameters& q = rule_.params;
    const std::int64_t newest = p.times.back();
    auto begin = std::lower_bound(p.times.begin(), p.times.end(), shifted(newest, -q.window));
    const auto contacts = static_cast<std::size_t>(p.times.end() - begin);
    if (contacts < q.min_count) return std::nullopt;
    intervals_.clear();
    for (auto i = begin + 1; i != p.times.end(); ++i) intervals_.push_back(*i - *(i - 1));
    measure m;
    m.contacts = contacts;
    m.first = *begin;
    const double period_ns = median_of(intervals_);
    if (period_ns < static_cast<double>(q.min_period) || period_ns > static_cast<double>(q.max_period)) {
      return std::nullopt;
    }
    // Deviations in ns, rounded: well below any period's resolution.
    for (std::int64_t& d : intervals_) d = std::llround(std::abs(static_cast<double>(d) - period_ns));
    m.period = period_ns / 1e9;
    m.jitter = median_of(intervals_) / period_ns;
    if (m.jitter > q.max_jitter) return std::nullopt;
    return m;
  }

  // Makes room: pairs idle for a window go, then the least recently seen
  // until a quarter of the bound is free.
  void evict(std::int64_t now) {
    std::vector<std::pair<std::int64_t, const std::string*>> by_age;
    by_age.reserve(pairs_.size());
    for (const auto& [key, p] : pairs_) by_age.emplace_back(p.last, &key);
    std::sort(by_age.begin(), by_age.end(),
              [](const auto& a, const auto& b) { return a.first != b.first ? a.first < b.first : *a.second < *b.second; });
    const std::size_t keep = rule_.params.max_pairs - std::max<std::size_t>(1, rule_.params.max_pairs / 4);
    std::vector<std::string> doomed;
    for (const auto& [last, key] : by_age) {
      if (last >= shifted(now, -rule_.params.window) && pairs_.size() - doomed.size() <= keep) break;
      doomed.push_back(*key);
    }
    for (const std::string& k : doomed) pairs_.erase(k);
    counters_.evicted += doomed.size();
  }

  std::unordered_map<std::string, pair_state> pairs_;
  std::string key_, lowered_, source_buffer_, destination_buffer_;
  std::vector<std::int64_t> intervals_;
};

}  // namespace

std::unique_ptr<detector> make_beaconing(const rule& r) { return std::make_unique<beaconing>(r); }

}  // namespace mimamori::analytics
