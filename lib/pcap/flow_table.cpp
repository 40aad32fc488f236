#include "pcap/flow_table.hpp"

#include <cstring>
#include <string_view>

namespace mimamori::pcap {

std::size_t flow_table::key_hash::operator()(const key& k) const noexcept {
  // FNV-1a over the packed key.
  const auto* p = reinterpret_cast<const unsigned char*>(&k);
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < sizeof(key); ++i) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return static_cast<std::size_t>(h);
}

flow_table::key flow_table::make_key(const decoded& p) {
  key k{};
  std::size_t n = p.src.size();
  // ICMP type/code are not part of the connection (a reply has another type).
  bool ports = p.has_ports && p.protocol != ip_protocol::icmp && p.protocol != ip_protocol::icmpv6;
  std::uint16_t sp = ports ? p.src_port : 0;
  std::uint16_t dp = ports ? p.dst_port : 0;
  int order = std::memcmp(p.src.bytes.data(), p.dst.bytes.data(), n);
  bool src_low = order < 0 || (order == 0 && sp <= dp);
  const address& lo = src_low ? p.src : p.dst;
  const address& hi = src_low ? p.dst : p.src;
  std::uint16_t lo_port = src_low ? sp : dp;
  std::uint16_t hi_port = src_low ? dp : sp;
  std::memcpy(k.lo, lo.bytes.data(), n);
  std::memcpy(k.hi, hi.bytes.data(), n);
  k.lo_port[0] = static_cast<std::uint8_t>(lo_port >> 8);
  k.lo_port[1] = static_cast<std::uint8_t>(lo_port);
  k.hi_port[0] = static_cast<std::uint8_t>(hi_port >> 8);
  k.hi_port[1] = static_cast<std::uint8_t>(hi_port);
  k.vlan[0] = static_cast<std::uint8_t>(p.vlan >> 8);
  k.vlan[1] = static_cast<std::uint8_t>(p.vlan);
  k.vlan[2] = static_cast<std::uint8_t>(p.inner_vlan >> 8);
  k.vlan[3] = static_cast<std::uint8_t>(p.inner_vlan);
  k.protocol = p.protocol;
  k.family = p.src.family;
  return k;
}

flow* flow_table::find_or_add(const decoded& p, time::timestamp when, bool& forward,
                              bool& created) {
  created = false;
  if (p.src.family == 0) return nullptr;
  key k = make_key(p);
  auto [it, inserted] = flows_.try_emplace(k);
  flow& f = it->second;
  bool ports = p.has_ports && p.protocol != ip_protocol::icmp && p.protocol != ip_protocol::icmpv6;
  if (inserted) {
    created = true;
    f.src = p.src;
    f.dst = p.dst;
    f.src_port = ports ? p.src_port : 0;
    f.dst_port = ports ? p.dst_port : 0;
    f.has_ports = ports;
    f.protocol = p.protocol;
    f.vlan = p.vlan;
    f.inner_vlan = p.inner_vlan;
    f.start = when;
    f.last = when;
    // A SYN-ACK seen first: its sender is the server.
    if (p.protocol == ip_protocol::tcp &&
        (p.tcp_flags & (tcp_flag::syn | tcp_flag::ack)) == (tcp_flag::syn | tcp_flag::ack)) {
      std::swap(f.src, f.dst);
      std::swap(f.src_port, f.dst_port);
    }
  }
  if (when.ns > f.last.ns) f.last = when;
  forward = p.src == f.src && (!ports || p.src_port == f.src_port);
  if (f.src == f.dst && ports && f.src_port == f.dst_port) forward = true;
  return &f;
}

}  // namespace mimamori::pcap
