// index: what the archive holds, per hour file, in DIR/index.sqlite.
//
//   CREATE TABLE hour_files (
//     organization TEXT, hour INTEGER,  -- hours since 1970-01-01T00Z
//     path TEXT,                        -- relative to DIR (layout.hpp)
//     records INTEGER, first_time TEXT, last_time TEXT,  -- earliest and latest @timestamp
//     compressed_bytes INTEGER, raw_bytes INTEGER, frames INTEGER,
//     in_order INTEGER,  -- 1: records were appended in time order
//     state TEXT,        -- 'open' while a writer appends to it, else 'closed'
//     PRIMARY KEY (organization, hour));
//
// Counts of an 'open' row are those of the frames written when it was last
// closed; the writer rewrites the row when it closes the file again (and
// recovers the file after a crash). Readers open the index read-only and may
// run while a writer works (WAL journal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "time/timestamp.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mimamori::archive {

struct hour_file {
  std::string organization;
  std::int64_t hour = 0;
  std::string path;
  std::uint64_t records = 0;
  time::timestamp first_time;  // valid when records > 0
  time::timestamp last_time;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t raw_bytes = 0;
  std::uint64_t frames = 0;
  bool in_order = true;
  bool open = false;
};

class index {
 public:
  // Opens DIR/index.sqlite, creating it unless read_only. Throws
  // std::runtime_error naming the file on failure (a setup error).
  index(const std::string& dir, bool read_only);
  ~index();
  index(const index&) = delete;
  index& operator=(const index&) = delete;

  // Inserts or replaces the row of (organization, hour). false: message().
  bool put(const hour_file& f);
  bool remove(const std::string& organization, std::int64_t hour);
  [[nodiscard]] std::optional<hour_file> get(const std::string& organization, std::int64_t hour);

  // Rows of one organization (every one if empty) whose hour lies in
  // [first_hour, last_hour], by organization then hour.
  [[nodiscard]] std::vector<hour_file> list(const std::string& organization,
                                            std::int64_t first_hour, std::int64_t last_hour);
  [[nodiscard]] std::vector<hour_file> open_files();
  // The latest last_time of any row.
  [[nodiscard]] std::optional<time::timestamp> newest();

  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  sqlite3_stmt* prepare(const char* sql);
  bool exec(const char* sql);
  std::vector<hour_file> query(sqlite3_stmt* st);
  bool failed(const char* what);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::string message_;
};

}  // namespace mimamori::archive
