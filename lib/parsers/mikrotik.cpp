// mikrotik: MikroTik RouterOS syslog. Dataset mikrotik.routeros.
//
// RouterOS writes each message as its topics (a comma list naming the
// facility and the level), then the text. Remote logging sends that after a
// BSD or ISO stamp and the router's identity:
//
//   firewall,info [PREFIX ]CHAIN: in:IF out:IF, [connection-state:S ][src-mac M, ]
//     proto TCP (SYN), SRC:SPORT->DST:DPORT, [NAT (S:P->S':P')->D:P, ]len N
//   system,error,critical login failure for user NAME from ADDR via SERVICE
//   system,info,account user NAME logged in from ADDR via SERVICE
//   system,info,account user NAME logged out from ADDR via SERVICE
//
// The ICMP protocol reads "proto ICMP (type 3, code 3)" and has no ports;
// IPv6 endpoints are bracketed ("[2001:db8::1]:443"); the NAT part is
// "(orig->translated)->dst" for source NAT and "src->(orig->translated)"
// for destination NAT. A firewall line whose topics the sender left out
// ("prerouting: in:ether1 ...") still parses: the envelope took the chain
// for the program name. Other topic lines keep their topics, level and text.
#include <array>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

[[nodiscard]] constexpr bool is_topic_char(char c) {
  return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}

// The RouterOS levels, most severe first (as ECS log.level words).
constexpr std::array<std::string_view, 5> levels = {"critical", "error", "warning", "info",
                                                    "debug"};

// "firewall,info" / "system,error,critical": lowercase words joined by
// commas, one of them a level. Returns the length of the topics (0: not
// RouterOS topics) and the level word.
std::size_t read_topics(std::string_view s, std::string_view& level) {
  std::size_t i = 0, level_rank = levels.size();
  bool comma = false;
  while (i < s.size() && i < 96 && s[i] != ' ') {
    const std::size_t start = i;
    while (i < s.size() && is_topic_char(s[i])) ++i;
    if (i == start) return 0;
    const std::string_view word = s.substr(start, i - start);
    for (std::size_t r = 0; r < level_rank; ++r) {
      if (word == levels[r]) level_rank = r;
    }
    if (i < s.size() && s[i] == ',') {
      comma = true;
      ++i;
    } else if (i < s.size() && s[i] != ' ') {
      return 0;
    }
  }
  if (!comma || level_rank == levels.size() || i >= s.size()) return 0;
  level = levels[level_rank];
  return i;
}

// Cuts the next ", "-separated part off `s`, not splitting inside
// parentheses ("(type 3, code 3)", "(ACK,PSH)").
std::string_view next_part(std::string_view& s) {
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == ',' && depth == 0 && i + 1 < s.size() && s[i + 1] == ' ') {
      const std::string_view part = s.substr(0, i);
      s.remove_prefix(i + 2);
      return part;
    }
  }
  const std::string_view part = s;
  s = {};
  return part;
}

// "1.2.3.4:80", "1.2.3.4", "[2001:db8::1]:80", "2001:db8::1".
bool split_endpoint(std::string_view text, std::string_view& ip, std::string_view& port) {
  port = {};
  if (!text.empty() && text[0] == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    ip = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return false;
      port = text.substr(close + 2);
    }
    return is_ip(ip);
  }
  if (is_ip(text)) {
    ip = text;
    return true;
  }
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return false;
  ip = text.substr(0, colon);
  port = text.substr(colon + 1);
  return is_ip(ip) && to_int(port).has_value();
}

// "A->B" into its two sides; false when there is no arrow.
bool split_arrow(std::string_view text, std::string_view& left, std::string_view& right) {
  int depth = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (depth == 0 && text[i] == '-' && text[i + 1] == '>') {
      left = text.substr(0, i);
      right = text.substr(i + 2);
      return true;
    }
  }
  return false;
}

// "(orig->translated)": both sides; false for anything else.
bool nat_pair(std::string_view side, std::string_view& original, std::string_view& translated) {
  if (side.size() < 2 || side.front() != '(' || side.back() != ')') return false;
  return split_arrow(side.substr(1, side.size() - 2), original, translated);
}

// "NAT (a:p->b:p)->c:p" (source NAT), "NAT a:p->(b:p->c:p)" (destination
// NAT), or both. As ECS has it, source.ip and destination.ip are the
// addresses before translation and *.nat.* the translated ones: after
// destination NAT the line's own pair holds the translated destination.
void set_nat(fields& out, std::string_view text) {
  std::string_view left, right, original, translated, ip, port;
  if (!split_arrow(text, left, right)) return;
  if (nat_pair(left, original, translated) && split_endpoint(translated, ip, port))
    set_endpoint(out, "source.nat", ip, port);
  if (nat_pair(right, original, translated) && split_endpoint(translated, ip, port)) {
    set_endpoint(out, "destination.nat", ip, port);
    if (split_endpoint(original, ip, port)) set_endpoint(out, "destination", ip, port);
  }
}

// "TCP (SYN)", "TCP (ACK,PSH)", "UDP", "ICMP (type 3, code 3)", "47".
void set_protocol(fields& out, std::string_view text) {
  std::string_view name = take_until(text, ' ');
  if (auto number = to_int(name)) {
    out.set_int("network.iana_number", *number);
    if (const std::string_view t = transport_name(*number); !t.empty())
      out.set("network.transport", t);
  } else if (iequals(name, "icmpv6") || iequals(name, "icmp-v6") || iequals(name, "ipv6-icmp")) {
    out.set("network.transport", "ipv6-icmp");
  } else if (!name.empty()) {
    set_lower(out, "network.transport", name);
  }
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return;
  std::string_view inside = text.substr(1, text.size() - 2);
  if (starts_with(inside, "type ")) {
    // "type 3, code 3"
    std::string_view type = inside.substr(5);
    type = take_until(type, ',');
    if (auto n = to_int(type)) out.set_int("mikrotik.routeros.icmp.type", *n);
    const std::size_t code = inside.find("code ");
    if (code != std::string_view::npos) {
      if (auto n = to_int(inside.substr(code + 5))) out.set_int("mikrotik.routeros.icmp.code", *n);
    }
    return;
  }
  while (!inside.empty()) {
    const std::string_view flag = take_until(inside, ',');
    if (!flag.empty()) out.add("mikrotik.routeros.tcp.flags", flag);
  }
}

// "ether1-WAN", "(unknown 0)": the interface name, empty when none.
std::string_view interface_name(std::string_view text) {
  return starts_with(text, "(unknown") ? std::string_view{} : text;
}

// The firewall part after "CHAIN: ".
parse_result firewall(std::string_view prefix, std::string_view chain, std::string_view body,
                      fields& out) {
  out.add("event.category", "network");
  out.add("event.type", "connection");
  if (!chain.empty()) out.set("mikrotik.routeros.chain", chain);
  if (!prefix.empty()) {
    // The rule's log-prefix: what the administrator named it.
    out.set("rule.name", prefix);
    const verdict v = verdict_of(prefix);
    if (v == verdict::denied) {
      out.add("event.type", "denied");
      out.set("event.action", "deny");
    } else if (v == verdict::allowed) {
      out.add("event.type", "allowed");
      out.set("event.action", "allow");
    }
  }
  bool addresses = false;
  while (!body.empty()) {
    std::string_view part = next_part(body);
    if (starts_with(part, "in:")) {
      // "in:IF out:IF" (names may hold blanks: "(unknown 0)")
      const std::size_t out_at = part.find(" out:");
      const std::string_view in_if =
          part.substr(3, out_at == std::string_view::npos ? std::string_view::npos : out_at - 3);
      if (const std::string_view n = interface_name(in_if); !n.empty())
        out.set("observer.ingress.interface.name", n);
      if (out_at != std::string_view::npos) {
        if (const std::string_view n = interface_name(part.substr(out_at + 5)); !n.empty())
          out.set("observer.egress.interface.name", n);
      }
    } else if (consume(part, "proto ")) {
      set_protocol(out, part);
    } else if (consume(part, "NAT ")) {
      set_nat(out, part);
    } else if (consume(part, "len ")) {
      if (auto n = to_int(part); n && *n >= 0) out.set_int("mikrotik.routeros.length", *n);
    } else if (std::string_view left, right; !addresses && split_arrow(part, left, right)) {
      std::string_view src_ip, src_port, dst_ip, dst_port;
      if (split_endpoint(left, src_ip, src_port) && split_endpoint(right, dst_ip, dst_port)) {
        set_endpoint(out, "source", src_ip, src_port);
        set_endpoint(out, "destination", dst_ip, dst_port);
        addresses = true;
      }
    } else {
      // "connection-state:new src-mac 00:11:22:33:44:55", "connection-mark:x"
      while (!part.empty()) {
        const std::string_view word = take_until(part, ' ');
        if (word == "src-mac") {
          const std::string_view mac = take_until(part, ' ');
          if (mac.size() == 17) out.set("source.mac", mac);
        } else if (starts_with(word, "connection-state:")) {
          out.set("mikrotik.routeros.connection.state", word.substr(17));
        } else if (starts_with(word, "connection-mark:")) {
          out.set("mikrotik.routeros.connection.mark", word.substr(16));
        }
      }
    }
  }
  if (!addresses) return {outcome::broken, "MikroTik firewall line without SRC->DST addresses"};
  return {outcome::parsed, {}};
}

// "login failure for user NAME from ADDR via SERVICE",
// "user NAME logged in|out [from ADDR] via SERVICE". False when the text is
// not one of these.
bool account(std::string_view text, fields& out) {
  std::string_view user;
  std::string_view action;
  bool failure = false;
  if (consume(text, "login failure for user ")) {
    failure = true;
    action = "login";
    const std::size_t end =
        text.find(" from ") != std::string_view::npos ? text.find(" from ") : text.find(" via ");
    if (end == std::string_view::npos) return false;
    user = text.substr(0, end);
    text.remove_prefix(end);
  } else if (consume(text, "user ")) {
    std::size_t end = text.find(" logged in");
    action = "login";
    if (end == std::string_view::npos) {
      end = text.find(" logged out");
      action = "logout";
    }
    if (end == std::string_view::npos) return false;
    user = text.substr(0, end);
    text.remove_prefix(end + (action == "login" ? 10 : 11));
  } else {
    return false;
  }
  out.add("event.category", "authentication");
  out.set("event.action", action);
  if (action == "logout") {
    out.add("event.type", "end");
  } else {
    out.add("event.type", failure ? "info" : "start");
    out.set("event.outcome", failure ? "failure" : "success");
  }
  set_user(out, "user.name", user);
  if (consume(text, " from ")) {
    const std::string_view address = take_until(text, ' ');
    out.set("source.address", address);
    if (is_ip(address)) {
      set_ip(out, "source.ip", address);
    } else if (address.size() == 17 && address[2] == ':') {
      out.set("source.mac", address);  // MAC-telnet and MAC-Winbox
    }
  }
  if (consume(text, " via ") || consume(text, "via ")) {
    const std::string_view service = take_until(text, ' ');
    if (!service.empty()) {
      out.set("mikrotik.routeros.login.via", service);
      if (service == "ssh" || service == "telnet" || service == "ftp" || service == "api-ssl")
        out.set("network.protocol", service == "api-ssl" ? std::string_view("tls") : service);
    }
  }
  return true;
}

class mikrotik_parser final : public parser {
 public:
  std::string_view name() const override { return "mikrotik"; }
  std::string_view dataset() const override { return "mikrotik.routeros"; }
  std::string_view description() const override {
    return "MikroTik RouterOS syslog: firewall log lines, logins, other topics";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view msg = line.header.message;
    if (msg.empty()) return {};
    const char first = msg[0];
    std::string_view level;
    std::size_t topics_length = 0;
    if (first >= 'a' && first <= 'z') topics_length = read_topics(msg, level);
    if (topics_length == 0) {
      // Topics left out: "prerouting: in:ether1 out:..." (the chain went to
      // the program name).
      if (first != 'i' || !starts_with(msg, "in:") || line.header.app_name.empty() ||
          msg.find(" out:") == std::string_view::npos || msg.find("->") == std::string_view::npos)
        return {};
      set_observer(out);
      return firewall({}, line.header.app_name, msg, out);
    }
    const std::string_view topics = msg.substr(0, topics_length);
    std::string_view text = msg.substr(topics_length);
    while (!text.empty() && text[0] == ' ') text.remove_prefix(1);
    set_observer(out);
    out.set("log.level", level);
    for (std::string_view t = topics; !t.empty();)
      out.add("mikrotik.routeros.topics", take_until(t, ','));

    // "[PREFIX ]CHAIN: in:..."
    if (const std::size_t in = text.find(": in:"); in != std::string_view::npos) {
      std::string_view head = text.substr(0, in);
      const std::size_t space = head.rfind(' ');
      const std::string_view chain =
          space == std::string_view::npos ? head : head.substr(space + 1);
      std::string_view prefix =
          space == std::string_view::npos ? std::string_view{} : head.substr(0, space);
      while (!prefix.empty() && prefix.back() == ' ') prefix.remove_suffix(1);
      return firewall(prefix, chain, text.substr(in + 2), out);
    }
    if (account(text, out)) return {outcome::parsed, {}};
    out.add("event.type", "info");
    if (!text.empty()) out.set("message", text);
    return {outcome::parsed, {}};
  }

 private:
  static void set_observer(fields& out) {
    out.set("observer.vendor", "MikroTik");
    out.set("observer.product", "RouterOS");
    out.set("observer.type", "firewall");
  }
};

}  // namespace

const parser& mikrotik() {
  static const mikrotik_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
