#include "pcap/event_writer.hpp"

#include "event/builder.hpp"
#include "pcap/community_id.hpp"
#include "time/format.hpp"

namespace mimamori::pcap {

namespace {

std::string_view transport_name(std::uint8_t protocol, std::string& scratch) {
  switch (protocol) {
    case ip_protocol::tcp: return "tcp";
    case ip_protocol::udp: return "udp";
    case ip_protocol::icmp: return "icmp";
    case ip_protocol::icmpv6: return "ipv6-icmp";
    case ip_protocol::sctp: return "sctp";
    case 47: return "gre";
    case 50: return "esp";
    default:
      scratch.clear();
      ndjson::append_uint(scratch, protocol);
      return scratch;
  }
}

void time_field(event::builder& b, std::string_view name, time::timestamp when) {
  char stamp[time::utc_ms_length];
  time::write_utc_ms(stamp, when);
  b.field(name, std::string_view(stamp, sizeof stamp));
}

void address_field(event::builder& b, std::string_view name, const address& a,
                   std::string& scratch) {
  scratch.clear();
  append_address(scratch, a);
  b.field(name, std::string_view(scratch));
}

// @timestamp and the start of event{} (left open for the caller's fields).
void open_record(event::builder& b, time::timestamp when, time::timestamp created,
                 std::string_view dataset, std::string_view type1, std::string_view type2) {
  b.begin_object();
  time_field(b, "@timestamp", when);
  b.key("event").begin_object();
  b.field("kind", "event");
  b.key("category").begin_array().value("network").end_array();
  b.key("type").begin_array().value(type1);
  if (!type2.empty()) b.value(type2);
  b.end_array();
  b.field("dataset", dataset);
  time_field(b, "created", created);
}

struct side_counts {
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
  bool present = false;
};

void endpoint_objects(event::builder& b, const endpoints& e, side_counts src, side_counts dst,
                      std::string& scratch) {
  b.key("source").begin_object();
  address_field(b, "ip", *e.src, scratch);
  if (e.has_ports) b.field("port", static_cast<std::uint64_t>(e.src_port));
  if (src.present) b.field("bytes", src.bytes).field("packets", src.packets);
  b.end_object();
  b.key("destination").begin_object();
  address_field(b, "ip", *e.dst, scratch);
  if (e.has_ports) b.field("port", static_cast<std::uint64_t>(e.dst_port));
  if (dst.present) b.field("bytes", dst.bytes).field("packets", dst.packets);
  b.end_object();
}

void network_object(event::builder& b, const endpoints& e, std::string_view app,
                    const side_counts* totals, std::string& scratch) {
  b.key("network").begin_object();
  b.field("transport", transport_name(e.protocol, scratch));
  b.field("type", e.src->family == 4 ? "ipv4" : "ipv6");
  scratch.clear();
  ndjson::append_uint(scratch, e.protocol);
  b.field("iana_number", std::string_view(scratch));
  if (!app.empty()) b.field("protocol", app);
  scratch.clear();
  append_community_id(scratch, *e.src, *e.dst, e.protocol, e.has_ports, e.src_port, e.dst_port);
  if (!scratch.empty()) b.field("community_id", std::string_view(scratch));
  if (totals != nullptr) b.field("bytes", totals->bytes).field("packets", totals->packets);
  if (e.vlan != 0) {
    scratch.clear();
    ndjson::append_uint(scratch, e.vlan);
    b.key("vlan").begin_object().field("id", std::string_view(scratch)).end_object();
  }
  if (e.inner_vlan != 0) {
    scratch.clear();
    ndjson::append_uint(scratch, e.inner_vlan);
    b.key("inner").begin_object().key("vlan").begin_object();
    b.field("id", std::string_view(scratch)).end_object().end_object();
  }
  b.end_object();
}

// related{}, observer{}, log{}, organization{} and the closing brace.
void close_record(event::builder& b, const record_tags& tags, const endpoints& e,
                  std::string_view host, std::string& scratch) {
  b.key("related").begin_object();
  b.key("ip").begin_array();
  scratch.clear();
  append_address(scratch, *e.src);
  b.value(std::string_view(scratch));
  if (!(*e.src == *e.dst)) {
    scratch.clear();
    append_address(scratch, *e.dst);
    b.value(std::string_view(scratch));
  }
  b.end_array();
  if (!host.empty()) b.key("hosts").begin_array().value(host).end_array();
  b.end_object();
  b.key("input").begin_object().field("type", "pcap").end_object();
  if (!tags.observer_hostname.empty() || !tags.observer_vendor.empty() ||
      !tags.observer_product.empty() || !tags.observer_type.empty() || !tags.interface.empty()) {
    b.key("observer").begin_object();
    if (!tags.observer_hostname.empty())
      b.field("hostname", std::string_view(tags.observer_hostname));
    if (!tags.observer_vendor.empty()) b.field("vendor", std::string_view(tags.observer_vendor));
    if (!tags.observer_product.empty()) b.field("product", std::string_view(tags.observer_product));
    if (!tags.observer_type.empty()) b.field("type", std::string_view(tags.observer_type));
    if (!tags.interface.empty()) {
      b.key("ingress").begin_object().key("interface").begin_object();
      b.field("name", std::string_view(tags.interface)).end_object().end_object();
    }
    b.end_object();
  }
  if (!tags.file.empty()) {
    b.key("log").begin_object().key("file").begin_object();
    b.field("path", std::string_view(tags.file)).end_object().end_object();
  }
  b.key("organization")
      .begin_object()
      .field("id", std::string_view(tags.organization))
      .end_object();
  b.end_object();
}

// Host name without a port ("example.com:8080" -> "example.com", "[::1]:80" -> "[::1]").
std::string_view host_without_port(std::string_view host, std::string_view& port) {
  port = {};
  if (!host.empty() && host.front() == '[') {  // ECS keeps an IPv6 literal's brackets
    std::size_t close = host.find(']');
    if (close == std::string_view::npos) return host;
    if (close + 1 < host.size() && host[close + 1] == ':') port = host.substr(close + 2);
    return host.substr(0, close + 1);
  }
  std::size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(':') == colon) {
    port = host.substr(colon + 1);
    return host.substr(0, colon);
  }
  return host;
}

}  // namespace

void event_writer::dns(std::string& out, time::timestamp when, const endpoints& e,
                       const dns_message& m) {
  event::builder b(out);
  open_record(b, when, created_, "pcap.dns", "protocol", "");
  b.end_object();
  endpoint_objects(b, e, {}, {}, scratch_);
  network_object(b, e, "dns", nullptr, scratch_);
  b.key("dns").begin_object();
  b.field("type", m.response ? "answer" : "query");
  scratch_.clear();
  ndjson::append_uint(scratch_, m.id);
  b.field("id", std::string_view(scratch_));
  b.field("op_code", dns_opcode_name(m.opcode, scratch_));
  b.key("header_flags").begin_array();
  if ((m.flags & 0x0400) != 0) b.value("AA");
  if ((m.flags & 0x0200) != 0) b.value("TC");
  if ((m.flags & 0x0100) != 0) b.value("RD");
  if ((m.flags & 0x0080) != 0) b.value("RA");
  if ((m.flags & 0x0020) != 0) b.value("AD");
  if ((m.flags & 0x0010) != 0) b.value("CD");
  b.end_array();
  if (m.response) b.field("response_code", dns_rcode_name(m.rcode, scratch_));
  std::string_view question_name;
  if (m.question_count > 0) {
    const dns_record& q = m.questions[0];
    question_name = q.name;
    b.key("question").begin_object();
    b.field("name", std::string_view(q.name));
    b.field("type", dns_type_name(q.type, scratch_));
    b.field("class", dns_class_name(q.klass, scratch_));
    b.end_object();
  }
  if (m.answer_count > 0) {
    b.key("answers").begin_array();
    for (std::size_t i = 0; i < m.answer_count; ++i) {
      const dns_record& r = m.answers[i];
      b.begin_object();
      b.field("name", std::string_view(r.name));
      b.field("type", dns_type_name(r.type, scratch_));
      b.field("class", dns_class_name(r.klass, scratch_));
      b.field("ttl", static_cast<std::uint64_t>(r.ttl));
      if (r.has_data) b.field("data", std::string_view(r.data));
      b.end_object();
    }
    b.end_array();
    bool any = false;
    for (std::size_t i = 0; i < m.answer_count; ++i) {
      const dns_record& r = m.answers[i];
      if (!r.has_data || (r.type != 1 && r.type != 28)) continue;
      if (!any) b.key("resolved_ip").begin_array();
      any = true;
      b.value(std::string_view(r.data));
    }
    if (any) b.end_array();
  }
  b.end_object();
  close_record(b, tags_, e, question_name == "." ? std::string_view() : question_name, scratch_);
}

void event_writer::http(std::string& out, time::timestamp when, const endpoints& e,
                        const http_request& r) {
  event::builder b(out);
  open_record(b, when, created_, "pcap.http", "protocol", "access");
  b.end_object();
  endpoint_objects(b, e, {}, {}, scratch_);
  network_object(b, e, "http", nullptr, scratch_);
  b.key("http").begin_object();
  b.key("request").begin_object();
  b.field("method", r.method);
  if (!r.referrer.empty()) b.field("referrer", r.referrer);
  b.end_object();
  if (!r.version.empty()) b.field("version", r.version);
  b.end_object();

  // url.*: the target as sent, split; origin-form takes the host from Host.
  std::string_view target = r.target;
  std::string_view host = r.host;
  std::string_view path = target;
  std::string_view scheme;
  if (target.substr(0, 7) == "http://" || target.substr(0, 8) == "https://") {
    std::size_t after = target.find("://") + 3;
    scheme = target.substr(0, after - 3);
    std::size_t slash = target.find('/', after);
    host = target.substr(after,
                         slash == std::string_view::npos ? target.size() - after : slash - after);
    path = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  std::string_view port;
  std::string_view domain = host_without_port(host, port);
  std::string_view query;
  std::size_t question = path.find('?');
  if (question != std::string_view::npos) {
    query = path.substr(question + 1);
    path = path.substr(0, question);
  }
  std::size_t hash = path.find('#');
  if (hash != std::string_view::npos) path = path.substr(0, hash);
  b.key("url").begin_object();
  b.field("original", target);
  if (!path.empty() && r.method != "CONNECT") b.field("path", path);
  if (!query.empty()) b.field("query", query);
  if (r.method == "CONNECT") {
    std::string_view connect_port;
    domain = host_without_port(target, connect_port);
    port = connect_port;
  }
  if (!domain.empty()) b.field("domain", domain);
  if (!port.empty()) {
    std::uint64_t n = 0;
    bool digits = port.size() <= 5;
    for (char c : port) {
      if (c < '0' || c > '9') digits = false;
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (digits && n <= 65535) b.field("port", n);
  }
  if (!scheme.empty()) {
    b.field("full", target);
  } else if (!domain.empty() && !target.empty() && target.front() == '/') {
    scratch2_.assign("http://");
    scratch2_.append(host);
    scratch2_.append(target);
    b.field("full", std::string_view(scratch2_));
  }
  b.end_object();
  if (!r.user_agent.empty()) {
    b.key("user_agent").begin_object().field("original", r.user_agent).end_object();
  }
  close_record(b, tags_, e, domain, scratch_);
}

void event_writer::tls(std::string& out, time::timestamp when, const endpoints& e,
                       const tls_client_hello& hello, std::string_view ja3_text,
                       std::string_view ja3_hash) {
  event::builder b(out);
  open_record(b, when, created_, "pcap.tls", "protocol", "");
  b.end_object();
  endpoint_objects(b, e, {}, {}, scratch_);
  network_object(b, e, "tls", nullptr, scratch_);
  b.key("tls").begin_object();
  b.key("client").begin_object();
  if (!hello.server_name.empty()) b.field("server_name", std::string_view(hello.server_name));
  b.field("ja3", ja3_hash);
  b.end_object();
  std::uint16_t version = hello.highest_version();
  std::string_view text = tls_version_text(version);
  if (!text.empty()) {
    b.field("version", text);
    b.field("version_protocol", tls_version_protocol(version));
  }
  b.end_object();
  b.key("mimamori").begin_object().key("tls").begin_object().key("client").begin_object();
  b.field("ja3_string", ja3_text);
  b.end_object().end_object().end_object();
  close_record(b, tags_, e, hello.server_name, scratch_);
}

void event_writer::flow(std::string& out, const pcap::flow& f, std::string_view reason) {
  event::builder b(out);
  open_record(b, f.last, created_, "pcap.flow", "connection", "end");
  time_field(b, "start", f.start);
  time_field(b, "end", f.last);
  b.field("duration", static_cast<std::uint64_t>(f.last.ns - f.start.ns));
  b.field("reason", reason);
  b.end_object();
  endpoints e{&f.src,     &f.dst,     f.protocol, f.has_ports,
              f.src_port, f.dst_port, f.vlan,     f.inner_vlan};
  side_counts src{f.bytes[0], f.packets[0], true};
  side_counts dst{f.bytes[1], f.packets[1], true};
  side_counts total{f.bytes[0] + f.bytes[1], f.packets[0] + f.packets[1], true};
  endpoint_objects(b, e, src, dst, scratch_);
  network_object(b, e, f.app, &total, scratch_);
  close_record(b, tags_, e, {}, scratch_);
}

}  // namespace mimamori::pcap
