#include "collect/pcap_source.hpp"

#include <poll.h>

#include <cerrno>
#include <chrono>

#include "cli/main.hpp"
#include "cli/signals.hpp"
#include "pcap/analyzer.hpp"
#include "pcap/capture.hpp"

namespace mimamori::collect {

namespace {

pcap::record_tags record_tags_of(const source_tags& t, const pcap::capture& c) {
  pcap::record_tags r;
  r.organization = t.organization;
  r.observer_hostname = t.observer_hostname;
  r.observer_vendor = t.observer_vendor;
  r.observer_product = t.observer_product;
  r.observer_type = t.observer_type;
  if (c.live()) {
    r.interface = c.name();
  } else if (c.name() != "-") {
    r.file = c.name();
  }
  return r;
}

time::timestamp wall_clock() {
  return time::timestamp::from_sys(std::chrono::system_clock::now());
}

// Moves what the analyzer appended since `before` into the batch's count.
void count_records(batch& b, source_counters& counters, const pcap::analyzer& a,
                   std::uint64_t& before) {
  std::uint64_t now = a.counters().records();
  b.record_count += now - before;
  counters.received += now - before;
  before = now;
}

void print_report(const cli::io& io, const std::string& name, const pcap::analyzer& a,
                  std::uint64_t dropped) {
  const pcap::analyzer_counters& c = a.counters();
  std::string line = "logcollect: pcap " + name + ": " + std::to_string(c.packets) + " packets, " +
                     std::to_string(c.records()) + " records (dns " + std::to_string(c.dns) +
                     ", http " + std::to_string(c.http) + ", tls " + std::to_string(c.tls) +
                     ", flow " + std::to_string(c.flows) + ")";
  auto add = [&](std::uint64_t n, const char* what) {
    if (n > 0) line += ", " + std::to_string(n) + " " + what;
  };
  add(c.not_ip, "not IP");
  add(c.malformed, "malformed");
  add(c.unsupported, "of an unsupported link type");
  add(c.dns_malformed, "DNS payloads malformed");
  add(c.stream_gaps, "TCP streams not followed past a gap");
  add(c.stream_overflows, "TCP streams over the reassembly limit");
  add(c.flows_evicted, "flows ended early (table full)");
  add(c.streams_over_budget, "TCP streams not followed (too many at once)");
  add(dropped, "dropped by the kernel");
  cli::print_line(io.err, line);
}

}  // namespace

pcap_source::pcap_source(const std::string& name, const std::string& filter, source_tags tags,
                         bool report)
    : source(std::move(tags)), report_(report) {
  try {
    capture_ = pcap::capture::open(name, filter);
  } catch (const pcap::filter_error& e) {
    throw cli::usage_error(e.what());  // exit status 2
  }
}

pcap_source::~pcap_source() = default;

std::string pcap_source::describe() const {
  return "pcap " + capture_->name();
}

bool pcap_source::run(batch_queue& out, const cli::io& io) {
  return capture_->live() ? run_live(out, io) : run_file(out, io);
}

bool pcap_source::run_file(batch_queue& out, const cli::io& io) {
  pcap::analyzer a(record_tags_of(tags_, *capture_));
  a.set_created(io.clock.now());
  batch b;
  std::uint64_t counted = 0;
  bool ok = true;
  time::timestamp when;
  std::span<const std::uint8_t> frame;
  int link = capture_->link_type();
  for (std::uint64_t n = 0;; ++n) {
    if (cli::stop_requested()) break;
    pcap::capture::next_status s = capture_->next(when, frame);
    if (s == pcap::capture::next_status::end) break;
    if (s == pcap::capture::next_status::error) {
      cli::print_line(io.err, "logcollect: " + capture_->name() + ": " + capture_->message());
      ok = false;
      break;
    }
    if (s != pcap::capture::next_status::packet) continue;
    a.packet(link, when, frame, b.records);
    counters_.bytes += frame.size();
    if ((n & 4095) == 4095) a.set_created(io.clock.now());
    if (b.full()) {
      count_records(b, counters_, a, counted);
      if (!out.push(b)) return false;
    }
  }
  a.finish(b.records);
  count_records(b, counters_, a, counted);
  if (!flush(b, out)) return false;
  if (report_) print_report(io, capture_->name(), a, 0);
  return ok;
}

bool pcap_source::run_live(batch_queue& out, const cli::io& io) {
  pcap::analyzer a(record_tags_of(tags_, *capture_));
  batch b;
  std::uint64_t counted = 0;
  bool ok = true;
  time::timestamp when;
  std::span<const std::uint8_t> frame;
  int link = capture_->link_type();
  ndjson::stop_signal stop = cli::stop_signal();
  pollfd fds[2] = {{capture_->selectable_fd(), POLLIN, 0}, {stop.wake_fd, POLLIN, 0}};
  auto last_sweep = std::chrono::steady_clock::now();
  while (!stop.requested()) {
    int ready = ::poll(fds, stop.wake_fd >= 0 ? 2 : 1, 500);
    if (ready < 0 && errno != EINTR) {
      cli::print_line(io.err, "logcollect: " + capture_->name() + ": poll failed");
      ok = false;
      break;
    }
    a.set_created(io.clock.now());
    for (int drained = 0; drained < 100'000 && !stop.requested(); ++drained) {
      pcap::capture::next_status s = capture_->next(when, frame);
      if (s == pcap::capture::next_status::packet) {
        a.packet(link, when, frame, b.records);
        counters_.bytes += frame.size();
        if (b.full()) {
          count_records(b, counters_, a, counted);
          if (!out.push(b)) return false;
        }
        continue;
      }
      if (s == pcap::capture::next_status::error) {
        cli::print_line(io.err, "logcollect: " + capture_->name() + ": " + capture_->message());
        ok = false;
      }
      break;
    }
    if (!ok) break;
    // Quiet links still end idle flows: sweep on the wall clock now and then.
    auto now = std::chrono::steady_clock::now();
    if (now - last_sweep >= std::chrono::seconds(1)) {
      a.advance(wall_clock(), b.records);
      last_sweep = now;
    }
    counters_.dropped = capture_->dropped();
    count_records(b, counters_, a, counted);
    if (!flush(b, out)) return false;
  }
  a.finish(b.records);
  count_records(b, counters_, a, counted);
  counters_.dropped = capture_->dropped();
  if (!flush(b, out)) return false;
  if (report_) print_report(io, capture_->name(), a, counters_.dropped);
  return ok;
}

}  // namespace mimamori::collect
