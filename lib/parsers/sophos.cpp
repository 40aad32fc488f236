// sophos: Sophos Firewall (SFOS, the XG series) syslog. Dataset sophos.xg.
//
// Every record is key=value pairs, values quoted when they may hold blanks:
//
//   device="SFW" date=2019-10-09 time=17:19:06 timezone="+08" device_name="XG210"
//     device_id=C01001K234RXPA1 log_id=010101600001 log_type="Firewall"
//     log_component="Firewall Rule" log_subtype="Allowed" status="Allow" ...
//     src_ip=10.0.0.5 dst_ip=203.0.113.9 protocol="TCP" src_port=52667 dst_port=443 ...
//
// (SFOS 19 on: timestamp="2022-05-24T10:53:52+0200", device_model,
// device_serial_id, severity, bytes_sent...). log_type says what wrote
// it: Firewall, Content Filtering, Event (logins and the appliance's own),
// IDP (its IPS), Anti-Virus, ATP, Sandbox, WAF, Anti-Spam. The field map
// below is data; every key without an ECS home stays under sophos.xg.<key>.
// These lines start like FortiOS 4 ones (date=, log_id=): this parser runs
// first.
#include <array>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

enum class as : std::uint8_t { text, ip, port, count, user, lower };

struct key_map {
  std::string_view key;
  std::string_view path;
  as type;
};

constexpr auto field_map = std::to_array<key_map>({
    {"application", "network.application", as::lower},
    {"bytes_received", "destination.bytes", as::count},
    {"bytes_sent", "source.bytes", as::count},
    {"device_id", "observer.serial_number", as::text},
    {"device_model", "observer.product", as::text},
    {"device_name", "observer.name", as::text},
    {"device_serial_id", "observer.serial_number", as::text},
    {"domain", "url.domain", as::text},
    {"dst_ip", "destination.ip", as::ip},
    {"dst_mac", "destination.mac", as::text},
    {"dst_port", "destination.port", as::port},
    {"dstzone", "observer.egress.zone", as::text},
    {"file_name", "file.name", as::text},
    {"filename", "file.name", as::text},
    {"fw_rule_id", "rule.id", as::text},
    {"fw_rule_name", "rule.name", as::text},
    {"in_interface", "observer.ingress.interface.name", as::text},
    {"log_id", "event.code", as::text},
    {"message", "message", as::text},
    {"out_interface", "observer.egress.interface.name", as::text},
    {"packets_received", "destination.packets", as::count},
    {"packets_sent", "source.packets", as::count},
    {"recv_bytes", "destination.bytes", as::count},
    {"recv_pkts", "destination.packets", as::count},
    {"referer", "http.request.referrer", as::text},
    {"sent_bytes", "source.bytes", as::count},
    {"sent_pkts", "source.packets", as::count},
    {"signature_id", "rule.id", as::text},
    {"signature_msg", "rule.name", as::text},
    {"src_ip", "source.ip", as::ip},
    {"src_mac", "source.mac", as::text},
    {"src_port", "source.port", as::port},
    {"srczone", "observer.ingress.zone", as::text},
    {"tran_dst_ip", "destination.nat.ip", as::ip},
    {"tran_dst_port", "destination.nat.port", as::port},
    {"tran_src_ip", "source.nat.ip", as::ip},
    {"tran_src_port", "source.nat.port", as::port},
    {"url", "url.original", as::text},
    {"user_agent", "user_agent.original", as::text},
    {"user_gp", "user.group.name", as::text},
    {"user_name", "source.user.name", as::user},
    {"useragent", "user_agent.original", as::text},
    {"virus", "rule.name", as::text},
});

struct state {
  std::string_view date, time, timezone, timestamp, log_type, log_component, log_subtype, status,
      priority, protocol, message;
};

void map_pair(fields& out, const kv_pair& kv, state& st) {
  const std::string_view key = kv.key, value = kv.value;
  if (value.empty()) return;
  if (key == "date") st.date = value;
  else if (key == "time") st.time = value;
  else if (key == "timezone") st.timezone = value;
  else if (key == "timestamp") st.timestamp = value;
  else if (key == "log_type") st.log_type = value;
  else if (key == "log_component") st.log_component = value;
  else if (key == "log_subtype") st.log_subtype = value;
  else if (key == "status") st.status = value;
  else if (key == "priority" || key == "severity") st.priority = value;
  else if (key == "protocol") st.protocol = value;
  else if (key == "message") st.message = value;
  const bool escaped = kv.quoted && value.find('\\') != std::string_view::npos;
  const key_map* m = find_by_key<field_map>(key);
  if (m == nullptr || escaped) {
    out.set_dynamic("sophos.xg.", key, value, escaped);
    return;
  }
  switch (m->type) {
    case as::text: out.set(m->path, value); break;
    case as::lower: set_lower(out, m->path, value); break;
    case as::ip:
      // "tran_src_ip=" is often empty; an address elsewhere stays as sent.
      if (!set_ip(out, m->path, value)) out.set_dynamic("sophos.xg.", key, value, false);
      break;
    case as::port:
      if (value != "0") set_port(out, m->path, value);
      break;
    case as::count: set_count(out, m->path, value); break;
    case as::user: set_user(out, m->path, value); break;
  }
}

// The stamp: timestamp= (SFOS 19), or date= time= with timezone= as an
// offset ("+08", "+0530", "+05:30"); a zone name ("IST") is the device's
// own, which --tz says.
void set_stamp(fields& out, const state& st, const time::zone& tz) {
  if (!st.timestamp.empty() && set_local_time(out, "@timestamp", st.timestamp, tz)) return;
  if (st.date.size() != 10 || st.time.size() < 8) return;
  char text[48];
  std::size_t n = 0;
  for (char c : st.date) text[n++] = c;
  text[n++] = 'T';
  for (char c : st.time.substr(0, 8)) text[n++] = c;
  std::string_view z = st.timezone;
  if (z.size() >= 3 && (z[0] == '+' || z[0] == '-') && is_digit(z[1]) && is_digit(z[2])) {
    text[n++] = z[0];
    text[n++] = z[1];
    text[n++] = z[2];
    text[n++] = ':';
    z.remove_prefix(3);
    if (!z.empty() && z[0] == ':') z.remove_prefix(1);
    const bool minutes = z.size() == 2 && is_digit(z[0]) && is_digit(z[1]);
    text[n++] = minutes ? z[0] : '0';
    text[n++] = minutes ? z[1] : '0';
  }
  set_local_time(out, "@timestamp", std::string_view(text, n), tz);
}

void categorize(fields& out, const state& st) {
  const std::string_view type = st.log_type, subtype = st.log_subtype;
  if (!subtype.empty()) set_lower(out, "event.action", subtype);
  const verdict v = verdict_of(st.status.empty() ? subtype : st.status);
  // Logins: the firewall's own users (Firewall Authentication) and its
  // administrators (GUI, SSH, console: subtype Admin, "User admin failed to
  // login to WebAdmin ...").
  if (iequals(type, "Event") &&
      (icontains(st.log_component, "Authentication") || iequals(subtype, "Authentication") ||
       icontains(st.message, "login") || icontains(st.message, "logged in"))) {
    out.add("event.category", "authentication");
    out.add("event.type", "start");
    if (icontains(st.status, "success")) out.set("event.outcome", "success");
    else if (icontains(st.status, "fail")) out.set("event.outcome", "failure");
    return;
  }
  if (iequals(type, "Event")) {
    out.add("event.category", "host");
    out.add("event.type", "info");
    return;
  }
  out.add("event.category", "network");
  // IDP is SFOS's IPS; Sandbox its Sandstorm verdicts.
  const bool intrusion = iequals(type, "IDP") || iequals(type, "IPS") || iequals(type, "WAF");
  const bool malware = iequals(type, "Anti-Virus") || iequals(type, "ATP") ||
                       iequals(type, "Advanced Threat Protection") || iequals(type, "Sandbox");
  const bool detection = intrusion || malware || iequals(type, "Anti-Spam");
  if (intrusion) out.add("event.category", "intrusion_detection");
  if (malware) out.add("event.category", "malware");
  if (iequals(type, "Content Filtering")) out.add("event.category", "web");
  if (iequals(type, "Firewall")) out.add("event.type", "connection");
  if (v == verdict::denied) {
    out.add("event.type", "denied");
  } else if (v == verdict::allowed) {
    out.add("event.type", "allowed");
  } else {
    out.add("event.type", "info");
  }
  if (detection) out.set("event.kind", "alert");
  // The appliance did what it logs (as for FortiGate and PAN-OS).
  if (v != verdict::unknown) out.set("event.outcome", "success");
}

// Whether the message is a Sophos Firewall record: device="SFW" first
// (SFOS 17/18), or device_name= first (SFOS 19) with log_type= and one of
// SFOS's device keys near the start. Lines of other devices are turned
// away by their first bytes.
bool is_sophos(std::string_view msg) {
  if (starts_with(msg, "device=\"SFW\"") || starts_with(msg, "device=SFW")) return true;
  if (!starts_with(msg, "device")) return false;
  const std::string_view head = msg.substr(0, 400);
  if (find_text(head, "log_type=") == std::string_view::npos) return false;
  return find_text(head, "device_serial_id=") != std::string_view::npos ||
         (find_text(head, "log_component=") != std::string_view::npos &&
          find_text(head, "device_name=") != std::string_view::npos);
}

class sophos_parser final : public parser {
 public:
  std::string_view name() const override { return "sophos-xg"; }
  std::string_view dataset() const override { return "sophos.xg"; }
  std::string_view description() const override {
    return "Sophos Firewall (SFOS, XG) key=value: firewall, content filtering, IDP, "
           "anti-virus, ATP, sandbox, WAF and event logs";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view msg = line.header.message;
    if (!is_sophos(msg)) return {};
    state st;
    std::size_t pos = 0, pairs = 0;
    kv_pair kv;
    while (next_kv(msg, pos, kv)) {
      map_pair(out, kv, st);
      ++pairs;
    }
    if (pairs < 3) return {outcome::broken, "Sophos Firewall record has fewer than 3 fields"};
    out.set("observer.vendor", "Sophos");
    if (!out.has("observer.product")) out.set("observer.product", "XG");
    out.set("observer.type", "firewall");
    set_stamp(out, st, line.tz);
    if (!st.protocol.empty()) {
      if (auto n = to_int(st.protocol)) {
        out.set("network.iana_number", st.protocol);
        if (const auto t = transport_name(*n); !t.empty()) out.set("network.transport", t);
      } else {
        set_lower(out, "network.transport", st.protocol);
      }
    }
    if (!st.priority.empty()) set_lower(out, "log.level", st.priority);
    if (const std::string_view user = out.get("source.user.name"); !user.empty())
      out.set("user.name", user);
    categorize(out, st);
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& sophos_xg() {
  static const sophos_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
