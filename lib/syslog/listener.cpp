#include "syslog/listener.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace mimamori::syslog {

std::optional<endpoint> parse_endpoint(std::string_view text, std::string& error) {
  endpoint e;
  std::string_view port = text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = "'" + std::string(text) + "': write an IPv6 address as [ADDR]:PORT";
      return std::nullopt;
    }
    e.host = std::string(text.substr(1, close - 1));
    port = text.substr(close + 2);
  } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) {
      error = "'" + std::string(text) + "': write an IPv6 address as [ADDR]:PORT";
      return std::nullopt;
    }
    e.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    error = "'" + std::string(text) + "': expected [ADDR:]PORT with a port from 0 to 65535";
    return std::nullopt;
  }
  if (!text.empty() && text.front() != '[' && e.host.empty() && port.size() != text.size()) {
    error = "'" + std::string(text) + "': the address before ':' is empty";
    return std::nullopt;
  }
  e.port = static_cast<std::uint16_t>(value);
  return e;
}

namespace {

std::string endpoint_text(const endpoint& e) {
  if (e.host.empty()) return std::to_string(e.port);
  return address_text(e.host, e.port);
}

int try_open(const sockaddr* address, socklen_t length, int family, transport how, bool dual_stack,
             std::string& error) {
  int type = (how == transport::udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;
  int fd = ::socket(family, type, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return -1;
  }
  int one = 1;
  if (how == transport::tcp) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (family == AF_INET6) {
    int v6only = dual_stack ? 0 : 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  if (::bind(fd, address, length) != 0 || (how == transport::tcp && ::listen(fd, SOMAXCONN) != 0)) {
    error = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int open_listener(const endpoint& where, transport how) {
  std::string what = std::string(how == transport::udp ? "udp " : "tcp ") + endpoint_text(where);
  std::string error;
  if (where.host.empty()) {  // every address: dual stack, else IPv4
    sockaddr_in6 any6{};
    any6.sin6_family = AF_INET6;
    any6.sin6_addr = in6addr_any;
    any6.sin6_port = htons(where.port);
    int fd = try_open(reinterpret_cast<sockaddr*>(&any6), sizeof any6, AF_INET6, how, true, error);
    if (fd >= 0) return fd;
    if (errno != EAFNOSUPPORT) throw std::runtime_error(what + ": cannot listen: " + error);
    sockaddr_in any4{};
    any4.sin_family = AF_INET;
    any4.sin_addr.s_addr = htonl(INADDR_ANY);
    any4.sin_port = htons(where.port);
    fd = try_open(reinterpret_cast<sockaddr*>(&any4), sizeof any4, AF_INET, how, false, error);
    if (fd >= 0) return fd;
    throw std::runtime_error(what + ": cannot listen: " + error);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = how == transport::udp ? SOCK_DGRAM : SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(where.port);
  int rc = ::getaddrinfo(where.host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) throw std::runtime_error(what + ": cannot resolve the address: " + gai_strerror(rc));
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = try_open(a->ai_addr, a->ai_addrlen, a->ai_family, how, false, error);
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw std::runtime_error(what + ": cannot listen: " + error);
  return fd;
}

bool read_peer(const sockaddr_storage& address, peer_address& out) {
  if (address.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &a.sin_addr, out.ip, sizeof out.ip);
    out.port = ntohs(a.sin_port);
    return true;
  }
  if (address.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
    if (IN6_IS_ADDR_V4MAPPED(&a.sin6_addr)) {
      ::inet_ntop(AF_INET, &a.sin6_addr.s6_addr[12], out.ip, sizeof out.ip);
    } else {
      ::inet_ntop(AF_INET6, &a.sin6_addr, out.ip, sizeof out.ip);
    }
    out.port = ntohs(a.sin6_port);
    return true;
  }
  out.ip[0] = '\0';
  out.port = 0;
  return false;
}

std::string address_text(std::string_view ip, std::uint16_t port) {
  std::string s;
  if (ip.find(':') != std::string_view::npos) {
    s.append("[").append(ip).append("]");
  } else {
    s.append(ip);
  }
  return s + ":" + std::to_string(port);
}

std::string local_address(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "?";
  peer_address p;
  if (address.ss_family == AF_INET6) {  // show [::] as it is, not as IPv4
    const auto& a = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &a.sin6_addr, p.ip, sizeof p.ip);
    return address_text(p.ip, ntohs(a.sin6_port));
  }
  read_peer(address, p);
  return address_text(p.ip, p.port);
}

std::uint16_t local_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  peer_address p;
  read_peer(address, p);
  return p.port;
}

}  // namespace mimamori::syslog
