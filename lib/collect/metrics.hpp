// metrics: logcollect's counters as records and as a line on stderr.
//
//   {"@timestamp":"...","event":{"kind":"metric","dataset":"mimamori.logcollect",
//    "created":"..."},"mimamori":{"source":"udp 0.0.0.0:5514","metrics":{
//    "received":1200,"bytes":98213,"rejected":0,"dropped":3,"rotated":0,
//    "reconnects":0}},"organization":{"id":"acme"}}
//
// Counters run from the start of the process (like Prometheus counters): a
// consumer takes differences between two records for rates.
#pragma once

#include <string>

#include "collect/source.hpp"
#include "time/timestamp.hpp"

namespace mimamori::collect {

// Appends one metric record (with its "\n") for a source.
void append_metric_record(std::string& out, source& s, time::timestamp now);
// "udp 0.0.0.0:5514: received 1200 (98213 bytes), rejected 0, dropped 3, ..."
std::string metric_summary(source& s);

}  // namespace mimamori::collect
