// io: what a tool's run() gets from main: descriptors and a clock.
//
// Tests drive a tool without a process by passing pipes or files and a
// pinned clock; main passes the real stdin, stdout, stderr and wall clock.
#pragma once

#include <optional>

#include "time/timestamp.hpp"

namespace mimamori::cli {

// "Now", pinned by --now for replays and tests, else the wall clock.
class clock {
 public:
  clock() = default;
  explicit clock(std::optional<time::timestamp> pinned) : pinned_(pinned) {}
  [[nodiscard]] time::timestamp now() const;
  [[nodiscard]] bool pinned() const { return pinned_.has_value(); }

 private:
  std::optional<time::timestamp> pinned_;
};

struct io {
  int in = 0;
  int out = 1;
  int err = 2;
  cli::clock clock;
};

}  // namespace mimamori::cli
