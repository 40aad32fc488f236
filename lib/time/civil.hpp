// civil: calendar arithmetic on the proleptic Gregorian calendar.
//
// A civil_time is a date and a wall-clock time with no zone attached (what a
// device prints). Day numbers follow Howard Hinnant's days_from_civil and
// civil_from_days, which are exact for every year an int can hold.
#pragma once

#include <cstdint>
#include <optional>

#include "time/timestamp.hpp"

namespace mimamori::time {

struct civil_time {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;     // 0..60: a leap second reads as the next minute's :00
  std::uint32_t nanos = 0;  // 0..999'999'999

  friend constexpr bool operator==(const civil_time&, const civil_time&) noexcept = default;
};

struct civil_date {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

[[nodiscard]] constexpr bool is_leap_year(int year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// 0 for a month outside 1..12.
[[nodiscard]] constexpr unsigned days_in_month(int year, unsigned month) noexcept {
  constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

// Days since 1970-01-01 (negative before it).
[[nodiscard]] constexpr std::int64_t days_from_civil(int year, unsigned month,
                                                     unsigned day) noexcept {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

[[nodiscard]] constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<unsigned>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(shifted_month < 10 ? shifted_month + 3
                                                               : shifted_month - 9);
  return {static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

// True when every field is in range and the day exists in that month.
[[nodiscard]] constexpr bool is_valid(const civil_time& civil) noexcept {
  return civil.day >= 1 && civil.day <= days_in_month(civil.year, civil.month) &&
         civil.hour < 24 && civil.minute < 60 && civil.second <= 60 &&
         civil.nanos < 1'000'000'000;
}

// Whole seconds of the civil time counted as if it were UTC.
[[nodiscard]] constexpr std::int64_t seconds_from_civil(const civil_time& civil) noexcept {
  return days_from_civil(civil.year, civil.month, civil.day) * 86400 +
         static_cast<std::int64_t>(civil.hour) * 3600 + civil.minute * 60 + civil.second;
}

// The instant at which clocks `offset_seconds` east of UTC showed `civil`.
// Empty when `civil` is not valid or the instant is outside timestamp's range.
[[nodiscard]] std::optional<timestamp> utc_from_civil(const civil_time& civil,
                                                      std::int32_t offset_seconds = 0) noexcept;

// What clocks `offset_seconds` east of UTC showed at `time`.
[[nodiscard]] civil_time civil_from_utc(timestamp time, std::int32_t offset_seconds = 0) noexcept;

}  // namespace mimamori::time
