// epoch: reading numeric Unix times in a given or guessed unit.
#include "time/epoch.hpp"

#include <cstdint>
#include <limits>

#include "time/scan.hpp"

namespace mimamori::time {

std::optional<epoch_unit> parse_epoch_unit(std::string_view name) noexcept {
  if (name == "s") return epoch_unit::seconds;
  if (name == "ms") return epoch_unit::millis;
  if (name == "us") return epoch_unit::micros;
  if (name == "ns") return epoch_unit::nanos;
  if (name == "auto") return epoch_unit::automatic;
  return std::nullopt;
}

std::optional<timestamp> parse_epoch(std::string_view text) noexcept {
  return parse_epoch(text, epoch_unit::seconds);
}

std::optional<timestamp> parse_epoch(std::string_view text, epoch_unit unit) noexcept {
  std::size_t pos = 0;
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) ++pos;

  const std::size_t integer_start = pos;
  while (pos < text.size() && text[pos] == '0') ++pos;
  const std::size_t significant_start = pos;
  std::uint64_t integer = 0;
  while (pos < text.size() && detail::is_digit(text[pos])) {
    if (pos - significant_start == 19) return std::nullopt;
    integer = integer * 10 + static_cast<std::uint64_t>(text[pos] - '0');
    ++pos;
  }
  if (pos == integer_start) return std::nullopt;
  if (unit == epoch_unit::automatic) unit = epoch_unit_for_digits(pos - significant_start);

  std::uint64_t unit_ns = 1;
  std::size_t max_fraction_digits = 0;
  switch (unit) {
    case epoch_unit::seconds:
      unit_ns = 1'000'000'000;
      max_fraction_digits = 9;
      break;
    case epoch_unit::millis:
      unit_ns = 1'000'000;
      max_fraction_digits = 6;
      break;
    case epoch_unit::micros:
      unit_ns = 1'000;
      max_fraction_digits = 3;
      break;
    case epoch_unit::nanos:
    case epoch_unit::automatic:
      break;
  }

  std::uint64_t fraction_ns = 0;
  if (pos < text.size() && text[pos] == '.') {
    const auto fraction = detail::fraction_digits(text, pos + 1);
    if (!fraction || fraction->length > max_fraction_digits) return std::nullopt;
    // nanos is in units of 1e-9; scale it down to this unit's share.
    fraction_ns = fraction->nanos / (1'000'000'000 / unit_ns);
    pos += 1 + fraction->length;
  }
  if (pos != text.size()) return std::nullopt;

  std::uint64_t magnitude = 0;
  if (__builtin_mul_overflow(integer, unit_ns, &magnitude) ||
      __builtin_add_overflow(magnitude, fraction_ns, &magnitude)) {
    return std::nullopt;
  }
  constexpr auto most = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (magnitude > most + 1) return std::nullopt;
    return timestamp{static_cast<std::int64_t>(0 - magnitude)};
  }
  if (magnitude > most) return std::nullopt;
  return timestamp{static_cast<std::int64_t>(magnitude)};
}

}  // namespace mimamori::time
