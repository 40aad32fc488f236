// Tests for parsers/squid.cpp and parsers/http_access.cpp.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(web_logs)

BOOST_AUTO_TEST_CASE(squid_native_lines) {
  const auto r = run(squid_access(),
                     "1286536309.586    921 192.168.0.68 TCP_MISS/200 507 GET "
                     "http://www.example.com:8080/a/b?c=d bob DIRECT/203.0.113.10 text/html");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2010-10-08T11:11:49.586Z\"");
  BOOST_TEST(r.get("event.duration") == "921000000");
  BOOST_TEST(r.get("source.ip") == "\"192.168.0.68\"");
  BOOST_TEST(r.get("destination.ip") == "\"203.0.113.10\"");
  BOOST_TEST(r.get("http.response.status_code") == "200");
  BOOST_TEST(r.get("url.domain") == "\"www.example.com\"");
  BOOST_TEST(r.get("url.port") == "8080");
  BOOST_TEST(r.get("url.path") == "\"/a/b\"");
  BOOST_TEST(r.get("url.query") == "\"c=d\"");
  BOOST_TEST(r.get("user.name") == "\"bob\"");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
  const auto denied = run(squid_access(),
                          "1286536310.123      5 192.168.0.68 TCP_DENIED/403 3955 CONNECT "
                          "bad.example.com:443 - HIER_NONE/- text/html");
  BOOST_TEST(denied.get("event.type") == "[\"access\",\"denied\"]");
  BOOST_TEST(denied.get("destination.port") == "443");
  BOOST_TEST(denied.get("event.outcome") == "\"failure\"");
}

BOOST_AUTO_TEST_CASE(combined_access_lines) {
  const auto r = run(http_access(),
                     "198.51.100.7 - alice [03/Oct/2024:12:00:00 +0900] \"GET /index.html?x=1 "
                     "HTTP/1.1\" 404 499 \"http://ref.example/\" \"curl/8.0\"");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.7\"");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("http.request.method") == "\"GET\"");
  BOOST_TEST(r.get("url.path") == "\"/index.html\"");
  BOOST_TEST(r.get("http.version") == "\"1.1\"");
  BOOST_TEST(r.get("http.response.status_code") == "404");
  BOOST_TEST(r.get("event.outcome") == "\"failure\"");
  BOOST_TEST(r.get("user_agent.original") == "\"curl/8.0\"");
  BOOST_TEST(r.get("http.request.referrer") == "\"http://ref.example/\"");
}

BOOST_AUTO_TEST_CASE(virtual_hosts_and_forwarded_lists) {
  const auto r = run(nginx_access(),
                     "example.com:80 10.0.0.2, 10.0.0.1, 198.51.100.14 - - "
                     "[07/Dec/2016:11:05:07 +0100] \"GET /ocelot HTTP/1.1\" 200 571 \"-\" \"-\"");
  BOOST_TEST(r.get("destination.domain") == "\"example.com\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.14\"");
  BOOST_TEST(r.get("url.domain") == "\"example.com\"");
}

BOOST_AUTO_TEST_CASE(squid_combined_lines_are_squid) {
  const auto r = run(http_access(),
                     "192.0.2.5 - - [03/Oct/2024:03:00:00 +0000] \"GET http://example.com/ "
                     "HTTP/1.1\" 200 1024 \"-\" \"Mozilla/5.0\" TCP_MISS:HIER_DIRECT");
  BOOST_TEST(r.get("event.dataset") == "\"squid.access\"");
  BOOST_TEST(r.get("squid.cache_status") == "\"TCP_MISS\"");
}

BOOST_AUTO_TEST_SUITE_END()
