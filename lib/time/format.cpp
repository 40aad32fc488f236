// format: writing timestamps as UTC text with milliseconds.
#include "time/format.hpp"

#include "time/civil.hpp"

namespace mimamori::time {
namespace {

char* two_digits(char* out, unsigned value) noexcept {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

}  // namespace

char* write_utc_ms(char* out, timestamp time) noexcept {
  const civil_time civil = civil_from_utc(time);
  // timestamp's range (1677..2262) keeps the year at four digits.
  const auto year = static_cast<unsigned>(civil.year);
  out = two_digits(out, year / 100);
  out = two_digits(out, year % 100);
  *out++ = '-';
  out = two_digits(out, civil.month);
  *out++ = '-';
  out = two_digits(out, civil.day);
  *out++ = 'T';
  out = two_digits(out, civil.hour);
  *out++ = ':';
  out = two_digits(out, civil.minute);
  *out++ = ':';
  out = two_digits(out, civil.second);
  *out++ = '.';
  const unsigned millis = civil.nanos / 1'000'000;
  *out++ = static_cast<char>('0' + millis / 100);
  out = two_digits(out, millis % 100);
  *out++ = 'Z';
  return out;
}

void append_utc_ms(std::string& out, timestamp time) {
  char buffer[utc_ms_length];
  write_utc_ms(buffer, time);
  out.append(buffer, utc_ms_length);
}

std::string format_utc_ms(timestamp time) {
  std::string out;
  out.reserve(utc_ms_length);
  append_utc_ms(out, time);
  return out;
}

}  // namespace mimamori::time
