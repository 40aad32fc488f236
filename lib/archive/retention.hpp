// retention: hour files older than the retention period leave the archive.
//
// Age is event time: a file expires when its hour ended more than `keep`
// before the reference time, which is --now when given, else the newest
// record time in the archive (so replaying old logs into an archive, or a
// collector that was down for a week, never deletes what it still holds).
// Expired files are deleted, or moved to a cold archive directory with the
// same layout and an index of its own (so it can be replayed too). Files a
// writer holds open are left alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "archive/index.hpp"
#include "time/timestamp.hpp"

namespace mimamori::archive {

struct retention_policy {
  std::chrono::seconds keep{0};
  std::string cold_dir;                // empty: delete
  std::optional<time::timestamp> now;  // the reference time, when pinned
};

// "92d", "36h", "90m", "3600s", "2w" (a whole number and a unit).
[[nodiscard]] std::optional<std::chrono::seconds> parse_retention(std::string_view text) noexcept;

struct retention_result {
  bool ok = true;
  std::string message;  // the first failure
  std::uint64_t deleted = 0;
  std::uint64_t moved = 0;
  std::uint64_t records = 0;  // records in the files deleted or moved
};

// Applies `policy` to the archive in `dir` with `reference` as "now".
retention_result apply_retention(index& idx, const std::string& dir, const retention_policy& policy,
                                 time::timestamp reference);

}  // namespace mimamori::archive
