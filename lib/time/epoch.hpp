// epoch: Unix times written as numbers, "1700000000" or "1700000000.123".
//
// The text is an optional `-`, 1..19 digits and an optional fraction after
// `.`, in a given unit; the fraction may not go below a nanosecond (nine
// digits for seconds, six for milliseconds, three for microseconds, none
// for nanoseconds). The whole text must be the number.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "time/timestamp.hpp"

namespace mimamori::time {

enum class epoch_unit {
  seconds,
  millis,
  micros,
  nanos,
  // Chosen by the number of digits before the point (leading zeros aside),
  // so that a time after 1970 reads as one: up to 10 seconds, 11..13
  // milliseconds, 14..16 microseconds, 17..19 nanoseconds.
  automatic,
};

// The unit `automatic` picks for a number with this many integer digits.
[[nodiscard]] constexpr epoch_unit epoch_unit_for_digits(std::size_t digits) noexcept {
  if (digits <= 10) return epoch_unit::seconds;
  if (digits <= 13) return epoch_unit::millis;
  if (digits <= 16) return epoch_unit::micros;
  return epoch_unit::nanos;
}

// "s", "ms", "us", "ns" or "auto" (as a command-line flag would spell it).
[[nodiscard]] std::optional<epoch_unit> parse_epoch_unit(std::string_view name) noexcept;

// Seconds.
[[nodiscard]] std::optional<timestamp> parse_epoch(std::string_view text) noexcept;
[[nodiscard]] std::optional<timestamp> parse_epoch(std::string_view text,
                                                   epoch_unit unit) noexcept;

}  // namespace mimamori::time
