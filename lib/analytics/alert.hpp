// alert: the record an analytics rule writes when it fires.
//
//   {"@timestamp": the time of the event that completed the pattern,
//    "message": one line saying what was seen,
//    "event": {"kind": "alert", "module": "analytics", "dataset": "mimamori.analytics",
//              "category": [...], "type": ["indicator"], "severity": from the level,
//              "start": first time, "end": last time, "original": the event's},
//    "rule": {"id", "name", "description", "reference", "ruleset": "mimamori-analytics",
//             "category": the type, "version", "author", "level"},
//    "threat": ATT&CK from the tags, as Sigma alerts write it,
//    "organization": {"id"},
//    "host", "user", "source", "destination", "url", "dns", "tls": the event's,
//    "mimamori": {"analytics": {"type", "group": [{"field", "value"}...], "count",
//                 "first", "last", and what the type measured}}}
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/rule.hpp"
#include "event/builder.hpp"
#include "event/record.hpp"
#include "time/timestamp.hpp"

namespace mimamori::analytics {

struct alert_summary {
  std::string_view organization;
  std::vector<std::pair<std::string_view, std::string_view>> group;  // (field, value)
  std::uint64_t count = 0;
  time::timestamp first, last;
  std::string message;
};

// Appends one alert and its "\n". `details` adds members to mimamori.analytics.
void write_alert(std::string& out, const rule& r, const event::record& trigger,
                 const alert_summary& s, const std::function<void(event::builder&)>& details);

// Seconds as a number with at most three decimals (a period, a span).
[[nodiscard]] double rounded(double value);

}  // namespace mimamori::analytics
