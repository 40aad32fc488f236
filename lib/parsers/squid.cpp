// squid: Squid's native access.log format. Dataset squid.access.
//
//   time.ms elapsed client code/status bytes method URL user hierarchy/peer type
//   1286536309.586    921 192.168.0.68 TCP_MISS/200 507 POST http://x/ - DIRECT/203.0.113.10
//   text/html
// (The combined variant is read by http_access.)
#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "time/format.hpp"

namespace mimamori::parsers {
namespace {

std::string_view word(std::string_view& s) {
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  const std::size_t end = s.find(' ');
  std::string_view w = s.substr(0, end);
  s = end == std::string_view::npos ? std::string_view{} : s.substr(end);
  return w;
}

class squid_parser final : public parser {
 public:
  std::string_view name() const override { return "squid"; }
  std::string_view dataset() const override { return "squid.access"; }
  std::string_view description() const override { return "Squid native access.log"; }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view s = line.header.message;
    // Cheap check: "dddddddddd.ddd " at the start.
    if (s.size() < 40 || !is_digit(s[0]) || s.find('.') != 10) return {};
    const std::string_view stamp = word(s);
    const std::string_view elapsed = word(s);
    const std::string_view client = word(s);
    const std::string_view result = word(s);
    const std::string_view bytes = word(s);
    const std::string_view method = word(s);
    const std::string_view url = word(s);
    const std::string_view user = word(s);
    const std::string_view hierarchy = word(s);
    const std::string_view type = word(s);
    const std::size_t slash = result.find('/');
    if (stamp.size() != 14) return {};
    auto seconds = to_int(stamp.substr(0, 10));
    auto millis = to_int(stamp.substr(11));
    if (!seconds || !millis || stamp.size() != 14 || slash == std::string_view::npos ||
        url.empty()) {
      return {};
    }
    const time::timestamp when = time::timestamp::from_millis(*seconds * 1000 + *millis);
    time::write_utc_ms(stamp_, when);
    out.set_copy("@timestamp", std::string_view(stamp_, time::utc_ms_length));
    if (auto ms = to_int(elapsed)) out.set_int("event.duration", *ms * 1'000'000);
    if (is_ip(client)) set_endpoint(out, "source", client, {});
    out.set("source.address", client);
    const std::string_view code = result.substr(0, slash);
    out.set("squid.cache_status", code);
    set_lower(out, "event.action", code);
    auto status = to_int(result.substr(slash + 1));
    if (status && *status > 0) out.set_int("http.response.status_code", *status);
    if (auto n = to_int(bytes)) out.set_int("http.response.bytes", *n);
    if (method != "-") out.set("http.request.method", method);
    if (method == "CONNECT") {
      // "host:443"
      out.set("url.original", url);
      std::string_view host, port;
      if (split_ip_port(url, ':', host, port)) {
        out.set("url.domain", host);
        out.set("destination.domain", host);
        if (auto p = to_int(port)) {
          out.set_int("url.port", *p);
          out.set_int("destination.port", *p);
        }
      }
    } else {
      set_url(out, url);
      if (out.has("url.domain")) out.set("destination.domain", out.get("url.domain"));
    }
    if (user != "-" && !user.empty()) {
      out.set("user.name", user);
      out.add("related.user", user);
    }
    if (const std::size_t hs = hierarchy.find('/'); hs != std::string_view::npos) {
      const std::string_view peer = hierarchy.substr(hs + 1);
      out.set("squid.hierarchy_code", hierarchy.substr(0, hs));
      if (is_ip(peer)) set_endpoint(out, "destination", peer, {});
    }
    if (!type.empty() && type != "-") out.set("http.response.mime_type", type);
    out.set("observer.vendor", "Squid");
    out.set("observer.product", "Squid");
    out.set("observer.type", "proxy");
    out.add("event.category", "network");
    out.add("event.category", "web");
    out.add("event.type", "access");
    const bool denied = code.find("DENIED") != std::string_view::npos;
    if (denied) out.add("event.type", "denied");
    out.set("event.outcome", denied || (status && *status >= 400) ? "failure" : "success");
    return {outcome::parsed, {}};
  }

 private:
  static thread_local char stamp_[32];
};

thread_local char squid_parser::stamp_[32];

}  // namespace

const parser& squid_access() {
  static const squid_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
