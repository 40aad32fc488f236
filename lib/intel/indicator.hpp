// indicator: the kinds of indicator the store holds, and the one canonical
// text form of each, used both when a feed is loaded and when an event's
// field is looked up, so the two always meet.
//
//   domain   lowercase ASCII, no trailing dot ("Evil.Example." -> "evil.example")
//   ip       a 16-byte address (IPv4 as ::ffff:a.b.c.d) and a prefix length in
//            that 128-bit space (an IPv4 /24 is 96+24); host bits are cleared
//   url      scheme and host lowercased, userinfo and fragment dropped, the
//            scheme's default port dropped, an empty path written "/":
//            "HTTP://Evil.Example:80" -> "http://evil.example/". A feed URL
//            without a scheme ("evil.example/x") is kept without one and is
//            matched against any scheme.
//   md5, sha1, sha256   lowercase hex of the right length
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mimamori::intel {

enum class indicator_type : std::uint8_t { domain, ip, url, md5, sha1, sha256 };
inline constexpr std::size_t indicator_type_count = 6;

// The ECS `threat.indicator.type` of an indicator ("domain-name", "ipv4-addr",
// "ipv6-addr", "url", "file").
[[nodiscard]] std::string_view ecs_type(indicator_type type, bool ipv4);
// Our own short name, used in messages and counters ("domain", "ip", ...).
[[nodiscard]] std::string_view type_name(indicator_type type);
// Parses a name given as `TYPE:` or in a feed column ("domain", "ip",
// "url", "md5", "sha1", "sha256"); empty for anything else.
[[nodiscard]] std::optional<indicator_type> parse_type_name(std::string_view name);

struct ip_prefix {
  std::array<std::uint8_t, 16> address{};  // IPv4 as ::ffff:a.b.c.d
  std::uint8_t length = 128;               // prefix length in the 128-bit space
  [[nodiscard]] bool is_v4() const;
  // "192.0.2.1", "192.0.2.0/24", "2001:db8::/32": the exact address has no "/".
  [[nodiscard]] std::string text() const;
};

// An address "192.0.2.1" / "2001:db8::1" (IPv6 may be bracketed, an IPv4 may
// carry ":port"), or a CIDR block "192.0.2.0/24" whose host bits are cleared.
[[nodiscard]] std::optional<ip_prefix> parse_ip_prefix(std::string_view text);
// A single address only (no "/"): what event fields hold.
[[nodiscard]] std::optional<ip_prefix> parse_ip_address(std::string_view text);
// The fast path for what event fields mostly hold: a dotted-quad IPv4
// address alone ("192.0.2.1": four numbers of one to three decimal digits,
// each at most 255, and nothing else) read as a number (192.0.2.1 is
// 0xc0000201). False for anything else, including the other forms
// parse_ip_address reads (":port", spaces, IPv6): ask it then. When this
// accepts a text, parse_ip_address reads it as the same IPv4 address.
[[nodiscard]] bool parse_dotted_quad(std::string_view text, std::uint32_t& out);
// Clears the bits past `length`.
void mask(ip_prefix& prefix);

// Canonical domain, or empty when the text is not a host name: labels of
// letters, digits, '-' and '_' (and bytes >= 0x80, for IDNs not in punycode)
// separated by single dots, at most 253 characters.
[[nodiscard]] std::optional<std::string> normalize_domain(std::string_view text);
// Appends the canonical form of a URL to `out`; false (out unchanged) when it
// is not one. `require_scheme` false accepts "host/path" without a scheme.
bool normalize_url(std::string_view text, std::string& out, bool require_scheme = true);
// The host part of a canonical URL ("http://a.b:81/x" -> "a.b").
[[nodiscard]] std::string_view url_host(std::string_view canonical_url);
// Canonical hash and its type by length (32, 40, 64 hex digits).
[[nodiscard]] std::optional<indicator_type> normalize_hash(std::string_view text, std::string& out);

// What a bare token in a list looks like: an address or CIDR, a URL, a hash,
// a domain; empty when it is none of them.
struct detected {
  indicator_type type;
  std::string value;  // canonical text (for ip: ip_prefix::text())
  ip_prefix ip;       // for type ip
};
[[nodiscard]] std::optional<detected> detect(std::string_view token);
// The value read as the given type, canonical; empty when it is not one.
[[nodiscard]] std::optional<detected> read_as(indicator_type type, std::string_view token);

}  // namespace mimamori::intel
