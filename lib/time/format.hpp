// format: the UTC text every record carries, "2024-10-03T03:00:00.000Z".
//
// Always 24 characters, milliseconds rounded toward the past (so a time
// before 1970 keeps its date and second), written by hand: no strftime, no
// locale, no allocation beyond the string's own growth.
#pragma once

#include <cstddef>
#include <string>

#include "time/timestamp.hpp"

namespace mimamori::time {

inline constexpr std::size_t utc_ms_length = 24;

// Writes exactly utc_ms_length characters at `out` and returns the end.
char* write_utc_ms(char* out, timestamp time) noexcept;
void append_utc_ms(std::string& out, timestamp time);
[[nodiscard]] std::string format_utc_ms(timestamp time);

}  // namespace mimamori::time
