// Tests for the per-thread offset spans of time/zone.cpp and the year cache
// of time/rfc3164.cpp: remembered answers must be the answers. Walks run in
// order (as a log's lines do, so the caches hit) and back and forth across
// transitions and year ends (so they must notice they no longer hold), and
// each answer is checked against date/tz asked directly.
#include <boost/test/unit_test.hpp>

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "time/civil.hpp"
#include "time/rfc3164.hpp"
#include "time/zone.hpp"

using namespace mimamori::time;

namespace {

constexpr std::int64_t s = 1'000'000'000;

zone must_locate(std::string_view name) {
  const auto z = zone::locate(name);
  BOOST_TEST_REQUIRE(z.has_value());
  return *z;
}

// The rule of zone.hpp, straight from the database: the first offset.
std::int64_t expected_utc_seconds(std::string_view name, std::int64_t local_seconds) {
  const auto* tz = date::locate_zone(name);
  const date::local_info info =
      tz->get_info(date::local_seconds{std::chrono::seconds{local_seconds}});
  return local_seconds - info.first.offset.count();
}

// The candidate nearest to `received` (the first of equals).
std::int64_t nearest(std::int64_t received, std::initializer_list<std::int64_t> candidates) {
  std::int64_t best = *candidates.begin();
  for (const std::int64_t c : candidates) {
    if ((c > received ? c - received : received - c) <
        (best > received ? best - received : received - best)) {
      best = c;
    }
  }
  return best;
}

civil_time civil_of(std::int64_t local_seconds) {
  return civil_from_utc(timestamp::from_seconds(local_seconds), 0);
}

const std::string_view zones_with_transitions[] = {
    "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Tokyo",
    "America/Sao_Paulo"};

}  // namespace

BOOST_AUTO_TEST_CASE(local_to_utc_agrees_with_the_database_through_a_year_of_transitions) {
  const std::int64_t start = 1'704'067'200;  // 2024-01-01 local
  for (const std::string_view name : zones_with_transitions) {
    const zone z = must_locate(name);
    // Every 7.5 minutes through the year (gaps and overlaps included), then
    // a few jumps back and forth so that a remembered span is left.
    for (std::int64_t local = start; local < start + 366 * 86400; local += 450) {
      const auto utc = z.to_utc(civil_of(local));
      BOOST_TEST_REQUIRE(utc.has_value());
      BOOST_TEST_REQUIRE(utc->seconds() == expected_utc_seconds(name, local), name << " " << local);
    }
    for (const std::int64_t local : {start + 200 * 86400, start + 10, start + 300 * 86400 + 1800,
                                     start + 69 * 86400 + 9000, start + 69 * 86400 + 5400}) {
      const auto utc = z.to_utc(civil_of(local));
      BOOST_TEST_REQUIRE(utc.has_value());
      BOOST_TEST(utc->seconds() == expected_utc_seconds(name, local), name << " " << local);
    }
  }
}

BOOST_AUTO_TEST_CASE(offsets_agree_with_the_database_back_and_forth) {
  const std::int64_t start = 1'704'067'200;
  for (const std::string_view name : zones_with_transitions) {
    const zone z = must_locate(name);
    const auto* tz = date::locate_zone(name);
    for (std::int64_t t = start; t < start + 366 * 86400; t += 1777) {
      // A time, then one half a year away, then the next: the span must
      // be left and found again.
      for (const std::int64_t at : {t, t + 183 * 86400, t}) {
        const auto expected = tz->get_info(date::sys_seconds{std::chrono::seconds{at}}).offset;
        BOOST_TEST_REQUIRE(z.offset_at(timestamp::from_seconds(at)).count() == expected.count(),
                           name << " " << at);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(syslog_year_follows_the_receive_time_across_new_year) {
  // One stamp, received on either side of its year's end, in turn; then a
  // stamp of early January.
  const zone tokyo = must_locate("Asia/Tokyo");
  for (const zone& z : {zone::utc(), tokyo}) {
    const std::int64_t offset = z == zone::utc() ? 0 : 9 * 3600;
    const std::int64_t new_year_2025 = 1'735'689'600 - offset;  // 2025-01-01 00:00 local
    const std::int64_t dec31_2024 = new_year_2025 - 1;           // its 23:59:59
    for (int round = 0; round < 3; ++round) {
      for (const std::int64_t received :
           {new_year_2025 - 5, new_year_2025 + 5, new_year_2025 + 200 * 86400,
            new_year_2025 - 200 * 86400, new_year_2025 + 3 * 86400}) {
        const timestamp at = timestamp::from_seconds(received);
        const auto late = parse_rfc3164("Dec 31 23:59:59", at, z);
        BOOST_TEST_REQUIRE(late.has_value());
        BOOST_TEST(late->value.seconds() ==
                       nearest(received, {dec31_2024 - 366 * 86400, dec31_2024,
                                          dec31_2024 + 365 * 86400}),
                   received);
        const auto early = parse_rfc3164("Jan  1 00:00:01", at, z);
        BOOST_TEST_REQUIRE(early.has_value());
        BOOST_TEST(early->value.seconds() ==
                       nearest(received, {new_year_2025 + 1 - 366 * 86400, new_year_2025 + 1,
                                          new_year_2025 + 1 + 365 * 86400}),
                   received);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(february_29_looks_years_away_after_cached_neighbours) {
  // The candidates of the years around 2026 are remembered (none has a Feb
  // 29); the search goes on to 2024 and 2028 all the same.
  const timestamp received = timestamp::from_seconds(1'769'904'000);  // 2026-02-01
  for (int round = 0; round < 2; ++round) {
    const auto t = parse_rfc3164("Feb 29 12:00:00", received, zone::utc());
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->value.ns == 1'709'208'000 * s);  // 2024-02-29T12:00:00Z, nearer than 2028
  }
}
