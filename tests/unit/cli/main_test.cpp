// Tests for cli/main.hpp: run_main answers --help and --version, maps every
// failure to one `tool: message` line and an exit status, pins the clock
// from --now and passes the run function's status through.
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/main.hpp"
#include "config/layers.hpp"

namespace cli = mimamori::cli;
namespace time_ = mimamori::time;

extern char** environ;

namespace {

const cli::tool_description test_tool = {"tool", "tool [OPTIONS] [FILE...]",
                                         "Copies records for the tests.", "tool -q in.ndjson"};

// Sends a descriptor to a temporary file until finish() gives back what was
// written and puts the descriptor back.
class capture {
 public:
  explicit capture(int fd) : fd_(fd), file_(std::tmpfile()) {
    if (file_ == nullptr) throw std::runtime_error("tmpfile failed");
    flush_all();
    saved_ = ::dup(fd_);
    ::dup2(::fileno(file_), fd_);
  }
  ~capture() {
    if (saved_ >= 0) restore();
    std::fclose(file_);
  }
  capture(const capture&) = delete;
  capture& operator=(const capture&) = delete;

  std::string finish() {
    restore();
    std::string text;
    std::rewind(file_);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file_)) > 0;)
      text.append(buffer, n);
    return text;
  }

 private:
  static void flush_all() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
  }
  void restore() {
    flush_all();
    ::dup2(saved_, fd_);
    ::close(saved_);
    saved_ = -1;
  }
  int fd_;
  std::FILE* file_;
  int saved_ = -1;
};

struct outcome {
  int status = -1;
  std::string out;
  std::string err;
  bool ran = false;
  std::optional<cli::io> streams;  // what run() was given
  cli::common_options common;
  int limit = 0;
};

using environment = std::vector<std::pair<std::string, std::string>>;

// Runs `tool ARGS...` through run_main with the tool's run() replaced by
// `run`, stdout and stderr captured, and no MIMAMORI_* variables in the
// process environment but those of `env`.
outcome run_tool(
    const std::vector<std::string>& args,
    const std::function<int(cli::io&)>& run = [](cli::io&) { return 0; },
    const environment& env = {}) {
  std::vector<std::string> ours;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind("MIMAMORI_", 0) == 0) ours.push_back(entry.substr(0, entry.find('=')));
  }
  for (const auto& name : ours) ::unsetenv(name.c_str());
  for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);

  std::vector<const char*> argv = {"tool"};
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  outcome result;
  capture out(1);
  capture err(2);
  result.status = cli::run_main(
      static_cast<int>(argv.size()) - 1, argv.data(), test_tool, result.common,
      [&](CLI::App& app) { app.add_option("--limit", result.limit, "Stop after N records"); },
      [&](cli::io& streams) {
        result.ran = true;
        result.streams = streams;
        return run(streams);
      });
  result.err = err.finish();
  result.out = out.finish();
  for (const auto& [name, value] : env) ::unsetenv(name.c_str());
  return result;
}

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

// One diagnostic line `tool: ...`, newline-terminated.
bool is_one_diagnostic(const std::string& err) {
  return err.rfind("tool: ", 0) == 0 && count_lines(err) == 1 && err.back() == '\n';
}

}  // namespace

BOOST_AUTO_TEST_SUITE(run_main)

BOOST_AUTO_TEST_CASE(help_goes_to_stdout_starting_with_usage_and_exits_0) {
  const outcome r = run_tool({"--help"});
  BOOST_TEST(r.status == cli::success);
  BOOST_TEST(r.out.rfind("Usage: tool [OPTIONS] [FILE...]\n", 0) == 0u, r.out);
  BOOST_TEST(r.out.find("Example:\n  tool -q in.ndjson") != std::string::npos);
  BOOST_TEST(r.out.find("--limit") != std::string::npos);
  BOOST_TEST(r.err == "");
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(version_goes_to_stdout_and_exits_0) {
  const outcome r = run_tool({"--version"});
  BOOST_TEST(r.status == cli::success);
  BOOST_TEST(r.out.rfind("tool (mimamori) ", 0) == 0u, r.out);
  BOOST_TEST(r.err == "");
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(unknown_flag_exits_2_with_one_line_on_stderr) {
  const outcome r = run_tool({"--no-such-flag"});
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(is_one_diagnostic(r.err), r.err);
  BOOST_TEST(r.err.find("--no-such-flag") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("(try 'tool --help')") != std::string::npos, r.err);
  BOOST_TEST(r.out == "");
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(option_value_cli11_rejects_exits_2) {
  const outcome r = run_tool({"--limit", "many"});
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(is_one_diagnostic(r.err), r.err);
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(unreadable_now_exits_2) {
  const outcome r = run_tool({"--now", "garbage"});
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(r.err == "tool: --now: cannot read 'garbage' as a time\n");
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(missing_config_file_exits_2) {
  const std::string path = std::string(MIMAMORI_BINARY_DIR) + "/no-such-config.yml";
  const outcome r = run_tool({"--config", path});
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(r.err == "tool: " + path + ": cannot read the config file\n");
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(runtime_error_from_run_exits_1_with_tool_and_message) {
  const outcome r =
      run_tool({}, [](cli::io&) -> int { throw std::runtime_error("cannot open out.ndjson"); });
  BOOST_TEST(r.status == cli::failure);
  BOOST_TEST(r.err == "tool: cannot open out.ndjson\n");
}

BOOST_AUTO_TEST_CASE(usage_error_from_run_exits_2) {
  const outcome r =
      run_tool({}, [](cli::io&) -> int { throw cli::usage_error("--limit must be positive"); });
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(r.err == "tool: --limit must be positive\n");
}

BOOST_AUTO_TEST_CASE(config_error_from_run_exits_2) {
  const outcome r =
      run_tool({}, [](cli::io&) -> int { throw mimamori::config::error("c.yml:3:1: bad"); });
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(r.err == "tool: c.yml:3:1: bad\n");
}

BOOST_AUTO_TEST_CASE(run_status_is_passed_through) {
  const outcome r =
      run_tool({"--strict", "--limit", "5"}, [](cli::io&) { return cli::bad_record; });
  BOOST_TEST(r.status == 3);
  BOOST_TEST(r.common.strict);
  BOOST_TEST(r.limit == 5);
  BOOST_TEST(r.err == "");
}

BOOST_AUTO_TEST_CASE(io_is_the_standard_descriptors) {
  const outcome r = run_tool({});
  BOOST_TEST_REQUIRE(r.ran);
  BOOST_TEST(r.streams->in == 0);
  BOOST_TEST(r.streams->out == 1);
  BOOST_TEST(r.streams->err == 2);
}

BOOST_AUTO_TEST_CASE(now_in_rfc3339_pins_the_clock) {
  const outcome r = run_tool({"--now", "2024-03-01T21:34:56.25+09:00"});
  BOOST_TEST_REQUIRE(r.ran);
  BOOST_TEST(r.streams->clock.pinned());
  // 2024-03-01T12:34:56.25Z
  BOOST_TEST(r.streams->clock.now().ns == 1'709'296'496'250'000'000);
  BOOST_TEST(r.streams->clock.now().ns == r.streams->clock.now().ns);
}

BOOST_AUTO_TEST_CASE(now_in_epoch_seconds_pins_the_clock) {
  const outcome r = run_tool({"--now", "1700000000"});
  BOOST_TEST_REQUIRE(r.ran);
  BOOST_TEST(r.streams->clock.pinned());
  BOOST_TEST(r.streams->clock.now().ns == 1'700'000'000'000'000'000);
}

BOOST_AUTO_TEST_CASE(clock_is_the_wall_clock_without_now) {
  const auto before = time_::timestamp::from_sys(std::chrono::system_clock::now());
  const outcome r = run_tool({});
  BOOST_TEST_REQUIRE(r.ran);
  BOOST_TEST(!r.streams->clock.pinned());
  const auto now = r.streams->clock.now();
  const auto after = time_::timestamp::from_sys(std::chrono::system_clock::now());
  BOOST_TEST(before.ns <= now.ns);
  BOOST_TEST(now.ns <= after.ns);
}

BOOST_AUTO_TEST_CASE(process_environment_sets_options) {
  const outcome r =
      run_tool({}, [](cli::io&) { return 0; }, {{"MIMAMORI_STRICT", "1"}, {"MIMAMORI_LIMIT", "9"}});
  BOOST_TEST(r.status == cli::success);
  BOOST_TEST(r.common.strict);
  BOOST_TEST(r.limit == 9);
  BOOST_TEST(::getenv("MIMAMORI_STRICT") == nullptr);
}

BOOST_AUTO_TEST_CASE(value_cli11_rejects_from_the_environment_exits_2) {
  const outcome r = run_tool({}, [](cli::io&) { return 0; }, {{"MIMAMORI_LIMIT", "many"}});
  BOOST_TEST(r.status == cli::usage);
  BOOST_TEST(is_one_diagnostic(r.err), r.err);
  BOOST_TEST(!r.ran);
}

BOOST_AUTO_TEST_CASE(print_config_lists_settings_and_exits_0_without_running) {
  const outcome r = run_tool({"--print-config", "--limit", "7"});
  BOOST_TEST(r.status == cli::success);
  BOOST_TEST(!r.ran);
  BOOST_TEST(r.out.find("limit = 7") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("strict = false") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("# flag") != std::string::npos);
  BOOST_TEST(r.out.find("# default") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
