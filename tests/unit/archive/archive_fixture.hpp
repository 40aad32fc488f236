// Helpers for the archive tests: records of a known time and organization.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/range_reader.hpp"
#include "time/format.hpp"
#include "time/timestamp.hpp"

namespace mimamori::testing {

// 2024-10-03T00:00:00Z
inline constexpr std::int64_t base_ns = 1'727'913'600'000'000'000;

inline time::timestamp at_ms(std::int64_t ms_after_base) {
  return time::timestamp::from_nanos(base_ns + ms_after_base * 1'000'000);
}

// A record as logcollect writes it (the fast path of record_key).
inline void append_record(std::string& out, time::timestamp t, std::string_view org,
                          std::string_view message) {
  out.append(R"({"@timestamp":")");
  time::append_utc_ms(out, t);
  out.append(R"(","event":{"original":")");
  out.append(message);
  out.append(R"("},"input":{"type":"stdin"},"organization":{"id":")");
  out.append(org);
  out.append("\"}}\n");
}

inline std::string record(time::timestamp t, std::string_view org, std::string_view message) {
  std::string s;
  append_record(s, t, org, message);
  s.pop_back();
  return s;
}

inline std::vector<std::string> replay_all(const std::string& dir, const std::string& org,
                                           time::timestamp from = time::timestamp::min(),
                                           time::timestamp to = time::timestamp::max()) {
  archive::range_reader r(dir, org, from, to);
  std::vector<std::string> out;
  std::string_view line;
  time::timestamp when;
  while (r.next(line, when)) out.emplace_back(line);
  return out;
}

}  // namespace mimamori::testing
