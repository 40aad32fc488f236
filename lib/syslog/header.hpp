// header: the syslog envelope of one line, as devices really send it.
//
// Accepted, with or without a leading <PRI>:
//   RFC 5424   <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD...] MSG   ("-" is nil)
//   RFC 3164   [<PRI>]Mmm dd hh:mm:ss [HOST] [TAG[PID]:] MSG
//   variants   "Mmm dd yyyy hh:mm:ss" (Cisco ASA), an ISO 8601 stamp with or
//              without offset in the place of the BSD one, "<PRI>1 " followed
//              by a BSD header, a missing hostname ("Oct  3 03:00:00 sshd[1]:"),
//              a stamp followed by ":" (Cisco), and no header at all
//              (FortiGate's "<189>date=... time=..."): then the message is
//              the whole line after the PRI; no stamp but "HOST TAG[PID]: "
//              (a [pid] is required there, so prose stays message); the
//              hostname sent twice ("stamp host host tag:"); and a relay's
//              exact repeat of host and tag ("host nginx[1]: host nginx: m")
//              is dropped from the message.
// A BSD stamp carries no year and no zone: it is read in the given zone and
// the year is the one nearest the receive time (time/rfc3164.hpp). Nothing
// here allocates; every view points into the line.
#pragma once

#include <cstdint>
#include <string_view>

#include "time/timestamp.hpp"
#include "time/zone.hpp"

namespace mimamori::syslog {

enum class header_format : std::uint8_t { none, rfc3164, rfc5424 };

struct header {
  header_format format = header_format::none;
  int priority = -1;  // 0..191, -1 when the line has no <PRI>
  bool has_time = false;
  time::timestamp time;  // UTC, when has_time
  std::string_view hostname;
  std::string_view app_name;         // the BSD tag without [pid], or APP-NAME
  std::string_view procid;           // the pid in TAG[pid], or PROCID
  std::string_view msgid;            // RFC 5424 only
  std::string_view structured_data;  // RFC 5424 only: "[id k=\"v\"]..." as sent
  std::string_view message;          // the rest: what payload parsers read

  [[nodiscard]] int facility() const { return priority < 0 ? -1 : priority / 8; }
  [[nodiscard]] int severity() const { return priority < 0 ? -1 : priority % 8; }
};

struct header_context {
  time::timestamp received;  // for the year of BSD stamps
  time::zone tz;             // the device's zone for stamps without an offset
};

// Reads the envelope of `line`; always fills `message` (the whole line when
// there is no header). Never fails: what is not a header is message.
void parse_header(std::string_view line, const header_context& context, header& out) noexcept;

// One SD-PARAM of RFC 5424 structured data, its value still escaped
// (\" \\ \] stand for " \ ]).
struct sd_param {
  std::string_view sd_id;
  std::string_view name;
  std::string_view value;
};

// Walks structured data: call with pos = 0, then again while it returns true.
bool next_sd_param(std::string_view structured_data, std::size_t& pos, sd_param& out) noexcept;

// A syslog severity as ECS log.level words ("informational", "error", ...).
[[nodiscard]] std::string_view severity_name(int severity) noexcept;
[[nodiscard]] std::string_view facility_name(int facility) noexcept;

}  // namespace mimamori::syslog
