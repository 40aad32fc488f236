// Tests for time/timestamp.hpp and time/civil.hpp: units, rounding toward
// the past, chrono arithmetic, and calendar arithmetic.
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "time/civil.hpp"
#include "time/timestamp.hpp"

using namespace mimamori::time;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(timestamp_tests)

BOOST_AUTO_TEST_CASE(builds_from_each_unit) {
  BOOST_TEST(timestamp::from_seconds(1'700'000'000).ns == 1'700'000'000'000'000'000);
  BOOST_TEST(timestamp::from_millis(1'700'000'000'123).ns == 1'700'000'000'123'000'000);
  BOOST_TEST(timestamp::from_micros(-1).ns == -1'000);
  BOOST_TEST(timestamp::from_nanos(42).ns == 42);
  BOOST_TEST(timestamp::from_sys(std::chrono::sys_seconds{10s}).ns == 10'000'000'000);
}

BOOST_AUTO_TEST_CASE(saturates_instead_of_overflowing) {
  BOOST_TEST((timestamp::from_seconds(10'000'000'000) == timestamp::max()));
  BOOST_TEST((timestamp::from_seconds(-10'000'000'000) == timestamp::min()));
  BOOST_TEST((timestamp::from_millis(std::numeric_limits<std::int64_t>::max()) == timestamp::max()));
}

BOOST_AUTO_TEST_CASE(rounds_whole_units_toward_the_past) {
  const timestamp before_epoch{-1};
  BOOST_TEST(before_epoch.seconds() == -1);
  BOOST_TEST(before_epoch.millis() == -1);
  BOOST_TEST(before_epoch.micros() == -1);
  BOOST_TEST(before_epoch.nanos_of_second() == 999'999'999);
  const timestamp after{1'500'000'000};
  BOOST_TEST(after.seconds() == 1);
  BOOST_TEST(after.millis() == 1'500);
  BOOST_TEST(after.nanos_of_second() == 500'000'000);
  BOOST_TEST(timestamp{-1'000'000'000}.seconds() == -1);
  BOOST_TEST(timestamp{-1'000'000'000}.nanos_of_second() == 0);
}

BOOST_AUTO_TEST_CASE(compares_by_instant) {
  BOOST_TEST((timestamp{1} < timestamp{2}));
  BOOST_TEST((timestamp{-5} <= timestamp{-5}));
  BOOST_TEST((timestamp{3} != timestamp{4}));
  BOOST_TEST((timestamp{} == timestamp{0}));
}

BOOST_AUTO_TEST_CASE(adds_and_subtracts_chrono_durations) {
  timestamp t = timestamp::from_seconds(100);
  BOOST_TEST((t + 1500ms).ns == 101'500'000'000);
  BOOST_TEST((t - 2min).ns == -20'000'000'000);
  t += 1h;
  BOOST_TEST(t.seconds() == 3'700);
  t -= 700s;
  BOOST_TEST(t.seconds() == 3'000);
  BOOST_TEST((timestamp::from_seconds(5) - timestamp::from_seconds(2) == 3s));
  BOOST_TEST(t.to_sys().time_since_epoch().count() == t.ns);
}

BOOST_AUTO_TEST_CASE(counts_days_like_the_gregorian_calendar) {
  BOOST_TEST(days_from_civil(1970, 1, 1) == 0);
  BOOST_TEST(days_from_civil(1969, 12, 31) == -1);
  BOOST_TEST(days_from_civil(2000, 3, 1) == 11'017);
  BOOST_TEST(days_from_civil(2024, 10, 3) * 86400 == 1'727'913'600);
  BOOST_TEST(days_from_civil(1900, 1, 1) * 86400 == -2'208'988'800);
  for (std::int64_t day = -150'000; day <= 150'000; day += 7) {
    const civil_date date = civil_from_days(day);
    BOOST_TEST_REQUIRE(days_from_civil(date.year, date.month, date.day) == day);
  }
}

BOOST_AUTO_TEST_CASE(knows_leap_years_and_month_lengths) {
  BOOST_TEST(is_leap_year(2024));
  BOOST_TEST(is_leap_year(2000));
  BOOST_TEST(!is_leap_year(1900));
  BOOST_TEST(!is_leap_year(2023));
  BOOST_TEST(days_in_month(2024, 2) == 29u);
  BOOST_TEST(days_in_month(2023, 2) == 28u);
  BOOST_TEST(days_in_month(2023, 4) == 30u);
  BOOST_TEST(days_in_month(2023, 13) == 0u);
  BOOST_TEST(!is_valid(civil_time{2023, 2, 29, 0, 0, 0, 0}));
  BOOST_TEST(is_valid(civil_time{2024, 2, 29, 23, 59, 60, 999'999'999}));
  BOOST_TEST(!is_valid(civil_time{2024, 1, 1, 24, 0, 0, 0}));
}

BOOST_AUTO_TEST_CASE(converts_civil_time_at_an_offset) {
  const auto tokyo = utc_from_civil({2024, 10, 3, 12, 0, 0, 5}, 9 * 3600);
  BOOST_TEST_REQUIRE(tokyo.has_value());
  BOOST_TEST(tokyo->ns == 1'727'924'400'000'000'005);
  BOOST_TEST((civil_from_utc(*tokyo, 9 * 3600) == civil_time{2024, 10, 3, 12, 0, 0, 5}));
  BOOST_TEST((civil_from_utc(timestamp{-1}) == civil_time{1969, 12, 31, 23, 59, 59, 999'999'999}));
  BOOST_TEST(!utc_from_civil({2300, 1, 1, 0, 0, 0, 0}).has_value());
  BOOST_TEST(!utc_from_civil({1600, 1, 1, 0, 0, 0, 0}).has_value());
  BOOST_TEST(!utc_from_civil({2023, 2, 29, 0, 0, 0, 0}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
