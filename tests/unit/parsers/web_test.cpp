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

BOOST_AUTO_TEST_CASE(apache_error_lines_in_both_forms) {
  const auto tokyo = *mimamori::time::zone::locate("Asia/Tokyo");
  const auto old = run(http_access(),
                       "[Thu Oct 03 12:00:00 2024] [error] [client 192.0.2.7] user bob not found: /x",
                       tokyo);
  BOOST_TEST((old.what == outcome::parsed));
  BOOST_TEST(old.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(old.get("event.dataset") == "\"apache.error\"");
  BOOST_TEST(old.get("log.level") == "\"error\"");
  BOOST_TEST(old.get("source.ip") == "\"192.0.2.7\"");
  BOOST_TEST(old.get("user.name") == "\"bob\"");
  const auto v24 = run(http_access(),
                       "[Thu Oct 03 03:00:00.5 2024] [ssl:info] [pid 9:tid 10] "
                       "[client [2001:db8::1]:4431] AH01964: Connection to child 1 established");
  BOOST_TEST(v24.get("@timestamp") == "\"2024-10-03T03:00:00.500Z\"");
  BOOST_TEST(v24.get("apache.error.module") == "\"ssl\"");
  BOOST_TEST(v24.get("event.type") == "[\"info\"]");
  BOOST_TEST(v24.get("process.thread.id") == "10");
  BOOST_TEST(v24.get("source.ip") == "\"2001:db8::1\"");
  BOOST_TEST(v24.get("source.port") == "4431");
  BOOST_TEST(!v24.has("user.name"));
  // A bracket that is no level is not an error log line.
  BOOST_TEST((run(http_access(), "[Thu Oct 03 03:00:00 2024] [not a level] x").what ==
              outcome::no_match));
  BOOST_TEST((run(http_access(), "Oct  3 02:59:00 h app[1]: [02:59:00] [INF] login denied").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_CASE(nginx_error_lines_and_their_context) {
  const auto r = run(http_access(),
                     "2024/10/03 03:00:00 [error] 7#8: *9 user \"carol\" was not found in "
                     "\"/etc/htpasswd\", client: 198.51.100.3, server: a.example, request: "
                     "\"GET /x?y=1 HTTP/1.1\", host: \"a.example:8080\"");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.dataset") == "\"nginx.error\"");
  BOOST_TEST(r.get("process.pid") == "7");
  BOOST_TEST(r.get("nginx.error.connection_id") == "9");
  BOOST_TEST(r.get("user.name") == "\"carol\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.3\"");
  BOOST_TEST(r.get("http.request.method") == "\"GET\"");
  BOOST_TEST(r.get("url.path") == "\"/x\"");
  BOOST_TEST(r.get("url.domain") == "\"a.example\"");
}

BOOST_AUTO_TEST_CASE(payload_stamps_take_the_envelope_offset) {
  // The envelope says +00:00; the payload's stamp has none: not --tz's Tokyo.
  const auto r = run(http_access(),
                     "<187>1 2024-10-03T03:00:00+00:00 h nginx - - - 2024/10/03 03:00:00 [crit] "
                     "1#1: *2 SSL_do_handshake() failed, client: 192.0.2.9, server: 0.0.0.0:443",
                     *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
}

BOOST_AUTO_TEST_CASE(nginx_proxy_manager_formats) {
  const auto r = run(http_access(),
                     "[03/Oct/2024:12:00:00 +0900] - 502 502 - POST https app.example \"/api?q\" "
                     "[Client 203.0.113.4] [Length 166] [Gzip -] [Sent-to 10.0.0.5] \"ua/1\" \"-\"");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("source.ip") == "\"203.0.113.4\"");
  BOOST_TEST(r.get("http.response.status_code") == "502");
  BOOST_TEST(r.get("http.response.body.bytes") == "166");
  BOOST_TEST(r.get("url.domain") == "\"app.example\"");
  BOOST_TEST(r.get("url.query") == "\"q\"");
  BOOST_TEST(r.get("user_agent.original") == "\"ua/1\"");
  BOOST_TEST(!r.has("http.request.referrer"));
}

BOOST_AUTO_TEST_CASE(access_stamps_without_offset_and_one_dash) {
  const auto local = run(http_access(),
                         "192.0.2.1 - bob [03/Oct/2024:12:00:00] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
                         *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST(local.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  const auto one = run(http_access(),
                       "192.0.2.1 - [03/Oct/2024:03:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
  BOOST_TEST(one.get("source.ip") == "\"192.0.2.1\"");
  BOOST_TEST((run(http_access(), "host - [03/Oct/2024:03:00:00 +0000] \"GET / HTTP/1.1\" 200 1")
                  .what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
