// record_key: the two things the archive needs from a record, read cheaply:
// its time (@timestamp) and its customer (organization.id).
//
// logcollect's records start with {"@timestamp":"YYYY-MM-DDTHH:MM:SS.mmmZ"
// and hold "organization":{"id":"..."}: those are read in place, without
// parsing the record, and consecutive records of the same hour reuse the
// date arithmetic. A record of another shape is parsed with lib/event (its
// @timestamp any RFC 3339 time). Nothing here allocates per record once the
// parser's buffers have grown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "event/record.hpp"
#include "time/timestamp.hpp"

namespace mimamori::archive {

struct record_key_result {
  time::timestamp time;
  bool has_time = false;          // false: no readable @timestamp
  std::string_view organization;  // valid until the next read(); "default" when missing
};

class record_key {
 public:
  // `line` is one record without its "\n".
  record_key_result read(std::string_view line);
  // Only the time (no organization lookup), for readers of one hour file.
  bool read_time(std::string_view line, time::timestamp& out);

 private:
  bool fast_time(std::string_view line, time::timestamp& out);
  bool parse(std::string_view line);

  event::parser parser_;
  std::string organization_;   // an unescaped id from the slow path
  char hour_prefix_[13] = {};  // "YYYY-MM-DDTHH" of the last fast read
  std::int64_t hour_seconds_ = 0;
  bool have_prefix_ = false;
};

}  // namespace mimamori::archive
