// frames: captured frames built by hand for the pcap tests (Ethernet with
// optional VLAN tags, Linux cooked v1/v2, IPv4/IPv6, TCP/UDP).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>

namespace mimamori::testing {

using bytes = std::vector<std::uint8_t>;

inline void put16(bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(bytes& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}
// Byte by byte: GCC 12 warns wrongly (-Wstringop-overread) on vector inserts here.
inline void put(bytes& b, std::string_view s) {
  for (char c : s) b.push_back(static_cast<std::uint8_t>(c));
}
inline void put(bytes& b, const bytes& s) {
  for (std::uint8_t c : s) b.push_back(c);
}

struct endpoint {
  std::string ip;
  std::uint16_t port;
};

inline bytes ip_bytes(const std::string& ip) {
  bytes out(ip.find(':') != std::string::npos ? 16 : 4);
  inet_pton(out.size() == 4 ? AF_INET : AF_INET6, ip.c_str(), out.data());
  return out;
}

inline bytes tcp(std::uint16_t sp, std::uint16_t dp, std::uint32_t seq, std::uint8_t flags,
                 std::string_view payload) {
  bytes t;
  put16(t, sp);
  put16(t, dp);
  put32(t, seq);
  put32(t, 0);  // ack
  t.push_back(5 << 4);
  t.push_back(flags);
  put16(t, 65535);
  put32(t, 0);  // checksum, urgent
  put(t, payload);
  return t;
}

inline bytes udp(std::uint16_t sp, std::uint16_t dp, const bytes& payload) {
  bytes u;
  put16(u, sp);
  put16(u, dp);
  put16(u, static_cast<std::uint16_t>(8 + payload.size()));
  put16(u, 0);
  put(u, payload);
  return u;
}

inline bytes ip(const std::string& src, const std::string& dst, std::uint8_t proto,
                const bytes& body) {
  bytes s = ip_bytes(src);
  bytes d = ip_bytes(dst);
  bytes p;
  if (s.size() == 4) {
    p.push_back(0x45);
    p.push_back(0);
    put16(p, static_cast<std::uint16_t>(20 + body.size()));
    put32(p, 0);
    p.push_back(64);
    p.push_back(proto);
    put16(p, 0);
  } else {
    put32(p, 0x60000000);
    put16(p, static_cast<std::uint16_t>(body.size()));
    p.push_back(proto);
    p.push_back(64);
  }
  put(p, s);
  put(p, d);
  put(p, body);
  return p;
}

// Ethernet with the given VLAN ids (outer first; 0x88a8 for the outer of two).
inline bytes ethernet(const bytes& packet, std::initializer_list<std::uint16_t> vlans = {}) {
  bytes e(12, 0x02);
  bool v6 = !packet.empty() && (packet[0] >> 4) == 6;
  std::size_t i = 0;
  for (std::uint16_t id : vlans) {
    put16(e, i == 0 && vlans.size() > 1 ? 0x88a8 : 0x8100);
    put16(e, id);
    ++i;
  }
  put16(e, v6 ? 0x86dd : 0x0800);
  put(e, packet);
  return e;
}

inline bytes linux_sll(const bytes& packet) {
  bytes h;
  put16(h, 0);    // packet type
  put16(h, 772);  // ARPHRD_LOOPBACK
  put16(h, 6);
  put(h, bytes(8, 0));
  put16(h, (packet[0] >> 4) == 6 ? 0x86dd : 0x0800);
  put(h, packet);
  return h;
}

inline bytes linux_sll2(const bytes& packet) {
  bytes h;
  put16(h, (packet[0] >> 4) == 6 ? 0x86dd : 0x0800);
  put16(h, 0);  // reserved
  put32(h, 1);  // interface index
  put16(h, 1);  // ARPHRD_ETHER
  h.push_back(0);
  h.push_back(6);
  put(h, bytes(8, 0));
  put(h, packet);
  return h;
}

// A DNS query for `name` (type A, class IN) with id `id`.
inline bytes dns_query(std::uint16_t id, std::string_view name, std::uint16_t type = 1) {
  bytes m;
  put16(m, id);
  put16(m, 0x0100);  // RD
  put16(m, 1);
  put16(m, 0);
  put16(m, 0);
  put16(m, 0);
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    m.push_back(static_cast<std::uint8_t>(dot - start));
    put(m, name.substr(start, dot - start));
    start = dot + 1;
  }
  m.push_back(0);
  put16(m, type);
  put16(m, 1);
  return m;
}

inline bytes extension(std::uint16_t type, const bytes& body) {
  bytes e;
  put16(e, type);
  put16(e, static_cast<std::uint16_t>(body.size()));
  put(e, body);
  return e;
}

// A ClientHello body with GREASE values in ciphers, extensions, groups and
// versions, as Chrome sends them.
inline bytes hello_body(std::string_view sni) {
  bytes b;
  put16(b, 0x0303);
  put(b, bytes(32, 0x11));
  b.push_back(0);  // session id
  put16(b, 8);
  for (std::uint16_t c : {0x0a0a, 0x1301, 0x1302, 0xc02b}) put16(b, c);
  b.push_back(1);
  b.push_back(0);
  bytes exts;
  put(exts, extension(0x1a1a, {}));
  bytes name;
  put16(name, static_cast<std::uint16_t>(sni.size() + 3));
  name.push_back(0);
  put16(name, static_cast<std::uint16_t>(sni.size()));
  put(name, sni);
  put(exts, extension(0, name));
  bytes groups;
  put16(groups, 6);
  for (std::uint16_t g : {0x3a3a, 29, 23}) put16(groups, g);
  put(exts, extension(10, groups));
  put(exts, extension(11, {1, 0}));
  bytes versions;
  versions.push_back(6);
  for (std::uint16_t v : {0x4a4a, 0x0304, 0x0303}) put16(versions, v);
  put(exts, extension(43, versions));
  put16(b, static_cast<std::uint16_t>(exts.size()));
  put(b, exts);
  return b;
}

inline bytes handshake(const bytes& body) {
  bytes h;
  h.push_back(1);
  h.push_back(0);
  put16(h, static_cast<std::uint16_t>(body.size()));
  put(h, body);
  return h;
}

inline bytes tls_record(const bytes& fragment) {
  bytes r = {0x16, 0x03, 0x01};
  put16(r, static_cast<std::uint16_t>(fragment.size()));
  put(r, fragment);
  return r;
}

}  // namespace mimamori::testing
