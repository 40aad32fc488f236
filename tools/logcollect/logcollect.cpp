#include "logcollect/logcollect.hpp"

#include "collect/file_source.hpp"
#include "collect/follow_source.hpp"
#include "collect/pcap_source.hpp"
#include <csignal>

#include "cli/exit_status.hpp"
#include "archive/index.hpp"
#include "archive/stats.hpp"
#include "archive/writer.hpp"
#include "cli/main.hpp"
#include "collect/replay_source.hpp"
#include "collect/tcp_source.hpp"
#include "collect/udp_source.hpp"
#include "cli/signals.hpp"
#include "syslog/listener.hpp"
#include "collect/runner.hpp"
#include "ndjson/writer.hpp"
#include "time/parse_any.hpp"
#include "pipeline/streams.hpp"

namespace mimamori::logcollect {

namespace {

collect::source_tags tags_of(const options& o) {
  collect::source_tags t;
  t.organization = o.organization;
  t.observer_hostname = o.observer_hostname;
  t.observer_vendor = o.observer_vendor;
  t.observer_product = o.observer_product;
  t.observer_type = o.observer_type;
  return t;
}

// --from / --to (lib/time parse_any, UTC unless the text has an offset).
time::timestamp time_option(const char* name, const std::string& text, time::timestamp absent,
                            const cli::io& io) {
  if (text.empty()) return absent;
  auto t = time::parse_any(text, io.clock.now(), time::zone::utc());
  if (!t) throw cli::usage_error(std::string(name) + ": cannot read '" + text + "' as a time");
  return *t;
}

// --archive-stats DIR: counts per day or hour from the index alone.
int print_archive_stats(const options& o, const cli::io& io) {
  archive::index idx(o.archive_stats_dir, true);
  std::string org = o.organization == "*" ? std::string() : o.organization;
  auto counts = archive::count_records(
      idx, org, time_option("--from", o.from, time::timestamp::min(), io),
      time_option("--to", o.to, time::timestamp::max(), io),
      o.archive_stats_by == "hour" ? archive::period::hour : archive::period::day);
  if (!idx.message().empty()) throw std::runtime_error(idx.message());
  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  std::uint64_t records = 0;
  std::uint64_t files = 0;
  for (const auto& c : counts) {
    archive::append_count_record(out.buffer(), c);
    out.end_record();
    records += c.records;
    files += c.files;
  }
  if (!out.close()) {
    if (out.status() == ndjson::write_status::broken_pipe) return cli::signal_base + SIGPIPE;
    cli::print_line(io.err, "logcollect: " + out.message());
    return cli::failure;
  }
  if (!o.common.quiet) {
    cli::print_line(io.err, "logcollect: archive " + o.archive_stats_dir + ": " +
                                std::to_string(records) + " records in " + std::to_string(files) +
                                " hour files");
  }
  return cli::success;
}

// --archive DIR (with --retain and --cold): the writer logcollect taps.
std::unique_ptr<archive::writer> open_archive(const options& o, const cli::io& io) {
  if (o.archive_dir.empty()) {
    if (!o.retain.empty() || !o.cold_dir.empty())
      throw cli::usage_error("--retain and --cold need --archive DIR");
    return nullptr;
  }
  archive::writer_options w;
  if (!o.retain.empty()) {
    auto keep = archive::parse_retention(o.retain);
    if (!keep) throw cli::usage_error("--retain: '" + o.retain + "' is not an age such as 92d or 36h");
    archive::retention_policy policy;
    policy.keep = *keep;
    policy.cold_dir = o.cold_dir;
    if (io.clock.pinned()) policy.now = io.clock.now();
    w.retention = policy;
  } else if (!o.cold_dir.empty()) {
    throw cli::usage_error("--cold needs --retain AGE");
  }
  if (!o.cold_dir.empty() && o.cold_dir == o.archive_dir)
    throw cli::usage_error("--cold must be another directory than --archive");
  if (!o.replay_dir.empty() && o.replay_dir == o.archive_dir)
    throw cli::usage_error("--replay and --archive name the same directory");
  int err = io.err;
  bool quiet = o.common.quiet;
  return std::make_unique<archive::writer>(o.archive_dir, w, [err, quiet](std::string_view note) {
    if (!quiet) cli::print_line(err, "logcollect: " + std::string(note));
  });
}

// --udp, --tcp, --tls: every listener bound now, so a bad address, a busy
// port or an unreadable certificate is a setup error before anything runs.
void add_syslog_listeners(const options& o, std::vector<std::unique_ptr<collect::source>>& sources,
                          const cli::io& io) {
  if (o.tls.empty() && (!o.cert.empty() || !o.key.empty() || !o.client_ca.empty())) {
    throw cli::usage_error("--cert, --key and --client-ca go with --tls [ADDR:]PORT");
  }
  if (!o.tls.empty() && (o.cert.empty() || o.key.empty())) {
    throw cli::usage_error("--tls needs --cert FILE and --key FILE");
  }
  auto where = [](const char* flag, const std::string& text) {
    std::string error;
    auto e = syslog::parse_endpoint(text, error);
    if (!e) throw cli::usage_error(std::string(flag) + ": " + error);
    return *e;
  };
  auto stop = cli::stop_signal();
  for (const auto& u : o.udp) {
    sources.push_back(std::make_unique<collect::udp_source>(where("--udp", u), tags_of(o), stop));
  }
  for (const auto& t : o.tcp) {
    sources.push_back(
        std::make_unique<collect::tcp_source>(where("--tcp", t), tags_of(o), nullptr, stop));
  }
  for (const auto& t : o.tls) {
    auto server = std::make_unique<collect::tls_server>(
        collect::tls_settings{o.cert, o.key, o.client_ca});
    sources.push_back(std::make_unique<collect::tcp_source>(where("--tls", t), tags_of(o),
                                                            std::move(server), stop));
  }
  if (o.common.quiet) return;
  for (const auto& s : sources) {
    std::string d = s->describe();
    if (d.starts_with("udp ") || d.starts_with("tcp ") || d.starts_with("tls ")) {
      cli::print_line(io.err, "logcollect: " + d + ": listening");
    }
  }
}

}  // namespace

int run(options& o, cli::io& io) {
  if (!o.archive_stats_dir.empty()) return print_archive_stats(o, io);
  std::vector<std::unique_ptr<collect::source>> sources;
  collect::file_source* files = nullptr;
  if (!o.replay_dir.empty()) {
    collect::replay_options replay{o.replay_dir, o.organization,
                                   time_option("--from", o.from, time::timestamp::min(), io),
                                   time_option("--to", o.to, time::timestamp::max(), io), o.speed};
    sources.push_back(std::make_unique<collect::replay_source>(std::move(replay), tags_of(o)));
    if (o.speed > 0) o.common.line_buffered = true;  // each record when it is due
  } else if (o.speed > 0 || !o.from.empty() || !o.to.empty()) {
    throw cli::usage_error("--speed, --from and --to need --replay DIR or --archive-stats DIR");
  }
  // --follow: one source for every pattern, its checkpoint settled before
  // anything is written.
  collect::follow_source* follow = nullptr;
  if (!o.follow.empty()) {
    collect::follow_options f;
    f.patterns = o.follow;
    f.state_dir = o.state_dir;
    f.start_at_end = o.start_at == "end";
    f.poll_interval = std::chrono::milliseconds(static_cast<std::int64_t>(o.poll_interval * 1000));
    f.rotate_wait = std::chrono::milliseconds(static_cast<std::int64_t>(o.rotate_wait * 1000));
    auto s = std::make_unique<collect::follow_source>(std::move(f), tags_of(o));
    s->prepare(io);
    follow = s.get();
    sources.push_back(std::move(s));
  }
  // --pcap: a capture file or interface each, opened (and the filter
  // compiled) before anything runs, so a bad name is a setup error.
  if (!o.bpf.empty() && o.pcap.empty()) throw cli::usage_error("--bpf needs --pcap IFACE|FILE");
  for (const std::string& name : o.pcap) {
    sources.push_back(
        std::make_unique<collect::pcap_source>(name, o.bpf, tags_of(o), !o.common.quiet));
  }
  add_syslog_listeners(o, sources, io);
  // Files named as arguments; with no source at all, stdin.
  if (!o.inputs.empty() || sources.empty()) {
    auto f = std::make_unique<collect::file_source>(o.inputs, tags_of(o));
    files = f.get();
    sources.push_back(std::move(f));
  }

  // The archive opens last: its recovery and retention run only once every
  // source was set up without error.
  std::unique_ptr<archive::writer> archive = open_archive(o, io);
  collect::tap archive_tap;
  bool archive_reported = false;
  if (archive) {
    archive_tap = [&archive, &archive_reported, &io](const collect::batch& b) {
      if (b.record_count == 0 || archive->write(b.records, io.clock.now())) return true;
      cli::print_line(io.err, "logcollect: archive: " + archive->message());
      archive_reported = true;
      return false;
    };
  }
  auto interval = std::chrono::milliseconds(static_cast<std::int64_t>(o.metrics_interval * 1000));
  collect::run_result r = collect::run_sources(sources, io, o.common, archive_tap, interval);
  if (follow != nullptr && !follow->finish(io) && r.status == cli::success) r.status = cli::failure;
  if (archive && !archive->close()) {
    if (!archive_reported) cli::print_line(io.err, "logcollect: archive: " + archive->message());
    if (r.status == cli::success) r.status = cli::failure;
  }

  // A closed output pipe ends us quietly, as it ends cat or grep.
  bool broken_pipe = r.status == cli::signal_base + SIGPIPE;
  if (!o.common.quiet && !broken_pipe) {
    pipeline::run_summary s{r.received + r.rejected, r.written, r.rejected, r.rejected_to, ""};
    std::uint64_t empty = (files != nullptr ? files->empty_lines() : 0) +
                          (follow != nullptr ? follow->empty_lines() : 0);
    if (empty > 0) {
      s.read += empty;
      s.extra = std::to_string(empty) + " empty lines skipped";
    }
    for (const auto& src : sources) {  // UDP losses, from the kernel's own counters
      std::uint64_t dropped = src->counters().dropped;
      if (dropped == 0) continue;
      if (!s.extra.empty()) s.extra += ", ";
      s.extra += src->describe() + ": " + std::to_string(dropped) + " dropped by the kernel";
    }
    pipeline::print_summary(io, "logcollect", s);
  }
  return r.status;
}

}  // namespace mimamori::logcollect
