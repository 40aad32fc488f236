#include "pcap/decoder.hpp"

#include <arpa/inet.h>
#include <pcap/dlt.h>

#include <cstring>

namespace mimamori::pcap {

namespace {

constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr std::uint16_t ethertype_vlan = 0x8100;
constexpr std::uint16_t ethertype_qinq = 0x88a8;
constexpr std::uint16_t ethertype_qinq_old = 0x9100;

// LINKTYPE_* values that pcap/dlt.h spells differently across versions.
constexpr int linktype_raw = 101;  // LINKTYPE_RAW (DLT_RAW is 12 or 14 on some systems)
constexpr int linktype_ipv4 = 228;
constexpr int linktype_ipv6 = 229;
constexpr int linktype_linux_sll2 = 276;

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

bool is_ipv6_extension(std::uint8_t next) {
  return next == 0 || next == 43 || next == 44 || next == 60 || next == 51 || next == 135 ||
         next == 139 || next == 140;
}

decode_status decode_transport(std::span<const std::uint8_t> p, decoded& out) {
  switch (out.protocol) {
    case ip_protocol::tcp: {
      if (p.size() < 20) return decode_status::malformed;
      std::size_t header = static_cast<std::size_t>(p[12] >> 4) * 4;
      if (header < 20 || header > p.size()) return decode_status::malformed;
      out.src_port = be16(&p[0]);
      out.dst_port = be16(&p[2]);
      out.tcp_seq = be32(&p[4]);
      out.tcp_flags = p[13];
      out.has_ports = true;
      out.payload = p.subspan(header);
      return decode_status::ok;
    }
    case ip_protocol::udp: {
      if (p.size() < 8) return decode_status::malformed;
      out.src_port = be16(&p[0]);
      out.dst_port = be16(&p[2]);
      out.has_ports = true;
      std::size_t length = be16(&p[4]);
      std::span<const std::uint8_t> body = p.subspan(8);
      if (length >= 8 && length - 8 < body.size()) body = body.first(length - 8);
      out.payload = body;
      return decode_status::ok;
    }
    case ip_protocol::sctp: {
      if (p.size() < 12) return decode_status::malformed;
      out.src_port = be16(&p[0]);
      out.dst_port = be16(&p[2]);
      out.has_ports = true;
      out.payload = p.subspan(12);
      return decode_status::ok;
    }
    case ip_protocol::icmp:
    case ip_protocol::icmpv6: {
      if (p.size() < 4) return decode_status::malformed;
      out.src_port = p[0];  // type
      out.dst_port = p[1];  // code
      out.has_ports = true;
      out.payload = p.subspan(4);
      return decode_status::ok;
    }
    default: out.payload = p; return decode_status::ok;
  }
}

decode_status decode_ipv4(std::span<const std::uint8_t> p, decoded& out) {
  if (p.size() < 20 || (p[0] >> 4) != 4) return decode_status::malformed;
  std::size_t header = static_cast<std::size_t>(p[0] & 0x0f) * 4;
  std::size_t total = be16(&p[2]);
  if (header < 20 || header > p.size()) return decode_status::malformed;
  // TSO captures show a total length of 0; trust what was captured then.
  if (total == 0) total = p.size();
  if (total < header) return decode_status::malformed;
  out.ip_bytes = static_cast<std::uint32_t>(total);
  out.protocol = p[9];
  out.src.family = out.dst.family = 4;
  std::memcpy(out.src.bytes.data(), &p[12], 4);
  std::memcpy(out.dst.bytes.data(), &p[16], 4);
  std::uint16_t frag = be16(&p[6]);
  std::uint16_t offset = frag & 0x1fff;
  bool more = (frag & 0x2000) != 0;
  out.fragment = offset != 0 || more;
  std::span<const std::uint8_t> body = p.subspan(header, std::min(total, p.size()) - header);
  if (offset != 0) {  // a later fragment: no transport header here
    out.payload = {};
    return decode_status::ok;
  }
  decode_status s = decode_transport(body, out);
  // A first fragment cut inside its transport header is still an IP packet.
  if (s == decode_status::malformed && out.fragment) {
    out.has_ports = false;
    return decode_status::ok;
  }
  return s;
}

decode_status decode_ipv6(std::span<const std::uint8_t> p, decoded& out) {
  if (p.size() < 40 || (p[0] >> 4) != 6) return decode_status::malformed;
  std::size_t payload_length = be16(&p[4]);
  out.ip_bytes = static_cast<std::uint32_t>(payload_length + 40);
  out.src.family = out.dst.family = 6;
  std::memcpy(out.src.bytes.data(), &p[8], 16);
  std::memcpy(out.dst.bytes.data(), &p[24], 16);
  std::size_t end = payload_length == 0 ? p.size() : std::min(p.size(), payload_length + 40);
  std::uint8_t next = p[6];
  std::size_t at = 40;
  for (int hops = 0; is_ipv6_extension(next) && hops < 8; ++hops) {
    if (next == 59) break;
    if (at + 8 > end) return decode_status::malformed;
    std::uint8_t following = p[at];
    std::size_t length;
    if (next == 44) {  // fragment header
      length = 8;
      std::uint16_t frag = be16(&p[at + 2]);
      out.fragment = true;
      if ((frag & 0xfff8) != 0) {  // a later fragment
        out.protocol = following;
        out.payload = {};
        return decode_status::ok;
      }
    } else if (next == 51) {  // authentication header: length in 4-byte units
      length = (static_cast<std::size_t>(p[at + 1]) + 2) * 4;
    } else {
      length = (static_cast<std::size_t>(p[at + 1]) + 1) * 8;
    }
    at += length;
    next = following;
    if (at > end) return decode_status::malformed;
  }
  out.protocol = next;
  decode_status s = decode_transport(p.subspan(at, end - at), out);
  if (s == decode_status::malformed && out.fragment) {
    out.has_ports = false;
    return decode_status::ok;
  }
  return s;
}

decode_status decode_ethertype(std::uint16_t type, std::span<const std::uint8_t> p, decoded& out) {
  // VLAN tags, possibly stacked (QinQ).
  for (int tags = 0; type == ethertype_vlan || type == ethertype_qinq || type == ethertype_qinq_old;
       ++tags) {
    if (p.size() < 4 || tags >= 4) return decode_status::malformed;
    std::uint16_t id = be16(&p[0]) & 0x0fff;
    if (tags == 0) {
      out.vlan = id;
    } else if (tags == 1) {
      out.inner_vlan = id;
    }
    type = be16(&p[2]);
    p = p.subspan(4);
  }
  if (type == ethertype_ipv4) return decode_ipv4(p, out);
  if (type == ethertype_ipv6) return decode_ipv6(p, out);
  return decode_status::not_ip;
}

decode_status decode_by_version(std::span<const std::uint8_t> p, decoded& out) {
  if (p.empty()) return decode_status::malformed;
  if ((p[0] >> 4) == 4) return decode_ipv4(p, out);
  if ((p[0] >> 4) == 6) return decode_ipv6(p, out);
  return decode_status::not_ip;
}

}  // namespace

bool link_type_supported(int link_type) {
  switch (link_type) {
    case DLT_EN10MB:
    case DLT_RAW:
    case linktype_raw:
    case linktype_ipv4:
    case linktype_ipv6:
    case DLT_NULL:
    case DLT_LOOP:
    case DLT_LINUX_SLL:
    case linktype_linux_sll2: return true;
    default: return false;
  }
}

decode_status decode(int link_type, std::span<const std::uint8_t> frame, decoded& out) {
  out = decoded{};
  switch (link_type) {
    case DLT_EN10MB:
      if (frame.size() < 14) return decode_status::malformed;
      return decode_ethertype(be16(&frame[12]), frame.subspan(14), out);
    case DLT_RAW:
    case linktype_raw:
    case linktype_ipv4:
    case linktype_ipv6: return decode_by_version(frame, out);
    case DLT_NULL:
    case DLT_LOOP:  // a 4-byte address family in host or network order
      if (frame.size() < 4) return decode_status::malformed;
      return decode_by_version(frame.subspan(4), out);
    case DLT_LINUX_SLL:  // 16-byte header, protocol at 14
      if (frame.size() < 16) return decode_status::malformed;
      return decode_ethertype(be16(&frame[14]), frame.subspan(16), out);
    case linktype_linux_sll2:  // 20-byte header, protocol at 0
      if (frame.size() < 20) return decode_status::malformed;
      return decode_ethertype(be16(&frame[0]), frame.subspan(20), out);
    default: return decode_status::unsupported;
  }
}

void append_address(std::string& out, const address& a) {
  if (a.family == 4) {  // by hand: inet_ntop goes through sprintf
    char text[16];
    char* p = text;
    for (int i = 0; i < 4; ++i) {
      unsigned v = a.bytes[static_cast<std::size_t>(i)];
      if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
      if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
      *p++ = static_cast<char>('0' + v % 10);
      if (i < 3) *p++ = '.';
    }
    out.append(text, static_cast<std::size_t>(p - text));
    return;
  }
  char text[INET6_ADDRSTRLEN];
  const char* s = inet_ntop(a.family == 4 ? AF_INET : AF_INET6, a.bytes.data(), text, sizeof text);
  if (s != nullptr) out.append(s);
}

}  // namespace mimamori::pcap
