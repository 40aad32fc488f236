// spaced_attempts: attempts from one source (failed logins, say) paced far
// apart, to stay under the per-minute thresholds of rate rules.
//
// Per organisation and source (the first of `source` the event has), the
// attempts `match` selects make a sequence; one that comes more than
// `window` after the sequence's last attempt starts a new one, and an
// event `cancel` selects (a successful login) ends it. With `distinct`, an
// attempt counts only with a value of that field the sequence has not had
// (user names, for enumeration). When the sequence holds min_count attempts
// and the median gap between its last min_count attempts is at least
// min_interval, the rule fires once and the sequence starts over. This is
// CrowdSec's ssh-time-based-bf scenario (4 failures, median gap over 10
// minutes, cancelled by a success, a bucket leaking one event in 2 hours),
// on event time. At most `max_sources` sequences are kept; beyond that the
// quarter idle longest is dropped (counted).
#include <algorithm>
#include <map>
#include <stdexcept>

#include "analytics/alert.hpp"
#include "analytics/detector.hpp"
#include "analytics/fields.hpp"
#include "time/format.hpp"

namespace mimamori::analytics {

namespace {

// A duration in words for the alert's message: "1h20m", "12m30s", "45s".
std::string words(std::int64_t ns) {
  std::int64_t s = ns / 1'000'000'000;
  std::string out;
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
  }
  if (s >= 60 || !out.empty()) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
  }
  if (out.empty() || s > 0) out += std::to_string(s) + "s";
  return out;
}

class spaced_attempts final : public detector {
 public:
  explicit spaced_attempts(const rule& r) : detector(r) {}

  std::size_t process(const event_context& e, std::string& out) override {
    auto source = first_field(e.event, rule_.source_fields, source_buffer_);
    if (!source || source->value.empty()) return 0;
    std::optional<found_field> distinct;
    if (!rule_.distinct_fields.empty()) {
      distinct = first_field(e.event, rule_.distinct_fields, distinct_buffer_);
      if (!distinct || distinct->value.empty()) return 0;
    }
    key(e.organization, source->value);
    auto it = sequences_.find(key_);
    if (it == sequences_.end()) {
      if (sequences_.size() >= rule_.params.max_sources) evict();
      it = sequences_.emplace(key_, sequence{}).first;
    }
    sequence& s = it->second;
    if (!s.times.empty() && e.time.ns > shifted(s.last, rule_.params.window)) s = sequence{};
    if (distinct) {
      const std::string value(distinct->value);
      if (std::find(s.values.begin(), s.values.end(), value) != s.values.end()) return 0;
      s.values.push_back(value);
    }
    if (s.count == 0) {
      s.first = s.last = e.time.ns;
    } else {
      s.first = std::min(s.first, e.time.ns);
      s.last = std::max(s.last, e.time.ns);
    }
    s.times.push_back(e.time.ns);
    ++s.count;
    const std::size_t n = rule_.params.min_count;
    if (s.times.size() > n) s.times.erase(s.times.begin(), s.times.end() - static_cast<std::ptrdiff_t>(n));
    if (s.times.size() < n) return 0;
    const std::int64_t median = median_gap(s.times);
    if (median < rule_.params.min_interval) return 0;

    ++counters_.alerts;
    alert_summary summary;
    summary.organization = e.organization;
    summary.group = {{source->path, source->value}};
    summary.count = s.count;
    summary.first = time::timestamp{s.first};
    summary.last = time::timestamp{s.last};
    summary.message = std::to_string(s.count) + " attempts from " + std::string(source->value) + " over " +
                      words(s.last - s.first) + ", the last " + std::to_string(n) + " a median of " +
                      words(median) + " apart";
    if (distinct) {
      summary.message += ", each with a different " + std::string(distinct->path);
    }
    write_alert(out, rule_, e.event, summary, [&](event::builder& b) {
      b.field("median_interval", rounded(static_cast<double>(median) / 1e9));
      if (distinct) {
        b.field("distinct_field", distinct->path);
        b.key("distinct_values").begin_array();
        for (const std::string& v : s.values) b.value(std::string_view(v));
        b.end_array();
      }
    });
    sequences_.erase(it);
    return 1;
  }

  void cancel(const event_context& e) override {
    auto source = first_field(e.event, rule_.source_fields, source_buffer_);
    if (!source) return;
    key(e.organization, source->value);
    sequences_.erase(key_);
  }

  void save(nlohmann::json& state) const override {
    nlohmann::json list = nlohmann::json::array();  // std::map: sorted by key
    for (const auto& [k, s] : sequences_) {
      list.push_back({{"key", k},
                      {"first", s.first},
                      {"last", s.last},
                      {"count", s.count},
                      {"times", s.times},
                      {"values", s.values}});
    }
    state = {{"type", "spaced_attempts"}, {"sequences", std::move(list)}};
  }

  void restore(const nlohmann::json& state) override {
    sequences_.clear();
    if (!state.is_object() || state.value("type", "") != "spaced_attempts") {
      throw std::runtime_error("not the state of a spaced_attempts rule");
    }
    try {
      for (const auto& item : state.at("sequences")) {
        sequence s;
        s.first = item.at("first").get<std::int64_t>();
        s.last = item.at("last").get<std::int64_t>();
        s.count = item.at("count").get<std::uint64_t>();
        s.times = item.at("times").get<std::vector<std::int64_t>>();
        s.values = item.at("values").get<std::vector<std::string>>();
        sequences_[item.at("key").get<std::string>()] = std::move(s);
      }
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("spaced_attempts state: ") + e.what());
    }
  }

 private:
  struct sequence {
    std::int64_t first = 0, last = 0;
    std::uint64_t count = 0;            // attempts in the sequence
    std::vector<std::int64_t> times;    // the last min_count attempts, in arrival order
    std::vector<std::string> values;    // with `distinct`: the values seen
  };

  void key(std::string_view organization, std::string_view source) {
    key_.assign(organization);
    key_.push_back('\x1f');
    key_.append(source);
  }

  // The median of the gaps between the times once sorted (events may come
  // a little out of order); with an even number of gaps, the mean of the
  // middle two.
  static std::int64_t median_gap(std::vector<std::int64_t> times) {
    std::sort(times.begin(), times.end());
    std::vector<std::int64_t> gaps;
    for (std::size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
    std::sort(gaps.begin(), gaps.end());
    const std::size_t m = gaps.size() / 2;
    return gaps.size() % 2 == 1 ? gaps[m] : gaps[m - 1] / 2 + gaps[m] / 2;
  }

  void evict() {
    std::vector<std::pair<std::int64_t, std::string>> by_age;
    by_age.reserve(sequences_.size());
    for (const auto& [k, s] : sequences_) by_age.emplace_back(s.last, k);
    std::sort(by_age.begin(), by_age.end());
    const std::size_t drop = std::max<std::size_t>(1, by_age.size() / 4);
    for (std::size_t i = 0; i < drop; ++i) sequences_.erase(by_age[i].second);
    counters_.evicted += drop;
  }

  std::map<std::string, sequence> sequences_;  // organisation \x1f source -> attempts under way
  std::string key_, source_buffer_, distinct_buffer_;
};

}  // namespace

std::unique_ptr<detector> make_spaced_attempts(const rule& r) {
  return std::make_unique<spaced_attempts>(r);
}

}  // namespace mimamori::analytics
