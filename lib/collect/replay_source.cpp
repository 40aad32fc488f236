#include "collect/replay_source.hpp"

#include <poll.h>

#include <chrono>

#include "cli/main.hpp"
#include "cli/signals.hpp"

namespace mimamori::collect {

namespace {

using steady = std::chrono::steady_clock;

// Waits until `deadline` or a stop request; false when asked to stop.
bool wait_until(steady::time_point deadline) {
  ndjson::stop_signal stop = cli::stop_signal();
  for (;;) {
    if (stop.requested()) return false;
    auto left = deadline - steady::now();
    if (left <= steady::duration::zero()) return true;
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    struct pollfd p {
      stop.wake_fd, POLLIN, 0
    };
    ::poll(&p, stop.wake_fd >= 0 ? 1 : 0, static_cast<int>(std::min<long long>(ms, 1000)));
  }
}

}  // namespace

replay_source::replay_source(replay_options options, source_tags tags)
    : source(std::move(tags)),
      options_(std::move(options)),
      reader_(std::make_unique<archive::range_reader>(options_.dir, options_.organization,
                                                      options_.from, options_.to)) {}

std::string replay_source::describe() const {
  return "replay " + options_.dir;
}

bool replay_source::run(batch_queue& out, const cli::io& io) {
  batch b;
  std::string_view line;
  time::timestamp when;
  bool paced = options_.speed > 0;
  bool first = true;
  time::timestamp first_time;
  steady::time_point started;
  bool stopped = false;
  while (reader_->next(line, when)) {
    if (cli::stop_requested()) {
      stopped = true;
      break;
    }
    if (paced) {
      if (first) {
        first_time = when;
        started = steady::now();
        first = false;
      }
      double gap = static_cast<double>((when - first_time).count()) / options_.speed;
      auto deadline = started + std::chrono::duration_cast<steady::duration>(
                                    std::chrono::duration<double, std::nano>(gap));
      if (steady::now() < deadline) {
        if (!flush(b, out)) return false;  // what is due goes out before we sleep
        if (!wait_until(deadline)) {
          stopped = true;
          break;
        }
      }
    }
    b.records.append(line);
    b.records.push_back('\n');
    ++b.record_count;
    ++counters_.received;
    counters_.bytes += line.size();
    if (b.full() && !out.push(b)) return false;
  }
  if (!flush(b, out)) return false;
  if (!stopped && reader_->failed()) {
    cli::print_line(io.err, "logcollect: replay: " + reader_->message());
    return false;
  }
  return true;
}

}  // namespace mimamori::collect
