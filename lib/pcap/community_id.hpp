// community_id: the Community ID v1 flow hash (corelight/community-id-spec),
// so flows and protocol events join with Zeek's and Suricata's records.
//
//   "1:" + base64(SHA-1(seed, src ip, dst ip, proto, 0, src port, dst port))
//
// with the endpoints ordered (smaller address, then port, first) and ICMP
// types mapped to their request/reply counterparts as the spec says.
#pragma once

#include <cstdint>
#include <string>

#include "pcap/decoder.hpp"

namespace mimamori::pcap {

void append_community_id(std::string& out, const address& src, const address& dst,
                         std::uint8_t protocol, bool has_ports, std::uint16_t src_port,
                         std::uint16_t dst_port, std::uint16_t seed = 0);

}  // namespace mimamori::pcap
