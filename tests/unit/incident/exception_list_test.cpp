#include "incident/exception_list.hpp"

#include <boost/test/unit_test.hpp>

#include "temp_dir.hpp"
#include "time/rfc3339.hpp"

using namespace mimamori;

namespace {

const std::string alert_text =
    R"({"@timestamp":"2026-10-05T01:00:00Z","event":{"kind":"alert","severity":47},)"
    R"("rule":{"id":"r-1","name":"Threat intel match: domain-name"},"organization":{"id":"acme"},)"
    R"("source":{"ip":"10.1.20.44"},"host":{"name":"PC-0042"},"user":{"name":"Tanaka"},)"
    R"("url":{"domain":"www.intra.example","full":"https://www.intra.example/app/login"},)"
    R"("file":{"hash":{"sha256":"AB00000000000000000000000000000000000000000000000000000000000000"}}})";

incident::exception_entry entry(incident::exception_kind k, std::string value, std::string org = "acme") {
  incident::exception_entry e;
  e.org = std::move(org);
  e.kind = k;
  e.value = std::move(value);
  e.owner = "sato";
  e.reason = "business site";
  return e;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(incident_exception_list)

BOOST_AUTO_TEST_CASE(each_kind_matches_its_fields) {
  event::parser p;
  BOOST_REQUIRE(p.parse_copy(alert_text) == event::parse_error::none);
  const event::record& r = p.current();
  const time::timestamp when = *time::parse_rfc3339("2026-10-05T01:00:00Z");
  struct row {
    incident::exception_kind kind;
    const char* value;
    bool matches;
  };
  const row rows[] = {
      {incident::exception_kind::domain, "intra.example", true},  // a subdomain
      {incident::exception_kind::domain, "ntra.example", false},  // not a label boundary
      {incident::exception_kind::url, "https://www.intra.example/app/", true},
      {incident::exception_kind::url, "https://www.intra.example/other", false},
      {incident::exception_kind::ip, "10.1.0.0/16", true},
      {incident::exception_kind::ip, "10.2.0.0/16", false},
      {incident::exception_kind::ip, "10.1.20.44", true},
      {incident::exception_kind::host, "pc-0042", true},  // any case
      {incident::exception_kind::user, "tanaka", true},
      {incident::exception_kind::rule, "r-1", true},
      {incident::exception_kind::rule, "Threat intel match: domain-name", true},
      {incident::exception_kind::hash, "ab00000000000000000000000000000000000000000000000000000000000000", true},
      {incident::exception_kind::match, "url.domain=www.intra.example and event.severity=47", true},
      {incident::exception_kind::match, "user.name~Tan", true},
      {incident::exception_kind::match, "user.name!=Tanaka", false},
      {incident::exception_kind::match, "dns.question.name!=x", true},
  };
  for (const row& x : rows) {
    incident::exception_list list;
    list.add(entry(x.kind, x.value));
    BOOST_TEST((list.match("acme", when, r) != nullptr) == x.matches,
               incident::kind_name(x.kind) << " " << x.value);
  }
}

BOOST_AUTO_TEST_CASE(entries_apply_to_their_organization_until_they_expire) {
  event::parser p;
  BOOST_REQUIRE(p.parse_copy(alert_text) == event::parse_error::none);
  incident::exception_list list;
  list.add(entry(incident::exception_kind::domain, "intra.example", "globex"));
  auto e = entry(incident::exception_kind::domain, "intra.example");
  e.expires = *time::parse_rfc3339("2026-10-05T00:00:00Z");
  list.add(e);
  BOOST_TEST(list.match("acme", *time::parse_rfc3339("2026-10-04T23:00:00Z"), p.current()) != nullptr);
  BOOST_TEST(list.match("acme", *time::parse_rfc3339("2026-10-05T01:00:00Z"), p.current()) == nullptr);
}

BOOST_AUTO_TEST_CASE(values_are_checked) {
  BOOST_TEST(incident::validate(incident::exception_kind::hash, "xyz") != "");
  BOOST_TEST(incident::validate(incident::exception_kind::ip, "10.0.0.0/33") != "");
  BOOST_TEST(incident::validate(incident::exception_kind::ip, "2001:db8::/32") == "");
  BOOST_TEST(incident::validate(incident::exception_kind::match, "no operator") != "");
  BOOST_TEST(incident::address_in("2001:db8::1", "2001:db8::/32"));
  BOOST_TEST(!incident::address_in("10.0.0.1", "2001:db8::/32"));
}

BOOST_AUTO_TEST_CASE(yaml_problems_are_all_reported_with_their_place) {
  testing::temp_dir dir;
  const std::string path = dir.write("x.yml",
                                     "exceptions:\n"
                                     "  - org: acme\n"
                                     "    domain: intra.example\n"
                                     "    reason: business site\n"
                                     "    owner: sato\n"
                                     "    ticket: REQ-1\n"
                                     "    expires: 2027-01-01\n"
                                     "  - org: acme\n"
                                     "    hash: nothex\n"
                                     "    owner: sato\n"
                                     "  - org: acme\n"
                                     "    colour: red\n");
  std::vector<std::string> errors;
  auto entries = incident::load_exceptions_yaml(path, {}, errors);
  BOOST_REQUIRE(entries.size() == 1u);
  BOOST_TEST(entries[0].ticket == "REQ-1");
  BOOST_TEST(entries[0].expires.has_value());
  BOOST_REQUIRE(errors.size() >= 3u);
  BOOST_TEST(errors[0].find(path + ":9:") == 0u);
  BOOST_TEST(errors[0].find("not an MD5") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
