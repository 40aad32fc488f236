#include "archive/writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "archive/fd_write.hpp"
#include "archive/layout.hpp"
#include "archive/recovery.hpp"

namespace mimamori::archive {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

struct writer::partition {
  hour_file row;  // counts include every frame written
  int fd = -1;
  bool created = false;  // the file is new: sync its directory too
  std::string pending;   // NDJSON lines not yet in a frame
  std::uint64_t pending_records = 0;
  steady::time_point last_write;
};

namespace {


void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

writer::writer(std::string dir, writer_options options, note_function note)
    : dir_(std::move(dir)), options_(std::move(options)), note_(std::move(note)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error(dir_ + ": " + ec.message());
  std::string lock_path = dir_ + "/" + std::string(lock_name);
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock_fd_ < 0) throw std::runtime_error(lock_path + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    int e = errno;
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw std::runtime_error(dir_ + ": " +
                             (e == EWOULDBLOCK ? std::string("archive in use by another writer")
                                               : std::string(std::strerror(e))));
  }
  index_ = std::make_unique<index>(dir_, false);
  cctx_ = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, options_.level);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_contentSizeFlag, 1);

  // Files a crash left open: cut back to the last complete frame, counted.
  for (hour_file& row : index_->open_files()) {
    scan_result s = recover_hour_file(dir_, row);
    if (!fs::exists(fs::path(dir_) / row.path, ec)) {
      if (!index_->remove(row.organization, row.hour)) throw std::runtime_error(index_->message());
      continue;
    }
    ++stats_.recovered_files;
    stats_.recovered_cut_bytes += s.truncated;
    if (note_) {
      std::string text =
          dir_ + "/" + row.path + ": recovered " + std::to_string(row.records) + " records";
      if (s.truncated > 0)
        text += ", cut " + std::to_string(s.truncated) + " bytes of an unfinished frame";
      if (!s.ok) text += "; " + s.message;
      note_(text);
    }
    if (!index_->put(row)) throw std::runtime_error(index_->message());
  }
  if (options_.retention && !run_retention()) throw std::runtime_error(message_);
}

writer::~writer() {
  if (!closed_) close();
  ZSTD_freeCCtx(cctx_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool writer::fail(std::string message) {
  if (!failed_) message_ = std::move(message);
  failed_ = true;
  return false;
}

writer::partition* writer::find_or_open(std::string_view organization, std::int64_t hour) {
  for (auto& p : open_) {
    if (p->row.hour == hour && p->row.organization == organization) return p.get();
  }
  if (open_.size() >= options_.max_open) {
    auto oldest = std::min_element(open_.begin(), open_.end(), [](const auto& a, const auto& b) {
      return a->last_write < b->last_write;
    });
    if (!close_partition(**oldest)) return nullptr;
    open_.erase(oldest);
  }
  auto p = std::make_unique<partition>();
  std::string org(organization);
  auto existing = index_->get(org, hour);
  if (existing) {
    p->row = std::move(*existing);
  } else {
    p->row.organization = org;
    p->row.hour = hour;
    p->row.path = hour_file_path(org, hour);
  }
  fs::path path = fs::path(dir_) / p->row.path;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    fail(path.parent_path().string() + ": " + ec.message());
    return nullptr;
  }
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (existing && (!exists || static_cast<std::uint64_t>(st.st_size) != p->row.compressed_bytes)) {
    // The file changed behind the index's back: count what it holds.
    recover_hour_file(dir_, p->row);
  } else if (!existing && exists && st.st_size > 0) {
    recover_hour_file(dir_, p->row);  // a file the index lost: keep it, counted
  }
  p->row.open = true;
  if (!index_->put(p->row)) {
    fail(index_->message());
    return nullptr;
  }
  p->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (p->fd < 0) {
    fail(path.string() + ": " + std::strerror(errno));
    return nullptr;
  }
  p->created = !exists;
  p->last_write = steady::now();
  open_.push_back(std::move(p));
  return open_.back().get();
}

bool writer::flush_frame(partition& p) {
  if (p.pending.empty()) return true;
  std::size_t bound = ZSTD_compressBound(p.pending.size());
  if (compressed_.size() < bound) compressed_.resize(bound);
  std::size_t n = ZSTD_compress2(cctx_, compressed_.data(), compressed_.size(), p.pending.data(),
                                 p.pending.size());
  if (ZSTD_isError(n)) return fail(p.row.path + ": zstd: " + ZSTD_getErrorName(n));
  if (!write_all(p.fd, compressed_.data(), n)) {
    return fail(dir_ + "/" + p.row.path + ": " + std::strerror(errno));
  }
  p.row.compressed_bytes += n;
  p.row.raw_bytes += p.pending.size();
  ++p.row.frames;
  stats_.frames += 1;
  stats_.raw_bytes += p.pending.size();
  stats_.compressed_bytes += n;
  p.pending.clear();
  p.pending_records = 0;
  p.last_write = steady::now();
  return true;
}

bool writer::close_partition(partition& p) {
  if (last_ == &p) last_ = nullptr;
  if (p.fd < 0) return true;
  bool ok = flush_frame(p);
  std::string path = dir_ + "/" + p.row.path;
  if (ok && options_.sync && ::fsync(p.fd) != 0) ok = fail(path + ": " + std::strerror(errno));
  if (::close(p.fd) != 0 && ok) ok = fail(path + ": " + std::strerror(errno));
  p.fd = -1;
  if (!ok) return false;
  if (p.created && options_.sync) sync_directory(fs::path(path).parent_path());
  p.row.open = false;
  if (!index_->put(p.row)) return fail(index_->message());
  ++stats_.files_closed;
  return true;
}

bool writer::write(std::string_view lines, time::timestamp fallback) {
  if (failed_) return false;
  const char* data = lines.data();
  std::size_t size = lines.size();
  std::size_t pos = 0;
  while (pos < size) {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    std::size_t end =
        nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : size;
    std::string_view line(data + pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    record_key_result k = key_.read(line);
    if (!k.has_time) {
      k.time = fallback;
      ++stats_.undated;
    }
    std::int64_t hour = hour_of(k.time);
    partition* p = last_;
    if (p == nullptr || p->row.hour != hour || p->row.organization != k.organization) {
      p = find_or_open(k.organization, hour);
      if (p == nullptr) return false;
      last_ = p;
    }
    p->pending.append(line);
    p->pending.push_back('\n');
    ++p->pending_records;
    hour_file& row = p->row;
    if (row.records == 0) {
      row.first_time = row.last_time = k.time;
    } else if (k.time < row.last_time) {
      row.in_order = false;
      if (k.time < row.first_time) row.first_time = k.time;
    } else {
      row.last_time = k.time;
    }
    ++row.records;
    ++stats_.records;
    if (k.time > newest_) newest_ = k.time;
    if (p->pending.size() >= options_.frame_bytes && !flush_frame(*p)) return false;
  }
  for (auto& p : open_) {
    if (!flush_frame(*p)) return false;
  }
  return roll();
}

bool writer::roll() {
  auto now = steady::now();
  bool rolled = false;
  for (std::size_t i = 0; i < open_.size();) {
    partition& p = *open_[i];
    time::timestamp org_newest = p.row.last_time;
    for (auto& q : open_) {
      if (q->row.organization == p.row.organization && q->row.last_time > org_newest)
        org_newest = q->row.last_time;
    }
    bool hour_over = hour_start(p.row.hour + 1) + options_.roll_grace <= org_newest;
    bool idle = now - p.last_write >= options_.idle;
    if (hour_over || idle) {
      if (!close_partition(p)) return false;
      open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(i));
      rolled = rolled || hour_over;
      continue;
    }
    ++i;
  }
  if (rolled && options_.retention) return run_retention();
  return true;
}

bool writer::run_retention() {
  const retention_policy& policy = *options_.retention;
  time::timestamp reference;
  if (policy.now) {
    reference = *policy.now;
  } else {
    auto newest = index_->newest();
    reference = newest ? std::max(*newest, newest_) : newest_;
    if (reference == time::timestamp::min()) return true;  // nothing archived yet
  }
  retention_result r = apply_retention(*index_, dir_, policy, reference);
  stats_.expired_files += r.deleted + r.moved;
  if (!r.ok) return fail(r.message);
  return true;
}

bool writer::close() {
  if (closed_) return !failed_;
  closed_ = true;
  for (auto& p : open_) {
    if (!close_partition(*p)) {
      // keep closing the others: each closed file is one less to recover
      continue;
    }
  }
  open_.clear();
  last_ = nullptr;
  return !failed_;
}

}  // namespace mimamori::archive
