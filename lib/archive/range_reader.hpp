// range_reader: the records of one organization in a time range, in
// @timestamp order, as an archive holds them.
//
// The range is [from, to): from inclusive, to exclusive. Only the hour files
// that overlap it are read, found in the index. Every record of an hour file
// lies in that hour, so the files are read one after the other, in hour
// order. A file whose index row says its records were appended in time order
// is streamed frame by frame. Any other (a late record went in, or the file
// is still being written) is read twice: once to learn how late its latest
// record came (how far its time lies behind the latest time before it), then
// again through a reorder buffer that holds only records that late, so
// memory stays bounded by the lateness, not the file size. Records of the
// same time keep the order in which they were archived. A file still being
// written is read as far as it was when the first pass ended. A record
// without a readable @timestamp takes the time of the record before it in
// its file. Records come out byte for byte as they were archived.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/index.hpp"
#include "archive/reader.hpp"
#include "archive/record_key.hpp"
#include "time/timestamp.hpp"

namespace mimamori::archive {

class range_reader {
 public:
  // Throws std::runtime_error when the index cannot be opened.
  range_reader(std::string dir, std::string organization, time::timestamp from, time::timestamp to);

  // The next record (without "\n") and its time; valid until the next call.
  // false at the end (then failed() tells whether a file could not be read
  // to its end: message() says which and why).
  bool next(std::string_view& line, time::timestamp& when);

  [[nodiscard]] bool failed() const { return failed_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // Hour files the index listed for the range, and how many were opened.
  [[nodiscard]] std::size_t files_listed() const { return files_.size(); }
  [[nodiscard]] std::size_t files_read() const { return next_file_; }
  // The most records the reorder buffer held at once (for tests and tuning).
  [[nodiscard]] std::size_t most_buffered() const { return most_buffered_; }

 private:
  bool open_next_file();
  bool next_streamed(std::string_view& line, time::timestamp& when);
  bool next_reordered(std::string_view& line, time::timestamp& when);
  time::timestamp time_of(std::string_view line);
  void end_of_file();
  void note_failure(const std::string& why);

  struct slot {
    std::int64_t ns = 0;
    std::uint64_t seq = 0;
    std::string text;
  };
  void heap_push(std::size_t slot_index);
  std::size_t heap_pop();

  std::string dir_;
  time::timestamp from_, to_;
  std::vector<hour_file> files_;
  std::size_t next_file_ = 0;
  hour_file_reader reader_;
  record_key key_;
  bool active_ = false;      // a file is open
  bool reordering_ = false;  // through the reorder buffer
  bool input_done_ = false;  // the reorder pass has read its last record
  time::timestamp previous_;
  // The reorder buffer: a min-heap of slot indices by (time, arrival).
  std::int64_t lateness_ns_ = 0;
  std::int64_t newest_ns_ = 0;
  std::uint64_t seq_ = 0;
  std::vector<slot> slots_;
  std::vector<std::size_t> free_;
  std::vector<std::size_t> heap_;
  std::size_t returned_ = SIZE_MAX;  // slot handed out by the last next()
  std::size_t most_buffered_ = 0;
  bool failed_ = false;
  std::string message_;
};

}  // namespace mimamori::archive
