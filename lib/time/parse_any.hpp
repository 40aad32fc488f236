// parse_any: whatever a user types for --now, --from or --to.
//
// Tried in this order, on the whole text less surrounding blanks:
//   1. RFC 3339 with an offset        2024-10-03T03:00:00Z
//   2. ISO date-time without offset   2024-10-03 12:00:00   (read in tz)
//   3. ISO date alone                 2024-10-03            (midnight in tz)
//   4. RFC 3164                       Oct  3 03:00:00       (in tz, year nearest reference)
//   5. epoch, unit by digit count     1700000000.5, 1700000000123
#pragma once

#include <optional>
#include <string_view>

#include "time/timestamp.hpp"
#include "time/zone.hpp"

namespace mimamori::time {

[[nodiscard]] std::optional<timestamp> parse_any(std::string_view text, timestamp reference,
                                                 const zone& tz) noexcept;

}  // namespace mimamori::time
