// Tests for time/rfc3339.hpp: ISO 8601 / RFC 3339 stamps with and without
// an offset.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <ostream>
#include <string_view>

#include "time/rfc3339.hpp"
#include "time/zone.hpp"

using namespace mimamori::time;
namespace data = boost::unit_test::data;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t oct3 = 1'727'924'400;  // 2024-10-03T03:00:00Z

struct stamp_case {
  std::string_view text;
  std::int64_t ns;
};
std::ostream& operator<<(std::ostream& os, const stamp_case& c) { return os << c.text; }

const stamp_case valid_stamps[] = {
    {"2024-10-03T03:00:00Z", oct3 * s},
    {"2024-10-03t03:00:00z", oct3 * s},
    {"2024-10-03 03:00:00Z", oct3 * s},
    {"2024-10-03T12:00:00+09:00", oct3 * s},
    {"2024-10-03T12:00:00+0900", oct3 * s},
    {"2024-10-03T12:00:00+09", oct3 * s},
    {"2024-10-02T22:00:00-05:00", oct3 * s},
    {"2024-10-02T22:00:00-0500", oct3 * s},
    {"2024-10-03T08:30:00+05:30", oct3 * s},
    {"2024-10-03T03:00:00-00:00", oct3 * s},
    {"2024-10-03T03:00:00.1Z", oct3 * s + 100'000'000},
    {"2024-10-03T03:00:00.12Z", oct3 * s + 120'000'000},
    {"2024-10-03T03:00:00.123Z", oct3 * s + 123'000'000},
    {"2024-10-03T03:00:00.1234Z", oct3 * s + 123'400'000},
    {"2024-10-03T03:00:00.12345Z", oct3 * s + 123'450'000},
    {"2024-10-03T03:00:00.123456Z", oct3 * s + 123'456'000},
    {"2024-10-03T03:00:00.1234567Z", oct3 * s + 123'456'700},
    {"2024-10-03T03:00:00.12345678Z", oct3 * s + 123'456'780},
    {"2024-10-03T03:00:00.123456789Z", oct3 * s + 123'456'789},
    {"2024-10-03T03:00:00,5Z", oct3 * s + 500'000'000},
    {"2024-10-03T12:00:00.250+09:00", oct3 * s + 250'000'000},
    {"2024-02-29T12:00:00Z", 1'709'208'000 * s},
    {"2000-02-29T00:00:00Z", 951'782'400 * s},
    {"1970-01-01T00:00:00Z", 0},
    {"1969-12-31T23:59:59.999Z", -1'000'000},
    {"1900-01-01T00:00:00Z", -2'208'988'800 * s},
    {"2016-12-31T23:59:60Z", 1'483'228'800 * s},  // leap second: the next :00
    {"2262-04-11T23:47:16.854775807Z", 9'223'372'036'854'775'807},
};

BOOST_DATA_TEST_CASE(reads_stamps_with_offsets, data::make(valid_stamps), sample) {
  const auto value = parse_rfc3339(sample.text);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == sample.ns);
}

const std::string_view malformed_stamps[] = {
    "",
    "2024",
    "2024-10-03",
    "2024-10-03T03:00:00",           // no offset: only parse_local_iso reads it
    "2024-10-03T03:00Z",             // no seconds
    "2024-10-03X03:00:00Z",          // bad separator
    "2024/10/03T03:00:00Z",
    "24-10-03T03:00:00Z",
    "2024-1-03T03:00:00Z",
    "2024-13-03T03:00:00Z",          // month 13
    "2024-00-03T03:00:00Z",
    "2024-10-00T03:00:00Z",
    "2024-10-32T03:00:00Z",
    "2023-02-29T03:00:00Z",          // not a leap year
    "2024-04-31T03:00:00Z",
    "2024-10-03T24:00:00Z",
    "2024-10-03T03:60:00Z",
    "2024-10-03T03:00:61Z",
    "2024-10-03T03:00:00.Z",         // point without digits
    "2024-10-03T03:00:00.1234567890Z",  // ten fraction digits
    "2024-10-03T03:00:00+24:00",
    "2024-10-03T03:00:00+09:60",
    "2024-10-03T03:00:00+9:00",
    "2024-10-03T03:00:00+09:0",
    "2024-10-03T03:00:00+",
    "2024-10-03T03:00:00Zjunk",
    "2024-10-03T03:00:00Z ",
    "2024-1a-03T03:00:00Z",
    "2024-10-03T03:00:00\xff",
    "2300-01-01T00:00:00Z",          // past timestamp's range
    "1600-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
};

BOOST_DATA_TEST_CASE(rejects_malformed_stamps, data::make(malformed_stamps), text) {
  BOOST_TEST(!parse_rfc3339(text).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rfc3339_tests)

BOOST_AUTO_TEST_CASE(scans_a_stamp_at_the_start_of_a_line) {
  const auto parsed = scan_rfc3339("2024-10-03T03:00:00.5Z host sshd[1]: hello");
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.ns == oct3 * s + 500'000'000);
  BOOST_TEST(parsed->length == 22u);
  const auto with_offset = scan_rfc3339("2024-10-03T12:00:00+09:00 rest");
  BOOST_TEST_REQUIRE(with_offset.has_value());
  BOOST_TEST(with_offset->length == 25u);
}

BOOST_AUTO_TEST_CASE(refuses_a_stamp_glued_to_more_digits) {
  BOOST_TEST(!scan_rfc3339("2024-10-03T12:00:00+09:001").has_value());
  BOOST_TEST(!scan_rfc3339("2024-10-03T03:00:00Z1").has_value());
}

BOOST_AUTO_TEST_CASE(reads_local_stamps_in_the_given_zone) {
  const auto tokyo = zone::locate("Asia/Tokyo");
  BOOST_TEST_REQUIRE(tokyo.has_value());
  const auto value = parse_local_iso("2024-10-03T12:00:00", *tokyo);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == oct3 * s);
  const auto spaced = parse_local_iso("2024-10-03 12:00:00.123", *tokyo);
  BOOST_TEST_REQUIRE(spaced.has_value());
  BOOST_TEST(spaced->ns == oct3 * s + 123'000'000);
  const auto utc = parse_local_iso("2024-10-03T03:00:00", zone::utc());
  BOOST_TEST_REQUIRE(utc.has_value());
  BOOST_TEST(utc->ns == oct3 * s);
}

BOOST_AUTO_TEST_CASE(lets_an_explicit_offset_win_over_the_zone) {
  const auto tokyo = zone::locate("Asia/Tokyo");
  BOOST_TEST_REQUIRE(tokyo.has_value());
  const auto value = parse_local_iso("2024-10-03T03:00:00Z", *tokyo);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == oct3 * s);
}

BOOST_AUTO_TEST_CASE(scans_a_local_stamp_and_reports_its_length) {
  const auto parsed = scan_local_iso("2024-10-03 03:00:00,250 INFO started", zone::utc());
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.ns == oct3 * s + 250'000'000);
  BOOST_TEST(parsed->length == 23u);
}

BOOST_AUTO_TEST_CASE(rejects_malformed_local_stamps) {
  for (const std::string_view text : {"", "2024-10-03", "2024-10-03T03:00", "2023-02-29 00:00:00",
                                      "2024-10-03T03:00:00+", "2024-10-03T03:00:00 x"}) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(!parse_local_iso(text, zone::utc()).has_value()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
