#include "cli/main.hpp"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "cli/signals.hpp"
#include "config/layers.hpp"
#include "time/parse_any.hpp"

#ifndef MIMAMORI_VERSION
#define MIMAMORI_VERSION "0.1.0"
#endif

namespace mimamori::cli {

namespace {

// Help starts with the synopsis, the summary and an example (STYLE.md).
class help_formatter : public CLI::Formatter {
 public:
  explicit help_formatter(const tool_description& tool) : tool_(tool) {}
  std::string make_usage(const CLI::App*, std::string) const override {
    std::string text = "Usage: " + tool_.synopsis + "\n\n" + tool_.summary + "\n";
    if (!tool_.example.empty()) text += "\nExample:\n  " + tool_.example + "\n";
    return text;
  }
  std::string make_description(const CLI::App*) const override { return ""; }

 private:
  tool_description tool_;
};

int exit_for_parse_error(const CLI::ParseError& e, const tool_description& tool, CLI::App& app) {
  if (e.get_exit_code() == 0) {  // --help, --version
    std::ostringstream out;
    std::ostringstream err;
    app.exit(e, out, err);
    std::string text = out.str();
    [[maybe_unused]] ssize_t n = ::write(1, text.data(), text.size());
    return success;
  }
  std::string message = e.what();
  while (!message.empty() && message.back() == '\n') message.pop_back();
  // CLI11 starts its messages with a capital; ours are GNU-style.
  if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z' &&
      (message.size() < 2 || !(message[1] >= 'A' && message[1] <= 'Z'))) {
    message[0] = static_cast<char>(message[0] - 'A' + 'a');
  }
  print_line(2, tool.name + ": " + message + " (try '" + tool.name + " --help')");
  return usage;
}

}  // namespace

void print_line(int fd, std::string_view text) {
  std::string line(text);
  line.push_back('\n');
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::unique_ptr<CLI::App> make_app(const tool_description& tool, common_options& common) {
  auto app = std::make_unique<CLI::App>(tool.summary, tool.name);
  app->formatter(std::make_shared<help_formatter>(tool));
  app->set_version_flag("--version", tool.name + " (mimamori) " MIMAMORI_VERSION);
  app->get_formatter()->column_width(32);
  add_common_options(*app, common);
  return app;
}

int run_main(int argc, const char* const* argv, const tool_description& tool,
             common_options& common, const std::function<void(CLI::App&)>& setup,
             const std::function<int(io&)>& run) {
  std::unique_ptr<CLI::App> app;
  try {
    app = make_app(tool, common);
    setup(*app);
    config::layers layers(*app, tool.name);
    try {
      layers.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return exit_for_parse_error(e, tool, *app);
    }
    if (common.print_config) {
      std::string text = layers.describe();
      [[maybe_unused]] ssize_t n = ::write(1, text.data(), text.size());
      return success;
    }
    io streams;
    if (!common.now.empty()) {
      auto pinned = time::parse_any(common.now, clock().now(), time::zone::utc());
      if (!pinned) throw usage_error("--now: cannot read '" + common.now + "' as a time");
      streams.clock = clock(*pinned);
    }
    install_signal_handlers();
    int status = run(streams);
    if (status == success && stop_signal_number() != 0) status = signal_base + stop_signal_number();
    return status;
  } catch (const config::error& e) {
    std::istringstream problems(e.what());  // one problem per line, each named
    for (std::string line; std::getline(problems, line);) print_line(2, tool.name + ": " + line);
    return usage;
  } catch (const usage_error& e) {
    print_line(2, tool.name + ": " + e.what());
    return usage;
  } catch (const CLI::Error& e) {  // a mistake in a tool's option setup
    print_line(2, tool.name + ": " + e.what());
    return usage;
  } catch (const std::exception& e) {
    print_line(2, tool.name + ": " + e.what());
    return failure;
  }
}

}  // namespace mimamori::cli
