// suricata_eve: Suricata EVE JSON (alert, dns, http, tls, flow, fileinfo,
// anomaly, ...), one object per line. Dataset suricata.eve.
#include <simdjson.h>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "time/format.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

using simdjson::dom::element;

std::string_view str(element e, std::string_view key) {
  std::string_view v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS) return v;
  return {};
}
std::optional<std::int64_t> num(element e, std::string_view key) {
  std::int64_t v = 0;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}
std::optional<element> obj(element e, std::string_view key) {
  element v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS && v.is_object()) return v;
  return std::nullopt;
}

void set_str(fields& out, std::string_view path, element e, std::string_view key) {
  const std::string_view v = str(e, key);
  // simdjson's strings live in its buffer: copy them.
  if (!v.empty()) out.set_copy(path, v);
}
void set_num(fields& out, std::string_view path, element e, std::string_view key) {
  if (auto v = num(e, key)) out.set_int(path, *v);
}

// "+0000" offsets (Suricata writes no colon) are read by scan_local_iso.
void set_time(fields& out, std::string_view text, std::string_view path, const time::zone& tz) {
  if (text.empty()) return;
  if (auto t = time::scan_local_iso(text, tz)) {
    char buffer[32];
    time::write_utc_ms(buffer, t->value);
    out.set_copy(path, std::string_view(buffer, time::utc_ms_length));
  }
}

class suricata_parser final : public parser {
 public:
  std::string_view name() const override { return "suricata"; }
  std::string_view dataset() const override { return "suricata.eve"; }
  std::string_view description() const override {
    return "Suricata EVE JSON: alert, dns, http, tls, flow, fileinfo, anomaly";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view text = line.header.message;
    if (text.empty() || text[0] != '{' || text.find("\"event_type\"") == std::string_view::npos)
      return {};
    thread_local simdjson::dom::parser json;
    element root;
    if (json.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
      return {outcome::broken, "EVE line is not a JSON object"};
    }
    const std::string_view type = str(root, "event_type");
    if (type.empty()) return {};
    set_time(out, str(root, "timestamp"), "@timestamp", line.tz);
    out.set_copy("suricata.eve.event_type", type);
    set_num(out, "suricata.eve.flow_id", root, "flow_id");
    set_str(out, "observer.ingress.interface.name", root, "in_iface");
    const std::string_view src = str(root, "src_ip"), dst = str(root, "dest_ip");
    if (is_ip(src)) {
      out.set_copy("source.ip", src);
      out.add_copy("related.ip", src);
    }
    if (is_ip(dst)) {
      out.set_copy("destination.ip", dst);
      out.add_copy("related.ip", dst);
    }
    set_num(out, "source.port", root, "src_port");
    set_num(out, "destination.port", root, "dest_port");
    const std::string_view proto = str(root, "proto");
    if (!proto.empty()) set_lower(out, "network.transport", proto);
    const std::string_view app = str(root, "app_proto");
    if (!app.empty() && app != "failed") set_lower(out, "network.protocol", app);
    set_str(out, "host.hostname", root, "host");
    out.set("observer.vendor", "OISF");
    out.set("observer.product", "Suricata");
    out.set("observer.type", "ids");
    out.add("event.category", "network");

    if (type == "alert") {
      out.set("event.kind", "alert");  // Suricata raised it
      if (auto a = obj(root, "alert")) {
        const std::string_view action = str(*a, "action");
        out.add("event.category", "intrusion_detection");
        out.add("event.type", action == "blocked" ? "denied" : "allowed");
        if (!action.empty()) out.set_copy("event.action", action);
        set_str(out, "rule.name", *a, "signature");
        set_str(out, "message", *a, "signature");
        set_str(out, "rule.category", *a, "category");
        if (auto sid = num(*a, "signature_id")) {
          char buffer[24];
          const int n = std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(*sid));
          out.set_copy("rule.id", std::string_view(buffer, std::size_t(n)));
        }
        set_num(out, "suricata.eve.alert.gid", *a, "gid");
        set_num(out, "suricata.eve.alert.rev", *a, "rev");
        set_num(out, "event.severity", *a, "severity");
      }
    } else if (type == "dns") {
      if (auto d = obj(root, "dns")) {
        const std::string_view dns_type = str(*d, "type");
        out.add("event.type", "protocol");
        if (dns_type == "query" || dns_type == "request")
          out.set("dns.type", "query");
        else if (dns_type == "answer" || dns_type == "response")
          out.set("dns.type", "answer");
        set_str(out, "dns.question.name", *d, "rrname");
        set_str(out, "dns.question.type", *d, "rrtype");
        set_str(out, "dns.response_code", *d, "rcode");
        if (auto id = num(*d, "id")) {
          char buffer[24];
          const int n = std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(*id));
          out.set_copy("dns.id", std::string_view(buffer, std::size_t(n)));
        }
        // EVE v3 queries: [{"rrname":..,"rrtype":..}]
        simdjson::dom::array queries;
        if ((*d)["queries"].get(queries) == simdjson::SUCCESS) {
          for (element q : queries) {
            set_str(out, "dns.question.name", q, "rrname");
            set_str(out, "dns.question.type", q, "rrtype");
            break;
          }
        }
      }
    } else if (type == "http") {
      if (auto h = obj(root, "http")) {
        out.add("event.category", "web");
        out.add("event.type", "protocol");
        const std::string_view host = str(*h, "hostname"), path = str(*h, "url");
        if (!host.empty()) {
          out.set_copy("url.domain", host);
          out.set_copy("destination.domain", host);
        }
        if (!path.empty()) {
          out.set_copy("url.original", path);
          const std::string_view p = out.get("url.original");
          const std::size_t q = p.find('?');
          out.set("url.path", p.substr(0, q));
          if (q != std::string_view::npos) out.set("url.query", p.substr(q + 1));
        }
        set_str(out, "http.request.method", *h, "http_method");
        set_str(out, "user_agent.original", *h, "http_user_agent");
        set_str(out, "http.request.referrer", *h, "http_refer");
        set_num(out, "http.response.status_code", *h, "status");
        set_num(out, "http.response.body.bytes", *h, "length");
        const std::string_view version = str(*h, "protocol");
        if (starts_with(version, "HTTP/")) out.set_copy("http.version", version.substr(5));
      }
    } else if (type == "tls") {
      if (auto t = obj(root, "tls")) {
        out.add("event.type", "protocol");
        set_str(out, "tls.client.server_name", *t, "sni");
        set_str(out, "destination.domain", *t, "sni");
        set_str(out, "tls.server.subject", *t, "subject");
        set_str(out, "tls.server.issuer", *t, "issuerdn");
        const std::string_view version = str(*t, "version");
        if (starts_with(version, "TLS ")) {
          out.set("tls.version_protocol", "tls");
          out.set_copy("tls.version", version.substr(4));
        } else if (!version.empty()) {
          out.set_copy("tls.version", version);
        }
        if (auto ja3 = obj(*t, "ja3")) set_str(out, "tls.client.ja3", *ja3, "hash");
        if (auto ja3s = obj(*t, "ja3s")) set_str(out, "tls.server.ja3s", *ja3s, "hash");
        const std::string_view fp = str(*t, "fingerprint");
        if (!fp.empty()) {
          // "aa:bb:..." → AABB... (ECS tls.server.hash.sha1)
          char buffer[64];
          std::size_t n = 0;
          for (char c : fp) {
            if (c == ':' || n >= sizeof buffer) continue;
            buffer[n++] = c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
          }
          out.set_copy("tls.server.hash.sha1", std::string_view(buffer, n));
        }
      }
    } else if (type == "flow" || type == "netflow") {
      if (auto f = obj(root, "flow")) {
        out.add("event.type", "connection");
        out.add("event.type", "end");
        set_num(out, "source.packets", *f, "pkts_toserver");
        set_num(out, "destination.packets", *f, "pkts_toclient");
        set_num(out, "source.bytes", *f, "bytes_toserver");
        set_num(out, "destination.bytes", *f, "bytes_toclient");
        set_time(out, str(*f, "start"), "event.start", line.tz);
        set_time(out, str(*f, "end"), "event.end", line.tz);
        set_str(out, "event.reason", *f, "reason");
        set_str(out, "suricata.eve.flow.state", *f, "state");
      }
    } else if (type == "fileinfo") {
      if (auto f = obj(root, "fileinfo")) {
        out.add("event.category", "file");
        out.add("event.type", "info");
        const std::string_view name = str(*f, "filename");
        if (!name.empty()) {
          out.set_copy("file.path", name);
          const std::string_view path = out.get("file.path");
          out.set("file.name",
                  path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1));
        }
        set_num(out, "file.size", *f, "size");
        for (std::string_view algo : {"md5", "sha1", "sha256"}) {
          const std::string_view v = str(*f, algo);
          if (v.empty()) continue;
          out.set_copy(algo == "md5"    ? "file.hash.md5"
                       : algo == "sha1" ? "file.hash.sha1"
                                        : "file.hash.sha256",
                       v);
          out.add_copy("related.hash", v);
        }
      }
    } else if (type == "anomaly") {
      if (auto a = obj(root, "anomaly")) {
        out.add("event.type", "info");
        set_str(out, "event.reason", *a, "event");
        set_str(out, "suricata.eve.anomaly.type", *a, "type");
      }
    } else {
      out.add("event.type", "info");
    }
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& suricata_eve() {
  static const suricata_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
