#include "collect/follow_source.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "cli/main.hpp"
#include "cli/signals.hpp"

namespace mimamori::collect {

namespace {

using steady = std::chrono::steady_clock;

constexpr std::size_t chunk_size = 1 << 20;          // one pread
constexpr std::uint64_t per_file_turn = 8ULL << 20;  // then the next file gets its turn
constexpr const char* state_name = "logcollect-follow.state";
constexpr const char* lock_name = "logcollect-follow.lock";

std::string dir_of(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool has_glob_chars(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

void make_dirs(const std::string& dir) {
  std::string sofar;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    sofar = dir.substr(0, pos);
    if (sofar.empty()) continue;
    if (::mkdir(sofar.c_str(), 0750) != 0 && errno != EEXIST) {
      throw std::runtime_error(sofar + ": " + std::strerror(errno));
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw std::runtime_error(dir + ": not a folder");
  }
}

}  // namespace

struct follow_source::followed {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  int fd = -1;
  std::string path;             // the name it was found under (log.file.path)
  std::string seen_at;          // where it is now
  collect::fingerprint print;   // of its first bytes as we know them
  std::uint64_t offset = 0;     // after the last whole line handed on
  std::uint64_t read_pos = 0;   // read up to here; [offset, read_pos) waits in partial
  std::uint64_t last_size = 0;  // its size when we last looked
  std::string partial;
  bool matched = true;     // under a followed name at the last scan
  bool dirty = false;      // moved since the last mark
  bool long_line = false;  // in a line that goes on in pieces
  std::uint64_t scan = 0;
  steady::time_point quiet_since = steady::now();

  followed() = default;
  followed(const followed&) = delete;
  followed& operator=(const followed&) = delete;
  ~followed() {
    if (fd >= 0) ::close(fd);
  }
};

std::string default_state_dir() {
  if (::geteuid() == 0) return "/var/lib/mimamori";
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/mimamori";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.local/state/mimamori";
  return {};
}

follow_source::follow_source(follow_options options, source_tags tags)
    : source(std::move(tags)),
      options_(std::move(options)),
      store_((options_.state_dir.empty() ? (options_.state_dir = default_state_dir())
                                         : options_.state_dir) +
             "/" + state_name) {}

follow_source::~follow_source() {
  files_.clear();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string follow_source::describe() const {
  std::string d = "follow";
  for (const auto& p : options_.patterns) d += " " + p;
  return d;
}

void follow_source::note(const std::string& text) const {
  cli::print_line(io_ != nullptr ? io_->err : 2, "logcollect: follow: " + text);
}

void follow_source::prepare(const cli::io& io) {
  io_ = &io;
  if (options_.state_dir.empty()) {
    throw std::runtime_error("no folder for the follow checkpoint: give --state-dir");
  }
  make_dirs(options_.state_dir);
  std::string lock_path = options_.state_dir + "/" + lock_name;
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw std::runtime_error(lock_path + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw std::runtime_error(
        options_.state_dir +
        ": in use by another logcollect (each needs a --state-dir of its own)");
  }
  first_run_ = !store_.load();
  std::string detail;
  pending_outcome outcome = store_.settle(io.out, detail);
  // A batch written whole or not at all is the usual case after a kill;
  // the others are worth a line.
  if (outcome == pending_outcome::cut || outcome == pending_outcome::unknown) note(detail);
  if (outcome != pending_outcome::none && !store_.save()) {
    throw std::runtime_error(store_.message());
  }
}

bool follow_source::finish(const cli::io& io) {
  if (store_.failed()) return false;  // run() said why
  if (!store_.save(true)) {
    cli::print_line(io.err, "logcollect: " + store_.message());
    return false;
  }
  return true;
}

void follow_source::watch_dir(const std::string& dir) {
  if (inotify_fd_ < 0 || watched_dirs_.count(dir) != 0) return;
  int wd = ::inotify_add_watch(
      inotify_fd_, dir.c_str(),
      IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_ONLYDIR);
  if (wd >= 0) watched_dirs_[dir] = wd;
}

follow_source::followed* follow_source::track(const std::string& path, int fd, std::uint64_t dev,
                                              std::uint64_t ino, bool matched) {
  auto f = std::make_unique<followed>();
  f->dev = dev;
  f->ino = ino;
  f->fd = fd;
  f->path = path;
  f->seen_at = path;
  f->matched = matched;
  followed* p = f.get();
  files_[{dev, ino}] = std::move(f);
  return p;
}

// A file the checkpoint knows: carry on from its offset when it is still the
// same file (same first bytes, not shorter); otherwise it was truncated while
// we were stopped, and truncated() takes the rest from a copy if there is one.
void follow_source::resume(followed& f, const file_position& p) {
  f.offset = f.read_pos = p.offset;
  f.print = p.print;
  struct stat st {};
  ::fstat(f.fd, &st);
  f.last_size = static_cast<std::uint64_t>(st.st_size);
  std::optional<fingerprint> now = read_fingerprint(f.fd, p.print.length);
  if (!now || *now != p.print || f.last_size < p.offset) {
    truncated(f);  // a gone output shows at the next push
  }
}

void follow_source::scan(bool starting) {
  std::uint64_t generation = ++generation_;
  for (const auto& pattern : options_.patterns) {
    std::string literal_dir = dir_of(pattern);
    if (!has_glob_chars(literal_dir)) watch_dir(literal_dir);
    glob_t g{};
    int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
    if (rc != 0) {
      ::globfree(&g);
      continue;
    }
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      std::string path = g.gl_pathv[i];
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      auto it = files_.find({st.st_dev, st.st_ino});
      if (it != files_.end()) {
        followed& f = *it->second;
        f.scan = generation;
        f.matched = true;  // also when renamed back under a followed name
        if (f.seen_at != path) {
          f.seen_at = path;
          f.dirty = true;
        }
        continue;
      }
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0) {
        if (unreadable_.insert(path).second) note(path + ": " + std::strerror(errno));
        continue;
      }
      struct stat fst {};
      ::fstat(fd, &fst);
      if (files_.count({fst.st_dev, fst.st_ino}) != 0) {  // renamed between stat and open
        ::close(fd);
        continue;
      }
      watch_dir(dir_of(path));
      followed* f = track(path, fd, fst.st_dev, fst.st_ino, true);
      f->scan = generation;
      f->dirty = true;
      if (starting) {
        if (auto known = store_.find(fst.st_dev, fst.st_ino)) {
          resume(*f, *known);
          continue;
        }
        if (first_run_ && options_.start_at_end) {
          f->offset = f->read_pos = static_cast<std::uint64_t>(fst.st_size);
        }
      }
      // Its first bytes now, so that a copytruncate before we read it still
      // finds its copy.
      auto print = read_fingerprint(
          fd, static_cast<std::uint32_t>(std::min<std::uint64_t>(
                  static_cast<std::uint64_t>(fst.st_size), fingerprint::max_length)));
      if (print) f->print = *print;
      if (f->offset > 0) store_.put({f->dev, f->ino, f->print, f->offset, f->seen_at});
    }
    ::globfree(&g);
  }

  if (starting) {
    // Files the checkpoint knows that no pattern matches any more: renamed
    // away (rotated) while we were stopped. Look for the inode in the folder
    // it was in, and read the rest of it.
    for (const file_position& p : store_.positions()) {
      if (files_.count(p.key()) != 0) continue;
      std::string dir = dir_of(p.path);
      DIR* d = ::opendir(dir.c_str());
      bool found = false;
      if (d != nullptr) {
        while (dirent* e = ::readdir(d)) {
          // Compare stat's inode: readdir's d_ino differs on some file
          // systems (overlayfs).
          std::string path = (dir == "/" ? "" : dir) + "/" + e->d_name;
          struct stat named {};
          if (::stat(path.c_str(), &named) != 0 ||
              static_cast<std::uint64_t>(named.st_ino) != p.ino ||
              static_cast<std::uint64_t>(named.st_dev) != p.dev) {
            continue;
          }
          int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
          if (fd < 0) continue;
          struct stat st {};
          if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
              static_cast<std::uint64_t>(st.st_dev) != p.dev ||
              static_cast<std::uint64_t>(st.st_ino) != p.ino) {
            ::close(fd);
            continue;
          }
          followed* f = track(p.path, fd, p.dev, p.ino, false);
          f->seen_at = path;
          f->scan = generation;
          f->dirty = true;
          resume(*f, p);
          found = true;
          break;
        }
        ::closedir(d);
      }
      if (!found) {
        note(p.path + ": deleted while logcollect was stopped: if it held more than " +
             std::to_string(p.offset) + " bytes, the rest could not be read");
        store_.forget(p.dev, p.ino);
      }
    }
    return;
  }

  for (auto& [k, f] : files_) {
    if (f->scan == generation || !f->matched) continue;
    // Renamed away or deleted: read it to its end, until it has been quiet.
    f->matched = false;
    f->quiet_since = steady::now();
    ++counters_.rotated;
  }
}

void follow_source::emit(followed& f, std::string_view text, std::uint64_t offset, bool truncated) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.empty()) {
    if (!truncated) ++empty_lines_;
    return;
  }
  received r;
  r.text = text;
  r.when = io_->clock.now();
  r.input_type = "file";
  r.file_path = f.path;
  r.offset = offset;
  r.has_offset = true;
  r.truncated = truncated;
  append_raw_record(batch_.records, tags_, r);
  batch_.records.push_back('\n');
  ++batch_.record_count;
  ++counters_.received;
  counters_.bytes += text.size();
}

bool follow_source::push() {
  for (auto& [k, f] : files_) {
    if (!f->dirty) continue;
    append_position(batch_.positions, {f->dev, f->ino, f->print, f->offset, f->seen_at});
    f->dirty = false;
  }
  batch_.positions += forgets_;
  forgets_.clear();
  if (batch_.empty() && batch_.positions.empty()) return true;
  batch_.keeper = &store_;
  return out_->push(batch_);
}

// Hands on the whole lines of data (the file's bytes at f.read_pos) and
// keeps the last, unfinished one. Lines longer than max_line go on in
// pieces, each tagged truncated, so memory stays bounded and offsets exact.
bool follow_source::take(followed& f, const char* data, std::size_t n) {
  const std::uint64_t base = f.read_pos;
  const std::size_t max = options_.max_line;
  std::size_t pos = 0;
  while (pos < n) {
    const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', n - pos));
    std::size_t end = nl == nullptr ? n : static_cast<std::size_t>(nl - data);
    std::string_view segment(data + pos, end - pos);
    if (nl != nullptr && f.partial.empty() && !f.long_line && segment.size() <= max) {
      emit(f, segment, f.offset, false);  // the usual case: a whole line in the chunk
    } else {
      f.partial.append(segment);
      while (f.partial.size() > max || (nl == nullptr && f.partial.size() == max)) {
        if (!f.long_line) {
          ndjson::position where{f.path, 0, f.offset};
          reject(batch_, *io_, std::string_view(f.partial).substr(0, 256), where, "too_long",
                 "line longer than " + std::to_string(max) +
                     " bytes: it goes on in pieces, each a record tagged truncated");
        }
        f.long_line = true;
        emit(f, std::string_view(f.partial).substr(0, max), f.offset, true);
        f.offset += max;
        f.partial.erase(0, max);
        f.dirty = true;
        if (batch_.full() && !push()) return false;
      }
      if (nl == nullptr) break;
      emit(f, f.partial, f.offset, f.long_line);
      f.partial.clear();
      f.long_line = false;
    }
    f.offset = base + end + 1;
    f.dirty = true;
    pos = end + 1;
    if (batch_.full() && !push()) return false;
  }
  f.read_pos = base + n;
  return true;
}

// Reads what f has beyond read_pos (a turn of at most per_file_turn bytes;
// `more` is set when there is more). false when the output has gone.
bool follow_source::read(followed& f, bool& more) {
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return true;
  auto size = static_cast<std::uint64_t>(st.st_size);
  // Shorter than what we read, or other first bytes: truncated (copytruncate).
  bool shrunk = size < f.read_pos;
  bool replaced = false;
  if (!shrunk && f.print.length > 0) {
    std::optional<fingerprint> now = read_fingerprint(f.fd, f.print.length);
    replaced = !now || *now != f.print;
  }
  if (shrunk || replaced) {
    ++counters_.rotated;
    if (!truncated(f)) return false;
  }
  f.last_size = size;
  std::uint64_t taken = 0;
  while (taken < per_file_turn && !cli::stop_requested()) {
    ssize_t n = ::pread(f.fd, buffer_.get(), chunk_size, static_cast<off_t>(f.read_pos));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      note(f.seen_at + ": " + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    taken += static_cast<std::uint64_t>(n);
    if (!take(f, buffer_.get(), static_cast<std::size_t>(n))) return false;
  }
  if (taken >= per_file_turn) more = true;
  if (taken > 0) {
    f.quiet_since = steady::now();
    f.last_size = std::max(f.last_size, f.read_pos);
    if (f.print.length < fingerprint::max_length && f.read_pos > f.print.length) {
      auto length =
          static_cast<std::uint32_t>(std::min<std::uint64_t>(f.read_pos, fingerprint::max_length));
      if (auto print = read_fingerprint(f.fd, length)) {
        f.print = *print;
        f.dirty = true;
      }
    }
  }
  return true;
}

// f was truncated: read what we had not read yet from the copy beside it
// (copytruncate copies, then truncates), then start again at its beginning.
bool follow_source::truncated(followed& f) {
  bool caught_up = f.partial.empty() && f.last_size <= f.read_pos;
  bool copied = false;
  if (!read_copy(f, copied)) return false;
  if (!copied) {
    if (!f.partial.empty()) emit(f, f.partial, f.offset, f.long_line);
    if (!caught_up) {
      note(f.seen_at +
           ": truncated before it was read to its end, and no copy of it was found "
           "beside it: lines after offset " +
           std::to_string(f.read_pos) + " may be lost");
    }
  }
  f.partial.clear();
  f.long_line = false;
  f.offset = f.read_pos = f.last_size = 0;
  f.print = fingerprint{};
  f.dirty = true;
  return true;
}

bool follow_source::read_copy(followed& f, bool& copied) {
  if (f.print.length == 0) return true;  // we never saw a byte of it: no way to know its copy
  std::string dir = dir_of(f.seen_at);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return true;
  int best = -1;
  std::int64_t best_mtime = 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) {
      continue;
    }
    std::string path = (dir == "/" ? "" : dir) + "/" + e->d_name;
    struct stat named {};
    if (::stat(path.c_str(), &named) != 0 || !S_ISREG(named.st_mode) ||
        static_cast<std::uint64_t>(named.st_size) < f.read_pos ||
        files_.count({named.st_dev, named.st_ino}) != 0) {
      continue;
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) continue;
    struct stat st {};
    bool fits = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                files_.count({st.st_dev, st.st_ino}) == 0 &&
                static_cast<std::uint64_t>(st.st_size) >= f.read_pos;
    if (fits) {
      std::optional<fingerprint> print = read_fingerprint(fd, f.print.length);
      fits = print && *print == f.print && (best < 0 || st.st_mtime > best_mtime);
    }
    if (!fits) {
      ::close(fd);
      continue;
    }
    if (best >= 0) ::close(best);
    best = fd;
    best_mtime = st.st_mtime;
  }
  ::closedir(d);
  if (best < 0) return true;
  copied = true;
  bool ok = true;
  for (;;) {
    ssize_t n = ::pread(best, buffer_.get(), chunk_size, static_cast<off_t>(f.read_pos));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (!take(f, buffer_.get(), static_cast<std::size_t>(n))) {
      ok = false;
      break;
    }
  }
  ::close(best);
  // The copy ends where the file ended when it was copied: a last line
  // without its newline is as whole as it will get.
  if (ok && !f.partial.empty()) {
    emit(f, f.partial, f.offset, f.long_line);
    f.offset = f.read_pos;
    f.partial.clear();
  }
  return ok;
}

void follow_source::finish_file(followed& f) {
  // Rotated away or deleted, and quiet: its last line, newline or not, is done.
  if (!f.partial.empty()) {
    emit(f, f.partial, f.offset, f.long_line);
    f.offset = f.read_pos;
    f.partial.clear();
  }
  append_forget(forgets_, f.dev, f.ino);
}

bool follow_source::run(batch_queue& out, const cli::io& io) {
  out_ = &out;
  io_ = &io;
  buffer_ = std::make_unique<char[]>(chunk_size);
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  ndjson::stop_signal stop = cli::stop_signal();

  scan(true);
  if (!push()) return false;
  if (!store_.save()) {
    note(store_.message());
    return false;
  }

  std::vector<followed*> order;
  char events[8192];
  while (!stop.requested()) {
    bool more = false;
    // Files rotated away first: their lines came before the new file's.
    order.clear();
    for (auto& [k, f] : files_) {
      if (!f->matched) order.push_back(f.get());
    }
    for (auto& [k, f] : files_) {
      if (f->matched) order.push_back(f.get());
    }
    for (followed* f : order) {
      if (!read(*f, more)) return false;
    }
    // Rotated away or deleted, and quiet for rotate_wait: done with it.
    auto now = steady::now();
    for (auto it = files_.begin(); it != files_.end();) {
      followed& f = *it->second;
      if (!f.matched && now - f.quiet_since >= options_.rotate_wait) {
        finish_file(f);
        it = files_.erase(it);
      } else {
        ++it;
      }
    }
    if (!push()) return false;
    if (store_.failed()) {
      note(store_.message());
      return false;
    }
    if (stop.requested()) break;
    if (!more) {
      // Wait for a change in a watched folder, the stop signal, or the
      // next rescan.
      pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop.wake_fd, POLLIN, 0}};
      auto timeout = options_.poll_interval;
      for (auto& [k, f] : files_) {  // files rotated away are closed on time
        if (f->matched) continue;
        auto due = std::chrono::duration_cast<std::chrono::milliseconds>(
            f->quiet_since + options_.rotate_wait - steady::now());
        timeout = std::min(timeout, due);
      }
      ::poll(fds, 2, static_cast<int>(std::max<std::int64_t>(timeout.count(), 10)));
      if (inotify_fd_ >= 0) {
        for (;;) {
          ssize_t n = ::read(inotify_fd_, events, sizeof events);
          if (n <= 0) break;
          for (ssize_t i = 0; i < n;) {
            auto* e = reinterpret_cast<inotify_event*>(events + i);
            if ((e->mask & IN_IGNORED) != 0) {  // the folder went: watch it again when it is back
              for (auto w = watched_dirs_.begin(); w != watched_dirs_.end(); ++w) {
                if (w->second == e->wd) {
                  watched_dirs_.erase(w);
                  break;
                }
              }
            }
            i += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
          }
        }
      }
    }
    scan(false);
  }
  // Stopping: whole lines are handed on; a line without its newline stays
  // in the file, and the checkpoint before it.
  return push();
}

}  // namespace mimamori::collect
