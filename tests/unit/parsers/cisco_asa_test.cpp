// Tests for parsers/cisco_asa.cpp, on lines in the formats of Cisco's
// "ASA Series Syslog Messages" reference.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(cisco_asa_messages)

BOOST_AUTO_TEST_CASE(built_outbound_takes_the_inside_side_as_source) {
  const auto r =
      run(cisco_asa(),
          "<166>Oct 10 2018 12:34:56 fw01 : %ASA-6-302013: Built outbound TCP connection "
          "11757 for outside:192.168.205.104/80 (192.168.205.104/80) to "
          "inside:172.31.98.44/1772 (203.0.113.5/1772)");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("source.ip") == "\"172.31.98.44\"");
  BOOST_TEST(r.get("source.port") == "1772");
  BOOST_TEST(r.get("source.nat.ip") == "\"203.0.113.5\"");
  BOOST_TEST(r.get("destination.ip") == "\"192.168.205.104\"");
  BOOST_TEST(r.get("destination.port") == "80");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("network.direction") == "\"outbound\"");
  BOOST_TEST(r.get("observer.ingress.interface.name") == "\"inside\"");
  BOOST_TEST(r.get("event.code") == "\"302013\"");
  BOOST_TEST(r.get("event.severity") == "6");
  BOOST_TEST(r.get("observer.vendor") == "\"Cisco\"");
  BOOST_TEST(r.get("observer.hostname") == "\"fw01\"");
}

BOOST_AUTO_TEST_CASE(teardown_reads_duration_bytes_and_reason) {
  const auto r = run(cisco_asa(),
                     "%ASA-6-302014: Teardown TCP connection 447236 for outside:192.168.2.222/1234 "
                     "to dmz:192.168.1.34/5678 duration 1:02:03 bytes 14804 TCP FINs");
  BOOST_TEST(r.get("event.action") == "\"flow-expiration\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"end\"]");
  BOOST_TEST(r.get("event.duration") == "3723000000000");
  BOOST_TEST(r.get("network.bytes") == "14804");
  BOOST_TEST(r.get("event.reason") == "\"TCP FINs\"");
  BOOST_TEST(r.get("source.ip") == "\"192.168.2.222\"");
  BOOST_TEST(r.get("destination.port") == "5678");
}

BOOST_AUTO_TEST_CASE(acl_deny_names_the_rule) {
  const auto r = run(cisco_asa(),
                     "%ASA-4-106023: Deny udp src outside:198.51.100.7/5353 dst "
                     "inside:192.0.2.10/53 by access-group \"outside_in\" [0x0, 0x0]");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"denied\"]");
  BOOST_TEST(r.get("rule.name") == "\"outside_in\"");
  BOOST_TEST(r.get("network.transport") == "\"udp\"");
  BOOST_TEST(r.get("related.ip") == "[\"198.51.100.7\",\"192.0.2.10\"]");
}

BOOST_AUTO_TEST_CASE(access_list_hits_say_allowed_or_denied) {
  const auto allowed = run(cisco_asa(),
                           "%ASA-6-106100: access-list acl_in permitted tcp inside/10.1.2.16(2241) "
                           "-> outside/192.0.2.89(443) hit-cnt 1 first hit [0x71a87d94, 0x0]");
  BOOST_TEST(allowed.get("event.type") == "[\"connection\",\"allowed\"]");
  BOOST_TEST(allowed.get("destination.port") == "443");
  const auto denied = run(cisco_asa(),
                          "%ASA-6-106100: access-list acl_in denied udp inside/10.1.2.16(1039) -> "
                          "outside/192.0.2.10(53) hit-cnt 1 first hit [0xd820e56a, 0x0]");
  BOOST_TEST(denied.get("event.type") == "[\"connection\",\"denied\"]");
}

BOOST_AUTO_TEST_CASE(aaa_rejections_are_failed_logons) {
  const auto r = run(cisco_asa(),
                     "%ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : "
                     "server = 192.0.2.20 : user = alice : user IP = 198.51.100.9");
  BOOST_TEST(r.get("event.outcome") == "\"failure\"");
  BOOST_TEST(r.get("event.category") == "[\"authentication\",\"network\"]");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.9\"");
}

BOOST_AUTO_TEST_CASE(vpn_sessions_carry_group_user_and_address) {
  const auto r = run(cisco_asa(),
                     "%ASA-6-113039: Group <staff> User <corp\\bob> IP <198.51.100.4> AnyConnect "
                     "parent session started.");
  BOOST_TEST(r.get("user.name") == "\"bob\"");
  BOOST_TEST(r.get("user.domain") == "\"corp\"");
  BOOST_TEST(r.get("source.user.group.name") == "\"staff\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.4\"");
  BOOST_TEST(r.get("event.action") == "\"client-vpn-connected\"");
}

BOOST_AUTO_TEST_CASE(ftd_lines_and_unknown_ids_keep_the_code) {
  const auto r = run(cisco_asa(), "%FTD-5-199999: something new");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.code") == "\"199999\"");
  BOOST_TEST(r.get("observer.product") == "\"ftd\"");
  BOOST_TEST(!r.has("event.action"));
}

BOOST_AUTO_TEST_CASE(a_broken_tag_is_a_parse_error_and_other_lines_are_declined) {
  BOOST_TEST((run(cisco_asa(), "%ASA-x-abc: nonsense").what == outcome::broken));
  BOOST_TEST((run(cisco_asa(), "Oct 3 03:00:00 host sshd[1]: hi").what == outcome::no_match));
}

BOOST_AUTO_TEST_CASE(ipv6_endpoints_keep_their_colons) {
  const auto r = run(cisco_asa(),
                     "%ASA-6-302016: Teardown UDP connection 9 for outside:2001:db8::1/53 to "
                     "inside:2001:db8::2/5353 duration 0:00:01 bytes 100");
  BOOST_TEST(r.get("source.ip") == "\"2001:db8::1\"");
  BOOST_TEST(r.get("destination.ip") == "\"2001:db8::2\"");
  BOOST_TEST(r.get("destination.port") == "5353");
}

BOOST_AUTO_TEST_SUITE_END()
