// header: reading the syslog envelope (see header.hpp for the forms).
#include "syslog/header.hpp"

#include <array>
#include <cstdint>

#include "time/civil.hpp"
#include "time/rfc3164.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::syslog {
namespace {

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// <PRI>: 1-3 digits, 0..191. Returns the length taken (0 when absent).
std::size_t read_priority(std::string_view line, int& priority) {
  if (line.size() < 3 || line[0] != '<') return 0;
  int value = 0;
  std::size_t i = 1;
  for (; i < line.size() && i <= 4 && is_digit(line[i]); ++i) value = value * 10 + (line[i] - '0');
  if (i == 1 || i > 4 || i >= line.size() || line[i] != '>' || value > 191) return 0;
  priority = value;
  return i + 1;
}

std::string_view skip_spaces(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

unsigned month_of(std::string_view s) {
  static constexpr std::string_view names = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (s.size() < 3) return 0;
  for (unsigned m = 0; m < 12; ++m) {
    const char* n = names.data() + m * 3;
    if ((s[0] | 0x20) == (n[0] | 0x20) && (s[1] | 0x20) == n[1] && (s[2] | 0x20) == n[2]) {
      return m + 1;
    }
  }
  return 0;
}

// "Mmm dd yyyy hh:mm:ss" (Cisco ASA's `logging timestamp` with the year).
std::size_t read_bsd_with_year(std::string_view s, const time::zone& tz, time::timestamp& out) {
  // Mmm dd yyyy hh:mm:ss -> 20 characters (day may be " 3", "03" or "3").
  time::civil_time c;
  c.month = month_of(s);
  if (c.month == 0 || s.size() < 19 || s[3] != ' ') return 0;
  std::size_t i = 4;
  if (s[i] == ' ') ++i;
  unsigned day = 0;
  std::size_t digits = 0;
  while (i < s.size() && is_digit(s[i]) && digits < 2)
    day = day * 10 + unsigned(s[i++] - '0'), ++digits;
  if (digits == 0 || i + 14 > s.size() || s[i] != ' ') return 0;
  ++i;
  for (int k = 0; k < 4; ++k) {
    if (!is_digit(s[i + k])) return 0;
  }
  if (s[i + 4] != ' ') return 0;
  c.year = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
  i += 5;
  auto two = [&](std::size_t at, unsigned& v) {
    if (!is_digit(s[at]) || !is_digit(s[at + 1])) return false;
    v = unsigned(s[at] - '0') * 10 + unsigned(s[at + 1] - '0');
    return true;
  };
  if (i + 8 > s.size() || !two(i, c.hour) || s[i + 2] != ':' || !two(i + 3, c.minute) ||
      s[i + 5] != ':' || !two(i + 6, c.second)) {
    return 0;
  }
  c.day = day;
  i += 8;
  if (i < s.size() && s[i] == '.') {  // milliseconds
    std::size_t j = i + 1;
    std::uint32_t frac = 0, scale = 1'000'000'000;
    while (j < s.size() && is_digit(s[j])) {
      if (scale > 1) scale /= 10, frac += std::uint32_t(s[j] - '0') * scale;
      ++j;
    }
    if (j > i + 1) c.nanos = frac, i = j;
  }
  auto utc = tz.to_utc(c);
  if (!utc) return 0;
  out = *utc;
  return i;
}

// Any supported stamp at the start of s: its length, 0 when none.
std::size_t read_stamp(std::string_view s, const header_context& ctx, time::timestamp& out) {
  if (s.empty()) return 0;
  if (is_digit(s[0])) {
    if (auto t = time::scan_local_iso(s, ctx.tz)) {
      out = t->value;
      return t->length;
    }
    return 0;
  }
  if (std::size_t n = read_bsd_with_year(s, ctx.tz, out)) return n;
  if (auto t = time::parse_rfc3164(s, ctx.received, ctx.tz)) {
    out = t->value;
    return t->length;
  }
  return 0;
}

// Byte classes of tags and hostnames, one table lookup per byte.
constexpr std::uint8_t tag_class = 1;
constexpr std::uint8_t host_class = 2;

constexpr std::array<std::uint8_t, 256> char_classes = [] {
  std::array<std::uint8_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    const bool tag = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '.' || c == '/' || c == '(' || c == ')';
    // Hostnames may be UTF-8 (東京-asa-02): any byte of a multi-byte sequence.
    const bool host = tag || c == ':' || c == '%' || c == '@' || c >= 0x80;
    table[static_cast<std::size_t>(c)] =
        static_cast<std::uint8_t>((tag ? tag_class : 0) | (host ? host_class : 0));
  }
  return table;
}();

bool is_tag_char(char c) {
  return (char_classes[static_cast<unsigned char>(c)] & tag_class) != 0;
}

// Where a tag ends when its ':' is at `at`: past the ':' and one blank
// (none at the end of the line), or 0 when no ':' or no blank follows.
std::size_t after_tag_colon(std::string_view s, std::size_t at) {
  if (at >= s.size() || s[at] != ':') return 0;
  if (at + 1 == s.size()) return at + 1;
  return s[at + 1] == ' ' ? at + 2 : 0;
}

// "app[pid]: " or "app: " at the start of s. Returns the length of the tag
// including ": " (0 when s does not start with a tag).
std::size_t read_tag(std::string_view s, std::string_view& app, std::string_view& pid) {
  std::size_t i = 0;
  while (i < s.size() && i < 64 && is_tag_char(s[i])) ++i;
  if (i == 0 || i >= s.size()) return 0;
  std::size_t name_end = i;
  std::string_view p;
  if (s[i] == '[') {
    const std::size_t close = s.find(']', i + 1);
    if (close == std::string_view::npos || close - i > 32) return 0;
    p = s.substr(i + 1, close - i - 1);
    i = close + 1;
  }
  const std::size_t end = after_tag_colon(s, i);
  if (end == 0) return 0;
  app = s.substr(0, name_end);
  pid = p;
  return end;
}

// After a hostname, the two tags with blanks that macOS writes and
// Filebeat's syslog pipeline reads (its process.name is everything before
// "[pid]: " or ": "):
//   "Google Chrome[85294]: msg"   words and a [pid]: app "Google Chrome";
//   "com.apple.xpc.launchd[1] (com.apple.quicklook[21498]): msg"
//                                 a tag[pid] and a (detail): app is all of it,
//                                 with no pid, as Filebeat has it.
// Anything else with a blank in it stays message. Returns the length read.
std::size_t read_spaced_tag(std::string_view s, std::string_view& app, std::string_view& pid) {
  auto digits = [&](std::size_t from, std::size_t& end) {
    end = from;
    while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
    return end > from && end - from <= 10;
  };
  std::size_t i = 0;
  while (i < s.size() && i < 64 && is_tag_char(s[i])) ++i;
  if (i == 0 || i >= s.size()) return 0;
  if (s[i] == ' ') {
    // Words, then [pid]: the last word runs up to the '['.
    std::size_t j = i;
    while (j < s.size() && j < 64 && s[j] == ' ' && j + 1 < s.size() && is_tag_char(s[j + 1])) {
      ++j;
      while (j < s.size() && j < 64 && is_tag_char(s[j])) ++j;
    }
    std::size_t end = 0;
    if (j >= s.size() || s[j] != '[' || !digits(j + 1, end) || end >= s.size() || s[end] != ']') return 0;
    const std::size_t n = after_tag_colon(s, end + 1);
    if (n == 0) return 0;
    app = s.substr(0, j);
    pid = s.substr(j + 1, end - j - 1);
    return n;
  }
  // tag[pid] (detail):
  std::size_t end = 0;
  if (s[i] != '[' || !digits(i + 1, end) || end + 2 >= s.size() || s[end] != ']' ||
      s[end + 1] != ' ' || s[end + 2] != '(') {
    return 0;
  }
  // The job's name is short: look for its end in the first 160 bytes only.
  const std::size_t close = s.substr(0, 163).find("): ", end + 3);
  if (close == std::string_view::npos) return 0;
  for (std::size_t k = end + 3; k < close; ++k) {
    if (!is_tag_char(s[k]) && s[k] != '[' && s[k] != ']') return 0;
  }
  app = s.substr(0, close + 1);
  pid = {};
  return close + 3;
}

bool is_host_char(char c) {
  return (char_classes[static_cast<unsigned char>(c)] & host_class) != 0;
}

// Relays that prepend their own header to a line that already had one
// ("host nginx[1]: host nginx: msg") repeat the host and tag: when the
// message starts with the same host (if any) and the same tag, that copy is
// dropped. Only an exact repeat counts, so nothing else is taken away.
void drop_repeated_header(header& out) {
  std::string_view m = out.message;
  if (!out.hostname.empty()) {
    if (m.size() <= out.hostname.size() || m.substr(0, out.hostname.size()) != out.hostname ||
        m[out.hostname.size()] != ' ') {
      return;
    }
    m = skip_spaces(m.substr(out.hostname.size() + 1));
  }
  std::string_view app, pid;
  const std::size_t n = read_tag(m, app, pid);
  if (n == 0 || app != out.app_name || (!pid.empty() && !out.procid.empty() && pid != out.procid)) {
    return;
  }
  if (out.procid.empty()) out.procid = pid;
  out.message = m.substr(n);
}

// The rest of a BSD header after the stamp: [HOST] [TAG:] MSG.
void read_bsd_rest(std::string_view rest, header& out) {
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);  // "stamp: msg" (Cisco)
  rest = skip_spaces(rest);
  // A tag right after the stamp means there is no hostname.
  if (std::size_t n = read_tag(rest, out.app_name, out.procid)) {
    out.message = rest.substr(n);
    return;
  }
  std::size_t h = 0;
  while (h < rest.size() && is_host_char(rest[h])) ++h;
  if (h > 0 && h < rest.size() && rest[h] == ' ' && rest[h - 1] != ':' && rest[0] != '%') {
    out.hostname = rest.substr(0, h);
    rest = skip_spaces(rest.substr(h + 1));
    if (std::size_t n = read_tag(rest, out.app_name, out.procid)) {
      out.message = rest.substr(n);
      drop_repeated_header(out);
      return;
    }
    // "stamp host host tag[pid]: msg" (UniFi): the host twice, then a tag.
    if (rest.size() > h && rest.substr(0, h) == out.hostname && rest[h] == ' ') {
      const std::string_view again = skip_spaces(rest.substr(h + 1));
      if (std::size_t n = read_tag(again, out.app_name, out.procid)) {
        out.message = again.substr(n);
        return;
      }
    }
    if (std::size_t n = read_spaced_tag(rest, out.app_name, out.procid)) {
      out.message = rest.substr(n);
      return;
    }
  }
  if (!rest.empty() && rest[0] == ':') rest = skip_spaces(rest.substr(1));
  out.message = rest;
}

std::string_view next_field(std::string_view& s) {
  const std::size_t sp = s.find(' ');
  std::string_view field = s.substr(0, sp);
  s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
  return field == "-" ? std::string_view{} : field;
}

// Structured data: "-" or one or more "[...]"; returns its length.
std::size_t read_structured_data(std::string_view s) {
  if (s.empty()) return 0;
  if (s[0] == '-') return 1;
  std::size_t i = 0;
  while (i < s.size() && s[i] == '[') {
    bool quoted = false;
    ++i;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (quoted && c == '\\') {
        ++i;
        continue;
      }
      if (c == '"') quoted = !quoted;
      if (!quoted && c == ']') break;
    }
    if (i >= s.size()) return 0;
    ++i;
  }
  return i;
}

bool read_rfc5424(std::string_view s, const header_context& ctx, header& out) {
  // TIMESTAMP HOST APP PROCID MSGID SD [MSG]
  if (s.empty()) return false;
  if (s[0] == '-') {
    if (s.size() < 2 || s[1] != ' ') return false;
    s.remove_prefix(2);
  } else {
    auto t = time::scan_local_iso(s, ctx.tz);
    if (!t || t->length >= s.size() || s[t->length] != ' ') return false;
    out.has_time = true;
    out.time = t->value;
    s.remove_prefix(t->length + 1);
  }
  out.hostname = next_field(s);
  out.app_name = next_field(s);
  out.procid = next_field(s);
  out.msgid = next_field(s);
  const std::size_t sd = read_structured_data(s);
  if (sd == 0) return false;
  if (!(sd == 1 && s[0] == '-')) out.structured_data = s.substr(0, sd);
  s.remove_prefix(sd);
  if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // BOM
  out.message = s;
  out.format = header_format::rfc5424;
  return true;
}

}  // namespace

void parse_header(std::string_view line, const header_context& ctx, header& out) noexcept {
  out = header{};
  std::string_view s = line;
  s.remove_prefix(read_priority(s, out.priority));
  out.message = s;
  if (out.priority >= 0 && s.size() > 2 && s[0] == '1' && s[1] == ' ') {
    const std::string_view after = s.substr(2);
    if (read_rfc5424(after, ctx, out)) return;
    out = header{.priority = out.priority, .message = s};
    s = after;  // "<PRI>1 " followed by a BSD header
    out.message = s;
  }
  time::timestamp t;
  if (const std::size_t n = read_stamp(s, ctx, t)) {
    out.format = header_format::rfc3164;
    out.has_time = true;
    out.time = t;
    read_bsd_rest(s.substr(n), out);
    return;
  }
  // No stamp: perhaps still "host tag: msg" or "tag: msg"; leave key=value
  // lines ("date=...") and JSON alone.
  if (!s.empty() && s[0] != '{') {
    std::string_view app, pid;
    if (std::size_t n = read_tag(s, app, pid);
        n > 0 && s.substr(0, n).find('=') == std::string_view::npos) {
      out.app_name = app;
      out.procid = pid;
      out.message = s.substr(n);
      return;
    }
    // "host tag[pid]: msg" (a stamp-less relay, as fail2ban's nginx samples):
    // taken only with a [pid], so that "Connection closed: ..." stays message.
    std::size_t h = 0;
    while (h < s.size() && is_host_char(s[h]) && s[h] != ':') ++h;
    if (h > 0 && h + 1 < s.size() && s[h] == ' ') {
      const std::string_view rest = s.substr(h + 1);
      if (std::size_t n = read_tag(rest, app, pid); n > 0 && !pid.empty()) {
        out.format = header_format::rfc3164;  // a BSD header without its stamp
        out.hostname = s.substr(0, h);
        out.app_name = app;
        out.procid = pid;
        out.message = rest.substr(n);
        drop_repeated_header(out);
      }
    }
  }
}

bool next_sd_param(std::string_view sd, std::size_t& pos, sd_param& out) noexcept {
  // pos points at '[' of an element, or inside one after a param.
  while (pos < sd.size()) {
    if (sd[pos] == '[') {
      const std::size_t end = sd.find_first_of(" ]", pos + 1);
      if (end == std::string_view::npos) return false;
      out.sd_id = sd.substr(pos + 1, end - pos - 1);
      pos = end;
      continue;
    }
    if (sd[pos] == ']') {
      ++pos;
      continue;
    }
    if (sd[pos] == ' ') {
      ++pos;
      continue;
    }
    const std::size_t eq = sd.find('=', pos);
    if (eq == std::string_view::npos || eq + 1 >= sd.size() || sd[eq + 1] != '"') return false;
    out.name = sd.substr(pos, eq - pos);
    std::size_t i = eq + 2;
    for (; i < sd.size() && sd[i] != '"'; ++i) {
      if (sd[i] == '\\') ++i;
    }
    if (i >= sd.size()) return false;
    out.value = sd.substr(eq + 2, i - eq - 2);
    pos = i + 1;
    return true;
  }
  return false;
}

std::string_view severity_name(int severity) noexcept {
  static constexpr std::string_view names[] = {"emergency", "alert",  "critical",      "error",
                                               "warning",   "notice", "informational", "debug"};
  return severity >= 0 && severity < 8 ? names[severity] : std::string_view{};
}

std::string_view facility_name(int facility) noexcept {
  static constexpr std::string_view names[] = {
      "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
      "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
      "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7"};
  return facility >= 0 && facility < 24 ? names[facility] : std::string_view{};
}

}  // namespace mimamori::syslog
