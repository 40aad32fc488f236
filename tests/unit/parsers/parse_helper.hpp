// parse_helper: runs the envelope and one parser on a line, as lognorm does,
// and gives the fields as path -> JSON text for assertions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "parsers/fields.hpp"
#include "parsers/parser.hpp"
#include "syslog/header.hpp"

namespace mimamori::parsers::testing {

struct parsed {
  outcome what = outcome::no_match;
  std::string reason;
  std::map<std::string, std::string> fields;  // path -> JSON text
  [[nodiscard]] std::string get(const std::string& path) const {
    auto it = fields.find(path);
    return it == fields.end() ? std::string("<absent>") : it->second;
  }
  [[nodiscard]] bool has(const std::string& path) const { return fields.count(path) > 0; }
};

// Received 2024-10-03T03:00:00Z, zone UTC unless told.
inline parsed run(const parser& p, std::string_view line, time::zone tz = time::zone::utc()) {
  syslog::header h;
  const auto received = time::timestamp::from_seconds(1727924400);
  syslog::parse_header(line, {received, tz}, h);
  fields out;
  const line_context context{line, h, received, tz};
  const parse_result r = p.parse(context, out);
  parsed result;
  result.what = r.what;
  result.reason = std::string(r.reason);
  std::string scratch;
  out.each_json(scratch, [&](std::string_view path, std::string_view json) {
    result.fields[std::string(path)] = std::string(json);
  });
  return result;
}

// Which parser detection picks for a line ("" for none).
inline std::string detect(std::string_view line) {
  syslog::header h;
  const auto received = time::timestamp::from_seconds(1727924400);
  const auto tz = time::zone::utc();
  syslog::parse_header(line, {received, tz}, h);
  for (const parser* p : all()) {
    fields out;
    if (p->parse({line, h, received, tz}, out).what != outcome::no_match)
      return std::string(p->name());
  }
  return "";
}

}  // namespace mimamori::parsers::testing
