// source: one place logs come from (files, a UDP or TCP listener, a
// followed glob, a capture, an archive replay).
//
// logcollect runs each source in a thread of its own. A source turns what
// it receives into raw records (raw_record.hpp), fills a batch and pushes
// it to the queue, which blocks when the output is behind. It watches
// cli::stop_signal() (also in blocking waits: poll its wake_fd) and returns
// when asked to stop, after pushing what it holds, or when it has no more
// input. Counters are read by the output thread for metrics and the summary.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "cli/io.hpp"
#include "collect/batch.hpp"
#include "collect/raw_record.hpp"
#include "ndjson/reader.hpp"

namespace mimamori::collect {

struct source_counters {
  std::atomic<std::uint64_t> received{0};    // messages turned into records
  std::atomic<std::uint64_t> bytes{0};       // bytes of those messages
  std::atomic<std::uint64_t> rejected{0};    // input kept as pipeline_error records
  std::atomic<std::uint64_t> dropped{0};     // lost before we could read them (kernel counters)
  std::atomic<std::uint64_t> rotated{0};     // files: rotations followed
  std::atomic<std::uint64_t> reconnects{0};  // network: connections accepted
};

class source {
 public:
  explicit source(source_tags tags) : tags_(std::move(tags)) {}
  virtual ~source() = default;
  source(const source&) = delete;
  source& operator=(const source&) = delete;

  // "files", "udp [::]:5514", "follow /var/log/*.log"...
  [[nodiscard]] virtual std::string describe() const = 0;
  // Reads until the input ends or a stop is requested. Returns false after a
  // failure that ended the source early (say why with print_line on io.err).
  virtual bool run(batch_queue& out, const cli::io& io) = 0;

  [[nodiscard]] const source_tags& tags() const { return tags_; }
  [[nodiscard]] source_counters& counters() { return counters_; }

 protected:
  // Adds a pipeline_error record for input that could not be kept as a
  // record, and reports it on stderr (the first ten per source).
  void reject(batch& b, const cli::io& io, std::string_view original,
              const ndjson::position& where, std::string_view type, std::string_view message);
  // Pushes b if it holds anything; false if the output has gone.
  static bool flush(batch& b, batch_queue& out) { return b.empty() || out.push(b); }

  source_tags tags_;
  source_counters counters_;
};

}  // namespace mimamori::collect
