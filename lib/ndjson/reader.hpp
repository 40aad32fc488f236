// reader: splits an input into lines, with the exact position of each.
//
// One buffer per reader, grown only for lines longer than it; a line is a
// view into that buffer, valid until the next call, so reading allocates
// nothing per line. Lines end at "\n"; a "\r" before it is dropped, and a last
// line without "\n" is still a line. At least `padding` readable bytes follow
// every line, so simdjson can parse a line in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ndjson/input.hpp"

namespace mimamori::ndjson {

// Where a line came from: the input's name, its 1-based line number and the
// byte offset of its first byte in the (decompressed) stream.
struct position {
  std::string_view file;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;
};

struct line {
  std::string_view text;  // without "\n" and without a "\r" before it
  position where;
  bool truncated = false;  // longer than max_line: text holds its first max_line bytes
};

struct reader_options {
  std::size_t buffer_size = 1 << 20;          // initial buffer
  std::size_t max_line = std::size_t{1} << 30;  // longer lines are cut (and flagged)
};

class line_reader {
 public:
  static constexpr std::size_t padding = 64;  // >= SIMDJSON_PADDING

  explicit line_reader(std::unique_ptr<input> in, reader_options options = {});

  // The next line; false at the end of input, on a stop request or an error
  // (see status() and message()). Lines read before an error are all returned.
  bool next(line& out);

  [[nodiscard]] read_status status() const { return status_; }
  [[nodiscard]] const std::string& message() const { return in_->message(); }
  [[nodiscard]] const std::string& name() const { return in_->name(); }
  [[nodiscard]] std::uint64_t lines() const { return line_number_; }
  [[nodiscard]] std::uint64_t bytes() const { return consumed_; }

 private:
  bool fill();  // reads more; false when nothing more can come
  void grow(std::size_t at_least);

  std::unique_ptr<input> in_;
  reader_options options_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;  // usable bytes (padding comes after)
  std::size_t begin_ = 0;     // first byte of the next line
  std::size_t scanned_ = 0;   // bytes after begin_ known to hold no "\n"
  std::size_t end_ = 0;       // end of the data read
  bool at_end_ = false;
  read_status status_ = read_status::ok;
  std::uint64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;  // stream offset of buffer_[begin_]
  std::uint64_t skip_ = 0;      // bytes of a cut line still to drop
};

}  // namespace mimamori::ndjson
