// Tests for parsers/juniper_srx.cpp, on RT_FLOW/RT_IDP/RT_UTM records in
// the layouts of Juniper's "System Log Explorer" message reference.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(juniper_srx_logs)

BOOST_AUTO_TEST_CASE(structured_session_create) {
  const auto r = run(juniper_srx(),
                     "<14>1 2024-10-03T12:00:00.120+09:00 srx RT_FLOW - RT_FLOW_SESSION_CREATE "
                     "[junos@2636.1.1.1.2.40 source-address=\"10.0.10.15\" source-port=\"50123\" "
                     "destination-address=\"93.184.216.34\" destination-port=\"443\" "
                     "service-name=\"junos-https\" nat-source-address=\"198.51.100.7\" "
                     "nat-source-port=\"21456\" nat-destination-address=\"0.0.0.0\" "
                     "protocol-id=\"6\" policy-name=\"t2u\" source-zone-name=\"trust\" "
                     "destination-zone-name=\"untrust\" username=\"N/A\"]");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("source.ip") == "\"10.0.10.15\"");
  BOOST_TEST(r.get("source.nat.port") == "21456");
  BOOST_TEST(!r.has("destination.nat.ip"));
  BOOST_TEST(!r.has("user.name"));
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("event.action") == "\"flow_started\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"allowed\",\"start\"]");
  BOOST_TEST(r.get("rule.name") == "\"t2u\"");
  BOOST_TEST(r.get("observer.ingress.zone") == "\"trust\"");
  BOOST_TEST(r.get("juniper.srx.service_name") == "\"junos-https\"");
}

BOOST_AUTO_TEST_CASE(structured_form_inside_a_bsd_header) {
  const auto r = run(juniper_srx(),
                     "Sep 23 13:54:55 192.168.1.1 junos-flow: 2017-09-23T13:54:54.803Z srx01 "
                     "RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 "
                     "source-address=\"192.168.1.1\" source-port=\"1080\" "
                     "destination-address=\"192.168.1.2\" destination-port=\"8010\" "
                     "protocol-id=\"17\" policy-name=\"deny\"]");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.action") == "\"flow_deny\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"denied\"]");
  BOOST_TEST(r.get("network.transport") == "\"udp\"");
}

BOOST_AUTO_TEST_CASE(plain_session_close_and_deny) {
  const auto close = run(juniper_srx(),
                         "<14>Oct  3 12:07:00 srx RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed "
                         "TCP RST: 10.0.10.20/51000->192.0.2.25/22 junos-ssh "
                         "203.0.113.9/40000->192.0.2.25/22 None None 6 t2d trust dmz 70500 "
                         "12(1800) 10(2200) 45 SSH UNKNOWN bob(N/A) ge-0/0/1.0 No");
  BOOST_TEST((close.what == outcome::parsed));
  BOOST_TEST(close.get("event.reason") == "\"TCP RST\"");
  BOOST_TEST(close.get("source.nat.ip") == "\"203.0.113.9\"");
  BOOST_TEST(close.get("source.bytes") == "1800");
  BOOST_TEST(close.get("destination.packets") == "10");
  BOOST_TEST(close.get("event.duration") == "45000000000");
  BOOST_TEST(close.get("network.application") == "\"ssh\"");
  BOOST_TEST(close.get("user.name") == "\"bob\"");
  BOOST_TEST(close.get("observer.ingress.interface.name") == "\"ge-0/0/1.0\"");
  BOOST_TEST(close.get("rule.name") == "\"t2d\"");
  const auto deny = run(juniper_srx(),
                        "Oct  3 12:06:00 srx RT_FLOW: RT_FLOW_SESSION_DENY: session denied "
                        "203.0.113.50/41000->198.51.100.7/23 junos-telnet 6(0) deny-all untrust "
                        "trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0");
  BOOST_TEST(deny.get("destination.port") == "23");
  BOOST_TEST(deny.get("rule.name") == "\"deny-all\"");
  BOOST_TEST(deny.get("event.type") == "[\"connection\",\"denied\"]");
}

BOOST_AUTO_TEST_CASE(idp_and_utm_records) {
  const auto idp = run(juniper_srx(),
                       "<14>1 2024-10-03T12:08:00Z srx RT_IDP - IDP_ATTACK_LOG_EVENT "
                       "[junos@2636.1.1.1.2.40 source-address=\"203.0.113.66\" "
                       "destination-address=\"198.51.100.20\" protocol-name=\"TCP\" "
                       "policy-name=\"Recommended\" action=\"DROP\" threat-severity=\"HIGH\" "
                       "attack-name=\"HTTP:STC:STRUTS\"]");
  BOOST_TEST(idp.get("rule.name") == "\"HTTP:STC:STRUTS\"");
  BOOST_TEST(idp.get("event.category") == "[\"network\",\"intrusion_detection\"]");
  BOOST_TEST(idp.get("event.type") == "[\"denied\",\"info\"]");
  BOOST_TEST(idp.get("log.level") == "\"high\"");
  const auto web = run(juniper_srx(),
                       "<14>Oct  3 12:09:00 srx RT_UTM: WEBFILTER_URL_BLOCKED: WebFilter: "
                       "ACTION=\"URL Blocked\" 10.0.10.15(50200)->203.0.113.99(80) "
                       "CATEGORY=\"Enhanced_Malicious\" REASON=\"BY_PRE_DEFINED\" "
                       "PROFILE=\"wf\" URL=malware.example.net OBJ=/dl/x.exe USERNAME=N/A");
  BOOST_TEST((web.what == outcome::parsed));
  BOOST_TEST(web.get("source.ip") == "\"10.0.10.15\"");
  BOOST_TEST(web.get("destination.port") == "80");
  BOOST_TEST(web.get("url.domain") == "\"malware.example.net\"");
  BOOST_TEST(web.get("url.path") == "\"/dl/x.exe\"");
  BOOST_TEST(web.get("event.type") == "[\"denied\"]");
}

BOOST_AUTO_TEST_CASE(foreign_lines_are_not_claimed) {
  BOOST_TEST((run(juniper_srx(), "Oct  3 12:00:00 host sshd[1]: Accepted password").what ==
              outcome::no_match));
  BOOST_TEST((run(juniper_srx(), "Oct  3 12:00:00 host kernel: something: happened").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
