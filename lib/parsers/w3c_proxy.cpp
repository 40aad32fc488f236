// w3c_proxy: web proxy access logs in W3C extended / ELFF form (Blue Coat
// ProxySG, and any proxy that writes a #Fields: header), and Zscaler NSS
// web feeds in their default tab-separated layout.
// Datasets bluecoat.proxysg and zscaler.zia.
//
//   #Software: SGOS 7.3.1.1
//   #Fields: date time time-taken c-ip cs-username ... (remembered per input)
//   2024-10-03 03:00:00 120 10.0.0.5 alice - - OBSERVED "News" - 200 TCP_NC_MISS GET ...
//
// lognorm reads lines one by one: until an input shows a #Fields: line, a
// row is read with ProxySG's default "bcreportermain_v1" field order. Every
// column is kept under bluecoat.proxysg.<field> (or zscaler.zia.<field>).
#include <array>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/stream_state.hpp"
#include "parsers/vendor_common.hpp"
#include "time/civil.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

// ProxySG's default access log format, bcreportermain_v1.
constexpr auto proxysg_default = std::to_array<std::string_view>({
    "date", "time", "time-taken", "c-ip", "cs-username", "cs-auth-group", "x-exception-id",
    "sc-filter-result", "cs-categories", "cs(Referer)", "sc-status", "s-action", "cs-method",
    "rs(Content-Type)", "cs-uri-scheme", "cs-host", "cs-uri-port", "cs-uri-path", "cs-uri-query",
    "cs-uri-extension", "cs(User-Agent)", "s-ip", "sc-bytes", "cs-bytes", "x-virus-id",
});

// Zscaler NSS's default web feed: tab-separated, in this order.
constexpr auto zscaler_default = std::to_array<std::string_view>({
    "time", "login", "proto", "eurl", "action", "appname", "appclass", "reqsize", "respsize",
    "stime", "ctime", "urlsupercat", "urlcat", "malwarecat", "threatname", "riskscore", "dlpeng",
    "dlpdict", "location", "dept", "cip", "sip", "reqmethod", "respcode", "ua", "ereferer",
    "ruletype", "rulelabel", "contenttype", "unscannabletype", "deviceowner", "devicehostname",
});

enum class as : std::uint8_t { text, ip, port, count, user, lower, millis, query, url };
struct column_map {
  std::string_view name;
  std::string_view path;
  as type;
};

// W3C/ELFF field names (ProxySG and common ones) and Zscaler's -> ECS.
constexpr auto field_map = std::to_array<column_map>({
    {"c-ip", "source.ip", as::ip},
    {"cs-username", "user.name", as::user},
    {"cs-auth-group", "user.group.name", as::text},
    {"sc-filter-result", "event.action", as::lower},
    {"cs(Referer)", "http.request.referrer", as::text},
    {"sc-status", "http.response.status_code", as::count},
    {"cs-method", "http.request.method", as::text},
    {"rs(Content-Type)", "http.response.mime_type", as::text},
    {"cs-uri-scheme", "url.scheme", as::lower},
    {"cs-host", "url.domain", as::text},
    {"cs-uri-port", "url.port", as::port},
    {"cs-uri-path", "url.path", as::text},
    {"cs-uri-query", "url.query", as::query},
    {"cs-uri-extension", "url.extension", as::text},
    {"cs-uri", "url.original", as::url},
    {"cs(User-Agent)", "user_agent.original", as::text},
    {"s-ip", "observer.ip", as::ip},
    {"s-supplier-ip", "destination.ip", as::ip},
    {"r-ip", "destination.ip", as::ip},
    {"r-port", "destination.port", as::port},
    {"sc-bytes", "http.response.bytes", as::count},
    {"cs-bytes", "http.request.bytes", as::count},
    {"time-taken", "event.duration", as::millis},
    {"x-bluecoat-application-name", "network.application", as::lower},
    {"s-computername", "observer.hostname", as::text},
    // Zscaler NSS
    {"login", "user.name", as::user},
    {"proto", "network.protocol", as::lower},
    {"eurl", "url.original", as::url},
    {"url", "url.original", as::url},
    {"action", "event.action", as::lower},
    {"appname", "network.application", as::lower},
    {"reqsize", "http.request.bytes", as::count},
    {"respsize", "http.response.bytes", as::count},
    {"cip", "source.ip", as::ip},
    {"sip", "destination.ip", as::ip},
    {"reqmethod", "http.request.method", as::text},
    {"respcode", "http.response.status_code", as::count},
    {"ua", "user_agent.original", as::text},
    {"ereferer", "http.request.referrer", as::text},
    {"rulelabel", "rule.name", as::text},
    {"ruletype", "rule.category", as::text},
    {"contenttype", "http.response.mime_type", as::text},
    {"devicehostname", "host.hostname", as::text},
    {"threatname", "threat.indicator.description", as::text},
});

const column_map* map_of(std::string_view name) {
  for (const auto& m : field_map) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// A vendor key: lowercase, with ( ) - made underscores, "cs(Referer)" ->
// "cs_referer".
std::string vendor_key(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == ')') continue;
    key.push_back(c == '(' || c == '-' ? '_' : lower(c));
  }
  return key;
}

// Blank-separated columns, "quoted" ones unquoted (ELFF doubles no quotes).
template <std::size_t N>
std::size_t split_blank(std::string_view s, std::array<std::string_view, N>& parts) {
  std::size_t n = 0, i = 0;
  while (i < s.size() && n < N) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    if (s[i] == '"') {
      const std::size_t end = s.find('"', i + 1);
      const std::size_t stop = end == std::string_view::npos ? s.size() : end;
      parts[n++] = s.substr(i + 1, stop - i - 1);
      i = stop + 1;
    } else {
      const std::size_t end = s.find(' ', i);
      const std::size_t stop = end == std::string_view::npos ? s.size() : end;
      parts[n++] = s.substr(i, stop - i);
      i = stop;
    }
  }
  return n;
}

// "Thu Oct 03 12:00:00 2024" (Zscaler's %s{time}), read in `tz`.
bool set_ctime(fields& out, std::string_view t, const time::zone& tz) {
  if (t.size() < 24) return false;
  static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t m = months.find(t.substr(4, 3));
  if (m == std::string_view::npos || m % 3 != 0) return false;
  char text[32];
  const int n = std::snprintf(text, sizeof text, "%.4s-%02d-%.2sT%.8s",
                              t.data() + 20, static_cast<int>(m / 3 + 1), t.data() + 8,
                              t.data() + 11);
  std::string iso(text, static_cast<std::size_t>(n));
  if (iso[8] == ' ') iso[8] = '0';
  return set_local_time(out, "@timestamp", iso, tz);
}

class w3c_proxy_parser final : public parser {
 public:
  std::string_view name() const override { return "w3c-proxy"; }
  std::string_view dataset() const override { return "bluecoat.proxysg"; }
  std::string_view description() const override {
    return "W3C/ELFF proxy access logs (Blue Coat ProxySG, #Fields: headers) and Zscaler NSS "
           "web feeds";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view whole = line.line;
    if (starts_with(whole, "#Fields:") || starts_with(whole, "#Software:") ||
        starts_with(whole, "#Version:") || starts_with(whole, "#Date:") ||
        starts_with(whole, "#Remark:") || starts_with(whole, "#Start-Date:") ||
        starts_with(whole, "#End-Date:")) {
      return header(whole, line, out);
    }
    const std::string_view msg = line.header.message;
    // Zscaler NSS default web feed: tab-separated, a ctime stamp first.
    if (msg.size() > 24 && msg[3] == ' ' && msg[7] == ' ' && msg[24] == '\t')
      return zscaler(msg, line, out);
    // W3C rows start "YYYY-MM-DD HH:MM:SS" (date time).
    std::string_view row = whole;
    if (!(row.size() > 20 && is_digit(row[0]) && row[4] == '-' && row[7] == '-' &&
          row[10] == ' ' && row[13] == ':'))
      row = msg;  // behind a syslog header
    if (!(row.size() > 20 && is_digit(row[0]) && row[4] == '-' && row[7] == '-' &&
          row[10] == ' ' && row[13] == ':' && row[16] == ':' && row[19] == ' '))
      return {};
    const std::vector<std::string>* names =
        line.stream != nullptr && !line.stream->w3c_fields.empty() ? &line.stream->w3c_fields
                                                                    : nullptr;
    std::array<std::string_view, 96> c{};
    const std::size_t n = split_blank(row, c);
    const std::size_t want = names != nullptr ? names->size() : proxysg_default.size();
    if (names == nullptr && n < 20) return {};  // another log that opens with a date
    // Without a header only ProxySG's default order is known: time-taken (a
    // number) and the client's address after the stamp. Another W3C log
    // (IIS's: the server's address and a method there) is not this one.
    if (names == nullptr &&
        (c[2].empty() || c[2].find_first_not_of("0123456789") != std::string_view::npos ||
         !is_ip(c[3])))
      return {};
    if (n != want)
      return {outcome::broken, "W3C row has another number of columns than its #Fields names"};
    std::string_view date, time_of_day;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view field =
          names != nullptr ? std::string_view((*names)[i]) : proxysg_default[i];
      if (field == "date") date = c[i];
      if (field == "time") time_of_day = c[i];
      column(out, "bluecoat.proxysg.", field, c[i]);
    }
    if (!date.empty() && !time_of_day.empty()) {
      // ELFF date and time are GMT.
      const std::string stamp = std::string(date) + "T" + std::string(time_of_day) + "Z";
      set_local_time(out, "@timestamp", stamp, time::zone::utc());
    }
    if (line.stream != nullptr && !line.stream->w3c_software.empty() &&
        line.stream->w3c_software.find("SGOS") == std::string::npos) {
      out.set("event.dataset", "w3c.access");
      out.set("observer.product", "proxy");
    } else {
      out.set("observer.vendor", "Broadcom");
      out.set("observer.product", "ProxySG");
    }
    finish(out);
    // A row read from the start of the line has no syslog envelope: the
    // envelope reader's "host" would be the time-taken column.
    return {outcome::parsed, {}, row.data() == whole.data()};
  }

 private:
  static parse_result header(std::string_view whole, const line_context& line, fields& out) {
    const std::size_t colon = whole.find(':');
    const std::string_view name = whole.substr(1, colon - 1);
    std::string_view value = whole.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.remove_suffix(1);
    if (name == "Fields") {
      std::array<std::string_view, 96> names{};
      const std::size_t n = split_blank(value, names);
      if (n == 0) return {outcome::broken, "W3C #Fields: line names no field"};
      if (line.stream != nullptr) {
        line.stream->w3c_fields.assign(names.begin(), names.begin() + static_cast<long>(n));
      }
    } else if (name == "Software" && line.stream != nullptr) {
      line.stream->w3c_software = std::string(value);
    }
    out.add("tags", "w3c_header");
    out.add("event.type", "info");
    out.set_copy("w3c.header.name", name);
    out.set_copy("w3c.header.value", value);
    return {outcome::parsed, {}, true};
  }

  static void column(fields& out, std::string_view prefix, std::string_view field,
                     std::string_view v) {
    if (v.empty() || v == "-") return;
    if (v == "None" && prefix == "zscaler.zia.") return;  // NSS writes None for no value
    out.set_dynamic(prefix, vendor_key(field), v, false);
    const column_map* m = map_of(field);
    if (m == nullptr) return;
    switch (m->type) {
      case as::text: out.set(m->path, v); break;
      case as::lower: set_lower(out, m->path, v); break;
      case as::ip: set_ip(out, m->path, v); break;
      case as::port: set_port(out, m->path, v); break;
      case as::count: set_count(out, m->path, v); break;
      case as::user: set_user(out, m->path, v); break;
      case as::millis:
        if (auto ms = to_int(v); ms && *ms >= 0) out.set_int(m->path, *ms * 1'000'000);
        break;
      case as::query: out.set(m->path, v.front() == '?' ? v.substr(1) : v); break;
      case as::url: set_url(out, v); break;
    }
  }

  static parse_result zscaler(std::string_view msg, const line_context& line, fields& out) {
    std::array<std::string_view, 64> c{};
    std::size_t n = 0;
    std::string_view rest = msg;
    while (n < c.size()) {
      c[n++] = take_until(rest, '\t');
      if (rest.empty()) break;
    }
    if (n < 22 || !set_ctime(out, c[0], line.tz)) return {};
    for (std::size_t i = 1; i < n && i < zscaler_default.size(); ++i)
      column(out, "zscaler.zia.", zscaler_default[i], c[i]);
    out.set("event.dataset", "zscaler.zia");
    out.set("observer.vendor", "Zscaler");
    out.set("observer.product", "ZIA");
    finish(out);
    return {outcome::parsed, {}};
  }

  static void finish(fields& out) {
    out.set("observer.type", "proxy");
    out.add("event.category", "network");
    out.add("event.category", "web");
    out.add("event.type", "access");
    const std::string_view action = out.get("event.action");
    if (verdict_of(action) == verdict::denied || action == "denied") {
      out.add("event.type", "denied");
    } else if (!action.empty()) {
      out.add("event.type", "allowed");
    }
    if (auto status = to_int(out.get("bluecoat.proxysg.sc_status")))
      out.set("event.outcome", *status < 400 ? "success" : "failure");
    const std::string_view host = out.get("url.domain");
    if (!host.empty() && !out.has("url.original")) {
      // A URL from its parts, as the client asked for it.
      std::string url;
      const std::string_view scheme = out.get("url.scheme");
      url.append(scheme.empty() ? "http" : scheme).append("://").append(host);
      const std::string_view port = out.get("bluecoat.proxysg.cs_uri_port");
      if (!port.empty() && port != "80" && port != "443") url.append(":").append(port);
      url.append(out.get("url.path"));
      const std::string_view query = out.get("url.query");
      if (!query.empty()) url.append("?").append(query);
      out.set_copy("url.original", url);
    }
    if (!host.empty()) out.set("destination.domain", host);
  }
};

}  // namespace

const parser& w3c_proxy() {
  static const w3c_proxy_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
