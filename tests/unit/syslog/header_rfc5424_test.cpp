// Tests for syslog/header.hpp: RFC 5424 envelopes with structured data.
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "syslog/header.hpp"
#include "time/format.hpp"

using namespace mimamori;

namespace {

syslog::header read(std::string_view line) {
  syslog::header h;
  syslog::parse_header(line, {time::timestamp::from_seconds(1727924400), time::zone::utc()}, h);
  return h;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(header_rfc5424)

BOOST_AUTO_TEST_CASE(reads_every_header_field) {
  const auto h = read(
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 "
      "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event");
  BOOST_TEST((h.format == syslog::header_format::rfc5424));
  BOOST_TEST(h.priority == 165);
  BOOST_TEST(time::format_utc_ms(h.time) == "2003-10-11T22:14:15.003Z");
  BOOST_TEST(h.hostname == "mymachine.example.com");
  BOOST_TEST(h.app_name == "evntslog");
  BOOST_TEST(h.procid == "1234");
  BOOST_TEST(h.msgid == "ID47");
  BOOST_TEST(h.structured_data == "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"]");
  BOOST_TEST(h.message == "An application event");
}

BOOST_AUTO_TEST_CASE(nil_values_are_empty) {
  const auto h = read("<34>1 - - - - - - message");
  BOOST_TEST((h.format == syslog::header_format::rfc5424));
  BOOST_TEST(!h.has_time);
  BOOST_TEST(h.hostname == "");
  BOOST_TEST(h.structured_data == "");
  BOOST_TEST(h.message == "message");
}

BOOST_AUTO_TEST_CASE(offsets_convert_to_utc_and_bom_is_dropped) {
  const auto h = read("<14>1 2024-10-03T12:00:00+09:00 h a - - - \xEF\xBB\xBFhello");
  BOOST_TEST(time::format_utc_ms(h.time) == "2024-10-03T03:00:00.000Z");
  BOOST_TEST(h.message == "hello");
}

BOOST_AUTO_TEST_CASE(walks_structured_data_with_escapes) {
  const auto h = read(
      "<14>1 2024-10-03T03:00:00Z h a - - [a@1 x=\"q\\\"uote\" y=\"br\\]acket\"][b@2 z=\"\"] m");
  BOOST_TEST(h.message == "m");
  std::vector<std::string> seen;
  std::size_t pos = 0;
  syslog::sd_param p;
  while (syslog::next_sd_param(h.structured_data, pos, p)) {
    seen.push_back(std::string(p.sd_id) + "/" + std::string(p.name) + "=" + std::string(p.value));
  }
  BOOST_TEST(seen.size() == 3U);
  BOOST_TEST(seen[0] == "a@1/x=q\\\"uote");
  BOOST_TEST(seen[1] == "a@1/y=br\\]acket");
  BOOST_TEST(seen[2] == "b@2/z=");
}

BOOST_AUTO_TEST_CASE(broken_structured_data_falls_back_to_text) {
  const auto h = read("<14>1 2024-10-03T03:00:00Z h a - - [unterminated x=\"1\" m");
  BOOST_TEST((h.format != syslog::header_format::rfc5424));
  BOOST_TEST(!h.message.empty());
}

BOOST_AUTO_TEST_SUITE_END()
