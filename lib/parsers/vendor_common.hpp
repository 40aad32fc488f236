// vendor_common: small helpers the firewall, IDS and EDR families share
// (PAN-OS, Check Point, Juniper SRX, Snort, auditd, W3C proxies, EDR).
// Header-only, no allocation beyond the fields arena, no throw.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <cstdio>
#include <string_view>

#include "parsers/fields.hpp"
#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "time/format.hpp"
#include "time/rfc3339.hpp"
#include "time/timestamp.hpp"
#include "time/zone.hpp"

namespace mimamori::parsers::vendor {

// Sets `path` to the time as "2024-10-03T03:00:00.000Z" (copied).
inline void set_time(fields& out, std::string_view path, time::timestamp t) {
  char buffer[32];
  time::write_utc_ms(buffer, t);
  out.set_copy(path, std::string_view(buffer, time::utc_ms_length));
}

// "2024/10/03 12:00:00", "2024-10-03 12:00:00" or "2024-10-03T12:00:00"
// with an optional fraction and offset, read in `tz` when it has no offset.
// False (nothing set) when the text is not such a stamp.
inline bool set_local_time(fields& out, std::string_view path, std::string_view text,
                           const time::zone& tz) {
  if (text.size() < 19 || text.size() > 40) return false;
  char buffer[48];
  for (std::size_t i = 0; i < text.size(); ++i)
    buffer[i] = (i == 4 || i == 7) && text[i] == '/' ? '-' : text[i];
  auto t = time::parse_local_iso(std::string_view(buffer, text.size()), tz);
  if (!t) return false;
  set_time(out, path, *t);
  return true;
}

// The zone of the payload's stamps that carry no offset. When the envelope's
// own stamp carried one (RFC 5424 "2024-10-03T12:00:00+02:00", or such an
// ISO stamp in the BSD place), the device said what its local time was:
// that offset, whatever --tz says; otherwise the zone of --tz.
inline time::zone payload_zone(const line_context& line) {
  if (line.header.format == syslog::header_format::none || !line.header.has_time) return line.tz;
  std::string_view s = line.line;
  if (!s.empty() && s[0] == '<') {
    const std::size_t close = s.find('>');
    if (close == std::string_view::npos || close > 4) return line.tz;
    s.remove_prefix(close + 1);
  }
  if (s.size() > 2 && s[0] == '1' && s[1] == ' ') s.remove_prefix(2);
  const std::string_view stamp = s.substr(0, s.find(' '));
  const std::size_t n = stamp.size();
  if (n < 20 || stamp[10] != 'T') return line.tz;
  if (stamp[n - 1] == 'Z' || stamp[n - 1] == 'z') return time::zone::utc();
  if (stamp[n - 6] != '+' && stamp[n - 6] != '-') return line.tz;
  if (stamp[n - 3] != ':') return line.tz;
  const auto hours = to_int(stamp.substr(n - 5, 2)), minutes = to_int(stamp.substr(n - 2, 2));
  if (!hours || !minutes || *hours > 14 || *minutes > 59) return line.tz;
  const std::int64_t offset = (*hours * 3600 + *minutes * 60) * (stamp[n - 6] == '-' ? -1 : 1);
  if (auto zone = time::zone::fixed(std::chrono::seconds(offset))) return *zone;
  return line.tz;
}

// The UTC offset in minutes of a zone abbreviation devices print after
// their clock ("EDT", "CEST", "JST"): the common unambiguous ones. Nothing
// for a name not listed (IST is India's and Ireland's): the device's zone
// (--tz) stands then.
[[nodiscard]] inline std::optional<int> zone_abbreviation_minutes(std::string_view name) {
  static constexpr std::pair<std::string_view, int> zones[] = {
      {"UTC", 0},     {"GMT", 0},     {"Z", 0},       {"WET", 0},     {"WEST", 60},
      {"BST", 60},    {"CET", 60},    {"CEST", 120},  {"MET", 60},    {"MEST", 120},
      {"EET", 120},   {"EEST", 180},  {"MSK", 180},   {"EST", -300},  {"EDT", -240},
      {"CST", -360},  {"CDT", -300},  {"MST", -420},  {"MDT", -360},  {"PST", -480},
      {"PDT", -420},  {"AKST", -540}, {"AKDT", -480}, {"HST", -600},  {"JST", 540},
      {"KST", 540},   {"HKT", 480},   {"SGT", 480},   {"AWST", 480},  {"ACST", 570},
      {"ACDT", 630},  {"AEST", 600},  {"AEDT", 660},  {"NZST", 720},  {"NZDT", 780}};
  for (const auto& [zone, minutes] : zones) {
    if (zone == name) return minutes;
  }
  return std::nullopt;
}

// Private, loopback, link-local and unique-local addresses (Elastic's
// "private" internal networks), which decide network.direction.
[[nodiscard]] inline bool is_internal_ip(std::string_view ip) {
  if (ip.find(':') != std::string_view::npos) {
    return ip == "::1" || starts_with(ip, "fc") || starts_with(ip, "fd") ||
           starts_with(ip, "fe80:") || starts_with(ip, "FC") || starts_with(ip, "FD");
  }
  // The first two parts of a dotted address, read by hand (it is asked
  // for both ends of every firewall record).
  unsigned a = 0, b = 0;
  std::size_t i = 0;
  for (; i < ip.size() && i < 3 && is_digit(ip[i]); ++i) a = a * 10 + static_cast<unsigned>(ip[i] - '0');
  if (i == 0 || i >= ip.size() || ip[i] != '.') return false;
  for (++i; i < ip.size() && is_digit(ip[i]); ++i) b = b * 10 + static_cast<unsigned>(ip[i] - '0');
  return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
         (a == 169 && b == 254);
}

// network.direction from where both ends are: inbound, outbound, internal
// or external (nothing when either is not an address).
inline void set_network_direction(fields& out, std::string_view source,
                                  std::string_view destination) {
  if (!is_ip(source) || !is_ip(destination)) return;
  const bool from = is_internal_ip(source), to = is_internal_ip(destination);
  out.set("network.direction",
          from ? (to ? "internal" : "outbound") : (to ? "inbound" : "external"));
}

// A number as a string field (rule.id is a keyword in ECS).
inline void set_number_text(fields& out, std::string_view path, std::int64_t n) {
  char buffer[24];
  const int len = std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(n));
  out.set_copy(path, std::string_view(buffer, static_cast<std::size_t>(len)));
}

// Sets an address field when the text is an IP, and adds it to related.ip.
inline bool set_ip(fields& out, std::string_view path, std::string_view text) {
  if (!is_ip(text)) return false;
  out.set(path, text);
  out.add("related.ip", text);
  return true;
}

// Sets a port (or any non-negative count) when the text is a number.
inline void set_port(fields& out, std::string_view path, std::string_view text) {
  if (auto n = to_int(text); n && *n >= 0 && *n <= 65535) out.set_int(path, *n);
}
inline void set_count(fields& out, std::string_view path, std::string_view text) {
  if (auto n = to_int(text); n && *n >= 0) out.set_int(path, *n);
}

// user.name (and related.user) unless empty or a placeholder.
inline void set_user(fields& out, std::string_view path, std::string_view name) {
  if (name.empty() || name == "-" || name == "N/A" || name == "none") return;
  out.set(path, name);
  out.add("related.user", name);
}

// The IANA protocol number's transport name ("" when not one of these).
[[nodiscard]] inline std::string_view transport_name(std::int64_t proto) {
  switch (proto) {
    case 1: return "icmp";
    case 2: return "igmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "ipv6-icmp";
    case 132: return "sctp";
    default: return {};
  }
}

// ASCII case-insensitive equality and search.
[[nodiscard]] constexpr char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}
[[nodiscard]] inline bool icontains(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (iequals(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

// A firewall verdict word in any vendor's spelling: allowed, denied, or
// neither.
enum class verdict : std::uint8_t { unknown, allowed, denied };
[[nodiscard]] inline verdict verdict_of(std::string_view action) {
  static constexpr std::array<std::string_view, 9> deny = {
      "deny", "denied", "drop", "reject", "block", "reset", "prevent", "sinkhole", "quarantine"};
  static constexpr std::array<std::string_view, 6> allow = {"allow", "accept", "permit",
                                                             "pass",  "alert",  "continue"};
  for (auto w : deny) {
    if (icontains(action, w)) return verdict::denied;
  }
  for (auto w : allow) {
    if (icontains(action, w)) return verdict::allowed;
  }
  return verdict::unknown;
}

// The entry of `Table` (a constant array of structs with a `key` member)
// whose key is `key`: binary search over a copy sorted once; nullptr when none.
template <const auto& Table>
const auto* find_by_key(std::string_view key) {
  static const auto sorted = [] {
    auto table = Table;
    std::sort(table.begin(), table.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    return table;
  }();
  const auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
                                   [](const auto& m, std::string_view k) { return m.key < k; });
  return it != sorted.end() && it->key == key ? &*it : nullptr;
}

// Splits one CSV record (RFC 4180 quoting: "a,b" and "" for a quote) into
// views; a field that held "" quotes keeps them doubled and says so in
// `escaped`. Returns the number of fields (at most N; the rest is ignored).
template <std::size_t N>
std::size_t split_csv(std::string_view line, std::array<std::string_view, N>& parts,
                      std::array<bool, N>* escaped = nullptr) {
  std::size_t n = 0, i = 0;
  while (n < N) {
    bool doubled = false;
    if (i < line.size() && line[i] == '"') {
      const std::size_t start = ++i;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            doubled = true;
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      parts[n] = line.substr(start, i - start);
      if (i < line.size()) ++i;  // the closing quote
      while (i < line.size() && line[i] != ',') ++i;
    } else {
      const std::size_t start = i;
      while (i < line.size() && line[i] != ',') ++i;
      parts[n] = line.substr(start, i - start);
    }
    if (escaped != nullptr) (*escaped)[n] = doubled;
    ++n;
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return n;
}

}  // namespace mimamori::parsers::vendor
