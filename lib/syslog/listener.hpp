// listener: the sockets syslog arrives on, and how their addresses read.
//
// An endpoint is written `[ADDR:]PORT`: `5514` listens on every address,
// IPv6 and IPv4 alike (one dual-stack socket, or IPv4 only where the host
// has no IPv6); `0.0.0.0:514`, `127.0.0.1:5514`, `[::1]:5514` or
// `localhost:5514` listen on that address only. Port 0 takes a free port
// (local_address() tells which).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mimamori::syslog {

struct endpoint {
  std::string host;  // empty: every address
  std::uint16_t port = 0;
};

// The endpoint that `text` names, or nullopt with the reason in `error`.
std::optional<endpoint> parse_endpoint(std::string_view text, std::string& error);

enum class transport { udp, tcp };

// A bound (and for TCP listening) non-blocking, close-on-exec socket.
// Throws std::runtime_error naming the endpoint and the reason.
int open_listener(const endpoint& where, transport how);

// A sender's address as text: IPv4-mapped IPv6 addresses read as IPv4.
struct peer_address {
  char ip[46] = {};  // INET6_ADDRSTRLEN
  std::uint16_t port = 0;
};
bool read_peer(const sockaddr_storage& address, peer_address& out);

// "127.0.0.1:5514", "[::]:5514": where a socket is bound.
std::string local_address(int fd);
std::uint16_t local_port(int fd);
// "192.0.2.1:514", "[2001:db8::1]:514"
std::string address_text(std::string_view ip, std::uint16_t port);

}  // namespace mimamori::syslog
