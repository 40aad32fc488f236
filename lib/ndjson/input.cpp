#include "ndjson/input.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mimamori::ndjson {

namespace {
constexpr std::size_t raw_buffer_size = 1 << 20;
}

struct input::codec {
  ZSTD_DStream* zstd = nullptr;
  std::size_t zstd_pending = 0;  // last hint: non-zero while a frame is incomplete
  bool zstd_started = false;
  z_stream gzip{};
  bool gzip_open = false;
  bool gzip_member_done = true;

  ~codec() {
    if (zstd != nullptr) ZSTD_freeDStream(zstd);
    if (gzip_open) inflateEnd(&gzip);
  }
};

input::input(int fd, std::string name, bool owns_fd, stop_signal stop)
    : fd_(fd), owns_fd_(owns_fd), waits_(false), name_(std::move(name)), stop_(stop) {
  struct stat st {};
  if (fstat(fd_, &st) == 0) waits_ = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
}

input::~input() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

std::unique_ptr<input> input::open(const std::string& path, stop_signal stop) {
  if (path == "-" || path.empty()) return std::make_unique<input>(0, "<stdin>", false, stop);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(path + ": is a directory");
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<input>(fd, path, true, stop);
}

read_result input::fail(std::string message) {
  message_ = std::move(message);
  return {0, read_status::error};
}

// Reads from the descriptor, waiting in poll() when it may block so that a
// stop request wakes us up.
read_result input::read_raw(char* out, std::size_t capacity) {
  for (;;) {
    if (stop_.requested()) return {0, read_status::interrupted};
    if (waits_) {
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_.wake_fd, POLLIN, 0}};
      nfds_t count = stop_.wake_fd >= 0 ? 2 : 1;
      if (idle_ && ::poll(fds, count, 0) == 0) idle_();  // nothing yet: we are about to wait
      int n = ::poll(fds, count, -1);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(name_ + ": poll: " + std::strerror(errno));
      }
      if (stop_.wake_fd >= 0 && (fds[1].revents & POLLIN) != 0) return {0, read_status::interrupted};
    }
    ssize_t n = ::read(fd_, out, capacity);
    if (n > 0) {
      raw_offset_ += static_cast<std::uint64_t>(n);
      return {static_cast<std::size_t>(n), read_status::ok};
    }
    if (n == 0) return {0, read_status::end};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      waits_ = true;
      continue;
    }
    return fail(name_ + ": read: " + std::strerror(errno));
  }
}

// Tops up the read-ahead buffer of compressed bytes.
read_result input::fill_raw() {
  if (!raw_) {
    raw_capacity_ = raw_buffer_size;
    raw_ = std::make_unique_for_overwrite<char[]>(raw_capacity_);
  }
  if (raw_begin_ == raw_end_pos_) raw_begin_ = raw_end_pos_ = 0;
  if (raw_end_pos_ == raw_capacity_) return {0, read_status::ok};
  read_result r = read_raw(raw_.get() + raw_end_pos_, raw_capacity_ - raw_end_pos_);
  if (r.status == read_status::ok) raw_end_pos_ += r.size;
  if (r.status == read_status::end) raw_end_ = true;
  return r;
}

// Peeks at the first bytes to choose a decoder. The peeked bytes stay in the
// read-ahead buffer and are consumed by whichever decoder is chosen.
void input::detect() {
  detected_ = true;
  while (!raw_end_ && raw_end_pos_ - raw_begin_ < 4) {
    read_result r = fill_raw();
    if (r.status != read_status::ok) break;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(raw_.get() + raw_begin_);
  std::size_t have = raw_end_pos_ - raw_begin_;
  if (have >= 4 && p[0] == 0x28 && p[1] == 0xB5 && p[2] == 0x2F && p[3] == 0xFD) {
    format_ = compression::zstd;
    codec_ = std::make_unique<codec>();
    codec_->zstd = ZSTD_createDStream();
    ZSTD_initDStream(codec_->zstd);
  } else if (have >= 2 && p[0] == 0x1F && p[1] == 0x8B) {
    format_ = compression::gzip;
    codec_ = std::make_unique<codec>();
  }
}

read_result input::read(char* out, std::size_t capacity) {
  if (!detected_) {
    if (stop_.requested()) return {0, read_status::interrupted};
    if (!raw_) fill_raw();
    if (!message_.empty()) return {0, read_status::error};
    detect();
    if (!message_.empty()) return {0, read_status::error};
  }
  switch (format_) {
    case compression::zstd: return read_zstd(out, capacity);
    case compression::gzip: return read_gzip(out, capacity);
    case compression::none: break;
  }
  if (raw_begin_ < raw_end_pos_) {  // bytes peeked during detection
    std::size_t n = std::min(capacity, raw_end_pos_ - raw_begin_);
    std::memcpy(out, raw_.get() + raw_begin_, n);
    raw_begin_ += n;
    return {n, read_status::ok};
  }
  if (raw_end_) return {0, read_status::end};
  return read_raw(out, capacity);
}

read_result input::read_zstd(char* out, std::size_t capacity) {
  codec& c = *codec_;
  ZSTD_outBuffer ob{out, capacity, 0};
  for (;;) {
    if (raw_begin_ < raw_end_pos_) {
      ZSTD_inBuffer ib{raw_.get() + raw_begin_, raw_end_pos_ - raw_begin_, 0};
      std::size_t hint = ZSTD_decompressStream(c.zstd, &ob, &ib);
      raw_begin_ += ib.pos;
      if (ZSTD_isError(hint) != 0) {
        return fail(name_ + ": corrupt zstd data near compressed byte " +
                    std::to_string(raw_offset_ - (raw_end_pos_ - raw_begin_)) + ": " +
                    ZSTD_getErrorName(hint));
      }
      c.zstd_pending = hint;
      c.zstd_started = true;
      if (ob.pos > 0) return {ob.pos, read_status::ok};
      if (raw_begin_ < raw_end_pos_) continue;
    }
    if (raw_end_) {
      // Flush what the decoder still holds, then judge the frame.
      ZSTD_inBuffer ib{nullptr, 0, 0};
      if (c.zstd_pending != 0) {
        std::size_t hint = ZSTD_decompressStream(c.zstd, &ob, &ib);
        if (ZSTD_isError(hint) == 0) c.zstd_pending = hint;
        if (ob.pos > 0) return {ob.pos, read_status::ok};
        return fail(name_ + ": zstd stream cut short (truncated file?) after " +
                    std::to_string(raw_offset_) + " compressed bytes");
      }
      return {0, read_status::end};
    }
    read_result r = fill_raw();
    if (r.status == read_status::error || r.status == read_status::interrupted) return r;
  }
}

read_result input::read_gzip(char* out, std::size_t capacity) {
  codec& c = *codec_;
  z_stream& zs = c.gzip;
  zs.next_out = reinterpret_cast<Bytef*>(out);
  zs.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, 1U << 30));
  for (;;) {
    if (raw_begin_ < raw_end_pos_) {
      if (c.gzip_member_done) {
        int rc = c.gzip_open ? inflateReset(&zs) : inflateInit2(&zs, 16 + MAX_WBITS);
        if (rc != Z_OK) return fail(name_ + ": cannot start gzip decoder");
        c.gzip_open = true;
        c.gzip_member_done = false;
        zs.next_out = reinterpret_cast<Bytef*>(out);
        zs.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, 1U << 30));
      }
      zs.next_in = reinterpret_cast<Bytef*>(raw_.get() + raw_begin_);
      zs.avail_in = static_cast<uInt>(raw_end_pos_ - raw_begin_);
      int rc = inflate(&zs, Z_NO_FLUSH);
      raw_begin_ = raw_end_pos_ - zs.avail_in;
      std::size_t produced = capacity - zs.avail_out;
      if (rc == Z_STREAM_END) {
        c.gzip_member_done = true;  // another member may follow
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return fail(name_ + ": corrupt gzip data near compressed byte " +
                    std::to_string(raw_offset_ - (raw_end_pos_ - raw_begin_)) + ": " +
                    (zs.msg != nullptr ? zs.msg : "inflate failed"));
      }
      if (produced > 0) return {produced, read_status::ok};
      if (raw_begin_ < raw_end_pos_) continue;
    }
    if (raw_end_) {
      if (!c.gzip_member_done) {
        return fail(name_ + ": gzip stream cut short (truncated file?) after " +
                    std::to_string(raw_offset_) + " compressed bytes");
      }
      return {0, read_status::end};
    }
    read_result r = fill_raw();
    if (r.status == read_status::error || r.status == read_status::interrupted) return r;
  }
}

}  // namespace mimamori::ndjson
