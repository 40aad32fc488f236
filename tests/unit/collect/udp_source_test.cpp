// Tests for collect/udp_source.hpp: datagrams from a real socket on
// 127.0.0.1 (and ::1 where the host has IPv6).
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>

#include <string>

#include "collect/udp_source.hpp"
#include "tcp_harness.hpp"

using namespace mimamori;
using testing::count_of;

namespace {

int send_datagrams(int family, std::uint16_t port, std::initializer_list<std::string_view> texts) {
  int fd = ::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_storage to{};
  socklen_t length = 0;
  if (family == AF_INET) {
    auto& a = reinterpret_cast<sockaddr_in&>(to);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    length = sizeof a;
  } else {
    auto& a = reinterpret_cast<sockaddr_in6&>(to);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_loopback;
    length = sizeof a;
  }
  for (auto t : texts)
    ::sendto(fd, t.data(), t.size(), 0, reinterpret_cast<sockaddr*>(&to), length);
  return fd;  // the caller reads its port, then closes it
}

std::uint16_t port_of(int fd) {
  sockaddr_storage a{};
  socklen_t l = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &l);
  return ntohs(a.ss_family == AF_INET ? reinterpret_cast<sockaddr_in&>(a).sin_port
                                      : reinterpret_cast<sockaddr_in6&>(a).sin6_port);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(udp_source_tests)

BOOST_AUTO_TEST_CASE(takes_one_datagram_as_one_message_with_its_sender) {
  testing::source_harness h;
  collect::udp_source src({"127.0.0.1", 0}, {}, h.stop_signal());
  h.start(src);
  std::string nul("<13>with NUL\0", 13);
  int fd = send_datagrams(AF_INET, src.port(), {"<13>one\n", "<13>two\nlines", nul, ""});
  std::string sender = "\"address\":\"127.0.0.1:" + std::to_string(port_of(fd)) + "\"";
  ::close(fd);
  // the stop reads what the kernel holds first
  h.stop();
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>one\"") == 1U);
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>two\\nlines\"") == 1U);
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>with NUL\"") == 1U);
  BOOST_TEST(count_of(h.records(), sender) == 4U);
  BOOST_TEST(count_of(h.records(), "\"input\":{\"type\":\"udp\"}") == 4U);
  BOOST_TEST(src.counters().received == 4U);
  BOOST_TEST(src.counters().dropped == 0U);
}

BOOST_AUTO_TEST_CASE(listens_on_ipv6_and_ipv4_with_one_socket) {
  testing::source_harness h;
  std::unique_ptr<collect::udp_source> src;
  try {
    src = std::make_unique<collect::udp_source>(syslog::endpoint{"", 0}, collect::source_tags{},
                                                h.stop_signal());
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE("no socket on every address here: " << e.what());
    return;
  }
  h.start(*src);
  ::close(send_datagrams(AF_INET, src->port(), {"<13>over IPv4"}));
  int fd6 = send_datagrams(AF_INET6, src->port(), {"<13>over IPv6"});
  ::close(fd6);
  h.stop();
  BOOST_TEST(count_of(h.records(), "\"observer\":{\"ip\":\"127.0.0.1\"}") == 1U);
  if (src->describe().find("[::]") != std::string::npos) {
    BOOST_TEST(count_of(h.records(), "\"observer\":{\"ip\":\"::1\"}") == 1U);
  }
}

BOOST_AUTO_TEST_CASE(reads_endpoints_as_users_write_them) {
  std::string error;
  auto a = syslog::parse_endpoint("514", error);
  BOOST_TEST((a && a->host.empty() && a->port == 514));
  auto b = syslog::parse_endpoint("[::1]:5514", error);
  BOOST_TEST((b && b->host == "::1" && b->port == 5514));
  auto c = syslog::parse_endpoint("0.0.0.0:514", error);
  BOOST_TEST((c && c->host == "0.0.0.0" && c->port == 514));
  for (const char* bad : {"", "x", "70000", "::1:514", "[::1]514", ":514", "1.2.3.4:"}) {
    BOOST_TEST(!syslog::parse_endpoint(bad, error), bad);
  }
}

BOOST_AUTO_TEST_SUITE_END()
