// http_access: web server access logs in the common and combined formats
// (Apache, Nginx, and the Squid combined variant), with the variants
// servers really write: a leading virtual host, X-Forwarded-For lists, a
// trailing Squid "TCP_MISS:HIER_DIRECT". Datasets apache.access (the
// default), nginx.access (--format nginx-access), squid.access.
#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "time/civil.hpp"
#include "time/format.hpp"

namespace mimamori::parsers {
namespace {

unsigned month_number(std::string_view m) {
  static constexpr std::string_view names = "JanFebMarAprMayJunJulAugSepOctNovDec";
  const std::size_t at = names.find(m);
  return m.size() == 3 && at != std::string_view::npos && at % 3 == 0 ? unsigned(at / 3 + 1) : 0;
}

// "26/Dec/2016:16:22:14 +0000" (or "1/Apr/2014:...": a one-digit day)
std::optional<time::timestamp> read_clf_time(std::string_view t) {
  if (t.size() >= 2 && t[1] == '/') {
    char padded[40];
    if (t.size() + 1 > sizeof padded) return std::nullopt;
    padded[0] = '0';
    for (std::size_t i = 0; i < t.size(); ++i) padded[i + 1] = t[i];
    t = std::string_view(padded, t.size() + 1);
    return read_clf_time(t);
  }
  if (t.size() < 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[20] != ' ')
    return std::nullopt;
  time::civil_time c;
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<std::int64_t> {
    return to_int(t.substr(at, len));
  };
  auto day = num(0, 2), year = num(7, 4), hour = num(12, 2), minute = num(15, 2),
       second = num(18, 2);
  auto oh = num(22, 2), om = num(24, 2);
  c.month = month_number(t.substr(3, 3));
  if (!day || !year || !hour || !minute || !second || !oh || !om || c.month == 0)
    return std::nullopt;
  if (t[21] != '+' && t[21] != '-') return std::nullopt;
  c.year = int(*year);
  c.day = unsigned(*day);
  c.hour = unsigned(*hour);
  c.minute = unsigned(*minute);
  c.second = unsigned(*second);
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
    if (!msg.empty() && msg[0] == '[') return ssl_request(msg, out);
    // The stamp: " [dd/Mon/yyyy:" ; the request follows it.
    const std::size_t open = msg.find(" [");
    if (open == std::string_view::npos || open + 30 > msg.size() ||
        !((msg[open + 4] == '/' && msg[open + 8] == '/') ||
          (msg[open + 3] == '/' && msg[open + 7] == '/'))) {
      return {};
    }
    const std::size_t close = msg.find("] ", open);
    if (close == std::string_view::npos) return {};
    auto when = read_clf_time(msg.substr(open + 2, close - open - 2));
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
    const std::size_t ident_at = head.rfind(' ');
    if (ident_at == std::string_view::npos) return {};
    head = head.substr(0, ident_at);
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
    // "GET /path?q HTTP/1.1"
    std::string_view req = *request;
    const std::string_view method = take_until(req, ' ');
    const std::size_t version_at = req.rfind(" HTTP/");
    std::string_view target =
        version_at == std::string_view::npos ? req : req.substr(0, version_at);
    if (!method.empty() && method != "-") out.set("http.request.method", method);
    if (version_at != std::string_view::npos) out.set("http.version", req.substr(version_at + 6));
    if (!target.empty()) {
      const std::string_view domain = out.get("url.domain");
      set_url(out, target);
      if (target[0] == '/' && !domain.empty()) out.set("url.domain", domain);
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
  static parse_result ssl_request(std::string_view msg, fields& out) {
    const std::size_t close = msg.find("] ");
    if (close == std::string_view::npos) return {};
    auto when = read_clf_time(msg.substr(1, close - 1));
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
