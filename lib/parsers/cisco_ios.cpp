// cisco_ios: Cisco IOS, IOS-XE and NX-OS syslog, "%FACILITY-SEVERITY-
// MNEMONIC: text". Dataset cisco.ios.
//
// Before the message tag a router writes, each part closed by ": ", what
// its logging settings ask for: a message count, a sequence number
// ("service sequence-numbers"), its name or address, and the time as an
// uptime ("1w2d") or a stamp ("*Mar  1 00:01:02.123 UTC"; '*' when the
// clock was never set, '.' when it lost its source). A relay may put its own
// BSD header (stamp, host) in front:
//
//   <189>6705: Feb 17 13:40:03.673: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:...
//   <189>Oct  3 12:00:01 10.0.0.1 45: 000046: *Oct  3 12:00:00.123 UTC: %LINK-3-UPDOWN: ...
//   172.16.5.10 6705: Feb 17 13:40:03.673: %SYS-5-CONFIG_I: Configured from console by ...
//   2024 Oct  3 12:00:00 nx1 %ETHPORT-5-IF_DOWN_LINK_FAILURE: ...   (NX-OS)
//
// The tag is FACILITY (words of capitals, digits and '_', joined by '-'),
// the severity 0..7 and the mnemonic. Only a line whose text before the tag
// is made of such parts is read as Cisco's; ASA, FTD and PIX tags belong to
// cisco_asa. The device's stamp, when there is one, is the event's time.
//
// Messages with fields of their own: configuration by a user (SYS-5-CONFIG_I,
// PARSER-5-CFGLOG_LOGGEDCMD: command accounting), logins (SEC_LOGIN-5-
// LOGIN_SUCCESS, -4-LOGIN_FAILED), access-list hits (SEC-6-IPACCESSLOGP and
// the rest of that family) and failed TCP MD5 authentication of BGP or LDP
// peers (TCP-6-BADAUTH). Every other message keeps its tag and text.
#include <array>
#include <cstdint>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/rfc3164.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

// Cisco's own names of the severities (ECS log.level, as Elastic's
// cisco_ios integration writes them).
constexpr std::array<std::string_view, 8> level_names = {
    "emergencies", "alert", "critical", "error", "warning", "notification", "informational",
    "debug"};

[[nodiscard]] constexpr bool is_tag_char(char c) {
  return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

struct message_tag {
  std::string_view facility, mnemonic, text;
  int severity = -1;
};

// "%FAC[-SUB]-S-MNEMONIC: text" at `s` (which starts with '%').
bool read_tag(std::string_view s, message_tag& tag) {
  std::size_t i = 1;
  const std::size_t facility_start = 1;
  for (;;) {
    const std::size_t start = i;
    while (i < s.size() && i < 96 && is_tag_char(s[i])) ++i;
    if (i == start || i >= s.size() || s[i] != '-') return false;
    ++i;
    // The severity: one digit between dashes, after at least one word.
    if (i + 1 < s.size() && s[i] >= '0' && s[i] <= '7' && s[i + 1] == '-') {
      tag.facility = s.substr(facility_start, i - 1 - facility_start);
      tag.severity = s[i] - '0';
      i += 2;
      break;
    }
  }
  const std::size_t start = i;
  while (i < s.size() && i < 160 && is_tag_char(s[i])) ++i;
  if (i == start || i >= s.size() || s[i] != ':') return false;
  tag.mnemonic = s.substr(start, i - start);
  ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  tag.text = s.substr(i);
  return true;
}

[[nodiscard]] bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// An uptime stamp: "1w2d", "2d03h", "00:01:02" (the last is split off at
// its own colons before this is asked, so only the letter forms come here).
[[nodiscard]] bool is_uptime(std::string_view s) {
  if (s.size() < 2 || s.size() > 12 || !is_digit(s[0])) return false;
  bool letter = false;
  for (char c : s) {
    if (c == 'y' || c == 'w' || c == 'd' || c == 'h' || c == 'm')
      letter = true;
    else if (!is_digit(c))
      return false;
  }
  return letter;
}

[[nodiscard]] bool is_host_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
          c == '_' || c == '.'))
      return false;
  }
  return true;
}

// What the text before the tag said.
struct prefix_facts {
  std::string_view sequence, count, host, uptime;
  bool has_time = false;
  time::timestamp time;
  bool clock_unsynced = false;
};

// A device stamp: [*.]Mmm d[d] [yyyy ]hh:mm:ss[.fff][ TZ] or (NX-OS)
// yyyy Mmm d[d] hh:mm:ss[.fff][ TZ], whatever follows it (a host, on
// NX-OS) left in `rest`. TZ: an abbreviation of zone_abbreviation_minutes
// ("UTC", "EDT", "JST"); another name is the device's own and --tz says
// what it is.
bool read_stamp(std::string_view s, const line_context& line, prefix_facts& facts,
                std::string_view& rest) {
  if (!s.empty() && (s[0] == '*' || s[0] == '.')) {
    facts.clock_unsynced = s[0] == '*';
    s.remove_prefix(1);
  }
  std::string_view year;
  if (s.size() > 5 && all_digits(s.substr(0, 4)) && s[4] == ' ') {  // NX-OS: the year first
    year = s.substr(0, 4);
    s.remove_prefix(5);
  }
  const auto month = static_cast<int>(time::month_number(s));
  if (month == 0 || s.size() < 15 || s[3] != ' ') return false;
  std::size_t i = 4;
  if (s[i] == ' ') ++i;
  std::size_t day_start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::string_view day = s.substr(day_start, i - day_start);
  if (day.empty() || day.size() > 2 || i >= s.size() || s[i] != ' ') return false;
  ++i;
  if (year.empty() && i + 5 < s.size() && all_digits(s.substr(i, 4)) && s[i + 4] == ' ') {
    year = s.substr(i, 4);
    i += 5;
  }
  const std::size_t clock_start = i;
  if (i + 8 > s.size() || s[i + 2] != ':' || s[i + 5] != ':') return false;
  i += 8;
  std::size_t fraction_end = i;
  if (i < s.size() && s[i] == '.') {
    ++fraction_end;
    while (fraction_end < s.size() && is_digit(s[fraction_end])) ++fraction_end;
  }
  const std::string_view clock = s.substr(clock_start, fraction_end - clock_start);
  i = fraction_end;
  // A zone name after the clock: capitals ("UTC", "JST", "CEST"; a host
  // name that follows on NX-OS is lowercase, or has digits).
  time::zone zone = line.tz;
  std::size_t after = i;
  if (after < s.size() && s[after] == ' ') {
    std::size_t j = after + 1;
    while (j < s.size() && s[j] >= 'A' && s[j] <= 'Z') ++j;
    const std::string_view name = s.substr(after + 1, j - after - 1);
    if (name.size() >= 2 && name.size() <= 5 && (j == s.size() || s[j] == ' ')) {
      if (const auto minutes = zone_abbreviation_minutes(name)) {
        if (auto fixed = time::zone::fixed(std::chrono::minutes(*minutes))) zone = *fixed;
      }
      after = j;
    }
  }
  rest = s.substr(after);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  char text[48];
  std::size_t n = 0;
  if (!year.empty()) {
    for (char c : year) text[n++] = c;
    text[n++] = '-';
    text[n++] = static_cast<char>('0' + month / 10);
    text[n++] = static_cast<char>('0' + month % 10);
    text[n++] = '-';
    if (day.size() == 1) text[n++] = '0';
    for (char c : day) text[n++] = c;
    text[n++] = 'T';
    for (char c : clock.substr(0, 30)) text[n++] = c;
    const auto t = time::parse_local_iso(std::string_view(text, n), zone);
    if (!t) return false;
    facts.time = *t;
  } else {
    // Month, day and clock as a BSD stamp: its year is the one nearest to
    // when the line came in.
    for (char c : s.substr(0, 3)) text[n++] = c;
    text[n++] = ' ';
    if (day.size() == 1) text[n++] = ' ';
    for (char c : day) text[n++] = c;
    text[n++] = ' ';
    for (char c : clock.substr(0, 30)) text[n++] = c;
    const auto t = time::parse_rfc3164(std::string_view(text, n), line.received, zone);
    if (!t || t->length != n) return false;
    facts.time = t->value;
  }
  facts.has_time = true;
  return true;
}

// The parts before the tag, each closed by ':' (the last by ':' or, on
// NX-OS, a blank). False when one of them is not a part Cisco writes.
bool read_prefix(std::string_view s, const line_context& line, prefix_facts& facts) {
  while (!s.empty()) {
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    if (s.empty()) break;
    std::size_t end = s.find(": ");
    std::string_view part = s.substr(0, end);
    if (end == std::string_view::npos && !part.empty() && part.back() == ':') part.remove_suffix(1);
    s = end == std::string_view::npos ? std::string_view{} : s.substr(end + 2);
    std::string_view rest;
    if (read_stamp(part, line, facts, rest)) {
      if (!rest.empty()) {  // NX-OS: the host after the stamp
        if (!is_host_name(rest)) return false;
        facts.host = rest;
      }
      continue;
    }
    if (all_digits(part)) {
      // Two numbers: the message count, then the sequence number.
      if (!facts.sequence.empty()) facts.count = facts.sequence;
      facts.sequence = part;
      continue;
    }
    if (is_uptime(part) || (part.size() == 8 && part[2] == ':' && part[5] == ':')) {
      facts.uptime = part;
      continue;
    }
    // "HOST" or "HOST NUMBER" (a relay's address and the count).
    const std::size_t blank = part.find(' ');
    const std::string_view host = part.substr(0, blank);
    if (!is_host_name(host)) return false;
    if (blank != std::string_view::npos) {
      const std::string_view number = part.substr(blank + 1);
      if (!all_digits(number)) return false;
      facts.sequence = number;
    }
    facts.host = host;
  }
  return true;
}

// "list 101 denied tcp 10.0.0.1(1234) -> 10.0.0.2(80), 1 packet" and the
// family's other forms (no ports, ICMP type/code, a protocol number).
void access_log(std::string_view text, fields& out) {
  std::string_view s = text;
  if (!consume(s, "list ")) return;
  const std::string_view list = take_until(s, ' ');
  const std::string_view verdict = take_until(s, ' ');
  // The protocol (a name or number) unless a standard list's address
  // comes first ("list 10 permitted 10.0.0.1 1 packet").
  std::string_view protocol;
  {
    std::string_view peek = s;
    const std::string_view first = take_until(peek, ' ');
    if (!is_ip(first) && first.find('(') == std::string_view::npos) {
      protocol = first;
      s = peek;
    }
  }
  out.set("cisco.ios.access_list", list);
  out.set("rule.name", list);
  out.add("event.category", "network");
  out.add("event.type", "connection");
  if (verdict == "denied") {
    out.set("event.action", "deny");
    out.add("event.type", "denied");
  } else if (verdict == "permitted") {
    out.set("event.action", "allow");
    out.add("event.type", "allowed");
  }
  if (auto n = to_int(protocol)) {
    out.set("network.iana_number", protocol);
    if (const auto t = transport_name(*n); !t.empty()) out.set("network.transport", t);
  } else if (!protocol.empty()) {
    set_lower(out, "network.transport", protocol);
  }
  auto endpoint = [&](std::string_view part, std::string_view ip_path, std::string_view port_path) {
    const std::size_t paren = part.find('(');
    const std::string_view address = part.substr(0, paren);
    if (!set_ip(out, ip_path, address)) return;
    if (paren != std::string_view::npos && port_path.size() > 0) {
      const std::string_view port = part.substr(paren + 1, part.find(')', paren) - paren - 1);
      set_port(out, port_path, port);
    }
  };
  const std::size_t arrow = s.find(" -> ");
  if (arrow == std::string_view::npos) {
    // A standard list: the source and the count.
    endpoint(take_until(s, ' '), "source.ip", "");
    set_count(out, "source.packets", take_until(s, ' '));
    return;
  }
  endpoint(s.substr(0, arrow), "source.ip", "source.port");
  std::string_view right = s.substr(arrow + 4);
  const std::size_t comma = right.find(", ");
  std::string_view destination = right.substr(0, comma);
  if (const std::size_t blank = destination.find(' '); blank != std::string_view::npos) {
    const std::string_view icmp = destination.substr(blank + 1);  // "(8/0)"
    destination = destination.substr(0, blank);
    if (icmp.size() > 2 && icmp.front() == '(' && icmp.back() == ')') {
      const std::string_view inner = icmp.substr(1, icmp.size() - 2);
      const std::size_t slash = inner.find('/');
      if (slash != std::string_view::npos) {
        out.set("icmp.type", inner.substr(0, slash));
        out.set("icmp.code", inner.substr(slash + 1));
      }
    }
    endpoint(destination, "destination.ip", "");
  } else {
    endpoint(destination, "destination.ip", "destination.port");
  }
  if (comma != std::string_view::npos) {
    std::string_view packets = right.substr(comma + 2);
    set_count(out, "source.packets", take_until(packets, ' '));
  }
}

// "[user: admin] [Source: 10.0.0.5] [localport: 22] [Reason: ...] at ..."
std::string_view bracketed(std::string_view text, std::string_view name) {
  const std::size_t at = text.find(name);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + name.size();
  const std::size_t end = text.find(']', start);
  if (end == std::string_view::npos) return {};
  return text.substr(start, end - start);
}

// "10.0.0.1(179)" or "10.0.0.1:179".
void address_and_port(std::string_view text, fields& out, std::string_view ip_path,
                      std::string_view port_path) {
  std::size_t split = text.find('(');
  std::string_view address = text.substr(0, split), port;
  if (split != std::string_view::npos) {
    port = text.substr(split + 1, text.find(')', split) - split - 1);
  } else if ((split = text.rfind(':')) != std::string_view::npos &&
             text.find(':') == split) {  // one colon: not an IPv6 address
    address = text.substr(0, split);
    port = text.substr(split + 1);
  }
  if (set_ip(out, ip_path, address)) set_port(out, port_path, port);
}

void message_fields(const message_tag& tag, fields& out) {
  const std::string_view text = tag.text;
  if (tag.mnemonic == "CFGLOG_LOGGEDCMD") {
    // "User:admin  logged command:no access-session port-control"
    std::string_view s = text;
    if (consume(s, "User:")) {
      const std::size_t end = s.find(' ');
      set_user(out, "user.name", s.substr(0, end));
      const std::size_t command = s.find("logged command:");
      if (command != std::string_view::npos) out.set("cisco.ios.command", s.substr(command + 15));
    }
    out.set("event.action", "logged-command");
    out.add("event.category", "configuration");
    out.add("event.type", "change");
    return;
  }
  if (tag.facility == "SYS" && tag.mnemonic == "CONFIG_I") {
    // "Configured from console by admin on vty0 (10.0.0.5)"
    const std::size_t by = text.find(" by ");
    if (by != std::string_view::npos) {
      std::string_view s = text.substr(by + 4);
      set_user(out, "user.name", take_until(s, ' '));
      const std::size_t open = s.find('('), close = s.find(')');
      if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        set_ip(out, "source.ip", s.substr(open + 1, close - open - 1));
    }
    out.set("event.action", "configured");
    out.add("event.category", "configuration");
    out.add("event.type", "change");
    return;
  }
  if (tag.mnemonic == "LOGIN_SUCCESS" || tag.mnemonic == "LOGIN_FAILED") {
    const bool success = tag.mnemonic == "LOGIN_SUCCESS";
    set_user(out, "user.name", bracketed(text, "[user: "));
    set_ip(out, "source.ip", bracketed(text, "[Source: "));
    set_port(out, "destination.port", bracketed(text, "[localport: "));
    if (const auto reason = bracketed(text, "[Reason: "); !reason.empty())
      out.set("event.reason", reason);
    out.set("event.action", success ? "logged-in" : "logon-failed");
    out.add("event.category", "authentication");
    out.add("event.type", "start");
    out.set("event.outcome", success ? "success" : "failure");
    return;
  }
  if (tag.mnemonic.find("ACCESSLOG") != std::string_view::npos) {
    access_log(text, out);
    return;
  }
  if (tag.mnemonic == "BADAUTH") {
    // "Invalid MD5 digest from 10.0.0.1(179) to 10.0.0.2(12345) tableid - 0"
    const std::size_t from = text.find(" from "), to = text.find(" to ");
    if (from != std::string_view::npos && to != std::string_view::npos && to > from) {
      address_and_port(text.substr(from + 6, to - from - 6), out, "source.ip", "source.port");
      std::string_view s = text.substr(to + 4);
      address_and_port(take_until(s, ' '), out, "destination.ip", "destination.port");
    }
    out.set("event.action", "tcp-md5-authentication-failed");
    out.add("event.category", "network");
    out.add("event.type", "denied");
    out.set("event.outcome", "failure");
    return;
  }
  out.add("event.category", "network");
  out.add("event.type", "info");
}

class cisco_ios_parser final : public parser {
 public:
  std::string_view name() const override { return "cisco-ios"; }
  std::string_view dataset() const override { return "cisco.ios"; }
  std::string_view description() const override {
    return "Cisco IOS, IOS-XE and NX-OS syslog (%FACILITY-SEVERITY-MNEMONIC)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const syslog::header& h = line.header;
    // Where Cisco's own parts start: after the relay's BSD header if there
    // was one; a number the envelope took for a program name ("6705:") or a
    // tag it took for one ("%SYS-5-CONFIG_I:") is Cisco's, so from there.
    std::string_view s = h.message;
    const bool program_is_ours =
        !h.app_name.empty() && (all_digits(h.app_name) || h.app_name[0] == '%');
    if (program_is_ours && h.app_name.data() >= line.line.data() &&
        h.app_name.data() < s.data())
      s = line.line.substr(static_cast<std::size_t>(h.app_name.data() - line.line.data()));
    const std::size_t percent = s.substr(0, 160).find('%');
    if (percent == std::string_view::npos) return {};
    message_tag tag;
    if (!read_tag(s.substr(percent), tag)) return {};
    if (tag.facility == "ASA" || tag.facility == "FTD" || tag.facility == "PIX" ||
        tag.facility == "FWSM")
      return {};
    prefix_facts facts;
    if (!read_prefix(s.substr(0, percent), line, facts)) return {};
    out.set("event.code", tag.mnemonic);
    out.set("cisco.ios.facility", tag.facility);
    out.set_int("event.severity", tag.severity);
    out.set("log.level", level_names[static_cast<std::size_t>(tag.severity)]);
    out.set("observer.vendor", "Cisco");
    out.set("observer.product", "IOS");
    if (!facts.host.empty()) out.set("observer.hostname", facts.host);
    else if (!h.hostname.empty()) out.set("observer.hostname", h.hostname);
    if (auto n = to_int(facts.sequence)) {
      out.set_int("cisco.ios.sequence", *n);
      out.set_int("event.sequence", *n);
    }
    if (auto n = to_int(facts.count)) out.set_int("cisco.ios.message_count", *n);
    if (!facts.uptime.empty()) out.set("cisco.ios.uptime", facts.uptime);
    if (facts.has_time) {
      set_time(out, "@timestamp", facts.time);
      if (facts.clock_unsynced) out.set_bool("cisco.ios.clock_unsynchronized", true);
    }
    out.set("message", tag.text);
    message_fields(tag, out);
    parse_result result{outcome::parsed, {}};
    result.no_program = program_is_ours;
    return result;
  }
};

}  // namespace

const parser& cisco_ios() {
  static const cisco_ios_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
