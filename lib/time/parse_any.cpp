// parse_any: trying each stamp form this library reads, in a fixed order.
#include "time/parse_any.hpp"

#include "time/civil.hpp"
#include "time/epoch.hpp"
#include "time/rfc3164.hpp"
#include "time/rfc3339.hpp"
#include "time/scan.hpp"

namespace mimamori::time {
namespace {

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

// "YYYY-MM-DD" as midnight in `tz`.
std::optional<timestamp> parse_local_date(std::string_view text, const zone& tz) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int year = detail::fixed_digits(text, 0, 4);
  const int month = detail::fixed_digits(text, 5, 2);
  const int day = detail::fixed_digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return std::nullopt;
  civil_time midnight;
  midnight.year = year;
  midnight.month = static_cast<unsigned>(month);
  midnight.day = static_cast<unsigned>(day);
  return tz.to_utc(midnight);
}

}  // namespace

std::optional<timestamp> parse_any(std::string_view text, timestamp reference,
                                   const zone& tz) noexcept {
  text = trim(text);
  if (auto value = parse_local_iso(text, tz)) return value;  // with or without offset
  if (auto value = parse_local_date(text, tz)) return value;
  if (const auto syslog = parse_rfc3164(text, reference, tz);
      syslog && syslog->length == text.size()) {
    return syslog->value;
  }
  return parse_epoch(text, epoch_unit::automatic);
}

}  // namespace mimamori::time
