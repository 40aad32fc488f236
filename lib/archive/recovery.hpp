// recovery: what an hour file really holds, read from the file itself.
//
// After a crash the index may lag the files: a file still marked 'open' may
// hold more frames than its row counts, and its last frame may be cut.
// scan_hour_file() reads every complete frame and counts the records;
// recover_hour_file() also cuts the file back to its last complete frame so
// that new frames can be appended after it, and returns the row to store.
#pragma once

#include <cstdint>
#include <string>

#include "archive/index.hpp"

namespace mimamori::archive {

struct scan_result {
  bool ok = false;  // false: message says why (the counts cover what was read)
  std::string message;
  std::uint64_t truncated = 0;  // bytes after the last complete frame
  std::uint64_t complete_bytes = 0;
};

// Fills the counts of `row` (records, first/last time, bytes, frames,
// in_order) from the file DIR/row.path.
scan_result scan_hour_file(const std::string& dir, hour_file& row);

// scan_hour_file, then truncates a cut last frame (or a frame that does not
// decompress, and everything after it) so the file ends after its last good
// frame. row.open is set to false.
scan_result recover_hour_file(const std::string& dir, hour_file& row);

}  // namespace mimamori::archive
