// correlation: Sigma correlation rules and Sigma filters, on event time.
//
// Correlation rules (Sigma specification 2.x: event_count, value_count,
// temporal, temporal_ordered) and filters (`filter:` documents) are met by
// ruleset while it loads files and kept aside (ruleset::meta_documents());
// correlation_engine compiles them once every file is loaded, since they
// name rules (by `id` or `name`) of any file, and correlations of
// correlations.
//
// Time is the events' own `@timestamp`. A rule hit that a correlation
// counts becomes an occurrence, held until the watermark (the latest event
// time seen minus the allowed lateness) passes it; occurrences are then
// applied to their windows in event-time order (ties in arrival order), so
// events that arrive out of order within the lateness give the same alerts
// as sorted input. An occurrence older than the watermark when it arrives
// is late: counted, not windowed (the event itself passes on).
//
// Windows, per correlation and group (organization.id plus the group-by
// values; customers never share a window):
//  - a condition with lower bounds only (gt, gte; temporal and
//    temporal_ordered without a condition: every rule) slides: the
//    occurrences of the last `timespan` count, and the alert is raised by
//    the occurrence that makes the condition hold; the group then starts
//    afresh; a group expires once the watermark is `timespan` past its
//    newest occurrence;
//  - any other condition (lt, lte, eq, neq, ranges) is judged when the
//    window closes: `timespan` after its first occurrence, once the
//    watermark passes that, or at the end of input.
// A correlation's alert is an occurrence for the correlations that refer to
// it. Rules (and correlations) referred to by a correlation do not alert on
// their own unless one that refers to them says `generate: true`.
//
// Output is deterministic: groups live in ordered maps and nothing reads
// the wall clock. The open windows and held occurrences can be saved and
// restored (save()/restore()), so a restart neither loses nor repeats an
// alert. With max_groups set, the least recently fed groups are evicted
// (counted) when there are more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <simdjson.h>

#include "event/builder.hpp"
#include "event/record.hpp"
#include "sigma/rule.hpp"
#include "sigma/ruleset.hpp"

namespace mimamori::sigma {

namespace detail {

// A queue kept in one vector: pop_front() moves a head index and the dead
// front is compacted away once it is half the vector, so a window's entries
// cost no allocation per event (std::deque allocates a block per few
// entries) and insertion in the middle (late events) stays possible.
template <typename T>
class front_queue {
 public:
  using iterator = typename std::vector<T>::iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  [[nodiscard]] bool empty() const { return head_ == items_.size(); }
  [[nodiscard]] std::size_t size() const { return items_.size() - head_; }
  iterator begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  iterator end() { return items_.end(); }
  [[nodiscard]] const_iterator begin() const {
    return items_.begin() + static_cast<std::ptrdiff_t>(head_);
  }
  [[nodiscard]] const_iterator end() const { return items_.end(); }
  T& front() { return items_[head_]; }
  [[nodiscard]] const T& front() const { return items_[head_]; }
  T& back() { return items_.back(); }
  [[nodiscard]] const T& back() const { return items_.back(); }

  void push_back(T item) { items_.push_back(std::move(item)); }
  iterator insert(iterator at, T item) { return items_.insert(at, std::move(item)); }
  void pop_front() {
    items_[head_] = T{};  // frees what the entry held now
    if (++head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 16 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace detail

// "30s", "5m", "2h", "1d" in nanoseconds; nullopt when not of that form.
[[nodiscard]] std::optional<std::int64_t> parse_timespan(std::string_view text);

enum class correlation_type : std::uint8_t { event_count, value_count, temporal, temporal_ordered };
[[nodiscard]] std::string_view name_of(correlation_type t);

struct correlation_settings {
  std::int64_t lateness = 300'000'000'000;  // ns (5 minutes)
  std::size_t evidence = 5;                 // originals kept per alert
  std::size_t max_groups = 0;               // 0: no bound
};

struct correlation_stats {
  std::uint64_t late = 0;     // occurrences older than the watermark on arrival
  std::uint64_t untimed = 0;  // hits on events without a readable @timestamp
  std::uint64_t evicted = 0;  // groups dropped by max_groups
  std::uint64_t alerts = 0;   // correlation alerts written
  std::uint64_t filtered = 0; // rule hits suppressed by filters
};

struct correlation_rule {
  rule meta;  // title, id, name, level, tags... (no logsource)
  correlation_type type = correlation_type::event_count;
  struct input {
    bool correlation = false;  // index into correlations, else into ruleset::rules()
    std::uint32_t index = 0;
  };
  std::vector<input> inputs;
  std::vector<std::string> group_by;
  // Per input, per group-by name: where the value is (aliases applied):
  // event paths for a rule, the child's group-by position for a correlation.
  std::vector<std::vector<std::vector<std::string>>> group_paths;
  std::vector<std::vector<int>> group_positions;
  std::string value_field;                        // value_count
  std::vector<std::vector<std::string>> value_paths;  // per input (rules)
  std::vector<int> value_positions;                   // per input (correlations)
  std::int64_t timespan = 0;
  std::string timespan_text;
  enum class compare : std::uint8_t { gt, gte, lt, lte, eq, neq };
  std::vector<std::pair<compare, std::int64_t>> condition;
  bool generate = false;
  bool sliding = true;
  [[nodiscard]] bool holds(std::int64_t count) const;
};

class correlation_engine {
 public:
  // Compiles the correlation and filter documents of `rules` (filters become
  // hidden rules of `rules`); what cannot be supported goes to `report`.
  correlation_engine(ruleset& rules, load_report& report, correlation_settings settings);

  // No correlations and no filters: process() and finish() do nothing.
  [[nodiscard]] bool empty() const { return correlations_.empty() && filter_rules_.empty(); }
  [[nodiscard]] const std::vector<correlation_rule>& correlations() const { return correlations_; }
  // Whether rule `index` of the ruleset writes alerts of its own.
  [[nodiscard]] bool alerts_on_its_own(std::uint32_t index) const;

  // After ruleset::match: drops from `hits` the hits that filters suppress
  // and those that do not alert on their own, feeds the correlations, and
  // appends the correlation alerts that are due ("\n"-terminated) to `out`.
  // Returns the number of alerts appended.
  std::size_t process(const event::record& event, std::vector<std::uint32_t>& hits, std::string& out);
  // End of input: every held occurrence is applied and every window closes.
  std::size_t finish(std::string& out);

  // State: the members of the section object {"section":"sigma.correlation",...}.
  void save(event::builder& b) const;
  // Restores from a section object; false with `error` set when it does not fit.
  bool restore(simdjson::dom::element section, std::string& error);
  // Changes when the correlations change, so a state of other rules is refused.
  [[nodiscard]] std::string fingerprint() const;

  [[nodiscard]] const correlation_stats& stats() const { return stats_; }
  [[nodiscard]] std::size_t open_groups() const { return groups_.size(); }
  [[nodiscard]] std::size_t held() const { return pending_.size(); }

 private:
  struct entry {
    std::int64_t time = 0;
    std::uint64_t seq = 0;
    std::uint32_t input = 0;
    bool has_value = false;
    std::string value;
    std::vector<std::string> ids;
    std::string original;  // kept for the first `evidence` entries of a group
  };
  using group_key = std::pair<std::uint32_t, std::vector<std::string>>;  // correlation, org + values
  struct group_state {
    detail::front_queue<entry> entries;
    std::map<std::string, std::uint32_t> values;  // value_count: distinct values held
    std::int64_t end = 0;                         // close (tumbling) or expiry (sliding) time
    std::int64_t last = 0;                        // last time fed (eviction order)
    std::uint64_t created = 0;
    std::uint64_t touched = 0;
    std::size_t originals = 0;
  };
  struct pending_item {
    std::uint32_t correlation = 0;
    std::vector<std::string> key;
    entry e;
  };
  // A held occurrence in the heap: its order and where the item lives, so
  // the heap moves 24 bytes, not the item with its strings.
  struct held_ref {
    std::int64_t time = 0;
    std::uint64_t seq = 0;
    std::uint32_t slot = 0;  // into held_items_
  };
  // pending_ is a heap, earliest (time, seq) on top.
  static bool later(const held_ref& a, const held_ref& b) {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }

  void compile_filters(const std::vector<ruleset::meta_document>& docs, load_report& report);
  void compile_correlations(const std::vector<ruleset::meta_document>& docs, load_report& report);
  void hold(std::uint32_t correlation, std::vector<std::string> key, entry e);
  void drain(std::int64_t up_to, std::string& out, std::size_t& written);
  void apply(std::uint32_t correlation, std::vector<std::string>&& key, entry e,
             std::string& out, std::size_t& written);
  void close_before(std::int64_t time, std::string& out, std::size_t& written);
  void close(std::map<group_key, group_state>::iterator g, std::string& out, std::size_t& written);
  void erase(std::map<group_key, group_state>::iterator g);
  void touch(std::map<group_key, group_state>::iterator g, std::int64_t time);
  void drop(group_state& g);
  [[nodiscard]] std::int64_t measure(const correlation_rule& c, const group_state& g) const;
  void fire(std::uint32_t correlation, const std::vector<std::string>& key, const group_state& g,
            std::string& out, std::size_t& written);
  void write_alert(std::string& out, const correlation_rule& c, const std::vector<std::string>& key,
                   const group_state& g, std::int64_t at, std::int64_t count) const;

  ruleset& rules_;
  correlation_settings settings_;
  std::vector<correlation_rule> correlations_;
  // Per ruleset rule: correlations (and input positions) that count its hits.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> listeners_;
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> parents_;  // per correlation
  std::vector<std::uint8_t> silent_;              // per rule
  std::vector<std::uint8_t> correlation_silent_;  // per correlation
  std::vector<std::vector<std::uint32_t>> filters_of_;  // per rule: filter rules that must hold
  std::vector<std::uint32_t> filter_rules_;

  std::map<group_key, group_state> groups_;
  // Eviction order (last fed, then touched), built when max_groups first
  // calls for an eviction and kept from then on (by_age_live_).
  std::set<std::tuple<std::int64_t, std::uint64_t, const group_key*>> by_age_;
  bool by_age_live_ = false;
  // When each group closes (end, then created, the key's address breaking
  // ties) with the group itself, so closing one needs no search of groups_.
  struct closing_ref {
    std::int64_t time = 0;
    std::uint64_t created = 0;
    std::map<group_key, group_state>::iterator group;
    bool operator<(const closing_ref& o) const {
      if (time != o.time) return time < o.time;
      if (created != o.created) return created < o.created;
      return std::less<const group_key*>{}(&group->first, &o.group->first);
    }
  };
  std::set<closing_ref> closing_;
  std::vector<held_ref> pending_;       // held occurrences, a heap by later()
  std::vector<pending_item> held_items_;  // their items, by slot
  std::vector<std::uint32_t> free_slots_;  // slots of held_items_ to reuse
  std::optional<std::int64_t> max_time_;
  std::uint64_t seq_ = 0;
  correlation_stats stats_;
  std::vector<std::uint32_t> kept_;
  std::vector<std::string> scratch_key_;
  // The last @timestamp text process() read, and its time.
  std::string last_stamp_;
  std::optional<std::int64_t> last_when_;
};

}  // namespace mimamori::sigma
