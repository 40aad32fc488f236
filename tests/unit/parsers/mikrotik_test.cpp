// Tests for parsers/mikrotik.cpp: RouterOS firewall, login and topic lines.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::detect;
using testing::run;

namespace {
const parser& routeros() {
  return *find("mikrotik");
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mikrotik_logs)

BOOST_AUTO_TEST_CASE(firewall_lines_map_chain_prefix_interfaces_and_addresses) {
  const auto r = run(routeros(),
                     "2024-10-03T03:00:00+00:00 192.0.2.1 firewall,info drop-tcp input: "
                     "in:ether1-WAN out:(unknown 0), connection-state:new src-mac "
                     "00:17:10:88:bc:02, proto TCP (SYN), 203.0.113.9:59388->192.0.2.1:23, len 40");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("observer.vendor") == "\"MikroTik\"");
  BOOST_TEST(r.get("rule.name") == "\"drop-tcp\"");
  BOOST_TEST(r.get("mikrotik.routeros.chain") == "\"input\"");
  BOOST_TEST(r.get("event.action") == "\"deny\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"denied\"]");
  BOOST_TEST(r.get("observer.ingress.interface.name") == "\"ether1-WAN\"");
  BOOST_TEST(!r.has("observer.egress.interface.name"));  // (unknown 0)
  BOOST_TEST(r.get("mikrotik.routeros.connection.state") == "\"new\"");
  BOOST_TEST(r.get("source.mac") == "\"00:17:10:88:bc:02\"");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("mikrotik.routeros.tcp.flags") == "[\"SYN\"]");
  BOOST_TEST(r.get("source.ip") == "\"203.0.113.9\"");
  BOOST_TEST(r.get("source.port") == "59388");
  BOOST_TEST(r.get("destination.ip") == "\"192.0.2.1\"");
  BOOST_TEST(r.get("destination.port") == "23");
  BOOST_TEST(r.get("mikrotik.routeros.length") == "40");
  BOOST_TEST(r.get("log.level") == "\"info\"");
}

BOOST_AUTO_TEST_CASE(source_and_destination_nat) {
  const auto snat = run(routeros(),
                        "<30>Oct  3 03:00:00 gw firewall,info forward: in:bridge out:ether1, "
                        "connection-state:established,snat src-mac 02:00:5e:aa:bb:cc, proto TCP "
                        "(ACK,PSH), 10.0.0.2:50000->198.51.100.7:443, NAT "
                        "(10.0.0.2:50000->192.0.2.1:40000)->198.51.100.7:443, len 52");
  BOOST_TEST(snat.get("mikrotik.routeros.tcp.flags") == "[\"ACK\",\"PSH\"]");
  BOOST_TEST(snat.get("mikrotik.routeros.connection.state") == "\"established,snat\"");
  BOOST_TEST(snat.get("source.nat.ip") == "\"192.0.2.1\"");
  BOOST_TEST(snat.get("source.nat.port") == "40000");
  BOOST_TEST(!snat.has("destination.nat.ip"));
  BOOST_TEST(!snat.has("event.action"));  // no prefix: the line does not say
  const auto dnat = run(routeros(),
                        "<30>Oct  3 03:00:00 gw firewall,info forward: in:ether1 out:bridge, "
                        "proto UDP, 203.0.113.9:40000->10.0.0.5:53, NAT "
                        "203.0.113.9:40000->(192.0.2.1:5353->10.0.0.5:53), len 60");
  BOOST_TEST(dnat.get("destination.ip") == "\"192.0.2.1\"");  // before translation
  BOOST_TEST(dnat.get("destination.port") == "5353");
  BOOST_TEST(dnat.get("destination.nat.ip") == "\"10.0.0.5\"");
  BOOST_TEST(dnat.get("destination.nat.port") == "53");
  BOOST_TEST(!dnat.has("source.nat.ip"));
  BOOST_TEST(dnat.get("network.transport") == "\"udp\"");
}

BOOST_AUTO_TEST_CASE(icmp_ipv6_and_lines_without_topics) {
  const auto icmp = run(routeros(),
                        "<30>Oct  3 03:00:00 gw firewall,info input: in:ether1 out:(unknown 0), "
                        "proto ICMP (type 3, code 3), 203.0.113.9->192.0.2.1, len 84");
  BOOST_TEST(icmp.get("mikrotik.routeros.icmp.type") == "3");
  BOOST_TEST(icmp.get("mikrotik.routeros.icmp.code") == "3");
  BOOST_TEST(icmp.get("destination.ip") == "\"192.0.2.1\"");
  BOOST_TEST(!icmp.has("destination.port"));
  const auto v6 = run(routeros(),
                      "<30>Oct  3 03:00:00 gw firewall,info input: in:ether1 out:(unknown 0), "
                      "proto TCP (SYN), [2001:db8::9]:51234->[2001:db8::1]:22, len 80");
  BOOST_TEST(v6.get("source.ip") == "\"2001:db8::9\"");
  BOOST_TEST(v6.get("destination.port") == "22");
  const auto bare = run(routeros(),
                        "2024-10-03T03:00:00-04:00 RTR prerouting: in:1.ether5 out:(unknown 0), "
                        "src-mac 2c:c8:1b:ca:7b:2d, proto TCP (ACK,FIN), "
                        "172.17.103.127:34923->198.51.100.8:80, len 52");
  BOOST_TEST((bare.what == outcome::parsed));
  BOOST_TEST(bare.get("mikrotik.routeros.chain") == "\"prerouting\"");
  BOOST_TEST(bare.get("source.ip") == "\"172.17.103.127\"");
  BOOST_TEST((run(routeros(),
                  "<30>Oct  3 03:00:00 gw firewall,info input: in:ether1 "
                  "out:(unknown 0), proto TCP (SYN), len 40")
                  .what == outcome::broken));
}

BOOST_AUTO_TEST_CASE(logins_failures_and_logouts) {
  const auto failed = run(routeros(),
                          "2024-10-03T03:00:00+00:00 192.0.2.1 system,error,critical login "
                          "failure for user admin from 203.0.113.9 via winbox");
  BOOST_TEST((failed.what == outcome::parsed));
  BOOST_TEST(failed.get("event.category") == "[\"authentication\"]");
  BOOST_TEST(failed.get("event.action") == "\"login\"");
  BOOST_TEST(failed.get("event.outcome") == "\"failure\"");
  BOOST_TEST(failed.get("user.name") == "\"admin\"");
  BOOST_TEST(failed.get("source.ip") == "\"203.0.113.9\"");
  BOOST_TEST(failed.get("mikrotik.routeros.login.via") == "\"winbox\"");
  BOOST_TEST(failed.get("log.level") == "\"critical\"");
  BOOST_TEST(failed.get("mikrotik.routeros.topics") == "[\"system\",\"error\",\"critical\"]");
  const auto in = run(routeros(),
                      "<30>Oct  3 03:00:00 gw system,info,account user admin "
                      "logged in from 10.1.0.5 via ssh");
  BOOST_TEST(in.get("event.outcome") == "\"success\"");
  BOOST_TEST(in.get("network.protocol") == "\"ssh\"");
  const auto out = run(routeros(),
                       "<30>Oct  3 03:00:00 gw system,info,account user admin "
                       "logged out from 10.1.0.5 via ssh");
  BOOST_TEST(out.get("event.action") == "\"logout\"");
  BOOST_TEST(out.get("event.type") == "[\"end\"]");
  const auto mac = run(routeros(),
                       "<30>Oct  3 03:00:00 gw system,info,account user ops "
                       "logged in from 02:00:5E:10:00:09 via mac-telnet");
  BOOST_TEST(mac.get("source.mac") == "\"02:00:5E:10:00:09\"");
  BOOST_TEST(!mac.has("source.ip"));
  const auto local = run(routeros(),
                         "<30>Oct  3 03:00:00 gw system,info,account user admin "
                         "logged in via local");
  BOOST_TEST(local.get("user.name") == "\"admin\"");
  BOOST_TEST(local.get("mikrotik.routeros.login.via") == "\"local\"");
}

BOOST_AUTO_TEST_CASE(other_topic_lines_keep_their_text) {
  const auto r = run(routeros(), "<30>Oct  3 03:00:00 gw system,info ip service changed by admin");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("message") == "\"ip service changed by admin\"");
  BOOST_TEST(r.get("log.level") == "\"info\"");
}

BOOST_AUTO_TEST_CASE(detection_claims_routeros_lines_only) {
  BOOST_TEST(detect("<30>Oct  3 03:00:00 gw firewall,info input: in:ether1 out:(unknown 0), "
                    "proto UDP, 203.0.113.9:1->192.0.2.1:53, len 76") == "mikrotik");
  BOOST_TEST(detect("<30>Oct  3 03:00:00 gw system,error,critical login failure for user a "
                    "from 203.0.113.9 via ssh") == "mikrotik");
  // No level among the words, no comma, not lowercase: not RouterOS topics.
  BOOST_TEST(
      (run(routeros(), "<30>Oct  3 03:00:00 gw alpha,beta gamma").what == outcome::no_match));
  BOOST_TEST((run(routeros(), "<30>Oct  3 03:00:00 gw info something happened").what ==
              outcome::no_match));
  BOOST_TEST(
      (run(routeros(), "<30>Oct  3 03:00:00 gw Firewall,Info input: x").what == outcome::no_match));
  BOOST_TEST(
      (run(routeros(), "Oct  3 03:00:00 gw sshd[1]: in: the middle").what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
