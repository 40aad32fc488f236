#include "ndjson/writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mimamori::ndjson {

namespace {
constexpr std::size_t block_size = 1 << 20;
constexpr int pipe_size = 1 << 20;

void raise_pipe_buffer(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
  // Ask for 1 MiB; unprivileged processes are capped by
  // /proc/sys/fs/pipe-max-size, so fall back to smaller sizes quietly.
  for (int size = pipe_size; size >= (64 << 10); size /= 2) {
    if (fcntl(fd, F_SETPIPE_SZ, size) >= 0) return;
  }
}
}  // namespace

line_writer::line_writer(int fd, std::string name, buffering mode)
    : fd_(fd), name_(std::move(name)) {
  line_buffered_ = mode == buffering::line || (mode == buffering::automatic && isatty(fd_) == 1);
  flush_at_ = line_buffered_ ? 0 : block_size;
  buffer_.reserve(block_size + 64 * 1024);
  raise_pipe_buffer(fd_);
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
