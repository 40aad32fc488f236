#include "incident/engine.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "incident/store.hpp"
#include "temp_dir.hpp"
#include "time/rfc3339.hpp"

using namespace mimamori;

namespace {

// Feeds NDJSON lines to an engine and keeps what it writes.
struct fixture {
  explicit fixture(incident::engine_options o = {}) : engine(std::move(o)) {}
  incident::engine engine;
  event::parser parser;
  std::string out;
  std::string suppressed;

  void feed(const std::string& line) {
    BOOST_REQUIRE(parser.parse_copy(line) == event::parse_error::none);
    auto kind = parser.current().string("event.kind");
    if (kind && *kind == "alert") {
      engine.process(parser.current(), out, suppressed);
    } else {
      engine.observe(parser.current());
    }
  }
  // The last record written for each incident, by id.
  std::map<std::string, nlohmann::json> incidents() {
    engine.flush(out);  // the count-only updates too
    std::map<std::string, nlohmann::json> by_id;
    std::istringstream lines(out);
    for (std::string l; std::getline(lines, l);) {
      auto j = nlohmann::json::parse(l);
      by_id[j["mimamori"]["incident"]["id"]] = j;
    }
    return by_id;
  }
  std::size_t suppressed_count() const {
    return static_cast<std::size_t>(std::count(suppressed.begin(), suppressed.end(), '\n'));
  }
};

std::string edr(const std::string& ts, const std::string& host, const std::string& hash,
                const std::string& org = "acme") {
  return R"({"@timestamp":")" + ts + R"(","event":{"kind":"alert","category":["malware"],"severity":60,"original":"edr )" +
         host + " " + hash + R"("},"rule":{"name":"Trojan:Win32/Emotet"},"observer":{"type":"edr"},"organization":{"id":")" +
         org + R"("},"host":{"name":")" + host + R"("},"file":{"hash":{"sha256":")" + hash + R"("}}})";
}

std::string intel(const std::string& ts, const std::string& src, const std::string& domain,
                  const std::string& org = "acme") {
  return R"({"@timestamp":")" + ts + R"(","event":{"kind":"alert","dataset":"mimamori.intel","severity":47,"original":"GET http://)" +
         domain + "/ from " + src + R"("},"rule":{"name":"Threat intel match: domain-name","ruleset":"mimamori-intel","category":"threat-intel"},"threat":{"indicator":{"type":"domain-name","name":")" +
         domain + R"(","confidence":"Not Specified"},"enrichments":[{"matched":{"field":"url.domain"}}]},"organization":{"id":")" +
         org + R"("},"source":{"ip":")" + src + R"("},"observer":{"type":"proxy"},"url":{"domain":")" + domain + R"("}})";
}

const std::string hash_a(64, 'a');
const std::string hash_b(64, 'b');

}  // namespace

BOOST_AUTO_TEST_SUITE(incident_engine)

BOOST_AUTO_TEST_CASE(same_host_and_family_group_into_one_incident) {
  fixture f;
  for (int i = 0; i < 5; ++i) f.feed(intel("2026-10-05T01:0" + std::to_string(i) + ":00Z", "10.0.0.5", "c2.example"));
  f.feed(intel("2026-10-05T01:10:00Z", "10.0.0.6", "c2.example"));
  auto by_id = f.incidents();
  BOOST_TEST(by_id.size() == 2u);
  BOOST_TEST(by_id.count("ACME-2026-000001") == 1u);
  BOOST_TEST(by_id.count("ACME-2026-000002") == 1u);
  const auto& first = by_id["ACME-2026-000001"]["mimamori"]["incident"];
  BOOST_TEST(first["alert_count"] == 5);
  BOOST_TEST(first["hosts"][0] == "10.0.0.5");
  BOOST_TEST(first["recommended"]["block_domains"][0] == "c2.example");
}

BOOST_AUTO_TEST_CASE(a_gap_longer_than_the_grouping_window_opens_a_new_incident) {
  incident::engine_options o;
  o.group_gap = std::chrono::hours(1);
  fixture f(o);
  f.feed(intel("2026-10-05T01:00:00Z", "10.0.0.5", "c2.example"));
  f.feed(intel("2026-10-05T01:59:00Z", "10.0.0.5", "c2.example"));
  f.feed(intel("2026-10-05T03:00:00Z", "10.0.0.5", "c2.example"));
  BOOST_TEST(f.incidents().size() == 2u);
}

BOOST_AUTO_TEST_CASE(organizations_never_share_incidents_or_numbers) {
  fixture f;
  f.feed(intel("2026-10-05T01:00:00Z", "10.0.0.5", "c2.example", "acme"));
  f.feed(intel("2026-10-05T01:00:00Z", "10.0.0.5", "c2.example", "globex"));
  auto by_id = f.incidents();
  BOOST_TEST(by_id.count("ACME-2026-000001") == 1u);
  BOOST_TEST(by_id.count("GLOBEX-2026-000001") == 1u);
  // Spread is counted per organization: neither is raised by the other.
  BOOST_TEST(by_id["ACME-2026-000001"]["event"]["severity"] == 47);
}

BOOST_AUTO_TEST_CASE(same_hash_on_same_host_within_72_hours_is_not_reported_again) {
  fixture f;
  f.feed(edr("2026-10-05T01:00:00Z", "PC-1", hash_a));
  f.feed(edr("2026-10-06T01:00:00Z", "PC-1", hash_a));  // 24 h: repeat
  f.feed(edr("2026-10-07T23:00:00Z", "PC-1", hash_a));  // 70 h: repeat
  f.feed(edr("2026-10-06T02:00:00Z", "PC-2", hash_a));  // another host: reported
  f.feed(edr("2026-10-06T03:00:00Z", "PC-1", hash_b));  // another hash: reported
  f.feed(edr("2026-10-08T02:00:00Z", "PC-1", hash_a));  // 73 h after the last reported: reported
  BOOST_TEST(f.suppressed_count() == 2u);
  BOOST_TEST(f.engine.counts().suppressed_by_dedup == 2u);
  f.engine.flush(f.out);
  auto by_id = f.incidents();
  const auto& pc1 = by_id["ACME-2026-000001"]["mimamori"]["incident"];
  BOOST_TEST(pc1["hosts"][0] == "PC-1");
  BOOST_TEST(pc1["suppressed_count"] == 2);
  // Repeats do not extend the incident: the next alerts, more than the 24 h
  // grouping gap after its last one, open new incidents.
  BOOST_TEST(pc1["alert_count"] == 1);
  BOOST_TEST(by_id.size() == 4u);
  BOOST_TEST(f.suppressed.find(R"("by":"dedup")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dedup_rules_are_parsed_and_checked) {
  auto rule = incident::parse_dedup_rule("host.name|host.ip,rule.id:30m");
  BOOST_REQUIRE(rule.has_value());
  BOOST_TEST(rule->fields.size() == 2u);
  BOOST_TEST(rule->fields[0].size() == 2u);
  BOOST_TEST(rule->window.count() == std::chrono::nanoseconds(std::chrono::minutes(30)).count());
  BOOST_TEST(!incident::parse_dedup_rule("host.name").has_value());
  BOOST_TEST(!incident::parse_dedup_rule("host.name:3x").has_value());
  BOOST_TEST(!incident::parse_dedup_rule(",:1h").has_value());
}

BOOST_AUTO_TEST_CASE(severity_is_explained_step_by_step) {
  incident::evidence_facts f;
  f.base = 47;
  f.base_rule = "Threat intel match";
  f.allowed = 3;
  f.alerts = 4;
  std::vector<incident::reason> reasons;
  BOOST_TEST(incident::compute_score(f, reasons) == 72);
  BOOST_TEST(incident::score_only(f) == 72);
  BOOST_REQUIRE(reasons.size() == 3u);
  BOOST_TEST(reasons[0].step == "rule");
  BOOST_TEST(reasons[1].step == "outcome");
  BOOST_TEST(reasons[1].delta == 15);
  BOOST_TEST(reasons[2].step == "repetition");
  // An end-of-support PC and a critical asset raise it further, capped at 100.
  f.end_of_support = "Windows XP";
  f.criticality = "critical";
  f.failures_before_success = 5;
  BOOST_TEST(incident::compute_score(f, reasons) == 100);
  BOOST_TEST(reasons.back().step == "clamp");
  // Blocked traffic and low confidence lower it.
  incident::evidence_facts g;
  g.base = 47;
  g.confidence = 10;
  g.blocked = 2;
  BOOST_TEST(incident::compute_score(g, reasons) == 22);
}

BOOST_AUTO_TEST_CASE(labels_follow_the_profile) {
  auto mss = *incident::find_profile("mss");
  auto four = *incident::find_profile("four");
  BOOST_TEST(incident::label_of(mss, 95) == "Emergency");
  BOOST_TEST(incident::label_of(mss, 72) == "Critical");
  BOOST_TEST(incident::label_of(mss, 40) == "Warning");
  BOOST_TEST(incident::label_of(mss, 39) == "Informational");
  BOOST_TEST(incident::label_of(four, 72) == "Serious");
  BOOST_TEST(incident::label_of(four, 10) == "Information");
  BOOST_TEST(!incident::find_profile("five").has_value());
  BOOST_TEST(incident::deadline_delay(0)->count() == 10);
  BOOST_TEST(incident::deadline_delay(2)->count() == 120);
  BOOST_TEST(!incident::deadline_delay(3).has_value());
}

BOOST_AUTO_TEST_CASE(a_login_after_failures_is_an_emergency) {
  fixture f;
  for (int i = 0; i < 5; ++i) {
    f.feed(R"({"@timestamp":"2026-10-05T01:00:0)" + std::to_string(i) +
           R"(Z","event":{"kind":"event","category":["authentication"],"outcome":"failure","original":"fail )" +
           std::to_string(i) + R"("},"host":{"hostname":"srv01"},"source":{"ip":"198.51.100.7"}})");
  }
  const std::string ok = R"("original":"Accepted password for root from 198.51.100.7")";
  f.feed(R"({"@timestamp":"2026-10-05T01:00:09Z","event":{"kind":"event","category":["authentication"],"outcome":"success",)" +
         ok + R"(},"host":{"hostname":"srv01"},"source":{"ip":"198.51.100.7"}})");
  f.feed(R"({"@timestamp":"2026-10-05T01:00:09Z","event":{"kind":"alert","severity":50,)" + ok +
         R"(},"rule":{"name":"SSH Login As Root Accepted","level":"medium"},"threat":{"tactic":{"name":["Initial Access"]}},"host":{"hostname":"srv01"},"user":{"name":"root"},"source":{"ip":"198.51.100.7"}})");
  auto by_id = f.incidents();
  BOOST_REQUIRE(by_id.size() == 1u);
  const auto& i = by_id.begin()->second;
  BOOST_TEST(i["event"]["severity"] == 90);
  BOOST_TEST(i["mimamori"]["incident"]["severity"] == "Emergency");
  BOOST_TEST(i["mimamori"]["incident"]["recommended"]["block_ips"][0] == "198.51.100.7");
  BOOST_TEST(i["mimamori"]["incident"]["recommended"]["isolate_hosts"][0] == "srv01");
  BOOST_TEST(i["mimamori"]["incident"]["deadline"] == "2026-10-05T01:10:09.000Z");
}

BOOST_AUTO_TEST_CASE(end_of_support_os_from_the_inventory_raises_severity) {
  fixture f;
  incident::asset a;
  a.hostname = "PC-XP";
  a.os = "Windows XP Professional";
  a.criticality = "high";
  f.engine.assets().add(a);
  f.feed(edr("2026-10-05T01:00:00Z", "PC-XP", hash_a));
  auto i = f.incidents().begin()->second;
  BOOST_TEST(i["event"]["severity"] == 80);  // 60 + 10 (high) + 10 (end of support)
  BOOST_TEST(i["mimamori"]["incident"]["verdict"] == "black");
  BOOST_TEST(incident::end_of_support_os("Windows 10 Pro", *time::parse_rfc3339("2025-10-01T00:00:00Z")).empty());
  BOOST_TEST(!incident::end_of_support_os("Windows 10 Pro", *time::parse_rfc3339("2025-10-15T00:00:00Z")).empty());
  BOOST_TEST(incident::end_of_support_os("Windows 8.1", *time::parse_rfc3339("2016-02-01T00:00:00Z")).empty());
}

BOOST_AUTO_TEST_CASE(grey_without_reply_turns_white_after_three_business_days) {
  fixture f;
  // 60 on a PC without inventory: grey. Fri 2026-10-02 10:00 JST.
  f.feed(edr("2026-10-02T01:00:00Z", "PC-1", hash_a));
  auto i = f.incidents().begin()->second["mimamori"]["incident"];
  BOOST_TEST(i["verdict"] == "grey");
  BOOST_TEST(i["verdict_due"] == "2026-10-07T01:00:00.000Z");
  std::string out;
  BOOST_TEST(f.engine.run_timers(*time::parse_rfc3339("2026-10-07T00:59:59Z"), out) == 0u);
  BOOST_TEST(f.engine.run_timers(*time::parse_rfc3339("2026-10-07T01:00:00Z"), out) == 1u);
  BOOST_TEST(out.find(R"("verdict":"white")") != std::string::npos);
  BOOST_TEST(f.engine.state().history.size() == 1u);
}

BOOST_AUTO_TEST_CASE(tuning_period_marks_new_incidents) {
  incident::engine_options o;
  o.tuning.push_back(*incident::parse_tuning("acme:30"));
  fixture f(o);
  f.feed(intel("2026-10-01T00:00:00Z", "10.0.0.5", "c2.example"));
  f.feed(intel("2026-11-05T00:00:00Z", "10.0.0.6", "c2.example"));
  auto by_id = f.incidents();
  BOOST_TEST(by_id["ACME-2026-000001"]["mimamori"]["incident"]["status"] == "tuning");
  BOOST_TEST(by_id["ACME-2026-000001"]["mimamori"]["incident"]["delivery"] == "none");
  BOOST_TEST(by_id["ACME-2026-000002"]["mimamori"]["incident"]["status"] == "new");
  BOOST_TEST(!incident::parse_tuning("acme").has_value());
  BOOST_TEST(incident::parse_tuning("acme:30:2026-10-01")->start.has_value());
}

BOOST_AUTO_TEST_CASE(store_round_trip_keeps_numbers_and_dedup) {
  testing::temp_dir dir;
  const std::string path = dir.file("s.db");
  {
    fixture f;
    incident::store s(path);
    s.load(f.engine);
    f.feed(edr("2026-10-05T01:00:00Z", "PC-1", hash_a));
    s.save(f.engine, "in", 1, "mss");
    BOOST_TEST(s.checkpoint("in") == 1u);
  }
  fixture f;
  incident::store s(path);
  s.load(f.engine);
  f.feed(edr("2026-10-05T02:00:00Z", "PC-1", hash_a));  // a repeat, across the restart
  f.feed(edr("2026-10-05T02:00:00Z", "PC-9", hash_b));
  BOOST_TEST(f.suppressed_count() == 1u);
  BOOST_TEST(f.incidents().count("ACME-2026-000002") == 1u);
  s.save(f.engine, "in", 3, "mss");
  s.set("ACME-2026-000001", "status", "closed", "sato", *time::parse_rfc3339("2026-10-05T03:00:00Z"));
  BOOST_TEST(s.get("ACME-2026-000001")->status == "closed");
  BOOST_TEST(s.get("ACME-2026-000001")->suppressed_count == 1u);
  BOOST_TEST(s.history("ACME-2026-000001").size() == 1u);
  BOOST_CHECK_THROW(s.set("ACME-2026-999999", "note", "x", "sato", {}), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(failed_logins_and_the_last_event_survive_a_restart) {
  // Failures in one run; the success event, a checkpoint; its alert after a
  // restart: rated as if the run had never stopped.
  testing::temp_dir dir;
  const std::string path = dir.file("s.db");
  const std::string ok = R"("original":"Accepted password for root from 198.51.100.7")";
  {
    fixture f;
    incident::store s(path);
    s.load(f.engine);
    f.feed(edr("2026-10-05T00:59:00Z", "PC-1", hash_a));  // moves the watermark
    for (int i = 0; i < 3; ++i) {
      f.feed(R"({"@timestamp":"2026-10-05T01:00:0)" + std::to_string(i) +
             R"(Z","event":{"kind":"event","category":["authentication"],"outcome":"failure","original":"fail )" +
             std::to_string(i) + R"("},"host":{"hostname":"srv01"},"source":{"ip":"198.51.100.7"}})");
    }
    s.save(f.engine, "in", 4, "mss");
    f.engine.evict();
    f.feed(R"({"@timestamp":"2026-10-05T01:00:09Z","event":{"kind":"event","category":["authentication"],"outcome":"success",)" +
           ok + R"(},"host":{"hostname":"srv01"},"source":{"ip":"198.51.100.7"}})");
    s.save(f.engine, "in", 5, "mss");
  }
  fixture f;
  incident::store s(path);
  s.load(f.engine);
  BOOST_TEST(f.engine.state().context.failures_before == 3u);
  BOOST_TEST(f.engine.state().context.auth_failures.empty());  // the success consumed them
  f.feed(R"({"@timestamp":"2026-10-05T01:00:09Z","event":{"kind":"alert","severity":50,)" + ok +
         R"(},"rule":{"name":"SSH Login As Root Accepted","level":"medium"},"threat":{"tactic":{"name":["Initial Access"]}},"host":{"hostname":"srv01"},"user":{"name":"root"},"source":{"ip":"198.51.100.7"}})");
  auto by_id = f.incidents();
  BOOST_REQUIRE(by_id.count("DEFAULT-2026-000001") == 1u);
  BOOST_TEST(by_id["DEFAULT-2026-000001"]["event"]["severity"] == 90);
}

BOOST_AUTO_TEST_CASE(failed_logins_older_than_the_window_are_not_kept) {
  testing::temp_dir dir;
  const std::string path = dir.file("s.db");
  {
    fixture f;
    incident::store s(path);
    s.load(f.engine);
    f.feed(R"({"@timestamp":"2026-10-05T01:00:00Z","event":{"kind":"event","category":["authentication"],"outcome":"failure","original":"fail"},"host":{"hostname":"srv01"},"source":{"ip":"198.51.100.7"}})");
    s.save(f.engine, "in", 1, "mss");
    f.feed(edr("2026-10-05T02:00:01Z", "PC-1", hash_a));  // the watermark passes the hour
    s.save(f.engine, "in", 2, "mss");
    f.engine.evict();
    BOOST_TEST(f.engine.state().context.auth_failures.empty());
  }
  fixture f;
  incident::store s(path);
  s.load(f.engine);
  BOOST_TEST(f.engine.state().context.auth_failures.empty());
  BOOST_TEST((f.engine.state().watermark == *time::parse_rfc3339("2026-10-05T02:00:01Z")));
}

BOOST_AUTO_TEST_CASE(grey_timers_fire_when_the_watermark_passes_them) {
  fixture f;
  f.feed(edr("2026-10-02T01:00:00Z", "PC-1", hash_a));  // due 2026-10-07T01:00Z
  BOOST_TEST((f.engine.next_timer() == *time::parse_rfc3339("2026-10-07T01:00:00Z")));
  f.feed(edr("2026-10-07T00:59:59Z", "PC-2", hash_b));
  BOOST_TEST(f.out.find(R"("verdict":"white")") == std::string::npos);
  f.feed(edr("2026-10-07T01:00:00Z", "PC-3", hash_b));
  // The white record comes before PC-3's new incident.
  const auto white = f.out.find(R"("verdict":"white")");
  BOOST_REQUIRE(white != std::string::npos);
  BOOST_TEST(white < f.out.find(R"("hosts":["PC-3"])"));
  BOOST_TEST(f.out.find("grey with no reply by 2026-10-07T01:00:00.000Z: treated as white") != std::string::npos);
  BOOST_TEST((f.engine.next_timer() < time::timestamp::max()));  // PC-2's and PC-3's
  std::string out;
  BOOST_TEST(f.engine.run_timers(*time::parse_rfc3339("2026-10-07T01:00:00Z"), out) == 0u);  // not twice
}

BOOST_AUTO_TEST_CASE(a_timer_fired_by_triage_timers_does_not_fire_again_in_a_running_stream) {
  testing::temp_dir dir;
  const std::string path = dir.file("s.db");
  fixture stream;
  incident::store stream_store(path);
  stream_store.load(stream.engine);
  stream.engine.before_timers = [&] { stream_store.refresh(stream.engine); };
  stream.feed(edr("2026-10-02T01:00:00Z", "PC-1", hash_a));  // grey, due 2026-10-07T01:00Z
  stream_store.save(stream.engine, "in", 1, "mss");
  {
    // `triage timers` from cron meanwhile.
    incident::engine cron{incident::engine_options{}};
    incident::store cron_store(path);
    cron_store.load(cron);
    std::string out;
    BOOST_TEST(cron.run_timers(*time::parse_rfc3339("2026-10-08T00:00:00Z"), out) == 1u);
    std::vector<std::string> changed;
    for (const incident::incident* i : cron.state().dirty) changed.push_back(i->id);
    cron_store.save(cron, nullptr, 0, "mss", changed);
  }
  stream.out.clear();
  stream.feed(edr("2026-10-08T00:00:00Z", "PC-2", hash_b));  // passes the due time
  BOOST_TEST(stream.out.find(R"("verdict":"white")") == std::string::npos);
  BOOST_TEST(stream.engine.state().history.empty());
  BOOST_TEST(stream.engine.state().by_id.at("ACME-2026-000001")->verdict == "white");
  stream_store.save(stream.engine, "in", 2, "mss");
  BOOST_TEST(stream_store.history("ACME-2026-000001").size() == 1u);
  BOOST_TEST(stream_store.get("ACME-2026-000001")->verdict == "white");
}

BOOST_AUTO_TEST_SUITE_END()
