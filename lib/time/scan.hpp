// scan: small readers of digits, fractions and UTC offsets that the stamp
// parsers of this folder share (namespace detail: not for other folders).
//
// Each reader looks at `text` from `pos`, never past its end, and allocates
// nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mimamori::time::detail {

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The value of exactly `count` digits at `pos`, or -1.
[[nodiscard]] constexpr int fixed_digits(std::string_view text, std::size_t pos,
                                         std::size_t count) noexcept {
  if (pos > text.size() || text.size() - pos < count) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// True when a stamp that ends at `pos` is not glued to more digits.
[[nodiscard]] constexpr bool ends_cleanly(std::string_view text, std::size_t pos) noexcept {
  return pos >= text.size() || !is_digit(text[pos]);
}

struct fraction {
  std::uint32_t nanos = 0;
  std::size_t length = 0;  // digits read
};

// 1..9 digits at `pos` as nanoseconds ("5" is 500'000'000). Empty when there
// is no digit or more than nine.
[[nodiscard]] constexpr std::optional<fraction> fraction_digits(std::string_view text,
                                                                std::size_t pos) noexcept {
  std::uint32_t value = 0;
  std::size_t count = 0;
  while (pos + count < text.size() && is_digit(text[pos + count])) {
    if (count == 9) return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(text[pos + count] - '0');
    ++count;
  }
  if (count == 0) return std::nullopt;
  for (std::size_t i = count; i < 9; ++i) value *= 10;
  return fraction{value, count};
}

struct utc_offset {
  std::int32_t seconds = 0;  // east of UTC
  std::size_t length = 0;
};

// "+HH", "+HH:MM" or "+HHMM" (or "-") at `pos`, hours 00..23, minutes 00..59.
[[nodiscard]] constexpr std::optional<utc_offset> offset_digits(std::string_view text,
                                                                std::size_t pos) noexcept {
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
  const bool west = text[pos] == '-';
  const int hours = fixed_digits(text, pos + 1, 2);
  if (hours < 0 || hours > 23) return std::nullopt;
  std::size_t end = pos + 3;
  int minutes = 0;
  if (end < text.size() && (text[end] == ':' || is_digit(text[end]))) {
    if (text[end] == ':') ++end;
    minutes = fixed_digits(text, end, 2);
    if (minutes < 0 || minutes > 59) return std::nullopt;
    end += 2;
  }
  const std::int32_t seconds = hours * 3600 + minutes * 60;
  return utc_offset{west ? -seconds : seconds, end - pos};
}

}  // namespace mimamori::time::detail
