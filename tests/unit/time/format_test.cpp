// Tests for time/format.hpp: UTC text with milliseconds, before and after
// 1970, and its round trip through the RFC 3339 parser.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>

#include "time/format.hpp"
#include "time/rfc3339.hpp"

using namespace mimamori::time;
namespace data = boost::unit_test::data;

namespace {

struct format_case {
  std::int64_t ns;
  std::string_view text;
};
std::ostream& operator<<(std::ostream& os, const format_case& c) { return os << c.ns; }

const format_case known_times[] = {
    {0, "1970-01-01T00:00:00.000Z"},
    {1'727'924'400'000'000'000, "2024-10-03T03:00:00.000Z"},
    {1'727'924'400'123'999'999, "2024-10-03T03:00:00.123Z"},  // truncated, not rounded
    {1'709'208'000'000'000'000, "2024-02-29T12:00:00.000Z"},
    {951'782'400'007'000'000, "2000-02-29T00:00:00.007Z"},
    {1'704'067'199'999'000'000, "2023-12-31T23:59:59.999Z"},
    {-1, "1969-12-31T23:59:59.999Z"},
    {-1'000'000, "1969-12-31T23:59:59.999Z"},
    {-1'000'001, "1969-12-31T23:59:59.998Z"},
    {-1'000'000'000, "1969-12-31T23:59:59.000Z"},
    {-2'208'988'800'000'000'000, "1900-01-01T00:00:00.000Z"},
    {-2'208'988'799'950'000'000, "1900-01-01T00:00:00.050Z"},
    {std::numeric_limits<std::int64_t>::min(), "1677-09-21T00:12:43.145Z"},
    {std::numeric_limits<std::int64_t>::max(), "2262-04-11T23:47:16.854Z"},
};

BOOST_DATA_TEST_CASE(writes_utc_with_milliseconds, data::make(known_times), sample) {
  BOOST_TEST(format_utc_ms(timestamp{sample.ns}) == sample.text);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(format_tests)

BOOST_AUTO_TEST_CASE(appends_to_what_is_already_there) {
  std::string out = "{\"@timestamp\":\"";
  append_utc_ms(out, timestamp::from_seconds(1'727'924'400));
  out += "\"}";
  BOOST_TEST(out == "{\"@timestamp\":\"2024-10-03T03:00:00.000Z\"}");
}

BOOST_AUTO_TEST_CASE(writes_exactly_the_promised_length) {
  char buffer[utc_ms_length + 1];
  buffer[utc_ms_length] = '#';
  char* end = write_utc_ms(buffer, timestamp{-1});
  BOOST_TEST((end == buffer + utc_ms_length));
  BOOST_TEST(buffer[utc_ms_length] == '#');
  BOOST_TEST(std::string_view(buffer, utc_ms_length) == "1969-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_CASE(round_trips_through_the_parser) {
  // Every millisecond-aligned time comes back exactly; others lose the rest.
  for (std::int64_t ns = -9'000'000'000'000'000'000; ns < 9'200'000'000'000'000'000;
       ns += 3'123'456'789'012'345) {
    const timestamp time{ns};
    const auto back = parse_rfc3339(format_utc_ms(time));
    BOOST_TEST_REQUIRE(back.has_value(), format_utc_ms(time));
    BOOST_TEST_REQUIRE(back->ns == time.millis() * 1'000'000, format_utc_ms(time));
    BOOST_TEST_REQUIRE(format_utc_ms(*back) == format_utc_ms(time));
  }
}

BOOST_AUTO_TEST_CASE(times_of_one_second_and_of_others_in_any_order) {
  // The text of the last second is kept: the same second with other
  // milliseconds, the next second, a second before it and the same second
  // again after another all come out as written afresh.
  const std::int64_t base = 1'727'924'400'000'000'000;
  const std::int64_t offsets[] = {0,           999'000'000,    1'000'000'000, 1'001'000'000,
                                  -1,          -1'000'000'000, 5'000'000,     86'400'000'000'000,
                                  5'000'000,   -base - 1,      -base - 1,     -base,
                                  0,           59'999'000'000};
  const char* expected[] = {
      "2024-10-03T03:00:00.000Z", "2024-10-03T03:00:00.999Z", "2024-10-03T03:00:01.000Z",
      "2024-10-03T03:00:01.001Z", "2024-10-03T02:59:59.999Z", "2024-10-03T02:59:59.000Z",
      "2024-10-03T03:00:00.005Z", "2024-10-04T03:00:00.000Z", "2024-10-03T03:00:00.005Z",
      "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00.000Z",
      "2024-10-03T03:00:00.000Z", "2024-10-03T03:00:59.999Z"};
  for (std::size_t i = 0; i < std::size(offsets); ++i) {
    BOOST_TEST(format_utc_ms(timestamp{base + offsets[i]}) == expected[i], "case " << i);
  }
}

BOOST_AUTO_TEST_SUITE_END()
