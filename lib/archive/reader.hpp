// reader: the records of one hour file, frame by frame.
//
// An hour file is a sequence of independent zstd frames, each holding whole
// NDJSON lines. Only complete frames are read: a file whose last frame was
// cut (a crash, or a writer still writing) ends cleanly before it, and
// truncated() says how many bytes were left. A frame that is complete but
// does not decompress (bit rot) ends the file with an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <zstd.h>

namespace mimamori::archive {

enum class read_state { ok, end, error };

class hour_file_reader {
 public:
  hour_file_reader();
  ~hour_file_reader();
  hour_file_reader(const hour_file_reader&) = delete;
  hour_file_reader& operator=(const hour_file_reader&) = delete;

  // Opens a file (closing any open one). false (see message()) if it cannot.
  bool open(const std::string& path);
  // Reads only the frames that end within the first `bytes` of the file (a
  // snapshot of a file that a writer may still append to). Call after open().
  void limit(std::uint64_t bytes) { limit_ = bytes; }
  void close();

  // The next record (a line without its "\n"); valid until the next call.
  // At least 64 readable bytes follow it (simdjson padding). false at the
  // end of the complete frames, or on an error (state()).
  bool next(std::string_view& line);

  [[nodiscard]] read_state state() const { return state_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // Bytes from the start of the file to the end of the last complete frame read.
  [[nodiscard]] std::uint64_t complete_bytes() const { return frame_end_; }
  // Bytes after it that do not form a complete frame (0 when the file is whole).
  [[nodiscard]] std::uint64_t truncated() const { return truncated_; }
  [[nodiscard]] std::uint64_t frames() const { return frames_; }
  [[nodiscard]] std::uint64_t raw_bytes() const { return raw_bytes_; }

 private:
  bool next_frame();
  bool fail(std::string message);

  int fd_ = -1;
  std::string path_;
  ZSTD_DCtx* dctx_;
  std::string in_;          // compressed bytes read ahead
  std::size_t in_pos_ = 0;  // start of the next frame in in_
  bool in_eof_ = false;
  std::string frame_;  // the current decompressed frame (+ padding)
  std::size_t frame_size_ = 0;
  std::size_t line_pos_ = 0;
  std::uint64_t file_pos_ = 0;  // file offset of in_[0]
  std::uint64_t frame_end_ = 0;
  std::uint64_t truncated_ = 0;
  std::uint64_t frames_ = 0;
  std::uint64_t raw_bytes_ = 0;
  std::uint64_t limit_ = UINT64_MAX;
  read_state state_ = read_state::end;
  std::string message_;
};

}  // namespace mimamori::archive
