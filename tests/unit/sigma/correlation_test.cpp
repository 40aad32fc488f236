#include "sigma/correlation.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <boost/test/unit_test.hpp>

#include "temp_dir.hpp"

using namespace mimamori;

namespace {

constexpr const char* test_mapping = R"(
logsources:
  - {product: test, when: [{event.dataset: test}]}
)";

constexpr const char* base_rules = R"(
title: Failed login
id: rule-failed
name: failed
logsource: {product: test}
detection:
  selection: {event.outcome: failure}
  condition: selection
---
title: Accepted login
name: accepted
logsource: {product: test}
detection:
  selection: {event.outcome: success}
  condition: selection
)";

sigma::mapping make_mapping() {
  testing::temp_dir dir;
  sigma::mapping m;
  std::vector<std::string> errors;
  m.load(dir.write("map.yml", test_mapping), errors);
  BOOST_REQUIRE(errors.empty());
  return m;
}

std::string login(int second, const std::string& ip, const std::string& outcome, int id,
                  const std::string& user = "u") {
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "2024-10-03T05:%02d:%02d.000Z", second / 60, second % 60);
  return std::string(R"({"@timestamp":")") + stamp +
         R"(","event":{"kind":"event","dataset":"test","outcome":")" + outcome + R"(","id":"e)" +
         std::to_string(id) + R"("},"source":{"ip":")" + ip + R"("},"user":{"name":")" + user + R"("}})";
}

// Rules plus one engine; run() feeds events and returns every alert line.
struct bench {
  sigma::ruleset rules{make_mapping()};
  sigma::load_report report;
  std::optional<sigma::correlation_engine> engine;
  event::parser parser;
  std::vector<std::uint32_t> hits;

  bench(const std::string& correlations, sigma::correlation_settings s = {}) {
    rules.load_text(std::string(base_rules) + "---\n" + correlations, "test.yml", report);
    engine.emplace(rules, report, s);
  }
  std::string feed(const std::string& json) {
    BOOST_REQUIRE((parser.parse_copy(json) == event::parse_error::none));
    rules.match(parser.current(), hits);
    std::string out;
    engine->process(parser.current(), hits, out);
    for (std::uint32_t h : hits) out += "rule:" + rules.rules()[h].title + "\n";
    return out;
  }
  std::string run(const std::vector<std::string>& events, bool finish = true) {
    std::string out;
    for (const std::string& e : events) out += feed(e);
    if (finish) engine->finish(out);
    return out;
  }
};

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

constexpr const char* three_failures = R"(
title: Three failures
correlation:
  type: event_count
  rules: [failed]
  group-by: [source.ip]
  timespan: 1m
  condition: {gte: 3}
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(correlation)

BOOST_AUTO_TEST_CASE(front_queue_keeps_order_through_pops_inserts_and_compaction) {
  // The windows' entry queue against std::deque, through enough pops to
  // compact its vector several times and inserts in the middle.
  sigma::detail::front_queue<std::string> q;
  std::deque<std::string> model;
  for (int i = 0; i < 400; ++i) {
    std::string item = "entry " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 40), 'x');
    if (i % 7 == 3 && !q.empty()) {
      const std::size_t at = static_cast<std::size_t>(i) % q.size();
      q.insert(q.begin() + static_cast<std::ptrdiff_t>(at), item);
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(at), item);
    } else {
      q.push_back(item);
      model.push_back(item);
    }
    for (int pops = i % 3 == 0 ? 2 : 0; pops > 0 && !q.empty(); --pops) {
      BOOST_TEST(q.front() == model.front());
      q.pop_front();
      model.pop_front();
    }
    BOOST_TEST(q.size() == model.size());
    BOOST_TEST(std::equal(q.begin(), q.end(), model.begin(), model.end()));
    if (!q.empty()) BOOST_TEST(q.back() == model.back());
  }
  while (!q.empty()) {
    BOOST_TEST(q.front() == model.front());
    q.pop_front();
    model.pop_front();
  }
  BOOST_TEST(model.empty());
  q.push_back("again");
  BOOST_TEST(q.size() == 1u);
  BOOST_TEST(q.front() == "again");
}

BOOST_AUTO_TEST_CASE(timespans_are_a_number_and_a_unit) {
  BOOST_TEST(*sigma::parse_timespan("30s") == 30'000'000'000LL);
  BOOST_TEST(*sigma::parse_timespan("5m") == 300'000'000'000LL);
  BOOST_TEST(*sigma::parse_timespan("2h") == 7'200'000'000'000LL);
  BOOST_TEST(*sigma::parse_timespan("1d") == 86'400'000'000'000LL);
  BOOST_TEST(!sigma::parse_timespan("5"));
  BOOST_TEST(!sigma::parse_timespan("m"));
  BOOST_TEST(!sigma::parse_timespan("5M"));
  BOOST_TEST(!sigma::parse_timespan("1.5h"));
}

BOOST_AUTO_TEST_CASE(bad_correlations_are_reported_with_place_and_reason) {
  bench b(R"(
title: No timespan
correlation: {type: event_count, rules: [failed], group-by: [source.ip], condition: {gte: 2}}
---
title: Sum
correlation: {type: value_sum, rules: [failed], group-by: [source.ip], timespan: 1m, condition: {field: x, gt: 1}}
---
title: Unknown rule
correlation: {type: event_count, rules: [nosuch], group-by: [source.ip], timespan: 1m, condition: {gte: 2}}
---
title: Loop A
name: loop_a
correlation: {type: temporal, rules: [loop_b, failed], group-by: [source.ip], timespan: 1m}
---
title: Loop B
name: loop_b
correlation: {type: temporal, rules: [loop_a, failed], group-by: [source.ip], timespan: 1m}
)");
  BOOST_TEST(b.engine->correlations().empty());
  std::vector<std::string> categories;
  for (const auto& u : b.report.unsupported) {
    BOOST_TEST(u.file == "test.yml");
    BOOST_TEST(u.line > 0);
    categories.push_back(u.category);
  }
  BOOST_TEST(std::count(categories.begin(), categories.end(), "bad correlation") == 1);
  BOOST_TEST(std::count(categories.begin(), categories.end(), "correlation type not supported") == 1);
  BOOST_TEST(std::count(categories.begin(), categories.end(), "correlation of an unknown rule") == 1);
  BOOST_TEST(std::count(categories.begin(), categories.end(), "correlation cycle") >= 1);
}

BOOST_AUTO_TEST_CASE(event_count_fires_on_the_event_that_completes_it_and_starts_again) {
  bench b(three_failures, {.lateness = 0});
  std::vector<std::string> events;
  for (int i = 0; i < 6; ++i) events.push_back(login(i * 10, "10.0.0.1", "failure", i));
  const std::string out = b.run(events);
  BOOST_TEST(count(out, R"("name":"Three failures")") == 2);
  BOOST_TEST(count(out, R"("event_ids":["e0","e1","e2"])") == 1);
  BOOST_TEST(count(out, R"("event_ids":["e3","e4","e5"])") == 1);
  // The rule it counts writes no alerts of its own (no generate: true).
  BOOST_TEST(count(out, "rule:Failed login") == 0);
}

BOOST_AUTO_TEST_CASE(events_out_of_order_within_the_lateness_give_the_same_bytes) {
  std::vector<std::string> sorted, shuffled;
  for (int i = 0; i < 40; ++i) sorted.push_back(login(i * 5, "10.0.0." + std::to_string(i % 3), "failure", i));
  shuffled = sorted;
  for (std::size_t i = 0; i + 1 < shuffled.size(); i += 2) std::swap(shuffled[i], shuffled[i + 1]);
  bench a(three_failures), c(three_failures);
  const std::string x = a.run(sorted), y = c.run(shuffled);
  BOOST_TEST(!x.empty());
  BOOST_TEST(x == y);
}

BOOST_AUTO_TEST_CASE(an_event_older_than_the_watermark_is_late_and_not_counted) {
  bench b(three_failures, {.lateness = 60'000'000'000LL});
  const std::string out = b.run({login(0, "10.0.0.1", "failure", 0), login(600, "10.0.0.9", "failure", 1),
                                 login(10, "10.0.0.1", "failure", 2), login(20, "10.0.0.1", "failure", 3)});
  BOOST_TEST(out.empty());
  BOOST_TEST(b.engine->stats().late == 2);
}

BOOST_AUTO_TEST_CASE(value_count_counts_distinct_values_and_groups_never_mix_organizations) {
  bench b(R"(
title: Many users
correlation:
  type: value_count
  rules: [failed]
  group-by: [source.ip]
  timespan: 1m
  condition: {field: user.name, gte: 3}
)");
  std::string other = login(3, "10.0.0.1", "failure", 9, "carol");
  other.insert(other.size() - 1, R"(,"organization":{"id":"b"})");
  const std::string out = b.run({login(0, "10.0.0.1", "failure", 0, "alice"),
                                 login(1, "10.0.0.1", "failure", 1, "alice"),
                                 login(2, "10.0.0.1", "failure", 2, "bob"), other},
                                false);
  BOOST_TEST(out.empty());
  const std::string more = b.run({login(4, "10.0.0.1", "failure", 3, "carol")});
  BOOST_TEST(count(more, R"("count":3)") == 1);
  BOOST_TEST(count(more, R"("organization":{"id":"default"})") == 1);
}

BOOST_AUTO_TEST_CASE(an_upper_bound_is_judged_when_the_window_closes) {
  bench b(R"(
title: Exactly two
correlation:
  type: event_count
  rules: [failed]
  group-by: [source.ip]
  timespan: 1m
  condition: {eq: 2}
)", {.lateness = 0});
  // 10.0.0.1: two in its minute; 10.0.0.2: three.
  const std::string during = b.run({login(0, "10.0.0.1", "failure", 0), login(1, "10.0.0.2", "failure", 1),
                                    login(2, "10.0.0.2", "failure", 2), login(30, "10.0.0.1", "failure", 3),
                                    login(40, "10.0.0.2", "failure", 4)},
                                   false);
  BOOST_TEST(during.empty());
  const std::string later = b.run({login(200, "10.0.0.3", "accepted", 5)}, false);
  BOOST_TEST(count(later, R"("group_by":{"source.ip":"10.0.0.1"})") == 1);
  BOOST_TEST(count(later, R"("name":"Exactly two")") == 1);
}

BOOST_AUTO_TEST_CASE(temporal_ordered_needs_the_order_and_chains_correlations) {
  const std::string rules = std::string(three_failures) + R"(name: burst
---
title: Burst then success
correlation:
  type: temporal_ordered
  rules: [burst, accepted]
  group-by: [source.ip]
  timespan: 5m
  generate: true
)";
  bench in_order(rules), reversed(rules);
  std::vector<std::string> events;
  for (int i = 0; i < 3; ++i) events.push_back(login(i, "10.0.0.1", "failure", i));
  events.push_back(login(30, "10.0.0.1", "success", 3));
  const std::string out = in_order.run(events);
  BOOST_TEST(count(out, R"("name":"Burst then success")") == 1);
  BOOST_TEST(count(out, R"("name":"Three failures")") == 1);  // generate: true
  std::vector<std::string> success_first{login(0, "10.0.0.1", "success", 0)};
  for (int i = 1; i < 4; ++i) success_first.push_back(login(i, "10.0.0.1", "failure", i));
  BOOST_TEST(count(reversed.run(success_first), R"("name":"Burst then success")") == 0);
}

BOOST_AUTO_TEST_CASE(filters_suppress_the_rules_they_name) {
  sigma::ruleset rules{make_mapping()};
  sigma::load_report report;
  rules.load_text(std::string(base_rules) + R"(---
title: Not the scanner
logsource: {product: test}
filter:
  rules: [rule-failed]
  scanner: {source.ip: 10.0.0.99}
  condition: not scanner
)", "test.yml", report);
  sigma::correlation_engine engine(rules, report, {});
  BOOST_REQUIRE(report.unsupported.empty());
  event::parser parser;
  std::vector<std::uint32_t> hits;
  auto fires = [&](const std::string& json) {
    BOOST_REQUIRE((parser.parse_copy(json) == event::parse_error::none));
    rules.match(parser.current(), hits);
    std::string out;
    engine.process(parser.current(), hits, out);
    return hits.size() == 1 && rules.rules()[hits[0]].title == "Failed login";
  };
  BOOST_TEST(fires(login(0, "10.0.0.1", "failure", 0)));
  BOOST_TEST(!fires(login(1, "10.0.0.99", "failure", 1)));
  BOOST_TEST(engine.stats().filtered == 1);
}

BOOST_AUTO_TEST_CASE(saved_and_restored_windows_continue_as_if_never_stopped) {
  std::vector<std::string> events;
  for (int i = 0; i < 30; ++i) {
    events.push_back(login(i * 7 + (i % 2 ? 5 : 0), "10.0.0." + std::to_string(i % 4), "failure", i));
  }
  bench whole(three_failures);
  const std::string expected = whole.run(events);

  bench first(three_failures);
  std::string out = first.run({events.begin(), events.begin() + 17}, false);
  std::string state;
  event::builder builder(state);
  builder.begin_object();
  first.engine->save(builder);
  builder.end_object();

  bench second(three_failures);
  event::parser parser;
  BOOST_REQUIRE((parser.parse_copy(state) == event::parse_error::none));
  std::string error;
  BOOST_REQUIRE(second.engine->restore(parser.current().root(), error));
  out += second.run({events.begin() + 17, events.end()});
  BOOST_TEST(out == expected);

  bench other(R"(
title: Four failures
correlation: {type: event_count, rules: [failed], group-by: [source.ip], timespan: 1m, condition: {gte: 4}}
)");
  BOOST_TEST(!other.engine->restore(parser.current().root(), error));
  BOOST_TEST(error.find("other correlation rules") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(max_groups_evicts_the_least_recently_fed) {
  bench b(three_failures, {.lateness = 0, .evidence = 5, .max_groups = 2});
  b.run({login(0, "10.0.0.1", "failure", 0), login(1, "10.0.0.2", "failure", 1),
         login(2, "10.0.0.2", "failure", 2), login(3, "10.0.0.3", "failure", 3)},
        false);
  BOOST_TEST(b.engine->stats().evicted == 1);
  BOOST_TEST(b.engine->open_groups() == 2);
  // 10.0.0.1 was dropped: two more are not three.
  const std::string out = b.run({login(4, "10.0.0.1", "failure", 4), login(5, "10.0.0.1", "failure", 5)}, false);
  BOOST_TEST(out.empty());
}

// Held occurrences leave in (time, arrival) order while new ones are held
// into the places of those gone (a lateness shorter than the input, so the
// watermark passes some while others arrive), and across a save and restore.
BOOST_AUTO_TEST_CASE(held_occurrences_leave_in_time_order_while_others_arrive) {
  const std::string rules = std::string(three_failures) + R"(name: burst
---
title: Burst then success
correlation:
  type: temporal_ordered
  rules: [burst, accepted]
  group-by: [source.ip]
  timespan: 5m
)";
  std::vector<std::string> sorted;
  for (int i = 0; i < 120; ++i) {
    sorted.push_back(login(i * 3, "10.0.0." + std::to_string(i % 5), i % 7 == 6 ? "success" : "failure", i));
  }
  // Blocks of four reversed: 9 s of disorder, within the 20 s lateness.
  std::vector<std::string> shuffled = sorted;
  for (std::size_t i = 0; i + 4 <= shuffled.size(); i += 4) {
    std::reverse(shuffled.begin() + static_cast<std::ptrdiff_t>(i),
                 shuffled.begin() + static_cast<std::ptrdiff_t>(i + 4));
  }
  const sigma::correlation_settings settings{.lateness = 20'000'000'000LL};
  auto alerts = [](const std::string& out) {  // the correlation alerts, in order
    std::string kept;
    std::size_t at = 0;
    while (at < out.size()) {
      const std::size_t nl = out.find('\n', at);
      if (out[at] == '{') kept += out.substr(at, nl - at + 1);
      at = nl + 1;
    }
    return kept;
  };
  bench a(rules, settings), c(rules, settings);
  const std::string x = alerts(a.run(sorted));
  BOOST_TEST(count(x, R"("name":"Burst then success")") >= 3);
  BOOST_TEST(a.engine->held() == 0);
  BOOST_TEST(x == alerts(c.run(shuffled)));

  // Stopped in the middle with occurrences held, then restored.
  bench first(rules, settings);
  std::string out = first.run({shuffled.begin(), shuffled.begin() + 61}, false);
  BOOST_TEST(first.engine->held() > 0);
  std::string state;
  event::builder builder(state);
  builder.begin_object();
  first.engine->save(builder);
  builder.end_object();
  bench second(rules, settings);
  event::parser parser;
  BOOST_REQUIRE((parser.parse_copy(state) == event::parse_error::none));
  std::string error;
  BOOST_REQUIRE(second.engine->restore(parser.current().root(), error));
  BOOST_TEST(second.engine->held() == first.engine->held());
  out += second.run({shuffled.begin() + 61, shuffled.end()});
  BOOST_TEST(alerts(out) == x);
}

// The eviction order is built when the first eviction is due (from the
// time each group was last fed) and kept from then on.
BOOST_AUTO_TEST_CASE(max_groups_evicts_by_last_feed_before_and_after_the_first_eviction) {
  bench b(three_failures, {.lateness = 0, .evidence = 5, .max_groups = 3});
  auto ip = [](char g) { return std::string("10.0.0.") + std::to_string(g - 'A' + 1); };
  std::string out;
  int second = 0;
  for (char g : std::string("ABCAD")) out += b.feed(login(second, ip(g), "failure", second)), ++second;
  // D made four groups: B, fed least recently (A was fed again), went.
  BOOST_TEST(b.engine->stats().evicted == 1);
  out += b.feed(login(second, ip('A'), "failure", second));  // A's third: an alert
  ++second;
  BOOST_TEST(count(out, R"("name":"Three failures")") == 1);
  BOOST_TEST(count(out, R"("source":{"ip":"10.0.0.1"})") == 1);
  // E, F (evicts C), C again (evicts D), C, B again (evicts E), B.
  for (char g : std::string("EFCCBB")) out += b.feed(login(second, ip(g), "failure", second)), ++second;
  BOOST_TEST(b.engine->stats().evicted == 4);
  BOOST_TEST(b.engine->open_groups() == 3);
  // C and B were dropped before: two more of each are not three.
  BOOST_TEST(count(out, R"("name":"Three failures")") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
