// zone: UTC, fixed offsets and IANA zones, with a per-thread cache of name
// lookups (date::locate_zone searches the whole database and throws on an
// unknown name, neither of which belongs in a per-record loop).
#include "time/zone.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstring>
#include <exception>

#include "time/scan.hpp"

namespace mimamori::time {
namespace {

constexpr std::int32_t max_fixed_offset = 24 * 3600 - 60;

// One remembered lookup. Plain bytes, so the thread_local table costs no
// constructor or destructor.
constexpr std::size_t max_cached_name = 62;

struct cached_lookup {
  std::array<char, max_cached_name> name;
  std::uint8_t length = 0;
  bool found = false;
  const date::time_zone* tz = nullptr;
};

constexpr std::size_t cache_slots = 16;

struct lookup_cache {
  std::array<cached_lookup, cache_slots> slots{};
  std::size_t used = 0;
  std::size_t next = 0;  // the slot a new name replaces once the table is full
};

thread_local lookup_cache cache;

const cached_lookup* find_cached(std::string_view name) noexcept {
  for (std::size_t i = 0; i < cache.used; ++i) {
    const cached_lookup& slot = cache.slots[i];
    if (slot.length == name.size() && std::memcmp(slot.name.data(), name.data(), name.size()) == 0) {
      return &slot;
    }
  }
  return nullptr;
}

void remember(std::string_view name, const date::time_zone* tz) noexcept {
  if (name.size() > max_cached_name) return;
  cached_lookup& slot = cache.slots[cache.next];
  std::memcpy(slot.name.data(), name.data(), name.size());
  slot.length = static_cast<std::uint8_t>(name.size());
  slot.found = tz != nullptr;
  slot.tz = tz;
  cache.next = (cache.next + 1) % cache_slots;
  if (cache.used < cache_slots) ++cache.used;
}

// The database zone, or null. A zone's file is read on first use, which can
// fail; doing it here keeps every later call on the zone from throwing.
const date::time_zone* locate_in_database(std::string_view name) noexcept {
  try {
    const date::time_zone* tz = date::locate_zone(name);
    if (tz != nullptr) (void)tz->get_info(date::sys_seconds{});
    return tz;
  } catch (const std::exception&) {
    return nullptr;
  }
}

// The last offsets a database zone gave, per thread: syslog lines come in
// runs of one device and one second, and date/tz's get_info searches the
// zone's transitions every time. `offset_at` remembers the UTC span its
// answer holds for; `to_utc` a span of local times that are unique and have
// that offset. The span is the sys_info's, shrunk at each end by more than
// any change of offset (two days), so no transition's gap or overlap can
// reach into it.
struct offset_span {
  const date::time_zone* tz = nullptr;
  std::int64_t begin = 0;  // seconds, inclusive
  std::int64_t end = 0;    // seconds, exclusive
  std::int32_t offset = 0;
};

thread_local offset_span utc_span;    // UTC seconds -> offset
thread_local offset_span local_span;  // local seconds -> offset

constexpr std::int64_t span_margin = 2 * 86400;

std::int64_t seconds_of(date::sys_seconds t) noexcept {
  return t.time_since_epoch().count();
}

}  // namespace

std::optional<zone> zone::fixed(std::chrono::seconds offset) noexcept {
  const auto seconds = offset.count();
  if (seconds % 60 != 0 || seconds > max_fixed_offset || seconds < -max_fixed_offset) {
    return std::nullopt;
  }
  zone result;
  result.offset_seconds_ = static_cast<std::int32_t>(seconds);
  if (seconds == 0) return result;
  const auto magnitude = static_cast<unsigned>(seconds < 0 ? -seconds : seconds);
  const unsigned hours = magnitude / 3600;
  const unsigned minutes = magnitude / 60 % 60;
  result.fixed_name_ = {seconds < 0 ? '-' : '+',
                        static_cast<char>('0' + hours / 10),
                        static_cast<char>('0' + hours % 10),
                        ':',
                        static_cast<char>('0' + minutes / 10),
                        static_cast<char>('0' + minutes % 10),
                        '\0'};
  result.fixed_name_length_ = 6;
  return result;
}

std::optional<zone> zone::locate(std::string_view name) noexcept {
  if (name.empty()) return std::nullopt;
  if (name == "UTC" || name == "Z") return utc();
  if (name.front() == '+' || name.front() == '-') {
    const auto offset = detail::offset_digits(name, 0);
    if (!offset || offset->length != name.size()) return std::nullopt;
    return fixed(std::chrono::seconds{offset->seconds});
  }
  const date::time_zone* tz = nullptr;
  if (const cached_lookup* hit = find_cached(name)) {
    if (!hit->found) return std::nullopt;
    tz = hit->tz;
  } else {
    tz = locate_in_database(name);
    remember(name, tz);
    if (tz == nullptr) return std::nullopt;
  }
  zone result;
  result.tz_ = tz;
  return result;
}

std::string_view zone::name() const noexcept {
  if (tz_ != nullptr) return tz_->name();
  return {fixed_name_.data(), fixed_name_length_};
}

std::chrono::seconds zone::offset_at(timestamp time) const noexcept {
  if (tz_ == nullptr) return std::chrono::seconds{offset_seconds_};
  const std::int64_t seconds = time.seconds();
  if (utc_span.tz == tz_ && seconds >= utc_span.begin && seconds < utc_span.end) {
    return std::chrono::seconds{utc_span.offset};
  }
  try {
    const date::sys_info info = tz_->get_info(date::sys_seconds{std::chrono::seconds{seconds}});
    utc_span = {tz_, seconds_of(info.begin), seconds_of(info.end),
                static_cast<std::int32_t>(info.offset.count())};
    return info.offset;
  } catch (const std::exception&) {
    return std::chrono::seconds{0};
  }
}

std::optional<timestamp> zone::to_utc(const civil_time& local) const noexcept {
  if (tz_ == nullptr) return utc_from_civil(local, offset_seconds_);
  // date/tz counts years in a short; timestamp's range needs far fewer.
  if (!is_valid(local) || local.year < 1000 || local.year > 9999) return std::nullopt;
  const std::int64_t seconds = seconds_from_civil(local);
  if (local_span.tz == tz_ && seconds >= local_span.begin && seconds < local_span.end) {
    return utc_from_civil(local, local_span.offset);
  }
  try {
    // For a unique time `first` is the only offset; for an ambiguous one it
    // is the offset before the transition; for a nonexistent one it is the
    // offset before the gap. Using it every time is the rule in zone.hpp.
    const date::local_info info =
        tz_->get_info(date::local_seconds{std::chrono::seconds{seconds}});
    const auto offset = static_cast<std::int32_t>(info.first.offset.count());
    if (info.result == date::local_info::unique) {
      // The first and last spans of a zone reach to the ends of time: keep
      // the arithmetic in range.
      constexpr std::int64_t far = std::int64_t{1} << 50;
      const std::int64_t begin = std::max(seconds_of(info.first.begin), -far);
      const std::int64_t end = std::min(seconds_of(info.first.end), far);
      local_span = {tz_, begin + offset + span_margin, end + offset - span_margin, offset};
    }
    return utc_from_civil(local, offset);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

civil_time zone::to_local(timestamp time) const noexcept {
  return civil_from_utc(time, static_cast<std::int32_t>(offset_at(time).count()));
}

}  // namespace mimamori::time
