#include "parsers/rulebase.hpp"

#include <re2/re2.h>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/yaml_documents.hpp"
#include "parsers/pattern.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/civil.hpp"
#include "time/epoch.hpp"
#include "time/parse_any.hpp"
#include "time/rfc3164.hpp"

namespace mimamori::parsers {

namespace {

constexpr std::size_t max_captures = 64;

// ECS fields that are arrays: a value is added, not set.
bool is_array_field(std::string_view path) {
  return starts_with(path, "related.") || path == "event.category" || path == "event.type" ||
         path == "tags" || path == "host.ip" || path == "host.mac" || path == "observer.ip" ||
         path == "observer.mac" || path == "dns.resolved_ip" || path == "dns.header_flags";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The type an ECS field itself calls for, when the rule names none: an
// address, a port, a count, the event time. string for the rest.
value_type type_of_field(std::string_view path) {
  if (path == "@timestamp") return value_type::timestamp;
  if (ends_with(path, ".ip") || path == "host.ip") return value_type::ip;
  if (ends_with(path, ".port")) return value_type::port;
  if (ends_with(path, ".bytes") || ends_with(path, ".packets") || ends_with(path, ".pid") ||
      ends_with(path, ".status_code") || path == "event.severity" || path == "event.duration")
    return value_type::integer;
  return value_type::string;
}

bool valid_path(std::string_view path) {
  if (path.empty() || path.front() == '.' || path.back() == '.') return false;
  if (path.find("..") != std::string_view::npos) return false;
  for (char c : path) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\\') return false;
  }
  return true;
}

// ---- time formats -------------------------------------------------------

// A strftime-like format: %Y %y %m %d %e %H %M %S %f %b %z %%; a blank
// matches one or more blanks; anything else matches itself. Without a year
// the one nearest the receive time is taken (as for RFC 3164 stamps).
bool known_directives(std::string_view format, std::string& bad) {
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 >= format.size()) {
      bad = "%";
      return false;
    }
    const char d = format[++i];
    if (std::string_view("YymdeHMSfbz%").find(d) == std::string_view::npos) {
      bad = std::string("%") + d;
      return false;
    }
  }
  return true;
}

bool read_digits(std::string_view& s, std::size_t max, unsigned& value) {
  std::size_t n = 0;
  value = 0;
  while (n < max && n < s.size() && is_digit(s[n])) value = value * 10 + (s[n++] - '0');
  if (n == 0) return false;
  s.remove_prefix(n);
  return true;
}

std::optional<time::timestamp> read_strftime(std::string_view text, std::string_view format,
                                             const line_context& line) {
  time::civil_time t;
  bool has_year = false;
  std::optional<std::chrono::seconds> offset;
  std::string_view s = text;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char f = format[i];
    if (f == ' ') {
      if (s.empty() || s.front() != ' ') return std::nullopt;
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      continue;
    }
    if (f != '%') {
      if (s.empty() || s.front() != f) return std::nullopt;
      s.remove_prefix(1);
      continue;
    }
    unsigned v = 0;
    switch (format[++i]) {
      case 'Y':
        if (!read_digits(s, 4, v)) return std::nullopt;
        t.year = static_cast<int>(v);
        has_year = true;
        break;
      case 'y':
        if (!read_digits(s, 2, v)) return std::nullopt;
        t.year = 2000 + static_cast<int>(v);
        has_year = true;
        break;
      case 'm':
        if (!read_digits(s, 2, t.month)) return std::nullopt;
        break;
      case 'e':
        if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        [[fallthrough]];
      case 'd':
        if (!read_digits(s, 2, t.day)) return std::nullopt;
        break;
      case 'H':
        if (!read_digits(s, 2, t.hour)) return std::nullopt;
        break;
      case 'M':
        if (!read_digits(s, 2, t.minute)) return std::nullopt;
        break;
      case 'S':
        if (!read_digits(s, 2, t.second)) return std::nullopt;
        break;
      case 'f': {
        std::uint32_t nanos = 0, scale = 100'000'000;
        std::size_t n = 0;
        while (n < s.size() && is_digit(s[n])) {
          if (n < 9) nanos += static_cast<std::uint32_t>(s[n] - '0') * scale;
          scale /= 10;
          ++n;
        }
        if (n == 0) return std::nullopt;
        t.nanos = nanos;
        s.remove_prefix(n);
        break;
      }
      case 'b': {
        static constexpr std::array<std::string_view, 12> months = {
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
        if (s.size() < 3) return std::nullopt;
        const auto it = std::find_if(months.begin(), months.end(), [&](std::string_view m) {
          return vendor::iequals(s.substr(0, 3), m);
        });
        if (it == months.end()) return std::nullopt;
        t.month = static_cast<unsigned>(it - months.begin()) + 1;
        s.remove_prefix(3);
        break;
      }
      case 'z': {
        if (!s.empty() && (s.front() == 'Z' || s.front() == 'z')) {
          offset = std::chrono::seconds(0);
          s.remove_prefix(1);
          break;
        }
        if (s.empty() || (s.front() != '+' && s.front() != '-')) return std::nullopt;
        const int sign = s.front() == '-' ? -1 : 1;
        s.remove_prefix(1);
        unsigned hh = 0, mm = 0;
        if (!read_digits(s, 2, hh)) return std::nullopt;
        if (!s.empty() && s.front() == ':') s.remove_prefix(1);
        if (!s.empty() && is_digit(s.front()) && !read_digits(s, 2, mm)) return std::nullopt;
        offset = std::chrono::seconds(sign * static_cast<int>(hh * 3600 + mm * 60));
        break;
      }
      case '%':
        if (s.empty() || s.front() != '%') return std::nullopt;
        s.remove_prefix(1);
        break;
      default: return std::nullopt;
    }
  }
  if (!s.empty()) return std::nullopt;
  auto to_utc = [&](const time::civil_time& c) -> std::optional<time::timestamp> {
    if (!time::is_valid(c)) return std::nullopt;
    if (offset) {
      auto utc = time::zone::utc().to_utc(c);
      if (!utc) return std::nullopt;
      return time::timestamp{utc->ns - offset->count() * 1'000'000'000};
    }
    return line.tz.to_utc(c);
  };
  if (has_year) return to_utc(t);
  // No year: the one that puts the time nearest the receive time.
  const int year = time::zone::utc().to_local(line.received).year;
  std::optional<time::timestamp> best;
  std::int64_t best_distance = 0;
  for (int y = year - 1; y <= year + 1; ++y) {
    time::civil_time c = t;
    c.year = y;
    auto at = to_utc(c);
    if (!at) continue;
    const std::int64_t d =
        at->ns > line.received.ns ? at->ns - line.received.ns : line.received.ns - at->ns;
    if (!best || d < best_distance) {
      best = at;
      best_distance = d;
    }
  }
  return best;
}

std::optional<time::timestamp> read_time(std::string_view text, std::string_view format,
                                         const line_context& line) {
  if (format.empty() || format == "auto") return time::parse_any(text, line.received, line.tz);
  if (format == "iso8601" || format == "rfc3339") return time::parse_local_iso(text, line.tz);
  if (format == "rfc3164") {
    auto t = time::parse_rfc3164(text, line.received, line.tz);
    if (!t || t->length != text.size()) return std::nullopt;
    return t->value;
  }
  if (format == "epoch") return time::parse_epoch(text);
  if (format == "epoch_ms") return time::parse_epoch(text, time::epoch_unit::millis);
  return read_strftime(text, format, line);
}

bool known_time_format(std::string_view format, std::string& why) {
  if (format.empty() || format == "auto" || format == "iso8601" || format == "rfc3339" ||
      format == "rfc3164" || format == "epoch" || format == "epoch_ms")
    return true;
  if (format.find('%') == std::string_view::npos) {
    why = "unknown time format '" + std::string(format) +
          "' (auto, iso8601, rfc3164, epoch, epoch_ms, or a pattern with %Y %m %d %H %M %S...)";
    return false;
  }
  std::string bad;
  if (!known_directives(format, bad)) {
    why = "time format '" + std::string(format) + "' has an unknown directive '" + bad +
          "' (known: %Y %y %m %d %e %H %M %S %f %b %z %%)";
    return false;
  }
  return true;
}

// ---- conversions --------------------------------------------------------

struct mapping {
  std::string target;       // the ECS path
  std::string target_dot;   // target + "." (kv)
  std::string source;       // capture name, or source key (json, kv)
  int group = -1;           // regex: the capture group
  value_type type = value_type::string;
  std::string format;       // timestamps
  bool array = false;
};

struct constant {
  std::string target;
  std::string text;
  enum class kind : std::uint8_t { string, integer, boolean } type = kind::string;
  std::int64_t number = 0;
  bool array = false;
};

// Sets one converted value; false (and why, when asked) when the text is
// not of the type. `copy`: the text does not live as long as the line.
bool convert(fields& out, const mapping& m, std::string_view v, bool copy,
             const line_context& line, std::string* why) {
  auto fail = [&](std::string_view what) {
    if (why != nullptr) {
      *why = "'" + m.source + "' = '" + std::string(v) + "' is not " + std::string(what) +
             " (for " + m.target + ")";
    }
    return false;
  };
  auto put = [&](std::string_view path, std::string_view text, bool array) {
    if (array)
      copy ? out.add_copy(path, text) : out.add(path, text);
    else
      copy ? out.set_copy(path, text) : out.set(path, text);
  };
  if (v.empty()) return true;
  switch (m.type) {
    case value_type::string: put(m.target, v, m.array); return true;
    case value_type::lower: {
      std::string lowered(v);
      for (char& c : lowered) c = vendor::lower(c);
      m.array ? out.add_copy(m.target, lowered) : out.set_copy(m.target, lowered);
      return true;
    }
    case value_type::ip:
      if (v == "-") return true;
      if (!is_ip(v)) return fail("an IP address");
      put(m.target, v, m.array);
      put("related.ip", v, true);
      return true;
    case value_type::port:
    case value_type::integer: {
      if (v == "-") return true;
      const auto n = to_int(v);
      if (!n) return fail("a whole number");
      if (m.type == value_type::port && (*n < 0 || *n > 65535)) return fail("a port (0-65535)");
      out.set_int(m.target, *n);
      return true;
    }
    case value_type::floating: {
      if (v == "-") return true;
      double d = 0;
      std::string text(v);
      char* end = nullptr;
      errno = 0;
      d = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || errno != 0 || d != d) return fail("a number");
      if (text.front() == '+') text.erase(0, 1);
      if (text.front() == '.') text.insert(0, "0");
      if (text.back() == '.') text.push_back('0');
      out.set_raw(m.target, text);
      return true;
    }
    case value_type::boolean:
      if (vendor::iequals(v, "true") || vendor::iequals(v, "yes") || v == "1") {
        out.set_bool(m.target, true);
      } else if (vendor::iequals(v, "false") || vendor::iequals(v, "no") || v == "0") {
        out.set_bool(m.target, false);
      } else {
        return fail("a boolean");
      }
      return true;
    case value_type::user:
      if (v == "-") return true;
      put(m.target, v, m.array);
      put("related.user", v, true);
      return true;
    case value_type::host:
      if (v == "-") return true;
      put(m.target, v, m.array);
      put("related.hosts", v, true);
      return true;
    case value_type::hash:
      if (v == "-") return true;
      put(m.target, v, m.array);
      put("related.hash", v, true);
      return true;
    case value_type::timestamp: {
      if (v == "-") return true;
      const auto t = read_time(v, m.format, line);
      if (!t) return fail(m.format.empty() ? "a time" : "a time in the form '" + m.format + "'");
      vendor::set_time(out, m.target, *t);
      return true;
    }
    case value_type::kv: {
      std::size_t pos = 0;
      kv_pair pair;
      while (next_kv(v, pos, pair)) {
        if (pair.key.empty()) continue;
        out.set_dynamic(m.target_dot, pair.key, pair.value, copy);
      }
      return true;
    }
    case value_type::url:
      if (v == "-") return true;
      if (copy) {
        // set_url keeps views: give it text that lives in the fields arena.
        out.set_copy("url.original", v);
        set_url(out, out.get("url.original"));
      } else {
        set_url(out, v);
      }
      return true;
  }
  return true;
}

// ---- JSON lookups -------------------------------------------------------

using simdjson::dom::element;

// The value at a dotted path: the key as written first ("id.orig_h" is one
// Zeek key), then walking objects.
bool json_at(element root, std::string_view path, element& out) {
  if (!root.is_object()) return false;
  if (root[path].get(out) == simdjson::SUCCESS) return true;
  element at = root;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    if (!at.is_object() || at[key].get(at) != simdjson::SUCCESS) return false;
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
    element direct;
    if (at.is_object() && at[path].get(direct) == simdjson::SUCCESS) {
      out = direct;
      return true;
    }
  }
  out = at;
  return true;
}

// The text of a JSON value: a string's contents, or the JSON text of
// anything else ("null" is no value).
bool json_text(element e, std::string& scratch, std::string_view& text, bool& is_string) {
  is_string = false;
  if (e.is_null()) return false;
  if (e.is_string()) {
    is_string = true;
    return e.get(text) == simdjson::SUCCESS;
  }
  scratch = simdjson::minify(e);
  text = scratch;
  return true;
}

void keep_members(fields& out, std::string& path, element e, int depth) {
  if (e.is_object() && depth < 32) {
    simdjson::dom::object obj;
    if (e.get(obj) != simdjson::SUCCESS) return;
    for (auto [key, value] : obj) {
      const std::size_t mark = path.size();
      if (!path.empty() && path.back() != '.') path.push_back('.');
      path.append(key);
      keep_members(out, path, value, depth + 1);
      path.resize(mark);
    }
    return;
  }
  if (e.is_null()) return;
  std::string_view s;
  if (e.is_string() && e.get(s) == simdjson::SUCCESS) {
    out.set_dynamic("", path, s, true);
  } else {
    out.set_dynamic_raw("", path, simdjson::minify(e));
  }
}

}  // namespace

bool keep_json_object(fields& out, std::string_view prefix, std::string_view json) {
  thread_local simdjson::dom::parser parser;
  element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || !root.is_object())
    return false;
  std::string path(prefix);
  keep_members(out, path, root, 0);
  return true;
}

// ---- a user rule --------------------------------------------------------

class user_rule final : public parser {
 public:
  enum class format : std::uint8_t { regex, json, kv };

  std::string name_, dataset_, description_, file_;
  int line_ = 0;
  format format_ = format::regex;
  bool whole_line_ = false;
  std::string program_, prefix_, contains_;
  std::unique_ptr<RE2> re_;
  bool field_syntax_ = false;
  compiled_pattern pattern_;  // field syntax: its pieces, for --explain
  std::vector<mapping> mappings_;
  std::vector<constant> constants_;
  std::vector<std::pair<std::string, std::string>> match_;  // json, kv
  std::string keep_;  // json, kv: every key under this namespace ("" none)

  std::string_view name() const override { return name_; }
  std::string_view dataset() const override { return dataset_; }
  std::string_view description() const override { return description_; }

  parse_result parse(const line_context& line, fields& out) const override {
    return {apply(line, out, nullptr), {}};
  }

  outcome apply(const line_context& line, fields& out, std::string* why) const {
    const std::string_view text = whole_line_ ? line.line : line.header.message;
    if (!program_.empty() && line.header.app_name != program_) {
      if (why) *why = "program is '" + std::string(line.header.app_name) + "', not '" + program_ + "'";
      return outcome::no_match;
    }
    if (!starts_with(text, prefix_)) {
      if (why) *why = "the text does not start with '" + prefix_ + "'";
      return outcome::no_match;
    }
    if (!contains_.empty() && text.find(contains_) == std::string_view::npos) {
      if (why) *why = "the text does not contain '" + contains_ + "'";
      return outcome::no_match;
    }
    switch (format_) {
      case format::regex: return apply_regex(text, line, out, why);
      case format::json: return apply_json(text, line, out, why);
      case format::kv: return apply_kv(text, line, out, why);
    }
    return outcome::no_match;
  }

 private:
  void set_constants(fields& out) const {
    for (const constant& c : constants_) {
      switch (c.type) {
        case constant::kind::string:
          c.array ? out.add(c.target, c.text) : out.set(c.target, c.text);
          break;
        case constant::kind::integer: out.set_int(c.target, c.number); break;
        case constant::kind::boolean: out.set_bool(c.target, c.number != 0); break;
      }
    }
  }

  outcome apply_regex(std::string_view text, const line_context& line, fields& out,
                      std::string* why) const {
    std::array<re2::StringPiece, max_captures + 1> groups;
    const int n = re_->NumberOfCapturingGroups() + 1;
    if (!re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                    groups.data(), n)) {
      if (why) *why = near_miss(text);
      return outcome::no_match;
    }
    set_constants(out);
    for (const mapping& m : mappings_) {
      const re2::StringPiece g = groups[static_cast<std::size_t>(m.group)];
      if (g.data() == nullptr) continue;  // an optional group that did not take part
      if (!convert(out, m, std::string_view(g.data(), g.size()), false, line, why))
        return outcome::no_match;
    }
    return outcome::parsed;
  }

  // How far a line got through a field-syntax pattern.
  std::string near_miss(std::string_view text) const {
    if (!field_syntax_ || pattern_.pieces.empty()) return "the regex does not match";
    std::string prefix = "^(";
    std::size_t matched = 0, at = 0;
    for (std::size_t k = 0; k < pattern_.pieces.size(); ++k) {
      const std::string attempt = prefix + pattern_.pieces[k].regex + ")";
      RE2 re(attempt, RE2::Latin1);
      re2::StringPiece whole;
      if (!re.ok() || !RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re, &whole))
        break;
      prefix += pattern_.pieces[k].regex;
      matched = k + 1;
      at = whole.size();
    }
    if (matched == pattern_.pieces.size())
      return "the pattern matches only the first " + std::to_string(at) +
             " bytes; the text goes on: '" + std::string(text.substr(at, 40)) + "'";
    return "the pattern stops at '" + pattern_.pieces[matched].text + "' (pattern column " +
           std::to_string(pattern_.pieces[matched].column) + "), the text there is '" +
           std::string(text.substr(at, 40)) + "'";
  }

  outcome apply_json(std::string_view text, const line_context& line, fields& out,
                     std::string* why) const {
    if (text.empty() || text.front() != '{') {
      if (why) *why = "the text is not a JSON object";
      return outcome::no_match;
    }
    thread_local simdjson::dom::parser json;
    element root;
    if (json.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
      if (why) *why = "the text is not a JSON object";
      return outcome::no_match;
    }
    std::string scratch;
    std::string_view v;
    bool is_string = false;
    for (const auto& [key, want] : match_) {
      element e;
      if (!json_at(root, key, e) || !json_text(e, scratch, v, is_string) || v != want) {
        if (why) *why = "key '" + key + "' is not '" + want + "'";
        return outcome::no_match;
      }
    }
    set_constants(out);
    for (const mapping& m : mappings_) {
      element e;
      if (!json_at(root, m.source, e) || !json_text(e, scratch, v, is_string)) continue;
      if (!is_string && m.type == value_type::string) {
        out.set_raw(m.target, v);  // a number, boolean, object or array stays JSON
        continue;
      }
      if (!convert(out, m, v, true, line, why)) return outcome::no_match;
    }
    if (!keep_.empty()) keep_members_of(out, root);
    return outcome::parsed;
  }

  void keep_members_of(fields& out, element root) const {
    std::string path = keep_;
    keep_members(out, path, root, 0);
  }

  outcome apply_kv(std::string_view text, const line_context& line, fields& out,
                   std::string* why) const {
    // One pass over the pairs; the conditions and mappings are few.
    std::size_t pos = 0;
    kv_pair pair;
    std::size_t pairs = 0;
    std::array<bool, 16> matched{};
    while (next_kv(text, pos, pair)) {
      if (pair.key.empty()) continue;
      ++pairs;
      for (std::size_t i = 0; i < match_.size() && i < matched.size(); ++i) {
        if (match_[i].first == pair.key && match_[i].second == pair.value) matched[i] = true;
      }
    }
    if (pairs == 0) {
      if (why) *why = "the text has no key=value pairs";
      return outcome::no_match;
    }
    for (std::size_t i = 0; i < match_.size() && i < matched.size(); ++i) {
      if (!matched[i]) {
        if (why) *why = "key '" + match_[i].first + "' is not '" + match_[i].second + "'";
        return outcome::no_match;
      }
    }
    set_constants(out);
    pos = 0;
    while (next_kv(text, pos, pair)) {
      if (pair.key.empty()) continue;
      for (const mapping& m : mappings_) {
        if (m.source != pair.key) continue;
        // A quoted value with \" inside keeps its backslashes: unescape it.
        if (pair.quoted && pair.value.find('\\') != std::string_view::npos) {
          std::string value;
          for (std::size_t i = 0; i < pair.value.size(); ++i) {
            if (pair.value[i] == '\\' && i + 1 < pair.value.size()) ++i;
            value.push_back(pair.value[i]);
          }
          if (!convert(out, m, value, true, line, why)) return outcome::no_match;
        } else if (!convert(out, m, pair.value, false, line, why)) {
          return outcome::no_match;
        }
      }
      if (!keep_.empty()) out.set_dynamic(keep_, pair.key, pair.value, false);
    }
    return outcome::parsed;
  }
};

// ---- loading ------------------------------------------------------------

namespace {

struct loader {
  std::string_view file;
  std::vector<std::string>& problems;
  std::size_t before = problems.size();

  void problem(const YAML::Node& at, const std::string& why, int column_offset = 0) {
    const YAML::Mark m = at.Mark();
    std::string where(file);
    if (m.line >= 0) {
      where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1 + column_offset);
    }
    problems.push_back(where + ": " + why);
  }
  [[nodiscard]] bool failed() const { return problems.size() > before; }

  bool scalar(const YAML::Node& node, std::string_view key, std::string& out) {
    if (!node.IsScalar()) {
      problem(node, "'" + std::string(key) + "' must be a string");
      return false;
    }
    out = node.Scalar();
    return true;
  }
};

// " (did you mean 'x'?)" for a word within two edits of a known one.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& known) {
  std::string_view best;
  std::size_t best_distance = 3;
  for (std::string_view k : known) {
    std::vector<std::size_t> row(k.size() + 1);
    for (std::size_t j = 0; j <= k.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= k.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (word[i - 1] == k[j - 1] ? 0 : 1)});
        diagonal = up;
      }
    }
    if (row[k.size()] < best_distance) {
      best_distance = row[k.size()];
      best = k;
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + std::string(best) + "'?)";
}

constexpr std::array<std::string_view, 14> rule_keys = {
    "name",  "dataset", "description", "format", "input", "program", "prefix",
    "contains", "pattern", "regex", "fields", "set", "match", "keep"};

std::unique_ptr<user_rule> load_rule(loader& l, const YAML::Node& node,
                                     const std::vector<const parser*>& known) {
  if (!node.IsMap()) {
    l.problem(node, "a rule must be a mapping (name:, pattern:, fields:...)");
    return nullptr;
  }
  const std::size_t before = l.problems.size();
  auto rule = std::make_unique<user_rule>();
  rule->file_ = std::string(l.file);
  rule->line_ = node.Mark().line + 1;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (std::find(rule_keys.begin(), rule_keys.end(), key) == rule_keys.end()) {
      const std::string hint =
          did_you_mean(key, std::vector<std::string_view>(rule_keys.begin(), rule_keys.end()));
      std::string list;
      for (auto k : rule_keys) list += (list.empty() ? "" : ", ") + std::string(k);
      l.problem(kv.first, "unknown key '" + key + "' in a rule" +
                              (hint.empty() ? " (known: " + list + ")" : hint));
    }
  }
  const YAML::Node name = node["name"];
  if (!name) {
    l.problem(node, "a rule needs a name");
  } else if (l.scalar(name, "name", rule->name_)) {
    if (rule->name_.empty()) l.problem(name, "a rule name must not be empty");
    for (const parser* p : known) {
      if (p->name() == rule->name_) {
        l.problem(name, "rule name '" + rule->name_ + "' is taken (by a built-in parser or an "
                        "earlier rule)");
        break;
      }
    }
  }
  rule->dataset_ = rule->name_;
  if (const YAML::Node n = node["dataset"]) l.scalar(n, "dataset", rule->dataset_);
  if (const YAML::Node n = node["description"]) l.scalar(n, "description", rule->description_);
  if (rule->description_.empty()) rule->description_ = "user rule from " + std::string(l.file);
  if (const YAML::Node n = node["program"]) l.scalar(n, "program", rule->program_);
  if (const YAML::Node n = node["prefix"]) l.scalar(n, "prefix", rule->prefix_);
  if (const YAML::Node n = node["contains"]) l.scalar(n, "contains", rule->contains_);
  if (const YAML::Node n = node["keep"]) {
    if (l.scalar(n, "keep", rule->keep_) && !rule->keep_.empty()) {
      if (!valid_path(rule->keep_))
        l.problem(n, "keep: '" + rule->keep_ + "' is not a field path");
      rule->keep_.push_back('.');
    }
  }
  std::string input = "message";
  if (const YAML::Node n = node["input"]; n && l.scalar(n, "input", input)) {
    if (input != "message" && input != "line")
      l.problem(n, "input: '" + input + "' is neither message (after the syslog envelope) nor line");
  }
  rule->whole_line_ = input == "line";

  std::string format;
  const YAML::Node format_node = node["format"];
  if (format_node) l.scalar(format_node, "format", format);
  const YAML::Node pattern = node["pattern"], regex = node["regex"];
  if (format.empty() || format == "regex") {
    rule->format_ = user_rule::format::regex;
    if (!pattern && !regex) l.problem(node, "a rule needs a pattern: or a regex: (or format: json/kv)");
    if (pattern && regex) l.problem(regex, "a rule has a pattern: or a regex:, not both");
  } else if (format == "json" || format == "kv") {
    rule->format_ = format == "json" ? user_rule::format::json : user_rule::format::kv;
    if (pattern || regex)
      l.problem(pattern ? pattern : regex, "format " + format + " takes no pattern (its fields name keys)");
  } else {
    l.problem(format_node, "unknown format '" + format + "' (regex, json or kv)");
  }

  // The captures a field map may name (regex formats).
  std::vector<std::string> captures;
  std::vector<const pattern_capture*> hints;
  if (rule->format_ == user_rule::format::regex && (pattern || regex) && !(pattern && regex)) {
    std::string text;
    const YAML::Node& at = pattern ? pattern : regex;
    if (l.scalar(at, pattern ? "pattern" : "regex", text)) {
      std::string re_text = text;
      bool ok = true;
      if (pattern) {
        pattern_result r = compile_field_pattern(text);
        if (r.error) {
          l.problem(at, "pattern: " + r.error->message,
                    static_cast<int>(r.error->column) - 1 + (at.Tag() == "!" ? 1 : 0));
          ok = false;
        } else {
          rule->pattern_ = std::move(r.pattern);
          rule->field_syntax_ = true;
          re_text = rule->pattern_.regex;
        }
      }
      if (ok) {
        RE2::Options options;
        options.set_log_errors(false);
        // A field-syntax pattern matches bytes (RE2's Latin-1 mode): a line
        // that is not valid UTF-8 still matches, and any literal is valid.
        if (pattern) options.set_encoding(RE2::Options::EncodingLatin1);
        rule->re_ = std::make_unique<RE2>(re_text, options);
        if (!rule->re_->ok()) {
          l.problem(at, "invalid regex: " + rule->re_->error());
          rule->re_.reset();
        } else if (rule->re_->NumberOfCapturingGroups() > static_cast<int>(max_captures)) {
          l.problem(at, "more than " + std::to_string(max_captures) + " capture groups");
          rule->re_.reset();
        } else if (pattern) {
          for (const pattern_capture& c : rule->pattern_.captures) {
            captures.push_back(c.name);
            hints.push_back(&c);
          }
        } else {
          captures.assign(static_cast<std::size_t>(rule->re_->NumberOfCapturingGroups()), "");
          hints.assign(captures.size(), nullptr);
          for (const auto& [group_name, index] : rule->re_->NamedCapturingGroups())
            captures[static_cast<std::size_t>(index - 1)] = group_name;
        }
      }
    }
  }

  // fields: ECS path -> capture (or source key), or {from, type, format}.
  if (const YAML::Node fields_node = node["fields"]) {
    if (!fields_node.IsMap()) {
      l.problem(fields_node, "fields: must map ECS paths to captures (source.ip: src)");
    } else {
      for (const auto& kv : fields_node) {
        mapping m;
        m.target = kv.first.Scalar();
        if (!valid_path(m.target)) {
          l.problem(kv.first, "'" + m.target + "' is not an ECS field path");
          continue;
        }
        const YAML::Node v = kv.second;
        std::string type_name;
        bool has_type = false;
        if (v.IsScalar()) {
          m.source = v.Scalar();
        } else if (v.IsMap()) {
          for (const auto& inner : v) {
            const std::string k = inner.first.Scalar();
            if (k != "from" && k != "type" && k != "format")
              l.problem(inner.first, "unknown key '" + k + "' in a field (from, type, format)");
          }
          if (const YAML::Node f = v["from"]) l.scalar(f, "from", m.source);
          else l.problem(v, "field " + m.target + " needs from: (the capture or key it reads)");
          if (const YAML::Node t = v["type"]) has_type = l.scalar(t, "type", type_name);
          if (const YAML::Node f = v["format"]) l.scalar(f, "format", m.format);
        } else {
          l.problem(v, "field " + m.target + ": give a capture name or {from, type, format}");
          continue;
        }
        if (m.source.empty()) continue;
        if (rule->format_ == user_rule::format::regex && rule->re_) {
          const auto it = std::find(captures.begin(), captures.end(), m.source);
          if (it == captures.end()) {
            std::string list;
            for (const auto& c : captures) {
              if (!c.empty()) list += (list.empty() ? "" : ", ") + c;
            }
            l.problem(v, "capture '" + m.source + "' is not in the pattern (its captures: " +
                             (list.empty() ? "none" : list) + ")");
            continue;
          }
          m.group = static_cast<int>(it - captures.begin()) + 1;
          const pattern_capture* hint = hints[static_cast<std::size_t>(m.group - 1)];
          if (!has_type && hint != nullptr) {
            m.type = hint->implied;
            if (m.format.empty()) m.format = hint->implied_format;
          }
        }
        // No type given: the ECS field decides (source.port a port...), then
        // the pattern's field type.
        if (!has_type) {
          const value_type wanted = type_of_field(m.target);
          if (wanted != value_type::string && wanted != m.type) {
            m.type = wanted;
            if (wanted != value_type::timestamp) m.format.clear();
          }
        }
        if (has_type) {
          const auto t = value_type_named(type_name);
          if (!t) {
            const std::string hint = did_you_mean(
                type_name, {"string", "lower", "ip", "port", "long", "float", "boolean", "user",
                            "host", "hash", "timestamp", "kv", "url"});
            l.problem(v["type"], "unknown type '" + type_name + "' for " + m.target +
                                     (hint.empty() ? " (known: " + std::string(value_type_list()) +
                                                         ")"
                                                   : hint));
            continue;
          }
          m.type = *t;
        }
        if (!m.format.empty() && m.type != value_type::timestamp)
          l.problem(v, "format: is for type timestamp (" + m.target + ")");
        std::string why;
        if (m.type == value_type::timestamp && !known_time_format(m.format, why))
          l.problem(v.IsMap() && v["format"] ? v["format"] : v, why);
        if (m.type == value_type::url && m.target != "url.original")
          l.problem(v, "type url sets url.*: map it to url.original, not " + m.target);
        m.target_dot = m.target + ".";
        m.array = is_array_field(m.target);
        rule->mappings_.push_back(std::move(m));
      }
    }
  }

  // set: constants.
  if (const YAML::Node set_node = node["set"]) {
    if (!set_node.IsMap()) {
      l.problem(set_node, "set: must map ECS paths to values (event.category: [network])");
    } else {
      for (const auto& kv : set_node) {
        const std::string target = kv.first.Scalar();
        if (!valid_path(target)) {
          l.problem(kv.first, "'" + target + "' is not an ECS field path");
          continue;
        }
        auto add = [&](const YAML::Node& value, bool array) {
          if (!value.IsScalar()) {
            l.problem(value, "set: " + target + " takes a value or a list of values");
            return;
          }
          constant c;
          c.target = target;
          c.text = value.Scalar();
          c.array = array || is_array_field(target);
          if (value.Tag() == "?" && !c.array) {  // a plain scalar: a number or boolean?
            if (auto n = to_int(c.text)) {
              c.type = constant::kind::integer;
              c.number = *n;
            } else if (c.text == "true" || c.text == "false") {
              c.type = constant::kind::boolean;
              c.number = c.text == "true" ? 1 : 0;
            }
          }
          rule->constants_.push_back(std::move(c));
        };
        if (kv.second.IsSequence()) {
          for (const auto& item : kv.second) add(item, true);
        } else {
          add(kv.second, false);
        }
      }
    }
  }

  // match: key: value conditions (json, kv).
  if (const YAML::Node match = node["match"]) {
    if (rule->format_ == user_rule::format::regex) {
      l.problem(match, "match: is for format json or kv (a pattern matches by itself)");
    } else if (!match.IsMap()) {
      l.problem(match, "match: must map keys to the values they must have");
    } else {
      for (const auto& kv : match) {
        if (!kv.second.IsScalar()) {
          l.problem(kv.second, "match: " + kv.first.Scalar() + " takes one value");
          continue;
        }
        rule->match_.emplace_back(kv.first.Scalar(), kv.second.Scalar());
      }
      if (rule->match_.size() > 16) l.problem(match, "match: takes at most 16 conditions");
    }
  }
  if (l.problems.size() > before) return nullptr;
  return rule;
}

}  // namespace

rulebase::rulebase() = default;
rulebase::~rulebase() = default;
rulebase::rulebase(rulebase&&) noexcept = default;
rulebase& rulebase::operator=(rulebase&&) noexcept = default;

void rulebase::load_file(const std::string& path, std::vector<std::string>& problems) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back(path + ": cannot read the rulebase: " + std::strerror(errno));
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  load_text(text.str(), path, problems);
}

void rulebase::load_text(std::string_view text, std::string_view file,
                         std::vector<std::string>& problems) {
  loader l{file, problems};
  YAML::Node root;
  try {
    root = config::load_document(text);
  } catch (const YAML::Exception& e) {
    problems.push_back(std::string(file) + ":" + std::to_string(e.mark.line + 1) + ":" +
                       std::to_string(e.mark.column + 1) + ": YAML: " + e.msg);
    return;
  }
  const YAML::Node rules = root.IsMap() ? root["rules"] : YAML::Node();
  if (!rules || !rules.IsSequence()) {
    problems.push_back(std::string(file) + ": a rulebase is a mapping with a list under rules:");
    return;
  }
  for (const auto& key : root) {
    if (key.first.Scalar() != "rules")
      l.problem(key.first, "unknown key '" + key.first.Scalar() + "' (a rulebase has rules:)");
  }
  std::vector<const parser*> known = all();
  known.push_back(&nginx_access());
  known.insert(known.end(), view_.begin(), view_.end());
  std::vector<std::unique_ptr<user_rule>> loaded;
  for (const auto& node : rules) {
    try {
      auto rule = load_rule(l, node, known);
      if (rule) {
        known.push_back(rule.get());
        loaded.push_back(std::move(rule));
      }
    } catch (const YAML::Exception& e) {
      l.problem(node, std::string("YAML: ") + e.what());
    }
  }
  if (l.failed()) return;
  for (auto& rule : loaded) {
    view_.push_back(rule.get());
    owned_.push_back(std::move(rule));
  }
}

const parser* rulebase::find(std::string_view name) const {
  for (const parser* p : view_) {
    if (p->name() == name) return p;
  }
  return nullptr;
}

const user_rule* rulebase::user_of(const parser& p) const {
  for (const auto& rule : owned_) {
    if (rule.get() == &p) return rule.get();
  }
  return nullptr;
}

std::string rulebase::origin(const parser& rule) const {
  const user_rule* u = user_of(rule);
  return u == nullptr ? std::string() : u->file_ + ":" + std::to_string(u->line_);
}

std::string rulebase::why_not(const parser& rule, const line_context& line) const {
  const user_rule* u = user_of(rule);
  if (u == nullptr) return {};
  fields scratch;
  std::string why;
  if (u->apply(line, scratch, &why) == outcome::parsed) return {};
  return why.empty() ? "no match" : why;
}

}  // namespace mimamori::parsers
