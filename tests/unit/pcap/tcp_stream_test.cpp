#include "pcap/tcp_stream.hpp"

#include <boost/test/unit_test.hpp>

using namespace mimamori;

namespace {
std::span<const std::uint8_t> span(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(tcp_stream)

BOOST_AUTO_TEST_CASE(puts_segments_in_order_and_drops_retransmissions) {
  pcap::tcp_stream s;
  s.syn(999);
  BOOST_TEST((s.segment(1000, span("GET /")) == pcap::tcp_stream::result::ok));
  BOOST_TEST((s.segment(1000, span("GET /")) == pcap::tcp_stream::result::ok));   // again
  BOOST_TEST((s.segment(1003, span(" /x HT")) == pcap::tcp_stream::result::ok));  // overlaps
  BOOST_TEST(s.data() == "GET /x HT");
}

BOOST_AUTO_TEST_CASE(holds_a_segment_ahead_of_a_gap_until_the_gap_closes) {
  pcap::tcp_stream s;
  BOOST_TEST((s.segment(100, span("ab")) == pcap::tcp_stream::result::ok));
  BOOST_TEST((s.segment(104, span("ef")) == pcap::tcp_stream::result::ok));
  BOOST_TEST(s.data() == "ab");
  BOOST_TEST(s.held_segments());
  BOOST_TEST((s.segment(102, span("cd")) == pcap::tcp_stream::result::ok));
  BOOST_TEST(s.data() == "abcdef");
  BOOST_TEST(!s.held_segments());
}

BOOST_AUTO_TEST_CASE(skips_a_body_and_reports_a_gap_it_cannot_hold) {
  pcap::tcp_stream s;
  BOOST_TEST((s.segment(0, span("headBODY")) == pcap::tcp_stream::result::ok));
  s.consume(4);
  s.skip(10);  // 4 bytes held now, 6 to come
  BOOST_TEST(s.data().empty());
  BOOST_TEST((s.segment(8, span("123456next")) == pcap::tcp_stream::result::ok));
  BOOST_TEST(s.data() == "next");
  std::string big(pcap::tcp_stream::limit + 1, 'x');
  BOOST_TEST((s.segment(100000, span(big)) == pcap::tcp_stream::result::gap));
}

BOOST_AUTO_TEST_CASE(handles_sequence_numbers_that_wrap) {
  pcap::tcp_stream s;
  BOOST_TEST((s.segment(0xfffffffe, span("ab")) == pcap::tcp_stream::result::ok));
  BOOST_TEST((s.segment(0, span("cd")) == pcap::tcp_stream::result::ok));
  BOOST_TEST(s.data() == "abcd");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tcp_stream_limits)

BOOST_AUTO_TEST_CASE(skips_a_large_body_in_one_segment_and_reads_what_follows) {
  pcap::tcp_stream s;
  std::string body(100 * 1024, 'b');
  s.skip(body.size());
  BOOST_TEST((s.segment(0, span(body + "GET /next")) == pcap::tcp_stream::result::ok));
  BOOST_TEST(s.data() == "GET /next");
}

BOOST_AUTO_TEST_CASE(holds_no_more_than_the_limit) {
  pcap::tcp_stream s;
  std::string big(pcap::tcp_stream::limit + 100, 'x');
  BOOST_TEST((s.segment(0, span(big)) == pcap::tcp_stream::result::overflow));
  BOOST_TEST(s.data().size() == pcap::tcp_stream::limit);
}

BOOST_AUTO_TEST_SUITE_END()
