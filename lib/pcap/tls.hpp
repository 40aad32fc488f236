// tls: the ClientHello that opens a TLS connection (RFC 8446 4.1.2).
//
// parse_client_hello reads the start of a client's byte stream: TLS
// records of type handshake, whose fragments are joined until the whole
// ClientHello is there (it may span records as well as TCP segments). It
// keeps what SNI and JA3 need: the legacy version, cipher suites, extension
// types in order, supported groups, EC point formats, the server name and
// the supported versions. The object is reused: vectors keep capacity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mimamori::pcap {

struct tls_client_hello {
  std::uint16_t legacy_version = 0;
  std::vector<std::uint16_t> cipher_suites;
  std::vector<std::uint16_t> extensions;
  std::vector<std::uint16_t> supported_groups;
  std::vector<std::uint8_t> ec_point_formats;
  std::vector<std::uint16_t> supported_versions;
  std::string server_name;
  std::string handshake;  // the joined handshake bytes (scratch)

  // The highest version the client offers: supported_versions if present
  // (GREASE skipped), else legacy_version.
  [[nodiscard]] std::uint16_t highest_version() const;
};

enum class tls_status { ok, need_more, not_tls };

// `stream` is the client's bytes from the start of the connection.
tls_status parse_client_hello(std::string_view stream, tls_client_hello& out);

// true if the stream may start with a TLS handshake record.
[[nodiscard]] bool looks_like_tls(std::string_view start);

// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa.
[[nodiscard]] constexpr bool is_grease(std::uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

// "1.0", "1.2", "1.3" for TLS; "3.0" for SSL 3; empty if unknown.
[[nodiscard]] std::string_view tls_version_text(std::uint16_t version);
[[nodiscard]] std::string_view tls_version_protocol(std::uint16_t version);

}  // namespace mimamori::pcap
