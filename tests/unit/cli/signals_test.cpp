// Tests for cli/signals.hpp. The stop flag is process-wide and cannot be
// reset, so each case runs in a forked child and reports through its exit
// status: 0 when every check held, else the number of the first that failed.
#include <boost/test/unit_test.hpp>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>

#include "cli/exit_status.hpp"
#include "cli/main.hpp"
#include "cli/signals.hpp"

namespace cli = mimamori::cli;

namespace {

// Runs `body` in a child; returns the child's exit status, or -signal if a
// signal killed it.
int in_child(const std::function<int()>& body) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) ::_exit(body());
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

bool readable_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

// The wake pipe survives fork, so a byte an earlier child left in it would
// be seen here: empty it first (it is non-blocking).
void drain(int fd) {
  char buffer[64];
  while (::read(fd, buffer, sizeof buffer) > 0) {
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signals)

BOOST_AUTO_TEST_CASE(request_stop_sets_the_flag_and_wakes_the_pipe) {
  const int failed = in_child([] {
    cli::install_signal_handlers();
    const auto stop = cli::stop_signal();
    if (stop.wake_fd < 0) return 1;
    drain(stop.wake_fd);
    if (stop.requested() || cli::stop_requested() || cli::stop_signal_number() != 0) return 2;
    if (readable_now(stop.wake_fd)) return 3;
    cli::request_stop(SIGTERM);
    if (!stop.requested() || !cli::stop_signal().requested()) return 4;
    if (!cli::stop_requested()) return 5;
    if (!readable_now(stop.wake_fd)) return 6;
    if (cli::stop_signal_number() != SIGTERM) return 7;
    return 0;
  });
  BOOST_TEST(failed == 0);
}

BOOST_AUTO_TEST_CASE(sigterm_and_sigint_stop_instead_of_killing) {
  for (int signal_number : {SIGTERM, SIGINT}) {
    const int failed = in_child([signal_number] {
      cli::install_signal_handlers();
      drain(cli::stop_signal().wake_fd);
      ::raise(signal_number);
      if (!cli::stop_requested()) return 1;
      if (cli::stop_signal_number() != signal_number) return 2;
      if (!readable_now(cli::stop_signal().wake_fd)) return 3;
      return 0;
    });
    BOOST_TEST(failed == 0, "signal " << signal_number);
  }
}

BOOST_AUTO_TEST_CASE(sighup_and_sigusr1_are_taken_once_each) {
  const int failed = in_child([] {
    cli::install_signal_handlers();
    if (cli::take_reload_request() || cli::take_reopen_request()) return 1;
    ::raise(SIGHUP);
    if (cli::take_reopen_request()) return 2;
    if (!cli::take_reload_request()) return 3;
    if (cli::take_reload_request()) return 4;
    ::raise(SIGUSR1);
    if (!cli::take_reopen_request()) return 5;
    if (cli::take_reopen_request()) return 6;
    if (cli::stop_requested()) return 7;
    return 0;
  });
  BOOST_TEST(failed == 0);
}

BOOST_AUTO_TEST_CASE(sigpipe_is_ignored) {
  const int failed = in_child([] {
    cli::install_signal_handlers();
    ::raise(SIGPIPE);
    return 0;
  });
  BOOST_TEST(failed == 0);
}

BOOST_AUTO_TEST_CASE(run_main_exits_128_plus_the_signal_after_a_stop) {
  const int status = in_child([] {
    const cli::tool_description tool = {"tool", "tool [OPTIONS]", "Stops.", ""};
    cli::common_options common;
    const char* argv[] = {"tool", nullptr};
    return cli::run_main(
        1, argv, tool, common, [](CLI::App&) {},
        [](cli::io&) {
          cli::request_stop(SIGTERM);
          return 0;
        });
  });
  BOOST_TEST(status == cli::signal_base + SIGTERM);
}

BOOST_AUTO_TEST_CASE(run_main_keeps_a_failure_status_after_a_stop) {
  const int status = in_child([] {
    const cli::tool_description tool = {"tool", "tool [OPTIONS]", "Stops.", ""};
    cli::common_options common;
    const char* argv[] = {"tool", nullptr};
    return cli::run_main(
        1, argv, tool, common, [](CLI::App&) {},
        [](cli::io&) {
          cli::request_stop(SIGINT);
          return static_cast<int>(cli::bad_record);
        });
  });
  BOOST_TEST(status == cli::bad_record);
}

BOOST_AUTO_TEST_SUITE_END()
