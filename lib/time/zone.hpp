// zone: a time zone by name, converting between UTC and local civil time.
//
// A zone is UTC, a fixed offset ("+09:00") or an IANA zone ("Asia/Tokyo")
// from the system tz database (/usr/share/zoneinfo, through Howard Hinnant's
// date/tz). It is two words, cheap to copy, and valid for the whole run.
//
// Local civil time to UTC follows one rule, the one RFC 5545 and
// java.time use, so replays give the same answer every time:
//   - ambiguous (clocks fell back, the wall time happened twice): the earlier
//     offset, the one in force before the transition, which gives the earlier
//     instant. New York 2024-11-03 01:30 is 05:30Z (EDT), not 06:30Z.
//   - nonexistent (clocks sprang forward over it): the offset in force before
//     the gap, which moves the wall time forward by the length of the gap.
//     New York 2024-03-10 02:30 is 07:30Z, that is 03:30 EDT.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "time/civil.hpp"
#include "time/timestamp.hpp"

namespace date {
class time_zone;
}

namespace mimamori::time {

class zone {
 public:
  zone() noexcept = default;  // UTC

  [[nodiscard]] static zone utc() noexcept { return {}; }
  // A fixed offset east of UTC; empty unless it is a whole number of minutes
  // under 24 hours either way.
  [[nodiscard]] static std::optional<zone> fixed(std::chrono::seconds offset) noexcept;
  // "UTC", "Z", a fixed offset ("+09:00", "-0500", "+09") or an IANA name
  // ("Asia/Tokyo", "America/New_York"; case matters). Empty for anything else.
  // Looking up the same name again is cheap: each thread keeps the last names
  // it asked for, found or not, in a small table.
  [[nodiscard]] static std::optional<zone> locate(std::string_view name) noexcept;

  // "UTC", "+09:00" or the IANA name. Valid while this zone object lives.
  [[nodiscard]] std::string_view name() const noexcept;
  // True for UTC and fixed offsets: no database, no daylight saving time.
  [[nodiscard]] bool is_fixed() const noexcept { return tz_ == nullptr; }

  // The offset east of UTC in force at `time`.
  [[nodiscard]] std::chrono::seconds offset_at(timestamp time) const noexcept;
  // The instant the local clocks showed `local` (rule above). Empty when
  // `local` is not a valid date-time or the instant is out of range.
  [[nodiscard]] std::optional<timestamp> to_utc(const civil_time& local) const noexcept;
  // What the local clocks showed at `time`.
  [[nodiscard]] civil_time to_local(timestamp time) const noexcept;

  friend bool operator==(const zone& a, const zone& b) noexcept {
    return a.tz_ == b.tz_ && a.offset_seconds_ == b.offset_seconds_;
  }

 private:
  const date::time_zone* tz_ = nullptr;  // null for UTC and fixed offsets
  std::int32_t offset_seconds_ = 0;      // the fixed offset when tz_ is null
  std::array<char, 7> fixed_name_ = {'U', 'T', 'C'};
  std::uint8_t fixed_name_length_ = 3;
};

}  // namespace mimamori::time
