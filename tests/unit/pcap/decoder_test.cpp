#include "pcap/decoder.hpp"

#include <pcap/dlt.h>

#include <boost/test/unit_test.hpp>

#include "pcap/frames.hpp"

using namespace mimamori;
using namespace mimamori::testing;

namespace {

std::string text(const pcap::address& a) {
  std::string out;
  pcap::append_address(out, a);
  return out;
}

std::string payload(const pcap::decoded& d) {
  return std::string(reinterpret_cast<const char*>(d.payload.data()), d.payload.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(decoder)

BOOST_AUTO_TEST_CASE(reads_ipv4_tcp_over_ethernet) {
  bytes f = ethernet(ip("10.0.0.1", "10.0.0.2", 6, tcp(1234, 80, 1000, 0x18, "GET / HTTP/1.1")));
  pcap::decoded d;
  BOOST_TEST((pcap::decode(DLT_EN10MB, f, d) == pcap::decode_status::ok));
  BOOST_TEST(text(d.src) == "10.0.0.1");
  BOOST_TEST(text(d.dst) == "10.0.0.2");
  BOOST_TEST(d.protocol == 6);
  BOOST_TEST(d.src_port == 1234);
  BOOST_TEST(d.dst_port == 80);
  BOOST_TEST(d.tcp_seq == 1000u);
  BOOST_TEST(d.ip_bytes == 20u + 20u + 14u);
  BOOST_TEST(payload(d) == "GET / HTTP/1.1");
}

BOOST_AUTO_TEST_CASE(reads_through_a_vlan_tag_and_a_qinq_pair) {
  bytes one = ethernet(ip("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, {})), {100});
  pcap::decoded d;
  BOOST_TEST((pcap::decode(DLT_EN10MB, one, d) == pcap::decode_status::ok));
  BOOST_TEST(d.vlan == 100);
  BOOST_TEST(d.inner_vlan == 0);
  BOOST_TEST(d.dst_port == 53);
  bytes two = ethernet(ip("10.0.0.1", "10.0.0.2", 17, udp(5000, 53, {})), {200, 300});
  BOOST_TEST((pcap::decode(DLT_EN10MB, two, d) == pcap::decode_status::ok));
  BOOST_TEST(d.vlan == 200);
  BOOST_TEST(d.inner_vlan == 300);
  BOOST_TEST(d.dst_port == 53);
}

BOOST_AUTO_TEST_CASE(reads_ipv6_past_extension_headers) {
  bytes inner = tcp(40000, 443, 7, 0x02, "");
  bytes hop;  // hop-by-hop options: next header TCP, 8 bytes
  hop.push_back(6);
  hop.push_back(0);
  put(hop, bytes(6, 0));
  put(hop, inner);
  bytes p = ip("2001:db8::1", "2001:db8::2", 0 /* hop-by-hop */, hop);
  pcap::decoded d;
  BOOST_TEST((pcap::decode(DLT_EN10MB, ethernet(p), d) == pcap::decode_status::ok));
  BOOST_TEST(text(d.src) == "2001:db8::1");
  BOOST_TEST(d.protocol == 6);
  BOOST_TEST(d.dst_port == 443);
  BOOST_TEST((d.tcp_flags & pcap::tcp_flag::syn) != 0);
}

BOOST_AUTO_TEST_CASE(reads_linux_cooked_captures_and_raw_ip) {
  bytes p = ip("127.0.0.1", "127.0.0.1", 17, udp(1111, 53, {1, 2, 3}));
  pcap::decoded d;
  BOOST_TEST((pcap::decode(DLT_LINUX_SLL, linux_sll(p), d) == pcap::decode_status::ok));
  BOOST_TEST(d.src_port == 1111);
  BOOST_TEST((pcap::decode(276 /* SLL2 */, linux_sll2(p), d) == pcap::decode_status::ok));
  BOOST_TEST(d.src_port == 1111);
  BOOST_TEST((pcap::decode(DLT_RAW, p, d) == pcap::decode_status::ok));
  BOOST_TEST(d.payload.size() == 3u);
}

BOOST_AUTO_TEST_CASE(says_malformed_for_cut_headers_and_not_ip_for_arp) {
  bytes f = ethernet(ip("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 0, "")));
  pcap::decoded d;
  for (std::size_t cut : {10u, 20u, 40u, 50u}) {
    bytes shorter(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(cut));
    BOOST_TEST((pcap::decode(DLT_EN10MB, shorter, d) == pcap::decode_status::malformed),
               "cut at " << cut);
  }
  bytes arp(12, 0xff);
  put16(arp, 0x0806);
  put(arp, bytes(28, 0));
  BOOST_TEST((pcap::decode(DLT_EN10MB, arp, d) == pcap::decode_status::not_ip));
  BOOST_TEST((pcap::decode(DLT_IEEE802_11, arp, d) == pcap::decode_status::unsupported));
}

BOOST_AUTO_TEST_CASE(keeps_a_later_fragment_without_transport_header) {
  bytes p = ip("10.0.0.1", "10.0.0.2", 17, bytes(16, 0xab));
  p[6] = 0x00;
  p[7] = 0x10;  // fragment offset 16*8
  pcap::decoded d;
  BOOST_TEST((pcap::decode(DLT_RAW, p, d) == pcap::decode_status::ok));
  BOOST_TEST(d.fragment);
  BOOST_TEST(!d.has_ports);
}

BOOST_AUTO_TEST_CASE(writes_addresses_in_their_usual_text_form) {
  for (const char* ip : {"0.0.0.0", "9.10.99.100", "192.168.100.255", "255.255.255.255"}) {
    bytes f = ethernet(testing::ip(ip, ip, 17, udp(1, 2, {})));
    pcap::decoded d;
    BOOST_TEST((pcap::decode(DLT_EN10MB, f, d) == pcap::decode_status::ok));
    BOOST_TEST(text(d.src) == ip);
  }
  bytes f = ethernet(testing::ip("2001:db8:0:0:1::1", "::1", 17, udp(1, 2, {})));
  pcap::decoded d;
  BOOST_TEST((pcap::decode(DLT_EN10MB, f, d) == pcap::decode_status::ok));
  BOOST_TEST(text(d.src) == "2001:db8::1:0:0:1");
  BOOST_TEST(text(d.dst) == "::1");
}

BOOST_AUTO_TEST_SUITE_END()
