// mimamori-bench-intel: loading and matching threat intelligence at scale.
//
//   mimamori-bench-intel [--indicators N] [--events M] [--hit-percent P] [--dir DIR]
//
// Writes a plain feed of N indicators (default 1,000,000: 40% domains, 30%
// IPv4 addresses, 5% IPv4 blocks, 5% IPv6 addresses and blocks, 10% URLs,
// 10% SHA-256 and MD5 hashes) to DIR (default /tmp), then in this process:
//   1. loads it with intel::load_feed and finalizes the store: wall time, and
//      peak RSS before any event exists (getrusage; the feed is streamed);
//   2. generates M ECS events (proxy, DNS, firewall and file events; P% of
//      them, default 1, touch an indicator, as a subdomain, inside a block,
//      or exactly) and times event::parser alone, then parser + matcher;
//   3. does step 2 again against a store of only 10,000 of the same
//      indicators, to show that the cost per event does not grow with N.
// Prints the figures; a benchmark, not a test: nothing is asserted beyond
// the hit counts being what the generator put in.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "event/record.hpp"
#include "intel/intel.hpp"

namespace {

using namespace mimamori;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// CPU seconds of this process: on a shared machine, wall time includes
// waiting for a core; both are printed.
double cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

double peak_rss_mib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";

void random_label(bench::prng& rng, std::string& out, int length) {
  for (int i = 0; i < length; ++i) out.push_back(alphabet[rng.below(36)]);
}

void hex(bench::prng& rng, std::string& out, int digits) {
  static const char h[] = "0123456789abcdef";
  for (int i = 0; i < digits; ++i) out.push_back(h[rng.below(16)]);
}

void ipv4(std::uint32_t a, std::string& out) {
  out += std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

enum class kind { domain, ip, block, ipv6, url, sha256, md5 };

kind kind_of(std::uint64_t i) {
  std::uint64_t r = (i * 0x9E3779B97F4A7C15ULL) >> 57;  // 0..127, spread over i
  std::uint64_t percent = r * 100 / 128;
  if (percent < 40) return kind::domain;
  if (percent < 70) return kind::ip;
  if (percent < 75) return kind::block;
  if (percent < 80) return kind::ipv6;
  if (percent < 90) return kind::url;
  if (percent < 95) return kind::sha256;
  return kind::md5;
}

// Indicator i, the same on every call. Public-looking space: IPv4 in
// 11.0.0.0-126.255.255.255, blocks /16-/28, IPv6 under 2a00::/12.
std::string indicator(std::uint64_t i) {
  bench::prng rng(i * 7919 + 17);
  std::string v;
  switch (kind_of(i)) {
    case kind::domain:
      random_label(rng, v, 10);
      v += ".";
      random_label(rng, v, 3 + static_cast<int>(rng.below(5)));
      v += ".com";
      break;
    case kind::ip:
      ipv4((11u << 24) + static_cast<std::uint32_t>(rng.next() % (116u << 24)), v);
      break;
    case kind::block: {
      int length = 16 + static_cast<int>(rng.below(13));
      std::uint32_t a = (11u << 24) + static_cast<std::uint32_t>(rng.next() % (116u << 24));
      a &= ~((1u << (32 - length)) - 1);
      ipv4(a, v);
      v += "/" + std::to_string(length);
      break;
    }
    case kind::ipv6: {
      v = "2a0";
      hex(rng, v, 1);
      for (int g = 0; g < 7; ++g) {
        v += ":";
        hex(rng, v, 4);
      }
      if (rng.chance(30)) v = v.substr(0, 14) + "::/48";
      break;
    }
    case kind::url:
      v = "http://";
      random_label(rng, v, 8);
      v += ".net/";
      random_label(rng, v, 12);
      v += ".php?id=";
      hex(rng, v, 8);
      break;
    case kind::sha256: hex(rng, v, 64); break;
    case kind::md5: hex(rng, v, 32); break;
  }
  return v;
}

// An event that touches indicator i (or nothing when i is none).
void event_line(bench::prng& rng, std::int64_t second, std::optional<std::uint64_t> i,
                std::string& out) {
  std::string target_domain, target_ip = "93.184.216.34", url, hash;
  random_label(rng, target_domain, 9);
  target_domain += ".example.org";
  url = "http://" + target_domain + "/index.html";
  if (i) {
    std::string v = indicator(*i);
    switch (kind_of(*i)) {
      case kind::domain:
        target_domain = "www." + v;
        url = "http://" + target_domain + "/";
        break;
      case kind::ip: target_ip = v; break;
      case kind::block: target_ip = v.substr(0, v.find('/')); break;  // the network address
      case kind::ipv6:
        target_ip = v.substr(0, v.find('/'));
        if (target_ip.back() == ':') target_ip += "1";
        break;
      case kind::url: url = v; break;
      case kind::sha256:
      case kind::md5: hash = v; break;
    }
  }
  if (hash.empty()) hex(rng, hash, 64);
  char stamp[40];
  std::snprintf(stamp, sizeof stamp, "2024-05-01T%02lld:%02lld:%02lld.000Z",
                static_cast<long long>(second / 3600 % 24),
                static_cast<long long>(second / 60 % 60), static_cast<long long>(second % 60));
  std::string source =
      "10.1." + std::to_string(rng.below(256)) + "." + std::to_string(rng.below(256));
  out += R"({"@timestamp":")";
  out += stamp;
  out += R"(","event":{"kind":"event","category":["network"],"dataset":"squid.access",)";
  out += R"("original":"1714521600.123    212 )" + source + R"( TCP_MISS/200 4120 GET )" + url +
         R"( - HIER_DIRECT/)" + target_ip + R"( text/html"},)";
  out += R"("organization":{"id":"acme"},"source":{"ip":")" + source + R"(","port":)" +
         std::to_string(1024 + rng.below(60000)) + "},";
  out += R"("destination":{"ip":")" + target_ip + R"(","port":80,"domain":")" + target_domain +
         R"("},)";
  out += R"("url":{"full":")" + url + R"(","domain":")" + target_domain + R"("},)";
  out += R"("dns":{"question":{"name":")" + target_domain + R"("}},)";
  out += R"("file":{"hash":{"sha256":")" + hash + R"("}},)";
  out += R"("http":{"request":{"method":"GET"},"response":{"status_code":200}},)";
  out += R"("observer":{"vendor":"Squid","product":"Squid","type":"proxy"}})";
  out += '\n';
}

struct match_figures {
  double parse_s = 0, match_s = 0, parse_cpu = 0, match_cpu = 0;
  std::uint64_t events = 0, hits = 0, alert_bytes = 0;
};

match_figures run_events(const intel::store& s, const std::string& events, int rounds) {
  match_figures f;
  event::parser parser;
  // Parsing alone.
  auto start = clock_type::now();
  double cpu = cpu_seconds();
  for (int r = 0; r < rounds; ++r) {
    std::size_t at = 0;
    while (at < events.size()) {
      std::size_t end = events.find('\n', at);
      if (parser.parse(std::string_view(events).substr(at, end - at)) != event::parse_error::none) {
        std::fprintf(stderr, "intel_bench: generated event is not JSON\n");
        std::exit(1);
      }
      at = end + 1;
    }
  }
  f.parse_s = seconds_since(start);
  f.parse_cpu = cpu_seconds() - cpu;
  // Parsing, matching, and writing the alerts.
  intel::matcher m(s);
  std::string alerts;
  start = clock_type::now();
  cpu = cpu_seconds();
  for (int r = 0; r < rounds; ++r) {
    std::size_t at = 0;
    while (at < events.size()) {
      std::size_t end = events.find('\n', at);
      (void)parser.parse(std::string_view(events).substr(at, end - at));
      for (const auto& h : m.match(parser.current())) {
        intel::append_alert(alerts, s, h, parser.current(), m.last_time());
        alerts.push_back('\n');
        ++f.hits;
      }
      f.alert_bytes += alerts.size();
      alerts.clear();
      ++f.events;
      at = end + 1;
    }
  }
  f.match_s = seconds_since(start);
  f.match_cpu = cpu_seconds() - cpu;
  return f;
}

void print(const char* name, const match_figures& f, std::uint64_t expected_hits) {
  auto n = static_cast<double>(f.events);
  std::printf(
      "%-14s CPU: %9.0f events/s parse+match+alert, %9.0f events/s parse alone, "
      "%5.0f ns/event matching | wall: %9.0f events/s, %9.0f parse alone | "
      "%llu hits (planted %llu)\n",
      name, n / f.match_cpu, n / f.parse_cpu, (f.match_cpu - f.parse_cpu) * 1e9 / n, n / f.match_s,
      n / f.parse_s, static_cast<unsigned long long>(f.hits),
      static_cast<unsigned long long>(expected_hits));
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t count = 1'000'000, event_count = 1'000'000, hit_percent = 1;
  std::string dir = "/tmp";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "intel_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--indicators") {
      count = std::stoull(next());
    } else if (a == "--events") {
      event_count = std::stoull(next());
    } else if (a == "--hit-percent") {
      hit_percent = std::stoull(next());
    } else if (a == "--dir") {
      dir = next();
    } else {
      std::puts(
          "usage: mimamori-bench-intel [--indicators N] [--events M] [--hit-percent P] "
          "[--dir DIR]");
      return a == "--help" || a == "-h" ? 0 : 2;
    }
  }

  // 1. The feed, streamed to a file.
  std::string path = dir + "/mimamori-intel-bench-" + std::to_string(count) + ".txt";
  std::string small_path = dir + "/mimamori-intel-bench-10000.txt";
  {
    std::ofstream feed(path), small(small_path);
    feed << "# generated by mimamori-bench-intel\n";
    for (std::uint64_t i = 0; i < count; ++i) {
      std::string v = indicator(i);
      feed << v << '\n';
      if (i < 10'000) small << v << '\n';
    }
  }
  double rss_before = peak_rss_mib();

  intel::store store;
  auto start = clock_type::now();
  double cpu_start = cpu_seconds();
  intel::load_report report = intel::load_feed(store, path);
  double parse_s = seconds_since(start);
  double parse_cpu = cpu_seconds() - cpu_start;
  store.finalize();
  double load_s = seconds_since(start);
  double load_cpu = cpu_seconds() - cpu_start;
  double rss_after = peak_rss_mib();
  if (!report.ok() || report.bad != 0) {
    std::fprintf(stderr, "intel_bench: %s: %s (%zu bad)\n", path.c_str(), report.error.c_str(),
                 report.bad);
    for (const auto& m : report.messages) std::fprintf(stderr, "intel_bench: %s\n", m.c_str());
    return 1;
  }
  std::printf(
      "load   %zu indicators (%zu indexed): CPU %.3f s (read %.3f s, index %.3f s), "
      "wall %.3f s; peak RSS %.1f MiB (%.1f MiB before loading; store arrays %.1f MiB)\n",
      report.indicators, store.indexed(), load_cpu, parse_cpu, load_cpu - parse_cpu, load_s,
      rss_after, rss_before, static_cast<double>(store.memory_bytes()) / (1024.0 * 1024.0));
  (void)parse_s;

  // 2. Events: a pool of up to 200,000 lines, matched in rounds.
  std::uint64_t pool = std::min<std::uint64_t>(event_count, 200'000);
  int rounds = static_cast<int>((event_count + pool - 1) / pool);
  bench::prng rng(42);
  std::string events;
  std::uint64_t planted = 0, planted_small = 0;
  for (std::uint64_t e = 0; e < pool; ++e) {
    std::optional<std::uint64_t> target;
    if (rng.below(100) < hit_percent) {
      target = rng.next() % count;
      ++planted;
      if (*target < 10'000) ++planted_small;
    }
    event_line(rng, static_cast<std::int64_t>(e), target, events);
  }
  std::printf("events %llu (a pool of %llu, %d rounds), %.0f bytes each on average\n",
              static_cast<unsigned long long>(pool * static_cast<std::uint64_t>(rounds)),
              static_cast<unsigned long long>(pool), rounds,
              static_cast<double>(events.size()) / static_cast<double>(pool));
  events.reserve(events.size() + simdjson::SIMDJSON_PADDING);

  match_figures big = run_events(store, events, rounds);
  print(("match " + std::to_string(count)).c_str(), big,
        planted * static_cast<std::uint64_t>(rounds));

  // 3. The same events against 10,000 indicators.
  intel::store small_store;
  intel::load_feed(small_store, small_path);
  small_store.finalize();
  match_figures small = run_events(small_store, events, rounds);
  print("match 10000", small, planted_small * static_cast<std::uint64_t>(rounds));
  std::remove(path.c_str());
  std::remove(small_path.c_str());
  return 0;
}
