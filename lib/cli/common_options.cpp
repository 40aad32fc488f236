#include "cli/common_options.hpp"

#include "cli/io.hpp"

namespace mimamori::cli {

time::timestamp clock::now() const {
  if (pinned_) return *pinned_;
  return time::timestamp::from_sys(std::chrono::system_clock::now());
}

void add_common_options(CLI::App& app, common_options& o) {
  const char* group = "Common options";
  app.add_option("--config", o.config_file, "Read settings from this YAML file")
      ->type_name("FILE")
      ->group(group);
  app.add_flag("--print-config", o.print_config,
               "Print every setting with where its value came from, and exit")
      ->group(group);
  app.add_flag("--strict", o.strict, "Stop at the first bad record (exit status 3)")
      ->group(group);
  app.add_option("--dead-letter", o.dead_letter,
                 "Append rejected records to FILE instead of the output stream")
      ->type_name("FILE")
      ->group(group);
  app.add_flag("--line-buffered", o.line_buffered, "Flush the output after every record")
      ->group(group);
  app.add_option("--now", o.now, "Take TIME as the current time (RFC 3339 or epoch seconds)")
      ->type_name("TIME")
      ->group(group);
  app.add_flag("-q,--quiet", o.quiet, "Print no summary line at exit")->group(group);
  app.add_flag("-v,--verbose", o.verbose, "Report more (repeat for more still)")->group(group);
}

}  // namespace mimamori::cli
