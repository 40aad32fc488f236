#include "archive/retention.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>

#include "archive/fd_write.hpp"
#include "archive/layout.hpp"

namespace mimamori::archive {

namespace fs = std::filesystem;

namespace {


// Appends the bytes of `from` to `to` (created if missing) and syncs `to`.
std::string append_file(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return from + ": " + std::strerror(errno);
  int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) {
    std::string why = to + ": " + std::strerror(errno);
    ::close(in);
    return why;
  }
  std::string failure;
  auto buffer = std::make_unique<char[]>(1 << 20);
  for (;;) {
    ssize_t n = ::read(in, buffer.get(), 1 << 20);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failure = from + ": " + std::strerror(errno);
      break;
    }
    if (n == 0) break;
    if (!write_all(out, buffer.get(), static_cast<std::size_t>(n))) {
      failure = to + ": " + std::strerror(errno);
      break;
    }
  }
  if (failure.empty() && ::fsync(out) != 0) failure = to + ": " + std::strerror(errno);
  ::close(in);
  if (::close(out) != 0 && failure.empty()) failure = to + ": " + std::strerror(errno);
  return failure;
}

void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Removes the day, month, year and organization directories once empty.
void remove_empty_parents(const fs::path& root, fs::path file) {
  std::error_code ignored;
  for (int i = 0; i < 4; ++i) {
    file = file.parent_path();
    if (file == root || !fs::remove(file, ignored)) break;  // remove() fails unless empty
  }
}

}  // namespace

std::optional<std::chrono::seconds> parse_retention(std::string_view text) noexcept {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return std::nullopt;
  }
  std::int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    if (n > std::numeric_limits<std::int64_t>::max() / 10 / (7 * 86400)) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n == 0) return std::nullopt;
  return std::chrono::seconds{n * unit};
}

retention_result apply_retention(index& idx, const std::string& dir, const retention_policy& policy,
                                 time::timestamp reference) {
  retention_result r;
  // A file expires when hour_start(hour + 1) + keep < reference.
  std::int64_t keep_ns = policy.keep.count() * 1'000'000'000;
  time::timestamp cutoff = time::timestamp::from_nanos(reference.ns - keep_ns);
  std::int64_t last_hour = hour_of(cutoff) - 1;
  auto rows = idx.list("", std::numeric_limits<std::int64_t>::min(), last_hour);
  if (!idx.message().empty() && rows.empty()) {
    r.ok = false;
    r.message = idx.message();
    return r;
  }
  std::unique_ptr<index> cold;
  auto fail = [&r](std::string why) {
    if (r.ok) r.message = std::move(why);
    r.ok = false;
  };
  for (hour_file& row : rows) {
    if (row.open || !(hour_start(row.hour + 1) < cutoff)) continue;
    fs::path src = fs::path(dir) / row.path;
    if (!policy.cold_dir.empty()) {
      try {
        if (!cold) {
          std::error_code made;
          fs::create_directories(policy.cold_dir, made);
          cold = std::make_unique<index>(policy.cold_dir, false);
        }
      } catch (const std::exception& e) {
        fail(e.what());
        return r;
      }
      fs::path dst = fs::path(policy.cold_dir) / row.path;
      std::error_code ec;
      fs::create_directories(dst.parent_path(), ec);
      if (ec) {
        fail(dst.parent_path().string() + ": " + ec.message());
        continue;
      }
      hour_file merged = row;
      auto existing = cold->get(row.organization, row.hour);
      bool renamed = false;
      if (!existing && !fs::exists(dst, ec)) {
        renamed = ::rename(src.c_str(), dst.c_str()) == 0;
        if (!renamed && errno != EXDEV) {
          fail(src.string() + ": cannot move to " + dst.string() + ": " + std::strerror(errno));
          continue;
        }
      }
      if (!renamed) {
        // Another filesystem, or this hour was moved before (a late record
        // reopened it): frames concatenate, so append the bytes.
        std::string why = append_file(src, dst);
        if (!why.empty()) {
          fail(why);
          continue;
        }
        if (existing) {
          merged.records += existing->records;
          merged.compressed_bytes += existing->compressed_bytes;
          merged.raw_bytes += existing->raw_bytes;
          merged.frames += existing->frames;
          if (existing->records > 0) {
            merged.in_order = false;
            merged.first_time = std::min(row.first_time, existing->first_time);
            merged.last_time = std::max(row.last_time, existing->last_time);
            if (row.records == 0) merged.first_time = existing->first_time;
            if (row.records == 0) merged.last_time = existing->last_time;
          }
        }
      }
      sync_directory(dst.parent_path());
      merged.open = false;
      if (!cold->put(merged)) {
        fail(cold->message());
        continue;
      }
      ++r.moved;
    }
    if (!idx.remove(row.organization, row.hour)) {
      fail(idx.message());
      continue;
    }
    std::error_code ec;
    fs::remove(src, ec);  // gone already when it was renamed
    if (ec) fail(src.string() + ": " + ec.message());
    if (policy.cold_dir.empty()) ++r.deleted;
    r.records += row.records;
    remove_empty_parents(fs::path(dir), src);
  }
  return r;
}

}  // namespace mimamori::archive
