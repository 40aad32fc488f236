// checkpoint: Check Point Log Exporter syslog. Dataset checkpoint.firewall.
//
// Two of the exporter's layouts:
//   syslog   <PRI>1 TIME HOST CheckPoint PID - [action:"Accept"; src:"10.0.0.1"; ...]
//            (values in double quotes, \" and \\ escaped, "; " between pairs)
//   generic  key="value" key="value" ...  or the splunk form key=value|key=value
// The field map below is data; names follow Elastic's checkpoint integration.
// Every key without an ECS home is kept under checkpoint.<key>.
#include <algorithm>
#include <array>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/epoch.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

enum class as : std::uint8_t { text, ip, port, count, user, lower, hash };

struct key_map {
  std::string_view key;
  std::string_view path;
  as type;
};

constexpr auto field_map = std::to_array<key_map>({
    {"action", "event.action", as::lower},
    {"appi_name", "network.application", as::lower},
    {"bytes", "network.bytes", as::count},
    {"client_inbound_bytes", "destination.bytes", as::count},
    {"client_outbound_bytes", "source.bytes", as::count},
    {"client_outbound_packets", "source.packets", as::count},
    {"dns_query", "dns.question.name", as::text},
    {"dns_type", "dns.question.type", as::text},
    {"dst", "destination.ip", as::ip},
    {"dst_machine_name", "destination.domain", as::text},
    {"dst_user_name", "destination.user.name", as::user},
    {"file_md5", "file.hash.md5", as::hash},
    {"file_name", "file.name", as::text},
    {"file_sha1", "file.hash.sha1", as::hash},
    {"file_sha256", "file.hash.sha256", as::hash},
    {"file_size", "file.size", as::count},
    {"file_type", "file.type", as::text},
    {"hostname", "observer.hostname", as::text},
    {"http_host", "url.domain", as::text},
    {"ifname", "observer.ingress.interface.name", as::text},
    {"inzone", "observer.ingress.zone", as::text},
    {"layer_name", "rule.ruleset", as::text},
    {"loguid", "event.id", as::text},
    {"method", "http.request.method", as::text},
    {"msg", "message", as::text},
    {"origin", "observer.ip", as::ip},
    {"origin_sic_name", "observer.name", as::text},
    {"originsicname", "observer.name", as::text},
    {"outzone", "observer.egress.zone", as::text},
    {"packets", "network.packets", as::count},
    {"product", "observer.product", as::text},
    {"protection_name", "rule.description", as::text},
    {"referrer", "http.request.referrer", as::text},
    {"resource", "url.original", as::text},
    {"rule_name", "rule.name", as::text},
    {"rule_uid", "rule.uuid", as::text},
    {"s_port", "source.port", as::port},
    {"sent_bytes", "source.bytes", as::count},
    {"received_bytes", "destination.bytes", as::count},
    {"server_inbound_bytes", "source.bytes", as::count},
    {"server_outbound_bytes", "destination.bytes", as::count},
    {"server_outbound_packets", "destination.packets", as::count},
    {"service", "destination.port", as::port},
    {"service_id", "network.application", as::lower},
    {"src", "source.ip", as::ip},
    {"src_machine_name", "source.domain", as::text},
    {"src_user_name", "source.user.name", as::user},
    {"user", "source.user.name", as::user},
    {"user_agent", "user_agent.original", as::text},
    {"xlatedport", "destination.nat.port", as::port},
    {"xlatedst", "destination.nat.ip", as::ip},
    {"xlatesport", "source.nat.port", as::port},
    {"xlatesrc", "source.nat.ip", as::ip},
});

const key_map* map_of(std::string_view key) { return find_by_key<field_map>(key); }

// A value with \" or \\ unescaped (into the arena), else the view itself.
std::string_view unescape(std::string_view value, std::string& scratch) {
  if (value.find('\\') == std::string_view::npos) return value;
  scratch.clear();
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    scratch.push_back(value[i]);
  }
  return scratch;
}

// Check Point's severity words: 0 Unknown ... 5 Critical (Elastic's scale).
std::int64_t severity_number(std::string_view word) {
  if (iequals(word, "critical")) return 5;
  if (iequals(word, "high")) return 4;
  if (iequals(word, "medium")) return 3;
  if (iequals(word, "low")) return 2;
  if (iequals(word, "informational") || iequals(word, "info")) return 1;
  return to_int(word).value_or(0);
}

struct state {
  std::string_view time, proto, severity, ifdir, ifname, product, action, auth_status;
};

void map_pair(fields& out, std::string_view key, std::string_view raw, state& st) {
  std::string scratch;
  const std::string_view value = unescape(raw, scratch);
  const bool copied = value.data() != raw.data();
  if (value.empty()) return;
  if (key == "time") st.time = raw;
  else if (key == "proto") st.proto = raw;
  else if (key == "severity") st.severity = raw;
  else if (key == "ifdir") st.ifdir = raw;
  else if (key == "product") st.product = raw;
  else if (key == "action") st.action = raw;
  else if (key == "auth_status") st.auth_status = raw;
  const key_map* m = map_of(key);
  if (m == nullptr) {
    out.set_dynamic("checkpoint.", key, value, copied);
    return;
  }
  auto put = [&](std::string_view path) {
    if (copied)
      out.set_copy(path, value);
    else
      out.set(path, value);
  };
  switch (m->type) {
    case as::text: put(m->path); break;
    case as::lower: set_lower(out, m->path, value); break;
    case as::ip:
      if (!is_ip(value)) {
        out.set_dynamic("checkpoint.", key, value, copied);
      } else if (copied) {
        // An unescaped value lives in `scratch`, which ends with this call
        // (a view of it was a use after free: found by lognorm_fuzz).
        out.set_copy(m->path, value);
        out.add_copy("related.ip", value);
      } else {
        set_ip(out, m->path, value);
      }
      break;
    case as::port: set_port(out, m->path, value); break;
    case as::count: set_count(out, m->path, value); break;
    case as::user:
      put(m->path);
      out.add_copy("related.user", value);
      break;
    case as::hash:
      put(m->path);
      out.add_copy("related.hash", value);
      break;
  }
}

// [key:"value"; key:"value"]
bool walk_brackets(std::string_view s, fields& out, state& st, std::size_t& pairs) {
  std::size_t i = 1;  // after '['
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ';')) ++i;
    if (i >= s.size() || s[i] == ']') break;
    const std::size_t colon = s.find(':', i);
    if (colon == std::string_view::npos || colon + 1 >= s.size() || s[colon + 1] != '"')
      return false;
    const std::string_view key = s.substr(i, colon - i);
    std::size_t j = colon + 2;
    while (j < s.size() && s[j] != '"') {
      if (s[j] == '\\') ++j;
      ++j;
    }
    if (j >= s.size()) return false;
    map_pair(out, key, s.substr(colon + 2, j - colon - 2), st);
    ++pairs;
    i = j + 1;
  }
  return true;
}

void categorize(fields& out, const state& st) {
  const std::string_view product = st.product;
  const verdict v = verdict_of(st.action);
  const bool threat = icontains(product, "IPS") || icontains(product, "Anti") ||
                      icontains(product, "Threat") || icontains(product, "SmartDefense");
  if (icontains(product, "URL Filtering") || icontains(product, "Application Control")) {
    out.add("event.category", "network");
    out.add("event.category", "web");
  } else if (threat) {
    out.add("event.category", "network");
    out.add("event.category", "intrusion_detection");
    if (icontains(product, "Virus") || icontains(product, "Bot") ||
        icontains(product, "Emulation") || icontains(product, "Extraction")) {
      out.add("event.category", "malware");
    }
  } else if (icontains(product, "Identity") || icontains(product, "Authentication") ||
             !st.auth_status.empty()) {
    out.add("event.category", "authentication");
  } else if (out.has("source.ip") || out.has("destination.ip")) {
    out.add("event.category", "network");
    out.add("event.type", "connection");
  }
  if (v == verdict::denied) {
    out.add("event.type", "denied");
    if (!threat) out.set("event.outcome", "failure");
  } else if (v == verdict::allowed) {
    out.add("event.type", "allowed");
    out.set("event.outcome", "success");
  } else {
    out.add("event.type", "info");
  }
  if (!st.auth_status.empty()) {
    out.add("event.type", "start");
    if (icontains(st.auth_status, "success")) out.set("event.outcome", "success");
    if (icontains(st.auth_status, "fail")) out.set("event.outcome", "failure");
  }
}

// Whether "loguid=", "originsicname=" or "origin_sic_name=" occurs in msg:
// looked for at each '=' (few on lines of other devices), not at each 'l'
// or 'o'.
bool has_marker_key(std::string_view msg) {
  constexpr std::string_view keys[] = {"loguid", "originsicname", "origin_sic_name"};
  for (std::size_t eq = msg.find('='); eq != std::string_view::npos; eq = msg.find('=', eq + 1)) {
    const std::string_view before = msg.substr(0, eq);
    for (const std::string_view key : keys) {
      if (before.ends_with(key)) return true;
    }
  }
  return false;
}

class checkpoint_parser final : public parser {
 public:
  std::string_view name() const override { return "checkpoint"; }
  std::string_view dataset() const override { return "checkpoint.firewall"; }
  std::string_view description() const override {
    return "Check Point Log Exporter: syslog [key:\"value\"; ...], generic key=\"value\" and "
           "splunk key=value|... forms";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view msg = line.header.message;
    const bool tagged = line.header.app_name == "CheckPoint" ||
                        line.header.app_name == "Checkpoint" ||
                        line.header.app_name == "checkpoint" ||
                        // an RFC 5424 header whose bracket did not read as SD
                        starts_with(msg, "CheckPoint ");
    state st;
    std::size_t pairs = 0;
    // The syslog form; an RFC 5424 reader may have taken the bracket for
    // structured data, so look at the whole line.
    std::string_view text = msg;
    std::size_t open = text.find('[');
    if (open == std::string_view::npos || text.find(":\"", open) == std::string_view::npos) {
      text = line.line;
      open = text.find('[');
    }
    if (open != std::string_view::npos && open < 256) {
      const std::string_view body = text.substr(open);
      const std::size_t colon = body.find(':');
      const bool shaped = colon != std::string_view::npos && colon + 1 < body.size() &&
                          body[colon + 1] == '"' &&
                          body.substr(1, colon - 1).find(' ') == std::string_view::npos;
      if (shaped && (tagged || body.find("loguid:\"") != std::string_view::npos ||
                     body.find("originsicname:\"") != std::string_view::npos ||
                     body.find("product:\"") != std::string_view::npos)) {
        if (!walk_brackets(body, out, st, pairs))
          return {outcome::broken, "Check Point record: unterminated key:\"value\" pair"};
        return finish(line, out, st, pairs);
      }
    }
    // The generic and splunk forms.
    if (!tagged && !has_marker_key(msg)) return {};
    const bool pipes = msg.find('|') != std::string_view::npos &&
                       msg.find("=\"") == std::string_view::npos;
    if (pipes) {
      std::string_view rest = msg;
      while (!rest.empty()) {
        const std::string_view pair = take_until(rest, '|');
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        map_pair(out, pair.substr(0, eq), pair.substr(eq + 1), st);
        ++pairs;
      }
    } else {
      std::size_t pos = 0;
      kv_pair kv;
      while (next_kv(msg, pos, kv)) {
        map_pair(out, kv.key, kv.value, st);
        ++pairs;
      }
    }
    return finish(line, out, st, pairs);
  }

 private:
  static parse_result finish(const line_context& line, fields& out, const state& st,
                             std::size_t pairs) {
    if (pairs < 2) return {outcome::broken, "Check Point record has fewer than 2 fields"};
    out.set("observer.vendor", "Check Point");
    if (!out.has("observer.product")) out.set("observer.product", "Check Point");
    out.set("observer.type", "firewall");
    if (!st.time.empty()) {
      if (auto t = time::parse_epoch(st.time))
        set_time(out, "@timestamp", *t);
      else
        set_local_time(out, "@timestamp", st.time, line.tz);
    }
    if (auto p = to_int(st.proto); p && *p >= 0) {
      out.set("network.iana_number", st.proto);
      if (auto t = transport_name(*p); !t.empty()) out.set("network.transport", t);
    }
    if (!st.severity.empty()) {
      if (auto s = severity_number(st.severity); s > 0) out.set_int("event.severity", s);
    }
    if (st.ifdir == "inbound") {
      out.set("network.direction", "inbound");
    } else if (st.ifdir == "outbound") {
      out.set("network.direction", "outbound");
      // ifname is the interface the packet left by.
      const std::string_view ifname = out.get("observer.ingress.interface.name");
      if (!ifname.empty()) {
        out.set("observer.egress.interface.name", ifname);
        out.remove("observer.ingress.interface.name");
      }
    }
    if (out.has("url.original")) {
      const std::string_view url = out.get("url.original");
      if (url.find("://") != std::string_view::npos) set_url(out, url);
    }
    const std::string_view user = out.get("source.user.name");
    if (!user.empty()) out.set("user.name", user);
    categorize(out, st);
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& checkpoint() {
  static const checkpoint_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
