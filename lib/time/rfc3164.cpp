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

std::uint64_t distance(timestamp a, timestamp b) noexcept {
  // The true difference always fits in 64 unsigned bits.
  const auto ua = static_cast<std::uint64_t>(a.ns);
  const auto ub = static_cast<std::uint64_t>(b.ns);
  return a.ns >= b.ns ? ua - ub : ub - ua;
}

// Candidates more than this far from the reference may lose to a
// neighbouring year; closer ones cannot (years are 365 days apart).
constexpr std::uint64_t sure_distance = 150ULL * 86400 * 1'000'000'000;

// Lines of one device arrive in runs of one second, each with its own
// receive time: each thread remembers the year of the last receive time
// (and the span of receive times that surely share it) and the last stamp's
// candidate instants in that year and its neighbours.
struct reference_year_cache {
  bool valid = false;
  zone tz;
  std::int64_t begin = 0;  // ns, inclusive
  std::int64_t end = 0;    // ns, exclusive
  int year = 0;
};

struct candidate_cache {
  bool valid = false;
  zone tz;
  civil_time local;  // with the reference year
  std::array<bool, 3> known{};
  std::array<std::optional<timestamp>, 3> at;  // the reference year - 1, + 0, + 1
};

thread_local reference_year_cache year_cache;
thread_local candidate_cache candidates;

int year_of(timestamp reference, const zone& tz) noexcept {
  if (year_cache.valid && year_cache.tz == tz && reference.ns >= year_cache.begin &&
      reference.ns < year_cache.end) {
    return year_cache.year;
  }
  const civil_time local = tz.to_local(reference);
  // Receive times less far from this one than from the local year's ends,
  // less two days (more than any change of offset), fall in the same year.
  const std::int64_t day = days_from_civil(local.year, local.month, local.day);
  const std::int64_t second_of_day = local.hour * 3600 + local.minute * 60 + local.second;
  const std::int64_t since = (day - days_from_civil(local.year, 1, 1)) * 86400 + second_of_day;
  const std::int64_t until = (days_from_civil(local.year + 1, 1, 1) - day) * 86400 - second_of_day;
  year_cache = {true, tz, 0, 0, local.year};
  if (since > 2 * 86400 + 1 && until > 2 * 86400 + 1 && reference.ns > INT64_MIN / 2 &&
      reference.ns < INT64_MAX / 2) {
    year_cache.begin = reference.ns - (since - 2 * 86400) * 1'000'000'000;
    year_cache.end = reference.ns + (until - 2 * 86400) * 1'000'000'000;
  }
  return local.year;
}

// The instant of `local` in year reference_year + delta (delta -1, 0, 1).
std::optional<timestamp> candidate(civil_time local, int reference_year, int delta,
                                   const zone& tz) noexcept {
  local.year = reference_year;
  if (!candidates.valid || !(candidates.tz == tz) || !(candidates.local == local)) {
    candidates = {true, tz, local, {}, {}};
  }
  const auto i = static_cast<std::size_t>(delta + 1);
  if (!candidates.known[i]) {
    local.year = reference_year + delta;
    candidates.at[i] = tz.to_utc(local);
    candidates.known[i] = true;
  }
  return candidates.at[i];
}

std::optional<timestamp> closest_year(civil_time local, timestamp reference,
                                      const zone& tz) noexcept {
  const int reference_year = year_of(reference, tz);
  if (const auto same = candidate(local, reference_year, 0, tz);
      same && distance(*same, reference) <= sure_distance) {
    return same;
  }
  // Last, this and next year; Feb 29 may need to look up to four years away.
  std::optional<timestamp> best;
  for (int delta = -1; delta <= 1; ++delta) {
    const auto at = candidate(local, reference_year, delta, tz);
    if (at && (!best || distance(*at, reference) < distance(*best, reference))) best = at;
  }
  if (best) return best;
  for (int year = reference_year - 4; year <= reference_year + 4; ++year) {
    local.year = year;
    const auto at = tz.to_utc(local);
    if (at && (!best || distance(*at, reference) < distance(*best, reference))) best = at;
  }
  return best;
}

}  // namespace

unsigned month_number(std::string_view text) noexcept {
  if (text.size() < 3) return 0;
  const char key[3] = {lower(text[0]), lower(text[1]), lower(text[2])};
  for (unsigned i = 0; i < 12; ++i) {
    const std::string_view name = month_names.substr(i * 3, 3);
    if (name[0] == key[0] && name[1] == key[1] && name[2] == key[2]) return i + 1;
  }
  return 0;
}

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
