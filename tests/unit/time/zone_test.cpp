// Tests for time/zone.hpp: names, fixed offsets, IANA zones, and the rule
// for daylight-saving gaps and overlaps.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string_view>

#include "time/zone.hpp"

using namespace mimamori::time;
using namespace std::chrono_literals;
namespace data = boost::unit_test::data;

namespace {

zone must_locate(std::string_view name) {
  const auto found = zone::locate(name);
  BOOST_TEST_REQUIRE(found.has_value(), "zone " << name);
  return *found;
}

std::int64_t utc_seconds(const zone& tz, civil_time local) {
  const auto value = tz.to_utc(local);
  BOOST_TEST_REQUIRE(value.has_value());
  return value->seconds();
}

struct local_case {
  std::string_view zone_name;
  civil_time local;
  std::int64_t utc;  // seconds
  std::string_view what;
};
std::ostream& operator<<(std::ostream& os, const local_case& c) {
  return os << c.zone_name << ' ' << c.what;
}

// Expected values from Python's zoneinfo with fold=0, which follows the same
// rule (offset before the transition).
const local_case local_times[] = {
    {"Asia/Tokyo", {2024, 10, 3, 12, 0, 0, 0}, 1'727'924'400, "no DST"},
    {"Asia/Tokyo", {2024, 1, 1, 0, 0, 0, 0}, 1'704'034'800, "new year"},
    {"America/New_York", {2024, 3, 10, 1, 59, 59, 0}, 1'710'053'999, "before spring forward"},
    {"America/New_York", {2024, 3, 10, 2, 30, 0, 0}, 1'710'055'800, "in the gap: 03:30 EDT"},
    {"America/New_York", {2024, 3, 10, 3, 0, 0, 0}, 1'710'054'000, "after spring forward"},
    {"America/New_York", {2024, 11, 3, 0, 59, 59, 0}, 1'730'609'999, "before fall back"},
    {"America/New_York", {2024, 11, 3, 1, 30, 0, 0}, 1'730'611'800, "overlap: earlier, EDT"},
    {"America/New_York", {2024, 11, 3, 2, 0, 0, 0}, 1'730'617'200, "after fall back"},
    {"Europe/London", {2024, 1, 15, 12, 0, 0, 0}, 1'705'320'000, "winter, GMT"},
    {"Europe/London", {2024, 7, 1, 12, 0, 0, 0}, 1'719'831'600, "summer, BST"},
    {"Europe/London", {2024, 3, 31, 0, 59, 59, 0}, 1'711'846'799, "before spring forward"},
    {"Europe/London", {2024, 3, 31, 1, 30, 0, 0}, 1'711'848'600, "in the gap: 02:30 BST"},
    {"Europe/London", {2024, 10, 27, 1, 30, 0, 0}, 1'729'989'000, "overlap: earlier, BST"},
    {"UTC", {2024, 10, 3, 3, 0, 0, 0}, 1'727'924'400, "utc"},
    {"+09:00", {2024, 10, 3, 12, 0, 0, 0}, 1'727'924'400, "fixed east"},
    {"-0500", {2024, 10, 2, 22, 0, 0, 0}, 1'727'924'400, "fixed west"},
};

BOOST_DATA_TEST_CASE(converts_local_time_to_utc, data::make(local_times), sample) {
  BOOST_TEST(utc_seconds(must_locate(sample.zone_name), sample.local) == sample.utc);
}

const std::string_view unknown_names[] = {
    "", "Asia/Tokio", "asia/tokyo", "Mars/Olympus_Mons", "+25:00", "+09:00x", "+9", "+09:6",
    "-", "/etc/passwd", "../../../../etc/passwd", "Asia/", "\xff\xfe",
    "A_very_long_name_that_is_certainly_not_in_any_time_zone_database_anywhere_at_all",
};

BOOST_DATA_TEST_CASE(refuses_unknown_zone_names, data::make(unknown_names), name) {
  BOOST_TEST(!zone::locate(name).has_value());
  BOOST_TEST(!zone::locate(name).has_value());  // and again, from the cache
}

}  // namespace

BOOST_AUTO_TEST_SUITE(zone_tests)

BOOST_AUTO_TEST_CASE(defaults_to_utc) {
  const zone tz;
  BOOST_TEST(tz.name() == "UTC");
  BOOST_TEST(tz.is_fixed());
  BOOST_TEST((tz == zone::utc()));
  BOOST_TEST((tz.offset_at(timestamp::from_seconds(1'727'924'400)) == 0s));
  BOOST_TEST((must_locate("UTC") == zone::utc()));
  BOOST_TEST((must_locate("Z") == zone::utc()));
}

BOOST_AUTO_TEST_CASE(reads_fixed_offsets_in_each_spelling) {
  for (const std::string_view name : {"+09:00", "+0900", "+09"}) {
    const zone tz = must_locate(name);
    BOOST_TEST(tz.is_fixed());
    BOOST_TEST(tz.name() == "+09:00");
    BOOST_TEST((tz.offset_at(timestamp{}) == 9h));
  }
  const zone india = must_locate("+05:30");
  BOOST_TEST((india.offset_at(timestamp{}) == 5h + 30min));
  const zone west = must_locate("-05:00");
  BOOST_TEST(west.name() == "-05:00");
  BOOST_TEST((west.offset_at(timestamp{}) == -5h));
  BOOST_TEST(must_locate("+00:00").name() == "UTC");
}

BOOST_AUTO_TEST_CASE(builds_fixed_zones_from_offsets) {
  const auto tz = zone::fixed(-3h - 30min);
  BOOST_TEST_REQUIRE(tz.has_value());
  BOOST_TEST(tz->name() == "-03:30");
  BOOST_TEST(!zone::fixed(24h).has_value());
  BOOST_TEST(!zone::fixed(30s).has_value());
  BOOST_TEST(zone::fixed(23h + 59min).has_value());
}

BOOST_AUTO_TEST_CASE(finds_iana_zones_by_name) {
  const zone tokyo = must_locate("Asia/Tokyo");
  BOOST_TEST(!tokyo.is_fixed());
  BOOST_TEST(tokyo.name() == "Asia/Tokyo");
  BOOST_TEST((tokyo.offset_at(timestamp::from_seconds(1'727'924'400)) == 9h));
  BOOST_TEST((must_locate("Asia/Tokyo") == tokyo));
  BOOST_TEST(!(tokyo == zone::utc()));
}

BOOST_AUTO_TEST_CASE(follows_daylight_saving_time_in_offsets) {
  const zone new_york = must_locate("America/New_York");
  BOOST_TEST((new_york.offset_at(timestamp::from_seconds(1'705'320'000)) == -5h));  // January
  BOOST_TEST((new_york.offset_at(timestamp::from_seconds(1'719'831'600)) == -4h));  // July
  const zone london = must_locate("Europe/London");
  BOOST_TEST((london.offset_at(timestamp::from_seconds(1'705'320'000)) == 0s));
  BOOST_TEST((london.offset_at(timestamp::from_seconds(1'719'831'600)) == 1h));
}

BOOST_AUTO_TEST_CASE(converts_utc_to_local_time) {
  const zone tokyo = must_locate("Asia/Tokyo");
  BOOST_TEST((tokyo.to_local(timestamp{1'727'924'400'000'000'007}) ==
              civil_time{2024, 10, 3, 12, 0, 0, 7}));
  const zone new_york = must_locate("America/New_York");
  // Both instants of the repeated 01:30 read back as 01:30.
  BOOST_TEST((new_york.to_local(timestamp::from_seconds(1'730'611'800)) ==
              civil_time{2024, 11, 3, 1, 30, 0, 0}));
  BOOST_TEST((new_york.to_local(timestamp::from_seconds(1'730'615'400)) ==
              civil_time{2024, 11, 3, 1, 30, 0, 0}));
}

BOOST_AUTO_TEST_CASE(refuses_invalid_local_times) {
  const zone tokyo = must_locate("Asia/Tokyo");
  BOOST_TEST(!tokyo.to_utc({2023, 2, 29, 0, 0, 0, 0}).has_value());
  BOOST_TEST(!tokyo.to_utc({2024, 13, 1, 0, 0, 0, 0}).has_value());
  BOOST_TEST(!tokyo.to_utc({2024, 1, 1, 25, 0, 0, 0}).has_value());
  BOOST_TEST(!tokyo.to_utc({2400, 1, 1, 0, 0, 0, 0}).has_value());
  BOOST_TEST(!zone::utc().to_utc({2024, 4, 31, 0, 0, 0, 0}).has_value());
}

BOOST_AUTO_TEST_CASE(keeps_many_zones_apart_beyond_the_cache_size) {
  const std::string_view names[] = {
      "Asia/Tokyo",       "America/New_York", "Europe/London",   "Europe/Paris",
      "Europe/Berlin",    "Asia/Seoul",       "Asia/Singapore",  "Asia/Kolkata",
      "Australia/Sydney", "America/Chicago",  "America/Denver",  "America/Los_Angeles",
      "Pacific/Auckland", "Africa/Cairo",     "America/Sao_Paulo", "Asia/Shanghai",
      "Asia/Dubai",       "Europe/Moscow",    "Asia/Kathmandu",  "Asia/Taipei"};
  for (int round = 0; round < 3; ++round) {
    for (const std::string_view name : names) {
      BOOST_TEST(must_locate(name).name() == name);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
