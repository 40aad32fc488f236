// rfc3339: reading ISO 8601 / RFC 3339 date-times, with or without offset.
#include "time/rfc3339.hpp"

#include "time/civil.hpp"
#include "time/scan.hpp"

namespace mimamori::time {
namespace {

struct iso_fields {
  civil_time civil;
  std::optional<std::int32_t> offset_seconds;
  std::size_t length = 0;
};

std::optional<iso_fields> read_iso(std::string_view text) noexcept {
  using detail::fixed_digits;
  // YYYY-MM-DDTHH:MM:SS is 19 characters.
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  const char separator = text[10];
  if (separator != 'T' && separator != 't' && separator != ' ') return std::nullopt;
  const int year = fixed_digits(text, 0, 4);
  const int month = fixed_digits(text, 5, 2);
  const int day = fixed_digits(text, 8, 2);
  const int hour = fixed_digits(text, 11, 2);
  const int minute = fixed_digits(text, 14, 2);
  const int second = fixed_digits(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  iso_fields fields;
  fields.civil = {year,
                  static_cast<unsigned>(month),
                  static_cast<unsigned>(day),
                  static_cast<unsigned>(hour),
                  static_cast<unsigned>(minute),
                  static_cast<unsigned>(second),
                  0};
  if (!is_valid(fields.civil)) return std::nullopt;

  std::size_t pos = 19;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    const auto fraction = detail::fraction_digits(text, pos + 1);
    if (!fraction) return std::nullopt;
    fields.civil.nanos = fraction->nanos;
    pos += 1 + fraction->length;
  }
  if (pos < text.size()) {
    if (text[pos] == 'Z' || text[pos] == 'z') {
      fields.offset_seconds = 0;
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      // A sign right after the time must be an offset, not something else.
      const auto offset = detail::offset_digits(text, pos);
      if (!offset) return std::nullopt;
      fields.offset_seconds = offset->seconds;
      pos += offset->length;
    }
  }
  if (!detail::ends_cleanly(text, pos)) return std::nullopt;
  fields.length = pos;
  return fields;
}

std::optional<parsed_timestamp> resolve(const iso_fields& fields, const zone* tz) noexcept {
  std::optional<timestamp> value;
  if (fields.offset_seconds) {
    value = utc_from_civil(fields.civil, *fields.offset_seconds);
  } else if (tz != nullptr) {
    value = tz->to_utc(fields.civil);
  }
  if (!value) return std::nullopt;
  return parsed_timestamp{*value, fields.length};
}

std::optional<timestamp> whole(const std::optional<parsed_timestamp>& parsed,
                               std::string_view text) noexcept {
  if (!parsed || parsed->length != text.size()) return std::nullopt;
  return parsed->value;
}

}  // namespace

std::optional<parsed_timestamp> scan_rfc3339(std::string_view text) noexcept {
  const auto fields = read_iso(text);
  if (!fields) return std::nullopt;
  return resolve(*fields, nullptr);
}

std::optional<timestamp> parse_rfc3339(std::string_view text) noexcept {
  return whole(scan_rfc3339(text), text);
}

std::optional<parsed_timestamp> scan_local_iso(std::string_view text, const zone& tz) noexcept {
  const auto fields = read_iso(text);
  if (!fields) return std::nullopt;
  return resolve(*fields, &tz);
}

std::optional<timestamp> parse_local_iso(std::string_view text, const zone& tz) noexcept {
  return whole(scan_local_iso(text, tz), text);
}

}  // namespace mimamori::time
