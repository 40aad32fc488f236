// input: a byte stream from a file descriptor, decompressed on the fly.
//
// The first bytes decide the format (zstd and gzip magic numbers), so a
// `.zst` or `.gz` file works whether it is named as an argument or piped to
// stdin. Reads from pipes and terminals wait in poll() on the descriptor and
// on an optional wake-up descriptor, so a signal handler can end a blocking
// read (lib/cli installs one for SIGTERM and SIGINT).
#pragma once

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace mimamori::ndjson {

// How a reader learns that the user asked it to stop.
struct stop_signal {
  int wake_fd = -1;                                  // becomes readable on a stop request
  const volatile std::sig_atomic_t* flag = nullptr;  // non-zero once a stop is requested
  [[nodiscard]] bool requested() const { return flag != nullptr && *flag != 0; }
};

enum class compression { none, zstd, gzip };

enum class read_status {
  ok,           // bytes were produced
  end,          // end of input
  interrupted,  // a stop was requested
  error,        // I/O failure or corrupt compressed data; see message()
};

struct read_result {
  std::size_t size = 0;
  read_status status = read_status::ok;
};

class input {
 public:
  // Takes ownership of fd when owns_fd is true. `name` is how messages name
  // this input ("-" for stdin is shown as "<stdin>").
  input(int fd, std::string name, bool owns_fd, stop_signal stop = {});
  ~input();
  input(const input&) = delete;
  input& operator=(const input&) = delete;

  // Opens a file by path ("-" is stdin). Throws std::runtime_error naming the
  // path and the reason when it cannot be opened: that is a setup error.
  static std::unique_ptr<input> open(const std::string& path, stop_signal stop = {});

  // Reads up to `capacity` decompressed bytes into `out`.
  read_result read(char* out, std::size_t capacity);

  // Called once each time a read is about to wait for data that has not
  // arrived yet, so a caller can pass on what it holds (live inputs).
  void on_idle(std::function<void()> idle) { idle_ = std::move(idle); }

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] compression format() const { return format_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // Bytes consumed from the underlying descriptor (compressed bytes).
  [[nodiscard]] std::uint64_t raw_offset() const { return raw_offset_; }

 private:
  read_result read_raw(char* out, std::size_t capacity);
  read_result fill_raw();
  read_result read_zstd(char* out, std::size_t capacity);
  read_result read_gzip(char* out, std::size_t capacity);
  read_result fail(std::string message);
  void detect();

  int fd_;
  bool owns_fd_;
  bool waits_;  // a pipe, socket or terminal: poll before reading
  std::string name_;
  stop_signal stop_;
  std::function<void()> idle_;
  compression format_ = compression::none;
  bool detected_ = false;
  bool raw_end_ = false;
  std::string message_;
  std::uint64_t raw_offset_ = 0;

  // Compressed bytes read ahead of the decompressor (and the magic-number peek).
  std::unique_ptr<char[]> raw_;
  std::size_t raw_begin_ = 0;
  std::size_t raw_end_pos_ = 0;
  std::size_t raw_capacity_ = 0;

  struct codec;
  std::unique_ptr<codec> codec_;
};

}  // namespace mimamori::ndjson
