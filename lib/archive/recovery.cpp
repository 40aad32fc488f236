#include "archive/recovery.hpp"

#include <unistd.h>

#include <sys/stat.h>
#include <cerrno>
#include <cstring>

#include "archive/layout.hpp"
#include "archive/reader.hpp"
#include "archive/record_key.hpp"

namespace mimamori::archive {

scan_result scan_hour_file(const std::string& dir, hour_file& row) {
  scan_result r;
  row.records = row.compressed_bytes = row.raw_bytes = row.frames = 0;
  row.in_order = true;
  hour_file_reader reader;
  std::string path = dir + "/" + row.path;
  if (!reader.open(path)) {
    r.message = reader.message();
    return r;
  }
  record_key key;
  std::string_view line;
  while (reader.next(line)) {
    time::timestamp t;
    if (!key.read_time(line, t)) t = row.records > 0 ? row.last_time : hour_start(row.hour);
    if (row.records == 0) {
      row.first_time = row.last_time = t;
    } else {
      if (t < row.last_time) row.in_order = false;
      if (t < row.first_time) row.first_time = t;
      if (t > row.last_time) row.last_time = t;
    }
    ++row.records;
  }
  row.compressed_bytes = r.complete_bytes = reader.complete_bytes();
  row.raw_bytes = reader.raw_bytes();
  row.frames = reader.frames();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_size) > r.complete_bytes)
    r.truncated = static_cast<std::uint64_t>(st.st_size) - r.complete_bytes;
  r.ok = reader.state() != read_state::error;
  if (!r.ok) r.message = reader.message();
  return r;
}

scan_result recover_hour_file(const std::string& dir, hour_file& row) {
  scan_result r = scan_hour_file(dir, row);
  row.open = false;
  if (r.truncated > 0) {
    std::string path = dir + "/" + row.path;
    if (::truncate(path.c_str(), static_cast<off_t>(r.complete_bytes)) != 0) {
      r.ok = false;
      r.message = path + ": cannot cut the unfinished frame: " + std::strerror(errno);
    }
  }
  return r;
}

}  // namespace mimamori::archive
