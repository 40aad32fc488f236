// snort: Snort (2 and 3) "fast" alerts, as written to alert.fast / fast.log
// (Suricata writes the same layout) or sent to syslog. Dataset snort.log.
//
//   10/03-12:00:00.123456  [**] [1:2010937:3] ET POLICY mySQL [**]
//     [Classification: Potentially Bad Traffic] [Priority: 2] {TCP} 10.0.0.5:51234 -> 10.0.0.2:3306
//   Oct  3 12:00:00 ids snort[1234]: [1:2010937:3] ET POLICY mySQL
//     [Classification: Potentially Bad Traffic] [Priority: 2]: <eth0> {TCP} 10.0.0.5:51234 -> 10.0.0.2:3306
//
// The stamp has no year (unless snort ran with -y): it is the year nearest
// the receive time, read in the device zone.
#include <chrono>
#include <cstdio>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/civil.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

// "MM/DD-HH:MM:SS.ffffff", "MM/DD/YY-HH:MM:SS.ffffff" (snort -y) or
// "MM/DD/YYYY-HH:MM:SS.ffffff" (Suricata) at the line start.
bool set_fast_time(fields& out, std::string_view s, const line_context& line) {
  auto two = [&](std::size_t at) -> int {
    if (at + 2 > s.size() || !is_digit(s[at]) || !is_digit(s[at + 1])) return -1;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
  };
  const int month = two(0), day = two(3);
  if (month < 1 || s.size() < 14 || s[2] != '/') return false;
  std::size_t at = 5;
  int year = -1;
  if (s[5] == '/' && s.size() > 10 && s[10] == '-') {
    // Suricata's fast.log: "MM/DD/YYYY-"
    const int century = two(6), rest = two(8);
    if (century < 0 || rest < 0) return false;
    year = century * 100 + rest;
    at = 10;
  } else if (s[5] == '/') {
    const int yy = two(6);
    if (yy < 0) return false;
    year = 2000 + yy;
    at = 8;
  }
  if (at >= s.size() || s[at] != '-') return false;
  const int hour = two(at + 1), minute = two(at + 4), second = two(at + 7);
  if (hour < 0 || minute < 0 || second < 0) return false;
  std::size_t end = at + 9;
  std::size_t frac_end = end;
  if (end < s.size() && s[end] == '.') {
    frac_end = end + 1;
    while (frac_end < s.size() && frac_end < end + 10 && is_digit(s[frac_end])) ++frac_end;
  }
  const time::civil_time received = time::civil_from_utc(line.received);
  // Without a year: this year, or last year when that puts it in the future.
  const int candidates[2] = {year >= 0 ? year : received.year, received.year - 1};
  for (std::size_t k = 0; k < (year >= 0 ? 1U : 2U); ++k) {
    const int y = candidates[k];
    char text[48];
    const int n = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%.*s", y, month,
                                day, hour, minute, second, static_cast<int>(frac_end - end),
                                s.data() + end);
    auto t = time::parse_local_iso(std::string_view(text, static_cast<std::size_t>(n)), line.tz);
    if (!t) continue;
    // Nearest the receive time: at most a day ahead of it.
    if (year < 0 && *t > line.received + std::chrono::hours(24)) continue;
    set_time(out, "@timestamp", *t);
    return true;
  }
  return false;
}

// "ip:port", "[ipv6]:port", or a bare address (ICMP).
void set_address(fields& out, std::string_view text, bool source) {
  const std::string_view ip_path = source ? "source.ip" : "destination.ip";
  const std::string_view port_path = source ? "source.port" : "destination.port";
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return;
    set_ip(out, ip_path, text.substr(1, close - 1));
    if (close + 1 < text.size() && text[close + 1] == ':')
      set_port(out, port_path, text.substr(close + 2));
    return;
  }
  if (set_ip(out, ip_path, text)) return;
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return;
  if (set_ip(out, ip_path, text.substr(0, colon))) set_port(out, port_path, text.substr(colon + 1));
}

class snort_parser final : public parser {
 public:
  std::string_view name() const override { return "snort"; }
  std::string_view dataset() const override { return "snort.log"; }
  std::string_view description() const override {
    return "Snort (and Suricata) fast alerts: [**] [gid:sid:rev] msg [**] [Classification] "
           "[Priority] {PROTO} src -> dst";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    // Fast alert files start with the stamp; syslog lines with the rule id.
    std::string_view stamp;
    const std::size_t stars = msg.substr(0, 48).find("[**] [");
    std::string_view body;
    if (stars != std::string_view::npos) {
      stamp = msg.substr(0, stars);
      body = msg.substr(stars + 5);
    } else if (starts_with(msg, "[") && msg.size() > 6 && is_digit(msg[1])) {
      body = msg;
    } else {
      return {};
    }
    // [gid:sid:rev]
    if (body.empty() || body[0] != '[') return {};
    const std::size_t close = body.find(']');
    if (close == std::string_view::npos) return {};
    const std::string_view ids = body.substr(1, close - 1);
    std::string_view rest_ids = ids;
    const std::string_view gid = take_until(rest_ids, ':');
    const std::string_view sid = take_until(rest_ids, ':');
    const std::string_view rev = rest_ids;
    if (!to_int(gid) || !to_int(sid) || !to_int(rev)) return {};
    std::string_view rest = body.substr(close + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    // The message runs to " [**]" (fast) or to " [Classification:" / " [Priority:".
    std::size_t end = rest.find(" [**]");
    if (end == std::string_view::npos) end = rest.find(" [Classification:");
    if (end == std::string_view::npos) end = rest.find(" [Priority:");
    if (end == std::string_view::npos) end = rest.find(" {");
    if (end == std::string_view::npos) {
      // Without "[**]" a "[10:22:17]" clock reads like [gid:sid:rev]: such
      // a line is another program's, not a broken alert.
      if (stars == std::string_view::npos) return {};
      return {outcome::broken, "Snort alert has no message end"};
    }
    const std::string_view message = rest.substr(0, end);
    rest = rest.substr(end);
    if (!message.empty()) {
      out.set("rule.name", message);
      out.set("message", message);
    }
    out.set("rule.id", sid);
    out.set("rule.version", rev);
    out.set("snort.gid", gid);
    if (const std::size_t c = rest.find("[Classification: "); c != std::string_view::npos) {
      const std::size_t e = rest.find(']', c);
      if (e != std::string_view::npos) out.set("rule.category", rest.substr(c + 17, e - c - 17));
    }
    if (const std::size_t p = rest.find("[Priority: "); p != std::string_view::npos) {
      const std::size_t e = rest.find(']', p);
      if (e != std::string_view::npos) {
        if (auto n = to_int(rest.substr(p + 11, e - p - 11))) out.set_int("event.severity", *n);
      }
    }
    if (const std::size_t iface = rest.find(" <"); iface != std::string_view::npos) {
      const std::size_t e = rest.find('>', iface);
      if (e != std::string_view::npos)
        out.set("observer.ingress.interface.name", rest.substr(iface + 2, e - iface - 2));
    }
    const std::size_t brace = rest.find('{');
    if (brace == std::string_view::npos) return {outcome::broken, "Snort alert has no {PROTO}"};
    const std::size_t brace_end = rest.find('}', brace);
    if (brace_end == std::string_view::npos)
      return {outcome::broken, "Snort alert: unclosed {PROTO"};
    const std::string_view proto = rest.substr(brace + 1, brace_end - brace - 1);
    if (auto number = to_int(proto)) {
      out.set("network.iana_number", proto);
      if (auto t = transport_name(*number); !t.empty()) out.set("network.transport", t);
    } else {
      set_lower(out, "network.transport", proto);
    }
    std::string_view flow = rest.substr(brace_end + 1);
    while (!flow.empty() && flow.front() == ' ') flow.remove_prefix(1);
    while (!flow.empty() && (flow.back() == ' ' || flow.back() == '\r')) flow.remove_suffix(1);
    const std::size_t arrow = flow.find(" -> ");
    if (arrow == std::string_view::npos) return {outcome::broken, "Snort alert has no src -> dst"};
    set_address(out, flow.substr(0, arrow), true);
    set_address(out, flow.substr(arrow + 4), false);
    while (!stamp.empty() && stamp.back() == ' ') stamp.remove_suffix(1);
    if (!stamp.empty()) set_fast_time(out, stamp, line);
    out.set("observer.vendor", "Snort");
    out.set("observer.product", "Snort");
    out.set("observer.type", "ids");
    out.add("event.category", "network");
    out.add("event.category", "intrusion_detection");
    out.add("event.type", "info");
    out.set("event.action", "alert");  // the fast format has no drop verdict
    out.set("event.kind", "alert");
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& snort() {
  static const snort_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
