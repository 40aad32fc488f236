// iis: Microsoft IIS access logs in its default W3C layout, read without
// the #Fields: header (a log shipped line by line loses it). Dataset
// iis.access.
//
//   date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip
//   cs(User-Agent) [cs(Referer)] sc-status sc-substatus sc-win32-status [time-taken]
//
//   2024-10-03 03:00:00 10.0.0.80 GET /login.aspx user=a 443 - 198.51.100.7
//     Mozilla/5.0+(Windows+NT+10.0) - 401 1 2148074254 15
//
// IIS 8.5 on writes the referrer and time-taken; IIS 6 and 7 leave both
// out: a status (three digits) right after the user agent says which. With
// every field selected, a site name (W3SVC1) follows the time:
//
//   date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query
//   s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer)
//   cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken
//
// The
// stamps are UTC; '+' stands for a blank in the user agent and the
// referrer; '-' is an empty field.
#include <array>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

bool is_method(std::string_view t) {
  if (t.empty() || t.size() > 16) return false;
  for (char c : t) {
    if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') return false;
  }
  return true;
}

bool is_status(std::string_view t) {
  if (t.size() != 3 || !is_digit(t[0]) || !is_digit(t[1]) || !is_digit(t[2])) return false;
  return t[0] >= '1' && t[0] <= '5';
}

// '+' stands for a blank (IIS escapes blanks in these fields so).
void set_plus_text(fields& out, std::string_view path, std::string_view text) {
  if (text.empty() || text == "-") return;
  if (text.find('+') == std::string_view::npos) {
    out.set(path, text);
    return;
  }
  std::string value(text);
  for (char& c : value) {
    if (c == '+') c = ' ';
  }
  out.set_copy(path, value);
}

class iis_parser final : public parser {
 public:
  std::string_view name() const override { return "iis"; }
  std::string_view dataset() const override { return "iis.access"; }
  std::string_view description() const override {
    return "Microsoft IIS access logs, default W3C fields without their header";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view msg = line.line;
    // "YYYY-MM-DD HH:MM:SS " then the server address and a method.
    if (msg.size() < 40 || msg[4] != '-' || msg[7] != '-' || msg[10] != ' ' || msg[13] != ':' ||
        msg[16] != ':' || msg[19] != ' ' || !is_digit(msg[0]))
      return {};
    std::array<std::string_view, 24> t{};
    std::size_t n = 0;
    std::string_view rest = msg;
    while (!rest.empty() && n < t.size()) {
      const std::string_view token = take_until(rest, ' ');
      if (!token.empty()) t[n++] = token;
    }
    // Both layouts as the default one's columns: s-ip, method, stem, query,
    // port, user, c-ip, agent (the rest is read below).
    const bool all_fields = n == 22 && starts_with(t[2], "W3SVC");
    std::string_view host, all_referrer;
    if (all_fields) {
      host = t[15];
      all_referrer = t[14];
      for (std::size_t i = 2; i < 11; ++i) t[i] = t[i + 2];  // s-ip .. c-ip
      t[9] = t[12];                                           // the user agent
    }
    if (n < 12 || !is_ip(t[2]) || !is_method(t[3]) || t[4].empty() || t[4][0] != '/' ||
        !is_ip(t[8]))
      return {};
    std::string_view referrer, status, substatus, win32, taken;
    if (all_fields) {
      referrer = all_referrer;
      status = t[16], substatus = t[17], win32 = t[18], taken = t[21];
      if (!is_status(status)) return {};
    } else {
      // The referrer is there when the field after the user agent is not a status.
      std::size_t at = 10;
      if (!is_status(t[at])) referrer = t[at++];
      if (at + 1 >= n || !is_status(t[at])) return {};
      status = t[at], substatus = t[at + 1];
      win32 = at + 2 < n ? t[at + 2] : std::string_view{};
      taken = at + 3 < n ? t[at + 3] : std::string_view{};
    }

    char stamp[20];
    std::copy(msg.begin(), msg.begin() + 19, stamp);
    stamp[10] = 'T';
    if (!set_local_time(out, "@timestamp", std::string_view(stamp, 19), time::zone::utc()))
      return {};
    set_ip(out, "destination.ip", t[2]);
    out.set("destination.address", t[2]);
    out.set("http.request.method", t[3]);
    out.set("url.path", t[4]);
    if (t[5] != "-") out.set("url.query", t[5]);
    {
      std::string original(t[4]);
      if (t[5] != "-") {
        original.push_back('?');
        original.append(t[5]);
      }
      out.set_copy("url.original", original);
    }
    set_port(out, "destination.port", t[6]);
    // "CORP\\taro": the domain and the name.
    std::string_view user = t[7];
    if (const std::size_t slash = user.find('\\'); slash != std::string_view::npos && slash > 0) {
      out.set("user.domain", user.substr(0, slash));
      user = user.substr(slash + 1);
    }
    set_user(out, "user.name", user);
    set_ip(out, "source.ip", t[8]);
    out.set("source.address", t[8]);
    set_plus_text(out, "user_agent.original", t[9]);
    set_plus_text(out, "http.request.referrer", referrer);
    if (all_fields && host != "-" && !host.empty()) {
      out.set("url.domain", host);
      out.set("destination.domain", host);
    }
    const auto code = to_int(status);
    out.set_int("http.response.status_code", *code);
    if (auto v = to_int(substatus)) out.set_int("iis.access.sub_status", *v);
    if (auto v = to_int(win32)) out.set_int("iis.access.win32_status", *v);
    if (auto v = to_int(taken); v && *v >= 0) out.set_int("event.duration", *v * 1'000'000);
    out.set("observer.vendor", "Microsoft");
    out.set("observer.product", "IIS");
    out.add("event.category", "web");
    out.add("event.type", "access");
    out.set("event.outcome", *code < 400 ? "success" : "failure");
    parse_result result{outcome::parsed, {}};
    result.no_envelope = true;  // the row has no syslog envelope of its own
    return result;
  }
};

}  // namespace

const parser& iis_access() {
  static const iis_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
