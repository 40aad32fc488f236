// Tests for parsers/rulebase.hpp (user rules from YAML) and the generic
// JSON parser (parsers/generic_json.cpp).
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "parse_helper.hpp"
#include "parsers/rulebase.hpp"

using namespace mimamori::parsers;
using testing::run;

namespace {

struct loaded {
  rulebase rules;
  std::vector<std::string> problems;
};

loaded load(const std::string& yaml) {
  loaded l;
  l.rules.load_text(yaml, "test.yml", l.problems);
  return l;
}

// The first problem, or "none".
std::string problem_of(const std::string& yaml) {
  const loaded l = load(yaml);
  return l.problems.empty() ? "none" : l.problems.front();
}

constexpr const char* sshd_rule = R"(
rules:
  - name: my-sshd
    dataset: custom.sshd
    program: sshd
    pattern: 'Accepted %method:word% for %user:word% from %src:ip% port %port:number% %-:rest%'
    fields:
      user.name: {from: user, type: user}
      source.ip: src
      source.port: {from: port, type: port}
      event.action: method
    set:
      event.category: [authentication]
      event.outcome: success
      event.severity: 3
      observer.vendor: OpenBSD
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(rulebase_rules)

BOOST_AUTO_TEST_CASE(a_field_syntax_rule_sets_its_field_map) {
  loaded l = load(sshd_rule);
  BOOST_REQUIRE(l.problems.empty());
  BOOST_REQUIRE_EQUAL(l.rules.rules().size(), 1U);
  const parser& rule = *l.rules.rules()[0];
  BOOST_TEST(rule.name() == "my-sshd");
  BOOST_TEST(rule.dataset() == "custom.sshd");
  const auto r = run(rule, "Oct  3 02:58:02 bastion sshd[1]: Accepted publickey for alice from "
                           "2001:db8::7 port 50022 ssh2");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("related.user") == "[\"alice\"]");
  BOOST_TEST(r.get("source.ip") == "\"2001:db8::7\"");  // ipv6 via %src:ip%, implied type ip
  BOOST_TEST(r.get("related.ip") == "[\"2001:db8::7\"]");
  BOOST_TEST(r.get("source.port") == "50022");
  BOOST_TEST(r.get("event.action") == "\"publickey\"");
  BOOST_TEST(r.get("event.category") == "[\"authentication\"]");
  BOOST_TEST(r.get("event.severity") == "3");  // a plain YAML number stays a number
  BOOST_TEST(r.get("observer.vendor") == "\"OpenBSD\"");
}

BOOST_AUTO_TEST_CASE(the_program_prefilter_declines_other_programs) {
  loaded l = load(sshd_rule);
  const auto r = run(*l.rules.rules()[0],
                     "Oct  3 02:58:02 bastion other[1]: Accepted publickey for alice from "
                     "10.0.0.1 port 22 ssh2");
  BOOST_TEST((r.what == outcome::no_match));
  BOOST_TEST(r.fields.empty());
}

BOOST_AUTO_TEST_CASE(a_regex_rule_uses_named_groups_and_converts_times) {
  loaded l = load(R"(
rules:
  - name: app
    regex: '^(?P<when>\d\d/\d\d/\d{4} \d\d:\d\d:\d\d) (?P<lvl>\w+) (?P<who>\S+)'
    fields:
      "@timestamp": {from: when, type: timestamp, format: "%d/%m/%Y %H:%M:%S"}
      log.level: {from: lvl, type: lower}
      host.name: {from: who, type: host}
)");
  BOOST_REQUIRE_MESSAGE(l.problems.empty(), (l.problems.empty() ? std::string() : l.problems.front()));
  const auto r = run(*l.rules.rules()[0], "03/10/2024 12:00:01 WARN web-1 disk full",
                     *mimamori::time::zone::locate("+09:00"));
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:01.000Z\"");  // read in --tz
  BOOST_TEST(r.get("log.level") == "\"warn\"");
  BOOST_TEST(r.get("related.hosts") == "[\"web-1\"]");
}

BOOST_AUTO_TEST_CASE(a_stamp_without_a_year_takes_the_nearest_year) {
  loaded l = load(R"(
rules:
  - name: y
    pattern: '[%t:char-to:]%] %m:rest%'
    fields:
      "@timestamp": {from: t, type: timestamp, format: "%m.%d %H:%M:%S"}
)");
  BOOST_REQUIRE(l.problems.empty());
  // Received 2024-10-03: April 1 is nearer next year (180 days ahead) than
  // this year (185 days back); Oct 2 is this year's.
  BOOST_TEST(run(*l.rules.rules()[0], "[04.01 00:00:00] x").get("@timestamp") ==
             "\"2025-04-01T00:00:00.000Z\"");
  BOOST_TEST(run(*l.rules.rules()[0], "[10.02 01:00:00] x").get("@timestamp") ==
             "\"2024-10-02T01:00:00.000Z\"");
}

BOOST_AUTO_TEST_CASE(a_capture_of_the_wrong_type_makes_the_rule_decline) {
  loaded l = load(R"(
rules:
  - name: t
    pattern: 'from %src:word%'
    fields:
      source.ip: {from: src, type: ip}
)");
  BOOST_REQUIRE(l.problems.empty());
  BOOST_TEST((run(*l.rules.rules()[0], "from 10.0.0.1").what == outcome::parsed));
  BOOST_TEST((run(*l.rules.rules()[0], "from host.example").what == outcome::no_match));
}

BOOST_AUTO_TEST_CASE(a_pattern_matches_lines_that_are_not_utf8) {
  // Latin-1 bytes from an old device: the pattern matches bytes.
  loaded l = load("rules:\n  - name: b\n    pattern: 'user %u:word% at %w:rest%'\n");
  BOOST_REQUIRE(l.problems.empty());
  const auto r = run(*l.rules.rules()[0], "user caf\xe9 at caf\xe9-\xb5");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.has("user.name") == false);  // no field map: nothing set
}

BOOST_AUTO_TEST_CASE(json_rules_map_dotted_paths_and_match_values) {
  loaded l = load(R"(
rules:
  - name: okta
    format: json
    match: {eventType: user.session.start}
    fields:
      source.ip: client.ipAddress
      user.name: {from: actor.alternateId, type: user}
      event.outcome: {from: outcome.result, type: lower}
      okta.risk: risk
    keep: okta.raw
)");
  BOOST_REQUIRE_MESSAGE(l.problems.empty(), (l.problems.empty() ? std::string() : l.problems.front()));
  const auto r = run(*l.rules.rules()[0],
                     R"({"eventType":"user.session.start","client":{"ipAddress":"198.51.100.4"},)"
                     R"("actor":{"alternateId":"bob@example.com"},"outcome":{"result":"FAILURE"},)"
                     R"("risk":7})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.4\"");
  BOOST_TEST(r.get("user.name") == "\"bob@example.com\"");
  BOOST_TEST(r.get("event.outcome") == "\"failure\"");
  BOOST_TEST(r.get("okta.risk") == "7");  // a number keeps its JSON type
  BOOST_TEST(r.get("okta.raw.client.ipAddress") == "\"198.51.100.4\"");
  const auto other = run(*l.rules.rules()[0], R"({"eventType":"user.session.end"})");
  BOOST_TEST((other.what == outcome::no_match));
}

BOOST_AUTO_TEST_CASE(kv_rules_map_keys_and_unquote_values) {
  loaded l = load(R"(
rules:
  - name: kvdev
    format: kv
    match: {devtype: gw}
    fields:
      source.ip: src
      destination.port: {from: dport, type: port}
      message: msg
)");
  BOOST_REQUIRE(l.problems.empty());
  const auto r =
      run(*l.rules.rules()[0], R"(devtype=gw src=10.1.1.1 dport=443 msg="say \"hi\" now")");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("source.ip") == "\"10.1.1.1\"");
  BOOST_TEST(r.get("destination.port") == "443");
  BOOST_TEST(r.get("message") == R"("say \"hi\" now")");
  BOOST_TEST((run(*l.rules.rules()[0], "devtype=fw src=10.1.1.1").what == outcome::no_match));
}

BOOST_AUTO_TEST_CASE(explains_why_a_rule_did_not_match) {
  loaded l = load(R"(
rules:
  - name: p
    pattern: 'user %u:word% from %ip:ipv4% port %p:number%'
)");
  BOOST_REQUIRE(l.problems.empty());
  const parser& rule = *l.rules.rules()[0];
  mimamori::syslog::header h;
  const auto received = mimamori::time::timestamp::from_seconds(1727924400);
  const auto tz = mimamori::time::zone::utc();
  const std::string line = "user bob from 10.0.0.1 port x22";
  mimamori::syslog::parse_header(line, {received, tz}, h);
  const std::string why = l.rules.why_not(rule, {line, h, received, tz});
  BOOST_TEST(why == "the pattern stops at '%p:number%' (pattern column 35), the text there is 'x22'");
  BOOST_TEST(l.rules.origin(rule) == "test.yml:3");
}

BOOST_AUTO_TEST_CASE(a_regex_field_is_part_of_the_one_pattern) {
  loaded l = load(R"(
rules:
  - name: r
    pattern: 'ticket %t:regex:[A-Z]{3}-[0-9]{4}% from %src:ip% took %ms:regex:[0-9]+(?:\.[0-9]+)?%ms'
    fields:
      event.id: t
      source.ip: src
      event.risk_score: {from: ms, type: float}
)");
  BOOST_REQUIRE_MESSAGE(l.problems.empty(), (l.problems.empty() ? std::string() : l.problems[0]));
  const auto r = run(*l.rules.rules()[0], "ticket ABC-0042 from 192.0.2.9 took 12.5ms");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.id") == "\"ABC-0042\"");
  BOOST_TEST(r.get("source.ip") == "\"192.0.2.9\"");
  BOOST_TEST(r.get("event.risk_score") == "12.5");
  BOOST_TEST((run(*l.rules.rules()[0], "ticket abc-0042 from 192.0.2.9 took 1ms").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_CASE(reports_every_problem_with_file_line_and_column) {
  BOOST_TEST(problem_of("rules:\n  - name: a\n    regex: '(?P<x>['\n") ==
             "test.yml:3:12: invalid regex: missing ]: [");
  BOOST_TEST(problem_of("rules:\n  - name: a\n    pattern: 'x %y:regex:a(b%'\n") ==
             "test.yml:3:26: pattern: regex of field 'y': missing ): a(b");
  BOOST_TEST(problem_of("rules:\n  - name: a\n    pattern: 'x %y:wrod%'\n")
                 .rfind("test.yml:3:20: pattern: unknown field type 'wrod'", 0) == 0);
  BOOST_TEST(problem_of("rules:\n  - name: a\n    pattern: '%y:word%'\n    fields:\n"
                        "      source.ip: {from: z, type: ip}\n") ==
             "test.yml:5:18: capture 'z' is not in the pattern (its captures: y)");
  BOOST_TEST(problem_of("rules:\n  - name: a\n    pattern: '%y:word%'\n    fields:\n"
                        "      source.ip: {from: y, type: ipaddr}\n")
                 .rfind("test.yml:5:34: unknown type 'ipaddr' for source.ip (known: string, ", 0) ==
             0);
  BOOST_TEST(problem_of("rules:\n  - name: a\n    patern: 'x'\n") ==
             "test.yml:3:5: unknown key 'patern' in a rule (did you mean 'pattern'?)");
  BOOST_TEST(problem_of("rules:\n  - name: linux-auth\n    pattern: 'x'\n") ==
             "test.yml:2:11: rule name 'linux-auth' is taken (by a built-in parser or an earlier "
             "rule)");
  BOOST_TEST(problem_of("rules: [\n") .rfind("test.yml:2:1: YAML: ", 0) == 0);
  BOOST_TEST(problem_of("- name: a\n") == "test.yml: a rulebase is a mapping with a list under rules:");
  BOOST_TEST(problem_of("rules:\n  - name: a\n    pattern: '%t:word%'\n    fields:\n"
                        "      \"@timestamp\": {from: t, type: timestamp, format: \"%Q\"}\n")
                 .rfind("test.yml:5:56: time format '%Q' has an unknown directive '%Q'", 0) == 0);
  // Every problem is reported, not only the first; the file adds no rule.
  const loaded l = load("rules:\n  - name: a\n    pattern: '%x'\n  - pattern: 'y'\n");
  BOOST_TEST(l.problems.size() == 2U);
  BOOST_TEST(l.rules.rules().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(generic_json_format)

BOOST_AUTO_TEST_CASE(keeps_the_keys_of_an_unknown_object_under_json) {
  const auto r = run(generic_json(), R"({"app":"pay","ctx":{"user":"u1","n":[1,2]},"ok":true,)"
                                     R"("time":"2024-10-03T12:00:00+09:00"})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("json.app") == "\"pay\"");
  BOOST_TEST(r.get("json.ctx.user") == "\"u1\"");
  BOOST_TEST(r.get("json.ctx.n") == "[1,2]");
  BOOST_TEST(r.get("json.ok") == "true");
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
}

BOOST_AUTO_TEST_CASE(declines_text_that_only_looks_like_an_object) {
  BOOST_TEST((run(generic_json(), "{x} y}").what == outcome::no_match));
  BOOST_TEST((run(generic_json(), "plain text").what == outcome::no_match));
}

BOOST_AUTO_TEST_CASE(comes_after_every_built_in_json_format) {
  BOOST_TEST(testing::detect(R"({"event_type":"dns","src_ip":"10.0.0.1"})") == "suricata");
  BOOST_TEST(testing::detect(R"({"anything":"else"})") == "json");
}

BOOST_AUTO_TEST_SUITE_END()
