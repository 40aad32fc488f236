// Tests for parsers/checkpoint.cpp, on records in the layouts of Check
// Point's Log Exporter (syslog, generic and splunk formats).
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(checkpoint_logs)

BOOST_AUTO_TEST_CASE(syslog_form_maps_the_connection) {
  const auto r = run(checkpoint(),
                     "<134>1 2024-10-03T12:00:00Z gw CheckPoint 2215 - [action:\"Accept\"; "
                     "ifdir:\"outbound\"; ifname:\"eth1\"; origin:\"192.0.2.1\"; "
                     "time:\"1727956800\"; dst:\"198.51.100.53\"; product:\"VPN-1 & FireWall-1\"; "
                     "proto:\"17\"; rule_name:\"DNS out\"; s_port:\"52133\"; service:\"53\"; "
                     "src:\"10.10.1.25\"; xlatesrc:\"192.0.2.1\"; msg:\"say \\\"hi\\\"\"]");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T12:00:00.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"10.10.1.25\"");
  BOOST_TEST(r.get("source.port") == "52133");
  BOOST_TEST(r.get("destination.port") == "53");
  BOOST_TEST(r.get("source.nat.ip") == "\"192.0.2.1\"");
  BOOST_TEST(r.get("network.transport") == "\"udp\"");
  BOOST_TEST(r.get("network.direction") == "\"outbound\"");
  BOOST_TEST(r.get("observer.egress.interface.name") == "\"eth1\"");
  BOOST_TEST(!r.has("observer.ingress.interface.name"));
  BOOST_TEST(r.get("event.action") == "\"accept\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"allowed\"]");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
  BOOST_TEST(r.get("rule.name") == "\"DNS out\"");
  BOOST_TEST(r.get("message") == "\"say \\\"hi\\\"\"");
}

// Escaped values are unescaped into a buffer of the parse: an address or a
// long lowercased word among them must be copied before it ends (a view of
// it was a use after free, found by lognorm_fuzz; make sanitize runs this).
BOOST_AUTO_TEST_CASE(escaped_addresses_and_long_words_are_copied) {
  const auto r = run(checkpoint(),
                     "<134>1 2024-10-03T12:00:00Z gw CheckPoint 2215 - [action:\"Accept\"; "
                     "src:\"10.10.1.\\25\"; xlatedst:\"192.0.2.\\7\"; "
                     "proto:\"6\"; appi_name:\"An-Application-Name-Longer-Than-Sixty-Four-Bytes-"
                     "With-A-\\\"Quoted\\\"-Word\"]");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("source.ip") == "\"10.10.1.25\"");
  BOOST_TEST(r.get("destination.nat.ip") == "\"192.0.2.7\"");
  BOOST_TEST(r.get("related.ip") == "[\"10.10.1.25\",\"192.0.2.7\"]");
  BOOST_TEST(r.get("network.application") ==
             "\"an-application-name-longer-than-sixty-four-bytes-with-a-\\\"quoted\\\"-word\"");
}

BOOST_AUTO_TEST_CASE(threat_blades_are_malware_with_hashes) {
  const auto r = run(checkpoint(),
                     "<134>1 2024-10-03T12:00:09Z gw CheckPoint 1 - [action:\"Prevent\"; "
                     "product:\"Anti-Virus\"; src:\"10.10.1.30\"; severity:\"High\"; "
                     "file_md5:\"44d88612fea8a8f36de82e1278abb02f\"; "
                     "resource:\"http://198.51.100.99/eicar.com\"]");
  BOOST_TEST(r.get("event.category") == "[\"network\",\"intrusion_detection\",\"malware\"]");
  BOOST_TEST(r.get("event.type") == "[\"denied\"]");
  BOOST_TEST(r.get("event.severity") == "4");
  BOOST_TEST(r.get("related.hash") == "[\"44d88612fea8a8f36de82e1278abb02f\"]");
  BOOST_TEST(r.get("url.path") == "\"/eicar.com\"");
}

BOOST_AUTO_TEST_CASE(generic_and_splunk_forms) {
  const auto generic = run(checkpoint(),
                           "Oct  3 12:00:12 gw time=\"1727956812\" loguid=\"{0x1}\" "
                           "action=\"Drop\" src=\"203.0.113.4\" dst=\"192.0.2.10\" proto=\"6\"");
  BOOST_TEST((generic.what == outcome::parsed));
  BOOST_TEST(generic.get("event.type") == "[\"connection\",\"denied\"]");
  const auto splunk = run(checkpoint(),
                          "Oct  3 12:00:12 gw time=1727956812|loguid={0x1}|action=Accept|"
                          "src=10.20.0.5|dst=10.30.0.9|rule_name=Internal web");
  BOOST_TEST(splunk.get("rule.name") == "\"Internal web\"");
  BOOST_TEST(splunk.get("destination.ip") == "\"10.30.0.9\"");
}

BOOST_AUTO_TEST_CASE(broken_and_foreign_lines) {
  const auto cut = run(checkpoint(), "<134>1 2024-10-03T12:00:00Z gw CheckPoint 1 - [action:\"Acc");
  BOOST_TEST((cut.what == outcome::broken));
  BOOST_TEST((run(checkpoint(), "Oct  3 12:00:00 host app: [x] y").what == outcome::no_match));
}

// The key=value forms are told by a loguid, originsicname or
// origin_sic_name key: found where it stands before any '=' of the line
// (first, last, after another '=' or glued to a word), not as a word
// without its '='.
BOOST_AUTO_TEST_CASE(key_value_forms_are_told_by_their_keys_wherever_they_stand) {
  const char* taken[] = {
      "<134>Oct  3 12:00:00 gw fw: loguid=\"{0x1}\" src=10.0.0.1 action=Drop",
      "<134>Oct  3 12:00:00 gw fw: a=b=c src=10.0.0.1 originsicname=CN=gw",
      "<134>Oct  3 12:00:00 gw fw: action=Drop src=10.0.0.1 xorigin_sic_name=x",
      "<134>Oct  3 12:00:00 gw fw: action=Drop|src=10.0.0.1|loguid=1",
  };
  for (const char* line : taken) {
    const auto r = run(checkpoint(), line);
    BOOST_TEST((r.what == outcome::parsed), line);
    BOOST_TEST(r.get("observer.vendor") == "\"Check Point\"", line);
  }
  const char* passed_on[] = {
      "<134>Oct  3 12:00:00 gw fw: loguid =1 src=10.0.0.1 action=Drop",
      "<134>Oct  3 12:00:00 gw fw: loguid originsicname origin_sic_name a=1 b=2",
      "<134>Oct  3 12:00:00 gw fw: =loguid action=Drop src=10.0.0.1",
      "<134>Oct  3 12:00:00 gw fw: loguid",
  };
  for (const char* line : passed_on) {
    BOOST_TEST((run(checkpoint(), line).what == outcome::no_match), line);
  }
}

BOOST_AUTO_TEST_SUITE_END()
