// batch: records a source hands to logcollect's output, many at a time.
//
// Sources run in threads of their own; passing whole batches (a few hundred
// KiB of NDJSON text) instead of single records keeps the hand-off cost per
// record near zero. Rejected input travels in the same batch as
// pipeline_error records, so the output side can send it to the stream or
// to --dead-letter without knowing where it came from.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace mimamori::collect {

class position_keeper;  // collect/checkpoint.hpp

struct batch {
  std::string records;  // NDJSON lines, each ending in "\n"
  std::string rejects;  // pipeline_error records, each ending in "\n"
  std::uint64_t record_count = 0;
  std::uint64_t reject_count = 0;
  // Sources that keep positions across restarts (followed files): where they
  // stand once this batch is written (checkpoint marks), and who keeps them.
  // The output writes such a batch at once, between keeper->writing() and
  // keeper->written().
  position_keeper* keeper = nullptr;
  std::string positions;

  static constexpr std::size_t full_size = 256 * 1024;
  [[nodiscard]] bool full() const { return records.size() + rejects.size() >= full_size; }
  [[nodiscard]] bool empty() const { return record_count == 0 && reject_count == 0; }
  void clear() {
    records.clear();
    rejects.clear();
    record_count = reject_count = 0;
    keeper = nullptr;
    positions.clear();
  }
};

// A bounded queue of batches between the sources and the output. push()
// waits while the queue is full: that is the back-pressure that makes a TCP
// source stop reading instead of dropping.
class batch_queue {
 public:
  explicit batch_queue(std::size_t capacity = 64) : capacity_(capacity) {}

  // Hands over b (leaving it empty, with its buffers kept for reuse when the
  // output returns one). Returns false if the queue was closed.
  bool push(batch& b);
  // The next batch; false once the queue is closed and empty.
  bool pop(batch& out);
  enum class wait { got, timeout, done };
  // As pop(), but gives up at `deadline` (for periodic work such as metrics).
  wait pop_until(batch& out, std::chrono::steady_clock::time_point deadline);
  // Batches waiting: none means the output has caught up and should flush.
  [[nodiscard]] bool waiting();
  // No more pops will come (the output failed): wake and refuse producers.
  void close();
  // A producer is done; when all are done, pop() drains and then ends.
  void producer_started();
  void producer_finished();

 private:
  std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<batch> queue_;
  std::deque<batch> spare_;  // emptied batches whose buffers are reused
  std::size_t capacity_;
  int producers_ = 0;
  bool closed_ = false;
};

}  // namespace mimamori::collect
