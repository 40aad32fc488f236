#include "archive/record_key.hpp"

#include <cstring>

#include "time/civil.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::archive {

namespace {

constexpr std::string_view time_prefix = R"({"@timestamp":")";
constexpr std::string_view org_marker = R"("organization":{"id":")";
constexpr std::size_t stamp_length = 24;  // 2024-10-03T03:00:00.000Z

bool digits(const char* p, std::size_t n, unsigned& value) {
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto d = static_cast<unsigned>(p[i] - '0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  value = v;
  return true;
}

}  // namespace

bool record_key::fast_time(std::string_view line, time::timestamp& out) {
  if (line.size() < time_prefix.size() + stamp_length + 1 ||
      line.compare(0, time_prefix.size(), time_prefix) != 0)
    return false;
  const char* s = line.data() + time_prefix.size();
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[23] != 'Z' || s[24] != '"')
    return false;
  unsigned minute = 0;
  unsigned second = 0;
  unsigned millis = 0;
  if (!digits(s + 14, 2, minute) || !digits(s + 17, 2, second) || !digits(s + 20, 3, millis) ||
      minute > 59 || second > 60)
    return false;
  if (!have_prefix_ || std::memcmp(hour_prefix_, s, sizeof hour_prefix_) != 0) {
    unsigned year = 0;
    unsigned month = 0;
    unsigned day = 0;
    unsigned hour = 0;
    if (!digits(s, 4, year) || !digits(s + 5, 2, month) || !digits(s + 8, 2, day) ||
        !digits(s + 11, 2, hour) || hour > 23 || month < 1 || month > 12 || day < 1 ||
        day > time::days_in_month(static_cast<int>(year), month))
      return false;
    hour_seconds_ = time::days_from_civil(static_cast<int>(year), month, day) * 86400 +
                    static_cast<std::int64_t>(hour) * 3600;
    std::memcpy(hour_prefix_, s, sizeof hour_prefix_);
    have_prefix_ = true;
  }
  std::int64_t seconds = hour_seconds_ + minute * 60 + second;
  out = time::timestamp::from_nanos(seconds * 1'000'000'000 + std::int64_t{millis} * 1'000'000);
  return true;
}

bool record_key::parse(std::string_view line) {
  return parser_.parse_copy(line) == event::parse_error::none;
}

bool record_key::read_time(std::string_view line, time::timestamp& out) {
  if (fast_time(line, out)) return true;
  if (!parse(line)) return false;
  auto text = parser_.current().string("@timestamp");
  if (!text) return false;
  auto t = time::parse_rfc3339(*text);
  if (!t) return false;
  out = *t;
  return true;
}

record_key_result record_key::read(std::string_view line) {
  record_key_result r;
  bool parsed = false;
  r.has_time = fast_time(line, r.time);
  if (!r.has_time) {
    parsed = parse(line);
    if (parsed) {
      if (auto text = parser_.current().string("@timestamp")) {
        if (auto t = time::parse_rfc3339(*text)) {
          r.time = *t;
          r.has_time = true;
        }
      }
    }
  }
  // raw records write organization last: look from the end. Inside a JSON
  // string every '"' is escaped, so the marker cannot match string content.
  std::size_t at = line.rfind(org_marker);
  if (at != std::string_view::npos) {
    std::size_t begin = at + org_marker.size();
    std::size_t end = line.find('"', begin);
    if (end != std::string_view::npos &&
        line.substr(begin, end - begin).find('\\') == std::string_view::npos) {
      r.organization = line.substr(begin, end - begin);
      return r;
    }
  }
  if (!parsed) parsed = parse(line);
  r.organization = "default";
  if (parsed) {
    if (auto id = parser_.current().string("organization.id")) {
      organization_.assign(*id);
      r.organization = organization_;
    }
  }
  return r;
}

}  // namespace mimamori::archive
