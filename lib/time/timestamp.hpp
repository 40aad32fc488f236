// timestamp: a point in time as one integer, nanoseconds since the Unix
// epoch in UTC.
//
// Every record's time travels as this. An int64 of nanoseconds covers
// 1677-09-21T00:12:43Z to 2262-04-11T23:47:16Z; parsers return nothing for
// times outside that range rather than wrapping.
#pragma once

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace mimamori::time {

struct timestamp {
  std::int64_t ns = 0;

  [[nodiscard]] static constexpr timestamp min() noexcept {
    return {std::numeric_limits<std::int64_t>::min()};
  }
  [[nodiscard]] static constexpr timestamp max() noexcept {
    return {std::numeric_limits<std::int64_t>::max()};
  }

  // These saturate at min()/max() when the value does not fit.
  [[nodiscard]] static constexpr timestamp from_seconds(std::int64_t seconds) noexcept {
    return scaled(seconds, 1'000'000'000);
  }
  [[nodiscard]] static constexpr timestamp from_millis(std::int64_t millis) noexcept {
    return scaled(millis, 1'000'000);
  }
  [[nodiscard]] static constexpr timestamp from_micros(std::int64_t micros) noexcept {
    return scaled(micros, 1'000);
  }
  [[nodiscard]] static constexpr timestamp from_nanos(std::int64_t nanos) noexcept {
    return {nanos};
  }
  template <class Duration>
  [[nodiscard]] static constexpr timestamp from_sys(
      std::chrono::sys_time<Duration> time) noexcept {
    return {std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch())
                .count()};
  }

  // Whole units, rounded toward the past: -1 ns is second -1, not 0, so
  // times before 1970 split into a second and a non-negative fraction.
  [[nodiscard]] constexpr std::int64_t seconds() const noexcept {
    return floor_div(ns, 1'000'000'000);
  }
  [[nodiscard]] constexpr std::int64_t millis() const noexcept {
    return floor_div(ns, 1'000'000);
  }
  [[nodiscard]] constexpr std::int64_t micros() const noexcept { return floor_div(ns, 1'000); }
  // Nanoseconds past seconds(): 0..999'999'999.
  [[nodiscard]] constexpr std::int32_t nanos_of_second() const noexcept {
    const std::int64_t rest = ns % 1'000'000'000;
    return static_cast<std::int32_t>(rest < 0 ? rest + 1'000'000'000 : rest);
  }
  [[nodiscard]] constexpr std::chrono::sys_time<std::chrono::nanoseconds> to_sys()
      const noexcept {
    return std::chrono::sys_time<std::chrono::nanoseconds>{std::chrono::nanoseconds{ns}};
  }

  friend constexpr bool operator==(timestamp, timestamp) noexcept = default;
  friend constexpr auto operator<=>(timestamp, timestamp) noexcept = default;

 private:
  static constexpr std::int64_t floor_div(std::int64_t value, std::int64_t unit) noexcept {
    std::int64_t quotient = value / unit;
    if (value % unit < 0) --quotient;
    return quotient;
  }
  static constexpr timestamp scaled(std::int64_t value, std::int64_t unit) noexcept {
    std::int64_t result = 0;
    if (__builtin_mul_overflow(value, unit, &result)) return value < 0 ? min() : max();
    return {result};
  }
};

// Arithmetic with std::chrono durations. Like std::chrono itself it does not
// check for overflow: keep results within the range above.
template <class Rep, class Period>
constexpr timestamp& operator+=(timestamp& time, std::chrono::duration<Rep, Period> span) noexcept {
  time.ns += std::chrono::duration_cast<std::chrono::nanoseconds>(span).count();
  return time;
}
template <class Rep, class Period>
constexpr timestamp& operator-=(timestamp& time, std::chrono::duration<Rep, Period> span) noexcept {
  time.ns -= std::chrono::duration_cast<std::chrono::nanoseconds>(span).count();
  return time;
}
template <class Rep, class Period>
[[nodiscard]] constexpr timestamp operator+(timestamp time,
                                            std::chrono::duration<Rep, Period> span) noexcept {
  return time += span;
}
template <class Rep, class Period>
[[nodiscard]] constexpr timestamp operator-(timestamp time,
                                            std::chrono::duration<Rep, Period> span) noexcept {
  return time -= span;
}
[[nodiscard]] constexpr std::chrono::nanoseconds operator-(timestamp later,
                                                           timestamp earlier) noexcept {
  return std::chrono::nanoseconds{later.ns - earlier.ns};
}

// What a parser that reads a stamp at the start of a longer text returns:
// the time, and how many characters the stamp took.
struct parsed_timestamp {
  timestamp value;
  std::size_t length = 0;
};

}  // namespace mimamori::time
