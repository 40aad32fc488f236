// triage: alerts in, incidents out; and the analyst commands on the store.
//
// Stream mode reads NDJSON; each alert (event.kind: alert) goes through
// lib/incident's engine and comes out as incident records (new and
// updated) or as a `mimamori.suppressed` record; every other record passes
// through unchanged. Every --batch records (and when the input waits, and
// at the end) the output is flushed and then the store saved with the
// count of records consumed, in one transaction (lib/incident/store.hpp).
#pragma once

#include "cli/io.hpp"
#include "incident/engine.hpp"
#include "triage/options.hpp"

namespace mimamori::triage {

// Builds the engine's options from the command line; usage_error if wrong.
[[nodiscard]] incident::engine_options engine_options_from(const options& o);

int run(options& o, cli::io& io);
int run_stream(options& o, cli::io& io);
// The subcommands (commands.cpp).
int run_command(options& o, cli::io& io);

}  // namespace mimamori::triage
