#include "archive/reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <zstd_errors.h>

namespace mimamori::archive {

namespace {
constexpr std::size_t padding = 64;
constexpr std::size_t read_size = 1 << 20;
}  // namespace

hour_file_reader::hour_file_reader() : dctx_(ZSTD_createDCtx()) {}

hour_file_reader::~hour_file_reader() {
  close();
  ZSTD_freeDCtx(dctx_);
}

void hour_file_reader::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool hour_file_reader::fail(std::string message) {
  state_ = read_state::error;
  message_ = path_ + ": " + std::move(message);
  return false;
}

bool hour_file_reader::open(const std::string& path) {
  close();
  path_ = path;
  in_.clear();
  in_pos_ = 0;
  in_eof_ = false;
  frame_size_ = line_pos_ = 0;
  file_pos_ = frame_end_ = truncated_ = frames_ = raw_bytes_ = 0;
  limit_ = UINT64_MAX;
  message_.clear();
  state_ = read_state::ok;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return fail(std::strerror(errno));
  return true;
}

bool hour_file_reader::next_frame() {
  for (;;) {
    std::size_t avail = in_.size() - in_pos_;
    std::size_t size = avail == 0 ? 0 : ZSTD_findFrameCompressedSize(in_.data() + in_pos_, avail);
    if (avail > 0 && !ZSTD_isError(size)) {
      if (file_pos_ + in_pos_ + size > limit_) {  // past the snapshot
        state_ = read_state::end;
        return false;
      }
      const char* src = in_.data() + in_pos_;
      unsigned long long content = ZSTD_getFrameContentSize(src, size);
      frame_size_ = 0;
      if (content != ZSTD_CONTENTSIZE_UNKNOWN && content != ZSTD_CONTENTSIZE_ERROR &&
          content + padding > frame_.size())
        frame_.resize(content + padding);
      if (frame_.size() < read_size) frame_.resize(read_size);
      ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_only);
      ZSTD_inBuffer zin{src, size, 0};
      for (;;) {
        ZSTD_outBuffer zout{frame_.data(), frame_.size() - padding, frame_size_};
        std::size_t rc = ZSTD_decompressStream(dctx_, &zout, &zin);
        frame_size_ = zout.pos;
        if (ZSTD_isError(rc)) {
          return fail("frame at byte " + std::to_string(file_pos_ + in_pos_) +
                      " is corrupt: " + ZSTD_getErrorName(rc));
        }
        if (rc == 0) break;
        if (zout.pos == zout.size)
          frame_.resize(frame_.size() * 2);
        else if (zin.pos == zin.size)
          return fail("frame ends early");
      }
      std::memset(frame_.data() + frame_size_, 0, padding);
      in_pos_ += size;
      frame_end_ = file_pos_ + in_pos_;
      ++frames_;
      raw_bytes_ += frame_size_;
      line_pos_ = 0;
      return true;
    }
    if (avail > 0 && ZSTD_getErrorCode(size) != ZSTD_error_srcSize_wrong) {
      return fail("no zstd frame at byte " + std::to_string(file_pos_ + in_pos_) + ": " +
                  ZSTD_getErrorName(size));
    }
    if (in_eof_) {  // a cut frame at the end, or nothing left
      truncated_ = avail;
      state_ = read_state::end;
      return false;
    }
    // Need more bytes: keep the partial frame, read on.
    if (in_pos_ > 0) {
      in_.erase(0, in_pos_);
      file_pos_ += in_pos_;
      in_pos_ = 0;
    }
    std::size_t old = in_.size();
    in_.resize(old + read_size);
    ssize_t n;
    do {
      n = ::read(fd_, in_.data() + old, read_size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      in_.resize(old);
      return fail(std::strerror(errno));
    }
    in_.resize(old + static_cast<std::size_t>(n));
    if (n == 0) in_eof_ = true;
  }
}

bool hour_file_reader::next(std::string_view& line) {
  if (state_ != read_state::ok) return false;
  for (;;) {
    if (line_pos_ < frame_size_) {
      const char* begin = frame_.data() + line_pos_;
      const void* nl = std::memchr(begin, '\n', frame_size_ - line_pos_);
      std::size_t len = nl != nullptr
                            ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin)
                            : frame_size_ - line_pos_;
      line_pos_ += len + (nl != nullptr ? 1 : 0);
      if (len == 0) continue;
      line = std::string_view(begin, len);
      return true;
    }
    if (!next_frame()) return false;
  }
}

}  // namespace mimamori::archive
