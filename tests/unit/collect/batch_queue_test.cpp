#include "collect/batch.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

using namespace mimamori;
using namespace std::chrono_literals;

namespace {
collect::batch make(const std::string& text) {
  collect::batch b;
  b.records = text;
  b.record_count = 1;
  return b;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(batch_queue)

BOOST_AUTO_TEST_CASE(hands_batches_over_in_order_and_ends_when_producers_are_done) {
  collect::batch_queue q(4);
  q.producer_started();
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) {
      auto b = make(std::to_string(i) + "\n");
      BOOST_REQUIRE(q.push(b));
      BOOST_REQUIRE(b.empty());  // handed over, left empty for reuse
    }
    q.producer_finished();
  });
  collect::batch got;
  int expected = 0;
  while (q.pop(got)) {
    BOOST_TEST(got.records == std::to_string(expected) + "\n");
    ++expected;
  }
  producer.join();
  BOOST_TEST(expected == 100);
}

BOOST_AUTO_TEST_CASE(blocks_a_producer_while_the_queue_is_full) {
  collect::batch_queue q(2);
  q.producer_started();
  std::atomic<int> pushed{0};
  std::thread producer([&] {
    for (int i = 0; i < 3; ++i) {
      auto b = make("x\n");
      q.push(b);
      ++pushed;
    }
    q.producer_finished();
  });
  // The third push waits for room: back-pressure, not a drop.
  while (pushed.load() < 2) std::this_thread::yield();
  std::this_thread::sleep_for(50ms);
  BOOST_TEST(pushed.load() == 2);
  collect::batch got;
  BOOST_TEST(q.pop(got));
  producer.join();
  BOOST_TEST(pushed.load() == 3);
}

BOOST_AUTO_TEST_CASE(pop_until_times_out_when_nothing_comes) {
  collect::batch_queue q;
  q.producer_started();
  collect::batch got;
  auto w = q.pop_until(got, std::chrono::steady_clock::now() + 20ms);
  BOOST_TEST((w == collect::batch_queue::wait::timeout));
  q.producer_finished();
  w = q.pop_until(got, std::chrono::steady_clock::now() + 20ms);
  BOOST_TEST((w == collect::batch_queue::wait::done));
}

BOOST_AUTO_TEST_CASE(refuses_producers_once_closed) {
  collect::batch_queue q(1);
  q.producer_started();
  auto first = make("a\n");
  BOOST_TEST(q.push(first));
  std::thread producer([&] {
    auto b = make("b\n");
    BOOST_TEST(!q.push(b));  // waiting for room, then refused
  });
  std::this_thread::sleep_for(20ms);
  q.close();
  producer.join();
  BOOST_TEST(q.waiting());
}

BOOST_AUTO_TEST_SUITE_END()
