// calendar: Japanese public holidays and a business calendar.
//
// Holidays are computed by the rules of the Act on National Holidays
// (国民の祝日に関する法律) as amended up to 2018: fixed days, the Happy
// Monday days (Coming of Age, Marine, Respect for the Aged, Sports), the
// vernal and autumnal equinoxes by the usual astronomical approximation
// (valid 1980-2099), the substitute holiday (振替休日: a holiday on a Sunday
// moves to the next day that is not a holiday) and the citizens' holiday
// (国民の休日: a day between two holidays). The Olympic moves of 2020 and 2021
// and the one-off days of 2019 are included. Nothing is looked up online.
//
// business_calendar counts business time: working hours on days that are
// neither weekend nor holiday (nor an extra day off), in one UTC offset.
// "3 business days" is 3 times the length of a working day of business
// time, so a grey verdict given at 17:00 on a Friday becomes due at 17:00
// three working days later.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "time/civil.hpp"
#include "time/timestamp.hpp"

namespace mimamori::incident {

// The holiday's Japanese name, or "" when the date is not a public holiday.
[[nodiscard]] std::string_view jp_holiday(int year, unsigned month, unsigned day);
[[nodiscard]] inline bool is_jp_holiday(int year, unsigned month, unsigned day) {
  return !jp_holiday(year, month, day).empty();
}
// Day of the vernal / autumnal equinox in March / September (1980-2099).
[[nodiscard]] unsigned vernal_equinox_day(int year);
[[nodiscard]] unsigned autumnal_equinox_day(int year);

struct business_calendar {
  int day_start_minute = 9 * 60;   // 09:00
  int day_end_minute = 18 * 60;    // 18:00
  std::int32_t utc_offset = 9 * 3600;  // Japan
  bool jp_holidays = true;
  std::set<std::int64_t> extra_days_off;  // days since 1970-01-01 (local)
  std::set<std::int64_t> extra_workdays;  // e.g. a Saturday worked

  // Parses "09:00-18:00"; false when the text is not such a range.
  bool set_hours(std::string_view range);
  // A working day (local date, days since the epoch)?
  [[nodiscard]] bool is_business_day(std::int64_t local_day) const;
  // The instant `minutes` of business time after `start`.
  [[nodiscard]] time::timestamp add_business_minutes(time::timestamp start,
                                                     std::int64_t minutes) const;
  [[nodiscard]] time::timestamp add_business_days(time::timestamp start, int days) const {
    return add_business_minutes(start,
                                static_cast<std::int64_t>(days) * (day_end_minute - day_start_minute));
  }
};

}  // namespace mimamori::incident
