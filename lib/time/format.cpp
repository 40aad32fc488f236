// format: writing timestamps as UTC text with milliseconds.
#include "time/format.hpp"

#include <cstdint>
#include <cstring>

#include "time/civil.hpp"

namespace mimamori::time {
namespace {

char* two_digits(char* out, unsigned value) noexcept {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

}  // namespace

namespace {

// "YYYY-MM-DDTHH:MM:SS" of one second, worked out from the civil time.
void write_second(char* out, const civil_time& civil) noexcept {
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
  two_digits(out, civil.second);
}

constexpr std::size_t second_length = 19;

// The text of the last second written on this thread: the records of a
// stream mostly come in time order, many to a second, and share it.
struct second_cache {
  std::int64_t second = 0;
  bool valid = false;
  char text[second_length] = {};
};
thread_local second_cache last_second;

}  // namespace

char* write_utc_ms(char* out, timestamp time) noexcept {
  const std::int64_t second = time.seconds();
  second_cache& cache = last_second;
  if (!cache.valid || cache.second != second) {
    write_second(cache.text, civil_from_utc(time));
    cache.second = second;
    cache.valid = true;
  }
  std::memcpy(out, cache.text, second_length);
  out += second_length;
  *out++ = '.';
  const auto millis = static_cast<unsigned>(time.nanos_of_second()) / 1'000'000;
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
