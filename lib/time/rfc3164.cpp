// rfc3164: reading BSD syslog stamps and inferring their year.
#include "time/rfc3164.hpp"

#include <array>
#include <cstdint>

#include "time/civil.hpp"
#include "time/scan.hpp"

namespace mimamori::time {
namespace {

constexpr std::string_view month_names = "janfebmaraprmayjunjulaugsepoctnovdec";

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// 1..12, or 0.
unsigned month_number(std::string_view text) noexcept {
  if (text.size() < 3) return 0;
  const char key[3] = {lower(text[0]), lower(text[1]), lower(text[2])};
  for (unsigned i = 0; i < 12; ++i) {
    const std::string_view name = month_names.substr(i * 3, 3);
    if (name[0] == key[0] && name[1] == key[1] && name[2] == key[2]) return i + 1;
  }
  return 0;
}

std::uint64_t distance(timestamp a, timestamp b) noexcept {
  // The true difference always fits in 64 unsigned bits.
  const auto ua = static_cast<std::uint64_t>(a.ns);
  const auto ub = static_cast<std::uint64_t>(b.ns);
  return a.ns >= b.ns ? ua - ub : ub - ua;
}

// Candidates more than this far from the reference may lose to a
// neighbouring year; closer ones cannot (years are 365 days apart).
constexpr std::uint64_t sure_distance = 150ULL * 86400 * 1'000'000'000;

std::optional<timestamp> closest_year(civil_time local, timestamp reference,
                                      const zone& tz) noexcept {
  const int reference_year = tz.to_local(reference).year;
  local.year = reference_year;
  if (const auto same = tz.to_utc(local); same && distance(*same, reference) <= sure_distance) {
    return same;
  }
  // Last, this and next year; Feb 29 may need to look up to four years away.
  std::optional<timestamp> best;
  for (int reach = 1; reach <= 4 && !best; reach += 3) {
    for (int year = reference_year - reach; year <= reference_year + reach; ++year) {
      local.year = year;
      const auto candidate = tz.to_utc(local);
      if (candidate && (!best || distance(*candidate, reference) < distance(*best, reference))) {
        best = candidate;
      }
    }
  }
  return best;
}

}  // namespace

std::optional<parsed_timestamp> parse_rfc3164(std::string_view text, timestamp reference,
                                              const zone& tz) noexcept {
  using detail::fixed_digits;
  using detail::is_digit;
  // "Oct  3 03:00:00" is 15 characters; "Oct 3 03:00:00" is 14.
  if (text.size() < 14 || text[3] != ' ') return std::nullopt;
  civil_time local;
  local.month = month_number(text);
  if (local.month == 0) return std::nullopt;

  std::size_t pos = 4;
  int day = -1;
  if (text[4] == ' ') {
    day = fixed_digits(text, 5, 1);
    pos = 6;
  } else if (is_digit(text[4]) && is_digit(text[5])) {
    day = fixed_digits(text, 4, 2);
    pos = 6;
  } else {
    day = fixed_digits(text, 4, 1);
    pos = 5;
  }
  if (day < 1 || pos >= text.size() || text[pos] != ' ') return std::nullopt;
  ++pos;
  if (text.size() - pos < 8 || text[pos + 2] != ':' || text[pos + 5] != ':') return std::nullopt;
  const int hour = fixed_digits(text, pos, 2);
  const int minute = fixed_digits(text, pos + 3, 2);
  const int second = fixed_digits(text, pos + 6, 2);
  if (hour < 0 || minute < 0 || second < 0) return std::nullopt;
  pos += 8;
  local.day = static_cast<unsigned>(day);
  local.hour = static_cast<unsigned>(hour);
  local.minute = static_cast<unsigned>(minute);
  local.second = static_cast<unsigned>(second);

  if (pos + 1 < text.size() && text[pos] == '.' && is_digit(text[pos + 1])) {
    const auto fraction = detail::fraction_digits(text, pos + 1);
    if (!fraction) return std::nullopt;
    local.nanos = fraction->nanos;
    pos += 1 + fraction->length;
  }
  if (!detail::ends_cleanly(text, pos)) return std::nullopt;

  const auto value = closest_year(local, reference, tz);
  if (!value) return std::nullopt;
  return parsed_timestamp{*value, pos};
}

}  // namespace mimamori::time
