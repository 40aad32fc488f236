// writer: compact JSON lines out, in large writes, with checked flushes.
//
// Block-buffered by default (1 MiB writes); line-buffered when asked
// (a terminal, or --line-buffered), which flushes after each record. When
// the output is a pipe its buffer is raised with F_SETPIPE_SZ as far as the
// kernel allows. Every write is checked: a full disk or a closed pipe is an
// error the caller sees, never silence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mimamori::ndjson {

enum class buffering { automatic, line, block };

enum class write_status { ok, broken_pipe, error };

class line_writer {
 public:
  // automatic: line-buffered when fd is a terminal, block-buffered otherwise.
  explicit line_writer(int fd, std::string name = "<stdout>", buffering mode = buffering::automatic);
  ~line_writer();  // flushes; errors there are lost, so call close() first
  line_writer(const line_writer&) = delete;
  line_writer& operator=(const line_writer&) = delete;

  // Writes one record: `text` (which must hold no "\n") and "\n".
  void write(std::string_view text) {
    buffer_.append(text);
    end_record();
  }
  // For building a record in place: append to buffer(), then end_record().
  std::string& buffer() { return buffer_; }
  void end_record() {
    buffer_.push_back('\n');
    ++records_;
    if (line_buffered_ || buffer_.size() >= flush_at_) flush();
  }

  // After appending `count` whole lines ("\n"-terminated) to buffer().
  void end_block(std::uint64_t count) {
    records_ += count;
    if (line_buffered_ || buffer_.size() >= flush_at_) flush();
  }

  // Writes out what is buffered. false once any write has failed.
  bool flush();
  // Flushes and closes (when owned) and reports the first failure, if any.
  bool close();

  [[nodiscard]] write_status status() const { return status_; }
  [[nodiscard]] bool ok() const { return status_ == write_status::ok; }
  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] std::uint64_t records() const { return records_; }
  // Records that reached the descriptor (not only the buffer).
  [[nodiscard]] std::uint64_t records_written() const { return records_written_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
  [[nodiscard]] bool line_buffered() const { return line_buffered_; }
  [[nodiscard]] const std::string& name() const { return name_; }

  // Opens FILE for writing (created, appended to), for --dead-letter and such.
  // Throws std::runtime_error naming the path when it cannot be opened.
  static int open_append(const std::string& path);
  void take_ownership() { owns_fd_ = true; }

 private:
  int fd_;
  bool owns_fd_ = false;
  std::string name_;
  bool line_buffered_;
  std::size_t flush_at_;
  std::string buffer_;
  write_status status_ = write_status::ok;
  std::string message_;
  std::uint64_t records_ = 0;
  std::uint64_t records_written_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace mimamori::ndjson
