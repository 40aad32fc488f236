// juniper_srx: Juniper SRX security logs (RT_FLOW session create, close and
// deny; RT_IDP attacks; RT_UTM web filtering, anti-virus and anti-spam;
// RT_SCREEN/RT_IDS screens). Dataset juniper.srx.
//
// Structured form (RFC 5424, "set system syslog ... structured-data"), also
// when a relay wraps it in a BSD header:
//   <14>1 2024-10-03T12:00:00.000+09:00 fw RT_FLOW - RT_FLOW_SESSION_CREATE
//     [junos@2636.1.1.1.2.40 source-address="10.0.0.1" source-port="1234" ...]
// Plain form (the default "brief" text):
//   fw RT_FLOW: RT_FLOW_SESSION_CREATE: session created 10.0.0.1/1234->8.8.8.8/53
//     junos-dns-udp 203.0.113.1/40000->8.8.8.8/53 src-nat None 17 allow trust untrust 123 ...
// ECS names follow Elastic's juniper integration; the Junos parameter
// names (dashes made underscores) are kept under juniper.srx.*.
#include <algorithm>
#include <array>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "syslog/header.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

enum class as : std::uint8_t { text, ip, port, count, user, lower, seconds, url_host, url_path };

struct key_map {
  std::string_view key;
  std::string_view path;
  as type;
};

constexpr auto field_map = std::to_array<key_map>({
    {"application", "network.application", as::lower},
    {"attack-name", "rule.name", as::text},
    {"bytes-from-client", "source.bytes", as::count},
    {"bytes-from-server", "destination.bytes", as::count},
    {"category", "rule.category", as::text},
    {"destination-address", "destination.ip", as::ip},
    {"destination-interface-name", "observer.egress.interface.name", as::text},
    {"destination-port", "destination.port", as::port},
    {"destination-zone-name", "observer.egress.zone", as::text},
    {"elapsed-time", "event.duration", as::seconds},
    {"filename", "file.name", as::text},
    {"inbound-bytes", "destination.bytes", as::count},
    {"inbound-packets", "destination.packets", as::count},
    {"interface-name", "observer.ingress.interface.name", as::text},
    {"message", "message", as::text},
    {"nat-destination-address", "destination.nat.ip", as::ip},
    {"nat-destination-port", "destination.nat.port", as::port},
    {"nat-source-address", "source.nat.ip", as::ip},
    {"nat-source-port", "source.nat.port", as::port},
    {"obj", "url.path", as::url_path},
    {"outbound-bytes", "source.bytes", as::count},
    {"outbound-packets", "source.packets", as::count},
    {"packet-incoming-interface", "observer.ingress.interface.name", as::text},
    {"packets-from-client", "source.packets", as::count},
    {"packets-from-server", "destination.packets", as::count},
    {"rulebase-name", "rule.ruleset", as::text},
    {"protocol-name", "network.transport", as::lower},
    {"reason", "event.reason", as::text},
    {"rule-name", "rule.id", as::text},
    {"source-address", "source.ip", as::ip},
    {"source-interface-name", "observer.ingress.interface.name", as::text},
    {"source-port", "source.port", as::port},
    {"source-zone-name", "observer.ingress.zone", as::text},
    {"url", "url.domain", as::url_host},
    {"username", "source.user.name", as::user},
});

const key_map* map_of(std::string_view key) { return find_by_key<field_map>(key); }

bool is_placeholder(std::string_view v) {
  return v.empty() || v == "N/A" || v == "None" || v == "UNKNOWN" || v == "-";
}

struct state {
  std::string_view tag;  // RT_FLOW_SESSION_CREATE, IDP_ATTACK_LOG_EVENT, ...
  std::string_view action, protocol_id, policy, severity;
};

// One Junos parameter: ECS where it has a home, and juniper.srx.<key> always
// for the names that are Junos-specific.
void map_param(fields& out, std::string_view key, std::string_view raw, state& st) {
  std::string copy;
  std::string_view value = raw;
  if (raw.find('\\') != std::string_view::npos) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
      copy.push_back(raw[i]);
    }
    value = copy;
  }
  const bool copied = value.data() != raw.data();
  if (key == "action") st.action = raw;
  else if (key == "protocol-id") st.protocol_id = raw;
  else if (key == "policy-name") st.policy = raw;
  else if (key == "threat-severity") st.severity = raw;
  if (is_placeholder(value)) return;
  // No translation: NAT fields of 0.0.0.0 / 0.
  if (starts_with(key, "nat-") && (value == "0.0.0.0" || value == "0" || value == "::")) return;
  const key_map* m = map_of(key);
  if (m == nullptr || m->type == as::text || m->type == as::lower) {
    std::string name(key);
    std::replace(name.begin(), name.end(), '-', '_');
    out.set_dynamic("juniper.srx.", name, value, copied);
    if (m == nullptr) return;
  }
  switch (m->type) {
    case as::text:
      if (copied)
        out.set_copy(m->path, value);
      else
        out.set(m->path, value);
      break;
    case as::lower: set_lower(out, m->path, value); break;
    case as::ip: set_ip(out, m->path, value); break;
    case as::port: set_port(out, m->path, value); break;
    case as::count: set_count(out, m->path, value); break;
    case as::seconds:
      if (auto s = to_int(value); s && *s >= 0) out.set_int(m->path, *s * 1'000'000'000);
      break;
    case as::user:
      out.set_copy(m->path, value);
      out.add_copy("related.user", value);
      out.set_copy("user.name", value);
      break;
    case as::url_host:
    case as::url_path: out.set_copy(m->path, value); break;
  }
}

// "10.0.0.1/1234->8.8.8.8/53" (or "a(p)->b(p)"): two endpoints.
bool endpoint_pair(std::string_view token, std::string_view& src, std::string_view& sport,
                   std::string_view& dst, std::string_view& dport) {
  const std::size_t arrow = token.find("->");
  if (arrow == std::string_view::npos) return false;
  auto split = [](std::string_view t, std::string_view& ip, std::string_view& port) {
    if (!t.empty() && t.back() == ')') {
      const std::size_t open = t.rfind('(');
      if (open == std::string_view::npos) return false;
      ip = t.substr(0, open);
      port = t.substr(open + 1, t.size() - open - 2);
      return is_ip(ip);
    }
    if (!split_ip_port(t, '/', ip, port)) return false;
    return is_ip(ip);
  };
  return split(token.substr(0, arrow), src, sport) && split(token.substr(arrow + 2), dst, dport);
}

// Blank-separated words of the plain form.
std::size_t words(std::string_view s, std::array<std::string_view, 48>& w) {
  std::size_t n = 0;
  while (!s.empty() && n < w.size()) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (s.empty()) break;
    w[n++] = take_until(s, ' ');
  }
  return n;
}

// The plain RT_FLOW texts (Junos "RT_FLOW_SESSION_*" message formats).
void plain_flow(fields& out, std::string_view text, state& st) {
  std::array<std::string_view, 48> w{};
  const std::size_t n = words(text, w);
  std::size_t i = 0;
  // "session created", "session closed <reason>:", "session denied"
  if (n < 3 || w[0] != "session") return;
  i = 2;
  if (w[1] == "closed") {
    std::string_view reason;
    const std::size_t start = i;
    while (i < n && (w[i].empty() || w[i].back() != ':')) ++i;
    if (i < n) {
      const char* b = w[start].data();
      const char* e = w[i].data() + w[i].size() - 1;
      reason = std::string_view(b, static_cast<std::size_t>(e - b));
      map_param(out, "reason", reason, st);
      ++i;
    }
  }
  std::string_view a, ap, b, bp;
  if (i >= n || !endpoint_pair(w[i], a, ap, b, bp)) return;
  map_param(out, "source-address", a, st);
  map_param(out, "source-port", ap, st);
  map_param(out, "destination-address", b, st);
  map_param(out, "destination-port", bp, st);
  ++i;
  if (i < n && starts_with(w[i], "0x")) ++i;  // connection tag (12.1X47+)
  if (i < n) map_param(out, "service-name", w[i++], st);
  if (w[1] == "denied") {
    // protocol-id(icmp-type) policy-name source-zone destination-zone application ...
    if (i < n) {
      std::string_view proto = w[i++];
      proto = proto.substr(0, proto.find('('));
      map_param(out, "protocol-id", proto, st);
    }
    if (i < n) map_param(out, "policy-name", w[i++], st);
    if (i < n) map_param(out, "source-zone-name", w[i++], st);
    if (i < n) map_param(out, "destination-zone-name", w[i++], st);
    if (i < n) map_param(out, "application", w[i++], st);
    return;
  }
  if (i < n && endpoint_pair(w[i], a, ap, b, bp)) {
    map_param(out, "nat-source-address", a, st);
    map_param(out, "nat-source-port", ap, st);
    map_param(out, "nat-destination-address", b, st);
    map_param(out, "nat-destination-port", bp, st);
    ++i;
  }
  if (i < n && starts_with(w[i], "0x")) ++i;
  // NAT rule types and names, then the protocol number.
  while (i < n && !(to_int(w[i]) && w[i].size() <= 3)) ++i;
  if (i < n) map_param(out, "protocol-id", w[i++], st);
  if (i < n) map_param(out, "policy-name", w[i++], st);
  if (i < n) map_param(out, "source-zone-name", w[i++], st);
  if (i < n) map_param(out, "destination-zone-name", w[i++], st);
  if (i < n) map_param(out, "session-id-32", w[i++], st);
  if (w[1] == "closed") {
    // packets(bytes) from client, then from server, elapsed time
    auto counts = [&](std::string_view t, std::string_view packets, std::string_view bytes) {
      const std::size_t open = t.find('(');
      if (open == std::string_view::npos || t.back() != ')') return;
      map_param(out, packets, t.substr(0, open), st);
      map_param(out, bytes, t.substr(open + 1, t.size() - open - 2), st);
    };
    if (i < n) counts(w[i++], "packets-from-client", "bytes-from-client");
    if (i < n) counts(w[i++], "packets-from-server", "bytes-from-server");
    if (i < n) map_param(out, "elapsed-time", w[i++], st);
    // ... application nested-application username(roles) packet-incoming-interface
    if (i < n) map_param(out, "application", w[i++], st);
    if (i < n) map_param(out, "nested-application", w[i++], st);
  }
  if (i < n) {
    const std::string_view user = w[i].substr(0, w[i].find('('));
    map_param(out, "username", user, st);
    ++i;
  }
  if (i < n) map_param(out, "packet-incoming-interface", w[i++], st);
  if (i < n && w[1] == "created") map_param(out, "application", w[i++], st);
}

// Other plain texts (UTM, IDP, screens): the first endpoint pair and any
// KEY=value words ("ACTION=\"URL Blocked\"", "action=DROP,").
void plain_generic(fields& out, std::string_view text, state& st) {
  std::array<std::string_view, 48> w{};
  const std::size_t n = words(text, w);
  for (std::size_t i = 0; i < n; ++i) {
    std::string_view t = w[i];
    if (!t.empty() && t.front() == '<') t.remove_prefix(1);
    while (!t.empty() && (t.back() == '>' || t.back() == ',')) t.remove_suffix(1);
    std::string_view a, ap, b, bp;
    if (!out.has("source.ip") && endpoint_pair(t, a, ap, b, bp)) {
      map_param(out, "source-address", a, st);
      map_param(out, "source-port", ap, st);
      map_param(out, "destination-address", b, st);
      map_param(out, "destination-port", bp, st);
    }
  }
  std::size_t pos = 0;
  kv_pair kv;
  std::string key;
  while (next_kv(text, pos, kv)) {
    key.assign(kv.key);
    for (char& c : key) c = c == '_' ? '-' : lower(c);
    std::string_view value = kv.value;
    while (!value.empty() && value.back() == ',') value.remove_suffix(1);
    if (key == "name") key = "attack-name";
    if (key == "source-address" || key == "destination-address") continue;
    // The map keeps views: only keys it knows are looked up through a
    // stable literal.
    if (const key_map* m = map_of(key)) {
      map_param(out, m->key, value, st);
    } else if (key == "action") {
      map_param(out, "action", value, st);
    } else if (key == "threat-severity") {
      map_param(out, "threat-severity", value, st);
    } else if (!value.empty()) {
      std::replace(key.begin(), key.end(), '-', '_');
      out.set_dynamic("juniper.srx.", key, value, true);
    }
  }
}

void categorize(fields& out, const state& st) {
  const std::string_view tag = st.tag;
  const verdict v = verdict_of(st.action);
  out.add("event.category", "network");
  if (tag == "RT_FLOW_SESSION_CREATE" || tag == "RT_FLOW_SESSION_CREATE_LS") {
    out.set("event.action", "flow_started");
    out.add("event.type", "connection");
    out.add("event.type", "allowed");
    out.add("event.type", "start");
    out.set("event.outcome", "success");
  } else if (tag == "RT_FLOW_SESSION_CLOSE" || tag == "RT_FLOW_SESSION_CLOSE_LS") {
    out.set("event.action", "flow_close");
    out.add("event.type", "connection");
    out.add("event.type", "end");
    out.set("event.outcome", "success");
  } else if (tag == "RT_FLOW_SESSION_DENY" || tag == "RT_FLOW_SESSION_DENY_LS") {
    out.set("event.action", "flow_deny");
    out.add("event.type", "connection");
    out.add("event.type", "denied");
    out.set("event.outcome", "success");
  } else if (starts_with(tag, "IDP_")) {
    out.set("event.action", "security_threat");
    out.add("event.category", "intrusion_detection");
    out.add("event.type", v == verdict::denied ? "denied" : "allowed");
    out.add("event.type", "info");
  } else if (starts_with(tag, "WEBFILTER_") || starts_with(tag, "CONTENT_")) {
    out.set("event.action", "web_filter");
    out.add("event.category", "web");
    out.add("event.type", tag.find("BLOCKED") != std::string_view::npos ? "denied" : "allowed");
  } else if (starts_with(tag, "AV_")) {
    out.set("event.action", "virus_detected");
    out.add("event.category", "malware");
    out.add("event.type", "info");
  } else if (starts_with(tag, "ANTISPAM_")) {
    out.set("event.action", "spam_detected");
    out.add("event.category", "email");
    out.add("event.type", "info");
  } else if (starts_with(tag, "RT_SCREEN_")) {
    out.set("event.action", "screen");
    out.add("event.category", "intrusion_detection");
    out.add("event.type", v == verdict::denied ? "denied" : "info");
  } else {
    if (!tag.empty()) set_lower(out, "event.action", tag);
    out.add("event.type", v == verdict::denied ? "denied" : "info");
  }
  // rule.name: the attack on IDP records, else the security policy.
  if (!st.policy.empty() && !is_placeholder(st.policy) && !out.has("rule.name"))
    out.set("rule.name", st.policy);
}

class juniper_srx_parser final : public parser {
 public:
  std::string_view name() const override { return "juniper-srx"; }
  std::string_view dataset() const override { return "juniper.srx"; }
  std::string_view description() const override {
    return "Juniper SRX: RT_FLOW session create/close/deny, RT_IDP, RT_UTM, screens "
           "(structured and plain syslog)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const syslog::header& h = line.header;
    state st;
    std::string_view sd;
    if (h.format == syslog::header_format::rfc5424 && is_junos_app(h.app_name) &&
        starts_with(h.structured_data, "[junos@")) {
      st.tag = h.msgid;
      sd = h.structured_data;
    } else {
      // A BSD header around the structured form:
      // "... junos-flow: 2017-09-23T13:54:54.803Z host RT_FLOW - RT_FLOW_SESSION_DENY [junos@..."
      const std::string_view msg = h.message;
      const std::size_t at = find_text(msg, " [junos@");
      if (at != std::string_view::npos && at < 200) {
        std::string_view head = msg.substr(0, at);
        const std::size_t space = head.rfind(' ');
        st.tag = space == std::string_view::npos ? head : head.substr(space + 1);
        sd = msg.substr(at + 1);
      }
    }
    if (!sd.empty()) {
      std::size_t pos = 0;
      syslog::sd_param p;
      std::size_t params = 0;
      while (syslog::next_sd_param(sd, pos, p)) {
        if (!starts_with(p.sd_id, "junos@")) continue;
        map_param(out, p.name, p.value, st);
        ++params;
      }
      if (params == 0 && sd.find('=') != std::string_view::npos)
        return {outcome::broken, "Junos structured data has no readable parameter"};
    } else {
      // Plain form: "RT_FLOW: RT_FLOW_SESSION_CREATE: session created ..."
      std::string_view msg = h.message;
      if (!is_junos_app(h.app_name)) {
        const std::size_t colon = msg.find(": ");
        if (colon == std::string_view::npos || colon > 40 || !is_junos_app(msg.substr(0, colon)))
          return {};
        msg.remove_prefix(colon + 2);
      }
      const std::size_t colon = msg.find(": ");
      if (colon == std::string_view::npos || colon > 48) return {};
      st.tag = msg.substr(0, colon);
      if (!is_tag(st.tag)) return {};
      const std::string_view text = msg.substr(colon + 2);
      if (starts_with(st.tag, "RT_FLOW_SESSION_"))
        plain_flow(out, text, st);
      else
        plain_generic(out, text, st);
      if (!out.has("message")) out.set("message", text);
    }
    if (st.tag.empty()) return {outcome::broken, "Junos record has no message tag"};
    out.set("observer.vendor", "Juniper");
    out.set("observer.product", "SRX");
    out.set("observer.type", "firewall");
    out.set("juniper.srx.tag", st.tag);
    if (auto p = to_int(st.protocol_id); p && *p >= 0) {
      out.set("network.iana_number", st.protocol_id);
      if (auto t = transport_name(*p); !t.empty()) out.set("network.transport", t);
    }
    if (!st.action.empty()) out.set("juniper.srx.action", st.action);
    if (!st.severity.empty()) set_lower(out, "log.level", st.severity);
    categorize(out, st);
    return {outcome::parsed, {}};
  }

 private:
  static bool is_junos_app(std::string_view app) {
    return starts_with(app, "RT_") || starts_with(app, "junos") || app == "Juniper";
  }
  static bool is_tag(std::string_view tag) {
    if (tag.size() < 4) return false;
    for (char c : tag) {
      if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c == '_')) return false;
    }
    return true;
  }
};

}  // namespace

const parser& juniper_srx() {
  static const juniper_srx_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
