#include "pcap/community_id.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "ndjson/json_text.hpp"

namespace mimamori::pcap {

namespace {

// The counterpart of an ICMP type (request <-> reply); -1 for one-way types.
int icmp_counterpart(std::uint16_t type) {
  switch (type) {
    case 8: return 0;
    case 0: return 8;
    case 13: return 14;
    case 14: return 13;
    case 15: return 16;
    case 16: return 15;
    case 10: return 9;
    case 9: return 10;
    case 17: return 18;
    case 18: return 17;
    default: return -1;
  }
}

int icmpv6_counterpart(std::uint16_t type) {
  switch (type) {
    case 128: return 129;
    case 129: return 128;
    case 130: return 131;
    case 131: return 130;
    case 133: return 134;
    case 134: return 133;
    case 135: return 136;
    case 136: return 135;
    case 139: return 140;
    case 140: return 139;
    case 144: return 145;
    case 145: return 144;
    default: return -1;
  }
}

}  // namespace

void append_community_id(std::string& out, const address& src, const address& dst,
                         std::uint8_t protocol, bool has_ports, std::uint16_t src_port,
                         std::uint16_t dst_port, std::uint16_t seed) {
  const address* a = &src;
  const address* b = &dst;
  std::uint16_t pa = src_port;
  std::uint16_t pb = dst_port;
  bool one_way = false;
  if (has_ports && (protocol == ip_protocol::icmp || protocol == ip_protocol::icmpv6)) {
    int other =
        protocol == ip_protocol::icmp ? icmp_counterpart(src_port) : icmpv6_counterpart(src_port);
    if (other >= 0) {
      pb = static_cast<std::uint16_t>(other);
    } else {
      one_way = true;  // type and code stay as they are
    }
  }
  if (!one_way) {
    int order = std::memcmp(a->bytes.data(), b->bytes.data(), a->size());
    if (order > 0 || (order == 0 && pa > pb)) {
      std::swap(a, b);
      std::swap(pa, pb);
    }
  }
  unsigned char input[2 + 16 + 16 + 2 + 4];
  std::size_t n = 0;
  input[n++] = static_cast<unsigned char>(seed >> 8);
  input[n++] = static_cast<unsigned char>(seed & 0xff);
  std::memcpy(input + n, a->bytes.data(), a->size());
  n += a->size();
  std::memcpy(input + n, b->bytes.data(), b->size());
  n += b->size();
  input[n++] = protocol;
  input[n++] = 0;
  if (has_ports) {
    input[n++] = static_cast<unsigned char>(pa >> 8);
    input[n++] = static_cast<unsigned char>(pa & 0xff);
    input[n++] = static_cast<unsigned char>(pb >> 8);
    input[n++] = static_cast<unsigned char>(pb & 0xff);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input, n, digest, &length, EVP_sha1(), nullptr) != 1) return;
  out.append("1:");
  ndjson::append_base64(out, std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace mimamori::pcap
