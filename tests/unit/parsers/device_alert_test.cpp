// Tests for event.kind alert on the detections of firewalls: PAN-OS THREAT
// and FortiGate utm records that are detections, and those that are not.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

namespace {
// A PAN-OS THREAT record of `subtype` whose category column is `category`.
std::string panos_threat(std::string_view subtype, std::string_view category) {
  return "1,2024/10/03 12:00:03,0132,THREAT," + std::string(subtype) +
         ",1,2024/10/03 12:00:03,198.51.100.9,10.1.1.80,,,in-web,,,web-browsing,vsys1,u,d,e1,e3,"
         "fwd,2024/10/03 12:00:03,1,1,45001,80,0,0,0x0,tcp,alert,\"x.cgi\",Threat(36729)," +
         std::string(category) + ",medium";
}
std::string fortigate_utm(std::string_view subtype, std::string_view rest) {
  return "date=2024-10-03 time=03:00:00 logid=\"0419016384\" type=\"utm\" subtype=\"" +
         std::string(subtype) + "\" devname=\"fw\" srcip=10.0.0.5 dstip=203.0.113.80 " +
         std::string(rest);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(device_alerts)

BOOST_AUTO_TEST_CASE(panos_threat_detections_are_alerts) {
  for (const char* subtype :
       {"vulnerability", "spyware", "virus", "wildfire-virus", "flood", "scan"})
    BOOST_TEST(run(panos(), panos_threat(subtype, "any")).get("event.kind") == "\"alert\"",
               subtype);
  BOOST_TEST(run(panos(), panos_threat("wildfire", "malicious")).get("event.kind") == "\"alert\"");
}

BOOST_AUTO_TEST_CASE(panos_filtering_records_are_not_alerts) {
  for (const char* subtype : {"url", "file", "data"})
    BOOST_TEST(!run(panos(), panos_threat(subtype, "any")).has("event.kind"), subtype);
  BOOST_TEST(!run(panos(), panos_threat("wildfire", "benign")).has("event.kind"));
}

BOOST_AUTO_TEST_CASE(fortigate_utm_detections_are_alerts) {
  BOOST_TEST(run(fortigate(), fortigate_utm("ips", "attack=\"Bash.Shell\" action=\"dropped\""))
                 .get("event.kind") == "\"alert\"");
  // Monitored, not blocked: found all the same.
  BOOST_TEST(run(fortigate(), fortigate_utm("virus",
                                            "eventtype=\"infected\" "
                                            "virus=\"EICAR_TEST_FILE\" action=\"monitored\""))
                 .get("event.kind") == "\"alert\"");
  BOOST_TEST(run(fortigate(),
                 fortigate_utm("anomaly", "attack=\"tcp_syn_flood\" action=\"clear_session\""))
                 .get("event.kind") == "\"alert\"");
  BOOST_TEST(run(fortigate(), fortigate_utm("dns",
                                            "qname=\"c2.example\" "
                                            "botnetdomain=\"c2.example\" action=\"block\""))
                 .get("event.kind") == "\"alert\"");
  BOOST_TEST(
      run(fortigate(), fortigate_utm("app-ctrl", "appcat=\"Botnet\" app=\"Zeus\" action=\"pass\""))
          .get("event.kind") == "\"alert\"");
}

BOOST_AUTO_TEST_CASE(fortigate_policy_verdicts_are_not_alerts) {
  BOOST_TEST(
      !run(fortigate(), fortigate_utm("webfilter", "hostname=\"x.example\" action=\"blocked\""))
           .has("event.kind"));
  BOOST_TEST(!run(fortigate(), fortigate_utm("app-ctrl", "appcat=\"Video/Audio\" action=\"pass\""))
                  .has("event.kind"));
  BOOST_TEST(!run(fortigate(), fortigate_utm("dns", "qname=\"www.example\" action=\"pass\""))
                  .has("event.kind"));
  // A file sent to the sandbox, or one too big to scan: no virus found.
  BOOST_TEST(
      !run(fortigate(), fortigate_utm("virus", "eventtype=\"analytics\" action=\"analytics\""))
           .has("event.kind"));
  BOOST_TEST(
      !run(fortigate(), fortigate_utm("virus", "eventtype=\"oversize\" action=\"passthrough\""))
           .has("event.kind"));
}

BOOST_AUTO_TEST_SUITE_END()
