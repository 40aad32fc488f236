// zeek: Zeek (Bro) logs, in JSON (one object per line, LogAscii::use_json)
// and in Zeek's own TSV form.
//
// JSON lines say which log they come from by their members ("_path" when
// the writer adds it, else the field set: uid + id.orig_h + conn_state is
// conn.log, query/rcode is dns.log, note is notice.log...). TSV rows are
// read with the header lines before them (#separator, #set_separator,
// #empty_field, #unset_field, #path, #fields, #types), which lognorm keeps
// per input (stream_state.hpp). A header line is itself an event, kept with
// tags ["zeek_header"] and zeek.header.{name,value}, so nothing is lost and a
// replay of lognorm's output can rebuild the file.
//
// ECS as Elastic's zeek module maps it: source/destination from id.*,
// network.transport/protocol, dns.*, http.* and url.*, tls.*, rule.* for
// notices, file.* for files.log; every field of the log also stays under
// zeek.<log>.<name> (Zeek's names), the uid as zeek.session_id and event.id.
// Datasets: zeek.connection (conn.log, as Elastic names it), zeek.dns,
// zeek.http, zeek.ssl, zeek.notice, zeek.intel, zeek.files, zeek.<path>.
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <deque>
#include <string>

#include "ndjson/json_text.hpp"
#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "parsers/stream_state.hpp"
#include "time/format.hpp"

namespace mimamori::parsers {
namespace {

using simdjson::dom::element;

enum class kind : std::uint8_t { string, number, boolean, list };

// One field of a log line, from JSON or TSV.
struct zfield {
  std::string_view name;
  std::string_view text;  // string, number text, "true"/"false"; TSV list: joined
  kind type = kind::string;
  element json;                // JSON list
  std::string_view separator;  // TSV list
  bool numeric_items = false;  // TSV list of counts/doubles
  bool from_json = false;
};

struct zrecord {
  std::vector<zfield> fields;
  std::deque<std::string> storage;  // numbers formatted, escapes decoded

  void clear() {
    fields.clear();
    storage.clear();
  }
  [[nodiscard]] const zfield* find(std::string_view name) const {
    for (const zfield& f : fields) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
  [[nodiscard]] bool has(std::string_view name) const { return find(name) != nullptr; }
  [[nodiscard]] std::string_view text(std::string_view name) const {
    const zfield* f = find(name);
    return f != nullptr && f->type != kind::list ? f->text : std::string_view{};
  }
  // The items of a list field (a scalar is a list of one).
  template <typename Visit>
  void each_item(const zfield& f, Visit visit) const {
    if (f.type != kind::list) {
      visit(f.text);
      return;
    }
    if (f.from_json) {
      simdjson::dom::array items;
      if (f.json.get(items) != simdjson::SUCCESS) return;
      for (element item : items) {
        std::string_view s;
        if (item.get(s) == simdjson::SUCCESS) {
          visit(s);
        } else if (item.is_int64()) {
          char buffer[24];
          auto r = std::to_chars(buffer, buffer + sizeof buffer, item.get_int64().value_unsafe());
          visit(std::string_view(buffer, std::size_t(r.ptr - buffer)));
        } else if (item.is_double()) {
          char buffer[32];
          auto r = std::to_chars(buffer, buffer + sizeof buffer, item.get_double().value_unsafe());
          visit(std::string_view(buffer, std::size_t(r.ptr - buffer)));
        }
      }
      return;
    }
    std::string_view rest = f.text;
    while (!rest.empty()) {
      const std::size_t at = rest.find(f.separator);
      visit(rest.substr(0, at));
      if (at == std::string_view::npos) break;
      rest.remove_prefix(at + f.separator.size());
    }
  }
};

// ---- reading JSON -------------------------------------------------------------

simdjson::dom::object members_of(element e) {
  simdjson::dom::object o;
  if (e.get(o) != simdjson::SUCCESS) return {};  // the caller checked the type
  return o;
}

void read_json(element root, zrecord& rec) {
  for (auto [key, value] : members_of(root)) {
    zfield f;
    f.name = key;
    f.from_json = true;
    switch (value.type()) {
      case simdjson::dom::element_type::STRING: f.text = value.get_string().value_unsafe(); break;
      case simdjson::dom::element_type::INT64:
        rec.storage.push_back(std::to_string(value.get_int64().value_unsafe()));
        f.text = rec.storage.back();
        f.type = kind::number;
        break;
      case simdjson::dom::element_type::UINT64:
        rec.storage.push_back(std::to_string(value.get_uint64().value_unsafe()));
        f.text = rec.storage.back();
        f.type = kind::number;
        break;
      case simdjson::dom::element_type::DOUBLE: {
        char buffer[32];
        auto r = std::to_chars(buffer, buffer + sizeof buffer, value.get_double().value_unsafe(),
                               std::chars_format::fixed);
        std::string_view s(buffer, std::size_t(r.ptr - buffer));
        // Fixed notation, no trailing zeros: 3600.0 → 3600, ts keeps its µs.
        if (s.find('.') != std::string_view::npos) {
          while (s.back() == '0') s.remove_suffix(1);
          if (s.back() == '.') s.remove_suffix(1);
        }
        rec.storage.emplace_back(s);
        f.text = rec.storage.back();
        f.type = kind::number;
        break;
      }
      case simdjson::dom::element_type::BOOL:
        f.text = value.get_bool().value_unsafe() ? "true" : "false";
        f.type = kind::boolean;
        break;
      case simdjson::dom::element_type::ARRAY:
        f.type = kind::list;
        f.json = value;
        break;
      case simdjson::dom::element_type::OBJECT:
        // Not written by Zeek's own writer; kept as JSON text.
        rec.storage.push_back(simdjson::minify(value));
        f.text = rec.storage.back();
        break;
      default: continue;  // null: unset
    }
    rec.fields.push_back(f);
  }
}

// Which log a JSON line comes from, by its members.
std::string_view log_of(const zrecord& rec) {
  const std::string_view path = rec.text("_path");
  if (!path.empty()) return path;
  if (rec.has("note") && rec.has("msg")) return "notice";
  if (rec.has("seen.indicator")) return "intel";
  if (rec.has("fuid") && (rec.has("seen_bytes") || rec.has("analyzers") || rec.has("mime_type") ||
                          rec.has("tx_hosts")))
    return "files";
  if (!rec.has("uid")) return {};
  if (rec.has("conn_state") || rec.has("orig_ip_bytes") || rec.has("history")) return "conn";
  if (rec.has("query") || rec.has("rcode") || rec.has("qtype") || rec.has("trans_id")) return "dns";
  if (rec.has("trans_depth") && (rec.has("method") || rec.has("uri") || rec.has("status_code")))
    return "http";
  if (rec.has("cipher") || rec.has("server_name") || (rec.has("version") && rec.has("established")))
    return "ssl";
  if (rec.has("auth_success") || rec.has("auth_attempts")) return "ssh";
  if (rec.has("mailfrom") || rec.has("rcptto")) return "smtp";
  if (rec.has("command") && rec.has("reply_code")) return "ftp";
  if (rec.has("name") && rec.has("peer") && rec.has("notice")) return "weird";
  if (rec.has("id.orig_h")) return "log";  // a Zeek log this parser has no map for
  return {};
}

// ---- reading TSV --------------------------------------------------------------

// "\x09" → tab (the #separator line and escaped bytes in values). Zeek
// escapes bytes that are not UTF-8 text this way too ("\xff" in a URI): a
// text whose unescaped bytes would not be UTF-8 is kept as Zeek wrote it, so
// that values stay text and are never cut inside a character (a #separator
// of "\xef" would split rows in the middle of characters).
std::string_view unescape(std::string_view text, std::deque<std::string>& storage) {
  if (text.find("\\x") == std::string_view::npos) return text;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
      unsigned value = 0;
      auto r = std::from_chars(text.data() + i + 2, text.data() + i + 4, value, 16);
      if (r.ec == std::errc() && r.ptr == text.data() + i + 4) {
        out.push_back(static_cast<char>(value));
        i += 3;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  if (!ndjson::is_valid_utf8(out)) return text;
  storage.push_back(std::move(out));
  return storage.back();
}

bool numeric_type(std::string_view type) {
  return type == "count" || type == "int" || type == "double" || type == "time" ||
         type == "interval" || type == "port";
}

bool is_number(std::string_view text) {
  if (text.empty()) return false;
  double value = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && std::isfinite(value);
}

// A data row: one value per #fields column.
parse_result read_tsv(std::string_view row, const zeek_tsv_header& h, zrecord& rec) {
  std::size_t column = 0;
  std::string_view rest = row;
  while (true) {
    const std::size_t at = rest.find(h.separator);
    const std::string_view raw = rest.substr(0, at);
    if (column >= h.fields.size()) {
      return {outcome::broken, "Zeek TSV row has more columns than its #fields header names"};
    }
    const std::string_view type = column < h.types.size() ? std::string_view(h.types[column]) : "";
    if (raw != h.unset_field) {
      zfield f;
      f.name = h.fields[column];
      const bool container = starts_with(type, "set[") || starts_with(type, "vector[");
      if (container) {
        if (raw != h.empty_field) {
          f.type = kind::list;
          f.text = unescape(raw, rec.storage);
          f.separator = h.set_separator;
          const std::string_view inner = type.substr(type.find('[') + 1);
          f.numeric_items = numeric_type(inner.substr(0, inner.size() - 1));
          rec.fields.push_back(f);
        }
      } else if (type == "bool") {
        f.type = kind::boolean;
        f.text = raw == "T" ? "true" : "false";
        rec.fields.push_back(f);
      } else if (numeric_type(type) && is_number(raw)) {
        f.type = kind::number;
        f.text = raw;
        rec.fields.push_back(f);
      } else {
        f.text = raw == h.empty_field ? std::string_view{} : unescape(raw, rec.storage);
        rec.fields.push_back(f);
      }
    }
    ++column;
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + h.separator.size());
  }
  if (column != h.fields.size()) {
    return {outcome::broken, "Zeek TSV row has fewer columns than its #fields header names"};
  }
  return {outcome::parsed, {}};
}

// ---- ECS ----------------------------------------------------------------------

// "1547688736.805088" (seconds since the epoch) as @timestamp.
void set_ts(fields& out, std::string_view ts) {
  const std::size_t dot = ts.find('.');
  auto seconds = to_int(ts.substr(0, dot));
  if (!seconds) return;
  std::int64_t micros = 0;
  if (dot != std::string_view::npos) {
    std::string_view fraction = ts.substr(dot + 1, 6);
    for (std::size_t i = 0; i < 6; ++i) {
      micros = micros * 10 + (i < fraction.size() && is_digit(fraction[i]) ? fraction[i] - '0' : 0);
    }
  }
  char buffer[32];
  time::write_utc_ms(buffer, time::timestamp::from_micros(*seconds * 1'000'000 + micros));
  out.set_copy("@timestamp", std::string_view(buffer, time::utc_ms_length));
}

void set_text(fields& out, std::string_view path, const zrecord& rec, std::string_view name) {
  const std::string_view v = rec.text(name);
  if (!v.empty()) out.set_copy(path, v);
}
void set_count(fields& out, std::string_view path, const zrecord& rec, std::string_view name) {
  if (auto v = to_int(rec.text(name))) out.set_int(path, *v);
}
void set_flag(fields& out, std::string_view path, const zrecord& rec, std::string_view name) {
  const std::string_view v = rec.text(name);
  if (v == "true" || v == "false") out.set_bool(path, v == "true");
}

void set_ip(fields& out, std::string_view path, std::string_view ip) {
  if (!is_ip(ip)) return;
  out.set_copy(path, ip);
  out.add_copy("related.ip", ip);
}

// Every field as zeek.<log>.<name>: strings, numbers, booleans, lists.
void keep_all(fields& out, const zrecord& rec, std::string_view prefix) {
  std::string json;
  for (const zfield& f : rec.fields) {
    if (f.name == "ts" || f.name == "uid" || f.name == "_path" || f.name == "_write_ts" ||
        starts_with(f.name, "id."))
      continue;
    switch (f.type) {
      case kind::string: out.set_dynamic(prefix, f.name, f.text, true); break;
      case kind::number:
      case kind::boolean: out.set_dynamic_raw(prefix, f.name, f.text); break;
      case kind::list: {
        if (f.from_json) {
          json = simdjson::minify(f.json);
        } else {
          json.assign("[");
          rec.each_item(f, [&](std::string_view item) {
            if (json.size() > 1) json.push_back(',');
            if (f.numeric_items && is_number(item))
              json.append(item);
            else
              ndjson::append_string(json, item);
          });
          json.push_back(']');
        }
        out.set_dynamic_raw(prefix, f.name, json);
        break;
      }
    }
  }
}

// "TLSv12" → 1.2 (tls), "SSLv3" → 3.0 (ssl).
void set_tls_version(fields& out, std::string_view v) {
  std::string_view protocol;
  if (consume(v, "TLSv")) {
    protocol = "tls";
  } else if (consume(v, "SSLv")) {
    protocol = "ssl";
  } else if (consume(v, "DTLSv")) {
    protocol = "dtls";
  } else {
    return;
  }
  if (v.empty() || !is_digit(v[0])) return;
  char buffer[8];
  std::size_t n = 0;
  buffer[n++] = v[0];
  buffer[n++] = '.';
  buffer[n++] = v.size() > 1 && is_digit(v[1]) ? v[1] : '0';
  out.set("tls.version_protocol", protocol);
  out.set_copy("tls.version", std::string_view(buffer, n));
}

// "CN=*.example.com,O=Example\, Inc.,C=US" as <prefix>.common_name...
void set_distinguished_name(fields& out, std::string_view dn, bool server, bool subject) {
  struct part {
    std::string_view key, name;
  };
  static constexpr part parts[] = {
      {"CN", "common_name"}, {"O", "organization"},       {"OU", "organizational_unit"},
      {"L", "locality"},     {"ST", "state_or_province"}, {"C", "country"},
  };
  std::string path;
  std::size_t pos = 0;
  while (pos < dn.size()) {
    std::size_t end = pos;
    while (end < dn.size() && dn[end] != ',') end += dn[end] == '\\' ? 2 : 1;
    end = std::min(end, dn.size());
    const std::string_view item = dn.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    for (const part& p : parts) {
      if (p.key != item.substr(0, eq)) continue;
      path.assign(server ? "tls.server.x509." : "tls.client.x509.");
      path.append(subject ? "subject." : "issuer.");
      std::string value;
      for (std::size_t i = eq + 1; i < item.size(); ++i) {
        if (item[i] == '\\' && i + 1 < item.size()) ++i;
        value.push_back(item[i]);
      }
      out.set_dynamic(path, p.name, value, true);
    }
  }
}

void set_direction(fields& out, std::string_view source, std::string_view destination) {
  vendor::set_network_direction(out, source, destination);
}

void map_common(fields& out, const zrecord& rec) {
  set_ts(out, rec.text("ts"));
  const std::string_view uid = rec.text("uid");
  if (!uid.empty()) {
    out.set_copy("event.id", uid);
    out.set_copy("zeek.session_id", uid);
  }
  const std::string_view orig = rec.text("id.orig_h"), resp = rec.text("id.resp_h");
  if (is_ip(orig)) {
    set_ip(out, "source.ip", orig);
    out.set_copy("source.address", orig);
  }
  if (is_ip(resp)) {
    set_ip(out, "destination.ip", resp);
    out.set_copy("destination.address", resp);
  }
  set_direction(out, orig, resp);
  set_count(out, "source.port", rec, "id.orig_p");
  set_count(out, "destination.port", rec, "id.resp_p");
  const std::string_view proto = rec.text("proto");
  if (!proto.empty()) set_lower(out, "network.transport", proto);
  out.set("observer.vendor", "Zeek");
  out.set("observer.product", "Zeek");
  out.set("observer.type", "ids");
}

void map_conn(fields& out, const zrecord& rec) {
  out.add("event.category", "network");
  out.add("event.type", "connection");
  out.add("event.type", "end");
  const std::string_view service = rec.text("service");
  if (!service.empty()) set_lower(out, "network.protocol", service.substr(0, service.find(',')));
  const std::string_view duration = rec.text("duration");
  if (is_number(duration)) {
    double seconds = 0;
    std::from_chars(duration.data(), duration.data() + duration.size(), seconds);
    out.set_int("event.duration", std::llround(seconds * 1e9));
  }
  const auto ob = to_int(rec.text("orig_ip_bytes")), rb = to_int(rec.text("resp_ip_bytes"));
  const auto op = to_int(rec.text("orig_pkts")), rp = to_int(rec.text("resp_pkts"));
  if (ob) out.set_int("source.bytes", *ob);
  if (rb) out.set_int("destination.bytes", *rb);
  if (op) out.set_int("source.packets", *op);
  if (rp) out.set_int("destination.packets", *rp);
  if (ob && rb) out.set_int("network.bytes", *ob + *rb);
  if (op && rp) out.set_int("network.packets", *op + *rp);
  const std::string_view state = rec.text("conn_state");
  // Rejected or never answered: REJ, S0, RSTOS0, RSTRH, SH, SHR, OTH.
  if (state == "REJ" || state == "S0" || state == "RSTOS0" || state == "RSTRH" || state == "SH" ||
      state == "SHR")
    out.set("event.outcome", "failure");
  else if (!state.empty() && state != "OTH")
    out.set("event.outcome", "success");
}

void map_dns(fields& out, const zrecord& rec) {
  out.add("event.category", "network");
  out.add("event.type", "connection");
  out.add("event.type", "protocol");
  out.add("event.type", "info");
  out.set("network.protocol", "dns");
  set_text(out, "dns.id", rec, "trans_id");
  set_text(out, "dns.question.name", rec, "query");
  set_text(out, "dns.question.class", rec, "qclass_name");
  set_text(out, "dns.question.type", rec, "qtype_name");
  set_text(out, "dns.response_code", rec, "rcode_name");
  const std::string_view rcode = rec.text("rcode_name");
  if (!rcode.empty()) out.set("event.outcome", rcode == "NOERROR" ? "success" : "failure");
  static constexpr std::string_view flags[] = {"AA", "TC", "RD", "RA"};
  for (std::string_view flag : flags) {
    if (rec.text(flag) == "true") out.add("dns.header_flags", flag);
  }
  const zfield* answers = rec.find("answers");
  const zfield* ttls = rec.find("TTLs");
  if (answers != nullptr) {
    // each_item may format numbers into a buffer of its own: copy them.
    std::vector<std::string> ttl_copy;
    if (ttls != nullptr)
      rec.each_item(*ttls, [&](std::string_view t) { ttl_copy.emplace_back(t); });
    std::string json = "[";
    std::size_t i = 0;
    rec.each_item(*answers, [&](std::string_view a) {
      if (json.size() > 1) json.push_back(',');
      json += "{\"data\":";
      ndjson::append_string(json, a);
      if (i < ttl_copy.size() && is_number(ttl_copy[i])) {
        json += ",\"ttl\":";
        const std::string_view t = ttl_copy[i];
        json.append(t.substr(0, t.find('.')));
      }
      json.push_back('}');
      ++i;
      if (is_ip(a)) {
        out.add_copy("dns.resolved_ip", a);
        out.add_copy("related.ip", a);
      }
    });
    json.push_back(']');
    if (json.size() > 2) out.set_raw("dns.answers", json);
  }
  out.set("dns.type", rec.has("rcode") || answers != nullptr ? "answer" : "query");
}

void map_http(fields& out, const zrecord& rec) {
  out.add("event.category", "network");
  out.add("event.category", "web");
  out.add("event.type", "connection");
  out.add("event.type", "info");
  out.add("event.type", "protocol");
  out.set("network.protocol", "http");
  if (!out.has("network.transport")) out.set("network.transport", "tcp");
  const std::string_view method = rec.text("method");
  if (!method.empty()) {
    out.set_copy("http.request.method", method);
    set_lower(out, "event.action", method);
  }
  set_count(out, "http.request.body.bytes", rec, "request_body_len");
  set_count(out, "http.response.body.bytes", rec, "response_body_len");
  if (auto status = to_int(rec.text("status_code"))) {
    out.set_int("http.response.status_code", *status);
    out.set("event.outcome", *status < 400 ? "success" : "failure");
  }
  set_text(out, "http.version", rec, "version");
  set_text(out, "http.request.referrer", rec, "referrer");
  set_text(out, "user_agent.original", rec, "user_agent");
  const std::string_view host = rec.text("host"), uri = rec.text("uri");
  if (!host.empty()) out.set_copy("url.domain", host);
  if (!uri.empty()) {
    out.set_copy("url.original", uri);
    const std::size_t q = uri.find('?');
    out.set_copy("url.path", uri.substr(0, q));
    if (q != std::string_view::npos) out.set_copy("url.query", uri.substr(q + 1));
  }
  if (!host.empty() || !uri.empty()) set_count(out, "url.port", rec, "id.resp_p");
  const std::string_view user = rec.text("username");
  if (!user.empty()) {
    out.set_copy("url.username", user);
    out.set_copy("user.name", user);
    out.add_copy("related.user", user);
  }
}

void map_ssl(fields& out, const zrecord& rec) {
  out.add("event.category", "network");
  out.add("event.type", "connection");
  out.add("event.type", "protocol");
  if (!out.has("network.transport")) out.set("network.transport", "tcp");
  set_tls_version(out, rec.text("version"));
  set_text(out, "tls.cipher", rec, "cipher");
  set_text(out, "tls.curve", rec, "curve");
  set_flag(out, "tls.resumed", rec, "resumed");
  set_flag(out, "tls.established", rec, "established");
  set_text(out, "tls.next_protocol", rec, "next_protocol");
  set_text(out, "tls.client.server_name", rec, "server_name");
  set_text(out, "tls.client.ja3", rec, "ja3");
  set_text(out, "tls.server.ja3s", rec, "ja3s");
  const std::string_view subject = rec.text("subject"), issuer = rec.text("issuer");
  if (!subject.empty()) {
    out.set_copy("tls.server.subject", subject);
    set_distinguished_name(out, subject, true, true);
  }
  if (!issuer.empty()) {
    out.set_copy("tls.server.issuer", issuer);
    set_distinguished_name(out, issuer, true, false);
  }
  set_text(out, "tls.client.subject", rec, "client_subject");
  set_text(out, "tls.client.issuer", rec, "client_issuer");
  const std::string_view validation = rec.text("validation_status");
  if (!validation.empty()) out.set("event.outcome", validation == "ok" ? "success" : "failure");
}

void map_notice(fields& out, const zrecord& rec) {
  out.set("event.kind", "alert");  // Zeek raised it (ECS: an alert from a device)
  out.add("event.category", "intrusion_detection");
  out.add("event.type", rec.text("dropped") == "true" ? "denied" : "allowed");
  out.add("event.type", "info");
  set_text(out, "rule.name", rec, "note");
  set_text(out, "rule.description", rec, "msg");
  set_text(out, "message", rec, "msg");
  const std::string_view src = rec.text("src"), dst = rec.text("dst");
  if (!out.has("source.ip") && is_ip(src)) {
    set_ip(out, "source.ip", src);
    out.set_copy("source.address", src);
  }
  if (!out.has("destination.ip") && is_ip(dst)) {
    set_ip(out, "destination.ip", dst);
    out.set_copy("destination.address", dst);
  }
  if (!out.has("network.direction")) set_direction(out, src, dst);
}

void map_intel(fields& out, const zrecord& rec) {
  // Zeek's intel framework saw a known indicator in the traffic: a
  // detection of the sensor, so an alert (as notices are, and as Filebeat's
  // zeek module has intel records: kind alert, type info). The indicator
  // itself is not the record (that would be type indicator).
  out.set("event.kind", "alert");
  out.add("event.category", "threat");
  out.add("event.type", "info");
  const std::string_view indicator = rec.text("seen.indicator");
  const std::string_view type = rec.text("seen.indicator_type");
  if (!indicator.empty()) {
    out.set_copy("threat.enrichments.matched.atomic", indicator);
    if (type == "Intel::ADDR" && is_ip(indicator)) out.add_copy("related.ip", indicator);
    if (type == "Intel::DOMAIN") out.add_copy("related.hosts", indicator);
    if (type == "Intel::FILE_HASH") out.add_copy("related.hash", indicator);
    if (type == "Intel::USER_NAME") out.add_copy("related.user", indicator);
  }
  set_text(out, "threat.enrichments.matched.field", rec, "seen.where");
}

void map_files(fields& out, const zrecord& rec) {
  out.add("event.category", "file");
  out.add("event.type", "info");
  set_text(out, "file.mime_type", rec, "mime_type");
  set_text(out, "file.name", rec, "filename");
  if (auto size = to_int(rec.text("total_bytes"))) {
    out.set_int("file.size", *size);
  } else if (auto seen = to_int(rec.text("seen_bytes"))) {
    out.set_int("file.size", *seen);
  }
  static constexpr std::pair<std::string_view, std::string_view> hashes[] = {
      {"md5", "file.hash.md5"}, {"sha1", "file.hash.sha1"}, {"sha256", "file.hash.sha256"}};
  for (const auto& [name, path] : hashes) {
    const std::string_view v = rec.text(name);
    if (v.empty()) continue;
    out.set_copy(path, v);
    out.add_copy("related.hash", v);
  }
  // Older files.log: the hosts that sent and received it.
  if (const zfield* tx = rec.find("tx_hosts"); tx != nullptr && !out.has("source.ip")) {
    bool first = true;
    rec.each_item(*tx, [&](std::string_view ip) {
      if (first && is_ip(ip)) set_ip(out, "source.ip", ip);
      first = false;
    });
  }
  if (const zfield* rx = rec.find("rx_hosts"); rx != nullptr && !out.has("destination.ip")) {
    bool first = true;
    rec.each_item(*rx, [&](std::string_view ip) {
      if (first && is_ip(ip)) set_ip(out, "destination.ip", ip);
      first = false;
    });
  }
}

void map_record(fields& out, const zrecord& rec, std::string_view log) {
  map_common(out, rec);
  std::string dataset = "zeek.";
  dataset.append(log == "conn" ? "connection" : log);
  out.set_copy("event.dataset", dataset);
  if (log == "conn")
    map_conn(out, rec);
  else if (log == "dns")
    map_dns(out, rec);
  else if (log == "http")
    map_http(out, rec);
  else if (log == "ssl")
    map_ssl(out, rec);
  else if (log == "notice")
    map_notice(out, rec);
  else if (log == "intel")
    map_intel(out, rec);
  else if (log == "files")
    map_files(out, rec);
  else {
    out.add("event.category", "network");
    out.add("event.type", "info");
  }
  dataset.push_back('.');
  keep_all(out, rec, dataset);
}

// ---- header lines -------------------------------------------------------------

parse_result read_header(std::string_view line, const line_context& context, fields& out) {
  zeek_tsv_header scratch;
  zeek_tsv_header& h = context.stream != nullptr ? context.stream->zeek : scratch;
  std::string_view name, value;
  if (starts_with(line, "#separator ")) {
    // Its own separator is a space; the value is escaped ("\x09").
    name = "separator";
    value = line.substr(11);
    h.reset();
    thread_local std::deque<std::string> storage;
    storage.clear();
    h.separator = std::string(unescape(value, storage));
    if (h.separator.empty()) return {outcome::broken, "Zeek #separator line names no separator"};
    // Bytes that are not UTF-8 text would split later lines inside
    // characters.
    if (!ndjson::is_valid_utf8(h.separator)) {
      h.reset();
      return {outcome::broken, "Zeek #separator is not UTF-8 text"};
    }
  } else {
    std::size_t at = line.find(h.separator), width = h.separator.size();
    // #open and #close stamps are also seen with a space (btest baselines).
    if (at == std::string_view::npos &&
        (starts_with(line, "#open ") || starts_with(line, "#close "))) {
      at = line.find(' ');
      width = 1;
    }
    if (at == std::string_view::npos) return {};
    name = line.substr(1, at - 1);
    value = line.substr(at + width);
    auto split = [&](std::vector<std::string>& into) {
      into.clear();
      std::string_view rest = value;
      while (true) {
        const std::size_t next = rest.find(h.separator);
        into.emplace_back(rest.substr(0, next));
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + h.separator.size());
      }
    };
    if (name == "set_separator") {
      h.set_separator = std::string(value);
    } else if (name == "empty_field") {
      h.empty_field = std::string(value);
    } else if (name == "unset_field") {
      h.unset_field = std::string(value);
    } else if (name == "path") {
      h.path = std::string(value);
    } else if (name == "fields") {
      split(h.fields);
    } else if (name == "types") {
      split(h.types);
    } else if (name != "open" && name != "close") {
      return {};
    }
  }
  std::string dataset = "zeek";
  if (!h.path.empty()) dataset.append(".").append(h.path == "conn" ? "connection" : h.path);
  out.set_copy("event.dataset", dataset);
  out.add("tags", "zeek_header");
  out.add("event.type", "info");
  out.set_copy("zeek.header.name", name);
  out.set_copy("zeek.header.value", value);
  out.set("observer.vendor", "Zeek");
  out.set("observer.product", "Zeek");
  out.set("observer.type", "ids");
  return {outcome::parsed, {}};
}

class zeek_parser final : public parser {
 public:
  std::string_view name() const override { return "zeek"; }
  std::string_view dataset() const override { return "zeek"; }
  std::string_view description() const override {
    return "Zeek logs, JSON and TSV: conn, dns, http, ssl, notice, intel, files";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    thread_local zrecord rec;
    rec.clear();
    // TSV: the whole line (the syslog envelope reader must not eat a column).
    const std::string_view whole = line.line;
    if (!whole.empty() && whole[0] == '#') {
      if (starts_with(whole, "#separator ") ||
          (line.stream != nullptr && !line.stream->zeek.separator.empty() &&
           (starts_with(whole.substr(1), "set_separator") ||
            starts_with(whole.substr(1), "empty_field") ||
            starts_with(whole.substr(1), "unset_field") || starts_with(whole.substr(1), "path") ||
            starts_with(whole.substr(1), "open") || starts_with(whole.substr(1), "fields") ||
            starts_with(whole.substr(1), "types") || starts_with(whole.substr(1), "close"))))
        return read_header(whole, line, out);
      return {};
    }
    if (line.stream != nullptr && line.stream->zeek.ready() && !whole.empty() && whole[0] != '{') {
      const zeek_tsv_header& h = line.stream->zeek;
      // A row has one column per #fields name; a line that starts like a
      // row (its ts) but has another count is a broken row, any other line
      // is not Zeek's.
      std::size_t columns = 1;
      for (std::size_t at = whole.find(h.separator); at != std::string_view::npos;
           at = whole.find(h.separator, at + h.separator.size()))
        ++columns;
      if (columns != h.fields.size()) {
        if (h.fields[0] == "ts" && is_digit(whole[0]) && columns > 1)
          return {outcome::broken, "Zeek TSV row has another number of columns than #fields names"};
        return {};
      }
      const parse_result r = read_tsv(whole, h, rec);
      if (r.what != outcome::parsed) return r;
      map_record(out, rec, h.path.empty() ? std::string_view("log") : std::string_view(h.path));
      return r;
    }
    const std::string_view text = line.header.message;
    if (text.empty() || text[0] != '{' || text.find("\"ts\"") == std::string_view::npos) return {};
    thread_local simdjson::dom::parser json;
    element root;
    if (json.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
      // Zeek's own members, but not JSON: a line cut short or damaged.
      if (text.find("\"uid\"") != std::string_view::npos &&
          text.find("\"id.orig_h\"") != std::string_view::npos)
        return {outcome::broken, "Zeek JSON line is not a JSON object"};
      return {};
    }
    read_json(root, rec);
    if (!is_number(rec.text("ts"))) return {};
    const std::string_view log = log_of(rec);
    if (log.empty()) return {};
    map_record(out, rec, log);
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& zeek() {
  static const zeek_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
