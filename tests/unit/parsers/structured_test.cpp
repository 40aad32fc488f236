// Tests for parsers/suricata_eve.cpp and parsers/cef.cpp, and detection.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::detect;
using testing::run;

BOOST_AUTO_TEST_SUITE(structured_logs)

BOOST_AUTO_TEST_CASE(eve_alerts_and_dns) {
  const auto a =
      run(suricata_eve(),
          R"({"timestamp":"2024-10-03T12:00:00.123456+0900","event_type":"alert",)"
          R"("src_ip":"198.51.100.7","src_port":51234,"dest_ip":"192.0.2.10",)"
          R"("dest_port":80,"proto":"TCP","alert":{"action":"blocked","signature_id":)"
          R"(2010935,"signature":"ET SCAN x","category":"Attempted Recon","severity":2}})");
  BOOST_TEST((a.what == outcome::parsed));
  BOOST_TEST(a.get("@timestamp") == "\"2024-10-03T03:00:00.123Z\"");
  BOOST_TEST(a.get("rule.id") == "\"2010935\"");
  BOOST_TEST(a.get("event.type") == "[\"denied\"]");
  BOOST_TEST(a.get("network.transport") == "\"tcp\"");
  const auto d =
      run(suricata_eve(), R"({"timestamp":"2024-10-03T03:00:00.000000+0000","event_type":"dns",)"
                          R"("src_ip":"10.0.0.5","dest_ip":"10.0.0.53","proto":"UDP","dns":)"
                          R"({"type":"query","id":1,"rrname":"evil.example","rrtype":"A"}})");
  BOOST_TEST(d.get("dns.question.name") == "\"evil.example\"");
  BOOST_TEST(d.get("dns.type") == "\"query\"");
  BOOST_TEST((run(suricata_eve(), R"({"event_type":"alert",)").what == outcome::broken));
}

BOOST_AUTO_TEST_CASE(cef_header_and_extension_escapes) {
  const auto r = run(cef(),
                     "Oct  3 03:00:00 host CEF:0|Trend Micro|Apex One|14.0|200|Virus \\| found|8|"
                     "rt=1727924400000 src=10.0.0.5 suser=CORP\\\\bob act=Quarantine "
                     "msg=a value with spaces and \\= sign fname=eicar.com");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("observer.vendor") == "\"Trend Micro\"");
  BOOST_TEST(r.get("event.reason") == "\"Virus | found\"");
  BOOST_TEST(r.get("event.severity") == "8");
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("user.name") == "\"CORP\\\\bob\"");
  BOOST_TEST(r.get("message") == "\"a value with spaces and = sign\"");
  BOOST_TEST(r.get("file.name") == "\"eicar.com\"");
  BOOST_TEST((run(cef(), "CEF:0|a|b|c").what == outcome::broken));
}

BOOST_AUTO_TEST_CASE(leef_with_tabs_and_custom_delimiters) {
  const auto one = run(cef(), "LEEF:1.0|IBM|QRadar|1.0|42|src=10.0.0.1\tdst=10.0.0.2\tusrName=amy");
  BOOST_TEST(one.get("event.dataset") == "\"leef.log\"");
  BOOST_TEST(one.get("source.ip") == "\"10.0.0.1\"");
  BOOST_TEST(one.get("user.name") == "\"amy\"");
  const auto two = run(cef(), "LEEF:2.0|V|P|1|7|^|src=10.0.0.1^dstPort=443");
  BOOST_TEST(two.get("destination.port") == "443");
}

BOOST_AUTO_TEST_CASE(detection_picks_the_family) {
  BOOST_TEST(detect("<166>Oct 10 2018 12:34:56 fw : %ASA-6-302013: Built") == "cisco-asa");
  BOOST_TEST(detect("date=2024-10-03 time=03:00:00 logid=\"1\" devid=\"F\" type=\"traffic\"") ==
             "fortigate");
  BOOST_TEST(detect("Oct  3 02:59:00 h sshd[1]: Invalid user x from 10.0.0.1") == "linux-auth");
  BOOST_TEST(detect("1286536309.586    921 192.168.0.68 TCP_MISS/200 507 GET http://a/ - "
                    "DIRECT/203.0.113.10 text/html") == "squid");
  BOOST_TEST(detect("1.2.3.4 - - [03/Oct/2024:03:00:00 +0000] \"GET / HTTP/1.1\" 200 1") ==
             "apache-access");
  BOOST_TEST(detect("Oct  3 02:59:58 gw kernel: IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=UDP") ==
             "iptables");
  BOOST_TEST(detect("Oct  3 02:59:58 gw something else entirely") == "");
}

BOOST_AUTO_TEST_SUITE_END()
