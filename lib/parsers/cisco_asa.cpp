// cisco_asa: Cisco ASA and Firepower Threat Defense syslog, "%ASA-6-302013:"
// (or %FTD-). Dataset cisco.asa.
//
// The message-id table below is data: for each id it says the ECS action,
// categories, types and outcome (as the Elastic cisco_asa pipeline maps
// them, which follows ECS) and which message layout carries its fields.
// Ids not in the table still get event.code, severity and the envelope.
#include <algorithm>
#include <array>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/rfc3164.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

enum class layout : std::uint8_t {
  none,
  conn_built,  // 302013 302015 302017 302303: Built in/outbound P connection ID for A (M) to B (M)
  conn_teardown,   // 302014 302016 302018 302304: Teardown P connection ID for A to B duration D
                   // bytes N reason
  icmp_conn,       // 302020 302021: ICMP connection for faddr F gaddr G laddr L type T code C
  xlate,           // 305011 305012: Built|Teardown dynamic P translation from A to B
  deny_acl,        // 106023: Deny P src IF:A dst IF:B by access-group "ACL"
  acl_hit,         // 106100: access-list ACL permitted|denied P IF/ip(port) -> IF/ip(port)
  deny_from_to,    // 106001 106006 106007 106015 106014 106021 106016 ...: ... from A to B ...
                   // interface X
  icmp_denied,     // 313001 313004 313005
  url_access,      // 304001 304002
  dynamic_filter,  // 338xxx: ... traffic from IF:A (M) to IF:B (M)
  vpn_session,     // 113039 722xxx 113029..: Group <G> User <U> IP <A> ...
  vpn_end,         // 113019: Group = G, Username = U, IP = A, Session disconnected...
  aaa,             // 113004 113005 113015: AAA user authentication ... user = U : user IP = A
  dap,             // 734001: DAP: User U, Addr A, Connection C: ...
  login,           // 605004 605005: Login denied|permitted from A/P to IF:B/S for user "U"
  command,         // 111008 111010: User 'U' executed ...
  sa_deleted,      // 602304
  tcp_denied,      // 710003 710005: TCP access denied by ACL from A/P to IF:B/P
  sip_channel,     // 607001: Pre-allocate SIP Via UDP secondary channel for IF:A/p to IF:B from M
                   // message
  threat,          // 733100 733102 733104 733105: threat detection
  icmp_invalid,    // 313009: Denied invalid ICMP code C, for IF:A/p (M) to IF:B/p (M), ICMP id I, ...
  flow_from_to,    // 434004: ... TCP flow from IF:A/p to IF:B/p ...
  vpn_local_remote,  // 751025: Local:A:p Remote:B:p Username:U IKEv2 Group:G IPv4 Address=I ...
};

struct message_spec {
  std::uint32_t id;
  std::string_view action;
  std::string_view categories;  // space separated
  std::string_view types;       // space separated
  std::string_view outcome;
  layout form;
};

constexpr std::array message_table = std::to_array<message_spec>({
    {106001, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106002, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106006, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106007, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106010, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106014, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106015, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106016, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106017, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106020, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106021, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106022, "firewall-rule", "network", "connection denied", "success", layout::deny_from_to},
    {106023, "firewall-rule", "network", "connection denied", "success", layout::deny_acl},
    {106100, "firewall-rule", "network", "connection", "success", layout::acl_hit},
    {106102, "firewall-rule", "network", "connection", "", layout::acl_hit},
    {106103, "firewall-rule", "network", "connection", "failure", layout::acl_hit},
    {111008, "executed", "configuration", "change", "success", layout::command},
    {111010, "executed", "configuration", "change", "success", layout::command},
    {113004, "logged-in", "authentication network", "allowed info", "success", layout::aaa},
    {113005, "logon-failed", "authentication network", "denied info", "failure", layout::aaa},
    {113015, "logon-failed", "authentication network", "denied info", "failure", layout::aaa},
    {113019, "client-vpn-disconnected", "network", "connection end", "", layout::vpn_end},
    {113029, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113030, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113031, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113032, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113033, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113034, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113035, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113036, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113037, "client-vpn-error", "network", "connection error denied", "", layout::none},
    {113038, "client-vpn-error", "network", "connection error denied", "", layout::vpn_session},
    {113039, "client-vpn-connected", "network session", "connection start", "",
     layout::vpn_session},
    {113040, "client-vpn-error", "network", "connection error denied", "", layout::none},
    {302013, "firewall-rule", "network", "info", "", layout::conn_built},
    {302014, "flow-expiration", "network", "connection end", "", layout::conn_teardown},
    {302015, "firewall-rule", "network", "info", "", layout::conn_built},
    {302016, "flow-expiration", "network", "connection end", "", layout::conn_teardown},
    {302017, "firewall-rule", "network", "info", "", layout::conn_built},
    {302018, "flow-expiration", "network", "connection end", "", layout::conn_teardown},
    {302020, "flow-creation", "network", "connection start", "", layout::icmp_conn},
    {302021, "flow-expiration", "network", "connection end", "", layout::icmp_conn},
    {302303, "firewall-rule", "network", "info", "", layout::conn_built},
    {302304, "flow-expiration", "network", "connection end", "", layout::conn_teardown},
    {304001, "firewall-rule", "network", "connection allowed", "success", layout::url_access},
    {304002, "firewall-rule", "network", "connection denied", "success", layout::url_access},
    {305011, "firewall-rule", "network", "info", "", layout::xlate},
    {305012, "flow-expiration", "network", "connection end", "", layout::xlate},
    {313001, "firewall-rule", "network", "connection denied", "success", layout::icmp_denied},
    {313004, "firewall-rule", "network", "connection denied", "success", layout::icmp_denied},
    {313005, "firewall-rule", "network", "connection denied", "success", layout::icmp_denied},
    {313008, "firewall-rule", "network", "connection denied", "failure", layout::icmp_denied},
    {313009, "firewall-rule", "network", "connection denied", "failure", layout::icmp_invalid},
    {338001, "firewall-rule", "network intrusion_detection", "info", "success",
     layout::dynamic_filter},
    {338002, "firewall-rule", "network", "connection allowed", "success", layout::dynamic_filter},
    {338003, "firewall-rule", "network intrusion_detection", "info", "success",
     layout::dynamic_filter},
    {338004, "firewall-rule", "network intrusion_detection", "info", "success",
     layout::dynamic_filter},
    {338005, "firewall-rule", "network", "connection denied", "failure", layout::dynamic_filter},
    {338006, "firewall-rule", "network", "connection denied", "failure", layout::dynamic_filter},
    {338007, "firewall-rule", "network", "connection denied", "failure", layout::dynamic_filter},
    {338008, "firewall-rule", "network", "connection denied", "failure", layout::dynamic_filter},
    {434004, "bypass", "network", "info", "", layout::flow_from_to},
    {602303, "created", "network", "info creation user", "success", layout::sa_deleted},
    {602304, "deleted", "network", "info deletion user", "success", layout::sa_deleted},
    {605004, "logon-failed", "authentication", "denied info", "failure", layout::login},
    {605005, "logged-in", "authentication", "allowed info", "success", layout::login},
    {607001, "firewall-rule", "network", "info", "", layout::sip_channel},
    {710003, "firewall-rule", "network", "connection denied", "success", layout::tcp_denied},
    {710005, "firewall-rule", "network", "connection denied", "success", layout::tcp_denied},
    {716001, "client-vpn-connected", "network session", "connection start", "",
     layout::vpn_session},
    {716002, "client-vpn-disconnected", "network session", "connection end", "",
     layout::vpn_session},
    {722011, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722022, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722023, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722028, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722032, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722033, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722034, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722037, "firewall-rule", "network", "info", "", layout::vpn_session},
    {722051, "firewall-rule", "network", "info", "", layout::vpn_session},
    {733100, "threat-detected", "network", "info", "", layout::threat},
    {733101, "threat-detected", "network", "info", "", layout::threat},
    {733102, "threat-detected", "network", "info", "", layout::threat},
    {733104, "threat-detected", "network", "info", "", layout::threat},
    {733105, "threat-detected", "network", "info", "", layout::threat},
    {734001, "logged-in", "authentication network", "allowed info", "success", layout::dap},
    {751025, "", "network", "", "", layout::vpn_local_remote},
});

constexpr bool table_sorted() {
  for (std::size_t i = 1; i < message_table.size(); ++i) {
    if (message_table[i - 1].id >= message_table[i].id) return false;
  }
  return true;
}
static_assert(table_sorted(), "the ASA message table must be sorted by id");

const message_spec* lookup(std::uint32_t id) {
  auto it = std::lower_bound(message_table.begin(), message_table.end(), id,
                             [](const message_spec& s, std::uint32_t v) { return s.id < v; });
  return it != message_table.end() && it->id == id ? &*it : nullptr;
}

void add_words(fields& out, std::string_view path, std::string_view words) {
  while (!words.empty()) out.add(path, take_until(words, ' '));
}

std::string_view transport_number(std::string_view t) {
  if (t == "tcp") return "6";
  if (t == "udp") return "17";
  if (t == "icmp") return "1";
  if (t == "gre") return "47";
  if (t == "esp") return "50";
  if (t == "icmp6") return "58";
  return {};
}

void set_transport(fields& out, std::string_view proto) {
  if (proto.empty()) return;
  set_lower(out, "network.transport", proto);
  const std::string_view t = out.get("network.transport");
  if (auto n = transport_number(t); !n.empty()) out.set("network.iana_number", n);
}

// An address that may be a name (objects: "exp_srv") or an IP.
void set_address(fields& out, std::string_view side, std::string_view host, std::string_view port) {
  const bool src = side == "source";
  out.set(src ? "source.address" : "destination.address", host);
  if (is_ip(host)) {
    set_endpoint(out, side, host, port);
  } else {
    out.set(src ? "source.domain" : "destination.domain", host);
    out.add("related.hosts", host);
    if (auto n = to_int(port); n && *n >= 0 && *n <= 65535) {
      out.set_int(src ? "source.port" : "destination.port", *n);
    }
  }
}

// "IFACE:HOST/PORT", "HOST/PORT" or "HOST", perhaps followed by "(LOCAL\user)".
struct endpoint {
  std::string_view iface, host, port, user;
};
endpoint read_endpoint(std::string_view text) {
  endpoint e;
  if (const std::size_t paren = text.find('('); paren != std::string_view::npos && paren > 0) {
    std::string_view user = text.substr(paren + 1);
    user = user.substr(0, user.find(')'));
    if (const std::size_t slash = user.rfind('\\'); slash != std::string_view::npos)
      user = user.substr(slash + 1);
    e.user = user;
    text = text.substr(0, paren);
  }
  const std::size_t slash = text.rfind('/');
  std::string_view address = text.substr(0, slash);
  if (slash != std::string_view::npos) e.port = text.substr(slash + 1);
  // An IPv6 address holds colons: only split off an interface when the
  // whole is not an address already.
  if (!is_ip(address)) {
    // "inside:10.1.1.1", "inside:fe80::1", and interface names that hold a
    // colon themselves ("v1:outside:10.8.1.9"): the split that leaves an
    // address, else the first colon (a name: "outside:exp_srv").
    std::size_t colon = address.find(':');
    const std::size_t last = address.rfind(':');
    if (colon != last && !is_ip(address.substr(colon + 1)) && is_ip(address.substr(last + 1)))
      colon = last;
    if (colon != std::string_view::npos) {
      e.iface = address.substr(0, colon);
      address = address.substr(colon + 1);
    }
  }
  e.host = address;
  return e;
}

void set_side(fields& out, std::string_view side, const endpoint& e) {
  set_address(out, side, e.host, e.port);
  if (!e.user.empty()) {
    // "user@domain.tld": the name and its domain.
    std::string_view user = e.user;
    if (const std::size_t at = user.find('@'); at != std::string_view::npos && at > 0) {
      out.set(side == "source" ? "source.user.domain" : "destination.user.domain",
              user.substr(at + 1));
      user = user.substr(0, at);
    }
    out.set(side == "source" ? "source.user.name" : "destination.user.name", user);
    out.add("related.user", user);
    if (side == "source" || !out.has("user.name")) out.set("user.name", user);
  }
  if (side == "source") {
    if (!e.iface.empty()) {
      out.set("observer.ingress.interface.name", e.iface);
      out.set("cisco.asa.source_interface", e.iface);
    }
  } else if (!e.iface.empty()) {
    out.set("observer.egress.interface.name", e.iface);
    out.set("cisco.asa.destination_interface", e.iface);
  }
}

// "(ip/port)" right after an endpoint: the mapped address; a user may
// follow it, "(10.0.0.1/80)(LOCAL\\user)" or "(..)(LOCAL\\user, 123)" (a
// security group tag after the comma): its name goes to `user`.
std::string_view read_mapped(std::string_view& s, std::string_view* user = nullptr) {
  if (!consume(s, "(")) return {};
  std::string_view m = take_until(s, ')');
  if (consume(s, "(")) {
    std::string_view u = take_until(s, ')');
    u = u.substr(0, u.find(','));
    if (const std::size_t slash = u.rfind('\\'); slash != std::string_view::npos)
      u = u.substr(slash + 1);
    if (user != nullptr) *user = u;
  }
  consume(s, " ");
  return m;
}

// "h:mm:ss" to nanoseconds.
std::optional<std::int64_t> duration_ns(std::string_view d) {
  std::int64_t total = 0;
  int parts = 0;
  while (!d.empty()) {
    auto n = to_int(take_until(d, ':'));
    if (!n) return std::nullopt;
    total = total * 60 + *n;
    ++parts;
  }
  if (parts != 3) return std::nullopt;
  return total * 1'000'000'000;
}

// A side's mapped address ("A/p" after the real one): cisco.asa.mapped_<side>_ip
// and _port; with `nat`, also <side>.nat when it differs from the real host.
void set_mapped(fields& out, bool source, std::string_view mapped, const endpoint& real, bool nat) {
  std::string_view ip, port;
  if (!split_ip_port(mapped, '/', ip, port) || !is_ip(ip)) return;
  out.set(source ? "cisco.asa.mapped_source_ip" : "cisco.asa.mapped_destination_ip", ip);
  if (auto n = to_int(port)) {
    out.set_int(source ? "cisco.asa.mapped_source_port" : "cisco.asa.mapped_destination_port", *n);
  }
  if (nat && ip != real.host) set_endpoint(out, source ? "source.nat" : "destination.nat", ip, port);
}

void conn_built(std::string_view s, fields& out) {
  // Built inbound TCP connection 11757 for outside:A/80 (A/80) to inside:B/1772 (B/1772)
  if (!consume(s, "Built ")) return;
  const std::string_view direction = take_until(s, ' ');
  const std::string_view proto = take_until(s, ' ');
  if (!consume(s, "connection ")) return;
  const std::string_view id = take_until(s, ' ');
  out.set("cisco.asa.connection_id", id);
  set_transport(out, proto);
  if (!consume(s, "for ")) return;
  endpoint first = read_endpoint(take_until(s, ' '));
  const std::string_view first_mapped = read_mapped(s, &first.user);
  if (!consume(s, "to ")) return;
  endpoint second = read_endpoint(take_until(s, ' '));
  const std::string_view second_mapped = read_mapped(s, &second.user);
  const bool outbound = direction == "outbound";
  if (direction == "inbound" || outbound) out.set("network.direction", direction);
  // Outbound: the connection was opened from the second (inside) side.
  const endpoint& src = outbound ? second : first;
  const endpoint& dst = outbound ? first : second;
  const std::string_view src_mapped = outbound ? second_mapped : first_mapped;
  const std::string_view dst_mapped = outbound ? first_mapped : second_mapped;
  set_side(out, "source", src);
  set_side(out, "destination", dst);
  // As for teardowns (and Elastic): user.name is the second user named.
  if (!second.user.empty()) out.set("user.name", second.user);
  set_mapped(out, true, src_mapped, src, true);
  set_mapped(out, false, dst_mapped, dst, true);
}

void conn_teardown(std::string_view s, fields& out) {
  if (!consume(s, "Teardown ")) return;
  const std::string_view proto = take_until(s, ' ');
  if (!consume(s, "connection ")) return;
  out.set("cisco.asa.connection_id", take_until(s, ' '));
  set_transport(out, proto);
  if (!consume(s, "for ")) return;
  // "for IF:A/p [user] to IF B:B/p [user] duration ..." (interface names may hold blanks)
  const std::size_t to = s.find(" to ");
  if (to == std::string_view::npos) return;
  std::string_view first = s.substr(0, to);
  s = s.substr(to + 4);
  std::size_t end = s.find(" duration ");
  if (end == std::string_view::npos) end = s.find(" bytes ");
  std::string_view second = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view{} : s.substr(end + 1);
  auto split_user = [](std::string_view& text) {
    const std::size_t slash = text.rfind('/');
    const std::size_t space = text.rfind(' ');
    std::string_view user;
    if (space != std::string_view::npos && slash != std::string_view::npos && space > slash) {
      user = text.substr(space + 1);
      text = text.substr(0, space);
    }
    return user;
  };
  const std::string_view first_user = split_user(first);
  const std::string_view second_user = split_user(second);
  endpoint a = read_endpoint(first), b = read_endpoint(second);
  if (a.user.empty()) a.user = first_user;
  if (b.user.empty()) b.user = second_user;
  set_side(out, "source", a);
  set_side(out, "destination", b);
  if (!b.user.empty()) out.set("user.name", b.user);
  if (consume(s, "duration ")) {
    if (auto d = duration_ns(take_until(s, ' '))) out.set_int("event.duration", *d);
  }
  if (consume(s, "bytes ")) {
    if (auto n = to_int(take_until(s, ' '))) out.set_int("network.bytes", *n);
  }
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  if (!s.empty()) {
    // "TCP FINs" or "TCP Reset-I from inside:..." keep the reason words.
    out.set("event.reason", s.substr(0, s.find(" from ")));
  }
}

void icmp_conn(std::string_view s, fields& out) {
  // Built inbound ICMP connection for faddr F/0 gaddr G/0 laddr L/0 type 8 code 0
  std::string_view direction;
  if (consume(s, "Built "))
    direction = take_until(s, ' ');
  else if (!consume(s, "Teardown "))
    return;
  const std::size_t f = s.find("faddr ");
  if (f == std::string_view::npos) return;
  s = s.substr(f + 6);
  const endpoint faddr = read_endpoint(take_until(s, ' '));
  if (!consume(s, "gaddr ")) return;
  const endpoint gaddr = read_endpoint(take_until(s, ' '));
  if (!consume(s, "laddr ")) return;
  const endpoint laddr = read_endpoint(take_until(s, ' '));
  out.set("network.transport", "icmp");
  out.set("network.iana_number", "1");
  if (direction == "inbound" || direction == "outbound") out.set("network.direction", direction);
  // An inbound connection was opened by the foreign address; an outbound
  // one (and a teardown, which does not say) by the local one. The global
  // address is the local one as translated.
  const bool inbound = direction == "inbound";
  set_address(out, "source", inbound ? faddr.host : laddr.host, {});
  set_address(out, "destination", inbound ? laddr.host : faddr.host, {});
  if (is_ip(gaddr.host) && gaddr.host != laddr.host)
    set_endpoint(out, inbound ? "destination.nat" : "source.nat", gaddr.host, {});
  // "laddr A/0 (USER001)" or "faddr B/0(LOCAL\\USER001)"
  std::string_view user = !faddr.user.empty() ? faddr.user : laddr.user;
  if (consume(s, "(")) {
    const std::string_view u = take_until(s, ')');
    consume(s, " ");
    if (user.empty()) user = u;
  }
  if (!user.empty()) {
    out.set("source.user.name", user);
    out.set("destination.user.name", user);
    out.set("user.name", user);
    out.add("related.user", user);
  }
  if (is_ip(gaddr.host))
    out.set(inbound ? "cisco.asa.mapped_destination_ip" : "cisco.asa.mapped_source_ip", gaddr.host);
  if (consume(s, "type ")) {
    if (auto n = to_int(take_until(s, ' '))) out.set_int("cisco.asa.icmp_type", *n);
  }
  if (consume(s, "code ")) {
    if (auto n = to_int(take_until(s, ' '))) out.set_int("cisco.asa.icmp_code", *n);
  }
}

void xlate(std::string_view s, fields& out) {
  // Built dynamic TCP translation from inside:A/1772 to outside:B/8256 [duration D]
  if (!consume(s, "Built ") && !consume(s, "Teardown ")) return;
  take_until(s, ' ');  // dynamic / static
  set_transport(out, take_until(s, ' '));
  if (!consume(s, "translation from ")) return;
  std::string_view a = take_until(s, ' ');
  if (!a.empty() && a.back() == ')') a = a.substr(0, a.find('('));
  if (!consume(s, "to ")) return;
  const endpoint src = read_endpoint(a);
  const endpoint dst = read_endpoint(take_until(s, ' '));
  set_side(out, "source", src);
  set_side(out, "destination", dst);
  if (consume(s, "duration ")) {
    if (auto d = duration_ns(take_until(s, ' '))) out.set_int("event.duration", *d);
  }
}

void deny_acl(std::string_view s, fields& out) {
  // Deny tcp src outside:A/p dst inside:B/p [(type 8, code 0)] by access-group "ACL" [0x0, 0x0]
  if (!consume(s, "Deny ")) return;
  set_transport(out, take_until(s, ' '));
  if (!consume(s, "src ")) return;
  const endpoint src = read_endpoint(take_until(s, ' '));
  if (!consume(s, "dst ")) return;
  const endpoint dst = read_endpoint(take_until(s, ' '));
  set_side(out, "source", src);
  set_side(out, "destination", dst);
  const std::size_t by = s.find("access-group \"");
  if (by != std::string_view::npos) {
    std::string_view acl = s.substr(by + 14);
    acl = acl.substr(0, acl.find('"'));
    out.set("rule.name", acl);
    out.set("cisco.asa.rule_name", acl);
  }
  out.add("event.type", "denied");
}

void acl_hit(std::string_view s, fields& out) {
  // access-list acl_in permitted tcp inside/10.1.2.16(2241) -> outside/192.168.0.89(2000) hit-cnt 1
  // ...
  if (!consume(s, "access-list ")) return;
  const std::string_view acl = take_until(s, ' ');
  out.set("rule.name", acl);
  out.set("cisco.asa.rule_name", acl);
  const std::string_view verdict = take_until(s, ' ');
  out.add("event.type", verdict == "denied" ? "denied" : "allowed");
  if (!out.has("event.outcome")) out.set("event.outcome", verdict == "denied" ? "failure" : "success");
  set_transport(out, take_until(s, ' '));
  // 106102, 106103: "... permitted udp for user NAME outside/A(p) -> ..."
  if (consume(s, "for user ")) {
    std::string_view user = take_until(s, ' ');
    if (user.size() >= 2 && user.front() == '\'' && user.back() == '\'')
      user = user.substr(1, user.size() - 2);
    if (!user.empty()) {
      out.set("user.name", user);
      out.add("related.user", user);
    }
  }
  auto side = [&](std::string_view text, std::string_view which) {
    const std::size_t slash = text.find('/');
    endpoint e;
    e.iface = text.substr(0, slash);
    text = slash == std::string_view::npos ? std::string_view{} : text.substr(slash + 1);
    e.host = take_until(text, '(');
    e.port = take_until(text, ')');
    set_side(out, which, e);
  };
  side(take_until(s, ' '), "source");
  if (!consume(s, "-> ")) return;
  side(take_until(s, ' '), "destination");
}

void deny_from_to(std::string_view s, fields& out) {
  // Deny inbound UDP from A/137 to B/137 on interface inside
  // Deny TCP (no connection) from A/389 to B/54703 flags RST on interface X
  // Deny IP spoof from (0.0.0.0) to B on interface X
  // Inbound TCP connection denied from A/p to B/p flags SYN on interface outside
  const std::size_t from = s.find(" from ");
  if (from == std::string_view::npos) return;
  std::string_view head = s.substr(0, from);
  // The protocol: the word after Deny [inbound|outbound] or before "connection".
  std::string_view words = head;
  take_until(words, ' ');
  std::string_view proto = take_until(words, ' ');
  if (proto == "inbound" || proto == "outbound") {
    out.set("network.direction", proto);
    proto = take_until(words, ' ');
  }
  if (starts_with(head, "Inbound ") || starts_with(head, "Outbound ")) {
    std::string_view h = head;
    const std::string_view dir = take_until(h, ' ');
    out.set("network.direction", dir == "Inbound" ? "inbound" : "outbound");
    proto = take_until(h, ' ');
  }
  if (proto != "IP" && proto != "ip" && !proto.empty() &&
      proto.find('(') == std::string_view::npos) {
    set_transport(out, proto);
  }
  s = s.substr(from + 6);
  std::string_view a = take_until(s, ' ');
  if (!a.empty() && a.front() == '(' && a.back() == ')') a = a.substr(1, a.size() - 2);
  if (!consume(s, "to ")) return;
  std::string_view b = take_until(s, ' ');
  if (!b.empty() && b.back() == ',') b.remove_suffix(1);
  std::string_view ip, port;
  if (split_ip_port(a, '/', ip, port))
    set_address(out, "source", ip, port);
  else
    set_address(out, "source", a, {});
  if (split_ip_port(b, '/', ip, port))
    set_address(out, "destination", ip, port);
  else
    set_address(out, "destination", b, {});
  const std::size_t on = s.find("on interface ");
  if (on != std::string_view::npos) {
    std::string_view iface = s.substr(on + 13);
    iface = take_until(iface, ' ');
    out.set("observer.ingress.interface.name", iface);
    out.set("cisco.asa.source_interface", iface);
  }
}

void icmp_denied(std::string_view s, fields& out) {
  // Denied ICMP type=3, code=3 from 10.2.3.5 on interface Outside
  // Denied ICMP type=0, from laddr 172.16.30.2 on interface inside to 172.16.1.10: no matching
  // session
  // Denied IPv6-ICMP type=134, code=0 from fe80::1 on interface ISP1 (313008)
  if (starts_with(s, "Denied IPv6-ICMP ") || starts_with(s, "Denied ICMPv6 ")) {
    out.set("network.transport", "ipv6-icmp");
    out.set("network.iana_number", "58");
  } else {
    out.set("network.transport", "icmp");
    out.set("network.iana_number", "1");
  }
  const std::size_t t = s.find("type=");
  if (t != std::string_view::npos) {
    std::string_view v = s.substr(t + 5);
    if (auto n = to_int(v.substr(0, v.find(',')))) out.set_int("cisco.asa.icmp_type", *n);
  }
  const std::size_t c = s.find("code=");
  if (c != std::string_view::npos) {
    std::string_view v = s.substr(c + 5);
    if (auto n = to_int(v.substr(0, v.find_first_of(", ")))) out.set_int("cisco.asa.icmp_code", *n);
  }
  const std::size_t from = s.find("from ");
  if (from == std::string_view::npos) return;
  std::string_view rest = s.substr(from + 5);
  consume(rest, "laddr ");
  set_address(out, "source", take_until(rest, ' '), {});
  if (consume(rest, "on interface ")) {
    const std::string_view iface = take_until(rest, ' ');
    out.set("observer.ingress.interface.name", iface);
    out.set("cisco.asa.source_interface", iface);
  }
  if (consume(rest, "to ")) {
    std::string_view dst = take_until(rest, ' ');
    if (!dst.empty() && dst.back() == ':') dst.remove_suffix(1);
    set_address(out, "destination", dst, {});
  }
}

void url_access(std::string_view s, fields& out) {
  // 192.168.14.22 Accessed URL mirror:http://mirror.example.com/path
  // Access denied URL http://... SRC 10.69.6.39 DEST 192.168.0.19 on interface inside
  if (consume(s, "Access denied URL ")) {
    set_url(out, take_until(s, ' '));
    if (consume(s, "SRC ")) set_address(out, "source", take_until(s, ' '), {});
    if (consume(s, "DEST ")) set_address(out, "destination", take_until(s, ' '), {});
    return;
  }
  std::string_view src = take_until(s, ' ');
  if (!consume(s, "Accessed URL ")) return;
  if (const std::size_t at = src.find('@'); at != std::string_view::npos) src = src.substr(at + 1);
  const endpoint e = read_endpoint(src);
  set_address(out, "source", e.host, {});
  if (!e.user.empty()) {
    out.set("source.user.name", e.user);
    out.set("user.name", e.user);
    out.add("related.user", e.user);
  }
  std::string_view target = take_until(s, ' ');
  const std::size_t colon = target.find(':');
  if (colon != std::string_view::npos && target.substr(colon, 3) != "://") {
    set_address(out, "destination", target.substr(0, colon), {});
    target = target.substr(colon + 1);
  }
  set_url(out, target);
}

void dynamic_filter(std::string_view s, fields& out) {
  // Dynamic Filter dropped blacklisted TCP traffic from inside:A/p (M/p) to outside:B/p (M/p), ...
  const std::size_t t = s.find(" traffic from ");
  if (t == std::string_view::npos) return;
  std::string_view head = s.substr(0, t);
  const std::size_t last = head.rfind(' ');
  set_transport(out, head.substr(last + 1));
  s = s.substr(t + 14);
  const endpoint src = read_endpoint(take_until(s, ' '));
  read_mapped(s);
  if (!consume(s, "to ")) return;
  std::string_view b = take_until(s, ' ');
  const endpoint dst = read_endpoint(b);
  set_side(out, "source", src);
  set_side(out, "destination", dst);
}

// "<value>" or "value" up to the next blank.
std::string_view angle_value(std::string_view& s) {
  if (consume(s, "<")) {
    std::string_view v = take_until(s, '>');
    consume(s, " ");
    return v;
  }
  return take_until(s, ' ');
}

void set_vpn_user(fields& out, std::string_view user) {
  // "nt\\minsk" → domain nt, name minsk
  const std::size_t slash = user.find('\\');
  if (slash != std::string_view::npos) {
    const std::string_view domain = user.substr(0, slash);
    user = user.substr(slash + 1);
    out.set("source.user.domain", domain);
    out.set("user.domain", domain);
  }
  if (user.empty()) return;
  out.set("source.user.name", user);
  out.set("user.name", user);
  out.add("related.user", user);
}

void vpn_session(std::string_view s, fields& out) {
  // Group <G> User <U> IP <A> ...   or   Group G User U IP A ...
  if (!consume(s, "Group ")) return;
  const std::string_view group = angle_value(s);
  out.set("source.user.group.name", group);
  out.set("user.group.name", group);
  if (consume(s, "User ")) set_vpn_user(out, angle_value(s));
  if (consume(s, "IP ")) {
    std::string_view ip = angle_value(s);
    if (!ip.empty() && ip.back() == ',') ip.remove_suffix(1);
    set_address(out, "source", ip, {});
  }
  if (s.find(" UDP SVC") != std::string_view::npos)
    set_transport(out, "udp");
  else if (s.find(" TCP SVC") != std::string_view::npos)
    set_transport(out, "tcp");
  // "SVC closing connection: DPD failure." → reason
  const std::size_t colon = s.rfind(": ");
  if (starts_with(s, "SVC closing connection: ") && colon != std::string_view::npos) {
    std::string_view reason = s.substr(colon + 2);
    if (!reason.empty() && reason.back() == '.') reason.remove_suffix(1);
    out.set("event.reason", reason);
  }
}

void vpn_end(std::string_view s, fields& out, time::timestamp when) {
  // Group = G, Username = U, IP = A, Session disconnected. Session Type: T, Duration: 0h:01m:52s,
  // Bytes xmt: N, Bytes rcv: N, Reason: R
  while (!s.empty()) {
    std::string_view part = take_until(s, ',');
    while (!part.empty() && part[0] == ' ') part.remove_prefix(1);
    if (consume(part, "Group = ")) {
      out.set("source.user.group.name", part);
      out.set("user.group.name", part);
    } else if (consume(part, "Username = ")) {
      set_vpn_user(out, part);
    } else if (consume(part, "IP = ")) {
      set_address(out, "destination", part, {});
    } else if (const std::size_t st = part.find("Session Type: "); st != std::string_view::npos) {
      out.set("cisco.asa.session_type", part.substr(st + 14));
    } else if (consume(part, "Duration: ")) {
      // 0h:01m:52s or 1d 2h:03m:04s
      std::int64_t seconds = 0, value = 0;
      for (char c : part) {
        if (is_digit(c))
          value = value * 10 + (c - '0');
        else if (c == 'd')
          seconds += value * 86400, value = 0;
        else if (c == 'h')
          seconds += value * 3600, value = 0;
        else if (c == 'm')
          seconds += value * 60, value = 0;
        else if (c == 's')
          seconds += value, value = 0;
      }
      out.set_int("event.duration", seconds * 1'000'000'000);
      (void)when;
    } else if (consume(part, "Bytes xmt: ")) {
      if (auto n = to_int(part)) out.set_int("source.bytes", *n);
    } else if (consume(part, "Bytes rcv: ")) {
      if (auto n = to_int(part)) out.set_int("destination.bytes", *n);
    } else if (consume(part, "Reason: ")) {
      out.set("event.reason", part);
    }
  }
}

void aaa(std::string_view s, fields& out) {
  // AAA user authentication Rejected : reason = R : server = S : user = U : user IP = A
  while (!s.empty()) {
    const std::size_t sep = s.find(" : ");
    std::string_view part = s.substr(0, sep);
    s = sep == std::string_view::npos ? std::string_view{} : s.substr(sep + 3);
    if (consume(part, "reason = ")) {
      out.set("event.reason", part);
    } else if (consume(part, "server = ")) {
      set_address(out, "destination", part, {});
    } else if (consume(part, "user = ")) {
      out.set("source.user.name", part);
      out.set("user.name", part);
      out.add("related.user", part);
    } else if (consume(part, "user IP = ")) {
      set_address(out, "source", part, {});
    }
  }
}

void dap(std::string_view s, fields& out) {
  // DAP: User U, Addr A, Connection C: The following DAP records were selected...: a, b
  if (!consume(s, "DAP: User ")) return;
  const std::string_view user = take_until(s, ',');
  if (user.find('@') != std::string_view::npos)
    out.set("user.email", user);
  else {
    out.set("user.name", user);
    out.add("related.user", user);
  }
  consume(s, " ");
  if (consume(s, "Addr ")) set_address(out, "source", take_until(s, ','), {});
  consume(s, " ");
  if (consume(s, "Connection ")) out.set("cisco.asa.connection_type", take_until(s, ':'));
}

void login(std::string_view s, fields& out) {
  // Login permitted from 10.1.1.1/51234 to inside:10.1.1.2/ssh for user "admin"
  if (!consume(s, "Login permitted from ") && !consume(s, "Login denied from ")) return;
  std::string_view ip, port;
  if (split_ip_port(take_until(s, ' '), '/', ip, port)) set_address(out, "source", ip, port);
  if (consume(s, "to ")) {
    const endpoint dst = read_endpoint(take_until(s, ' '));
    set_address(out, "destination", dst.host, {});
    if (!dst.port.empty() && !is_digit(dst.port[0])) set_lower(out, "network.protocol", dst.port);
  }
  const std::size_t u = s.find("user \"");
  if (u != std::string_view::npos) {
    std::string_view user = s.substr(u + 6);
    user = user.substr(0, user.find('"'));
    out.set("user.name", user);
    out.add("related.user", user);
  }
}

void command(std::string_view s, fields& out) {
  // User 'admin' executed the 'write memory' command.
  if (!consume(s, "User '")) return;
  const std::string_view user = take_until(s, '\'');
  out.set("user.name", user);
  out.add("related.user", user);
  const std::size_t q = s.find('\'');
  if (q != std::string_view::npos) {
    std::string_view cmd = s.substr(q + 1);
    cmd = cmd.substr(0, cmd.find('\''));
    out.set("cisco.asa.command_line", cmd);
  }
}

void sa_deleted(std::string_view s, fields& out) {
  // IPSEC: An outbound LAN-to-LAN SA (SPI= 0x..) between A and B (user= U) has been deleted.
  if (s.find("outbound") != std::string_view::npos)
    out.set("network.direction", "outbound");
  else if (s.find("inbound") != std::string_view::npos)
    out.set("network.direction", "inbound");
  const std::size_t between = s.find(" between ");
  if (between == std::string_view::npos) return;
  s = s.substr(between + 9);
  set_address(out, "source", take_until(s, ' '), {});
  if (consume(s, "and ")) set_address(out, "destination", take_until(s, ' '), {});
  if (consume(s, "(user= ")) {
    const std::string_view user = take_until(s, ')');
    out.set("user.name", user);
    out.add("related.user", user);
  }
}

void tcp_denied(std::string_view s, fields& out) {
  // TCP access denied by ACL from 10.1.1.1/5555 to outside:10.2.2.2/443
  const std::size_t from = s.find(" from ");
  if (from == std::string_view::npos) return;
  set_transport(out, s.substr(0, s.find(' ')));
  s = s.substr(from + 6);
  std::string_view ip, port;
  if (split_ip_port(take_until(s, ' '), '/', ip, port)) set_address(out, "source", ip, port);
  if (consume(s, "to ")) set_side(out, "destination", read_endpoint(take_until(s, ' ')));
}

void sip_channel(std::string_view s, fields& out) {
  const std::size_t via = s.find(" Via ");
  if (via == std::string_view::npos) return;
  std::string_view rest = s.substr(via + 5);
  set_transport(out, take_until(rest, ' '));
  const std::size_t f = rest.find("for ");
  if (f == std::string_view::npos) return;
  rest = rest.substr(f + 4);
  const endpoint dst = read_endpoint(take_until(rest, ' '));
  if (!consume(rest, "to ")) return;
  const endpoint src = read_endpoint(take_until(rest, ' '));
  set_side(out, "source", src);
  set_side(out, "destination", dst);
}

void threat(std::string_view s, fields& out) {
  // [ Scanning] drop rate-1 exceeded. ... / Host 10.1.1.1 is attacking ...
  if (consume(s, "[")) {
    std::string_view name = take_until(s, ']');
    while (!name.empty() && name[0] == ' ') name.remove_prefix(1);
    out.set("rule.name", name);
  }
  const std::size_t host = s.find("Host ");
  if (host != std::string_view::npos) {
    std::string_view h = s.substr(host + 5);
    set_address(out, "source", take_until(h, ' '), {});
  }
}

void icmp_invalid(std::string_view s, fields& out) {
  // Denied invalid ICMP code 9, for Inside:A/p (A/p) to identity:B/p (B/p), ICMP id 295, ICMP type 8
  out.set("network.transport", "icmp");
  out.set("network.iana_number", "1");
  if (consume(s, "Denied invalid ICMP code ")) {
    std::string_view code = take_until(s, ',');
    if (auto n = to_int(code)) out.set_int("cisco.asa.icmp_code", *n);
    consume(s, " ");
  }
  if (!consume(s, "for ")) return;
  const endpoint src = read_endpoint(take_until(s, ' '));
  const std::string_view src_mapped = read_mapped(s);
  if (!consume(s, "to ")) return;
  std::string_view b = take_until(s, ' ');
  if (!b.empty() && b.back() == ',') b.remove_suffix(1);
  const endpoint dst = read_endpoint(b);
  std::string_view dst_mapped = read_mapped(s);
  set_side(out, "source", src);
  set_side(out, "destination", dst);
  set_mapped(out, true, src_mapped, src, false);
  set_mapped(out, false, dst_mapped, dst, false);
  const std::size_t type = s.find("ICMP type ");
  if (type != std::string_view::npos) {
    std::string_view t = s.substr(type + 10);
    if (auto n = to_int(take_until(t, ' '))) out.set_int("cisco.asa.icmp_type", *n);
  }
}

void flow_from_to(std::string_view s, fields& out) {
  // SFR requested device to bypass further packet redirection and process
  // TCP flow from IF:A/p to IF:B/p locally
  const std::size_t flow = s.find(" flow from ");
  if (flow == std::string_view::npos) return;
  const std::string_view head = s.substr(0, flow);
  set_transport(out, head.substr(head.rfind(' ') + 1));
  s = s.substr(flow + 11);
  const endpoint src = read_endpoint(take_until(s, ' '));
  if (!consume(s, "to ")) return;
  const endpoint dst = read_endpoint(take_until(s, ' '));
  set_side(out, "source", src);
  set_side(out, "destination", dst);
}

void vpn_local_remote(std::string_view s, fields& out) {
  // Local:203.0.113.10:4500 Remote:198.51.100.25:50466 Username:alice@example.com IKEv2
  // Group:GP IPv4 Address=172.16.58.30 IPv6 address=... assigned to session
  // "A:port", the port always there: "2001:db8::1:4500" is 2001:db8::1, 4500.
  auto address = [&](std::string_view text, std::string_view side) {
    const std::size_t colon = text.rfind(':');
    if (colon != std::string_view::npos)
      set_address(out, side, text.substr(0, colon), text.substr(colon + 1));
    else
      set_address(out, side, text, {});
  };
  while (!s.empty()) {
    std::string_view word = take_until(s, ' ');
    if (consume(word, "Local:")) {
      address(word, "source");
    } else if (consume(word, "Remote:")) {
      address(word, "destination");
    } else if (consume(word, "Username:")) {
      std::string_view name = word;
      if (const std::size_t at = word.find('@'); at != std::string_view::npos) {
        out.set("source.user.email", word);
        out.set("source.user.domain", word.substr(at + 1));
        name = word.substr(0, at);
      }
      if (!name.empty()) {
        out.set("source.user.name", name);
        out.set("user.name", name);
        out.add("related.user", name);
      }
    } else if (consume(word, "Group:")) {
      out.set("cisco.asa.group_policy", word);
    } else if (word == "IPv4" && consume(s, "Address=")) {
      const std::string_view ip = take_until(s, ' ');
      if (is_ip(ip)) out.set("cisco.asa.assigned_ip", ip);
    }
  }
}

// The ASA's own stamp before the tag with a zone name after its clock
// ("Sep 25 15:47:07 EDT: %ASA-..."; "logging timestamp" with "clock
// timezone"): the event's time in that zone. Without a zone (or with one
// not known) the envelope's stamp stands.
void device_stamp(std::string_view head, const line_context& line, fields& out) {
  while (!head.empty() && (head.back() == ' ' || head.back() == ':')) head.remove_suffix(1);
  const std::size_t blank = head.rfind(' ');
  if (blank == std::string_view::npos) return;
  const std::string_view name = head.substr(blank + 1);
  const auto minutes = vendor::zone_abbreviation_minutes(name);
  if (!minutes) return;
  const auto zone = time::zone::fixed(std::chrono::minutes(*minutes));
  if (!zone) return;
  head = head.substr(0, blank);  // "... Sep 25 15:47:07" or "... Sep 25 2024 15:47:07.123"
  // The last month name that starts a word: where the device's stamp starts.
  std::size_t start = std::string_view::npos;
  int month = 0;
  for (std::size_t p = head.size() >= 4 ? head.size() - 4 : 0; start == std::string_view::npos;) {
    if ((p == 0 || head[p - 1] == ' ' || head[p - 1] == ':' || head[p - 1] == '*' ||
         head[p - 1] == '>') &&
        p + 3 < head.size() && head[p + 3] == ' ') {
      if (const unsigned m = time::month_number(head.substr(p, 3)); m != 0) {
        start = p;
        month = static_cast<int>(m);
      }
    }
    if (p == 0) break;
    --p;
  }
  if (start == std::string_view::npos) return;
  std::string_view stamp = head.substr(start);
  // With a year: "Sep 25 2024 15:47:07[.fff]" -> ISO; without: a BSD stamp.
  std::string_view rest = stamp.substr(3);
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  const std::string_view day = take_until(rest, ' ');
  if (rest.size() >= 13 && is_digit(rest[0]) && rest[4] == ' ') {
    char text[48];
    const int n = std::snprintf(text, sizeof text, "%.4s-%02d-%02d", rest.data(), month,
                                static_cast<int>(to_int(day).value_or(0)));
    std::string iso(text, static_cast<std::size_t>(n));
    iso += 'T';
    iso += rest.substr(5, std::min<std::size_t>(rest.size() - 5, 20));
    if (auto t = time::parse_local_iso(iso, *zone)) vendor::set_time(out, "@timestamp", *t);
    return;
  }
  if (auto t = time::parse_rfc3164(stamp, line.received, *zone); t && t->length == stamp.size())
    vendor::set_time(out, "@timestamp", t->value);
}

class cisco_asa_parser final : public parser {
 public:
  std::string_view name() const override { return "cisco-asa"; }
  std::string_view dataset() const override { return "cisco.asa"; }
  std::string_view description() const override {
    return "Cisco ASA, FTD and PIX syslog (%ASA-n-nnnnnn, %FTD-, %PIX-)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    // The marker is near the start of the message ("<IP>: %ASA-...", "EDT: %ASA-...").
    // "%ASA-", "%FTD-" or "%PIX-" (the ASA's predecessor) near the start:
    // one scan for '%', then a look at what follows.
    std::size_t at = 0;
    std::string_view product;
    const std::string_view head = msg.substr(0, 64);
    for (at = head.find('%'); at != std::string_view::npos; at = head.find('%', at + 1)) {
      const std::string_view tag = msg.substr(at + 1, 4);
      if (tag == "ASA-")
        product = "asa";
      else if (tag == "FTD-")
        product = "ftd";
      else if (tag == "PIX-")
        product = "pix";
      else
        continue;
      break;
    }
    if (product.empty()) return {};
    parse_result result{outcome::parsed, {}};
    // "STAMP HOST: %ASA-..." (no blank before the colon): the envelope took
    // the host for a program name; "STAMP HOST %ASA-6-302013: ...": the
    // message tag. Neither is a program.
    const syslog::header& h = line.header;
    if (!h.app_name.empty() && h.procid.empty()) {
      if (h.app_name[0] == '%') {
        result.no_program = true;
      } else if (h.hostname.empty() && at == 0) {
        out.set("host.hostname", h.app_name);
        out.set("observer.hostname", h.app_name);
        result.no_program = true;
      }
    }
    device_stamp(msg.substr(0, at), line, out);
    std::string_view s = msg.substr(at + 5);
    // Optional "session-" style suffix: %ASA-session-5-106100
    if (!s.empty() && !is_digit(s[0])) {
      const std::string_view suffix = take_until(s, '-');
      out.set("cisco.asa.suffix", suffix);
    }
    if (s.size() < 9 || !is_digit(s[0]) || s[1] != '-')
      return {outcome::broken, "malformed %ASA- message tag"};
    const int level = s[0] - '0';
    s.remove_prefix(2);
    const std::string_view code = s.substr(0, 6);
    auto id = to_int(code);
    if (!id) return {outcome::broken, "malformed %ASA- message id"};
    s.remove_prefix(6);
    consume(s, ":");
    consume(s, " ");
    // "message repeated 2 times: [ Deny inbound UDP from ...]": the message.
    if (starts_with(s, "message repeated ")) {
      const std::size_t open = s.find(": [");
      if (open != std::string_view::npos && !s.empty() && s.back() == ']') {
        s = s.substr(open + 3, s.size() - open - 4);
        while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
      }
    }
    out.set("event.code", code);
    out.set_int("event.severity", level);
    out.set("log.level", syslog::severity_name(level));
    out.set("observer.vendor", "Cisco");
    out.set("observer.product", product);
    out.set("observer.type", "firewall");
    if (!line.header.hostname.empty()) out.set("observer.hostname", line.header.hostname);
    out.set("message", s);
    const message_spec* spec = lookup(static_cast<std::uint32_t>(*id));
    if (spec == nullptr) return result;
    if (!spec->action.empty()) out.set("event.action", spec->action);
    add_words(out, "event.category", spec->categories);
    if (spec->form != layout::acl_hit && spec->form != layout::deny_acl)
      add_words(out, "event.type", spec->types);
    else
      add_words(out, "event.type", "connection");
    if (!spec->outcome.empty()) out.set("event.outcome", spec->outcome);
    switch (spec->form) {
      case layout::none: break;
      case layout::conn_built: conn_built(s, out); break;
      case layout::conn_teardown: conn_teardown(s, out); break;
      case layout::icmp_conn: icmp_conn(s, out); break;
      case layout::xlate: xlate(s, out); break;
      case layout::deny_acl: deny_acl(s, out); break;
      case layout::acl_hit: acl_hit(s, out); break;
      case layout::deny_from_to: deny_from_to(s, out); break;
      case layout::icmp_denied: icmp_denied(s, out); break;
      case layout::url_access: url_access(s, out); break;
      case layout::dynamic_filter: dynamic_filter(s, out); break;
      case layout::vpn_session: vpn_session(s, out); break;
      case layout::vpn_end: vpn_end(s, out, line.received); break;
      case layout::aaa: aaa(s, out); break;
      case layout::dap: dap(s, out); break;
      case layout::login: login(s, out); break;
      case layout::command: command(s, out); break;
      case layout::sa_deleted: sa_deleted(s, out); break;
      case layout::tcp_denied: tcp_denied(s, out); break;
      case layout::sip_channel: sip_channel(s, out); break;
      case layout::threat: threat(s, out); break;
      case layout::icmp_invalid: icmp_invalid(s, out); break;
      case layout::flow_from_to: flow_from_to(s, out); break;
      case layout::vpn_local_remote: vpn_local_remote(s, out); break;
    }
    return result;
  }
};

}  // namespace

const parser& cisco_asa() {
  static const cisco_asa_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
