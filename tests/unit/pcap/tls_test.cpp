#include "pcap/tls.hpp"

#include <boost/test/unit_test.hpp>

#include "pcap/frames.hpp"
#include "pcap/ja3.hpp"

using namespace mimamori;
using namespace mimamori::testing;

namespace {

std::string text(const bytes& b) {
  return std::string(b.begin(), b.end());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(reads_sni_and_computes_ja3_without_grease) {
  pcap::tls_client_hello h;
  BOOST_TEST((pcap::parse_client_hello(text(tls_record(handshake(hello_body("www.example.com")))),
                                       h) == pcap::tls_status::ok));
  BOOST_TEST(h.server_name == "www.example.com");
  BOOST_TEST(h.highest_version() == 0x0304);
  BOOST_TEST(pcap::tls_version_text(h.highest_version()) == "1.3");
  std::string ja3_text;
  std::string ja3_hash;
  pcap::ja3(h, ja3_text, ja3_hash);
  BOOST_TEST(ja3_text == "771,4865-4866-49195,0-10-11-43,29-23,0");
  BOOST_TEST(ja3_hash == "fd17f1f9b9c56d4bfda8900c8900ec06");  // md5 of the string
}

BOOST_AUTO_TEST_CASE(joins_a_hello_split_over_two_records) {
  bytes hs = handshake(hello_body("split.example"));
  bytes first(hs.begin(), hs.begin() + 30);
  bytes second(hs.begin() + 30, hs.end());
  bytes stream = tls_record(first);
  pcap::tls_client_hello h;
  BOOST_TEST((pcap::parse_client_hello(text(stream), h) == pcap::tls_status::need_more));
  put(stream, tls_record(second));
  BOOST_TEST((pcap::parse_client_hello(text(stream), h) == pcap::tls_status::ok));
  BOOST_TEST(h.server_name == "split.example");
}

BOOST_AUTO_TEST_CASE(waits_for_a_cut_record_and_refuses_other_bytes) {
  std::string whole = text(tls_record(handshake(hello_body("a.example"))));
  pcap::tls_client_hello h;
  for (std::size_t n = 0; n < whole.size(); n += 7) {
    BOOST_TEST((pcap::parse_client_hello(whole.substr(0, n), h) == pcap::tls_status::need_more));
  }
  BOOST_TEST((pcap::parse_client_hello("GET / HTTP/1.1\r\n", h) == pcap::tls_status::not_tls));
  BOOST_TEST(pcap::is_grease(0xdada));
  BOOST_TEST(!pcap::is_grease(0x0a0b));
}

BOOST_AUTO_TEST_SUITE_END()
