// layout: where a record's hour file lives in an archive directory.
//
//   DIR/index.sqlite                          the index (index.hpp)
//   DIR/<org>/<YYYY>/<MM>/<DD>/<HH>.ndjson.zst one file per organization and UTC hour
//
// <org> is organization.id with every byte outside [A-Za-z0-9_.-] (and a
// leading '.') written as %XX, so any id makes one safe directory name.
// man/mimamori-archive.5 documents this for other tools.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "time/timestamp.hpp"

namespace mimamori::archive {

inline constexpr std::int64_t ns_per_hour = 3'600'000'000'000;
inline constexpr std::string_view index_name = "index.sqlite";
inline constexpr std::string_view lock_name = ".lock";
inline constexpr std::string_view hour_file_suffix = ".ndjson.zst";

// Hours since 1970-01-01T00:00Z (negative before), rounded toward the past.
[[nodiscard]] constexpr std::int64_t hour_of(time::timestamp t) noexcept {
  std::int64_t h = t.ns / ns_per_hour;
  if (t.ns % ns_per_hour < 0) --h;
  return h;
}
[[nodiscard]] constexpr time::timestamp hour_start(std::int64_t hour) noexcept {
  return time::timestamp::from_nanos(hour * ns_per_hour);
}

// The directory name of an organization id, and back.
[[nodiscard]] std::string org_directory(std::string_view organization);
[[nodiscard]] std::string org_from_directory(std::string_view directory);

// "<org>/<YYYY>/<MM>/<DD>/<HH>.ndjson.zst", relative to the archive.
[[nodiscard]] std::string hour_file_path(std::string_view organization, std::int64_t hour);

// "2024-10-03T03:00:00.000Z"
[[nodiscard]] std::string hour_text(std::int64_t hour);

}  // namespace mimamori::archive
