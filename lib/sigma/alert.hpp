// alert: the `event.kind: alert` record written when a Sigma rule matches.
//
//   {"@timestamp": the event's own time,
//    "event": {"kind": "alert", "severity": from the level, "original": the event's},
//    "rule": {id, name, description, reference, ruleset, version, author, level},
//    "threat": {framework, tactic.{id,name}, technique.{id, subtechnique.id}},
//    "organization": {"id"}, host/user/source/destination/process/url/file of the event,
//    "mimamori": {"alert": {"event_ids": [the event's event.id, when it has one]}}}
//
// Fields are written in a fixed order from the rule and the event only, so
// the same input gives the same bytes.
#pragma once

#include <string>

#include "event/builder.hpp"
#include "event/record.hpp"
#include "sigma/rule.hpp"

namespace mimamori::sigma {

// Writes the "rule" and "threat" members of an alert for `r` (correlation
// alerts share them, sigma/correlation.cpp).
void write_rule(event::builder& b, const rule& r);

// Appends the alert (without a newline) to out.
void write_alert(std::string& out, const rule& r, const event::record& matched);

}  // namespace mimamori::sigma
