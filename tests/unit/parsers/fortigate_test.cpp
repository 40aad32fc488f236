// Tests for parsers/fortigate.cpp, on lines in the layout of Fortinet's
// "FortiOS Log Message Reference".
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(fortigate_logs)

BOOST_AUTO_TEST_CASE(traffic_logs_map_addresses_nat_and_counters) {
  const auto r = run(fortigate(),
                     "<189>date=2019-05-15 time=18:03:36 logid=\"0000000013\" type=\"traffic\" "
                     "subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=10.1.100.155 "
                     "srcport=40772 srcintf=\"port12\" dstip=35.197.51.42 dstport=443 "
                     "dstintf=\"port11\" proto=6 action=\"deny\" policyid=7 transip=172.16.200.2 "
                     "transport=40772 sentbyte=2087 rcvdbyte=6183 duration=180 devname=\"FGT60E\" "
                     "devid=\"FGT60E4Q16000001\" tz=\"+0900\"");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2019-05-15T09:03:36.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"10.1.100.155\"");
  BOOST_TEST(r.get("source.nat.ip") == "\"172.16.200.2\"");
  BOOST_TEST(r.get("destination.port") == "443");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  // The session's end, denied; the firewall did what it logs (Filebeat's
  // fortinet module has the same).
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"end\",\"denied\"]");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
  BOOST_TEST(r.get("network.bytes") == "8270");
  BOOST_TEST(r.get("event.action") == "\"deny\"");
  BOOST_TEST(r.get("rule.id") == "\"7\"");
  BOOST_TEST(r.get("source.bytes") == "2087");
  BOOST_TEST(r.get("event.duration") == "180000000000");
  BOOST_TEST(r.get("observer.name") == "\"FGT60E\"");
  BOOST_TEST(r.get("fortinet.firewall.vd") == "\"root\"");
}

BOOST_AUTO_TEST_CASE(traffic_event_types_follow_action_utm_action_and_application) {
  const std::string head =
      "date=2019-05-13 time=11:45:04 logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" "
      "srcip=10.1.100.11 srcport=60446 dstip=172.16.200.55 dstport=80 proto=6 ";
  auto types = [&](const std::string& rest) {
    return run(fortigate(), head + rest).get("event.type");
  };
  // A UTM profile blocked part of the session: denied, though it closed.
  BOOST_TEST(types("action=\"close\" utmaction=\"block\"") == "[\"connection\",\"end\",\"denied\"]");
  // A profile looked and let it pass: neither allowed nor denied by policy.
  BOOST_TEST(types("action=\"accept\" utmaction=\"allow\"") == "[\"connection\",\"end\"]");
  // A known application makes it a protocol event too.
  BOOST_TEST(types("action=\"close\" app=\"HTTP.BROWSER\"") ==
             "[\"connection\",\"end\",\"protocol\",\"allowed\"]");
  BOOST_TEST(types("action=\"start\"") == "[\"connection\",\"start\",\"allowed\"]");
  // Totals both ways only when the log has both.
  const auto r = run(fortigate(), head + "action=\"close\" sentbyte=412 rcvdbyte=2286 sentpkt=6");
  BOOST_TEST(r.get("network.bytes") == "2698");
  BOOST_TEST(!r.has("network.packets"));
}

BOOST_AUTO_TEST_CASE(traffic_policy_service_and_session_start_as_filebeat_maps_them) {
  const auto r = run(fortigate(),
                     "date=2020-04-23 time=12:14:28 logid=\"0000000013\" type=\"traffic\" "
                     "subtype=\"forward\" eventtime=1587230069291463928 tz=\"-0500\" "
                     "srcip=81.2.69.145 srcport=56603 dstip=175.16.199.1 dstport=442 proto=6 "
                     "action=\"close\" policyid=2365 policytype=\"policy\" user=\"eve\" "
                     "group=\"staff\" service=\"HTTPS\" transip=23.23.23.23 transport=603 "
                     "appcat=\"Web.Client\"");
  BOOST_TEST(r.get("rule.ruleset") == "\"policy\"");
  BOOST_TEST(r.get("network.protocol") == "\"https\"");
  BOOST_TEST(r.get("source.user.group.name") == "\"staff\"");
  BOOST_TEST(r.get("rule.category") == "\"Web-Client\"");
  // The translated address is the session's NAT, not one of its ends.
  BOOST_TEST(r.get("source.nat.ip") == "\"23.23.23.23\"");
  BOOST_TEST(r.get("related.ip") == "[\"81.2.69.145\",\"175.16.199.1\"]");
  // eventtime= in nanoseconds (FortiOS 6.2), milliseconds or seconds.
  BOOST_TEST(r.get("event.start") == "\"2020-04-18T17:14:29.291Z\"");
  const std::string head = "date=2020-04-23 time=12:14:28 logid=\"0000000013\" type=\"traffic\" ";
  BOOST_TEST(run(fortigate(), head + "eventtime=1587230069291 action=\"close\"").get("event.start") ==
             "\"2020-04-18T17:14:29.291Z\"");
  BOOST_TEST(run(fortigate(), head + "eventtime=1587230069 action=\"close\"").get("event.start") ==
             "\"2020-04-18T17:14:29.000Z\"");
  BOOST_TEST(!run(fortigate(), head + "eventtime=soon action=\"close\"").has("event.start"));
}

BOOST_AUTO_TEST_CASE(stamps_without_tz_use_the_device_zone) {
  const auto r = run(fortigate(),
                     "date=2024-10-03 time=12:00:00 logid=\"0419016384\" type=\"utm\" "
                     "subtype=\"ips\" devname=\"fw\" srcip=198.51.100.7 dstip=192.0.2.10 "
                     "action=\"dropped\" attack=\"Apache.Log4j.Error.Log.Remote.Code.Execution\"",
                     *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("event.category") == "[\"network\",\"intrusion_detection\"]");
  BOOST_TEST(r.get("rule.name") == "\"Apache.Log4j.Error.Log.Remote.Code.Execution\"");
  BOOST_TEST(r.get("event.type") == "[\"denied\"]");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");  // the sensor did what it logs
}

BOOST_AUTO_TEST_CASE(webfilter_and_user_events) {
  const auto web = run(fortigate(),
                       "date=2024-10-03 time=03:00:00 logid=\"0316013056\" type=\"utm\" "
                       "subtype=\"webfilter\" devname=\"fw\" srcip=10.0.0.5 dstip=203.0.113.80 "
                       "hostname=\"bad.example\" url=\"/x?y=1\" action=\"blocked\" user=\"bob\"");
  BOOST_TEST(web.get("url.domain") == "\"bad.example\"");
  BOOST_TEST(web.get("url.path") == "\"/x\"");
  BOOST_TEST(web.get("url.query") == "\"y=1\"");
  BOOST_TEST(web.get("user.name") == "\"bob\"");
  BOOST_TEST(web.get("event.type") == "[\"denied\"]");
  const auto login = run(fortigate(),
                         "date=2024-10-03 time=03:00:00 logid=\"0102043039\" type=\"event\" "
                         "subtype=\"user\" devname=\"fw\" user=\"alice\" srcip=198.51.100.2 "
                         "action=\"auth-logon\" status=\"failure\"");
  BOOST_TEST(login.get("event.outcome") == "\"failure\"");
  BOOST_TEST(login.get("event.category") == "[\"authentication\"]");
}

BOOST_AUTO_TEST_CASE(utm_and_event_logs_as_filebeat_maps_them) {
  const auto dns = run(fortigate(),
                       "date=2024-10-03 time=03:00:00 logid=\"1501054802\" type=\"utm\" "
                       "subtype=\"dns\" srcip=10.0.0.5 dstip=10.0.0.1 qname=\"example.com\" "
                       "ipaddr=\"93.184.216.34, 93.184.216.35\" action=\"pass\" "
                       "profile=\"default\" direction=\"outgoing\"");
  BOOST_TEST(dns.get("event.type") == "[\"allowed\",\"info\"]");
  BOOST_TEST(dns.get("dns.resolved_ip") == "[\"93.184.216.34\",\"93.184.216.35\"]");
  BOOST_TEST(dns.get("rule.ruleset") == "\"default\"");
  BOOST_TEST(dns.get("network.direction") == "\"outbound\"");
  const auto vpn = run(fortigate(),
                       "date=2024-10-03 time=03:00:00 logid=\"0101037129\" type=\"event\" "
                       "subtype=\"vpn\" action=\"negotiate\" remip=203.0.113.9 "
                       "locip=198.51.100.2 locport=500 status=\"success\" tunnelip=10.10.10.10");
  BOOST_TEST(vpn.get("event.category") == "[\"network\"]");
  BOOST_TEST(vpn.get("event.type") == "[\"connection\"]");
  BOOST_TEST(vpn.get("source.ip") == "\"198.51.100.2\"");
  BOOST_TEST(vpn.get("source.port") == "500");
  BOOST_TEST(vpn.get("network.direction") == "\"external\"");
  BOOST_TEST(vpn.get("related.ip") == "[\"203.0.113.9\",\"10.10.10.10\",\"198.51.100.2\"]");
  // A VPN login that failed counts for brute-force rules.
  const auto login = run(fortigate(),
                         "date=2024-10-03 time=03:00:00 logid=\"0101039426\" type=\"event\" "
                         "subtype=\"vpn\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" "
                         "remip=203.0.113.9 user=\"admin\" reason=\"sslvpn_login_permission_denied\"");
  BOOST_TEST(login.get("event.category") == "[\"network\",\"authentication\"]");
  BOOST_TEST(login.get("event.outcome") == "\"failure\"");
  BOOST_TEST(login.get("source.ip") == "\"203.0.113.9\"");  // the remote peer logged in
  BOOST_TEST(!login.has("destination.ip"));
  const auto logon = run(fortigate(),
                         "date=2024-10-03 time=03:00:00 logid=\"0102043008\" type=\"event\" "
                         "subtype=\"user\" action=\"FSSO-logon\" user=\"alice\"");
  BOOST_TEST(logon.get("event.type") == "[\"start\",\"user\"]");
  BOOST_TEST(logon.get("event.outcome") == "\"success\"");
}

BOOST_AUTO_TEST_CASE(other_fortinet_appliances_are_named_by_their_serial) {
  const auto mail = run(fortigate(),
                        "date=2012-08-17 time=12:26:41 device_id=FE100C3909600504 "
                        "log_id=0001001623 type=kevent subtype=admin pri=information user=admin "
                        "action=login status=success");
  BOOST_TEST(mail.get("observer.product") == "\"FortiMail\"");
  BOOST_TEST(mail.get("observer.type") == "\"mail\"");
  BOOST_TEST(run(fortigate(), "date=2024-10-03 time=03:00:00 devid=\"FGT60E4Q16000001\" "
                              "logid=\"0000000013\" type=\"traffic\" action=\"close\"")
                 .get("observer.product") == "\"Fortigate\"");
}

BOOST_AUTO_TEST_CASE(other_key_value_lines_are_declined) {
  BOOST_TEST((run(fortigate(), "a=1 b=2 c=3").what == outcome::no_match));
  BOOST_TEST((run(fortigate(), "date=2024-10-03 time=03:00:00 foo=1").what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
