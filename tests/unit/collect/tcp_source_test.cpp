// Tests for collect/tcp_source.hpp: real connections on 127.0.0.1 to a
// listener on a free port, run as logcollect runs it (a thread, a queue).
#include <boost/test/unit_test.hpp>

#include <poll.h>

#include <string>
#include <vector>

#include "collect/tcp_source.hpp"
#include "tcp_harness.hpp"

using namespace mimamori;
using testing::connect_tcp;
using testing::count_of;
using testing::send_all;

namespace {

syslog::endpoint loopback() {
  return {"127.0.0.1", 0};
}

std::string oc(std::string_view m) {
  return std::to_string(m.size()) + " " + std::string(m);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tcp_source_tests)

BOOST_AUTO_TEST_CASE(reads_both_framings_from_several_connections_at_once) {
  testing::source_harness h;
  collect::tcp_source src(loopback(), {}, nullptr, h.stop_signal());
  h.start(src);
  int a = connect_tcp(src.port());
  int b = connect_tcp(src.port());
  BOOST_REQUIRE(a >= 0 && b >= 0);
  BOOST_TEST(send_all(a, oc("<13>a1") + "<13>a2\n"));
  BOOST_TEST(send_all(b, "<13>b1\n" + oc("<13>b2")));
  BOOST_TEST(send_all(a, oc("<13>a3")));
  ::close(a);
  ::close(b);
  h.stop();
  BOOST_TEST(h.ok());
  for (const char* m : {"a1", "a2", "a3", "b1", "b2"}) {
    BOOST_TEST(count_of(h.records(), std::string("\"original\":\"<13>") + m + "\"") == 1U,
               "message " << m);
  }
  BOOST_TEST(count_of(h.records(), "\"input\":{\"type\":\"tcp\"}") == 5U);
  BOOST_TEST(count_of(h.records(), "\"observer\":{\"ip\":\"127.0.0.1\"}") == 5U);
  BOOST_TEST(h.rejects().empty());
  BOOST_TEST(src.counters().reconnects == 2U);
}

BOOST_AUTO_TEST_CASE(rejects_bytes_after_a_wrong_octet_count_naming_the_connection) {
  testing::source_harness h;
  collect::tcp_source src(loopback(), {}, nullptr, h.stop_signal());
  h.start(src);
  int a = connect_tcp(src.port());
  BOOST_TEST(send_all(a, oc("<13>good") + "5 <13>hello world" + oc("<13>after")));
  ::close(a);
  h.stop();
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>good\"") == 1U);
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>after\"") == 1U);
  BOOST_TEST(count_of(h.rejects(), "\"original\":\"ello world\"") == 1U);
  BOOST_TEST(count_of(h.rejects(), "\"name\":\"tcp client 127.0.0.1:") == 1U);
  BOOST_TEST(count_of(h.rejects(), "\"type\":\"bad_frame\"") == 1U);
  BOOST_TEST(src.counters().rejected == 1U);
}

BOOST_AUTO_TEST_CASE(keeps_what_a_peer_sent_before_it_closed_mid_frame) {
  testing::source_harness h;
  collect::tcp_source src(loopback(), {}, nullptr, h.stop_signal());
  h.start(src);
  int a = connect_tcp(src.port());
  BOOST_TEST(send_all(a, "<13>an LF line cut short"));
  ::close(a);
  int b = connect_tcp(src.port());
  BOOST_TEST(send_all(b, "40 <13>an octet frame cut short"));
  ::close(b);
  h.stop();
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>an LF line cut short\"") == 1U);
  BOOST_TEST(count_of(h.rejects(), "\"original\":\"<13>an octet frame cut short\"") == 1U);
  BOOST_TEST(count_of(h.rejects(), "\"type\":\"partial_frame\"") == 1U);
}

BOOST_AUTO_TEST_CASE(cuts_an_oversize_message_and_goes_on) {
  testing::source_harness h;
  collect::tcp_source src(loopback(), {}, nullptr, h.stop_signal(), 1024);
  h.start(src);
  int a = connect_tcp(src.port());
  std::string big = "<13>" + std::string(10 * 1024 * 1024, 'x');
  BOOST_TEST(send_all(a, oc(big) + "<13>" + std::string(5000, 'y') + "\n<13>after\n"));
  ::close(a);
  h.stop();
  BOOST_TEST(count_of(h.records(), "\"tags\":[\"truncated\"]") == 2U);
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>after\"") == 1U);
  BOOST_TEST(count_of(h.rejects(), "\"type\":\"too_long\"") == 2U);
  BOOST_TEST(count_of(h.rejects(), "octet count 10485764 over the limit of 1024 bytes") == 1U);
}

BOOST_AUTO_TEST_CASE(stops_with_idle_peers_and_keeps_what_they_sent) {
  testing::source_harness h;
  collect::tcp_source src(loopback(), {}, nullptr, h.stop_signal());
  h.start(src);
  std::vector<int> idle;
  for (int i = 0; i < 100; ++i) idle.push_back(connect_tcp(src.port()));
  int a = connect_tcp(src.port());
  BOOST_TEST(send_all(a, "<13>no LF yet"));
  h.stop();  // returns although every peer is still connected
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>no LF yet\"") == 1U);
  for (int fd : idle) ::close(fd);
  ::close(a);
}

// With the output stalled, the source stops reading: the sender's socket
// fills (EAGAIN) instead of messages being dropped; all arrive afterwards.
BOOST_AUTO_TEST_CASE(pushes_back_on_the_sender_when_the_output_is_behind) {
  testing::source_harness h(1);
  collect::tcp_source src(loopback(), {}, nullptr, h.stop_signal());
  h.start(src, false);
  int a = connect_tcp(src.port());
  ::fcntl(a, F_SETFL, O_NONBLOCK);
  constexpr int total = 400'000;
  std::string pending;
  int next = 0;
  bool blocked = false;
  while (next < total || !pending.empty()) {
    if (pending.empty()) pending = "<13>message " + std::to_string(next++) + "\n";
    ssize_t n = ::send(a, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (n > 0) {
      pending.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    BOOST_REQUIRE(errno == EAGAIN);
    if (!blocked) {
      blocked = true;
      h.start_consuming();  // now let the output move
    }
    pollfd p{a, POLLOUT, 0};
    ::poll(&p, 1, 1000);
  }
  ::close(a);
  BOOST_TEST(blocked);
  h.stop();
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>message ") == std::size_t{total});
  BOOST_TEST(count_of(h.records(), "\"original\":\"<13>message 399999\"") == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
