// Tests for time/epoch.hpp: numeric Unix times in each unit and with the
// unit guessed from the number of digits.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <ostream>
#include <string_view>

#include "time/epoch.hpp"

using namespace mimamori::time;
namespace data = boost::unit_test::data;

namespace {

struct epoch_case {
  std::string_view text;
  epoch_unit unit;
  std::int64_t ns;
};
std::ostream& operator<<(std::ostream& os, const epoch_case& c) {
  return os << c.text << " unit " << static_cast<int>(c.unit);
}

const epoch_case valid_numbers[] = {
    {"1700000000", epoch_unit::seconds, 1'700'000'000'000'000'000},
    {"1700000000.5", epoch_unit::seconds, 1'700'000'000'500'000'000},
    {"1700000000.123", epoch_unit::seconds, 1'700'000'000'123'000'000},
    {"1700000000.123456789", epoch_unit::seconds, 1'700'000'000'123'456'789},
    {"0", epoch_unit::seconds, 0},
    {"0.000000001", epoch_unit::seconds, 1},
    {"-1", epoch_unit::seconds, -1'000'000'000},
    {"-1.5", epoch_unit::seconds, -1'500'000'000},
    {"1700000000123", epoch_unit::millis, 1'700'000'000'123'000'000},
    {"1700000000123.456", epoch_unit::millis, 1'700'000'000'123'456'000},
    {"1700000000123.4567", epoch_unit::millis, 1'700'000'000'123'456'700},
    {"1700000000123456", epoch_unit::micros, 1'700'000'000'123'456'000},
    {"1700000000123456.789", epoch_unit::micros, 1'700'000'000'123'456'789},
    {"1700000000123456789", epoch_unit::nanos, 1'700'000'000'123'456'789},
    {"9223372036854775807", epoch_unit::nanos, 9'223'372'036'854'775'807},
    {"-9223372036854775808", epoch_unit::nanos, std::numeric_limits<std::int64_t>::min()},
    {"1700000000", epoch_unit::automatic, 1'700'000'000'000'000'000},
    {"1700000000.25", epoch_unit::automatic, 1'700'000'000'250'000'000},
    {"86400", epoch_unit::automatic, 86'400'000'000'000},
    {"1700000000123", epoch_unit::automatic, 1'700'000'000'123'000'000},
    {"1700000000123456", epoch_unit::automatic, 1'700'000'000'123'456'000},
    {"1700000000123456789", epoch_unit::automatic, 1'700'000'000'123'456'789},
    {"0001700000000", epoch_unit::automatic, 1'700'000'000'000'000'000},  // zeros aside
};

BOOST_DATA_TEST_CASE(reads_numbers_in_each_unit, data::make(valid_numbers), sample) {
  const auto value = parse_epoch(sample.text, sample.unit);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == sample.ns);
}

const epoch_case malformed_numbers[] = {
    {"", epoch_unit::seconds, 0},
    {"-", epoch_unit::seconds, 0},
    {".5", epoch_unit::seconds, 0},
    {"1700000000.", epoch_unit::seconds, 0},
    {"1700000000.1234567891", epoch_unit::seconds, 0},  // below a nanosecond
    {"1700000000123.4567891", epoch_unit::millis, 0},
    {"1700000000123456.7891", epoch_unit::micros, 0},
    {"1700000000123456789.1", epoch_unit::nanos, 0},
    {"+1700000000", epoch_unit::seconds, 0},
    {" 1700000000", epoch_unit::seconds, 0},
    {"1700000000 ", epoch_unit::seconds, 0},
    {"17e8", epoch_unit::seconds, 0},
    {"0x10", epoch_unit::seconds, 0},
    {"1,5", epoch_unit::seconds, 0},
    {"--1", epoch_unit::seconds, 0},
    {"9223372037", epoch_unit::seconds, 0},              // past 2262
    {"-9223372037", epoch_unit::seconds, 0},             // before 1677
    {"9223372036854775808", epoch_unit::nanos, 0},
    {"99999999999999999999", epoch_unit::nanos, 0},      // twenty digits
    {"18446744073709551616", epoch_unit::automatic, 0},
};

BOOST_DATA_TEST_CASE(rejects_malformed_numbers, data::make(malformed_numbers), sample) {
  BOOST_TEST(!parse_epoch(sample.text, sample.unit).has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(epoch_tests)

BOOST_AUTO_TEST_CASE(reads_seconds_by_default) {
  const auto value = parse_epoch("1700000000.123");
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == 1'700'000'000'123'000'000);
  BOOST_TEST(!parse_epoch("abc").has_value());
}

BOOST_AUTO_TEST_CASE(guesses_the_unit_from_the_digit_count) {
  BOOST_TEST((epoch_unit_for_digits(1) == epoch_unit::seconds));
  BOOST_TEST((epoch_unit_for_digits(10) == epoch_unit::seconds));
  BOOST_TEST((epoch_unit_for_digits(11) == epoch_unit::millis));
  BOOST_TEST((epoch_unit_for_digits(13) == epoch_unit::millis));
  BOOST_TEST((epoch_unit_for_digits(14) == epoch_unit::micros));
  BOOST_TEST((epoch_unit_for_digits(16) == epoch_unit::micros));
  BOOST_TEST((epoch_unit_for_digits(17) == epoch_unit::nanos));
  BOOST_TEST((epoch_unit_for_digits(19) == epoch_unit::nanos));
}

BOOST_AUTO_TEST_CASE(reads_unit_names_as_flags_spell_them) {
  BOOST_TEST((parse_epoch_unit("s") == epoch_unit::seconds));
  BOOST_TEST((parse_epoch_unit("ms") == epoch_unit::millis));
  BOOST_TEST((parse_epoch_unit("us") == epoch_unit::micros));
  BOOST_TEST((parse_epoch_unit("ns") == epoch_unit::nanos));
  BOOST_TEST((parse_epoch_unit("auto") == epoch_unit::automatic));
  BOOST_TEST(!parse_epoch_unit("sec").has_value());
  BOOST_TEST(!parse_epoch_unit("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
