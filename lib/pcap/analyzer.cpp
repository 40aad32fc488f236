#include "pcap/analyzer.hpp"

#include "pcap/ja3.hpp"

namespace mimamori::pcap {

namespace {

constexpr std::int64_t sweep_interval_ns = 5'000'000'000;
constexpr std::size_t max_http_head = 16 * 1024;

bool dns_port(std::uint16_t port) {
  return port == 53 || port == 5353 || port == 5355;
}

}  // namespace

analyzer::analyzer(record_tags tags, flow_limits limits)
    : writer_(std::move(tags)), flows_(limits) {}

endpoints analyzer::oriented(const flow& f, int direction) {
  endpoints e{&f.src,     &f.dst,     f.protocol, f.has_ports,
              f.src_port, f.dst_port, f.vlan,     f.inner_vlan};
  if (direction == 1) {
    std::swap(e.src, e.dst);
    std::swap(e.src_port, e.dst_port);
  }
  return e;
}

void analyzer::end_flow(const flow& f, std::string_view reason, std::string& out) {
  // The table frees the flow and its streams after this.
  for (const auto& s : f.streams) {
    if (s) --streams_;
  }
  writer_.flow(out, f, reason);
  out.push_back('\n');
  ++counters_.flows;
}

void analyzer::packet(int link_type, time::timestamp when, std::span<const std::uint8_t> frame,
                      std::string& out) {
  ++counters_.packets;
  counters_.bytes += frame.size();
  decoded p;
  switch (decode(link_type, frame, p)) {
    case decode_status::ok: break;
    case decode_status::not_ip: ++counters_.not_ip; return;
    case decode_status::unsupported: ++counters_.unsupported; return;
    case decode_status::malformed: ++counters_.malformed; return;
  }
  // Sweep idle flows every few seconds of packet time. Packets a little out
  // of time order (multi-queue captures) do not trigger it; a clock that
  // jumps far back restarts the interval.
  if (last_sweep_ == time::timestamp::min() || when.ns - last_sweep_.ns >= sweep_interval_ns) {
    advance(when, out);
  } else if (when.ns < last_sweep_.ns - 60 * sweep_interval_ns) {
    last_sweep_ = when;
  }
  if (flows_.full()) {
    std::uint64_t before = counters_.flows;
    flows_.make_room([&](const flow& f, std::string_view reason) { end_flow(f, reason, out); });
    counters_.flows_evicted += counters_.flows - before;
  }
  bool forward = true;
  bool created = false;
  flow* f = flows_.find_or_add(p, when, forward, created);
  if (f == nullptr) return;
  int direction = forward ? 0 : 1;
  f->bytes[direction] += p.ip_bytes;
  ++f->packets[direction];

  if (p.protocol == ip_protocol::tcp && p.has_ports) {
    if ((p.tcp_flags & tcp_flag::fin) != 0) f->fin[direction] = true;
    if ((p.tcp_flags & tcp_flag::rst) != 0) f->rst = true;
    if (!p.payload.empty() && f->role[direction] != stream_role::done) {
      tcp_data(*f, direction, p, when, out);
    }
  } else if (p.protocol == ip_protocol::udp && p.has_ports && !p.payload.empty()) {
    if (dns_port(p.src_port) || dns_port(p.dst_port)) {
      endpoints e{&p.src, &p.dst, p.protocol, true, p.src_port, p.dst_port, p.vlan, p.inner_vlan};
      std::uint64_t before = counters_.dns;
      dns_message_record(e, when, p.payload, out);
      if (counters_.dns != before) f->app = "dns";
    }
  }
}

void analyzer::dns_message_record(const endpoints& e, time::timestamp when,
                                  std::span<const std::uint8_t> message, std::string& out) {
  if (parse_dns(message, dns_) != dns_status::ok) {
    ++counters_.dns_malformed;
    return;
  }
  writer_.dns(out, when, e, dns_);
  out.push_back('\n');
  ++counters_.dns;
}

void analyzer::tcp_data(flow& f, int direction, const decoded& p, time::timestamp when,
                        std::string& out) {
  stream_role& role = f.role[direction];
  if (role == stream_role::undecided) {
    std::string_view start(reinterpret_cast<const char*>(p.payload.data()), p.payload.size());
    bool dns = f.has_ports && (dns_port(f.src_port) || dns_port(f.dst_port));
    if (dns) {
      role = stream_role::dns;
    } else if (looks_like_http_request(start)) {
      // Either direction: a capture that starts mid-connection may have
      // seen the server first. Responses ("HTTP/1.1 200") and ServerHellos
      // are told apart by the parsers and end the reading of their side.
      role = stream_role::http;
    } else if (looks_like_tls(start)) {
      role = stream_role::tls;
    } else {
      role = stream_role::done;
      return;
    }
  }
  std::unique_ptr<tcp_stream>& s = f.streams[direction];
  if (!s) {
    if (streams_ >= max_streams) {  // memory stays bounded: this one is not followed
      ++counters_.streams_over_budget;
      role = stream_role::done;
      return;
    }
    s = std::make_unique<tcp_stream>();
    ++streams_;
  }
  switch (s->segment(p.tcp_seq, p.payload)) {
    case tcp_stream::result::ok: break;
    case tcp_stream::result::gap:
      ++counters_.stream_gaps;
      stop_stream(f, direction);
      return;
    case tcp_stream::result::overflow:
      read_stream(f, direction, when, out);  // what is complete still counts
      if (f.role[direction] != stream_role::done) {
        ++counters_.stream_overflows;
        stop_stream(f, direction);
      }
      return;
  }
  read_stream(f, direction, when, out);
}

void analyzer::stop_stream(flow& f, int direction) {
  f.role[direction] = stream_role::done;
  if (f.streams[direction]) {
    f.streams[direction].reset();
    --streams_;
  }
}

void analyzer::read_stream(flow& f, int direction, time::timestamp when, std::string& out) {
  tcp_stream& s = *f.streams[direction];
  endpoints e = oriented(f, direction);
  switch (f.role[direction]) {
    case stream_role::http:
      while (true) {
        http_status st = parse_http_request(s.data(), http_);
        if (st == http_status::need_more) {
          if (s.data().size() > max_http_head) {
            ++counters_.stream_overflows;
            stop_stream(f, direction);
          }
          return;
        }
        if (st == http_status::not_http) {
          // The rest of the stream is not a request head we can find
          // (a body we did not size, or not HTTP): stop reading it.
          stop_stream(f, direction);
          return;
        }
        writer_.http(out, when, e, http_);
        out.push_back('\n');
        ++counters_.http;
        f.app = "http";
        bool chunked = http_.chunked;
        std::uint64_t body = http_.content_length;
        s.consume(http_.head_length);
        if (chunked) {  // chunked request bodies are not followed
          stop_stream(f, direction);
          return;
        }
        s.skip(body);
        if (s.data().empty()) return;
      }
    case stream_role::tls: {
      tls_status st = parse_client_hello(s.data(), hello_);
      if (st == tls_status::need_more) return;
      if (st == tls_status::ok) {
        ja3(hello_, ja3_text_, ja3_hash_);
        writer_.tls(out, when, e, hello_, ja3_text_, ja3_hash_);
        out.push_back('\n');
        ++counters_.tls;
        f.app = "tls";
      }
      stop_stream(f, direction);
      return;
    }
    case stream_role::dns:
      while (s.data().size() >= 2) {
        std::string_view d = s.data();
        std::size_t length = static_cast<std::size_t>(static_cast<unsigned char>(d[0]) << 8 |
                                                      static_cast<unsigned char>(d[1]));
        if (d.size() < 2 + length) return;
        std::uint64_t before = counters_.dns;
        dns_message_record(e, when,
                           std::span<const std::uint8_t>(
                               reinterpret_cast<const std::uint8_t*>(d.data()) + 2, length),
                           out);
        if (counters_.dns != before) f.app = "dns";
        s.consume(2 + length);
      }
      return;
    case stream_role::undecided:
    case stream_role::done: return;
  }
}

void analyzer::advance(time::timestamp now, std::string& out) {
  last_sweep_ = now;
  flows_.expire(now, [&](const flow& f, std::string_view reason) { end_flow(f, reason, out); });
}

void analyzer::finish(std::string& out) {
  flows_.end_all([&](const flow& f, std::string_view reason) { end_flow(f, reason, out); });
}

}  // namespace mimamori::pcap
