// Tests for parsers/w3c_proxy.cpp, on rows laid out as ProxySG's ELFF
// bcreportermain_v1 format and Zscaler's NSS default web feed.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"
#include "parsers/stream_state.hpp"

using namespace mimamori::parsers;
using testing::run;

namespace {

// Runs lines through the parser with one stream state, as lognorm does for
// one input.
parse_result feed(std::string_view line, stream_state& state, fields& out) {
  mimamori::syslog::header h;
  const auto received = mimamori::time::timestamp::from_seconds(1727924400);
  const auto tz = mimamori::time::zone::utc();
  mimamori::syslog::parse_header(line, {received, tz}, h);
  out.clear();
  return w3c_proxy().parse({line, h, received, tz, &state}, out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(w3c_proxy_logs)

BOOST_AUTO_TEST_CASE(default_proxysg_order_without_a_header) {
  const auto r = run(w3c_proxy(),
                     "2024-10-03 02:59:58 45 10.0.50.21 alice - - OBSERVED \"Technology\" - 200 "
                     "TCP_NC_MISS GET text/html https www.example.com 443 /docs/a.html ?x=1 html "
                     "\"Mozilla/5.0 (X11)\" 192.0.2.5 15320 612 -");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T02:59:58.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"10.0.50.21\"");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("url.original") == "\"https://www.example.com/docs/a.html?x=1\"");
  BOOST_TEST(r.get("url.query") == "\"x=1\"");
  BOOST_TEST(r.get("http.response.status_code") == "200");
  BOOST_TEST(r.get("user_agent.original") == "\"Mozilla/5.0 (X11)\"");
  BOOST_TEST(r.get("event.duration") == "45000000");
  BOOST_TEST(r.get("bluecoat.proxysg.s_action") == "\"TCP_NC_MISS\"");
}

BOOST_AUTO_TEST_CASE(a_fields_header_sets_the_columns_of_later_rows) {
  stream_state state;
  fields out;
  BOOST_TEST((feed("#Fields: date time c-ip sc-filter-result sc-status cs-host", state, out).what ==
              outcome::parsed));
  BOOST_TEST(state.w3c_fields.size() == 6U);
  BOOST_TEST((feed("2024-10-03 03:00:01 10.0.50.22 DENIED 403 bad.example", state, out).what ==
              outcome::parsed));
  BOOST_TEST(out.get("event.action") == "denied");
  BOOST_TEST(out.get("url.domain") == "bad.example");
  BOOST_TEST(out.get("event.outcome") == "failure");
  const auto r = feed("2024-10-03 03:00:01 10.0.50.22 DENIED", state, out);
  BOOST_TEST((r.what == outcome::broken));
}

BOOST_AUTO_TEST_CASE(zscaler_default_web_feed) {
  const auto r = run(w3c_proxy(),
                     "Thu Oct 03 12:00:05 2024\tcarol@example.com\tHTTPS\twww.example.org/login\t"
                     "Blocked\tGeneral Browsing\tGeneral Browsing\t812\t20411\t30\t5\tIT\tWeb "
                     "Search\tNone\tNone\t0\tNone\tNone\tTokyo\tFinance\t10.0.60.7\t203.0.113.120\t"
                     "POST\t403\tMozilla/5.0\tNone\tURL Filtering\tBlock bad\ttext/html\tNone\t"
                     "carol\tlt-7");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.dataset") == "\"zscaler.zia\"");
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T12:00:05.000Z\"");
  BOOST_TEST(r.get("event.type") == "[\"access\",\"denied\"]");
  BOOST_TEST(r.get("destination.ip") == "\"203.0.113.120\"");
  BOOST_TEST(r.get("rule.name") == "\"Block bad\"");
  BOOST_TEST(!r.has("http.request.referrer"));  // None
}

BOOST_AUTO_TEST_CASE(other_dated_lines_are_not_claimed) {
  BOOST_TEST((run(w3c_proxy(), "2024-10-03 03:00:00 something happened here").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
