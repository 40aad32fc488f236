// parser_fuzz: what the payload-parser fuzz targets share. One parser reads
// a line (its envelope read first, as lognorm does); whatever it says, the
// fields it set must write a valid JSON object, and a broken line must say
// why.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "parsers/fields.hpp"
#include "parsers/parser.hpp"
#include "syslog/header.hpp"

namespace mimamori::fuzz {

inline void check_parser(const parsers::parser& p, std::string_view input) {
  // A copy of exactly the input's size, so reading past it is caught.
  const std::string line(input);
  const time::timestamp received = time::timestamp::from_seconds(1727924400);
  const time::zone& tz = time::zone::utc();
  syslog::header header;
  syslog::parse_header(line, {received, tz}, header);
  parsers::fields out;
  const parsers::line_context context{line, header, received, tz};
  const parsers::parse_result r = p.parse(context, out);
  if (r.what == parsers::outcome::broken && r.reason.empty()) std::abort();
  out.trust_utf8(simdjson::validate_utf8(line.data(), line.size()));
  out.set("event.original", line);
  std::string json = "{";
  out.write_members(json, true);
  json += "}";
  // Twice: the second write takes the shape the first one worked out.
  std::string again = "{";
  out.write_members(again, true);
  again += "}";
  if (again != json) std::abort();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS || !doc.is_object()) std::abort();
  // Nothing lost: the original line reads back whole when it was valid UTF-8.
  if (simdjson::validate_utf8(line.data(), line.size())) {
    std::string_view original;
    if (doc.at_pointer("/event/original").get(original) != simdjson::SUCCESS) std::abort();
    if (original != line) std::abort();
  }
}

}  // namespace mimamori::fuzz
