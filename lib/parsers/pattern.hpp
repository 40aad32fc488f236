// pattern: the field syntax of user rulebases (in the spirit of
// liblognorm's), compiled to one RE2 regular expression.
//
//   %[%time:char-to:]%] %app:word% - %host:char-to::%:%port:number% open%-:rest%
//
// Text between fields is literal (matched byte for byte; "%%" is one "%").
// A field is %NAME:TYPE% or %NAME:TYPE:ARGUMENT%; NAME "-" matches without
// capturing. %NAME:regex:RE% takes RE (RE2 syntax, "%%" for "%", no
// capturing groups of its own) as the field's regex, as liblognorm's v1
// regex type does. Each named field becomes one capturing group, numbered in the
// order the fields appear; the whole pattern is anchored at both ends. Some
// types imply how the capture converts when the field map does not say
// (number: long, ipv4: ip, date-rfc3164: timestamp...). The table of types
// is field_types() below and the RULEBASE section of lognorm(1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mimamori::parsers {

// What a captured text is turned into when it is set as an ECS field.
enum class value_type : std::uint8_t {
  string,     // as captured (the default)
  lower,      // lowercased (ASCII)
  ip,         // an IPv4/IPv6 address; also added to related.ip
  port,       // a whole number 0..65535
  integer,    // a whole number ("long")
  floating,   // a decimal number ("float", "double")
  boolean,    // true/false, yes/no, 1/0
  user,       // a user name; also added to related.user ("-" is none)
  host,       // a host name; also added to related.hosts
  hash,       // a file hash; also added to related.hash
  timestamp,  // a time, read by `format`, written as UTC RFC 3339
  kv,         // key=value pairs, each set as <target>.<key>
  url,        // url.original and the url.* parts read from it
};

// By the name a rulebase uses ("long", "ip", "timestamp"...); empty when unknown.
[[nodiscard]] std::optional<value_type> value_type_named(std::string_view name);
// "string, lower, ip, ..." for messages.
[[nodiscard]] std::string_view value_type_list();

struct pattern_capture {
  std::string name;
  value_type implied = value_type::string;
  std::string implied_format;  // for timestamps: rfc3164, iso8601
};

// One piece of a pattern: a literal or a field, as written and as a regex
// (for --explain: how far a line got).
struct pattern_piece {
  std::string text;   // as written
  std::string regex;  // its RE2 form (one group when it captures)
  std::size_t column = 0;  // 1-based column of the piece in the pattern
};

struct compiled_pattern {
  std::string regex;  // anchored: ^...$; for RE2's Latin-1 (byte) mode
  std::vector<pattern_capture> captures;  // capture i is group i + 1
  std::vector<pattern_piece> pieces;
};

struct pattern_error {
  std::size_t column = 0;  // 1-based, in the pattern text
  std::string message;
};

struct pattern_result {
  compiled_pattern pattern;
  std::optional<pattern_error> error;
};

[[nodiscard]] pattern_result compile_field_pattern(std::string_view text);

// The field types with their regex and what they imply, for docs and errors.
struct field_type {
  std::string_view name;
  std::string_view regex;  // empty for types that take an argument (char-to, regex)
  value_type implied;
  std::string_view implied_format;
};
[[nodiscard]] const std::vector<field_type>& field_types();

}  // namespace mimamori::parsers
