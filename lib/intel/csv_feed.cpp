// csv_feed: CSV feeds with a header row, and JSON record exports that use
// the same names (abuse.ch Feodo Tracker, URLhaus, ThreatFox, MalwareBazaar
// and the many feeds shaped like them). Column names decide what each
// column is; see role_of().
#include <algorithm>
#include <array>
#include <vector>

#include "intel/feed_parsers.hpp"

namespace mimamori::intel::detail {

namespace {

enum class role : std::uint8_t {
  none,
  value,  // the indicator, its type told by its shape or a type column
  value_ip,
  value_domain,
  value_url,
  value_md5,
  value_sha1,
  value_sha256,
  value_type,  // names the type of `value`
  first_seen,
  valid_from,
  valid_until,
  description,  // in order of preference: see description_rank
  tags,
  provider,
  confidence,
  reference,
};

std::string column_key(std::string_view name) {
  name = trim(name);
  while (!name.empty() && (name.front() == '"' || name.front() == '#')) {
    name.remove_prefix(1);
    name = trim(name);
  }
  while (!name.empty() && name.back() == '"') name.remove_suffix(1);
  std::string key;
  for (char c : trim(name)) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '-' || c == '.') c = '_';
    key.push_back(c);
  }
  return key;
}

// Smaller is preferred when several columns describe the indicator.
int description_rank(std::string_view key) {
  static constexpr std::array<std::string_view, 8> order = {
      "description", "malware_printable", "malware", "threat_type",
      "threat",      "signature",         "comment", "category"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (key == order[i]) return static_cast<int>(i);
  }
  return -1;
}

role role_of(std::string_view key) {
  struct name_role {
    std::string_view name;
    role r;
  };
  static constexpr std::array<name_role, 54> names = {{
      {"ioc", role::value},
      {"ioc_value", role::value},
      {"indicator", role::value},
      {"value", role::value},
      {"observable", role::value},
      {"ip", role::value_ip},
      {"ip_address", role::value_ip},
      {"ipaddress", role::value_ip},
      {"dst_ip", role::value_ip},
      {"src_ip", role::value_ip},
      {"source_ip", role::value_ip},
      {"destination_ip", role::value_ip},
      {"ip_addr", role::value_ip},
      {"ipaddr", role::value_ip},
      {"saddr", role::value_ip},
      {"cidr", role::value_ip},
      {"domain", role::value_domain},
      {"domain_name", role::value_domain},
      {"hostname", role::value_domain},
      {"host", role::value_domain},
      {"fqdn", role::value_domain},
      {"url", role::value_url},
      {"md5", role::value_md5},
      {"md5_hash", role::value_md5},
      {"sha1", role::value_sha1},
      {"sha1_hash", role::value_sha1},
      {"sha256", role::value_sha256},
      {"sha256_hash", role::value_sha256},
      {"ioc_type", role::value_type},
      {"indicator_type", role::value_type},
      {"type", role::value_type},
      {"first_seen", role::first_seen},
      {"first_seen_utc", role::first_seen},
      {"firstseen", role::first_seen},
      {"first_seen_at", role::first_seen},
      {"firstseenat", role::first_seen},
      {"dateadded", role::first_seen},
      {"date_added", role::first_seen},
      {"valid_from", role::valid_from},
      {"valid_until", role::valid_until},
      {"expiration_date", role::valid_until},
      {"expires", role::valid_until},
      {"expiration", role::valid_until},
      {"tags", role::tags},
      {"tag", role::tags},
      {"labels", role::tags},
      {"reporter", role::provider},
      {"provider", role::provider},
      {"confidence", role::confidence},
      {"confidence_level", role::confidence},
      {"reference", role::reference},
      {"urlhaus_link", role::reference},
      {"link", role::reference},
      {"references", role::reference},
  }};
  for (const auto& n : names) {
    if (n.name == key) return n.r;
  }
  if (description_rank(key) >= 0) return role::description;
  return role::none;
}

bool is_value_role(role r) {
  return r >= role::value && r <= role::value_sha256;
}

std::optional<indicator_type> type_of_role(role r) {
  switch (r) {
    case role::value_ip: return indicator_type::ip;
    case role::value_domain: return indicator_type::domain;
    case role::value_url: return indicator_type::url;
    case role::value_md5: return indicator_type::md5;
    case role::value_sha1: return indicator_type::sha1;
    case role::value_sha256: return indicator_type::sha256;
    default: return std::nullopt;
  }
}

// ThreatFox-style type names: "ip:port", "md5_hash", "domain", "url".
std::optional<indicator_type> parse_value_type(std::string_view text) {
  text = trim(text);
  if (text == "ip:port" || text == "ip") return indicator_type::ip;
  return parse_type_name(text);
}

// Splits one CSV line (RFC 4180 quoting, within the line) into fields.
void split_csv(std::string_view line, char delimiter, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
    } else if (c == '"' && trim(field).empty()) {
      field.clear();
      quoted = true;
    } else if (c == delimiter) {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(std::move(field));
}

char delimiter_of(std::string_view header) {
  for (char d : {',', '\t', ';', '|'}) {
    if (header.find(d) != std::string_view::npos) return d;
  }
  return ',';
}

// The columns a header row names, or empty when it names no value column.
std::vector<role> header_roles(std::string_view line, char delimiter) {
  std::vector<std::string> fields;
  split_csv(line, delimiter, fields);
  std::vector<role> roles;
  bool has_value = false;
  for (const auto& f : fields) {
    roles.push_back(role_of(column_key(f)));
    has_value = has_value || is_value_role(roles.back());
  }
  if (!has_value || fields.size() < 2) roles.clear();
  return roles;
}

bool is_comment(std::string_view line) {
  return !line.empty() && (line.front() == '#' || line.front() == ';');
}

std::string_view uncomment(std::string_view line) {
  while (!line.empty() && (line.front() == '#' || line.front() == ';')) line.remove_prefix(1);
  return trim(line);
}

// One record's fields, by role, as strings.
struct record_fields {
  struct value_field {
    role r;
    std::string text;
  };
  std::vector<value_field> values;
  std::string type, first_seen, valid_from, valid_until, provider, confidence, reference;
  std::string description;
  int rank = 1000;  // of the description kept
  std::vector<std::string> tags;

  void clear() {
    values.clear();
    type.clear();
    first_seen.clear();
    valid_from.clear();
    valid_until.clear();
    provider.clear();
    confidence.clear();
    reference.clear();
    description.clear();
    rank = 1000;
    tags.clear();
  }

  void set(role r, std::string_view key, std::string_view text) {
    text = trim(text);
    if (text.empty()) return;
    switch (r) {
      case role::none: break;
      case role::value_type: type = text; break;
      case role::first_seen: first_seen = text; break;
      case role::valid_from: valid_from = text; break;
      case role::valid_until: valid_until = text; break;
      case role::provider: provider = text; break;
      case role::confidence: confidence = text; break;
      case role::reference: reference = text; break;
      case role::tags: {
        // "elf,Mozi" in one CSV field.
        while (!text.empty()) {
          std::size_t comma = text.find(',');
          std::string_view tag = trim(text.substr(0, comma));
          if (!tag.empty() && tag != "None") tags.emplace_back(tag);
          if (comma == std::string_view::npos) break;
          text.remove_prefix(comma + 1);
        }
        break;
      }
      case role::description: {
        int candidate = description_rank(key);
        if (candidate < rank && text != "None") {
          description = text;
          rank = candidate;
        }
        break;
      }
      default: values.push_back({r, std::string(text)}); break;
    }
  }
};

std::string shown(std::string_view value) {
  if (value.size() > 80) return std::string(value.substr(0, 77)) + "...";
  return std::string(value);
}

// Adds the record's indicators; problems are reported against `line`.
void emit(const record_fields& rec, std::uint64_t line, sink& out) {
  if (rec.values.empty()) {
    out.bad(line, "no indicator value in this record");
    return;
  }
  context c;
  c.provider = rec.provider;
  c.description = rec.description;
  c.reference = rec.reference;
  c.tags = rec.tags;
  if (!rec.confidence.empty()) {
    int value = 0;
    bool digits = std::all_of(rec.confidence.begin(), rec.confidence.end(),
                              [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits && rec.confidence.size() <= 3) {
      value = std::stoi(rec.confidence);
      if (value <= 100) c.confidence = value;
    }
  }
  std::optional<time::timestamp> first;
  if (!rec.first_seen.empty()) {
    first = parse_feed_time(rec.first_seen);
    if (!first) {
      out.bad(line, "unreadable first seen time '" + shown(rec.first_seen) + "'");
    }
  }
  if (!rec.valid_from.empty()) {
    c.valid_from = parse_feed_time(rec.valid_from);
    if (!c.valid_from) out.bad(line, "unreadable valid_from '" + shown(rec.valid_from) + "'");
  }
  if (!rec.valid_until.empty()) {
    c.valid_until = parse_feed_time(rec.valid_until);
    if (!c.valid_until) {
      out.bad(line, "unreadable valid_until '" + shown(rec.valid_until) + "'");
    }
  }
  std::uint32_t ctx = out.context_id(std::move(c));
  for (const auto& v : rec.values) {
    std::optional<indicator_type> type = type_of_role(v.r);
    if (!type && !rec.type.empty()) type = parse_value_type(rec.type);
    std::optional<detected> value = type ? read_as(*type, v.text) : detect(v.text);
    // An address column may carry a port ("192.0.2.1:443") or a URL column a
    // bare host: fall back on the value's shape.
    if (!value && type) value = detect(v.text);
    if (!value) {
      out.bad(line, "cannot read '" + shown(v.text) + "' as " +
                        (type ? std::string(type_name(*type)) : std::string("an indicator")));
      continue;
    }
    out.add(*value, ctx, first);
  }
}

}  // namespace

bool looks_like_csv(std::string_view head) {
  std::size_t at = 0;
  std::string_view last_comment;
  while (at < head.size()) {
    std::size_t end = head.find('\n', at);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = trim(head.substr(at, end - at));
    at = end + 1;
    if (line.empty()) continue;
    if (is_comment(line)) {
      std::string_view text = uncomment(line);
      if (!header_roles(text, delimiter_of(text)).empty()) last_comment = text;
      continue;
    }
    if (!header_roles(line, delimiter_of(line)).empty()) return true;
    // A commented header (abuse.ch) counts only when the data line below it
    // has its delimiter: prose comments of a plain list name roles too.
    return !last_comment.empty() && line.find(delimiter_of(last_comment)) != std::string_view::npos;
  }
  return false;
}

void read_csv(line_source& lines, sink& out) {
  std::string_view raw;
  std::uint64_t number = 0;
  std::vector<role> roles;
  std::vector<std::string> keys;
  std::string last_comment;
  char delimiter = ',';
  std::vector<std::string> fields;
  record_fields rec;

  auto take_header = [&](std::string_view line) {
    delimiter = delimiter_of(line);
    roles = header_roles(line, delimiter);
    if (roles.empty()) return false;
    split_csv(line, delimiter, fields);
    keys.clear();
    for (const auto& f : fields) keys.push_back(column_key(f));
    return true;
  };

  while (lines(raw, number)) {
    std::string_view line = trim(raw);
    if (number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.empty()) continue;
    if (is_comment(line)) {
      // The last commented line that reads as a header (abuse.ch's way).
      std::string_view text = uncomment(line);
      if (roles.empty() && !header_roles(text, delimiter_of(text)).empty()) last_comment = text;
      continue;
    }
    if (roles.empty()) {
      if (take_header(line)) continue;  // the header row itself
      if (last_comment.empty() || !take_header(last_comment)) {
        out.bad(number, "no CSV header naming an indicator column before the first record");
        return;
      }
    }
    split_csv(line, delimiter, fields);
    if (fields.size() != roles.size()) {
      out.bad(number, "expected " + std::to_string(roles.size()) + " fields, found " +
                          std::to_string(fields.size()));
      continue;
    }
    rec.clear();
    for (std::size_t i = 0; i < fields.size(); ++i) rec.set(roles[i], keys[i], fields[i]);
    emit(rec, number, out);
  }
}

namespace {

void read_json_object(simdjson::dom::object object, std::uint64_t line, sink& out,
                      record_fields& rec) {
  rec.clear();
  for (auto [key, value] : object) {
    std::string k = column_key(key);
    role r = role_of(k);
    if (r == role::none) continue;
    std::string_view text;
    switch (value.type()) {
      case simdjson::dom::element_type::STRING:
        if (value.get_string().get(text) == simdjson::SUCCESS) rec.set(r, k, text);
        break;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE: rec.set(r, k, simdjson::to_string(value)); break;
      case simdjson::dom::element_type::ARRAY:
        for (auto item : value.get_array()) {
          if (item.get_string().get(text) == simdjson::SUCCESS) {
            if (r == role::tags) {
              rec.tags.emplace_back(text);
            } else {
              rec.set(r, k, text);
            }
          }
        }
        break;
      default: break;
    }
  }
  emit(rec, line, out);
}

bool is_record(simdjson::dom::object object) {
  for (auto [key, value] : object) {
    if (is_value_role(role_of(column_key(key))) &&
        value.type() == simdjson::dom::element_type::STRING) {
      return true;
    }
  }
  return false;
}

}  // namespace

void read_json_lines(line_source& lines, sink& out) {
  simdjson::dom::parser parser;
  std::string_view raw;
  std::uint64_t number = 0;
  record_fields rec;
  while (lines(raw, number)) {
    std::string_view line = trim(raw);
    if (line.empty()) continue;
    simdjson::dom::object object;
    if (auto code = parser.parse(line.data(), line.size(), true).get_object().get(object)) {
      out.bad(number, std::string("not a JSON object: ") + simdjson::error_message(code));
      continue;
    }
    read_json_object(object, number, out, rec);
  }
}

void read_json_records(simdjson::dom::element root, sink& out) {
  record_fields rec;
  std::uint64_t index = 0;
  auto one = [&](simdjson::dom::element item) {
    ++index;
    simdjson::dom::object object;
    if (item.get_object().get(object) != simdjson::SUCCESS) {
      out.bad(0, "record " + std::to_string(index) + " is not a JSON object");
      return;
    }
    if (!is_record(object)) {
      out.bad(0, "record " + std::to_string(index) + " has no indicator field");
      return;
    }
    read_json_object(object, 0, out, rec);
  };
  simdjson::dom::array array;
  simdjson::dom::object object;
  if (root.get_array().get(array) == simdjson::SUCCESS) {
    for (auto item : array) one(item);
  } else if (root.get_object().get(object) == simdjson::SUCCESS) {
    if (is_record(object)) {
      one(root);
      return;
    }
    // {"id": [records], ...} as ThreatFox exports, or {"data": [records]}.
    for (auto [key, value] : object) {
      if (value.get_array().get(array) != simdjson::SUCCESS) continue;
      for (auto item : array) one(item);
    }
    if (index == 0) out.bad(0, "no indicator records in this JSON document");
  }
}

}  // namespace mimamori::intel::detail
