// filetime: converting Windows FILETIME ticks to and from timestamps.
#include "time/filetime.hpp"

#include <limits>

#include "time/scan.hpp"

namespace mimamori::time {
namespace {

constexpr std::uint64_t ns_per_tick = 100;
// Ticks either side of 1970 that still fit in an int64 of nanoseconds.
constexpr std::uint64_t max_ticks_after =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / ns_per_tick;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<timestamp> from_filetime(std::uint64_t ticks) noexcept {
  if (ticks >= filetime_unix_epoch) {
    const std::uint64_t after = ticks - filetime_unix_epoch;
    if (after > max_ticks_after) return std::nullopt;
    return timestamp{static_cast<std::int64_t>(after * ns_per_tick)};
  }
  const std::uint64_t before = filetime_unix_epoch - ticks;
  if (before > max_ticks_after) return std::nullopt;
  return timestamp{-static_cast<std::int64_t>(before * ns_per_tick)};
}

std::uint64_t to_filetime(timestamp time) noexcept {
  std::int64_t ticks = time.ns / static_cast<std::int64_t>(ns_per_tick);
  if (time.ns % static_cast<std::int64_t>(ns_per_tick) < 0) --ticks;
  // 1677 is long after 1601, so the sum is positive.
  return static_cast<std::uint64_t>(ticks + static_cast<std::int64_t>(filetime_unix_epoch));
}

std::optional<timestamp> parse_filetime(std::string_view text) noexcept {
  std::uint64_t ticks = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    const std::string_view digits = text.substr(2);
    if (digits.size() > 16) return std::nullopt;
    for (const char c : digits) {
      const int value = hex_value(c);
      if (value < 0) return std::nullopt;
      ticks = ticks * 16 + static_cast<std::uint64_t>(value);
    }
    return from_filetime(ticks);
  }
  if (text.empty() || text.size() > 20) return std::nullopt;
  for (const char c : text) {
    if (!detail::is_digit(c)) return std::nullopt;
    if (__builtin_mul_overflow(ticks, std::uint64_t{10}, &ticks) ||
        __builtin_add_overflow(ticks, static_cast<std::uint64_t>(c - '0'), &ticks)) {
      return std::nullopt;
    }
  }
  return from_filetime(ticks);
}

}  // namespace mimamori::time
