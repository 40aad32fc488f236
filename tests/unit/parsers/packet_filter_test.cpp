// Tests for parsers/packet_filter.cpp: netfilter LOG and pfSense filterlog.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(packet_filter_logs)

BOOST_AUTO_TEST_CASE(netfilter_log_lines) {
  const auto r =
      run(iptables(),
          "Oct  3 02:59:58 gw kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= "
          "MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=198.51.100.7 DST=192.0.2.10 "
          "LEN=60 TOS=0x00 PREC=0x00 TTL=49 ID=54321 DF PROTO=TCP SPT=51234 DPT=22 "
          "WINDOW=29200 RES=0x00 SYN URGP=0");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("rule.name") == "\"[UFW BLOCK]\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"denied\"]");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.7\"");
  BOOST_TEST(r.get("destination.port") == "22");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("source.mac") == "\"66:77:88:99:aa:bb\"");
  BOOST_TEST(r.get("observer.ingress.interface.name") == "\"eth0\"");
}

BOOST_AUTO_TEST_CASE(filterlog_ipv4_and_ipv6) {
  const auto v4 = run(pfsense_filterlog(),
                      "<134>Oct  3 02:59:59 pfsense filterlog[12345]: 5,,,1000000103,igb1,match,"
                      "block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.51.100.7,192.0.2.10,51234,22,0,S,"
                      "123456,,64240,,mss;sackOK;TS;nop;wscale");
  BOOST_TEST((v4.what == outcome::parsed));
  BOOST_TEST(v4.get("event.action") == "\"block\"");
  BOOST_TEST(v4.get("network.direction") == "\"inbound\"");
  BOOST_TEST(v4.get("source.port") == "51234");
  BOOST_TEST(v4.get("destination.ip") == "\"192.0.2.10\"");
  const auto v6 = run(pfsense_filterlog(),
                      "Oct  3 02:59:59 pf filterlog[1]: 77,,,1000000105,em0,match,pass,out,6,0x00,"
                      "0x00000,64,udp,17,40,2001:db8::1,2001:db8::53,5353,53,40");
  BOOST_TEST(v6.get("source.ip") == "\"2001:db8::1\"");
  BOOST_TEST(v6.get("destination.port") == "53");
  BOOST_TEST(v6.get("event.type") == "[\"connection\",\"allowed\"]");
  BOOST_TEST(
      (run(pfsense_filterlog(), "Oct  3 02:59:59 pf filterlog[1]: 1,2").what == outcome::broken));
}

BOOST_AUTO_TEST_CASE(proxmox_firewall_lines_name_one_interface) {
  const auto r = run(iptables(),
                     "0 1 PVEFW-HOST-OUT 03/Oct/2024:05:00:00 +0200 REJECT: OUT=vmbr0 "
                     "SRC=192.0.2.4 DST=192.0.2.99 LEN=60 PROTO=TCP SPT=50000 DPT=22 SYN");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("rule.name") == "\"PVEFW-HOST-OUT\"");
  BOOST_TEST(r.get("observer.egress.interface.name") == "\"vmbr0\"");
  BOOST_TEST(r.get("event.action") == "\"deny\"");
  BOOST_TEST(r.get("destination.port") == "22");
  BOOST_TEST((run(iptables(), "Oct  3 02:59:59 h app[1]: limits MIN=3 SRC=a").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
