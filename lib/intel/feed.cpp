#include "intel/feed.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "intel/feed_parsers.hpp"
#include "intel/warninglist.hpp"
#include "ndjson/input.hpp"
#include "ndjson/reader.hpp"
#include "time/parse_any.hpp"

namespace mimamori::intel {

namespace detail {

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<time::timestamp> parse_feed_time(std::string_view text) {
  text = trim(text);
  for (std::string_view zone : {" UTC", " GMT", " utc"}) {
    if (text.size() > zone.size() && text.substr(text.size() - zone.size()) == zone) {
      text.remove_suffix(zone.size());
    }
  }
  if (text.empty()) return std::nullopt;
  // "+0000" offsets (no colon) are read by the RFC 3339 parser too.
  return time::parse_any(text, time::timestamp{}, time::zone::utc());
}

std::pair<std::string_view, std::string_view> split_pipe(std::string_view value) {
  std::size_t bar = value.find('|');
  if (bar == std::string_view::npos) return {value, {}};
  return {value.substr(0, bar), value.substr(bar + 1)};
}

std::uint32_t sink::context_id(context c) {
  if (c.feed.empty()) c.feed = report_.feed;
  return store_.add_context(c);
}

void sink::add(const detected& value, std::uint32_t context, std::optional<time::timestamp> first) {
  if (store_.add(value, context, first)) {
    ++report_.indicators;
  } else {
    ++report_.bad;
  }
}

void sink::message(std::uint64_t line, std::string_view what) {
  if (report_.messages.size() >= load_report::max_messages) return;
  std::string m(origin_);
  if (line > 0) m += ":" + std::to_string(line);
  m += ": ";
  m += what;
  report_.messages.push_back(std::move(m));
}

void sink::bad(std::uint64_t line, std::string_view what) {
  ++report_.bad;
  message(line, what);
}

void sink::unsupported(std::uint64_t line, std::string_view what) {
  ++report_.unsupported;
  message(line, what);
}

}  // namespace detail

namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<feed_format> parse_format_name(std::string_view name) {
  std::string n = lowered(name);
  if (n == "plain" || n == "list" || n == "txt" || n == "text") return feed_format::plain;
  if (n == "csv") return feed_format::csv;
  if (n == "json" || n == "ndjson") return feed_format::json;
  if (n == "misp") return feed_format::misp;
  if (n == "stix" || n == "stix2") return feed_format::stix;
  if (n == "warninglist" || n == "warninglists" || n == "allowlist") {
    return feed_format::warninglist;
  }
  return std::nullopt;
}

std::string stem(const std::string& path) {
  std::filesystem::path p(path);
  if (p.filename() == "list.json" || p.filename() == "manifest.json") {
    return p.parent_path().filename().string();
  }
  std::string name = p.filename().string();
  for (std::string_view ext : {".gz", ".zst"}) {
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) {
      name.resize(name.size() - ext.size());
    }
  }
  std::size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}

// Reads a whole file, decompressing if needed, with simdjson padding after it.
bool read_all(const std::string& path, std::string& text, std::string& error,
              std::size_t limit = std::string::npos) {
  std::unique_ptr<ndjson::input> in;
  try {
    in = ndjson::input::open(path);
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  text.clear();
  std::size_t size = 0;
  for (;;) {
    if (size >= limit) break;
    text.resize(size + (1 << 16) + simdjson::SIMDJSON_PADDING);
    auto r = in->read(text.data() + size, std::min<std::size_t>(1 << 16, limit - size));
    if (r.status == ndjson::read_status::error) {
      error = path + ": " + in->message();
      return false;
    }
    size += r.size;
    if (r.status != ndjson::read_status::ok) break;
  }
  text.resize(size);
  text.reserve(size + simdjson::SIMDJSON_PADDING);
  return true;
}

void load_json(store& into, std::string_view text, load_report& report, detail::sink& out,
               feed_format format) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto code = parser.parse(text.data(), text.size(), false).get(root)) {
    report.error = std::string(out.origin()) + ": not JSON: " + simdjson::error_message(code);
    return;
  }
  switch (format) {
    case feed_format::misp: detail::read_misp(root, out); break;
    case feed_format::stix: detail::read_stix(root, out); break;
    default: detail::read_json_records(root, out); break;
  }
  (void)into;
}

void load_warninglist_text(store& into, std::string_view text, std::string_view origin,
                           load_report& report) {
  std::string error;
  auto list = warninglist::parse(text, error);
  if (!list) {
    report.error = std::string(origin) + ": " + error;
    return;
  }
  if (list->skipped() > 0 && report.messages.size() < load_report::max_messages) {
    report.messages.push_back(std::string(origin) + ": " + std::to_string(list->skipped()) +
                              " entries skipped (not valid for type)");
  }
  report.bad += list->skipped();
  into.add_warninglist(std::move(*list));
  ++report.warninglists;
}

// Whether `"key"` is followed by `: "value"` somewhere in text.
bool has_member(std::string_view text, std::string_view key, std::string_view value) {
  std::string quoted = "\"" + std::string(key) + "\"";
  for (std::size_t at = text.find(quoted); at != std::string_view::npos;
       at = text.find(quoted, at + 1)) {
    std::string_view rest = detail::trim(text.substr(at + quoted.size()));
    if (rest.empty() || rest.front() != ':') continue;
    rest = detail::trim(rest.substr(1));
    if (value.empty() || (rest.size() > value.size() + 1 && rest.front() == '"' &&
                          rest.substr(1, value.size()) == value && rest[value.size() + 1] == '"')) {
      return true;
    }
  }
  return false;
}

detail::line_source text_lines(std::string_view text) {
  return [text, at = std::size_t{0}, number = std::uint64_t{0}](
             std::string_view& line, std::uint64_t& line_number) mutable {
    if (at >= text.size()) return false;
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = end + 1;
    line_number = ++number;
    return true;
  };
}

void load_lines(detail::line_source& lines, detail::sink& out, feed_format format) {
  switch (format) {
    case feed_format::csv: detail::read_csv(lines, out); break;
    case feed_format::json: detail::read_json_lines(lines, out); break;
    default: detail::read_plain(lines, out); break;
  }
}

// A text whose first JSON value is an object holding one record per line.
bool is_json_lines(std::string_view head) {
  head = detail::trim(head);
  if (head.empty() || head.front() != '{') return false;
  std::size_t newline = head.find('\n');
  if (newline == std::string_view::npos) return false;
  std::string_view first = detail::trim(head.substr(0, newline));
  std::string_view next = detail::trim(head.substr(newline + 1));
  return first.size() > 1 && first.back() == '}' && !next.empty() && next.front() == '{';
}

void load_warninglist_dir(store& into, const std::string& dir, load_report& report) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().filename() == "list.json") {
      files.push_back(it->path().string());
    }
  }
  if (ec) {
    report.error = dir + ": " + ec.message();
    return;
  }
  std::sort(files.begin(), files.end());  // the same order on every run
  if (files.empty()) {
    report.error = dir + ": no list.json files in this directory";
    return;
  }
  for (const auto& f : files) {
    std::string text, error;
    if (!read_all(f, text, error)) {
      report.error = error;
      return;
    }
    load_warninglist_text(into, text, f, report);
    if (!report.ok()) return;
  }
}

void load_misp_feed(store& into, const std::string& dir, const std::string& manifest,
                    load_report& report, const feed_options& options) {
  std::string text, error;
  if (!read_all(manifest, text, error)) {
    report.error = error;
    return;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object events;
  if (auto code = parser.parse(text.data(), text.size(), false).get_object().get(events)) {
    report.error = manifest + ": not a MISP feed manifest: " + simdjson::error_message(code);
    return;
  }
  std::vector<std::string> uuids;
  for (auto [key, value] : events) uuids.emplace_back(key);
  std::sort(uuids.begin(), uuids.end());
  for (const auto& uuid : uuids) {
    std::string path = (std::filesystem::path(dir) / (uuid + ".json")).string();
    std::string event;
    if (!read_all(path, event, error)) {
      // A manifest entry without its file: that event is missing, the rest loads.
      ++report.bad;
      if (report.messages.size() < load_report::max_messages) {
        report.messages.push_back(manifest + ": event " + uuid +
                                  " listed but unreadable: " + error);
      }
      continue;
    }
    detail::sink out(into, report, path, options);
    load_json(into, event, report, out, feed_format::misp);
    if (!report.ok()) {
      // One broken event file does not stop the feed.
      ++report.bad;
      if (report.messages.size() < load_report::max_messages) {
        report.messages.push_back(report.error);
      }
      report.error.clear();
    }
  }
}

}  // namespace

std::string_view format_name(feed_format format) {
  switch (format) {
    case feed_format::detect: return "detect";
    case feed_format::plain: return "plain";
    case feed_format::csv: return "csv";
    case feed_format::json: return "json";
    case feed_format::misp: return "misp";
    case feed_format::stix: return "stix";
    case feed_format::warninglist: return "warninglist";
  }
  return "unknown";
}

std::string load_report::summary() const {
  std::string s = feed + " (" + std::string(format_name(format)) + "): ";
  if (format == feed_format::warninglist) {
    s += std::to_string(warninglists) + " warninglists";
  } else {
    s += std::to_string(indicators) + " indicators";
  }
  s += ", " + std::to_string(bad) + " bad, " + std::to_string(unsupported) + " unsupported, " +
       std::to_string(skipped) + " skipped";
  return s;
}

feed_options parse_feed_spec(std::string_view spec, std::string& path) {
  feed_options options;
  std::size_t colon = spec.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string_view prefix = spec.substr(0, colon);
    if (auto format = parse_format_name(prefix)) {
      options.format = *format;
      path = spec.substr(colon + 1);
      return options;
    }
    if (auto type = parse_type_name(prefix)) {
      options.format = feed_format::plain;
      options.type = type;
      path = spec.substr(colon + 1);
      return options;
    }
  }
  path = spec;
  return options;
}

feed_format detect_format(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  std::string_view body = detail::trim(head);
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) {
    if (has_member(body, "list", "") &&
        (has_member(body, "matching_attributes", "") ||
         (has_member(body, "name", "") && has_member(body, "type", "") &&
          !has_member(body, "value", "")))) {
      return feed_format::warninglist;
    }
    if (has_member(body, "type", "bundle") || has_member(body, "pattern_type", "") ||
        (has_member(body, "spec_version", "") && has_member(body, "pattern", ""))) {
      return feed_format::stix;
    }
    if (has_member(body, "Event", "") || has_member(body, "Attribute", "") ||
        has_member(body, "Orgc", "") || has_member(body, "to_ids", "") ||
        (has_member(body, "info", "") && has_member(body, "uuid", "") &&
         has_member(body, "threat_level_id", ""))) {
      return feed_format::misp;
    }
    return feed_format::json;
  }
  if (detail::looks_like_csv(head)) return feed_format::csv;
  return feed_format::plain;
}

load_report load_feed_text(store& into, std::string_view text, std::string_view origin,
                           const feed_options& options) {
  load_report report;
  report.path = origin;
  report.feed = options.name.empty() ? stem(std::string(origin)) : options.name;
  report.format = options.format == feed_format::detect ? detect_format(text.substr(0, 1 << 16))
                                                        : options.format;
  detail::sink out(into, report, origin, options);
  switch (report.format) {
    case feed_format::warninglist: {
      std::string padded(text);
      load_warninglist_text(into, padded, origin, report);
      break;
    }
    case feed_format::misp:
    case feed_format::stix: {
      std::string padded(text);
      padded.reserve(padded.size() + simdjson::SIMDJSON_PADDING);
      load_json(into, padded, report, out, report.format);
      break;
    }
    case feed_format::json:
      if (is_json_lines(text)) {
        auto lines = text_lines(text);
        load_lines(lines, out, feed_format::json);
      } else {
        std::string padded(text);
        padded.reserve(padded.size() + simdjson::SIMDJSON_PADDING);
        load_json(into, padded, report, out, feed_format::json);
      }
      break;
    default: {
      auto lines = text_lines(text);
      load_lines(lines, out, report.format);
      break;
    }
  }
  return report;
}

load_report load_feed(store& into, std::string_view spec) {
  std::string path;
  feed_options options = parse_feed_spec(spec, path);
  return load_feed(into, path, options);
}

load_report load_feed(store& into, const std::string& path, const feed_options& options) {
  load_report report;
  report.path = path;
  report.feed = options.name.empty() ? stem(path) : options.name;
  report.format = options.format;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::string manifest = (std::filesystem::path(path) / "manifest.json").string();
    if (options.format != feed_format::warninglist && std::filesystem::exists(manifest, ec)) {
      report.format = feed_format::misp;
      report.feed =
          options.name.empty() ? std::filesystem::path(path).filename().string() : options.name;
      load_misp_feed(into, path, manifest, report, options);
    } else if (options.format == feed_format::warninglist ||
               options.format == feed_format::detect) {
      report.format = feed_format::warninglist;
      load_warninglist_dir(into, path, report);
    } else {
      report.error = path + ": a directory, but not a MISP feed (no manifest.json)";
    }
    return report;
  }

  // Look at the start to decide, then read the way the format wants.
  std::string head, error;
  if (!read_all(path, head, error, 1 << 16)) {
    report.error = error;
    return report;
  }
  if (report.format == feed_format::detect) report.format = detect_format(head);
  if (std::filesystem::path(path).filename() == "manifest.json" &&
      (report.format == feed_format::misp || report.format == feed_format::json)) {
    report.format = feed_format::misp;
    report.feed = options.name.empty() ? stem(path) : options.name;
    load_misp_feed(into, std::filesystem::path(path).parent_path().string(), path, report, options);
    return report;
  }

  bool whole = report.format == feed_format::misp || report.format == feed_format::stix ||
               report.format == feed_format::warninglist ||
               (report.format == feed_format::json && !is_json_lines(head));
  if (whole) {
    std::string text;
    if (!read_all(path, text, error)) {
      report.error = error;
      return report;
    }
    detail::sink out(into, report, path, options);
    if (report.format == feed_format::warninglist) {
      load_warninglist_text(into, text, path, report);
    } else {
      load_json(into, text, report, out, report.format);
    }
    return report;
  }

  // Line formats stream through the NDJSON line reader (1 MiB buffer), so a
  // feed of a million lines never sits in memory whole.
  std::unique_ptr<ndjson::input> in;
  try {
    in = ndjson::input::open(path);
  } catch (const std::exception& e) {
    report.error = e.what();
    return report;
  }
  ndjson::line_reader reader(std::move(in));
  detail::line_source lines = [&reader](std::string_view& text, std::uint64_t& number) {
    ndjson::line l;
    if (!reader.next(l)) return false;
    text = l.text;
    number = l.where.line;
    return true;
  };
  detail::sink out(into, report, path, options);
  load_lines(lines, out, report.format);
  if (reader.status() == ndjson::read_status::error) report.error = path + ": " + reader.message();
  return report;
}

}  // namespace mimamori::intel
