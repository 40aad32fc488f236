#include "pcap/http.hpp"

#include <boost/test/unit_test.hpp>

using namespace mimamori;

BOOST_AUTO_TEST_SUITE(http)

BOOST_AUTO_TEST_CASE(reads_a_request_head) {
  std::string s =
      "POST /a/b?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent:  curl/8.0 \r\n"
      "referer: http://r.example/\r\nContent-Length: 5\r\n\r\nhello";
  pcap::http_request r;
  BOOST_TEST((pcap::parse_http_request(s, r) == pcap::http_status::ok));
  BOOST_TEST(r.method == "POST");
  BOOST_TEST(r.target == "/a/b?x=1");
  BOOST_TEST(r.version == "1.1");
  BOOST_TEST(r.host == "example.com:8080");
  BOOST_TEST(r.user_agent == "curl/8.0");
  BOOST_TEST(r.referrer == "http://r.example/");
  BOOST_TEST(r.content_length == 5u);
  BOOST_TEST(r.head_length == s.size() - 5);
}

BOOST_AUTO_TEST_CASE(asks_for_more_until_the_blank_line) {
  std::string s = "GET / HTTP/1.0\r\nHost: a\r\n\r\n";
  pcap::http_request r;
  for (std::size_t n = 1; n < s.size(); ++n) {
    BOOST_TEST((pcap::parse_http_request(s.substr(0, n), r) == pcap::http_status::need_more),
               "at " << n);
  }
  BOOST_TEST((pcap::parse_http_request(s, r) == pcap::http_status::ok));
}

BOOST_AUTO_TEST_CASE(says_not_http_for_other_protocols) {
  pcap::http_request r;
  BOOST_TEST((pcap::parse_http_request("SSH-2.0-OpenSSH\r\n", r) == pcap::http_status::not_http));
  BOOST_TEST((pcap::parse_http_request("GET / FTP/1.0\r\n\r\n", r) == pcap::http_status::not_http));
  BOOST_TEST(!pcap::looks_like_http_request("\x16\x03\x01"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(http_edges)

BOOST_AUTO_TEST_CASE(skips_empty_lines_before_a_request) {
  std::string s = "\n\r\nGET /x HTTP/1.1\r\n\r\n";
  pcap::http_request r;
  BOOST_TEST((pcap::parse_http_request(s, r) == pcap::http_status::ok));
  BOOST_TEST(r.target == "/x");
  BOOST_TEST(r.head_length == s.size());
  BOOST_TEST((pcap::parse_http_request("\n", r) == pcap::http_status::need_more));
}

BOOST_AUTO_TEST_CASE(reads_http_09_and_a_versionless_line_with_headers) {
  pcap::http_request r;
  BOOST_TEST((pcap::parse_http_request("GET /old\r\n", r) == pcap::http_status::ok));
  BOOST_TEST(r.version == "0.9");
  std::string s = "GET /\nFakeHeader\nHost: localhost\nUser-Agent: myscript\n\n";
  BOOST_TEST((pcap::parse_http_request(s, r) == pcap::http_status::ok));
  BOOST_TEST(r.version.empty());
  BOOST_TEST(r.host == "localhost");
  BOOST_TEST(r.user_agent == "myscript");
  BOOST_TEST(r.head_length == s.size());
}

BOOST_AUTO_TEST_SUITE_END()
