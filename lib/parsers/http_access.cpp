// http_access: web server access logs in the common and combined formats
// (Apache, Nginx, and the Squid combined variant), with the variants
// servers really write: a leading virtual host, X-Forwarded-For lists, a
// trailing Squid "TCP_MISS:HIER_DIRECT". Datasets apache.access (the
// default), nginx.access (--format nginx-access), squid.access.
#include <algorithm>
#include <array>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/civil.hpp"
#include "time/format.hpp"

namespace mimamori::parsers {
namespace {

unsigned month_number(std::string_view m) {
  static constexpr std::string_view names = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t at = names.find(m);
  return m.size() == 3 && at != std::string_view::npos && at % 3 == 0 ? unsigned(at / 3 + 1) : 0;
}

// "26/Dec/2016:16:22:14 +0000" (or "1/Apr/2014:...": a one-digit day; or
// no offset, as custom formats write it: then read in the device's zone)
std::optional<time::timestamp> read_clf_time(std::string_view t, const time::zone& tz) {
  if (t.size() >= 2 && t[1] == '/') {
    char padded[40];
    if (t.size() + 1 > sizeof padded) return std::nullopt;
    padded[0] = '0';
    for (std::size_t i = 0; i < t.size(); ++i) padded[i + 1] = t[i];
    t = std::string_view(padded, t.size() + 1);
    return read_clf_time(t, tz);
  }
  while (t.size() > 20 && t.back() == ' ') t.remove_suffix(1);
  const bool local = t.size() == 20;
  if ((t.size() < 26 && !local) || t[2] != '/' || t[6] != '/' || t[11] != ':' ||
      (!local && t[20] != ' '))
    return std::nullopt;
  time::civil_time c;
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<std::int64_t> {
    return to_int(t.substr(at, len));
  };
  auto day = num(0, 2), year = num(7, 4), hour = num(12, 2), minute = num(15, 2),
       second = num(18, 2);
  c.month = month_number(t.substr(3, 3));
  if (!day || !year || !hour || !minute || !second || c.month == 0) return std::nullopt;
  c.year = int(*year);
  c.day = unsigned(*day);
  c.hour = unsigned(*hour);
  c.minute = unsigned(*minute);
  c.second = unsigned(*second);
  if (local) return time::is_valid(c) ? tz.to_utc(c) : std::nullopt;
  auto oh = num(22, 2), om = num(24, 2);
  if (!oh || !om || (t[21] != '+' && t[21] != '-')) return std::nullopt;
  const auto offset = std::int32_t((*oh * 3600 + *om * 60) * (t[21] == '-' ? -1 : 1));
  return time::utc_from_civil(c, offset);
}

bool is_public(std::string_view ip) {
  if (!is_ip(ip)) return false;
  if (ip.find(':') != std::string_view::npos) {
    return !(starts_with(ip, "fc") || starts_with(ip, "fd") || starts_with(ip, "fe80") ||
             ip == "::1");
  }
  if (starts_with(ip, "10.") || starts_with(ip, "127.") || starts_with(ip, "192.168."))
    return false;
  if (starts_with(ip, "172.")) {
    const auto second = to_int(ip.substr(4, ip.find('.', 4) - 4));
    if (second && *second >= 16 && *second <= 31) return false;
  }
  return true;
}

// "0.227" (seconds, up to nanoseconds) as nanoseconds.
std::optional<std::int64_t> parse_seconds_ns(std::string_view t) {
  const std::size_t dot = t.find('.');
  const auto whole = to_int(t.substr(0, dot));
  if (!whole || *whole < 0 || *whole > 1'000'000'000) return std::nullopt;
  std::int64_t ns = *whole * 1'000'000'000;
  if (dot != std::string_view::npos) {
    std::int64_t scale = 100'000'000;
    for (std::size_t i = dot + 1; i < t.size(); ++i) {
      if (!is_digit(t[i])) return std::nullopt;
      ns += (t[i] - '0') * scale;
      scale /= 10;
    }
  }
  return ns;
}

// A "quoted" field at the start of s (with \" inside); s moves past it.
std::optional<std::string_view> quoted(std::string_view& s) {
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  if (s.empty() || s[0] != '"') return std::nullopt;
  std::size_t i = 1;
  for (; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] == '\\') ++i;
  }
  if (i >= s.size()) return std::nullopt;
  std::string_view v = s.substr(1, i - 1);
  s.remove_prefix(i + 1);
  return v;
}

// The client of an error log line: "1.2.3.4", "1.2.3.4:5963" or "[::1]:80".
void set_client(fields& out, std::string_view client) {
  std::string_view ip = client, port;
  if (!is_ip(ip)) {
    const std::size_t colon = client.rfind(':');
    if (colon == std::string_view::npos) return;
    ip = client.substr(0, colon);
    port = client.substr(colon + 1);
    if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    if (!is_ip(ip)) return;
  }
  out.set("source.address", ip);
  set_endpoint(out, "source", ip, port);
}

// The user a failed authentication names: Apache's "user NAME not found",
// "user NAME: authentication failure ...", Nginx's `user "NAME" was not
// found`, `user "NAME": password mismatch`.
void set_error_user(fields& out, std::string_view text) {
  const std::size_t at = text.find("user ");
  if (at == std::string_view::npos || (at > 0 && text[at - 1] != ' ')) return;
  std::string_view s = text.substr(at + 5);
  std::string_view user;
  if (!s.empty() && s[0] == '"') {
    const std::size_t close = s.find('"', 1);
    if (close == std::string_view::npos) return;
    user = s.substr(1, close - 1);
    s = s.substr(close + 1);
  } else {
    user = take_until(s, ' ');
    if (!user.empty() && user.back() == ':') {
      user.remove_suffix(1);
      s = std::string_view(":");
    }
  }
  if (user.empty()) return;
  if (!(starts_with(s, ":") || starts_with(s, "not found") || starts_with(s, "was not found") ||
        starts_with(s, " not found") || starts_with(s, " was not found") ||
        starts_with(s, " authentication failure"))) {
    return;
  }
  out.set("user.name", user);
  out.add("related.user", user);
}

// event.type of an error log level: info for notice, info and debug.
void set_error_kind(fields& out, std::string_view level) {
  out.set("log.level", level);
  out.add("event.category", "web");
  const bool info = level == "notice" || level == "info" || starts_with(level, "debug") ||
                    starts_with(level, "trace");
  out.add("event.type", info ? "info" : "error");
}

parse_result apache_error_body(std::string_view rest, fields& out);

// Nginx Proxy Manager's access logs, its "proxy" and "standard" formats:
//   [10/Feb/2024:21:25:00 +0100] CACHE UPSTREAM_STATUS STATUS - GET https host "/path?q"
//   [Client 1.2.3.4] [Length 2048] [Gzip 1.2] [Sent-to 10.0.0.5] "USER AGENT" "REFERRER"
//   [10/Feb/2024:21:25:00 +0100] STATUS - GET https host "/path?q" [Client 1.2.3.4] ...
parse_result npm_access(std::string_view msg, const time::zone& tz, fields& out) {
  const std::size_t close = msg.find("] ");
  const std::size_t client = msg.find(" [Client ");
  if (close == std::string_view::npos || client == std::string_view::npos || client < close + 2) {
    return {};
  }
  auto when = read_clf_time(msg.substr(1, close - 1), tz);
  if (!when) return {};
  std::string_view rest = msg.substr(close + 2, client - close - 2);
  const std::size_t dash = rest.find(" - ");
  if (dash == std::string_view::npos) return {};
  const std::string_view statuses = rest.substr(0, dash);
  const auto code = to_int(statuses.substr(statuses.rfind(' ') + 1));
  rest = rest.substr(dash + 3);
  const std::string_view method = take_until(rest, ' ');
  const std::string_view scheme = take_until(rest, ' ');
  const std::string_view host = take_until(rest, ' ');
  const auto uri = quoted(rest);
  if (method.empty() || scheme.empty() || host.empty() || !uri) return {};
  std::string_view tail = msg.substr(client + 1);
  bool have_client = false;
  while (consume(tail, "[")) {
    std::string_view group = take_until(tail, ']');
    consume(tail, " ");
    const std::string_view key = take_until(group, ' ');
    if (key == "Client" && is_ip(group)) {
      out.set("source.address", group);
      set_endpoint(out, "source", group, {});
      have_client = true;
    } else if (key == "Length") {
      if (auto n = to_int(group)) out.set_int("http.response.body.bytes", *n);
    }
  }
  if (!have_client) return {};
  vendor::set_time(out, "@timestamp", *when);
  out.set("event.dataset", "nginx.access");
  if (code) {
    out.set_int("http.response.status_code", *code);
    out.set("event.outcome", *code < 400 ? "success" : "failure");
  }
  out.set("http.request.method", method);
  set_url(out, *uri);
  out.set("url.scheme", scheme);
  out.set("url.domain", host);
  out.set("destination.domain", host);
  if (auto agent = quoted(tail); agent && *agent != "-") {
    out.set("user_agent.original", *agent);
    if (auto referrer = quoted(tail); referrer && *referrer != "-") {
      out.set("http.request.referrer", *referrer);
    }
  }
  out.add("event.category", "web");
  out.add("event.type", "access");
  return {outcome::parsed, {}};
}

// "GET /path?q HTTP/1.1": method, version and URL; a path keeps the
// url.domain a virtual host set. False (nothing set) when the text is not
// a request line (no " HTTP/").
bool set_request_line(fields& out, std::string_view req) {
  const std::size_t version_at = req.rfind(" HTTP/");
  const std::string_view method = take_until(req, ' ');
  if (version_at == std::string_view::npos || method.empty()) return false;
  const std::string_view target = req.substr(0, req.rfind(" HTTP/"));
  if (method != "-") out.set("http.request.method", method);
  out.set("http.version", req.substr(req.rfind(" HTTP/") + 6));
  if (!target.empty()) {
    const std::string_view domain = out.get("url.domain");
    set_url(out, target);
    if (target[0] == '/' && !domain.empty()) out.set("url.domain", domain);
  }
  return true;
}

// The stamp-first layout with the virtual host before the client, as Nginx
// Proxy Manager setups write it (CrowdSec's nginx parser reads it):
//   [10/Feb/2024:21:23:32 +0100] HOST CLIENT SECONDS "REQUEST" STATUS BODY_BYTES BYTES_SENT
//   REFERRER USER AGENT...
// (the referrer and the agent unquoted, the agent to the end of the line).
parse_result host_first_access(std::string_view msg, const time::zone& tz, fields& out) {
  const std::size_t close = msg.find("] ");
  if (close == std::string_view::npos || close > 40) return {};
  auto when = read_clf_time(msg.substr(1, close - 1), tz);
  if (!when) return {};
  std::string_view rest = msg.substr(close + 2);
  const std::string_view host = take_until(rest, ' ');
  const std::string_view client = take_until(rest, ' ');
  const std::string_view seconds = take_until(rest, ' ');
  if (host.empty() || !is_ip(client) || seconds.empty() || !is_digit(seconds[0])) return {};
  const auto request = quoted(rest);
  if (!request) return {};
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  const auto code = to_int(take_until(rest, ' '));
  const auto body = to_int(take_until(rest, ' '));
  take_until(rest, ' ');  // bytes sent, headers included
  if (!code) return {};
  const std::string_view referrer = take_until(rest, ' ');
  vendor::set_time(out, "@timestamp", *when);
  out.set("event.dataset", "nginx.access");
  out.set("source.address", client);
  set_endpoint(out, "source", client, {});
  if (host != "_" && host != "-") {
    out.set("destination.domain", host);
    out.set("url.domain", host);
  }
  // A request that is not one (TLS bytes sent to the HTTP port) keeps its
  // text in url.original only.
  if (!set_request_line(out, *request) && !request->empty()) out.set("url.original", *request);
  if (auto t = parse_seconds_ns(seconds)) out.set_int("event.duration", *t);
  out.set_int("http.response.status_code", *code);
  out.set("event.outcome", *code < 400 ? "success" : "failure");
  if (body) out.set_int("http.response.body.bytes", *body);
  if (!referrer.empty() && referrer != "-") out.set("http.request.referrer", referrer);
  if (!rest.empty() && rest != "-") out.set("user_agent.original", rest);
  out.add("event.category", "web");
  out.add("event.type", "access");
  return {outcome::parsed, {}};
}

// Apache's error log, 2.2 and 2.4 forms:
//   [Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] MESSAGE
//   [Thu Sep 25 09:27:18.813902 2014] [cgi:error] [pid 16860:tid 12] [client 1.2.3.4:59635] AH01215: MESSAGE
// The stamp has no zone: it is read in the device's.
// Sent through syslog, the line starts at "[module:level]": the envelope
// has the time.
parse_result apache_error(std::string_view msg, const time::zone& tz, fields& out) {
  const std::size_t close = msg.find(']');
  if (close == std::string_view::npos || close > 40) return {};
  if (close < 25) return apache_error_body(msg, out);
  std::string_view t = msg.substr(1, close - 1);  // "Wed Oct 11 14:32:52[.ffffff] 2000"
  if (t[3] != ' ' || t[7] != ' ' || t[13] != ':' || t[16] != ':') return {};
  time::civil_time c;
  c.month = month_number(t.substr(4, 3));
  auto day = to_int(t[8] == ' ' ? t.substr(9, 1) : t.substr(8, 2)), hour = to_int(t.substr(11, 2)),
       minute = to_int(t.substr(14, 2)), second = to_int(t.substr(17, 2));
  std::string_view after = t.substr(19);
  std::uint32_t nanos = 0;
  if (consume(after, ".")) {
    const std::string_view fraction = take_until(after, ' ');
    if (fraction.empty() || fraction.size() > 9 || !to_int(fraction)) return {};
    nanos = std::uint32_t(*to_int(fraction));
    for (std::size_t i = fraction.size(); i < 9; ++i) nanos *= 10;
  } else if (!consume(after, " ")) {
    return {};
  }
  auto year = to_int(after);
  if (c.month == 0 || !day || !hour || !minute || !second || !year || after.size() != 4) return {};
  c.year = int(*year);
  c.day = unsigned(*day);
  c.hour = unsigned(*hour);
  c.minute = unsigned(*minute);
  c.second = unsigned(*second);
  c.nanos = nanos;
  if (!time::is_valid(c)) return {outcome::broken, "Apache error log stamp out of range"};
  auto when = tz.to_utc(c);
  if (!when) return {outcome::broken, "Apache error log stamp does not exist in the time zone"};
  std::string_view rest = msg.substr(close + 1);
  if (!consume(rest, " ")) return {};
  const parse_result r = apache_error_body(rest, out);
  if (r.what == outcome::parsed) vendor::set_time(out, "@timestamp", *when);
  return r;
}

// What follows the stamp: "[module:level] [pid N:tid T] [client A:P] MESSAGE"
parse_result apache_error_body(std::string_view rest, fields& out) {
  // "[module:level]", "[:level]" or "[level]"
  if (!consume(rest, "[")) return {};
  std::string_view level = take_until(rest, ']');
  std::string_view module;
  if (const std::size_t colon = level.find(':'); colon != std::string_view::npos) {
    module = level.substr(0, colon);
    level = level.substr(colon + 1);
  }
  // Apache's levels: emerg alert crit error warn notice info debug trace1..trace8.
  static constexpr std::array<std::string_view, 8> levels = {
      "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"};
  const bool known = std::find(levels.begin(), levels.end(), level) != levels.end() ||
                     (level.size() == 6 && starts_with(level, "trace") && is_digit(level[5]));
  if (!known || module.find(' ') != std::string_view::npos) return {};
  if (!module.empty()) out.set("apache.error.module", module);
  set_error_kind(out, level);
  out.set("event.dataset", "apache.error");
  // "[pid N:tid T]", "[client A[:P]]", "[remote A:P]" in any order.
  // The client is the user agent; the remote, the peer (a proxy): the
  // source when there is no client.
  std::string_view remote;
  while (starts_with(rest, " [")) {
    std::size_t end = rest.find(']');
    if (end == std::string_view::npos) break;
    // "[client [2001:db8::1]:51548]"
    if (rest.substr(0, end).find(" [", 2) != std::string_view::npos) end = rest.find(']', end + 1);
    if (end == std::string_view::npos) break;
    std::string_view tag = rest.substr(2, end - 2);
    if (consume(tag, "pid ")) {
      if (auto pid = to_int(take_until(tag, ':'))) out.set_int("process.pid", *pid);
      if (consume(tag, "tid ")) {
        if (auto tid = to_int(tag)) out.set_int("process.thread.id", *tid);
      }
    } else if (consume(tag, "client ")) {
      if (!out.has("source.address")) set_client(out, tag);
    } else if (consume(tag, "remote ")) {
      remote = tag;
    } else {
      break;  // "[" inside the message
    }
    rest = rest.substr(end + 1);
  }
  if (!remote.empty() && !out.has("source.address")) set_client(out, remote);
  consume(rest, " ");
  if (!rest.empty()) out.set("message", rest);
  std::string_view text = rest;
  if (const std::size_t ah = text.find(": "); starts_with(text, "AH") && ah == 7) {
    text = text.substr(ah + 2);
  }
  if (consume(text, "File does not exist: ")) {
    out.set("file.path", take_until(text, ','));
  }
  if (const std::size_t ref = rest.rfind(", referer: "); ref != std::string_view::npos) {
    out.set("http.request.referrer", rest.substr(ref + 11));
  }
  set_error_user(out, rest);
  return {outcome::parsed, {}};
}

// Nginx's error log:
//   2016/10/25 14:49:34 [error] 54053#0: *1 MESSAGE, client: 127.0.0.1, server: localhost,
//   request: "GET /favicon.ico HTTP/1.1", host: "localhost:8080", referrer: "http://..."
parse_result nginx_error(std::string_view msg, const time::zone& tz, fields& out) {
  if (msg.size() < 30 || msg[4] != '/' || msg[7] != '/' || msg[10] != ' ' || msg[13] != ':' ||
      msg[19] != ' ' || msg[20] != '[') {
    return {};
  }
  std::string_view rest = msg.substr(21);
  const std::string_view level = take_until(rest, ']');
  if (level.empty() || level.find(' ') != std::string_view::npos || !consume(rest, " ")) return {};
  // "PID#TID: "
  const std::size_t hash = rest.find('#');
  const std::size_t colon = rest.find(": ");
  if (hash == std::string_view::npos || colon == std::string_view::npos || hash > colon) return {};
  auto pid = to_int(rest.substr(0, hash));
  auto tid = to_int(rest.substr(hash + 1, colon - hash - 1));
  if (!pid || !tid) return {};
  if (!vendor::set_local_time(out, "@timestamp", msg.substr(0, 19), tz)) {
    return {outcome::broken, "Nginx error log stamp is not a date and time"};
  }
  set_error_kind(out, level);
  out.set("event.dataset", "nginx.error");
  out.set_int("process.pid", *pid);
  out.set_int("process.thread.id", *tid);
  rest = rest.substr(colon + 2);
  if (consume(rest, "*")) {
    if (auto id = to_int(take_until(rest, ' '))) out.set_int("nginx.error.connection_id", *id);
  }
  if (!rest.empty()) out.set("message", rest);
  // The context nginx appends: ", client: A, server: S, request: "...", host: "H""
  const std::size_t context = rest.find(", client: ");
  std::string_view text = rest.substr(0, context);
  set_error_user(out, text);
  if (context == std::string_view::npos) return {outcome::parsed, {}};
  std::string_view ctx = rest.substr(context + 2);
  while (!ctx.empty()) {
    const std::size_t sep = ctx.find(": ");
    if (sep == std::string_view::npos) break;
    const std::string_view key = ctx.substr(0, sep);
    ctx = ctx.substr(sep + 2);
    std::string_view value;
    if (!ctx.empty() && ctx[0] == '"') {
      auto v = quoted(ctx);
      if (!v) break;
      value = *v;
    } else {
      value = take_until(ctx, ',');
    }
    consume(ctx, ",");
    consume(ctx, " ");
    if (key == "client") {
      set_client(out, value);
    } else if (key == "request") {
      std::string_view req = value;
      const std::string_view method = take_until(req, ' ');
      const std::size_t version_at = req.rfind(" HTTP/");
      if (!method.empty()) out.set("http.request.method", method);
      if (version_at != std::string_view::npos) out.set("http.version", req.substr(version_at + 6));
      set_url(out, version_at == std::string_view::npos ? req : req.substr(0, version_at));
    } else if (key == "host" && !value.empty()) {
      const std::size_t c = value.rfind(':');
      out.set("url.domain", c == std::string_view::npos || value.find(']') != std::string_view::npos
                                ? value
                                : value.substr(0, c));
    } else if (key == "referrer" && !value.empty()) {
      out.set("http.request.referrer", value);
    }
  }
  return {outcome::parsed, {}};
}

class http_access_parser final : public parser {
 public:
  http_access_parser(std::string_view name, std::string_view dataset)
      : name_(name), dataset_(dataset) {}
  std::string_view name() const override { return name_; }
  std::string_view dataset() const override { return dataset_; }
  std::string_view description() const override {
    return dataset_ == "nginx.access"
               ? "Nginx access log (combined, with virtual host and X-Forwarded-For lists)"
               : "Apache/Nginx common and combined access logs (and Squid's combined variant)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    if (!msg.empty() && msg[0] == '[') {
      const time::zone zone = vendor::payload_zone(line);
      parse_result r = ssl_request(msg, zone, out);
      if (r.what == outcome::no_match) r = apache_error(msg, zone, out);
      if (r.what == outcome::no_match) r = npm_access(msg, zone, out);
      if (r.what == outcome::no_match) r = host_first_access(msg, zone, out);
      return r;
    }
    if (msg.size() > 20 && msg[4] == '/' && is_digit(msg[0])) {
      return nginx_error(msg, vendor::payload_zone(line), out);
    }
    // The stamp: " [dd/Mon/yyyy:" ; the request follows it.
    const std::size_t open = msg.find(" [");
    if (open == std::string_view::npos || open + 30 > msg.size() ||
        !((msg[open + 4] == '/' && msg[open + 8] == '/') ||
          (msg[open + 3] == '/' && msg[open + 7] == '/'))) {
      return {};
    }
    const std::size_t close = msg.find("]", open);
    if (close == std::string_view::npos || close + 1 >= msg.size() || msg[close + 1] != ' ') return {};
    auto when = read_clf_time(msg.substr(open + 2, close - open - 2), vendor::payload_zone(line));
    if (!when) return {};
    std::string_view head = msg.substr(0, open);
    std::string_view rest = msg.substr(close + 2);
    const auto request = quoted(rest);
    if (!request) return {};
    // head: [vhost] client[, client...] ident user
    const std::size_t user_at = head.rfind(' ');
    if (user_at == std::string_view::npos) return {};
    const std::string_view user = head.substr(user_at + 1);
    head = head.substr(0, user_at);
    // "client - [stamp]": formats that write one "-" for ident and user.
    const std::size_t ident_at = head.rfind(' ');
    if (ident_at != std::string_view::npos) {
      head = head.substr(0, ident_at);
    } else if (user != "-" || !is_ip(head)) {
      return {};
    }
    std::string_view vhost, source;
    bool first_token = true;
    while (!head.empty()) {
      while (!head.empty() && head[0] == ' ') head.remove_prefix(1);
      std::string_view token;
      if (!head.empty() && head[0] == '"') {
        auto list = quoted(head);
        if (!list) return {};
        std::string_view l = *list;
        token = take_until(l, ',');
      } else {
        token = take_until(head, ' ');
      }
      if (!token.empty() && token.back() == ',') token.remove_suffix(1);
      if (token.empty()) continue;
      if (first_token && !is_ip(token) && !head.empty()) {
        vhost = token;
      } else if (source.empty() || (!is_public(source) && is_public(token))) {
        // X-Forwarded-For lists: the first public address is the client.
        source = token;
      }
      first_token = false;
    }
    if (source.empty()) return {};

    time::write_utc_ms(stamp_, *when);
    out.set_copy("@timestamp", std::string_view(stamp_, time::utc_ms_length));
    out.set("source.address", source);
    if (is_ip(source)) {
      out.set("source.ip", source);
      out.add("related.ip", source);
    } else {
      out.set("source.domain", source);
    }
    if (user != "-" && !user.empty()) {
      out.set("user.name", user);
      out.add("related.user", user);
    }
    if (!vhost.empty()) {
      std::string_view host = vhost.substr(
          0, vhost.rfind(':') == std::string_view::npos ? vhost.size() : vhost.rfind(':'));
      out.set("destination.domain", host);
      out.set("url.domain", host);
    }
    // "GET /path?q HTTP/1.1", or HTTP/0.9's "GET /path" without a version.
    if (!set_request_line(out, *request)) {
      std::string_view req = *request;
      const std::string_view method = take_until(req, ' ');
      if (!method.empty() && method != "-") out.set("http.request.method", method);
      if (!req.empty()) {
        const std::string_view domain = out.get("url.domain");
        set_url(out, req);
        if (req[0] == '/' && !domain.empty()) out.set("url.domain", domain);
      }
    }
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    const std::string_view status = take_until(rest, ' ');
    const std::string_view bytes = take_until(rest, ' ');
    auto code = to_int(status);
    if (code) {
      out.set_int("http.response.status_code", *code);
      out.set("event.outcome", *code < 400 ? "success" : "failure");
    }
    if (auto n = to_int(bytes)) out.set_int("http.response.body.bytes", *n);
    if (auto referrer = quoted(rest)) {
      if (*referrer != "-") out.set("http.request.referrer", *referrer);
      if (auto agent = quoted(rest); agent && *agent != "-") out.set("user_agent.original", *agent);
    }
    // Squid's combined form ends with "TCP_MISS:HIER_DIRECT".
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (starts_with(rest, "TCP_") || starts_with(rest, "UDP_") || starts_with(rest, "NONE")) {
      std::string_view tail = rest;
      const std::string_view code_word = take_until(tail, ':');
      out.set("event.dataset", "squid.access");
      out.set("squid.cache_status", code_word);
      out.set("observer.vendor", "Squid");
      out.set("observer.product", "Squid");
      out.set("observer.type", "proxy");
    }
    out.add("event.category", "web");
    out.add("event.type", "access");
    return {outcome::parsed, {}};
  }

 private:
  // Apache's ssl_request_log: [time] client protocol cipher "request" bytes
  static parse_result ssl_request(std::string_view msg, const time::zone& tz, fields& out) {
    const std::size_t close = msg.find("] ");
    if (close == std::string_view::npos) return {};
    auto when = read_clf_time(msg.substr(1, close - 1), tz);
    if (!when) return {};
    std::string_view rest = msg.substr(close + 2);
    const std::string_view client = take_until(rest, ' ');
    const std::string_view protocol = take_until(rest, ' ');
    const std::string_view cipher = take_until(rest, ' ');
    const auto request = quoted(rest);
    if (!request || !is_ip(client)) return {};
    time::write_utc_ms(stamp_, *when);
    out.set_copy("@timestamp", std::string_view(stamp_, time::utc_ms_length));
    out.set("source.address", client);
    out.set("source.ip", client);
    out.add("related.ip", client);
    if (starts_with(protocol, "TLSv")) {
      out.set("tls.version_protocol", "tls");
      out.set("tls.version", protocol.substr(4));
    } else if (starts_with(protocol, "SSLv")) {
      out.set("tls.version_protocol", "ssl");
      out.set("tls.version", protocol.substr(4));
    }
    if (cipher != "-") out.set("tls.cipher", cipher);
    std::string_view req = *request;
    const std::string_view method = take_until(req, ' ');
    const std::size_t version_at = req.rfind(" HTTP/");
    if (!method.empty() && method != "-") out.set("http.request.method", method);
    if (version_at != std::string_view::npos) out.set("http.version", req.substr(version_at + 6));
    set_url(out, version_at == std::string_view::npos ? req : req.substr(0, version_at));
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (auto n = to_int(take_until(rest, ' '))) out.set_int("http.response.body.bytes", *n);
    out.add("event.category", "web");
    out.add("event.type", "access");
    return {outcome::parsed, {}};
  }

  std::string_view name_, dataset_;
  static thread_local char stamp_[32];
};

thread_local char http_access_parser::stamp_[32];

}  // namespace

const parser& http_access() {
  static const http_access_parser instance("apache-access", "apache.access");
  return instance;
}

const parser& nginx_access() {
  static const http_access_parser instance("nginx-access", "nginx.access");
  return instance;
}

}  // namespace mimamori::parsers
