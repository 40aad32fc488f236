// alert: the record an indicator hit becomes.
//
//   {"@timestamp": the event's own time,
//    "event": {"kind": "alert", "category": ["threat"], "type": ["indicator"],
//              "dataset": "mimamori.intel", "severity": 21/47/73 by confidence,
//              "original": the matched event's event.original (or its whole text)},
//    "rule": {"name": "Threat intel match: <type>", "ruleset": "mimamori-intel",
//             "category": "threat-intel"},
//    "threat": {"feed": {"name"},
//               "indicator": {"type", "name", "ip" | "url": {"domain" | "full"} |
//                             "file": {"hash": {...}}, "provider", "confidence",
//                             "first_seen", "description", "reference"},
//               "enrichments": [{"matched": {"atomic", "field",
//                                            "type": "indicator_match_rule"}}]},
//    "tags": the indicator's tags,
//    "organization": {"id"} (the event's, else "default"),
//    "source", "destination", "host", "user", "observer", "url", "dns", "tls",
//    "file", "process": copied from the event when it has them,
//    "mimamori": {"retro": true (retro-hunts), "indicator": {"confidence",
//                 "valid_from", "valid_until"} (when the feed gave them)}}
//
// ECS has no threat.indicator.domain: a domain indicator is written as
// threat.indicator.url.domain, as Elastic's threat-intel integrations do.
// threat.indicator.confidence is the STIX Appendix A label (None, Low,
// Medium, High, or Not Specified); the feed's number is kept under mimamori.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "event/record.hpp"
#include "intel/matcher.hpp"
#include "intel/store.hpp"
#include "time/timestamp.hpp"

namespace mimamori::intel {

struct alert_options {
  bool retro = false;  // mark as found by a retro-hunt (mimamori.retro: true)
};

// The STIX 2.1 Appendix A label of a 0-100 confidence (-1: "Not Specified").
[[nodiscard]] std::string_view confidence_label(int confidence);

// Appends one alert record (no trailing "\n") for `h`, a hit on `matched`,
// to `out`. `event_time` is the time the matcher used (matcher::last_time()),
// written when the event's own @timestamp text is missing.
void append_alert(std::string& out, const store& indicators, const hit& h,
                  const event::record& matched, std::optional<time::timestamp> event_time,
                  const alert_options& options = {});

}  // namespace mimamori::intel
