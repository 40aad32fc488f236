// rfc3339: ISO 8601 / RFC 3339 date-times, "2024-10-03T03:00:00.123+09:00".
//
// Accepted: YYYY-MM-DD, then `T`, `t` or a space, then HH:MM:SS, an optional
// fraction of 1..9 digits after `.` or `,` (log4j writes a comma), then `Z`,
// `z`, `+HH:MM`, `+HHMM` or `+HH` (or `-`). Second 60 (a leap second) reads
// as the next minute's :00, as POSIX time counts it.
//
// Devices often send the same stamp without an offset; that form is read only
// by the *_local_iso functions, which take the zone to read it in.
#pragma once

#include <optional>
#include <string_view>

#include "time/timestamp.hpp"
#include "time/zone.hpp"

namespace mimamori::time {

// The whole text must be the stamp, with an offset.
[[nodiscard]] std::optional<timestamp> parse_rfc3339(std::string_view text) noexcept;
// A stamp with an offset at the start of `text`; the rest is left alone (it
// must not go on with a digit).
[[nodiscard]] std::optional<parsed_timestamp> scan_rfc3339(std::string_view text) noexcept;

// As above, but the offset may be missing: then the local time is read in
// `tz` (zone.hpp says how DST gaps and overlaps are resolved). An offset
// that is present wins over `tz`.
[[nodiscard]] std::optional<timestamp> parse_local_iso(std::string_view text,
                                                       const zone& tz) noexcept;
[[nodiscard]] std::optional<parsed_timestamp> scan_local_iso(std::string_view text,
                                                             const zone& tz) noexcept;

}  // namespace mimamori::time
