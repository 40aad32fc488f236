// options: logcollect's command line.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "cli/main.hpp"

namespace mimamori::logcollect {

struct options {
  cli::common_options common;
  std::vector<std::string> inputs;  // files; none or "-" is stdin
  std::string organization = "default";
  std::string observer_hostname;
  std::string observer_vendor;
  std::string observer_product;
  std::string observer_type;
  // The archive (lib/archive; man/mimamori-archive.5).
  std::string archive_dir;        // --archive DIR: every record also goes there
  std::string retain;             // --retain 92d: expire hour files older than that
  std::string cold_dir;           // --cold DIR: move expired files there instead
  std::string replay_dir;         // --replay DIR: play an archive back
  std::string from;               // --from T (inclusive), for --replay and --archive-stats
  std::string to;                 // --to T (exclusive)
  double speed = 0;               // --speed N: keep the records' gaps divided by N
  std::string archive_stats_dir;  // --archive-stats DIR: counts from the index, then exit
  std::string archive_stats_by = "day";
  double metrics_interval = 0;  // seconds; 0: no metric records
  // Followed files (collect/follow_source.hpp).
  std::vector<std::string> follow;  // --follow PATH|GLOB, repeatable
  std::string state_dir;            // --state-dir DIR: the checkpoint; default per user
  std::string start_at = "beginning";  // --start-at beginning|end: files there at the first run
  double poll_interval = 1.0;       // --poll-interval SECONDS: rescan as a safety net
  double rotate_wait = 5.0;         // --rotate-wait SECONDS: quiet time before a rotated file is closed
  // Captures (collect/pcap_source.hpp).
  std::vector<std::string> pcap;  // --pcap IFACE|FILE, repeatable
  std::string bpf;                // --bpf FILTER: libpcap filter for every --pcap
  // Syslog listeners (collect/udp_source.hpp, collect/tcp_source.hpp).
  std::vector<std::string> udp;  // --udp [ADDR:]PORT, repeatable
  std::vector<std::string> tcp;  // --tcp [ADDR:]PORT, repeatable
  std::vector<std::string> tls;  // --tls [ADDR:]PORT, repeatable; needs --cert and --key
  std::string cert;              // --cert FILE: the server's PEM certificate chain
  std::string key;               // --key FILE: its PEM private key
  std::string client_ca;         // --client-ca FILE: clients must present a cert it signed
};

[[nodiscard]] cli::tool_description tool();
void setup(CLI::App& app, options& o);

}  // namespace mimamori::logcollect
