// Tests for parsers/snort.cpp, on alerts in Snort's "fast" output layout
// (Snort Users Manual, alert_fast) and its syslog form.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(snort_alerts)

BOOST_AUTO_TEST_CASE(fast_alert_maps_rule_and_flow) {
  const auto r = run(snort(),
                     "10/03-11:58:21.512334  [**] [1:2010935:3] ET POLICY MSSQL [**] "
                     "[Classification: Potentially Bad Traffic] [Priority: 2] {TCP} "
                     "203.0.113.71:40123 -> 10.0.30.5:1433");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T11:58:21.512Z\"");
  BOOST_TEST(r.get("rule.id") == "\"2010935\"");
  BOOST_TEST(r.get("rule.version") == "\"3\"");
  BOOST_TEST(r.get("rule.name") == "\"ET POLICY MSSQL\"");
  BOOST_TEST(r.get("rule.category") == "\"Potentially Bad Traffic\"");
  BOOST_TEST(r.get("event.severity") == "2");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("source.port") == "40123");
  BOOST_TEST(r.get("destination.ip") == "\"10.0.30.5\"");
}

BOOST_AUTO_TEST_CASE(year_less_stamps_do_not_land_in_the_future) {
  // Received 2024-10-03: a 31 December stamp is last year's.
  const auto r = run(snort(),
                     "12/31-23:59:59.000001  [**] [129:12:1] small segments [**] [Priority: 2] "
                     "{TCP} [2001:db8::10]:443 -> [2001:db8::20]:51000");
  BOOST_TEST(r.get("@timestamp") == "\"2023-12-31T23:59:59.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"2001:db8::10\"");
  BOOST_TEST(r.get("destination.port") == "51000");
  const auto y = run(snort(), "10/03/24-12:00:00.000001  [**] [1:1:1] m [**] {UDP} 1.2.3.4:1 -> 5.6.7.8:2",
                     *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(y.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
}

BOOST_AUTO_TEST_CASE(syslog_form_and_icmp) {
  const auto r = run(snort(),
                     "Oct  3 12:00:00 ids01 snort[2201]: [1:2019401:4] ET POLICY Java "
                     "[Classification: Potentially Bad Traffic] [Priority: 2]: <eth1> {ICMP} "
                     "10.0.30.44 -> 192.0.2.80");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("rule.name") == "\"ET POLICY Java\"");
  BOOST_TEST(r.get("observer.ingress.interface.name") == "\"eth1\"");
  BOOST_TEST(r.get("network.transport") == "\"icmp\"");
  BOOST_TEST(!r.has("source.port"));
}

BOOST_AUTO_TEST_CASE(broken_and_foreign_lines) {
  BOOST_TEST((run(snort(), "10/03-11:58:21.5  [**] [1:2:3] msg [**] [Priority: 2] 1.2.3.4").what ==
              outcome::broken));
  BOOST_TEST((run(snort(), "[notice] apache started").what == outcome::no_match));
  // An application's "[hh:mm:ss]" clock is no [gid:sid:rev]: not claimed, not rejected.
  BOOST_TEST((run(snort(), "Oct  3 02:59:00 h app[1]: [02:59:00] [INF] login denied").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_CASE(suricata_fast_log_stamps_have_four_digit_years) {
  const auto r = run(snort(),
                     "10/02/2023-21:14:05.123456  [**] [1:2:3] m [**] [Priority: 2] {TCP} "
                     "192.0.2.1:1 -> 192.0.2.2:2");
  BOOST_TEST(r.get("@timestamp") == "\"2023-10-02T21:14:05.123Z\"");
}

BOOST_AUTO_TEST_SUITE_END()
