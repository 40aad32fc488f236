// logcollect: logs in, raw records out.
//
// Builds the sources the options name (files and stdin today), runs them
// through collect::run_sources, and prints the summary.
#pragma once

#include "cli/io.hpp"
#include "logcollect/options.hpp"

namespace mimamori::logcollect {

int run(options& o, cli::io& io);

}  // namespace mimamori::logcollect
