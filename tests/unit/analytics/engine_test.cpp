#include "analytics/engine.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <sstream>

#include "event/record.hpp"
#include "time/format.hpp"

using namespace mimamori;

namespace {

constexpr const char* beacon_rule = R"(title: Beacon
id: beacon-1
level: high
tags: [attack.command-and-control, attack.t1071.001]
analytics:
  type: beaconing
  match: {event.category: [network, web]}
  source: [source.ip]
  destination: [url.domain, destination.ip+destination.port]
  ignore: [windowsupdate.com]
  parameters: {window: 1h, min_count: 6, min_period: 10s, max_period: 1h, max_jitter: 0.1, burst: 2s, history: 16}
)";

constexpr const char* tunnel_rule = R"(title: Tunnel
id: tunnel-1
analytics:
  type: dns_tunnel
  domain: [dns.question.name]
  parameters: {window: 10m, min_distinct: 5, min_length: 20, min_entropy: 3.0}
)";

constexpr const char* rare_rule = R"(title: Rare
id: rare-1
level: low
analytics:
  type: rare_domain
  domain: [url.domain, dns.question.name]
  ignore: [arpa]
  parameters: {learning: 1d}
)";

constexpr const char* spaced_rule = R"(title: Spaced
id: spaced-1
level: low
analytics:
  type: spaced_attempts
  match: {event.action: ssh_login, event.outcome: failure}
  cancel: {event.action: ssh_login, event.outcome: success}
  source: [source.ip]
  parameters: {min_count: 4, min_interval: 10m, window: 2h}
---
title: Spaced users
id: spaced-2
analytics:
  type: spaced_attempts
  match: {event.action: ssh_login, event.outcome: failure}
  source: [source.ip]
  distinct: [user.name]
)";

const std::int64_t t0 = 1727913600;  // 2024-10-03T00:00:00Z

std::string stamp(std::int64_t seconds, int millis = 0) {
  return time::format_utc_ms(time::timestamp::from_millis(seconds * 1000 + millis));
}

std::string web(std::int64_t seconds, const std::string& src, const std::string& domain, int millis = 0) {
  return R"({"@timestamp":")" + stamp(seconds, millis) +
         R"(","event":{"kind":"event","category":["network","web"]},"source":{"ip":")" + src +
         R"("},"url":{"domain":")" + domain + R"("},"organization":{"id":"acme"}})";
}

std::string dns(std::int64_t seconds, const std::string& src, const std::string& name) {
  return R"({"@timestamp":")" + stamp(seconds) +
         R"(","event":{"kind":"event","category":["network"]},"source":{"ip":")" + src +
         R"("},"dns":{"question":{"name":")" + name + R"("}}})";
}

std::string login(std::int64_t seconds, const std::string& src, const std::string& user, bool ok = false) {
  return R"({"@timestamp":")" + stamp(seconds) + R"(","event":{"kind":"event","action":"ssh_login","outcome":")" +
         (ok ? "success" : "failure") + R"("},"source":{"ip":")" + src + R"("},"user":{"name":")" + user +
         R"("},"organization":{"id":"acme"}})";
}

struct harness {
  analytics::engine engine;
  event::parser parser;
  analytics::load_report report;

  explicit harness(const std::string& rules) {
    engine.load_text(rules, "test.yml", report);
    std::string problems;
    for (const auto& p : report.problems) problems += p.reason + "\n";
    BOOST_REQUIRE_MESSAGE(report.problems.empty(), problems);
  }
  // The alerts for the lines, one per string.
  std::vector<std::string> run(const std::vector<std::string>& lines) {
    std::vector<std::string> alerts;
    for (const std::string& line : lines) {
      BOOST_REQUIRE(parser.parse_copy(line) == event::parse_error::none);
      std::string out;
      engine.detect(parser.current(), out);
      std::istringstream in(out);
      for (std::string a; std::getline(in, a);) alerts.push_back(a);
    }
    return alerts;
  }
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(analytics_engine)

BOOST_AUTO_TEST_CASE(regular_contacts_raise_one_beaconing_alert_per_window) {
  harness h(beacon_rule);
  std::vector<std::string> lines;
  const int jitter[] = {0, 2, -1, 1, -2, 0, 1, -1, 2, 0, 1, -2};
  for (int i = 0; i < 12; ++i) lines.push_back(web(t0 + 60 * i + jitter[i], "10.0.0.5", "c2.bad.example"));
  auto alerts = h.run(lines);
  BOOST_REQUIRE_EQUAL(alerts.size(), 1U);
  const std::string& a = alerts[0];
  BOOST_TEST(contains(a, R"("rule":{"id":"beacon-1","name":"Beacon","ruleset":"mimamori-analytics","category":"beaconing","level":"high"})"));
  BOOST_TEST(contains(a, R"("group":[{"field":"source.ip","value":"10.0.0.5"},{"field":"url.domain","value":"c2.bad.example"}])"));
  BOOST_TEST(contains(a, R"("count":6,)"));  // fires at the sixth contact
  BOOST_TEST(contains(a, R"("contacts":6,"period":62,"jitter":0,)"));  // the median interval
  BOOST_TEST(contains(a, R"("technique":{"id":["T1071"],"subtechnique":{"id":["T1071.001"]}})"));
  BOOST_TEST(contains(a, R"("organization":{"id":"acme"})"));
  BOOST_TEST(contains(a, R"("@timestamp":")" + stamp(t0 + 300) + "\""));
  BOOST_TEST(h.engine.counters().alerts == 1U);

  // A window later the pair may alert again.
  std::vector<std::string> later;
  for (int i = 12; i < 80; ++i) later.push_back(web(t0 + 60 * i, "10.0.0.5", "c2.bad.example"));
  BOOST_TEST(h.run(later).size() == 1U);
}

BOOST_AUTO_TEST_CASE(irregular_contacts_do_not_alert) {
  harness h(beacon_rule);
  std::vector<std::string> lines;
  const int gaps[] = {35, 300, 12, 90, 600, 45, 20, 250, 140, 75, 33, 500, 15, 180};
  std::int64_t t = t0;
  for (int g : gaps) lines.push_back(web(t += g, "10.0.0.6", "news.example.jp"));
  BOOST_TEST(h.run(lines).empty());
}

BOOST_AUTO_TEST_CASE(bursts_are_one_contact_and_late_events_join_in_order) {
  harness h(beacon_rule);
  std::vector<std::string> lines;
  for (int i = 0; i < 4; ++i) {
    lines.push_back(web(t0 + 120 * i, "10.0.0.7", "c2.bad.example"));
    lines.push_back(web(t0 + 120 * i, "10.0.0.7", "c2.bad.example", 700));  // the same beacon's POST
  }
  lines.push_back(web(t0 + 120 * 5, "10.0.0.7", "c2.bad.example"));
  BOOST_TEST(h.run(lines).empty());  // five contacts, six needed
  // The missing one arrives late, out of order.
  auto alerts = h.run({web(t0 + 120 * 4, "10.0.0.7", "c2.bad.example")});
  BOOST_REQUIRE_EQUAL(alerts.size(), 1U);
  BOOST_TEST(contains(alerts[0], R"("contacts":6,"period":120,"jitter":0)"));
  BOOST_TEST(contains(alerts[0], R"("count":10,)"));
}

BOOST_AUTO_TEST_CASE(sources_destinations_and_organisations_are_kept_apart) {
  harness h(beacon_rule);
  std::vector<std::string> lines;
  for (int i = 0; i < 6; ++i) {
    // Alternating sources: each has only three contacts... per destination.
    lines.push_back(web(t0 + 60 * i, i % 2 == 0 ? "10.0.0.8" : "10.0.0.9", "c2.bad.example"));
    lines.push_back(web(t0 + 60 * i + 5, "10.0.0.8", i % 2 == 0 ? "a.example" : "b.example"));
  }
  BOOST_TEST(h.run(lines).empty());
}

BOOST_AUTO_TEST_CASE(ignored_and_unmatched_events_are_not_tracked) {
  harness h(beacon_rule);
  std::vector<std::string> lines;
  for (int i = 0; i < 12; ++i) {
    lines.push_back(web(t0 + 60 * i, "10.0.0.5", "fe2.update.windowsupdate.com"));
    lines.push_back(R"({"@timestamp":")" + stamp(t0 + 60 * i + 5) +
                    R"(","event":{"category":["authentication"]},"source":{"ip":"10.0.0.5"},"url":{"domain":"x.example"}})");
  }
  BOOST_TEST(h.run(lines).empty());
}

BOOST_AUTO_TEST_CASE(flows_are_keyed_by_address_and_port) {
  harness h(beacon_rule);
  std::vector<std::string> lines;
  for (int i = 0; i < 6; ++i) {
    lines.push_back(R"({"@timestamp":")" + stamp(t0 + 30 * i) +
                    R"(","event":{"category":["network"]},"source":{"ip":"10.0.0.5"},"destination":{"ip":"203.0.113.9","port":443}})");
  }
  auto alerts = h.run(lines);
  BOOST_REQUIRE_EQUAL(alerts.size(), 1U);
  BOOST_TEST(contains(alerts[0], R"({"field":"destination.ip+destination.port","value":"203.0.113.9:443"})"));
}

BOOST_AUTO_TEST_CASE(many_random_subdomains_of_one_domain_are_a_tunnel) {
  harness h(tunnel_rule);
  std::vector<std::string> lines;
  const char* labels[] = {"a9f3k2m8x7q1z5w4e6r0t2y8", "b8e2j1n7w6p0y4v3d5q9s1x7", "c7d1h0o6v5m9x3u2c4p8r0w6",
                          "d6c0g9p5u4l8w2t1b3o7q9v5", "e5b9f8q4t3k7v1s0a2n6p8u4", "f4a8e7r3s2j6u0r9z1m5o7t3"};
  std::int64_t t = t0;
  for (const char* l : labels) lines.push_back(dns(t += 20, "10.0.0.5", std::string(l) + ".t.tunnel.example.co.jp"));
  // Ordinary names under the same domain do not count.
  lines.insert(lines.begin(), dns(t0, "10.0.0.5", "www.tunnel.example.co.jp"));
  auto alerts = h.run(lines);
  BOOST_REQUIRE_EQUAL(alerts.size(), 1U);
  BOOST_TEST(contains(alerts[0], R"("group":[{"field":"registered_domain","value":"example.co.jp"}])"));
  BOOST_TEST(contains(alerts[0], R"("distinct":5,)"));
  BOOST_TEST(contains(alerts[0], R"("sources":["10.0.0.5"])"));
  BOOST_TEST(contains(alerts[0], R"("@timestamp":")" + stamp(t0 + 100) + "\""));
}

BOOST_AUTO_TEST_CASE(short_or_repeated_names_are_not_a_tunnel) {
  harness h(tunnel_rule);
  std::vector<std::string> lines;
  for (int i = 0; i < 50; ++i) {
    lines.push_back(dns(t0 + i, "10.0.0.5", "host" + std::to_string(i) + ".corp.example.com"));
    lines.push_back(dns(t0 + i, "10.0.0.5", "a9f3k2m8x7q1z5w4e6r0t2y8.example.net"));
    lines.push_back(dns(t0 + i, "10.0.0.5", "aaaaaaaaaaaaaaaaaaaaaaaa" + std::to_string(i) + ".example.org"));
  }
  BOOST_TEST(h.run(lines).empty());
}

BOOST_AUTO_TEST_CASE(a_new_domain_after_learning_alerts_once) {
  harness h(rare_rule);
  auto alerts = h.run({
      web(t0, "10.0.0.5", "www.example.com"),
      web(t0 + 3600, "10.0.0.5", "news.example.jp"),
      web(t0 + 90000, "10.0.0.5", "mail.example.com"),      // known registered domain
      web(t0 + 90010, "10.0.0.6", "login.fresh-phish.example"),  // new
      web(t0 + 90020, "10.0.0.6", "cdn.fresh-phish.example"),    // now known
      dns(t0 + 90030, "10.0.0.6", "5.113.0.203.in-addr.arpa"),   // ignored
  });
  BOOST_REQUIRE_EQUAL(alerts.size(), 1U);
  BOOST_TEST(contains(alerts[0], R"("value":"fresh-phish.example")"));
  BOOST_TEST(contains(alerts[0], R"("watched_since":")" + stamp(t0) + "\""));
  BOOST_TEST(contains(alerts[0], R"("severity":30,)"));
}

BOOST_AUTO_TEST_CASE(spaced_attempts_alert_once_and_fast_or_cancelled_ones_do_not) {
  harness h(spaced_rule);
  auto alerts = h.run({
      // 10.0.0.1: root four times, 15 minutes apart: spaced-1 (one user: not spaced-2)
      login(t0, "10.0.0.1", "root"), login(t0 + 900, "10.0.0.1", "root"),
      login(t0 + 1800, "10.0.0.1", "root"), login(t0 + 2700, "10.0.0.1", "root"),
      // 10.0.0.2: eight tries in 80 s: too close together
      login(t0, "10.0.0.2", "a"), login(t0 + 10, "10.0.0.2", "b"), login(t0 + 20, "10.0.0.2", "c"),
      login(t0 + 30, "10.0.0.2", "d"), login(t0 + 40, "10.0.0.2", "e"), login(t0 + 50, "10.0.0.2", "f"),
      login(t0 + 60, "10.0.0.2", "g"), login(t0 + 70, "10.0.0.2", "h"),
      // 10.0.0.3: three tries, a success, one more: cancelled for spaced-1
      login(t0, "10.0.0.3", "u1"), login(t0 + 1200, "10.0.0.3", "u2"), login(t0 + 2400, "10.0.0.3", "u3"),
      login(t0 + 3000, "10.0.0.3", "u3", true), login(t0 + 3600, "10.0.0.3", "u4"),
      // 10.0.0.4: tries three hours apart: each starts a new sequence
      login(t0, "10.0.0.4", "x"), login(t0 + 10800, "10.0.0.4", "x"), login(t0 + 21600, "10.0.0.4", "x"),
      login(t0 + 32400, "10.0.0.4", "x"),
  });
  // spaced-2 has no cancel: 10.0.0.3's four user names 20 minutes apart
  // (median 20 min) fire it.
  BOOST_REQUIRE_EQUAL(alerts.size(), 2U);
  BOOST_TEST(contains(alerts[0], R"("rule":{"id":"spaced-1")"));
  BOOST_TEST(contains(alerts[0], R"("group":[{"field":"source.ip","value":"10.0.0.1"}])"));
  BOOST_TEST(contains(alerts[0], R"("median_interval":900)"));
  BOOST_TEST(contains(alerts[1], R"("rule":{"id":"spaced-2")"));
  BOOST_TEST(contains(alerts[1], R"("distinct_values":["u1","u2","u3","u4"])"));
  BOOST_TEST(contains(alerts[1], R"("median_interval":1200)"));

  // The sequence starts over after an alert.
  auto more = h.run({login(t0 + 3600, "10.0.0.1", "root"), login(t0 + 4500, "10.0.0.1", "root"),
                     login(t0 + 5400, "10.0.0.1", "root")});
  BOOST_TEST(more.empty());
}

BOOST_AUTO_TEST_CASE(spaced_attempts_state_carries_over) {
  std::vector<std::string> lines;
  for (int i = 0; i < 6; ++i) {
    lines.push_back(login(t0 + 700 * i, "10.0.0.1", "u" + std::to_string(i)));
    lines.push_back(login(t0 + 650 * i + 5, "10.0.0.9", "root"));
  }
  harness whole(spaced_rule);
  const auto expected = whole.run(lines);
  BOOST_TEST(expected.size() == 3U);
  for (std::size_t cut = 1; cut < lines.size(); ++cut) {
    harness first(spaced_rule);
    auto got = first.run({lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(cut)});
    nlohmann::json state;
    first.engine.save(state);
    harness second(spaced_rule);
    second.engine.restore(nlohmann::json::parse(state.dump()));
    auto rest = second.run({lines.begin() + static_cast<std::ptrdiff_t>(cut), lines.end()});
    got.insert(got.end(), rest.begin(), rest.end());
    BOOST_TEST(got == expected, "restart after line " << cut);
  }
}

BOOST_AUTO_TEST_CASE(saved_state_continues_where_it_stopped) {
  const std::string rules = std::string(beacon_rule) + "---\n" + tunnel_rule + "---\n" + rare_rule;
  std::vector<std::string> lines;
  for (int i = 0; i < 30; ++i) {
    lines.push_back(web(t0 + 500 * i, "10.0.0.5", "c2.bad.example"));
    lines.push_back(web(t0 + 500 * i + 7 * i * i, "10.0.0.6", "site" + std::to_string(i % 7) + ".example"));
    lines.push_back(dns(t0 + 60 * i, "10.0.0.5", "x" + std::to_string(i) + "a9f3k2m8x7q1z5w4e6r0t2y8.tunnel.example"));
    lines.push_back(web(t0 + 86400 + 600 * i, "10.0.0.6", "new" + std::to_string(i % 11) + ".example"));
  }
  harness whole(rules);
  const auto expected = whole.run(lines);
  BOOST_TEST(expected.size() >= 10U);

  for (std::size_t cut : {std::size_t{1}, std::size_t{40}, std::size_t{77}}) {
    harness first(rules);
    auto got = first.run({lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(cut)});
    nlohmann::json state;
    first.engine.save(state);
    harness second(rules);
    second.engine.restore(nlohmann::json::parse(state.dump()));
    auto rest = second.run({lines.begin() + static_cast<std::ptrdiff_t>(cut), lines.end()});
    got.insert(got.end(), rest.begin(), rest.end());
    BOOST_TEST(got == expected, "restart after line " << cut);
    nlohmann::json again;
    second.engine.save(again);
    nlohmann::json once;
    whole.engine.save(once);
    BOOST_TEST(again.dump() == once.dump());
  }
}

BOOST_AUTO_TEST_CASE(malformed_state_names_the_rule) {
  harness h(beacon_rule);
  BOOST_CHECK_EXCEPTION(h.engine.restore(nlohmann::json{{"beacon-1", {{"type", "beaconing"}, {"pairs", {1}}}}}),
                        std::runtime_error, [](const std::runtime_error& e) {
                          return std::string(e.what()).starts_with("analytics state of rule 'beacon-1': ");
                        });
}

BOOST_AUTO_TEST_CASE(bad_rules_are_reported_with_line_and_column) {
  analytics::engine e;
  analytics::load_report report;
  e.load_text(R"(title: Bad
id: bad-1
analytics:
  type: beaconing
  sources: [source.ip]
  parameters:
    window: 5 minutes
    min_count: 2
    max_jiter: 0.2
---
title: Unknown
analytics:
  type: lateral
---
title: Not ours
detection: {sel: {a: b}, condition: sel}
)",
              "bad.yml", report);
  BOOST_TEST(e.size() == 0U);
  BOOST_TEST(report.loaded == 0U);
  BOOST_TEST(e.is_rule_file("bad.yml"));
  std::vector<std::string> seen;
  for (const auto& p : report.problems) {
    seen.push_back(std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + p.reason);
  }
  const std::vector<std::string> expected = {
      "5:3: unknown key 'analytics.sources' (type, match, cancel, source, destination, domain, ignore, "
      "distinct, parameters)",
      "7:13: window: '5 minutes' is not a duration (like 30s, 5m, 2h, 7d)",
      "9:5: unknown parameter 'max_jiter' for beaconing (window, min_count, min_period, max_period, "
      "max_jitter, burst, history, max_pairs)",
      "7:5: min_count must be at least 3 (two intervals)",
      "13:9: unknown analytics type 'lateral' (beaconing, dns_tunnel, rare_domain or spaced_attempts)",
  };
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sigma_files_are_not_analytics_files) {
  analytics::engine e;
  analytics::load_report report;
  e.load_text("title: x\ndetection: {analytics: {a: b}, condition: analytics}\n", "sigma.yml", report);
  BOOST_TEST(!e.is_rule_file("sigma.yml"));
  BOOST_TEST(report.problems.empty());
}

BOOST_AUTO_TEST_CASE(events_without_time_are_counted_not_matched) {
  harness h(beacon_rule);
  BOOST_TEST(h.run({R"({"event":{"category":["web"]},"source":{"ip":"10.0.0.5"},"url":{"domain":"a.example"}})"}).empty());
  BOOST_TEST(h.engine.untimed() == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
