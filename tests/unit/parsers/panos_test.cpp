// Tests for parsers/panos.cpp, on records laid out as Palo Alto's "Syslog
// Field Descriptions" list the TRAFFIC, THREAT and SYSTEM columns.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(panos_logs)

BOOST_AUTO_TEST_CASE(traffic_end_maps_addresses_nat_and_counters) {
  const auto r = run(panos(),
                     "<14>Oct  3 12:00:00 fw 1,2024/10/03 12:00:00,0132,TRAFFIC,end,1,"
                     "2024/10/03 11:59:58,10.1.1.20,198.51.100.30,203.0.113.5,0.0.0.0,allow-web,"
                     "corp\\bob,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,"
                     "2024/10/03 11:59:58,4821,1,51544,443,31544,0,0x1c,tcp,allow,7342,1240,6102,"
                     "21,2024/10/03 11:59:40,18,any,0,7391,0x0,a,b,0,11,10,tcp-fin,0,0,0,0,,fw01");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T11:59:58.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"10.1.1.20\"");
  BOOST_TEST(r.get("source.nat.ip") == "\"203.0.113.5\"");
  BOOST_TEST(r.get("source.nat.port") == "31544");
  BOOST_TEST(!r.has("destination.nat.ip"));  // 0.0.0.0: no translation
  BOOST_TEST(!r.has("destination.nat.port"));
  BOOST_TEST(r.get("destination.port") == "443");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("source.bytes") == "1240");
  BOOST_TEST(r.get("destination.bytes") == "6102");
  BOOST_TEST(r.get("event.duration") == "18000000000");
  BOOST_TEST(r.get("event.action") == "\"flow_terminated\"");
  BOOST_TEST(r.get("event.type") == "[\"connection\",\"end\",\"allowed\"]");
  BOOST_TEST(r.get("user.name") == "\"corp\\\\bob\"");
  BOOST_TEST(r.get("rule.name") == "\"allow-web\"");
  BOOST_TEST(r.get("observer.hostname") == "\"fw01\"");
  BOOST_TEST(r.get("panw.panos.endreason") == "\"tcp-fin\"");
}

BOOST_AUTO_TEST_CASE(threat_url_records_take_the_url_and_severity) {
  const auto r = run(panos(),
                     "1,2024/10/03 12:00:02,0132,THREAT,url,1,2024/10/03 12:00:02,10.1.1.20,"
                     "203.0.113.80,,,allow-web,,,web-browsing,vsys1,trust,untrust,e1,e2,fwd,"
                     "2024/10/03 12:00:02,48300,1,51600,80,0,0,0x0,tcp,block-url,"
                     "\"bad.example.net/a \"\"b\"\".exe\",(9999),malware,high,client-to-server");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("url.original") == "\"bad.example.net/a \\\"b\\\".exe\"");
  BOOST_TEST(r.get("event.action") == "\"url_filtering\"");
  BOOST_TEST(r.get("event.category") == "[\"network\",\"web\"]");
  BOOST_TEST(r.get("event.type") == "[\"denied\",\"info\"]");
  BOOST_TEST(r.get("event.severity") == "2");
  BOOST_TEST(r.get("panw.panos.threat.id") == "\"9999\"");
  BOOST_TEST(r.get("panw.panos.url.category") == "\"malware\"");
}

BOOST_AUTO_TEST_CASE(threat_ids_split_name_and_number) {
  const auto r = run(panos(),
                     "1,2024/10/03 12:00:03,0132,THREAT,vulnerability,1,2024/10/03 12:00:03,"
                     "198.51.100.9,10.1.1.80,,,in-web,,,web-browsing,vsys1,u,d,e1,e3,fwd,"
                     "2024/10/03 12:00:03,1,1,45001,80,0,0,0x0,tcp,reset-both,\"x.cgi\","
                     "Bash Remote Code Execution Vulnerability(36729),any,critical");
  BOOST_TEST(r.get("panw.panos.threat.name") == "\"Bash Remote Code Execution Vulnerability\"");
  BOOST_TEST(r.get("panw.panos.threat.id") == "\"36729\"");
  BOOST_TEST(r.get("rule.name") == "\"in-web\"");
  BOOST_TEST(r.get("event.category") == "[\"network\",\"intrusion_detection\"]");
  BOOST_TEST(r.get("event.severity") == "1");
}

BOOST_AUTO_TEST_CASE(system_and_cut_short_records_parse_as_far_as_they_go) {
  const auto sys = run(panos(),
                       "1,2024/10/03 12:00:04,0132,SYSTEM,auth,0,2024/10/03 12:00:04,,auth-fail,"
                       "admin,0,0,general,medium,\"failed authentication for user 'admin'\",7395");
  BOOST_TEST((sys.what == outcome::parsed));
  BOOST_TEST(sys.get("event.action") == "\"auth-fail\"");
  BOOST_TEST(sys.get("message") == "\"failed authentication for user 'admin'\"");
  BOOST_TEST(sys.get("log.level") == "\"medium\"");
  const auto cut = run(panos(), "Apr 30 06:00:00 fw01 1,2020/02/09 00:00:00,00000000,CONFIG,");
  BOOST_TEST((cut.what == outcome::parsed));
  BOOST_TEST(cut.get("panw.panos.type") == "\"CONFIG\"");
}

BOOST_AUTO_TEST_CASE(generated_time_is_read_in_the_device_zone) {
  const auto r = run(panos(), "1,2024/10/03 12:00:00,0132,SYSTEM,general,0,2024/10/03 12:00:00",
                     *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
}

BOOST_AUTO_TEST_CASE(an_envelope_offset_names_the_device_zone) {
  // The envelope's +02:00 says what the device's local time was, over --tz.
  const auto r = run(panos(),
                     "2024-10-03T05:00:00+02:00 fw01 1,2024/10/03 05:00:00,0132,SYSTEM,general,0,"
                     "2024/10/03 05:00:00",
                     *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  // A BSD envelope has no offset: --tz it is.
  const auto bsd = run(panos(),
                       "Oct  3 12:00:00 fw01 1,2024/10/03 12:00:00,0132,SYSTEM,general,0,"
                       "2024/10/03 12:00:00",
                       *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(bsd.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
}

BOOST_AUTO_TEST_CASE(other_lines_are_not_claimed) {
  BOOST_TEST((run(panos(), "1,2,3,4").what == outcome::no_match));
  BOOST_TEST((run(panos(), "Oct  3 12:00:00 host sshd[1]: Accepted password").what ==
              outcome::no_match));
  BOOST_TEST(testing::detect("1,2024/10/03 12:00:00,0132,SYSTEM,general,0,2024/10/03 12:00:00") ==
             "panos");
}

BOOST_AUTO_TEST_SUITE_END()
