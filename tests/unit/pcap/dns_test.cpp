#include "pcap/dns.hpp"

#include <boost/test/unit_test.hpp>

#include "pcap/frames.hpp"

using namespace mimamori;
using namespace mimamori::testing;

namespace {

// A response to dns_query(id, "www.example.com"): a CNAME to
// cdn.example.com (compressed), then an A and an AAAA for it.
bytes response() {
  bytes m = dns_query(0x1234, "www.example.com");
  m[2] = 0x81;  // QR, RD
  m[3] = 0x80;  // RA, NOERROR
  m[7] = 3;     // ancount
  // CNAME: name -> pointer to offset 12
  put16(m, 0xc00c);
  put16(m, 5);
  put16(m, 1);
  put32(m, 300);
  bytes target = {3, 'c', 'd', 'n', 0xc0, 16};  // "cdn" + pointer to "example.com"
  put16(m, static_cast<std::uint16_t>(target.size()));
  std::size_t cdn_at = m.size();
  put(m, target);
  put16(m, static_cast<std::uint16_t>(0xc000 | cdn_at));
  put16(m, 1);
  put16(m, 1);
  put32(m, 60);
  put16(m, 4);
  put(m, bytes{192, 0, 2, 7});
  put16(m, static_cast<std::uint16_t>(0xc000 | cdn_at));
  put16(m, 28);
  put16(m, 1);
  put32(m, 60);
  put16(m, 16);
  put(m, ip_bytes("2001:db8::7"));
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dns)

BOOST_AUTO_TEST_CASE(reads_a_query) {
  pcap::dns_message m;
  BOOST_TEST((pcap::parse_dns(dns_query(42, "example.org", 28), m) == pcap::dns_status::ok));
  BOOST_TEST(m.id == 42);
  BOOST_TEST(!m.response);
  BOOST_TEST(m.question_count == 1u);
  BOOST_TEST(m.questions[0].name == "example.org");
  BOOST_TEST(m.questions[0].type == 28);
  BOOST_TEST(m.answer_count == 0u);
}

BOOST_AUTO_TEST_CASE(reads_compressed_answers_with_their_data) {
  pcap::dns_message m;
  BOOST_TEST((pcap::parse_dns(response(), m) == pcap::dns_status::ok));
  BOOST_TEST(m.response);
  BOOST_TEST(m.rcode == 0);
  BOOST_TEST(m.answer_count == 3u);
  BOOST_TEST(m.answers[0].name == "www.example.com");
  BOOST_TEST(m.answers[0].data == "cdn.example.com");
  BOOST_TEST(m.answers[0].ttl == 300u);
  BOOST_TEST(m.answers[1].name == "cdn.example.com");
  BOOST_TEST(m.answers[1].data == "192.0.2.7");
  BOOST_TEST(m.answers[2].data == "2001:db8::7");
}

BOOST_AUTO_TEST_CASE(refuses_a_pointer_loop_and_a_cut_message) {
  bytes loop = dns_query(1, "a");
  loop.resize(12);
  put16(loop, 0xc00c);  // the name points at itself
  put16(loop, 1);
  put16(loop, 1);
  pcap::dns_message m;
  BOOST_TEST((pcap::parse_dns(loop, m) == pcap::dns_status::malformed));
  bytes r = response();
  for (std::size_t cut = 0; cut < r.size(); ++cut) {
    bytes shorter(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(cut));
    BOOST_TEST((pcap::parse_dns(shorter, m) == pcap::dns_status::malformed), "cut at " << cut);
  }
}

BOOST_AUTO_TEST_CASE(names_types_classes_and_codes) {
  std::string scratch;
  BOOST_TEST(pcap::dns_type_name(1, scratch) == "A");
  BOOST_TEST(pcap::dns_type_name(65, scratch) == "HTTPS");
  BOOST_TEST(pcap::dns_type_name(60000, scratch) == "60000");
  BOOST_TEST(pcap::dns_class_name(0x8001, scratch) == "IN");
  BOOST_TEST(pcap::dns_rcode_name(3, scratch) == "NXDOMAIN");
}

BOOST_AUTO_TEST_SUITE_END()
