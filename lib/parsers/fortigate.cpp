// fortigate: FortiGate/FortiOS key=value logs (traffic, utm, event), with or
// without a syslog header. Dataset fortinet.fortigate.
//
// The field map below is data: each FortiOS key that has an ECS home names
// it; every other key is kept under fortinet.firewall.<key>.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/civil.hpp"
#include "time/format.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

// ip: an address of the session's ends, also in related.ip; nat_ip: a
// translated address, not in related.ip (as Filebeat's fortinet module
// has them); dashed: a category whose dots become dashes ("Web.Client" is
// "Web-Client", as Filebeat writes rule.category).
enum class as : std::uint8_t { text, integer, ip, nat_ip, lower, user, seconds, dashed };

struct key_map {
  std::string_view key;
  std::string_view path;
  as type;
};

// FortiOS key -> ECS path.
constexpr auto field_map = std::to_array<key_map>({
    {"action", "event.action", as::text},
    {"agent", "user_agent.original", as::text},
    {"app", "network.application", as::lower},
    {"appcat", "rule.category", as::dashed},
    {"attack", "rule.name", as::text},
    {"attackid", "rule.id", as::text},
    {"catdesc", "rule.category", as::text},
    {"devid", "observer.serial_number", as::text},
    {"device_id", "observer.serial_number", as::text},
    {"log_id", "event.code", as::text},
    {"src", "source.ip", as::ip},
    {"src_port", "source.port", as::integer},
    {"dst", "destination.ip", as::ip},
    {"dst_port", "destination.port", as::integer},
    {"devname", "observer.name", as::text},
    {"dstip", "destination.ip", as::ip},
    {"dstmac", "destination.mac", as::text},
    {"dstname", "destination.domain", as::text},
    {"dstport", "destination.port", as::integer},
    {"dstuser", "destination.user.name", as::user},
    {"duration", "event.duration", as::seconds},
    {"filehash", "file.hash.sha256", as::text},
    {"filename", "file.name", as::text},
    {"filesize", "file.size", as::integer},
    {"group", "source.user.group.name", as::text},
    {"hostname", "url.domain", as::text},
    {"level", "log.level", as::text},
    {"logid", "event.code", as::text},
    {"msg", "message", as::text},
    {"policyid", "rule.id", as::text},
    {"policyname", "rule.name", as::text},
    {"policytype", "rule.ruleset", as::text},
    {"poluuid", "rule.uuid", as::text},
    {"qname", "dns.question.name", as::text},
    {"qtype", "dns.question.type", as::text},
    {"rcvdbyte", "destination.bytes", as::integer},
    {"rcvdpkt", "destination.packets", as::integer},
    {"referralurl", "http.request.referrer", as::text},
    {"remip", "destination.ip", as::ip},
    {"remport", "destination.port", as::integer},
    {"sentbyte", "source.bytes", as::integer},
    {"sentpkt", "source.packets", as::integer},
    {"service", "network.protocol", as::lower},
    {"srcip", "source.ip", as::ip},
    {"srcmac", "source.mac", as::text},
    {"srcname", "source.domain", as::text},
    {"srcport", "source.port", as::integer},
    {"srcintf", "observer.ingress.interface.name", as::text},
    {"dstintf", "observer.egress.interface.name", as::text},
    {"tranip", "destination.nat.ip", as::nat_ip},
    {"tranport", "destination.nat.port", as::integer},
    {"transip", "source.nat.ip", as::nat_ip},
    {"transport", "source.nat.port", as::integer},
    {"tz", "event.timezone", as::text},
    {"unauthuser", "source.user.name", as::user},
    {"user", "source.user.name", as::user},
});

// Keys the parser reads itself, besides (or instead of) mapping them.
enum class special : std::uint8_t {
  none, date, time, tz, type, subtype, status, url, proto,
  sentbyte, rcvdbyte, sentpkt, rcvdpkt, utmaction, app, eventtime,
  direction, applist, profile, ipaddr, locip, locport, other_ip, result
};

struct key_info {
  const key_map* map = nullptr;
  special role = special::none;
};

// Every key of interest in one open-addressed table, built once: a line has
// some 50 keys, and one probe finds each.
class key_table {
 public:
  key_table() {
    constexpr std::pair<std::string_view, special> roles[] = {
        {"date", special::date},       {"time", special::time},     {"tz", special::tz},
        {"type", special::type},       {"subtype", special::subtype}, {"status", special::status},
        {"url", special::url},         {"proto", special::proto},
        {"sentbyte", special::sentbyte}, {"rcvdbyte", special::rcvdbyte},
        {"sentpkt", special::sentpkt}, {"rcvdpkt", special::rcvdpkt},
        {"utmaction", special::utmaction}, {"app", special::app},
        {"eventtime", special::eventtime}, {"dir", special::direction},
        {"direction", special::direction}, {"applist", special::applist},
        {"profile", special::profile}, {"ipaddr", special::ipaddr}, {"locip", special::locip},
        {"locport", special::locport}, {"ip", special::other_ip},
        {"assignip", special::other_ip}, {"tunnelip", special::other_ip},
        {"result", special::result}};
    for (const auto& [key, role] : roles) slot_for(key).info.role = role;
    for (const key_map& m : field_map) {
      slot& s = slot_for(m.key);
      if (s.info.map == nullptr) s.info.map = &m;  // the first mapping of a key wins
    }
  }
  [[nodiscard]] key_info find(std::string_view key) const {
    if (key.empty()) return {};
    for (std::size_t i = hash(key);; i = (i + 1) & (size - 1)) {
      const slot& s = slots_[i];
      if (s.key.empty()) return {};
      if (same(s.key, key)) return s.info;
    }
  }

 private:
  static constexpr std::size_t size = 256;  // a power of two, well above the keys
  struct slot {
    std::string_view key;
    key_info info;
  };
  // Equal texts, compared without a call: keys are short.
  static bool same(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    if (n > 16) return a == b;
    if (n >= 8) {
      std::uint64_t a0, a1, b0, b1;
      std::memcpy(&a0, a.data(), 8);
      std::memcpy(&a1, a.data() + n - 8, 8);
      std::memcpy(&b0, b.data(), 8);
      std::memcpy(&b1, b.data() + n - 8, 8);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n >= 4) {
      std::uint32_t a0, a1, b0, b1;
      std::memcpy(&a0, a.data(), 4);
      std::memcpy(&a1, a.data() + n - 4, 4);
      std::memcpy(&b0, b.data(), 4);
      std::memcpy(&b1, b.data() + n - 4, 4);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  static std::size_t hash(std::string_view k) {
    const auto c = [&](std::size_t i) { return static_cast<unsigned char>(k[i]); };
    return (k.size() * 31 + c(0) * 7 + c(k.size() - 1) * 131 + c(k.size() / 2) * 17) & (size - 1);
  }
  slot& slot_for(std::string_view key) {
    for (std::size_t i = hash(key);; i = (i + 1) & (size - 1)) {
      slot& s = slots_[i];
      if (s.key.empty()) s.key = key;
      if (s.key == key) return s;
    }
  }
  std::array<slot, size> slots_{};
};

const key_table& keys() {
  static const key_table table;
  return table;
}

std::string_view transport_name(std::int64_t proto) {
  switch (proto) {
    case 1: return "icmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 47: return "gre";
    case 50: return "esp";
    case 58: return "ipv6-icmp";
    default: return {};
  }
}

// "2019-05-15" + "18:03:36" (+ tz "-0700") in the device zone.
bool set_time(fields& out, std::string_view date, std::string_view time_of_day,
              std::string_view tz_text, const time::zone& zone, char* buffer) {
  if (date.size() != 10 || time_of_day.size() < 8) return false;
  char text[40];
  std::size_t n = 0;
  for (char c : date) text[n++] = c;
  text[n++] = 'T';
  for (std::size_t i = 0; i < 8; ++i) text[n++] = time_of_day[i];
  if (tz_text.size() == 5 && (tz_text[0] == '+' || tz_text[0] == '-')) {
    for (char c : tz_text) text[n++] = c;
  }
  auto t = time::parse_local_iso(std::string_view(text, n), zone);
  if (!t) return false;
  time::write_utc_ms(buffer, *t);
  out.set_copy("@timestamp", std::string_view(buffer, time::utc_ms_length));
  return true;
}

// eventtime= (when the device saw the event, FortiOS 6 on) as event.start:
// seconds, milliseconds, microseconds or nanoseconds since the epoch, told
// apart by their number of digits (10, 13, 16, 19).
void set_start(fields& out, std::string_view epoch, char* buffer) {
  if (epoch.empty() || epoch.size() > 19 || !is_digit(epoch[0])) return;
  std::int64_t n = 0;
  const auto [end, error] = std::from_chars(epoch.data(), epoch.data() + epoch.size(), n);
  if (error != std::errc{} || end != epoch.data() + epoch.size()) return;
  const std::size_t digits = epoch.size();
  const time::timestamp t = digits > 16   ? time::timestamp::from_nanos(n)
                            : digits > 13 ? time::timestamp::from_micros(n)
                            : digits > 11 ? time::timestamp::from_millis(n)
                                          : time::timestamp::from_seconds(n);
  time::write_utc_ms(buffer, t);
  out.set_copy("event.start", std::string_view(buffer, time::utc_ms_length));
}

class fortigate_parser final : public parser {
 public:
  std::string_view name() const override { return "fortigate"; }
  std::string_view dataset() const override { return "fortinet.fortigate"; }
  std::string_view description() const override {
    return "FortiGate key=value logs: traffic, utm (webfilter, virus, ips, app-ctrl, dns), event";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    // FortiGate lines start with one of its keys (date= on FortiOS 5/6,
    // logver= or timestamp= on 7), perhaps after a relay's own prefix
    // ("2018 Apr 09 16:03:11 relay->10.0.0.1 date=..."), and carry logid=
    // (log_id= on FortiOS 4).
    if (!(starts_with(msg, "date=") || starts_with(msg, "logver=") ||
          starts_with(msg, "timestamp=") || starts_with(msg, "devname=") ||
          starts_with(msg, "eventtime=") || starts_with(msg, "time="))) {
      const std::size_t date = find_text(msg.substr(0, 96), " date=");
      if (date == std::string_view::npos) return {};
      msg.remove_prefix(date + 1);
    }
    // "date=... time=..." first is FortiOS's own layout: a line without a
    // logid= (FortiClient EMS updates relayed by the FortiGate) is still one.
    auto dated = [&] {
      return starts_with(msg, "date=") && msg.find(" time=") < 24 &&
             (msg.find(" desc=") != std::string_view::npos ||
              msg.find(" devid=") != std::string_view::npos ||
              msg.find(" devname=") != std::string_view::npos);
    };
    if (msg.find("logid=") == std::string_view::npos &&
        msg.find("log_id=") == std::string_view::npos && !dated()) {
      return {};
    }
    std::string_view date, time_of_day, tz, type, subtype, status, url, proto_text, event_time;
    std::int64_t proto = -1;
    // Traffic totals (network.bytes and .packets: both ways, when the log
    // gives both), and what the event types of a traffic log depend on.
    std::optional<std::int64_t> sent_bytes, received_bytes, sent_packets, received_packets;
    traffic_facts facts;
    std::size_t pos = 0;
    kv_pair kv;
    std::size_t pairs = 0;
    const key_table& table = keys();
    while (next_kv(msg, pos, kv)) {
      ++pairs;
      const key_info info = table.find(kv.key);
      switch (info.role) {
        case special::none: break;
        case special::date: date = kv.value; break;
        case special::time: time_of_day = kv.value; break;
        case special::tz: tz = kv.value; break;
        case special::type: type = kv.value; break;
        case special::subtype: subtype = kv.value; break;
        case special::status: status = kv.value; break;
        case special::url: url = kv.value; break;
        case special::proto:
          proto = to_int(kv.value).value_or(-1);
          proto_text = kv.value;
          break;
        case special::sentbyte: sent_bytes = to_int(kv.value); break;
        case special::rcvdbyte: received_bytes = to_int(kv.value); break;
        case special::sentpkt: sent_packets = to_int(kv.value); break;
        case special::rcvdpkt: received_packets = to_int(kv.value); break;
        case special::utmaction: facts.utm_action = kv.value; break;
        case special::app: facts.application = !kv.value.empty() && kv.value != "N/A"; break;
        case special::eventtime: event_time = kv.value; break;
        case special::direction: facts.direction = kv.value; break;
        case special::applist: facts.applist = kv.value; break;
        case special::profile: facts.profile = kv.value; break;
        case special::ipaddr: facts.resolved = kv.value; break;
        case special::locip: facts.local_ip = kv.value; break;
        case special::locport: facts.local_port = kv.value; break;
        case special::other_ip:
          if (is_ip(kv.value)) out.add("related.ip", kv.value);
          break;
        case special::result: facts.result = kv.value; break;
      }
      const key_map* m = info.map;
      if (m == nullptr || kv.value.empty() || kv.value == "N/A") {
        if (!kv.value.empty())
          out.set_dynamic("fortinet.firewall.", kv.key, kv.value,
                          kv.value.find('\\') != std::string_view::npos);
        continue;
      }
      switch (m->type) {
        case as::text: out.set(m->path, kv.value); break;
        case as::lower: set_lower(out, m->path, kv.value); break;
        case as::integer:
          if (auto n = to_int(kv.value)) out.set_int(m->path, *n);
          break;
        case as::seconds:
          if (auto n = to_int(kv.value)) out.set_int(m->path, *n * 1'000'000'000);
          break;
        case as::ip:
          if (is_ip(kv.value)) {
            out.set(m->path, kv.value);
            out.add("related.ip", kv.value);
          }
          break;
        case as::nat_ip:
          if (is_ip(kv.value)) out.set(m->path, kv.value);
          break;
        case as::dashed:
          if (kv.value.find('.') == std::string_view::npos) {
            out.set(m->path, kv.value);
          } else {
            std::string dashed(kv.value);
            std::replace(dashed.begin(), dashed.end(), '.', '-');
            out.set_copy(m->path, dashed);
          }
          break;
        case as::user:
          out.set(m->path, kv.value);
          out.add("related.user", kv.value);
          if (m->path == "source.user.name") out.set("user.name", kv.value);
          break;
      }
    }
    if (pairs < 3) return {outcome::broken, "too few key=value pairs"};
    // Without date= and time= the envelope's stamp stands.
    set_time(out, date, time_of_day, tz, line.tz, stamp_);
    set_start(out, event_time, start_);
    out.set("observer.vendor", "Fortinet");
    // The other Fortinet appliances write the same layout; their serial
    // numbers say which one it is (FortiGate's start FG, FGT, FW...).
    const std::string_view serial = out.get("observer.serial_number");
    if (starts_with(serial, "FE")) {
      out.set("observer.product", "FortiMail");
      out.set("observer.type", "mail");
    } else if (starts_with(serial, "FV")) {
      out.set("observer.product", "FortiWeb");
      out.set("observer.type", "waf");
    } else if (starts_with(serial, "FAC")) {
      out.set("observer.product", "FortiAuthenticator");
      out.set("observer.type", "authentication");
    } else {
      out.set("observer.product", "Fortigate");
      out.set("observer.type", "firewall");
    }
    if (proto >= 0) {
      out.set("network.iana_number", proto_text);  // a keyword in ECS
      if (auto t = transport_name(proto); !t.empty()) out.set("network.transport", t);
    }
    if (!url.empty()) {
      // "url" is the path on webfilter logs; with hostname it makes a URL.
      if (url.find("://") != std::string_view::npos)
        set_url(out, url);
      else {
        out.set("url.path", url.substr(0, url.find('?')));
        if (url.find('?') != std::string_view::npos)
          out.set("url.query", url.substr(url.find('?') + 1));
        out.set("url.original", url);
      }
    }
    // A VPN login comes from the remote peer (remip=): that is its source,
    // what a brute-force rule groups by, and the firewall's end (locip=)
    // its destination.
    const std::string_view action_word = out.get("event.action");
    if (type == "event" && subtype == "vpn" &&
        action_word.find("login") != std::string_view::npos && !out.has("source.ip") &&
        out.has("destination.ip")) {
      out.set_copy("source.ip", out.get("destination.ip"));
      out.remove("destination.ip");
      if (is_ip(facts.local_ip)) out.set("destination.ip", facts.local_ip);
    }
    // A VPN event's own end is its source when nothing else is.
    if (!out.has("source.ip") && is_ip(facts.local_ip)) {
      out.set("source.ip", facts.local_ip);
      out.add("related.ip", facts.local_ip);
      if (auto n = to_int(facts.local_port); n && *n >= 0 && *n <= 65535)
        out.set_int("source.port", *n);
    }
    // A DNS answer's addresses.
    for (std::string_view rest = facts.resolved; !rest.empty();) {
      std::string_view ip = take_until(rest, ',');
      while (!ip.empty() && ip.front() == ' ') ip.remove_prefix(1);
      if (is_ip(ip)) {
        out.add("dns.resolved_ip", ip);
        out.add("related.ip", ip);
      }
    }
    // Direction: as the device says (utm direction=, event dir=), else from
    // where the two ends are (private ranges inside).
    if (facts.direction == "outgoing" || facts.direction == "outbound")
      out.set("network.direction", "outbound");
    else if (facts.direction == "incoming" || facts.direction == "inbound")
      out.set("network.direction", "inbound");
    else
      vendor::set_network_direction(out, out.get("source.ip"), out.get("destination.ip"));
    // The UTM profile that acted is a utm log's ruleset (the policy type
    // is a traffic log's).
    if (type == "utm") {
      if (!facts.applist.empty() && facts.applist != "N/A")
        out.set("rule.ruleset", facts.applist);
      else if (!facts.profile.empty() && facts.profile != "N/A")
        out.set("rule.ruleset", facts.profile);
    }
    if (sent_bytes && received_bytes) out.set_int("network.bytes", *sent_bytes + *received_bytes);
    if (sent_packets && received_packets) {
      out.set_int("network.packets", *sent_packets + *received_packets);
    }
    categorize(out, type, subtype, status, facts);
    return {outcome::parsed, {}};
  }

 private:
  struct traffic_facts {
    std::string_view utm_action;  // utmaction=: what a UTM profile did in the session
    bool application = false;     // app=: the session's application is known
    std::string_view direction;   // dir= / direction=: incoming, outgoing, inbound...
    std::string_view applist, profile;  // the UTM profile that acted
    std::string_view resolved;    // ipaddr=: a DNS answer's addresses, ", " between
    std::string_view local_ip, local_port;  // locip=, locport=: a VPN's own end
    std::string_view result;      // result=: OK of an event
  };

  static void categorize(fields& out, std::string_view type, std::string_view subtype,
                         std::string_view status, const traffic_facts& facts) {
    const std::string_view action = out.get("event.action");
    const bool denied = action == "deny" || action == "blocked" || action == "block" ||
                        action == "dropped" || action == "drop" || action == "reset";
    if (type == "traffic") {
      // As Filebeat's fortinet module has them: a traffic log is written
      // when a session starts or ends (close, timeout, server-rst, accept,
      // deny...: its end); it was allowed unless the policy denied it or a
      // UTM profile acted on it (utmaction=block: denied; allow: neither);
      // a known application makes it a protocol event. The firewall did
      // what it logs: the outcome is success, a deny included.
      out.add("event.category", "network");
      out.add("event.type", "connection");
      if (action == "start")
        out.add("event.type", "start");
      else if (!action.empty())
        out.add("event.type", "end");
      if (facts.application && !denied) out.add("event.type", "protocol");
      if (facts.utm_action.empty() && !denied) out.add("event.type", "allowed");
      if (denied || facts.utm_action == "block") out.add("event.type", "denied");
      if (!action.empty()) out.set("event.outcome", "success");
      return;
    }
    if (type == "utm") {
      // As Filebeat's fortinet module has them (event.type allowed for a
      // pass, denied for a block, info for a DNS query; the outcome success:
      // the profile did what it logs), with the categories of what looked:
      // web for the web filter, malware for the antivirus, intrusion
      // detection for IPS and the DoS sensor.
      out.add("event.category", "network");
      if (subtype == "virus") out.add("event.category", "malware");
      if (subtype == "ips" || subtype == "anomaly")
        out.add("event.category", "intrusion_detection");
      if (subtype == "webfilter") out.add("event.category", "web");
      const bool passed = action == "pass" || action == "passthrough" || action == "exempt" ||
                          action == "allowed" || action == "accept" || action == "monitored";
      if (passed) out.add("event.type", "allowed");
      if (denied) out.add("event.type", "denied");
      if (subtype == "dns" || (!passed && !denied)) out.add("event.type", "info");
      if (!action.empty()) out.set("event.outcome", "success");
      if (is_detection(out, subtype)) out.set("event.kind", "alert");
      return;
    }
    if (type == "event") {
      if (subtype == "vpn") {
        // Tunnels negotiated, brought up and down: connections. A VPN login
        // (ssl-login-fail, ssl-login...) is an authentication as well: what
        // brute-force rules count.
        out.add("event.category", "network");
        out.add("event.type", "connection");
        const bool login = action.find("login") != std::string_view::npos;
        if (login) {
          out.add("event.category", "authentication");
          out.add("event.type", "start");
        }
        if (status == "success" || status == "negotiate_success")
          out.set("event.outcome", "success");
        else if (status == "failure" || status == "negotiate_error" ||
                 (login && action.find("fail") != std::string_view::npos))
          out.set("event.outcome", "failure");
      } else if (subtype == "user") {
        out.add("event.category", "authentication");
        const bool logon = action == "FSSO-logon" || action == "auth-logon" ||
                           action == "login" || action == "logon";
        const bool logoff = action == "FSSO-logoff" || action == "auth-logout" ||
                            action == "logout" || action == "logoff";
        if (logon || logoff) {
          out.add("event.type", logon ? "start" : "end");
          out.add("event.type", "user");
        } else {
          out.add("event.type", "info");
        }
        if (status == "failure" || status == "failed")
          out.set("event.outcome", "failure");
        else if (status == "success" || facts.result == "OK" || logon || logoff)
          out.set("event.outcome", "success");
      } else if (subtype == "system") {
        out.add("event.category", "host");
        out.add("event.type", "info");
      } else {
        out.add("event.type", "info");
      }
    }
  }

  // A utm log that is a detection is an alert, as Suricata alerts and Zeek
  // notices are: the device matched a threat, whatever its action then was
  // (blocked, or monitored/passthrough: allowed but still found). ips logs
  // are signature and botnet hits, anomaly logs the DoS sensor's, waf and
  // virtual-patch logs signature hits; a virus log is one when it names a
  // virus or its eventtype is infected (not a file sent to the sandbox,
  // "analytics", or one too big to scan, "oversize"); dns and app-ctrl logs
  // are when they name a botnet. webfilter, app-ctrl, dlp, emailfilter and
  // file-filter logs are the policy's verdicts on kinds of traffic, not
  // detections, blocked or not.
  static bool is_detection(const fields& out, std::string_view subtype) {
    if (subtype == "ips" || subtype == "anomaly" || subtype == "waf" ||
        subtype == "virtual-patch")
      return true;
    if (subtype == "virus")
      return out.has("fortinet.firewall.virus") ||
             out.get("fortinet.firewall.eventtype") == "infected";
    if (subtype == "dns")
      return out.has("fortinet.firewall.botnetdomain") || out.has("fortinet.firewall.botnetip");
    if (subtype == "app-ctrl") return out.get("rule.category") == "Botnet";
    return false;
  }

  static thread_local char stamp_[32];
  static thread_local char start_[32];
};

thread_local char fortigate_parser::stamp_[32];
thread_local char fortigate_parser::start_[32];

}  // namespace

const parser& fortigate() {
  static const fortigate_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
