#include "cli/signals.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mimamori::cli {

namespace {
volatile std::sig_atomic_t stop_flag = 0;
volatile std::sig_atomic_t reload_flag = 0;
volatile std::sig_atomic_t reopen_flag = 0;
int wake_pipe[2] = {-1, -1};

void on_stop(int signal_number) {
  int saved = errno;
  stop_flag = signal_number;
  if (wake_pipe[1] >= 0) {
    char c = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_pipe[1], &c, 1);
  }
  errno = saved;
}

void on_hup(int) { reload_flag = 1; }
void on_usr1(int) { reopen_flag = 1; }

void handle(int signal_number, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR
  sigaction(signal_number, &sa, nullptr);
}
}  // namespace

void install_signal_handlers() {
  if (wake_pipe[0] < 0 && ::pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    wake_pipe[0] = wake_pipe[1] = -1;
  }
  handle(SIGTERM, on_stop);
  handle(SIGINT, on_stop);
  handle(SIGHUP, on_hup);
  handle(SIGUSR1, on_usr1);
  std::signal(SIGPIPE, SIG_IGN);
}

ndjson::stop_signal stop_signal() { return {wake_pipe[0], &stop_flag}; }
bool stop_requested() { return stop_flag != 0; }
int stop_signal_number() { return stop_flag; }
void request_stop(int signal_number) { on_stop(signal_number); }

bool take_reload_request() {
  if (reload_flag == 0) return false;
  reload_flag = 0;
  return true;
}

bool take_reopen_request() {
  if (reopen_flag == 0) return false;
  reopen_flag = 0;
  return true;
}

}  // namespace mimamori::cli
