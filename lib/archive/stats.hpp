// stats: record counts per day or hour, from the index alone.
//
// Nothing is decompressed: a month of an organization is a few hundred index
// rows. Counts are per hour file, so a range that does not start and end on
// a whole hour counts the whole first and last hours (the output says which
// hours it covers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/index.hpp"
#include "time/timestamp.hpp"

namespace mimamori::archive {

enum class period { hour, day };

struct period_count {
  std::string organization;
  std::int64_t first_hour = 0;  // the period's first hour
  int hours = 1;                // 1 or 24
  std::uint64_t files = 0;
  std::uint64_t records = 0;
  std::uint64_t compressed_bytes = 0;
  std::uint64_t raw_bytes = 0;
  time::timestamp first_time;  // earliest and latest record of the period
  time::timestamp last_time;
  bool open = false;  // a file of the period is being written: counts may grow
};

// Periods with at least one hour file, for one organization (every one if
// empty), whose hours overlap [from, to); by organization, then time.
[[nodiscard]] std::vector<period_count> count_records(index& idx, const std::string& organization,
                                                      time::timestamp from, time::timestamp to,
                                                      period by);

// One metric record, as logcollect --archive-stats prints it:
// {"@timestamp":<period start>,"event":{"kind":"metric","dataset":"mimamori.archive"},
//  "organization":{"id":..},"mimamori":{"archive":{"period":"day","start":..,"end":..,
//  "files":..,"records":..,"compressed_bytes":..,"raw_bytes":..,"first":..,"last":..,"open":..}}}
void append_count_record(std::string& out, const period_count& c);

}  // namespace mimamori::archive
