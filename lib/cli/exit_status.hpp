// exit_status: what a mimamori tool's exit status means, defined once.
#pragma once

namespace mimamori::cli {

enum exit_status : int {
  success = 0,        // done
  failure = 1,        // runtime failure: I/O, a service unreachable after retries
  usage = 2,          // usage or configuration error (CLI11's own codes are mapped here)
  bad_record = 3,     // a bad record under --strict
  signal_base = 128,  // 128+N: stopped by signal N (after flushing)
};

}  // namespace mimamori::cli
