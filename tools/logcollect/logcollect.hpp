// logcollect: logs in, raw records out.
//
// This part reads files and stdin; each line becomes one raw record:
//   {"@timestamp":..., "event":{"original":..., "created":...},
//    "input":{"type":"file"}, "log":{"file":{"path":...},"offset":N},
//    "observer":{...}, "organization":{"id":...}}
// Headers stay raw here; lognorm parses them.
#pragma once

#include <string>

#include "cli/io.hpp"
#include "logcollect/options.hpp"
#include "ndjson/reader.hpp"
#include "time/timestamp.hpp"

namespace mimamori::logcollect {

int run(options& o, cli::io& io);

// Appends the raw record for one received line (without the newline).
void write_raw_record(std::string& out, const options& o, std::string_view text,
                      const ndjson::position& where, std::string_view input_type,
                      time::timestamp received, bool truncated);

}  // namespace mimamori::logcollect
