// parser: the interface every payload family implements, and the registry
// that detects which one a line belongs to.
//
// A parser looks at the message the envelope left (syslog/header.hpp) and
// either declines cheaply (no_match: the next parser is tried), or sets its
// ECS fields (parsed), or says the line is its format but broken (broken:
// the line goes to the dead letter with the reason). Parsers are stateless
// and const; their tables are built once.
#pragma once

#include <string_view>
#include <vector>

#include "parsers/fields.hpp"
#include "syslog/header.hpp"
#include "time/timestamp.hpp"
#include "time/zone.hpp"

namespace mimamori::parsers {

struct stream_state;  // parsers/stream_state.hpp

struct line_context {
  std::string_view line;         // the whole original line
  const syslog::header& header;  // its envelope; header.message is the payload
  time::timestamp received;      // receive time (year inference)
  const time::zone& tz;          // the device's zone
  stream_state* stream = nullptr;  // what this input's earlier lines said (Zeek TSV headers)
};

enum class outcome { no_match, parsed, broken };

struct parse_result {
  outcome what = outcome::no_match;
  std::string_view reason;  // for broken: why, in words
  // parsed: the parser read the whole line as its own format, which has no
  // syslog envelope (a W3C row opens with "date time time-taken", which an
  // envelope reader takes for a stamp and a host): the envelope's host,
  // program, pid and priority are not the line's and are left out.
  bool no_envelope = false;
  // parsed: what the envelope took for the program name is the format's own
  // (a Cisco IOS sequence number, "6705:"): no process.name, no pid.
  bool no_program = false;
};

class parser {
 public:
  virtual ~parser() = default;
  // The --format name ("cisco-asa") and the event.dataset ("cisco.asa").
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual std::string_view dataset() const = 0;
  [[nodiscard]] virtual std::string_view description() const = 0;
  [[nodiscard]] virtual parse_result parse(const line_context& line, fields& out) const = 0;
};

// Every built-in parser in detection order (cheap, specific checks first).
[[nodiscard]] const std::vector<const parser*>& all();
// By --format name; nullptr when unknown.
[[nodiscard]] const parser* find(std::string_view name);

// The families (one file each).
const parser& cisco_asa();
const parser& cisco_ios();
const parser& fortigate();
const parser& sophos_xg();
const parser& linux_auth();
const parser& systemd();
const parser& squid_access();
const parser& http_access();
const parser& nginx_access();
const parser& iptables();
const parser& pfsense_filterlog();
const parser& suricata_eve();
const parser& cef();
const parser& windows_event();
const parser& zeek();
const parser& panos();
const parser& checkpoint();
const parser& juniper_srx();
const parser& snort();
const parser& auditd();
const parser& edr();
const parser& w3c_proxy();
const parser& iis_access();
const parser& generic_json();  // last: any other JSON object

}  // namespace mimamori::parsers
