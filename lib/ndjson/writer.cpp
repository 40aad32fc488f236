#include "ndjson/writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mimamori::ndjson {

namespace {
// Writes of 256 KiB into a pipe raised to 1 MiB: the reader drains one
// write while we fill the next. Flushing as much as the pipe holds makes
// every write wait for an empty pipe (measured: 0.93 GB/s against 1.27 GB/s
// for 1 KB records into a pipe; no change into a file).
constexpr std::size_t block_size = 256 << 10;
constexpr int pipe_size = 1 << 20;

// Raises the buffer of a pipe and returns the size we got (0: not a pipe).
std::size_t raise_pipe_buffer(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return 0;
  // Unprivileged processes are capped by /proc/sys/fs/pipe-max-size, so
  // fall back to smaller sizes quietly.
  for (int size = pipe_size; size >= (64 << 10); size /= 2) {
    if (fcntl(fd, F_SETPIPE_SZ, size) >= 0) return static_cast<std::size_t>(size);
  }
  int size = fcntl(fd, F_GETPIPE_SZ);
  return size > 0 ? static_cast<std::size_t>(size) : 0;
}
}  // namespace

line_writer::line_writer(int fd, std::string name, buffering mode)
    : fd_(fd), name_(std::move(name)) {
  line_buffered_ = mode == buffering::line || (mode == buffering::automatic && isatty(fd_) == 1);
  flush_at_ = line_buffered_ ? 0 : block_size;
  std::size_t pipe = raise_pipe_buffer(fd_);
  if (pipe > 0 && !line_buffered_) flush_at_ = std::min(block_size, pipe / 2);
  buffer_.reserve(flush_at_ + 64 * 1024);
}

line_writer::~line_writer() {
  flush();
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

int line_writer::open_append(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  return fd;
}

bool line_writer::flush() {
  if (status_ != write_status::ok) {
    buffer_.clear();  // nowhere to go; the failure is already reported
    return false;
  }
  const char* p = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n >= 0) {
      p += n;
      left -= static_cast<std::size_t>(n);
      bytes_ += static_cast<std::uint64_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking descriptor
      pollfd pfd{fd_, POLLOUT, 0};
      ::poll(&pfd, 1, -1);
      continue;
    }
    if (errno == EPIPE) {
      status_ = write_status::broken_pipe;
      message_ = name_ + ": broken pipe";
    } else {
      status_ = write_status::error;
      message_ = name_ + ": write error: " + std::strerror(errno);
    }
    buffer_.clear();
    return false;
  }
  buffer_.clear();
  records_written_ = records_;
  return true;
}

bool line_writer::close() {
  bool ok = flush();
  if (owns_fd_ && fd_ >= 0) {
    if (::close(fd_) != 0 && ok) {
      status_ = write_status::error;
      message_ = name_ + ": close: " + std::strerror(errno);
      ok = false;
    }
    fd_ = -1;
  }
  return ok;
}

}  // namespace mimamori::ndjson
