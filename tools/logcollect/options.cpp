#include "logcollect/options.hpp"

namespace mimamori::logcollect {

cli::tool_description tool() {
  return {
      "logcollect",
      "logcollect [OPTIONS] [FILE...]",
      "Receive log lines and write one raw mimamori record per line (NDJSON), "
      "stamped, framed and tagged with the customer; .zst and .gz files are read as they are.",
      "logcollect --org acme /var/log/fw/*.log.zst | lognorm",
  };
}

namespace {

void setup_archive(CLI::App& app, options& o) {
  const char* group = "Archive";
  app.add_option("--archive", o.archive_dir,
                 "Also write every record to this archive (zstd NDJSON per organization and hour)")
      ->type_name("DIR")
      ->group(group);
  app.add_option("--retain", o.retain,
                 "Expire archived hours older than this before the newest record (92d, 36h...)")
      ->type_name("AGE")
      ->group(group);
  app.add_option("--cold", o.cold_dir, "Move expired hour files to this archive instead of deleting them")
      ->type_name("DIR")
      ->group(group);
  app.add_option("--replay", o.replay_dir,
                 "Play back the records of --org from this archive, in time order")
      ->type_name("DIR")
      ->group(group);
  app.add_option("--from", o.from, "Replay or count from this time on (inclusive)")
      ->type_name("TIME")
      ->group(group);
  app.add_option("--to", o.to, "Replay or count up to this time (exclusive)")
      ->type_name("TIME")
      ->group(group);
  app.add_option("--speed", o.speed,
                 "Replay keeping the records' time gaps divided by N (default: as fast as possible)")
      ->type_name("N")
      ->check(CLI::PositiveNumber)
      ->group(group);
  app.add_option("--archive-stats", o.archive_stats_dir,
                 "Print record counts of --org (* for all) per day or hour from the archive's index, and exit")
      ->type_name("DIR")
      ->group(group);
  app.add_option("--archive-stats-by", o.archive_stats_by, "Count per day or per hour")
      ->type_name("PERIOD")
      ->check(CLI::IsMember({"day", "hour"}))
      ->capture_default_str()
      ->group(group);
}

void setup_follow(CLI::App& app, options& o) {
  const char* group = "Follow";
  app.add_option("--follow", o.follow,
                 "Follow files matching PATH or GLOB as they grow, across rotations (repeatable)")
      ->type_name("PATH|GLOB")
      ->allow_extra_args(false)  // one pattern per --follow: FILE arguments stay files
      ->group(group);
  app.add_option("--state-dir", o.state_dir,
                 "Keep the followed files' checkpoint here (default: /var/lib/mimamori for root, "
                 "else $XDG_STATE_HOME/mimamori)")
      ->type_name("DIR")
      ->group(group);
  app.add_option("--start-at", o.start_at,
                 "On the first run, read files already there from their beginning or their end")
      ->type_name("WHERE")
      ->check(CLI::IsMember({"beginning", "end"}))
      ->capture_default_str()
      ->group(group);
  app.add_option("--poll-interval", o.poll_interval,
                 "Look for new, grown and rotated files at least this often (inotify wakes sooner)")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  app.add_option("--rotate-wait", o.rotate_wait,
                 "Keep reading a rotated-away or deleted file until it has been quiet this long")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(group);
}

void setup_pcap(CLI::App& app, options& o) {
  const char* group = "Capture";
  app.add_option("--pcap", o.pcap,
                 "Read a pcap/pcapng file, or capture live on an interface (root), into DNS, "
                 "HTTP, TLS and flow records (repeatable)")
      ->type_name("IFACE|FILE")
      ->group(group);
  app.add_option("--bpf", o.bpf, "Capture only packets matching this BPF filter (tcpdump syntax)")
      ->type_name("FILTER")
      ->group(group);
}

void setup_syslog(CLI::App& app, options& o) {
  const char* group = "Syslog";
  app.add_option("--udp", o.udp,
                 "Receive syslog datagrams (RFC 5426) on [ADDR:]PORT; PORT alone is every "
                 "address, IPv6 as [::1]:PORT (repeatable)")
      ->type_name("[ADDR:]PORT")
      ->group(group);
  app.add_option("--tcp", o.tcp,
                 "Receive syslog over TCP (RFC 6587, octet counting or LF framing) on "
                 "[ADDR:]PORT (repeatable)")
      ->type_name("[ADDR:]PORT")
      ->group(group);
  app.add_option("--tls", o.tls,
                 "Receive syslog over TLS (RFC 5425) on [ADDR:]PORT, with --cert and --key "
                 "(repeatable)")
      ->type_name("[ADDR:]PORT")
      ->group(group);
  app.add_option("--cert", o.cert, "The TLS server certificate chain (PEM) for --tls")
      ->type_name("FILE")
      ->group(group);
  app.add_option("--key", o.key, "The private key (PEM) of --cert")
      ->type_name("FILE")
      ->group(group);
  app.add_option("--client-ca", o.client_ca,
                 "With --tls, accept only clients whose certificate this CA (PEM) signed")
      ->type_name("FILE")
      ->group(group);
}

}  // namespace

void setup(CLI::App& app, options& o) {
  app.add_option("--metrics-interval", o.metrics_interval,
                 "Every SECONDS, write a metric record per source (counters since the start)")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber)
      ->group("Output");
  app.add_option("inputs", o.inputs, "Files to read; none or - reads stdin")->type_name("FILE");
  const char* group = "Source";
  app.add_option("--org", o.organization, "The customer these logs belong to (organization.id)")
      ->type_name("ID")
      ->capture_default_str()
      ->group(group);
  app.add_option("--observer-hostname", o.observer_hostname,
                 "The device that wrote the logs (observer.hostname)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--observer-vendor", o.observer_vendor, "Its vendor (observer.vendor)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--observer-product", o.observer_product, "Its product (observer.product)")
      ->type_name("NAME")
      ->group(group);
  app.add_option("--observer-type", o.observer_type,
                 "Its kind: firewall, proxy, ids, edr, server... (observer.type)")
      ->type_name("TYPE")
      ->group(group);
  setup_archive(app, o);
  setup_follow(app, o);
  setup_pcap(app, o);
  setup_syslog(app, o);
}

}  // namespace mimamori::logcollect
