// writer: logcollect's records into the archive, each to the hour file of
// its organization and @timestamp (layout.hpp).
//
// Records are gathered per hour file and compressed (zstd, one reused
// context, level 1 by default) into a frame at the end of each write() call
// and whenever a file has gathered frame_bytes, so a crash loses nothing
// that write() returned for, except what the kernel had not yet written to
// disk; after a crash the next writer cuts each unfinished file back to its
// last complete frame (recovery.hpp) and appends after it. A file is closed,
// fsynced and its index row written when its hour has rolled (a record of
// its organization is `roll_grace` past the hour's end), when it has been
// idle for `idle` (checked at each write), when more than max_open files
// are open, and at close(). A record of an hour whose file was closed
// reopens it and appends new frames.
//
// One writer per archive directory: it holds an flock on DIR/.lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <zstd.h>

#include "archive/index.hpp"
#include "archive/record_key.hpp"
#include "archive/retention.hpp"
#include "time/timestamp.hpp"

namespace mimamori::archive {

struct writer_options {
  int level = 1;                              // zstd level
  std::size_t frame_bytes = 1 << 20;          // a frame at most this much raw NDJSON
  std::chrono::seconds idle{60};              // close a file idle this long (wall clock)
  std::chrono::seconds roll_grace{10};        // late records of the past hour still go in
  std::size_t max_open = 64;                  // open hour files at most
  bool sync = true;                           // fsync files when they close
  std::optional<retention_policy> retention;  // at start and when an hour rolls
};

struct writer_stats {
  std::uint64_t records = 0;
  std::uint64_t undated = 0;  // no readable @timestamp: filed under the fallback time
  std::uint64_t frames = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t files_closed = 0;
  std::uint64_t recovered_files = 0;
  std::uint64_t recovered_cut_bytes = 0;
  std::uint64_t expired_files = 0;  // deleted or moved by retention
};

class writer {
 public:
  // Lines for stderr ("DIR/acme/...: recovered ..."), without the tool name.
  using note_function = std::function<void(std::string_view)>;

  // Creates DIR if needed, takes its lock, recovers files left open by a
  // crash and applies retention. Throws std::runtime_error on failure.
  writer(std::string dir, writer_options options, note_function note = {});
  ~writer();  // closes what is open; call close() to see failures
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  // Archives whole NDJSON lines ("\n"-separated). A record without a
  // readable @timestamp is filed under `fallback` (the collector's clock).
  // false once anything failed (message() says what): stop writing.
  bool write(std::string_view lines, time::timestamp fallback);
  // Closes every open file and updates the index.
  bool close();

  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] const writer_stats& stats() const { return stats_; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  struct partition;

  partition* find_or_open(std::string_view organization, std::int64_t hour);
  bool flush_frame(partition& p);
  bool close_partition(partition& p);
  bool roll();
  bool run_retention();
  bool fail(std::string message);

  std::string dir_;
  writer_options options_;
  note_function note_;
  int lock_fd_ = -1;
  std::unique_ptr<index> index_;
  std::vector<std::unique_ptr<partition>> open_;
  partition* last_ = nullptr;
  record_key key_;
  ZSTD_CCtx* cctx_ = nullptr;
  std::string compressed_;
  time::timestamp newest_ = time::timestamp::min();
  bool failed_ = false;
  bool closed_ = false;
  std::string message_;
  writer_stats stats_;
};

}  // namespace mimamori::archive
