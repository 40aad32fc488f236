#include "collect/checkpoint.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

#include "ndjson/json_text.hpp"

namespace mimamori::collect {

namespace {

constexpr std::string_view header = "# mimamori logcollect follow checkpoint 1\n";

void append_hex(std::string& out, std::uint64_t v) {
  char buf[16];
  for (int i = 15; i >= 0; --i) {
    buf[i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  }
  out.append(buf, 16);
}

void append_path(std::string& out, std::string_view path) {
  for (char c : path) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

std::string unescape_path(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      out.push_back(s[i] == 'n' ? '\n' : s[i]);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Splits off the next space-separated field of `rest`.
std::string_view field(std::string_view& rest) {
  std::size_t end = rest.find(' ');
  std::string_view f = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return f;
}

bool number(std::string_view s, std::uint64_t& v, int base = 10) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  return ec == std::errc{} && p == s.data() + s.size();
}

// One mark or state line (without "\n"): "F ..." or "X ...".
struct parsed_mark {
  bool forget = false;
  file_position position;
};

bool parse_mark(std::string_view line, parsed_mark& m) {
  std::string_view rest = line;
  std::string_view kind = field(rest);
  if (kind == "X") {
    m.forget = true;
    return number(field(rest), m.position.dev) && number(field(rest), m.position.ino) &&
           rest.empty();
  }
  if (kind != "F") return false;
  m.forget = false;
  std::uint64_t length = 0;
  bool ok = number(field(rest), m.position.dev) && number(field(rest), m.position.ino) &&
            number(field(rest), length) && length <= fingerprint::max_length &&
            number(field(rest), m.position.print.hash, 16) &&
            number(field(rest), m.position.offset);
  if (!ok) return false;
  m.position.print.length = static_cast<std::uint32_t>(length);
  m.position.path = unescape_path(rest);
  return true;
}

template <typename Each>
bool each_line(std::string_view text, Each&& each) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!each(line)) return false;
  }
  return true;
}

}  // namespace

fingerprint fingerprint_of(std::string_view first_bytes) {
  fingerprint f;
  f.length = static_cast<std::uint32_t>(
      std::min<std::size_t>(first_bytes.size(), fingerprint::max_length));
  for (std::uint32_t i = 0; i < f.length; ++i) {
    f.hash ^= static_cast<unsigned char>(first_bytes[i]);
    f.hash *= 0x100000001b3ULL;
  }
  return f;
}

std::optional<fingerprint> read_fingerprint(int fd, std::uint32_t length) {
  length = std::min(length, fingerprint::max_length);
  char buf[fingerprint::max_length];
  std::size_t have = 0;
  while (have < length) {
    ssize_t n = ::pread(fd, buf + have, length - have, static_cast<off_t>(have));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    have += static_cast<std::size_t>(n);
  }
  return fingerprint_of(std::string_view(buf, length));
}

void append_position(std::string& out, const file_position& p) {
  out += "F ";
  ndjson::append_uint(out, p.dev);
  out.push_back(' ');
  ndjson::append_uint(out, p.ino);
  out.push_back(' ');
  ndjson::append_uint(out, p.print.length);
  out.push_back(' ');
  append_hex(out, p.print.hash);
  out.push_back(' ');
  ndjson::append_uint(out, p.offset);
  out.push_back(' ');
  append_path(out, p.path);
  out.push_back('\n');
}

void append_forget(std::string& out, std::uint64_t dev, std::uint64_t ino) {
  out += "X ";
  ndjson::append_uint(out, dev);
  out.push_back(' ');
  ndjson::append_uint(out, ino);
  out.push_back('\n');
}

output_span output_span_of(int fd, std::uint64_t bytes) {
  output_span s;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return s;
  s.regular = true;
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  s.begin = static_cast<std::uint64_t>(st.st_size);
  s.end = s.begin + bytes;
  return s;
}

checkpoint_store::checkpoint_store(std::string path) : path_(std::move(path)) {}

bool checkpoint_store::load() {
  std::lock_guard lock(mutex_);
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return false;
    throw std::runtime_error(path_ + ": " + std::strerror(errno));
  }
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      throw std::runtime_error(path_ + ": " + std::strerror(e));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);

  files_.clear();
  pending_ = false;
  pending_marks_.clear();
  std::uint64_t line_number = 0;
  auto bad = [&](const char* why) {
    throw std::runtime_error(path_ + ":" + std::to_string(line_number) + ": " + why);
  };
  each_line(text, [&](std::string_view line) {
    ++line_number;
    if (line_number == 1) {
      if (std::string(line) + "\n" != header) bad("not a logcollect follow checkpoint (version 1)");
      return true;
    }
    if (line.empty()) return true;
    if (line.substr(0, 2) == "O ") {  // a write under way: where it was to land
      std::string_view rest = line.substr(2);
      pending_ = true;
      std::string_view kind = field(rest);
      if (kind == "-") return true;
      pending_at_.regular = true;
      if (kind != "R" || !number(field(rest), pending_at_.dev) ||
          !number(field(rest), pending_at_.ino) || !number(field(rest), pending_at_.begin) ||
          !number(field(rest), pending_at_.end) || !rest.empty()) {
        bad("malformed output line");
      }
      return true;
    }
    if (line.substr(0, 2) == "P ") {  // a mark of the write under way
      parsed_mark m;
      if (!parse_mark(line.substr(2), m)) bad("malformed pending position");
      pending_marks_.append(line.substr(2));
      pending_marks_.push_back('\n');
      return true;
    }
    parsed_mark m;
    if (!parse_mark(line, m) || m.forget) bad("malformed position");
    files_[m.position.key()] = std::move(m.position);
    return true;
  });
  return true;
}

pending_outcome checkpoint_store::settle(int output_fd, std::string& detail) {
  std::lock_guard lock(mutex_);
  if (!pending_) return pending_outcome::none;
  pending_outcome outcome = pending_outcome::unknown;
  struct stat st {};
  bool same = pending_at_.regular && ::fstat(output_fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<std::uint64_t>(st.st_dev) == pending_at_.dev &&
              static_cast<std::uint64_t>(st.st_ino) == pending_at_.ino;
  if (same) {
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (size >= pending_at_.end) {
      outcome = pending_outcome::written;
      apply(pending_marks_);
      detail = "the last batch before the stop was written whole";
    } else if (size <= pending_at_.begin) {
      outcome = pending_outcome::not_written;
      detail = "the last batch before the stop was not written; it is read again";
    } else if (::ftruncate(output_fd, static_cast<off_t>(pending_at_.begin)) == 0) {
      outcome = pending_outcome::cut;
      detail = "the last batch before the stop was written in part: the output was cut back to " +
               std::to_string(pending_at_.begin) + " bytes and the batch is read again";
    } else {
      detail = std::string("the output holds part of the last batch and cannot be cut back (") +
               std::strerror(errno) + "): its lines may be repeated";
    }
  } else {
    detail =
        "the stop came while a batch was being written to an output that cannot be "
        "looked at (a pipe or another file): the lines of that batch may be repeated";
  }
  pending_ = false;
  pending_marks_.clear();
  return outcome;
}

std::vector<file_position> checkpoint_store::positions() const {
  std::lock_guard lock(mutex_);
  std::vector<file_position> out;
  out.reserve(files_.size());
  for (const auto& [key, p] : files_) out.push_back(p);
  return out;
}

std::optional<file_position> checkpoint_store::find(std::uint64_t dev, std::uint64_t ino) const {
  std::lock_guard lock(mutex_);
  auto it = files_.find({dev, ino});
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

void checkpoint_store::put(const file_position& p) {
  std::lock_guard lock(mutex_);
  files_[p.key()] = p;
}

void checkpoint_store::forget(std::uint64_t dev, std::uint64_t ino) {
  std::lock_guard lock(mutex_);
  files_.erase({dev, ino});
}

void checkpoint_store::apply(std::string_view marks) {
  each_line(marks, [&](std::string_view line) {
    parsed_mark m;
    if (!parse_mark(line, m)) return true;  // we wrote them: cannot happen
    if (m.forget) {
      files_.erase(m.position.key());
    } else {
      files_[m.position.key()] = std::move(m.position);
    }
    return true;
  });
}

bool checkpoint_store::save(bool durable) {
  std::lock_guard lock(mutex_);
  return save_locked(durable);
}

bool checkpoint_store::save_locked(bool durable) {
  text_.assign(header);
  for (const auto& [key, p] : files_) append_position(text_, p);
  if (pending_) {
    if (pending_at_.regular) {
      text_ += "O R ";
      ndjson::append_uint(text_, pending_at_.dev);
      text_.push_back(' ');
      ndjson::append_uint(text_, pending_at_.ino);
      text_.push_back(' ');
      ndjson::append_uint(text_, pending_at_.begin);
      text_.push_back(' ');
      ndjson::append_uint(text_, pending_at_.end);
      text_.push_back('\n');
    } else {
      text_ += "O -\n";
    }
    each_line(pending_marks_, [&](std::string_view line) {
      text_ += "P ";
      text_.append(line);
      text_.push_back('\n');
      return true;
    });
  }

  // Write a temporary file beside the state and rename it over: a reader (a
  // restart after SIGKILL) sees the old state or the new one, never a mix.
  std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const char* step = "open";
  bool ok = fd >= 0;
  if (ok) {
    const char* p = text_.data();
    std::size_t left = text_.size();
    while (left > 0) {
      ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ok = false;
        step = "write";
        break;
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    if (ok && durable && ::fsync(fd) != 0) {
      ok = false;
      step = "fsync";
    }
    int saved = errno;
    if (::close(fd) != 0 && ok) {
      ok = false;
      step = "close";
    } else {
      errno = saved;
    }
  }
  if (ok && ::rename(tmp.c_str(), path_.c_str()) != 0) {
    ok = false;
    step = "rename";
  }
  if (ok && durable) {  // the rename itself reaches the disk with the directory
    std::string dir = path_.substr(0, path_.find_last_of('/') + 1);
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  if (!ok) {
    if (!failed_) message_ = path_ + ": " + step + ": " + std::strerror(errno);
    failed_ = true;
  }
  return ok;
}

std::string checkpoint_store::message() const {
  std::lock_guard lock(mutex_);
  return message_;
}

bool checkpoint_store::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void checkpoint_store::writing(const std::string& positions, const output_span& at) {
  std::lock_guard lock(mutex_);
  pending_ = true;
  pending_at_ = at;
  pending_marks_ = positions;
  save_locked();
}

void checkpoint_store::written(const std::string& positions) {
  std::lock_guard lock(mutex_);
  apply(positions);
  pending_ = false;
  pending_marks_.clear();
  // When the output is a regular file the saved pending write is as good:
  // a restart finds the batch in the output and takes its positions. Saving
  // only before writes halves the cost. For a pipe, save now, to keep the
  // window in which a kill repeats the batch as short as can be.
  if (!pending_at_.regular) save_locked();
}

}  // namespace mimamori::collect
