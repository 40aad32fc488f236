#include "logcollect/logcollect.hpp"

#include "collect/file_source.hpp"
#include <csignal>

#include "cli/exit_status.hpp"
#include "collect/runner.hpp"
#include "pipeline/streams.hpp"

namespace mimamori::logcollect {

namespace {

collect::source_tags tags_of(const options& o) {
  collect::source_tags t;
  t.organization = o.organization;
  t.observer_hostname = o.observer_hostname;
  t.observer_vendor = o.observer_vendor;
  t.observer_product = o.observer_product;
  t.observer_type = o.observer_type;
  return t;
}

}  // namespace

int run(options& o, cli::io& io) {
  std::vector<std::unique_ptr<collect::source>> sources;
  collect::file_source* files = nullptr;
  // Files named as arguments; with no source at all, stdin.
  if (!o.inputs.empty() || sources.empty()) {
    auto f = std::make_unique<collect::file_source>(o.inputs, tags_of(o));
    files = f.get();
    sources.push_back(std::move(f));
  }

  collect::run_result r = collect::run_sources(sources, io, o.common);

  // A closed output pipe ends us quietly, as it ends cat or grep.
  bool broken_pipe = r.status == cli::signal_base + SIGPIPE;
  if (!o.common.quiet && !broken_pipe) {
    pipeline::run_summary s{r.received + r.rejected, r.written, r.rejected, r.rejected_to, ""};
    if (files != nullptr && files->empty_lines() > 0) {
      s.read += files->empty_lines();
      s.extra = std::to_string(files->empty_lines()) + " empty lines skipped";
    }
    pipeline::print_summary(io, "logcollect", s);
  }
  return r.status;
}

}  // namespace mimamori::logcollect
