// rfc3164: BSD syslog stamps, "Oct  3 03:00:00", which carry no year and no
// zone.
//
// Accepted: an English month abbreviation (any case), a space, the day as
// " 3", "03" or "3", a space, HH:MM:SS, and an optional fraction of 1..9
// digits after `.` (rsyslog's high-precision variant without the year).
// The wall time is read in the given zone, and the year is the one that puts
// the result closest to a reference time (the time the line was received):
// "Dec 31 23:59:59" received on Jan 1 is last year's, "Jan  1 00:00:01" with
// a reference on Dec 31 is next year's. Feb 29 takes the nearest leap year.
#pragma once

#include <optional>
#include <string_view>

#include "time/timestamp.hpp"
#include "time/zone.hpp"

namespace mimamori::time {

// The month of an English abbreviation in any case ("Jan", "jan", "JAN";
// the first three letters of `text` count): 1..12, or 0 for none.
[[nodiscard]] unsigned month_number(std::string_view text) noexcept;

// Reads the stamp at the start of `text`; `length` says where it ends (the
// rest, usually " host tag: message", must not go on with a digit).
[[nodiscard]] std::optional<parsed_timestamp> parse_rfc3164(std::string_view text,
                                                            timestamp reference,
                                                            const zone& tz) noexcept;

}  // namespace mimamori::time
