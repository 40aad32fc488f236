// scan: small text scanners the parsers share (no allocation, no throw).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "parsers/fields.hpp"

namespace mimamori::parsers {

[[nodiscard]] constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A whole decimal number (optionally signed); empty for anything else.
// Inline: parsers call it for every port, count and byte total.
[[nodiscard]] inline std::optional<std::int64_t> to_int(std::string_view t) {
  if (t.empty() || t.size() > 18) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (t[0] == '-' || t[0] == '+') {
    negative = t[0] == '-';
    i = 1;
    if (t.size() == 1) return std::nullopt;
  }
  std::int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return std::nullopt;
    v = v * 10 + (t[i] - '0');
  }
  return negative ? -v : v;
}
// An IPv4 or IPv6 address (an IPv6 zone "%eth0" is allowed).
[[nodiscard]] bool is_ip(std::string_view text);

// The first byte of [p, end) that is `a` or `b`; `end` when there is none.
// Reads 16 bytes at a time (SSE2) but never past `end`.
[[nodiscard]] const char* find_either(const char* p, const char* end, char a, char b) noexcept;

// The first place at or after `from` where `needle` occurs in `text`, or
// npos: what text.find(needle, from) says. Candidates are the places where
// the needle's first and last bytes both match, found 16 at a time (SSE2);
// only those are compared in full. For markers that start with a common
// byte (a blank): find() stops at each of those; for a rare first byte its
// memchr is the faster.
[[nodiscard]] std::size_t find_text(std::string_view text, std::string_view needle,
                                    std::size_t from = 0) noexcept;

// Cuts the text up to `delimiter` off the front of `s` (all of it when the
// delimiter is absent) and returns it.
std::string_view take_until(std::string_view& s, char delimiter);
[[nodiscard]] inline bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
// True and removes `prefix` when `s` starts with it. Inline, so that a
// literal prefix compares as a constant.
inline bool consume(std::string_view& s, std::string_view prefix) {
  if (!starts_with(s, prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// key=value pairs separated by blanks; values may be "double quoted" (with
// \" inside). Call with pos = 0 and repeat while it returns true.
struct kv_pair {
  std::string_view key;
  std::string_view value;  // without the quotes
  bool quoted = false;
};
bool next_kv(std::string_view text, std::size_t& pos, kv_pair& out);

// Sets `<prefix>.ip` and `<prefix>.port` and adds the ip to related.ip.
// Paths must be literals: prefix is one of source, destination,
// source.nat, destination.nat, client, server.
void set_endpoint(fields& out, std::string_view prefix, std::string_view ip, std::string_view port);
// The lowercased copy of a word (ASCII), into the arena.
void set_lower(fields& out, std::string_view path, std::string_view value);

// "ip/port" or "ip:port" split (IPv6 addresses use the "/" form).
bool split_ip_port(std::string_view text, char separator, std::string_view& ip,
                   std::string_view& port);

// url.original and, from it, url.scheme, domain, port, path and query.
// A URL without a scheme ("/index.html?a=1") sets path and query only.
void set_url(fields& out, std::string_view url);

}  // namespace mimamori::parsers
