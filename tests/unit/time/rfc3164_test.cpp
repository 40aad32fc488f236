// Tests for time/rfc3164.hpp: BSD syslog stamps, their length, and the year
// inferred from the time a line was received.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <ostream>
#include <string_view>

#include "time/rfc3164.hpp"
#include "time/zone.hpp"

using namespace mimamori::time;
namespace data = boost::unit_test::data;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t oct3 = 1'727'924'400;  // 2024-10-03T03:00:00Z
const timestamp received_oct3 = timestamp::from_seconds(oct3 + 5);

struct stamp_case {
  std::string_view text;
  std::int64_t ns;
  std::size_t length;
};
std::ostream& operator<<(std::ostream& os, const stamp_case& c) { return os << c.text; }

const stamp_case valid_stamps[] = {
    {"Oct  3 03:00:00", oct3 * s, 15},
    {"Oct 03 03:00:00", oct3 * s, 15},
    {"Oct 3 03:00:00", oct3 * s, 14},
    {"oct  3 03:00:00", oct3 * s, 15},
    {"OCT 03 03:00:00", oct3 * s, 15},
    {"Oct  3 03:00:00 fw01 kernel: drop", oct3 * s, 15},
    {"Oct  3 03:00:00: %ASA-6-302013", oct3 * s, 15},
    {"Oct  3 03:00:00.1 host", oct3 * s + 100'000'000, 17},
    {"Oct  3 03:00:00.123 host", oct3 * s + 123'000'000, 19},
    {"Oct  3 03:00:00.123456 host", oct3 * s + 123'456'000, 22},
    {"Oct  3 03:00:00.123456789", oct3 * s + 123'456'789, 25},
    {"Oct  3 03:00:00. host", oct3 * s, 15},  // a lone point is not a fraction
    {"Oct  2 23:59:59", (oct3 - 3 * 3600 - 1) * s, 15},
};

BOOST_DATA_TEST_CASE(reads_syslog_stamps_and_their_length, data::make(valid_stamps), sample) {
  const auto parsed = parse_rfc3164(sample.text, received_oct3, zone::utc());
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.ns == sample.ns);
  BOOST_TEST(parsed->length == sample.length);
}

const std::string_view malformed_stamps[] = {
    "",
    "Oct",
    "Oct  3",
    "Oct  3 03:00",
    "Foo  3 03:00:00",
    "Octo 3 03:00:00",
    "Oct   3 03:00:00",
    "Oct-03 03:00:00",
    "Oct  3T03:00:00",
    "Oct 0 03:00:00",
    "Oct  0 03:00:00",
    "Oct 32 03:00:00",
    "Feb 30 03:00:00",
    "Apr 31 03:00:00",
    "Oct  3 3:00:00",
    "Oct  3 24:00:00",
    "Oct  3 03:60:00",
    "Oct  3 03:00:61",
    "Oct  3 03-00-00",
    "Oct  3 03:00:001",
    "Oct  3 03:00:00.1234567890",
    "Oct  x 03:00:00",
    "\xff\xfe\xfd  3 03:00:00",
    "2024-10-03T03:00:00Z",
};

BOOST_DATA_TEST_CASE(rejects_malformed_syslog_stamps, data::make(malformed_stamps), text) {
  BOOST_TEST(!parse_rfc3164(text, received_oct3, zone::utc()).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rfc3164_tests)

BOOST_AUTO_TEST_CASE(infers_previous_year_across_new_year) {
  // Sent just before midnight, received just after.
  const auto parsed =
      parse_rfc3164("Dec 31 23:59:59 host app: bye", timestamp::from_seconds(1'735'689'605),
                    zone::utc());
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.seconds() == 1'704'067'199 + 366 * 86400);  // 2024-12-31T23:59:59Z
}

BOOST_AUTO_TEST_CASE(infers_next_year_across_new_year) {
  // The device's clock is a little ahead of ours.
  const auto parsed = parse_rfc3164("Jan  1 00:00:01", timestamp::from_seconds(1'735'689'590),
                                    zone::utc());
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.seconds() == 1'735'689'601);  // 2025-01-01T00:00:01Z
}

BOOST_AUTO_TEST_CASE(keeps_the_reference_year_when_it_is_closest) {
  const auto parsed = parse_rfc3164("Jan  1 00:00:01", timestamp::from_seconds(1'718'409'600),
                                    zone::utc());  // received 2024-06-15
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.seconds() == 1'704'067'201);  // 2024-01-01T00:00:01Z
}

BOOST_AUTO_TEST_CASE(reads_february_29_in_the_nearest_leap_year) {
  const auto in_2024 = parse_rfc3164("Feb 29 12:00:00", timestamp::from_seconds(1'709'251'200),
                                     zone::utc());  // received 2024-03-01
  BOOST_TEST_REQUIRE(in_2024.has_value());
  BOOST_TEST(in_2024->value.seconds() == 1'709'208'000);
  const auto a_year_late = parse_rfc3164(
      "Feb 29 12:00:00", timestamp::from_seconds(1'740'787'200), zone::utc());  // 2025-03-01
  BOOST_TEST_REQUIRE(a_year_late.has_value());
  BOOST_TEST(a_year_late->value.seconds() == 1'709'208'000);
  const auto ahead = parse_rfc3164("Feb 29 12:00:00", timestamp::from_seconds(1'811'808'000),
                                   zone::utc());  // received 2027-06-01
  BOOST_TEST_REQUIRE(ahead.has_value());
  BOOST_TEST(ahead->value.seconds() == 1'835'438'400);  // 2028-02-29T12:00:00Z
}

BOOST_AUTO_TEST_CASE(reads_the_wall_time_in_the_given_zone) {
  const auto tokyo = zone::locate("Asia/Tokyo");
  BOOST_TEST_REQUIRE(tokyo.has_value());
  const auto parsed = parse_rfc3164("Oct  3 12:00:00", received_oct3, *tokyo);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.seconds() == oct3);
}

BOOST_AUTO_TEST_CASE(infers_the_year_from_local_time_not_utc) {
  // 2024-12-31T15:30:00Z is already 2025-01-01 00:30 in Tokyo.
  const auto tokyo = zone::locate("Asia/Tokyo");
  BOOST_TEST_REQUIRE(tokyo.has_value());
  const auto parsed =
      parse_rfc3164("Jan  1 00:00:10", timestamp::from_seconds(1'735'659'000), *tokyo);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.seconds() == 1'735'657'210);  // 2024-12-31T15:00:10Z
}

BOOST_AUTO_TEST_CASE(resolves_a_dst_gap_like_the_zone_does) {
  const auto new_york = zone::locate("America/New_York");
  BOOST_TEST_REQUIRE(new_york.has_value());
  const auto parsed = parse_rfc3164("Mar 10 02:30:00", timestamp::from_seconds(1'710'055'800),
                                    *new_york);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->value.seconds() == 1'710'055'800);  // 07:30Z, 03:30 EDT
}

BOOST_AUTO_TEST_SUITE_END()
