// Tests for parsers/sophos.cpp, on records in the layout of Sophos
// Firewall's "Log file details" (SFOS 18 and 19).
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(sophos_firewall_logs)

BOOST_AUTO_TEST_CASE(firewall_records_map_addresses_nat_and_verdict) {
  const auto r = run(sophos_xg(),
                     "device=\"SFW\" date=2024-10-03 time=12:00:00 timezone=\"+0530\" "
                     "device_name=\"XG330\" device_id=C330X1 log_id=010101600001 "
                     "log_type=\"Firewall\" log_component=\"Firewall Rule\" log_subtype=\"Denied\" "
                     "status=\"Deny\" fw_rule_id=9 src_ip=198.51.100.7 dst_ip=203.0.113.10 "
                     "protocol=\"TCP\" src_port=51515 dst_port=3389 tran_src_ip= tran_dst_port=0");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T06:30:00.000Z\"");
  BOOST_TEST(r.get("observer.vendor") == "\"Sophos\"");
  BOOST_TEST(r.get("observer.serial_number") == "\"C330X1\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"denied\"]");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("destination.port") == "3389");
  BOOST_TEST(r.get("rule.id") == "\"9\"");
  // Empty and zero NAT fields say there was no translation.
  BOOST_TEST(!r.has("source.nat.ip"));
  BOOST_TEST(!r.has("destination.nat.port"));
}

BOOST_AUTO_TEST_CASE(detections_are_alerts_and_logins_authentication) {
  const auto idp = run(sophos_xg(),
                       "device=\"SFW\" date=2024-10-03 time=12:00:05 log_id=020804402001 "
                       "log_type=\"IDP\" log_component=\"Signatures\" log_subtype=\"Drop\" "
                       "signature_id=58722 signature_msg=\"Log4j RCE\" src_ip=198.51.100.7");
  BOOST_TEST(idp.get("event.kind") == "\"alert\"");
  BOOST_TEST(idp.get("event.category") == "[\"network\",\"intrusion_detection\"]");
  BOOST_TEST(idp.get("rule.name") == "\"Log4j RCE\"");
  const auto login = run(sophos_xg(),
                         "device=\"SFW\" date=2024-10-03 time=12:00:10 log_id=062910617703 "
                         "log_type=\"Event\" log_component=\"GUI\" log_subtype=\"Admin\" "
                         "status=\"Failed\" user_name=\"admin\" src_ip=198.51.100.7 "
                         "message=\"User admin failed to login to WebAdmin\"");
  BOOST_TEST(login.get("event.category") == "[\"authentication\"]");
  BOOST_TEST(login.get("event.outcome") == "\"failure\"");
  BOOST_TEST(login.get("user.name") == "\"admin\"");
}

BOOST_AUTO_TEST_CASE(fortigate_lines_are_not_sophos) {
  BOOST_TEST((run(sophos_xg(), "date=2024-10-03 time=03:00:00 logid=\"0000000013\" type=\"traffic\" "
                               "srcip=10.0.0.1 dstip=10.0.0.2 action=\"deny\"")
                  .what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
