#include "collect/runner.hpp"

#include <csignal>
#include <thread>

#include "cli/exit_status.hpp"
#include "cli/main.hpp"
#include "cli/signals.hpp"
#include "collect/checkpoint.hpp"
#include "collect/metrics.hpp"
#include "ndjson/writer.hpp"
#include "pipeline/dead_letter.hpp"

namespace mimamori::collect {

run_result run_sources(std::vector<std::unique_ptr<source>>& sources, const cli::io& io,
                       const cli::common_options& common, const tap& also,
                       std::chrono::milliseconds metrics_interval) {
  ndjson::line_writer out(io.out, "<stdout>", common.output_buffering());
  pipeline::dead_letter rejects("logcollect", out, common.dead_letter, io, common.verbose);
  batch_queue queue;
  std::vector<std::thread> threads;
  std::atomic<bool> source_failed{false};
  for (auto& s : sources) {
    queue.producer_started();
    threads.emplace_back([&, src = s.get()] {
      if (!src->run(queue, io)) source_failed = true;
      queue.producer_finished();
    });
  }

  bool tap_failed = false;
  bool with_metrics = metrics_interval.count() > 0;
  auto next_metrics = std::chrono::steady_clock::now() + metrics_interval;
  auto metrics = [&] {
    for (auto& s : sources) append_metric_record(out.buffer(), *s, io.clock.now());
    out.end_block(sources.size());
  };
  // The next batch, writing metrics records whenever an interval has passed.
  auto next_batch = [&](batch& into) {
    if (!with_metrics) return queue.pop(into);
    for (;;) {
      if (std::chrono::steady_clock::now() >= next_metrics) {
        metrics();
        next_metrics += metrics_interval;
      }
      switch (queue.pop_until(into, next_metrics)) {
        case batch_queue::wait::got: return true;
        case batch_queue::wait::done: return false;
        case batch_queue::wait::timeout: break;
      }
    }
  };
  batch b;
  while (next_batch(b)) {
    if (also && !tap_failed && !also(b)) {
      tap_failed = true;
      queue.close();
      cli::request_stop(SIGTERM);
    }
    // A batch of followed lines is written at once, and its checkpoint saved
    // around the write, so a restart knows exactly what was delivered.
    if (b.keeper != nullptr) {
      std::uint64_t bytes = out.buffer().size() + b.records.size() +
                            (common.dead_letter.empty() ? b.rejects.size() : 0);
      b.keeper->writing(b.positions, collect::output_span_of(io.out, bytes));
    }
    if (b.record_count > 0) {
      out.buffer().append(b.records);
      out.end_block(b.record_count);
    }
    if (b.reject_count > 0) rejects.add(b.rejects, b.reject_count);
    if (b.keeper != nullptr && out.flush()) b.keeper->written(b.positions);
    // Caught up with every source: pass on what we hold rather than sit on it.
    if (!queue.waiting()) out.flush();
    if (!out.ok()) {  // nobody reads us any more: stop the sources too
      queue.close();
      cli::request_stop(SIGPIPE);
      break;
    }
  }
  for (auto& t : threads) t.join();
  if (with_metrics && out.ok()) {
    metrics();  // the final counters
    for (auto& s : sources) cli::print_line(io.err, "logcollect: " + metric_summary(*s));
  }

  run_result r;
  bool output_ok = out.close() && rejects.close();
  if (!output_ok && out.status() != ndjson::write_status::broken_pipe) {
    cli::print_line(io.err, "logcollect: " + (out.ok() ? rejects.message() : out.message()));
  }
  for (auto& s : sources) r.received += s->counters().received;
  r.written = out.records_written();
  r.rejected = rejects.count();
  r.rejected_to = rejects.destination();
  if (out.status() == ndjson::write_status::broken_pipe) {
    r.status = cli::signal_base + SIGPIPE;
  } else if (!output_ok || tap_failed || source_failed) {
    r.status = cli::failure;
  }
  return r;
}

}  // namespace mimamori::collect
