// main: the shared main of every tool.
//
//   int main(int argc, char** argv) { return cli::run_main(argc, argv, logcollect::tool()); }
//
// It builds the command line (the common flags, then the tool's own), merges
// flags, MIMAMORI_* environment and the --config file (lib/config), answers
// --help, --version and --print-config, pins the clock from --now, installs
// the signal handlers and calls the tool's run(). Whatever escapes run()
// becomes one line `tool: message` on stderr and an exit status:
// usage_error for cli::usage_error and command-line problems, failure for
// anything else.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "cli/exit_status.hpp"
#include "cli/io.hpp"

namespace mimamori::cli {

// A problem with flags or configuration found after parsing: exit status 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct tool_description {
  std::string name;      // "logcollect"
  std::string synopsis;  // "logcollect [OPTIONS] [FILE...]"
  std::string summary;   // one sentence: what the tool does
  std::string example;   // a command line a user would type
};

// Builds the CLI11 app with help formatting, --version and the common flags.
std::unique_ptr<CLI::App> make_app(const tool_description& tool, common_options& common);

// Parses, configures and runs; returns the exit status.
int run_main(int argc, const char* const* argv, const tool_description& tool,
             common_options& common, const std::function<void(CLI::App&)>& setup,
             const std::function<int(io&)>& run);

// Convenience for tools whose Options struct has a `common` member.
template <typename Options>
int run_main(int argc, const char* const* argv, const tool_description& tool,
             void (*setup)(CLI::App&, Options&), int (*run)(Options&, io&)) {
  Options options;
  return run_main(
      argc, argv, tool, options.common, [&](CLI::App& app) { setup(app, options); },
      [&](io& streams) { return run(options, streams); });
}

// Writes one line to a descriptor (for diagnostics on stderr).
void print_line(int fd, std::string_view text);

}  // namespace mimamori::cli
