// cef: ArcSight CEF and IBM QRadar LEEF, with their escaping rules.
// Datasets cef.log and leef.log.
//
//   CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|k=v k=v ...
//     header: \| and \\ escaped; extension values: \= \\ \n \r escaped, a
//     value runs until the blank before the next "key=".
//   LEEF:1.0|Vendor|Product|Version|EventID|k=v<TAB>k=v ...
//   LEEF:2.0|Vendor|Product|Version|EventID|^|k=v^k=v ...  (delimiter given)
#include <array>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "time/format.hpp"
#include "time/parse_any.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

enum class as : std::uint8_t { text, integer, ip, user, lower };

struct key_map {
  std::string_view key;
  std::string_view path;
  as type;
};

// CEF extension keys (and LEEF's) -> ECS.
constexpr auto cef_map = std::to_array<key_map>({
    {"act", "event.action", as::text},
    {"app", "network.protocol", as::lower},
    {"dhost", "destination.domain", as::text},
    {"dmac", "destination.mac", as::text},
    {"dntdom", "destination.user.domain", as::text},
    {"dpt", "destination.port", as::integer},
    {"dst", "destination.ip", as::ip},
    {"dstPort", "destination.port", as::integer},
    {"duser", "destination.user.name", as::user},
    {"dvchost", "observer.hostname", as::text},
    {"fileHash", "file.hash.sha256", as::text},
    {"fname", "file.name", as::text},
    {"filePath", "file.path", as::text},
    {"fsize", "file.size", as::integer},
    {"in", "source.bytes", as::integer},
    {"msg", "message", as::text},
    {"out", "destination.bytes", as::integer},
    {"outcome", "event.outcome", as::lower},
    {"proto", "network.transport", as::lower},
    {"request", "url.original", as::text},
    {"requestClientApplication", "user_agent.original", as::text},
    {"requestMethod", "http.request.method", as::text},
    {"sev", "event.severity", as::integer},
    {"shost", "source.domain", as::text},
    {"smac", "source.mac", as::text},
    {"spt", "source.port", as::integer},
    {"src", "source.ip", as::ip},
    {"srcPort", "source.port", as::integer},
    {"suser", "source.user.name", as::user},
    {"usrName", "source.user.name", as::user},
    {"deviceExternalId", "observer.serial_number", as::text},
    {"deviceDirection", "cef.device_direction", as::text},
    {"sproc", "process.name", as::text},
    {"spid", "process.pid", as::integer},
    {"dproc", "process.name", as::text},
    {"dpid", "process.pid", as::integer},
    {"fileType", "file.type", as::text},
});

const key_map* map_of(std::string_view key) {
  for (const auto& m : cef_map) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

// Unescapes `text` into the arena when it holds a backslash.
void set_unescaped(fields& out, std::string_view path, std::string_view text, bool header) {
  if (text.find('\\') == std::string_view::npos) {
    out.set(path, text);
    return;
  }
  std::string buffer;
  buffer.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[++i];
      if (!header && c == 'n')
        buffer.push_back('\n');
      else if (!header && c == 'r')
        buffer.push_back('\r');
      else
        buffer.push_back(c);
    } else {
      buffer.push_back(text[i]);
    }
  }
  out.set_copy(path, buffer);
}

// Splits the '|' separated header fields (with \| escapes); returns the
// position after the last one read.
std::size_t split_header(std::string_view s, std::array<std::string_view, 8>& parts,
                         std::size_t want) {
  std::size_t n = 0, start = 0, i = 0;
  for (; i < s.size() && n < want; ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == '|') {
      parts[n++] = s.substr(start, i - start);
      start = i + 1;
    }
  }
  return n == want ? start : std::string_view::npos;
}

void map_value(fields& out, const key_map& m, std::string_view key, std::string_view value) {
  switch (m.type) {
    case as::text: set_unescaped(out, m.path, value, false); break;
    case as::lower: set_lower(out, m.path, value); break;
    case as::integer:
      if (auto n = to_int(value)) out.set_int(m.path, *n);
      break;
    case as::ip:
      if (is_ip(value)) {
        out.set(m.path, value);
        out.add("related.ip", value);
      }
      break;
    case as::user:
      set_unescaped(out, m.path, value, false);
      out.add("related.user", out.get(m.path));
      if (m.path == "source.user.name") out.set("user.name", out.get(m.path));
      break;
  }
  (void)key;
}

void set_time(fields& out, std::string_view value, const line_context& line) {
  // Epoch milliseconds, or "MMM dd yyyy HH:mm:ss", or ISO.
  if (auto ms = to_int(value); ms && value.size() >= 12) {
    char buffer[32];
    time::write_utc_ms(buffer, time::timestamp::from_millis(*ms));
    out.set_copy("@timestamp", std::string_view(buffer, time::utc_ms_length));
    return;
  }
  // Apex Central: "Oct 03 2024 02:40:00 GMT+09:00".
  if (const std::size_t gmt = value.find(" GMT"); gmt != std::string_view::npos) {
    const std::string_view offset = value.substr(gmt + 4);
    const auto zone = time::zone::locate(offset.empty() ? std::string_view("UTC") : offset);
    // "Mmm dd yyyy hh:mm:ss" as ISO, then read at that offset.
    const std::string_view d = value.substr(0, gmt);
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const std::size_t m = d.size() == 20 ? months.find(d.substr(0, 3)) : std::string_view::npos;
    if (zone && m != std::string_view::npos && m % 3 == 0) {
      char iso[20] = {d[7], d[8], d[9], d[10], '-', char('0' + (m / 3 + 1) / 10),
                      char('0' + (m / 3 + 1) % 10), '-', d[4] == ' ' ? '0' : d[4], d[5], 'T'};
      for (std::size_t i = 0; i < 8; ++i) iso[11 + i] = d[12 + i];
      if (auto t = time::parse_local_iso(std::string_view(iso, 19), *zone)) {
        char buffer[32];
        time::write_utc_ms(buffer, *t);
        out.set_copy("@timestamp", std::string_view(buffer, time::utc_ms_length));
        return;
      }
    }
  }
  if (auto t = time::parse_any(value, line.received, line.tz)) {
    char buffer[32];
    time::write_utc_ms(buffer, *t);
    out.set_copy("@timestamp", std::string_view(buffer, time::utc_ms_length));
  }
}

void categorize(fields& out) {
  const std::string_view action = out.get("event.action");
  std::string lower(action);
  for (char& c : lower) c = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
  if (lower.find("block") != std::string::npos || lower.find("deny") != std::string::npos ||
      lower.find("drop") != std::string::npos || lower.find("reject") != std::string::npos) {
    out.add("event.type", "denied");
  } else if (lower.find("allow") != std::string::npos ||
             lower.find("accept") != std::string::npos ||
             lower.find("permit") != std::string::npos) {
    out.add("event.type", "allowed");
  }
  if (out.has("source.ip") || out.has("destination.ip")) out.add("event.category", "network");
}

// Trend Micro Apex One / Apex Central: fileHash is a SHA-1, the csN
// labelled Virus_Malware_Name (or Spyware_Grayware_Name) names the threat,
// TMCMLogDetectedHost/IP name the endpoint. Dataset trend_micro.apex_one.
void apply_trend_micro(fields& out) {
  if (out.get("observer.vendor") != "Trend Micro") return;
  out.set("event.dataset", "trend_micro.apex_one");
  out.set("observer.type", "edr");
  out.set("event.kind", "alert");  // the EDR agent raised it
  const std::string hash(out.get("file.hash.sha256"));
  if (hash.size() == 40) {
    out.remove("file.hash.sha256");
    out.set_copy("file.hash.sha1", hash);
  }
  if (!hash.empty()) out.add_copy("related.hash", hash);
  std::string label_path = "cef.extensions.cs0Label", value_path = "cef.extensions.cs0";
  for (char n = '1'; n <= '6'; ++n) {
    label_path[17] = n;
    value_path[17] = n;
    const std::string_view label = out.get(label_path);
    if (label == "Virus_Malware_Name" || label == "Spyware_Grayware_Name" ||
        label == "Threat_Name") {
      const std::string name(out.get(value_path));
      if (!name.empty()) out.set_copy("rule.name", name);
    }
  }
  const std::string host(out.get("cef.extensions.TMCMLogDetectedHost"));
  if (!host.empty()) {
    out.set_copy("host.hostname", host);
    out.add_copy("related.hosts", host);
  }
  const std::string ip(out.get("cef.extensions.TMCMLogDetectedIP"));
  if (is_ip(ip)) {
    out.add_copy("host.ip", ip);
    out.add_copy("related.ip", ip);
  }
  const std::string_view code = out.get("event.code");
  if (starts_with(code, "AV:") || starts_with(code, "Spyware:") ||
      starts_with(code, "Ransomware") || out.has("rule.name"))
    out.add("event.category", "malware");
  else
    out.add("event.category", "intrusion_detection");
  out.add("event.type", "info");
}

class cef_parser final : public parser {
 public:
  std::string_view name() const override { return "cef"; }
  std::string_view dataset() const override { return "cef.log"; }
  std::string_view description() const override {
    return "ArcSight CEF and QRadar LEEF 1.0/2.0 (EDR and appliance alerts: Apex One, ...)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    const std::size_t cef = msg.substr(0, 128).find("CEF:");
    if (cef != std::string_view::npos) return parse_cef(msg.substr(cef), line, out);
    const std::size_t leef = msg.substr(0, 128).find("LEEF:");
    if (leef != std::string_view::npos) return parse_leef(msg.substr(leef), line, out);
    return {};
  }

 private:
  static parse_result parse_cef(std::string_view s, const line_context& line, fields& out) {
    std::array<std::string_view, 8> h{};
    const std::size_t ext = split_header(s, h, 7);
    if (ext == std::string_view::npos)
      return {outcome::broken, "CEF header has fewer than 7 fields"};
    set_unescaped(out, "observer.vendor", h[1], true);
    set_unescaped(out, "observer.product", h[2], true);
    set_unescaped(out, "observer.version", h[3], true);
    set_unescaped(out, "event.code", h[4], true);
    set_unescaped(out, "event.reason", h[5], true);
    set_unescaped(out, "message", h[5], true);
    if (auto sev = to_int(h[6]))
      out.set_int("event.severity", *sev);
    else {
      // Low, Medium, High, Very-High
      const std::string_view w = h[6];
      out.set_int("event.severity", w == "Low"         ? 3
                                    : w == "Medium"    ? 6
                                    : w == "High"      ? 8
                                    : w == "Very-High" ? 10
                                                       : 0);
    }
    out.set("cef.version", h[0].substr(4));
    // Extension: key=value, a value runs until " nextkey=".
    const std::string_view e = s.substr(ext);
    std::array<std::pair<std::string_view, std::string_view>, 6> labels{};  // csN -> label
    std::size_t i = 0;
    while (i < e.size()) {
      while (i < e.size() && e[i] == ' ') ++i;
      const std::size_t eq = e.find('=', i);
      if (eq == std::string_view::npos) break;
      const std::string_view key = e.substr(i, eq - i);
      // Find the end of the value: the last blank before the next unescaped '='
      // that follows a key.
      std::size_t j = eq + 1, end = e.size();
      for (std::size_t k = eq + 1; k < e.size(); ++k) {
        if (e[k] == '\\') {
          ++k;
          continue;
        }
        if (e[k] == '=') {
          std::size_t b = k;
          while (b > j && e[b - 1] != ' ') --b;
          if (b > j) {
            end = b - 1;
            break;
          }
        }
      }
      std::string_view value = e.substr(j, end - j);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      i = end;
      if (key.size() == 8 && starts_with(key, "cs") && key.substr(3) == "Label" && key[2] >= '1' &&
          key[2] <= '6') {
        labels[std::size_t(key[2] - '1')] = {key.substr(0, 3), value};
        continue;
      }
      if (key == "rt" || key == "end" || key == "start") {
        if (key != "start") set_time(out, value, line);
        continue;
      }
      if (const key_map* m = map_of(key)) {
        map_value(out, *m, key, value);
      } else if (!value.empty()) {
        if (value.find('\\') == std::string_view::npos) {
          out.set_dynamic("cef.extensions.", key, value, false);
        } else {
          std::string text;
          for (std::size_t k = 0; k < value.size(); ++k) {
            if (value[k] == '\\' && k + 1 < value.size()) {
              const char c = value[++k];
              text.push_back(c == 'n' ? '\n' : c == 'r' ? '\r' : c);
            } else {
              text.push_back(value[k]);
            }
          }
          out.set_dynamic("cef.extensions.", key, text, true);
        }
      }
    }
    for (const auto& [cs, label] : labels) {
      if (!cs.empty() && !label.empty())
        out.set_dynamic("cef.extensions.", std::string(cs) + "Label", label, true);
    }
    if (out.has("url.original")) {
      const std::string_view url = out.get("url.original");
      set_url(out, url);
    }
    apply_trend_micro(out);
    categorize(out);
    return {outcome::parsed, {}};
  }

  static parse_result parse_leef(std::string_view s, const line_context& line, fields& out) {
    std::array<std::string_view, 8> h{};
    const bool v2 = starts_with(s, "LEEF:2");
    std::size_t ext = split_header(s, h, v2 ? 6 : 5);
    if (ext == std::string_view::npos) {
      // LEEF 2.0 may omit the delimiter field.
      ext = split_header(s, h, 5);
      if (ext == std::string_view::npos)
        return {outcome::broken, "LEEF header has fewer than 5 fields"};
    }
    char delimiter = '\t';
    if (v2 && !h[5].empty()) {
      const std::string_view d = h[5];
      if (d.size() == 1)
        delimiter = d[0];
      else if (starts_with(d, "0x") || starts_with(d, "x")) {
        const std::string_view hex = d.substr(d.find('x') + 1);
        int value = 0;
        for (char c : hex) value = value * 16 + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        delimiter = char(value);
      }
    }
    out.set("observer.vendor", h[1]);
    out.set("observer.product", h[2]);
    out.set("observer.version", h[3]);
    out.set("event.code", h[4]);
    std::string_view e = s.substr(ext);
    while (!e.empty()) {
      std::string_view pair = take_until(e, delimiter);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view key = pair.substr(0, eq), value = pair.substr(eq + 1);
      if (key == "devTime") {
        set_time(out, value, line);
      } else if (const key_map* m = map_of(key)) {
        map_value(out, *m, key, value);
      } else if (key == "action") {
        out.set("event.action", value);
      } else if (!value.empty()) {
        out.set_dynamic("leef.", key, value, false);
      }
    }
    out.set("event.dataset", "leef.log");
    categorize(out);
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& cef() {
  static const cef_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
