#include "collect/source.hpp"

#include "cli/main.hpp"
#include "pipeline/dead_letter.hpp"
#include "time/format.hpp"

namespace mimamori::collect {

void source::reject(batch& b, const cli::io& io, std::string_view original,
                    const ndjson::position& where, std::string_view type,
                    std::string_view message) {
  std::uint64_t n = ++counters_.rejected;
  if (n <= 10) {
    cli::print_line(io.err, "logcollect: " + std::string(where.file) + ":" +
                                std::to_string(where.line) + ": " + std::string(message));
  }
  std::string stamp;
  time::append_utc_ms(stamp, io.clock.now());
  pipeline::write_pipeline_error(b.rejects, "logcollect", original, where, type, message, stamp);
  b.rejects.push_back('\n');
  ++b.reject_count;
}

}  // namespace mimamori::collect
