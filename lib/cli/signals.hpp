// signals: SIGTERM/SIGINT ask a tool to stop; SIGPIPE ends it quietly.
//
// install() sets handlers that record the signal and wake any reader
// blocked in poll() through a self-pipe (ndjson::stop_signal), so a tool
// waiting on an idle stdin still stops at once, flushes and exits 128+N.
// SIGPIPE is ignored, so a closed output is seen as EPIPE by the writer,
// which the main wrapper turns into a quiet exit. SIGHUP and SIGUSR1 are
// recorded for daemons that reload or reopen their files.
#pragma once

#include <csignal>

#include "ndjson/input.hpp"

namespace mimamori::cli {

void install_signal_handlers();
// The stop request readers and loops watch.
[[nodiscard]] ndjson::stop_signal stop_signal();
[[nodiscard]] bool stop_requested();
// The signal that asked to stop (SIGTERM or SIGINT), 0 if none did.
[[nodiscard]] int stop_signal_number();
// Requests a stop as a signal would (for tests and for fatal errors).
void request_stop(int signal_number);
// true once after each SIGHUP / SIGUSR1.
[[nodiscard]] bool take_reload_request();
[[nodiscard]] bool take_reopen_request();

}  // namespace mimamori::cli
