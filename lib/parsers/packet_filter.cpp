// packet_filter: Linux netfilter LOG lines (iptables, nftables, ufw) and
// pfSense/OPNsense filterlog CSV. Datasets iptables.log and pfsense.log.
//
//   kernel: [ 123.456] [UFW BLOCK] IN=eth0 OUT= MAC=.. SRC=a DST=b LEN=60 ... PROTO=TCP SPT=1
//   DPT=22 ... filterlog[123]:
//   5,,,1000000103,igb1,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,a,b,51234,22,0,S,...
#include <array>

#include <cstdio>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

bool contains_word(std::string_view text, std::string_view word) {
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < word.size() && same; ++k) {
      char c = text[i + k];
      if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
      same = c == word[k];
    }
    if (same) return true;
  }
  return false;
}

// Proxmox's pvefw-logger: "VMID LEVEL CHAIN dd/Mon/yyyy:hh:mm:ss +zzzz ACTION:"
// before the netfilter fields; the chain is the rule, the stamp the time.
bool proxmox_prefix(std::string_view prefix, fields& out) {
  std::string_view s = prefix;
  const std::string_view vmid = take_until(s, ' ');
  const std::string_view level = take_until(s, ' ');
  const std::string_view chain = take_until(s, ' ');
  if (!to_int(vmid) || !to_int(level) || chain.empty() || s.size() < 26 || s[2] != '/' ||
      s[6] != '/' || s[11] != ':' || s[20] != ' ' || (s[21] != '+' && s[21] != '-')) {
    return false;
  }
  static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t month = months.find(s.substr(3, 3));
  if (month == std::string_view::npos || month % 3 != 0) return false;
  // As RFC 3339: "2022-06-20T13:09:14+02:00"
  char text[32];
  const int n = std::snprintf(text, sizeof text, "%.4s-%02d-%.2sT%.8s%c%.2s:%.2s", s.data() + 7,
                              int(month / 3 + 1), s.data(), s.data() + 12, s[21], s.data() + 22,
                              s.data() + 24);
  if (n <= 0 || std::size_t(n) >= sizeof text) return false;
  auto when = time::parse_rfc3339(std::string_view(text, std::size_t(n)));
  if (!when) return false;
  vendor::set_time(out, "@timestamp", *when);
  out.set("rule.name", chain);
  return true;
}

class iptables_parser final : public parser {
 public:
  std::string_view name() const override { return "iptables"; }
  std::string_view dataset() const override { return "iptables.log"; }
  std::string_view description() const override {
    return "iptables/nftables/ufw kernel LOG lines (IN= OUT= SRC= DST= ...)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    // netfilter writes IN= and OUT=; Proxmox's pvefw-logger only the one
    // that applies ("... ACCEPT: OUT=vmbr0 SRC=...").
    std::size_t in = msg.find("IN=");
    if (in == std::string_view::npos || msg.find(" OUT=", in) == std::string_view::npos) {
      const std::size_t out_at = msg.find("OUT=");
      in = in == std::string_view::npos || (out_at != std::string_view::npos && out_at < in)
               ? out_at
               : in;
    }
    if (in == std::string_view::npos || msg.find(" SRC=", in) == std::string_view::npos ||
        msg.find(" DST=", in) == std::string_view::npos) {
      return {};
    }
    // The prefix the rule logged with, after the kernel's "[ 123.456]".
    std::string_view prefix = msg.substr(0, in);
    if (!prefix.empty() && prefix[0] == '[') {
      const std::size_t end = prefix.find("] ");
      if (end != std::string_view::npos && end < 20) prefix = prefix.substr(end + 2);
    }
    while (!prefix.empty() && prefix.back() == ' ') prefix.remove_suffix(1);
    while (!prefix.empty() && prefix[0] == ' ') prefix.remove_prefix(1);
    if (!proxmox_prefix(prefix, out) && !prefix.empty()) out.set("rule.name", prefix);
    std::string_view src, dst, spt, dpt;
    std::size_t pos = 0;
    std::string_view body = msg.substr(in);
    while (pos < body.size()) {
      while (pos < body.size() && body[pos] == ' ') ++pos;
      const std::size_t end = std::min(body.find(' ', pos), body.size());
      const std::string_view token = body.substr(pos, end - pos);
      pos = end;
      const std::size_t eq = token.find('=');
      if (eq == std::string_view::npos) {
        if (token == "SYN" || token == "ACK" || token == "FIN" || token == "RST" ||
            token == "PSH" || token == "URG") {
          out.add("iptables.tcp.flags", token);
        }
        continue;
      }
      const std::string_view key = token.substr(0, eq), value = token.substr(eq + 1);
      if (key == "IN") {
        if (!value.empty()) out.set("observer.ingress.interface.name", value);
      } else if (key == "OUT") {
        if (!value.empty()) out.set("observer.egress.interface.name", value);
      } else if (key == "SRC") {
        src = value;
      } else if (key == "DST") {
        dst = value;
      } else if (key == "SPT") {
        spt = value;
      } else if (key == "DPT") {
        dpt = value;
      } else if (key == "PROTO") {
        set_lower(out, "network.transport", value);
      } else if (key == "LEN") {
        if (auto n = to_int(value)) out.set_int("iptables.length", *n);
      } else if (key == "TTL") {
        if (auto n = to_int(value)) out.set_int("iptables.ttl", *n);
      } else if (key == "ID") {
        if (auto n = to_int(value)) out.set_int("iptables.id", *n);
      } else if (key == "MAC") {
        // destination:source:ethertype, 6+6+2 octets
        // (checked to be hex and colons: a cut inside a multi-byte
        // character would not be UTF-8)
        const auto is_mac = [](std::string_view m) {
          for (char c : m) {
            if (!(is_digit(c) || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
              return false;
            }
          }
          return true;
        };
        if (value.size() >= 35 && is_mac(value.substr(0, 35))) {
          out.set("destination.mac", value.substr(0, 17));
          out.set("source.mac", value.substr(18, 17));
        }
      } else if (key == "TYPE") {
        if (auto n = to_int(value)) out.set_int("iptables.icmp.type", *n);
      } else if (key == "CODE") {
        if (auto n = to_int(value)) out.set_int("iptables.icmp.code", *n);
      }
    }
    if (src.empty() || dst.empty()) return {outcome::broken, "LOG line without SRC= or DST="};
    set_endpoint(out, "source", src, spt);
    set_endpoint(out, "destination", dst, dpt);
    out.set("observer.type", "firewall");
    out.add("event.category", "network");
    out.add("event.type", "connection");
    if (contains_word(prefix, "BLOCK") || contains_word(prefix, "DROP") ||
        contains_word(prefix, "REJECT") || contains_word(prefix, "DENY")) {
      out.add("event.type", "denied");
      out.set("event.action", "deny");
    } else if (contains_word(prefix, "ACCEPT") || contains_word(prefix, "ALLOW")) {
      out.add("event.type", "allowed");
      out.set("event.action", "allow");
    }
    return {outcome::parsed, {}};
  }
};

class filterlog_parser final : public parser {
 public:
  std::string_view name() const override { return "pfsense"; }
  std::string_view dataset() const override { return "pfsense.log"; }
  std::string_view description() const override { return "pfSense/OPNsense filterlog CSV"; }
  parse_result parse(const line_context& line, fields& out) const override {
    if (line.header.app_name != "filterlog") return {};
    std::array<std::string_view, 40> f{};
    std::size_t n = 0;
    std::string_view s = line.header.message;
    while (!s.empty() && n < f.size()) f[n++] = take_until(s, ',');
    if (n < 9) return {outcome::broken, "filterlog line with fewer than 9 fields"};
    // rule, subrule, anchor, tracker, interface, reason, action, direction, ipversion
    if (!f[3].empty()) out.set("rule.id", f[3]);
    if (!f[0].empty()) out.set("pfsense.rule_number", f[0]);
    if (!f[4].empty()) out.set("observer.ingress.interface.name", f[4]);
    if (!f[5].empty()) out.set("event.reason", f[5]);
    const std::string_view action = f[6];
    out.set("event.action", action);
    out.set("network.direction", f[7] == "in" ? "inbound" : f[7] == "out" ? "outbound" : f[7]);
    std::size_t i;
    std::string_view proto;
    if (f[8] == "4") {
      // tos, ecn, ttl, id, offset, flags, proto id, proto text, length, src, dst
      if (n < 20) return {outcome::broken, "filterlog IPv4 line too short"};
      out.set("network.type", "ipv4");
      proto = f[16];
      if (to_int(f[15])) out.set("network.iana_number", f[15]);
      set_endpoint(out, "source", f[18], {});
      set_endpoint(out, "destination", f[19], {});
      i = 20;
    } else if (f[8] == "6") {
      // class, flow label, hop limit, proto text, proto id, length, src, dst
      if (n < 17) return {outcome::broken, "filterlog IPv6 line too short"};
      out.set("network.type", "ipv6");
      proto = f[12];
      if (to_int(f[13])) out.set("network.iana_number", f[13]);
      set_endpoint(out, "source", f[15], {});
      set_endpoint(out, "destination", f[16], {});
      i = 17;
    } else {
      return {outcome::broken, "filterlog: unknown IP version"};
    }
    set_lower(out, "network.transport", proto);
    const std::string_view t = out.get("network.transport");
    if ((t == "tcp" || t == "udp") && i + 1 < n) {
      if (auto p = to_int(f[i])) out.set_int("source.port", *p);
      if (auto p = to_int(f[i + 1])) out.set_int("destination.port", *p);
    }
    out.set("observer.vendor", "Netgate");
    out.set("observer.product", "pfSense");
    out.set("observer.type", "firewall");
    out.add("event.category", "network");
    out.add("event.type", "connection");
    out.add("event.type", action == "block" || action == "reject" ? "denied" : "allowed");
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& iptables() {
  static const iptables_parser instance;
  return instance;
}

const parser& pfsense_filterlog() {
  static const filterlog_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
