#include "collect/runner.hpp"

#include <csignal>
#include <thread>

#include "cli/exit_status.hpp"
#include "cli/main.hpp"
#include "cli/signals.hpp"
#include "ndjson/writer.hpp"
#include "pipeline/dead_letter.hpp"

namespace mimamori::collect {

run_result run_sources(std::vector<std::unique_ptr<source>>& sources, const cli::io& io,
                       const cli::common_options& common, const tap& also) {
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
  batch b;
  while (queue.pop(b)) {
    if (also && !tap_failed && !also(b)) {
      tap_failed = true;
      queue.close();
      cli::request_stop(SIGTERM);
    }
    if (b.record_count > 0) {
      out.buffer().append(b.records);
      out.end_block(b.record_count);
    }
    if (b.reject_count > 0) rejects.add(b.rejects, b.reject_count);
    if (!out.ok()) {  // nobody reads us any more: stop the sources too
      queue.close();
      cli::request_stop(SIGPIPE);
      break;
    }
  }
  for (auto& t : threads) t.join();

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
