// filetime: Windows FILETIME, 100-nanosecond ticks since 1601-01-01 UTC, as
// a number or as the text Windows tools print (decimal, or hex after 0x).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "time/timestamp.hpp"

namespace mimamori::time {

// The FILETIME of 1970-01-01T00:00:00Z.
inline constexpr std::uint64_t filetime_unix_epoch = 116'444'736'000'000'000ULL;

// Empty outside timestamp's range (1677..2262), which includes the 0 and
// 0x7FFFFFFFFFFFFFFF that Active Directory uses for "never".
[[nodiscard]] std::optional<timestamp> from_filetime(std::uint64_t ticks) noexcept;
// Rounded toward the past to a whole tick.
[[nodiscard]] std::uint64_t to_filetime(timestamp time) noexcept;
// "133726788000000000" or "0x01DB1546A0C8E000" (any case); the whole text.
[[nodiscard]] std::optional<timestamp> parse_filetime(std::string_view text) noexcept;

}  // namespace mimamori::time
