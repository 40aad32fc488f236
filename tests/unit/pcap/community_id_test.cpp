#include "pcap/community_id.hpp"

#include <arpa/inet.h>

#include <boost/test/unit_test.hpp>

using namespace mimamori;

namespace {

pcap::address addr(const char* text) {
  pcap::address a;
  if (inet_pton(AF_INET, text, a.bytes.data()) == 1) {
    a.family = 4;
  } else {
    inet_pton(AF_INET6, text, a.bytes.data());
    a.family = 6;
  }
  return a;
}

std::string id(const char* src, const char* dst, std::uint8_t proto, std::uint16_t sp,
               std::uint16_t dp, std::uint16_t seed = 0) {
  std::string out;
  pcap::append_community_id(out, addr(src), addr(dst), proto, true, sp, dp, seed);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(community_id)

// Vectors published with the Community ID spec (and checked by its
// implementations in Logstash, Elasticsearch, Suricata).
BOOST_AUTO_TEST_CASE(matches_the_spec_vectors_in_both_directions) {
  BOOST_TEST(id("128.232.110.120", "66.35.250.204", 6, 34855, 80) ==
             "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  BOOST_TEST(id("66.35.250.204", "128.232.110.120", 6, 80, 34855) ==
             "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  BOOST_TEST(id("192.168.1.52", "8.8.8.8", 17, 54585, 53) == "1:d/FP5EW3wiY1vCndhwleRRKHowQ=");
  BOOST_TEST(id("2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 6, 63943, 25) ==
             "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");
  BOOST_TEST(id("192.168.170.8", "192.168.170.56", 132, 7, 80) == "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=");
  BOOST_TEST(id("192.168.170.56", "192.168.170.8", 132, 80, 7) == "1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=");
}

BOOST_AUTO_TEST_CASE(maps_icmp_types_and_keeps_one_way_types_as_they_are) {
  BOOST_TEST(id("192.168.0.89", "192.168.0.1", 1, 8, 0) == "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
  // The echo reply hashes like its request.
  BOOST_TEST(id("192.168.0.1", "192.168.0.89", 1, 0, 0) == "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
  BOOST_TEST(id("3ffe:501:0:1802:260:97ff:feb6:7ff0", "3ffe:507:0:1:200:86ff:fe05:80da", 58, 3,
                0) == "1:bnQKq8A2r//dWnkRW2EYcMhShjc=");
}

BOOST_AUTO_TEST_CASE(changes_with_the_seed) {
  BOOST_TEST(id("128.232.110.120", "66.35.250.204", 6, 34855, 80, 1) !=
             "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
}

BOOST_AUTO_TEST_SUITE_END()
