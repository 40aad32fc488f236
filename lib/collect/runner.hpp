// runner: logcollect's output side. Every source runs in a thread of its
// own; this thread takes their batches and writes the records to stdout (and
// any tap, such as the archive), and rejected input to the stream or to
// --dead-letter. It ends when every source has ended, or on SIGTERM/SIGINT
// after the sources have pushed what they held.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/common_options.hpp"
#include "cli/io.hpp"
#include "collect/source.hpp"

namespace mimamori::collect {

struct run_result {
  int status = 0;
  std::uint64_t received = 0;
  std::uint64_t written = 0;
  std::uint64_t rejected = 0;
  std::string rejected_to;
};

// A tap sees every batch before it is written (the archive). Returning
// false means it failed (it has said why): the run stops with status 1.
using tap = std::function<bool(const batch&)>;

// With a metrics interval, every interval (wall time) and at the end, one
// `event.kind: metric` record per source goes into the stream, carrying its
// counters since the start (collect/metrics.hpp), and the counters are
// summarised on stderr at exit.
run_result run_sources(std::vector<std::unique_ptr<source>>& sources, const cli::io& io,
                       const cli::common_options& common, const tap& also = {},
                       std::chrono::milliseconds metrics_interval = {});

}  // namespace mimamori::collect
