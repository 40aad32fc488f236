// decoder: one captured frame down to its transport payload.
//
// Link layers: Ethernet (with 802.1Q / 802.1ad VLAN tags, QinQ), raw IP,
// BSD loopback (DLT_NULL, DLT_LOOP), Linux cooked captures (SLL, SLL2).
// Network: IPv4 and IPv6 (extension headers skipped). Transport: TCP, UDP,
// ICMP and ICMPv6; other protocols keep their addresses and protocol number.
// IP fragments are not reassembled: a first fragment is decoded as far as it
// goes, a later fragment counts for its flow without a transport header.
// Nothing is allocated: the result points into the frame.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace mimamori::pcap {

// An IPv4 or IPv6 address; IPv4 is kept in the first 4 bytes.
struct address {
  std::array<std::uint8_t, 16> bytes{};
  std::uint8_t family = 0;  // 4 or 6

  [[nodiscard]] std::size_t size() const { return family == 4 ? 4 : 16; }
  friend bool operator==(const address&, const address&) = default;
};

// Appends the usual text form (dotted quad, RFC 5952 for IPv6).
void append_address(std::string& out, const address& a);

namespace ip_protocol {
inline constexpr std::uint8_t icmp = 1;
inline constexpr std::uint8_t tcp = 6;
inline constexpr std::uint8_t udp = 17;
inline constexpr std::uint8_t icmpv6 = 58;
inline constexpr std::uint8_t sctp = 132;
}  // namespace ip_protocol

namespace tcp_flag {
inline constexpr std::uint8_t fin = 0x01;
inline constexpr std::uint8_t syn = 0x02;
inline constexpr std::uint8_t rst = 0x04;
inline constexpr std::uint8_t ack = 0x10;
}  // namespace tcp_flag

enum class decode_status {
  ok,           // an IP packet (maybe without transport header: see has_ports)
  not_ip,       // ARP, LLDP, STP...: nothing for us
  unsupported,  // a link type we do not decode
  malformed,    // headers cut short or inconsistent
};

struct decoded {
  address src;
  address dst;
  std::uint8_t protocol = 0;   // IP protocol number
  bool has_ports = false;      // TCP/UDP/SCTP ports (or ICMP type/code) are valid
  std::uint16_t src_port = 0;  // ICMP: type
  std::uint16_t dst_port = 0;  // ICMP: code
  std::uint8_t tcp_flags = 0;
  std::uint32_t tcp_seq = 0;
  std::uint32_t ip_bytes = 0;             // length of the IP packet as sent (headers included)
  std::uint16_t vlan = 0;                 // outer VLAN id, 0 if none
  std::uint16_t inner_vlan = 0;           // inner VLAN id (QinQ), 0 if none
  bool fragment = false;                  // part of a fragmented IP packet
  std::span<const std::uint8_t> payload;  // transport payload as captured
};

// Decodes a captured frame of the given pcap link type (DLT_*); the
// captured part may be shorter than the frame was on the wire.
decode_status decode(int link_type, std::span<const std::uint8_t> frame, decoded& out);

// true for the link types decode() understands.
[[nodiscard]] bool link_type_supported(int link_type);

}  // namespace mimamori::pcap
