#include "parsers/pattern.hpp"

#include <re2/re2.h>

#include <array>

namespace mimamori::parsers {
namespace {

constexpr std::string_view iso_regex =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?"
    "(?:Z|[+-][0-9]{2}:?[0-9]{2})?";

struct named_type {
  std::string_view name;
  value_type type;
};
constexpr std::array<named_type, 19> value_type_names = {{
    {"string", value_type::string},   {"keyword", value_type::string},
    {"lower", value_type::lower},     {"ip", value_type::ip},
    {"port", value_type::port},       {"long", value_type::integer},
    {"integer", value_type::integer}, {"float", value_type::floating},
    {"double", value_type::floating}, {"boolean", value_type::boolean},
    {"user", value_type::user},       {"host", value_type::host},
    {"hash", value_type::hash},       {"timestamp", value_type::timestamp},
    {"date", value_type::timestamp},  {"kv", value_type::kv},
    {"url", value_type::url},         {"number", value_type::integer},
    {"text", value_type::string},
}};

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

// A character class that excludes `c`.
std::string not_char(char c) {
  std::string out = "[^";
  if (c == '\\' || c == ']' || c == '^' || c == '-' || c == '[') out.push_back('\\');
  out.push_back(c);
  out += "]";
  return out;
}

}  // namespace

std::optional<value_type> value_type_named(std::string_view name) {
  for (const auto& t : value_type_names) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

std::string_view value_type_list() {
  return "string, lower, ip, port, long, float, boolean, user, host, hash, timestamp, kv, url";
}

const std::vector<field_type>& field_types() {
  static const std::vector<field_type> types = {
      {"word", "[^ ]+", value_type::string, ""},
      {"char-to", "", value_type::string, ""},  // %x:char-to:C%: up to C (not C)
      {"rest", ".*", value_type::string, ""},
      {"number", "[0-9]+", value_type::integer, ""},
      {"float", "[-+]?[0-9]+(?:\\.[0-9]+)?", value_type::floating, ""},
      {"hexnumber", "0[xX][0-9A-Fa-f]+", value_type::string, ""},
      {"ipv4", "(?:[0-9]{1,3}\\.){3}[0-9]{1,3}", value_type::ip, ""},
      {"ipv6", "[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?", value_type::ip, ""},
      {"ip",
       "(?:(?:[0-9]{1,3}\\.){3}[0-9]{1,3}|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?)",
       value_type::ip, ""},
      {"mac48", "[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}", value_type::lower, ""},
      {"quoted-string", "\"([^\"]*)\"", value_type::string, ""},  // captures the inside
      {"date-rfc3164", "[A-Za-z]{3} [ 0-9]?[0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}",
       value_type::timestamp, "rfc3164"},
      {"date-iso", iso_regex, value_type::timestamp, "iso8601"},
      {"date-rfc5424", iso_regex, value_type::timestamp, "iso8601"},
      {"kv", ".*", value_type::kv, ""},
      {"name-value-list", ".*", value_type::kv, ""},
      {"whitespace", "[ \\t]+", value_type::string, ""},
      {"regex", "", value_type::string, ""},  // %x:regex:RE%: RE2 syntax, "%%" for "%"
  };
  return types;
}

pattern_result compile_field_pattern(std::string_view text) {
  pattern_result result;
  compiled_pattern& p = result.pattern;
  auto fail = [&](std::size_t at, std::string message) {
    result.error = pattern_error{at + 1, std::move(message)};
    return result;
  };
  std::string literal;
  std::size_t literal_at = 0;
  auto flush_literal = [&] {
    if (literal.empty()) return;
    p.pieces.push_back({literal, RE2::QuoteMeta(literal), literal_at + 1});
    literal.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '%') {
      if (literal.empty()) literal_at = i;
      literal.push_back(text[i++]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '%') {
      if (literal.empty()) literal_at = i;
      literal.push_back('%');
      i += 2;
      continue;
    }
    const std::size_t start = i;
    std::size_t end = text.find('%', i + 1);
    if (end == std::string_view::npos)
      return fail(start, "field '%' is not closed by another '%' (write %% for a literal %)");
    const std::string_view spec = text.substr(i + 1, end - i - 1);
    const std::size_t colon = spec.find(':');
    if (colon == std::string_view::npos)
      return fail(start, "field '%" + std::string(spec) + "%' has no type (%NAME:TYPE%)");
    const std::string_view name = spec.substr(0, colon);
    std::string_view type = spec.substr(colon + 1);
    std::string_view argument;
    bool has_argument = false;
    std::size_t argument_at = 0;  // offset of the argument in text
    std::string regex_argument;   // a regex field's argument, "%%" read as "%"
    if (const std::size_t c2 = type.find(':'); c2 != std::string_view::npos) {
      argument = type.substr(c2 + 1);
      type = type.substr(0, c2);
      has_argument = true;
      argument_at = start + 1 + colon + 1 + c2 + 1;
    }
    if (type == "regex" && has_argument) {
      // The regex runs to the first single '%'; "%%" in it is one '%'.
      std::size_t j = argument_at;
      for (; j < text.size(); ++j) {
        if (text[j] != '%') {
          regex_argument.push_back(text[j]);
        } else if (j + 1 < text.size() && text[j + 1] == '%') {
          regex_argument.push_back('%');
          ++j;
        } else {
          break;
        }
      }
      if (j >= text.size())
        return fail(start, "regex field is not closed by a '%' (write %% for a % in the regex)");
      end = j;
      argument = regex_argument;
    }
    if (name != "-" && !valid_name(name))
      return fail(start + 1, "field name '" + std::string(name) +
                                 "' is not letters, digits, '_', '.' or '@' (or '-' to skip)");
    const field_type* ft = nullptr;
    for (const field_type& t : field_types()) {
      if (t.name == type) ft = &t;
    }
    if (ft == nullptr) {
      std::string known;
      for (const field_type& t : field_types()) {
        if (!known.empty()) known += ", ";
        known += t.name;
      }
      return fail(start + 1 + colon + 1,
                  "unknown field type '" + std::string(type) + "' (known: " + known + ")");
    }
    std::string body;
    if (ft->name == "char-to") {
      if (!has_argument || argument.size() != 1)
        return fail(start, "char-to takes one character: %" + std::string(name) +
                               ":char-to:C% (up to the first C)");
      body = not_char(argument[0]) + "+";
    } else if (ft->name == "regex") {
      if (!has_argument || argument.empty())
        return fail(start, "regex takes a pattern: %" + std::string(name) + ":regex:RE%");
      // Checked alone, in the byte mode the whole pattern is compiled in.
      RE2::Options options;
      options.set_log_errors(false);
      options.set_encoding(RE2::Options::EncodingLatin1);
      const RE2 re(argument, options);
      if (!re.ok()) return fail(argument_at, "regex of field '" + std::string(name) + "': " + re.error());
      if (re.NumberOfCapturingGroups() > 0)
        return fail(argument_at, "regex of field '" + std::string(name) +
                                     "' has a capturing group; write (?:...) (the field is the capture)");
      body = std::string(argument);
    } else {
      if (has_argument)
        return fail(start, "field type '" + std::string(type) + "' takes no argument");
      body = ft->regex;
    }
    flush_literal();
    pattern_piece piece{std::string(text.substr(start, end - start + 1)), {}, start + 1};
    if (name == "-") {
      if (ft->name == "quoted-string")
        piece.regex = "\"[^\"]*\"";
      else
        piece.regex = "(?:" + body + ")";
    } else {
      for (const pattern_capture& c : p.captures) {
        if (c.name == name)
          return fail(start + 1, "field name '" + std::string(name) + "' is used twice");
      }
      p.captures.push_back({std::string(name), ft->implied, std::string(ft->implied_format)});
      piece.regex = ft->name == "quoted-string" ? body : "(" + body + ")";
    }
    p.pieces.push_back(std::move(piece));
    i = end + 1;
  }
  flush_literal();
  p.regex = "^";
  for (const pattern_piece& piece : p.pieces) p.regex += piece.regex;
  p.regex += "$";
  return result;
}

}  // namespace mimamori::parsers
