#include "incident/calendar.hpp"

#include <boost/test/unit_test.hpp>

#include "time/format.hpp"
#include "time/rfc3339.hpp"

using namespace mimamori;

namespace {

time::timestamp at(const char* text) { return *time::parse_rfc3339(text); }

std::string utc(time::timestamp t) { return time::format_utc_ms(t); }

std::string holiday(int y, unsigned m, unsigned d) { return std::string(incident::jp_holiday(y, m, d)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(incident_calendar)

BOOST_AUTO_TEST_CASE(fixed_days_and_happy_mondays_of_2026) {
  BOOST_TEST(holiday(2026, 1, 1) == "元日");
  BOOST_TEST(holiday(2026, 1, 12) == "成人の日");  // 2nd Monday
  BOOST_TEST(holiday(2026, 1, 19).empty());
  BOOST_TEST(holiday(2026, 2, 11) == "建国記念の日");
  BOOST_TEST(holiday(2026, 2, 23) == "天皇誕生日");
  BOOST_TEST(holiday(2026, 4, 29) == "昭和の日");
  BOOST_TEST(holiday(2026, 7, 20) == "海の日");        // 3rd Monday
  BOOST_TEST(holiday(2026, 8, 11) == "山の日");
  BOOST_TEST(holiday(2026, 9, 21) == "敬老の日");      // 3rd Monday
  BOOST_TEST(holiday(2026, 10, 12) == "スポーツの日");  // 2nd Monday
  BOOST_TEST(holiday(2026, 11, 3) == "文化の日");
  BOOST_TEST(holiday(2026, 11, 23) == "勤労感謝の日");
  BOOST_TEST(holiday(2026, 12, 23).empty());  // the Emperor's birthday moved in 2019
  BOOST_TEST(holiday(2018, 12, 23) == "天皇誕生日");
}

BOOST_AUTO_TEST_CASE(equinoxes_follow_the_formula) {
  // Dates published by the National Astronomical Observatory of Japan.
  BOOST_TEST(incident::vernal_equinox_day(2024) == 20u);
  BOOST_TEST(incident::autumnal_equinox_day(2024) == 22u);
  BOOST_TEST(incident::vernal_equinox_day(2025) == 20u);
  BOOST_TEST(incident::autumnal_equinox_day(2025) == 23u);
  BOOST_TEST(incident::vernal_equinox_day(2026) == 20u);
  BOOST_TEST(incident::autumnal_equinox_day(2026) == 23u);
  BOOST_TEST(incident::vernal_equinox_day(2027) == 21u);
  BOOST_TEST(incident::autumnal_equinox_day(2012) == 22u);
  BOOST_TEST(holiday(2026, 3, 20) == "春分の日");
  BOOST_TEST(holiday(2026, 9, 23) == "秋分の日");
}

BOOST_AUTO_TEST_CASE(substitute_and_citizens_holidays) {
  BOOST_TEST(holiday(2025, 2, 24) == "振替休日");  // Feb 23 was a Sunday
  BOOST_TEST(holiday(2024, 5, 6) == "振替休日");   // May 5 was a Sunday
  BOOST_TEST(holiday(2020, 5, 6) == "振替休日");   // May 3 Sunday: after the run 3-5
  BOOST_TEST(holiday(2026, 5, 6) == "振替休日");   // May 3 Sunday again
  BOOST_TEST(holiday(2026, 9, 22) == "国民の休日");  // between 敬老の日 and 秋分の日
  BOOST_TEST(holiday(2015, 9, 22) == "国民の休日");
  BOOST_TEST(holiday(2025, 9, 22).empty());
  BOOST_TEST(holiday(2019, 5, 1) == "即位の日");
  BOOST_TEST(holiday(2019, 4, 30) == "国民の休日");
  BOOST_TEST(holiday(2021, 7, 23) == "スポーツの日");  // Olympic move
  BOOST_TEST(holiday(2021, 10, 11).empty());
}

BOOST_AUTO_TEST_CASE(business_days_skip_weekends_and_holidays) {
  incident::business_calendar c;  // 09:00-18:00 at +09:00
  // Friday 2026-10-02 17:00 JST + 3 business days (Mon 5, Tue 6, Wed 7) -> Wed 17:00 JST.
  BOOST_TEST(utc(c.add_business_days(at("2026-10-02T08:00:00Z"), 3)) == "2026-10-07T08:00:00.000Z");
  // Friday 2026-09-18 12:00 JST: 21 (Mon), 22 and 23 are holidays -> Thu 24, Fri 25, Mon 28.
  BOOST_TEST(utc(c.add_business_days(at("2026-09-18T03:00:00Z"), 3)) == "2026-09-28T03:00:00.000Z");
  // Outside hours: Saturday night counts from Monday 09:00.
  BOOST_TEST(utc(c.add_business_minutes(at("2026-10-03T13:00:00Z"), 60)) == "2026-10-05T01:00:00.000Z");
  // An extra day off is skipped too.
  c.extra_days_off.insert(time::days_from_civil(2026, 10, 5));
  BOOST_TEST(utc(c.add_business_minutes(at("2026-10-03T13:00:00Z"), 60)) == "2026-10-06T01:00:00.000Z");
  BOOST_TEST(!c.is_business_day(time::days_from_civil(2026, 10, 12)));  // スポーツの日
  BOOST_TEST(c.is_business_day(time::days_from_civil(2026, 10, 13)));
}

BOOST_AUTO_TEST_CASE(business_hours_are_read_and_checked) {
  incident::business_calendar c;
  BOOST_TEST(c.set_hours("08:30-17:15"));
  BOOST_TEST(c.day_start_minute == 8 * 60 + 30);
  BOOST_TEST(c.day_end_minute == 17 * 60 + 15);
  BOOST_TEST(!c.set_hours("18:00-09:00"));
  BOOST_TEST(!c.set_hours("9-18"));
  BOOST_TEST(!c.set_hours("25:00-26:00"));
}

BOOST_AUTO_TEST_SUITE_END()
