// civil: conversions between civil times and timestamps at a fixed offset.
#include "time/civil.hpp"

namespace mimamori::time {

std::optional<timestamp> utc_from_civil(const civil_time& civil,
                                        std::int32_t offset_seconds) noexcept {
  // Years far outside timestamp's range would overflow the day count.
  if (!is_valid(civil) || civil.year < 1000 || civil.year > 9999) return std::nullopt;
  const std::int64_t seconds = seconds_from_civil(civil) - offset_seconds;
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(seconds, std::int64_t{1'000'000'000}, &ns) ||
      __builtin_add_overflow(ns, std::int64_t{civil.nanos}, &ns)) {
    return std::nullopt;
  }
  return timestamp{ns};
}

civil_time civil_from_utc(timestamp time, std::int32_t offset_seconds) noexcept {
  const std::int64_t seconds = time.seconds() + offset_seconds;
  std::int64_t days = seconds / 86400;
  std::int64_t second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  const civil_date date = civil_from_days(days);
  return {date.year,
          date.month,
          date.day,
          static_cast<unsigned>(second_of_day / 3600),
          static_cast<unsigned>(second_of_day / 60 % 60),
          static_cast<unsigned>(second_of_day % 60),
          static_cast<std::uint32_t>(time.nanos_of_second())};
}

}  // namespace mimamori::time
