// panos: Palo Alto Networks PAN-OS syslog in its CSV form (TRAFFIC, THREAT
// with the url/file/virus/spyware/vulnerability/wildfire subtypes, SYSTEM,
// CONFIG; other log types keep their header fields). Dataset panw.panos.
//
//   FUTURE_USE,Receive Time,Serial Number,Type,Subtype,FUTURE_USE,
//   Generated Time,Source Address,Destination Address,...
//
// Column positions follow Palo Alto's "Syslog Field Descriptions" (PAN-OS
// 8.1 to 11.x: later versions append columns, never move them). A record
// cut short still parses as far as it goes. ECS names follow Elastic's panw
// integration; what ECS lacks goes under panw.panos.*.
#include <array>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

constexpr std::size_t max_columns = 128;
using columns = std::array<std::string_view, max_columns>;

// A column as it was sent, unescaping "" inside a quoted one.
void set_column(fields& out, std::string_view path, std::string_view value, bool escaped) {
  if (value.empty()) return;
  if (!escaped) {
    out.set(path, value);
    return;
  }
  std::string text;
  text.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    text.push_back(value[i]);
    if (value[i] == '"' && i + 1 < value.size() && value[i + 1] == '"') ++i;
  }
  out.set_copy(path, text);
}

// Where a column goes.
enum class as : std::uint8_t { text, ip, nat_ip, port, count, user, time, lower, seconds };
struct column_map {
  std::size_t index;
  std::string_view path;
  as type;
};

// Columns 7..30 are the same in TRAFFIC and THREAT records.
constexpr auto session_columns = std::to_array<column_map>({
    {7, "source.ip", as::ip},
    {8, "destination.ip", as::ip},
    {9, "source.nat.ip", as::nat_ip},
    {10, "destination.nat.ip", as::nat_ip},
    {11, "rule.name", as::text},
    {12, "source.user.name", as::user},
    {13, "destination.user.name", as::user},
    {14, "network.application", as::text},
    {15, "panw.panos.vsys", as::text},
    {16, "observer.ingress.zone", as::text},
    {17, "observer.egress.zone", as::text},
    {18, "observer.ingress.interface.name", as::text},
    {19, "observer.egress.interface.name", as::text},
    {20, "panw.panos.log_profile", as::text},
    {22, "panw.panos.flow_id", as::text},
    {23, "panw.panos.repeat_count", as::count},
    {24, "source.port", as::port},
    {25, "destination.port", as::port},
    {26, "source.nat.port", as::port},
    {27, "destination.nat.port", as::port},
    {28, "panw.panos.flags", as::text},
    {29, "network.transport", as::lower},
    {30, "panw.panos.action", as::text},
});

constexpr auto traffic_columns = std::to_array<column_map>({
    {31, "network.bytes", as::count},
    {32, "source.bytes", as::count},
    {33, "destination.bytes", as::count},
    {34, "network.packets", as::count},
    {35, "event.start", as::time},
    {36, "event.duration", as::seconds},
    {37, "panw.panos.url.category", as::text},
    {39, "panw.panos.sequence_number", as::text},
    {40, "panw.panos.action_flags", as::text},
    {41, "panw.panos.source.location", as::text},
    {42, "panw.panos.destination.location", as::text},
    {44, "source.packets", as::count},
    {45, "destination.packets", as::count},
    {46, "panw.panos.endreason", as::text},
    {51, "panw.panos.vsys_name", as::text},
    {52, "observer.hostname", as::text},
    {53, "panw.panos.action_source", as::text},
    {65, "rule.uuid", as::text},
});

constexpr auto threat_columns = std::to_array<column_map>({
    {33, "panw.panos.threat.category", as::text},
    {34, "log.level", as::lower},
    {35, "panw.panos.threat.direction", as::text},
    {36, "panw.panos.sequence_number", as::text},
    {37, "panw.panos.action_flags", as::text},
    {38, "panw.panos.source.location", as::text},
    {39, "panw.panos.destination.location", as::text},
    {41, "panw.panos.content_type", as::text},
    {43, "panw.panos.file.hash", as::text},
    {46, "user_agent.original", as::text},
    {47, "panw.panos.file.type", as::text},
    {48, "panw.panos.xff", as::text},
    {49, "http.request.referrer", as::text},
    {50, "email.from.address", as::text},
    {51, "email.subject", as::text},
    {52, "email.to.address", as::text},
    {53, "panw.panos.report_id", as::text},
    {58, "panw.panos.vsys_name", as::text},
    {59, "observer.hostname", as::text},
    {63, "http.request.method", as::text},
    {69, "panw.panos.threat.category_name", as::text},
    {76, "rule.uuid", as::text},
});

constexpr auto system_columns = std::to_array<column_map>({
    {7, "panw.panos.vsys", as::text},
    {8, "event.action", as::text},
    {9, "panw.panos.object", as::text},
    {12, "panw.panos.module", as::text},
    {13, "log.level", as::lower},
    {14, "message", as::text},
    {15, "panw.panos.sequence_number", as::text},
    {21, "panw.panos.vsys_name", as::text},
    {22, "observer.hostname", as::text},
});

constexpr auto config_columns = std::to_array<column_map>({
    {7, "source.address", as::text},
    {8, "panw.panos.vsys", as::text},
    {9, "event.action", as::text},
    {10, "user.name", as::user},
    {11, "panw.panos.client", as::text},
    {12, "panw.panos.result", as::text},
    {13, "panw.panos.config_path", as::text},
});

// Elastic's panw mapping: critical 1 ... informational 5.
std::int64_t severity_number(std::string_view word) {
  if (iequals(word, "critical")) return 1;
  if (iequals(word, "high")) return 2;
  if (iequals(word, "medium")) return 3;
  if (iequals(word, "low")) return 4;
  if (iequals(word, "informational")) return 5;
  return 0;
}

// "Name(12345)" or "(9999)" or "name:(id)" from the Threat ID column.
void set_threat(fields& out, std::string_view text) {
  if (text.empty()) return;
  std::string_view name = text, id;
  if (text.back() == ')') {
    if (const std::size_t open = text.rfind('('); open != std::string_view::npos) {
      id = text.substr(open + 1, text.size() - open - 2);
      name = text.substr(0, open);
      while (!name.empty() && (name.back() == ' ' || name.back() == ':')) name.remove_suffix(1);
    }
  }
  // rule.* stays the security policy that matched, as Elastic keeps it.
  if (!name.empty()) out.set("panw.panos.threat.name", name);
  if (!id.empty()) out.set("panw.panos.threat.id", id);
}

// True when the message opens like a PAN-OS CSV record:
// "<digits>,YYYY/MM/DD HH:MM:SS,<serial>,<TYPE>,".
bool looks_like_panos(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && i < 4 && is_digit(s[i])) ++i;
  if (i == 0 || i >= s.size() || s[i] != ',') return false;
  const std::string_view stamp = s.substr(i + 1, 20);
  return stamp.size() == 20 && stamp[4] == '/' && stamp[7] == '/' && stamp[10] == ' ' &&
         stamp[13] == ':' && stamp[19] == ',' && is_digit(stamp[0]);
}

class panos_parser final : public parser {
 public:
  std::string_view name() const override { return "panos"; }
  std::string_view dataset() const override { return "panw.panos"; }
  std::string_view description() const override {
    return "Palo Alto Networks PAN-OS CSV syslog: TRAFFIC, THREAT (url, file, virus, ...), "
           "SYSTEM, CONFIG";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    if (!looks_like_panos(msg)) {
      // The envelope may have taken the leading "1," as part of a tag.
      msg = line.line;
      const std::size_t at = msg.find(",20");
      if (at == std::string_view::npos || at > 160) return {};
      std::size_t start = at;
      while (start > 0 && is_digit(msg[start - 1])) --start;
      msg = msg.substr(start);
      if (!looks_like_panos(msg)) return {};
    }
    thread_local columns c;
    thread_local std::array<bool, max_columns> escaped;
    const std::size_t n = split_csv(msg, c, &escaped);
    if (n < 4) return {outcome::broken, "PAN-OS record has fewer than 4 columns"};
    const std::string_view type = c[3];
    if (type.empty()) return {outcome::broken, "PAN-OS record has no log type"};
    const std::string_view subtype = n > 4 ? c[4] : std::string_view{};

    out.set("observer.vendor", "Palo Alto Networks");
    out.set("observer.product", "PAN-OS");
    out.set("observer.type", "firewall");
    if (!c[2].empty()) out.set("observer.serial_number", c[2]);
    out.set("panw.panos.type", type);
    if (!subtype.empty()) out.set("panw.panos.sub_type", subtype);
    // Stamps without an offset, in the device's zone (its envelope's, when that has one).
    const time::zone zone = payload_zone(line);
    set_local_time(out, "event.created", c[1], zone);
    if (n > 6) set_local_time(out, "@timestamp", c[6], zone);

    if (type == "TRAFFIC") {
      apply(out, session_columns, c, escaped, n, line);
      apply(out, traffic_columns, c, escaped, n, line);
      traffic(out, subtype);
    } else if (type == "THREAT") {
      apply(out, session_columns, c, escaped, n, line);
      apply(out, threat_columns, c, escaped, n, line);
      threat(out, subtype, n > 31 ? c[31] : std::string_view{}, escaped[31] && n > 31,
             n > 32 ? c[32] : std::string_view{}, n > 43 ? c[43] : std::string_view{});
    } else if (type == "SYSTEM") {
      apply(out, system_columns, c, escaped, n, line);
      out.add("event.category", "host");
      out.add("event.type", "info");
    } else if (type == "CONFIG") {
      apply(out, config_columns, c, escaped, n, line);
      out.add("event.category", "configuration");
      out.add("event.type", "change");
      const std::string_view result = out.get("panw.panos.result");
      if (result == "Succeeded") out.set("event.outcome", "success");
      if (result == "Failed") out.set("event.outcome", "failure");
      const std::string_view host = out.get("source.address");
      if (is_ip(host)) set_ip(out, "source.ip", host);
    } else {
      out.add("event.type", "info");
    }
    if (out.has("log.level")) {
      if (auto s = severity_number(out.get("log.level")); s > 0) out.set_int("event.severity", s);
    }
    const std::string_view src_user = out.get("source.user.name");
    if (!src_user.empty()) out.set("user.name", src_user);
    return {outcome::parsed, {}};
  }

 private:
  template <std::size_t M>
  static void apply(fields& out, const std::array<column_map, M>& map, const columns& c,
                    const std::array<bool, max_columns>& escaped, std::size_t n,
                    const line_context& line) {
    for (const column_map& m : map) {
      if (m.index >= n) break;  // the maps are in column order
      const std::string_view v = c[m.index];
      if (v.empty()) continue;
      switch (m.type) {
        case as::text: set_column(out, m.path, v, escaped[m.index]); break;
        case as::ip: set_ip(out, m.path, v); break;
        case as::nat_ip:
          if (v != "0.0.0.0" && v != "::") set_ip(out, m.path, v);
          break;
        case as::port:
          if (v != "0") set_port(out, m.path, v);
          break;
        case as::count: set_count(out, m.path, v); break;
        case as::user: set_user(out, m.path, v); break;
        case as::time: set_local_time(out, m.path, v, payload_zone(line)); break;
        case as::lower: set_lower(out, m.path, v); break;
        case as::seconds:
          if (auto s = to_int(v); s && *s >= 0) out.set_int(m.path, *s * 1'000'000'000);
          break;
      }
    }
  }

  static void traffic(fields& out, std::string_view subtype) {
    const std::string_view action = out.get("panw.panos.action");
    out.add("event.category", "network");
    out.add("event.type", "connection");
    const verdict v = verdict_of(action);
    if (subtype == "start") {
      out.add("event.type", "start");
      out.set("event.action", "flow_started");
    } else if (subtype == "end") {
      out.add("event.type", "end");
      out.set("event.action", "flow_terminated");
    } else if (subtype == "drop") {
      out.set("event.action", "flow_dropped");
    } else if (subtype == "deny") {
      out.set("event.action", "flow_denied");
    } else if (!action.empty()) {
      out.set("event.action", action);
    }
    if (v == verdict::denied || subtype == "drop" || subtype == "deny") {
      out.add("event.type", "denied");
      out.set("event.outcome", "failure");
    } else if (v == verdict::allowed) {
      out.add("event.type", "allowed");
      out.set("event.outcome", "success");
    }
  }

  static void threat(fields& out, std::string_view subtype, std::string_view misc,
                     bool misc_escaped, std::string_view threat_id, std::string_view digest) {
    set_threat(out, threat_id);
    out.add("event.category", "network");
    if (subtype == "url") {
      out.add("event.category", "web");
      out.set("event.action", "url_filtering");
      if (!misc.empty()) {
        if (misc_escaped)
          set_column(out, "url.original", misc, true);
        else
          set_url(out, misc);
        out.set("panw.panos.url.category", out.get("panw.panos.threat.category"));
      }
    } else {
      out.add("event.category", "intrusion_detection");
      if (subtype == "virus" || subtype == "wildfire" || subtype == "wildfire-virus" ||
          subtype == "spyware") {
        out.add("event.category", "malware");
      }
      if (!misc.empty()) set_column(out, "file.name", misc, misc_escaped);
      if (subtype == "file") out.set("event.action", "file_match");
      else if (subtype == "data") out.set("event.action", "data_match");
      else if (subtype == "wildfire") out.set("event.action", "wildfire_verdict");
      else if (subtype == "virus") out.set("event.action", "virus_detected");
      else if (subtype == "spyware") out.set("event.action", "spyware_detected");
      else if (subtype == "vulnerability") out.set("event.action", "exploit_detected");
      else if (subtype == "flood") out.set("event.action", "flood_detected");
      else if (subtype == "scan") out.set("event.action", "scan_detected");
      else if (!subtype.empty()) out.set("event.action", subtype);
      // Detections are alerts, as Suricata alerts and Zeek notices are: the
      // firewall matched a threat signature (virus, spyware: C2 and DNS
      // sinkhole hits, vulnerability: exploits, WildFire's verdict unless
      // benign, the zone protection's flood and scan), whether its action
      // then blocked it or only alerted. url, file and data records are
      // the policy filtering kinds of traffic, not detections.
      const bool benign_verdict =
          (subtype == "wildfire" || subtype == "wildfire-virus") &&
          iequals(out.get("panw.panos.threat.category"), "benign");
      if (subtype != "file" && subtype != "data" && !subtype.empty() && !benign_verdict)
        out.set("event.kind", "alert");
    }
    // The File Digest column holds a SHA-256 on WildFire records.
    if (digest.size() == 64) {
      out.set("file.hash.sha256", digest);
      out.add("related.hash", digest);
    }
    const verdict v = verdict_of(out.get("panw.panos.action"));
    if (v == verdict::denied) {
      out.add("event.type", "denied");
    } else if (v == verdict::allowed) {
      out.add("event.type", "allowed");
    }
    out.add("event.type", "info");
  }
};

}  // namespace

const parser& panos() {
  static const panos_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
