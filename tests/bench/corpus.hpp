// corpus: realistic log lines for benchmarks, reproducible from a seed.
//
//   ecs       compact ECS records of about 1 KB (firewall, proxy and sshd
//             events, with the raw syslog line in event.original)
//   firewall  syslog lines as vendors write them: Cisco ASA (302013, 302014,
//             106023), FortiGate key=value traffic, PAN-OS CSV TRAFFIC,
//             iptables kernel LOG
//   proxy     Squid native access.log lines
//   sshd      RFC 3164 sshd lines (Accepted/Failed password, Invalid user, ...)
//   mixed     firewall, proxy and sshd lines interleaved, as a syslog relay
//             would receive them
//   syslog    what a relay receives from the devices lognorm's benchmark
//             covers: Cisco ASA (302013-302016, 106023), FortiGate traffic,
//             Squid access lines sent through syslog, and sshd, all with a
//             syslog header
//
// The same seed gives the same bytes on every machine: the random numbers
// come from splitmix64, the clock starts at 2024-05-01T00:00:00Z and only
// moves forward. Lines are built by appending to a std::string, so a
// generator produces several hundred MB/s.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mimamori::bench {

enum class kind { ecs, firewall, proxy, sshd, mixed, syslog };

[[nodiscard]] std::optional<kind> parse_kind(std::string_view name);

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough here.
class prng {
 public:
  explicit prng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is negligible here).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }
  // True with probability percent/100.
  bool chance(std::uint32_t percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

class generator {
 public:
  generator(kind k, std::uint64_t seed);
  // Appends one line, "\n" included.
  void next(std::string& out);

  // The clock of the last line, milliseconds since the Unix epoch.
  [[nodiscard]] std::int64_t clock_ms() const { return clock_ms_; }

 private:
  struct flow;
  void tick();
  void make_flow(flow& f);
  void firewall_line(std::string& out, const flow& f, int vendor);
  void proxy_line(std::string& out, const flow& f);
  void sshd_line(std::string& out, const flow& f);
  void ecs_record(std::string& out);

  // Cached text forms of the current second.
  void format_second();

  kind kind_;
  prng rng_;
  std::int64_t clock_ms_;
  std::int64_t formatted_second_ = -1;
  char iso_[20]{};      // 2024-05-01T00:00:00
  char bsd_[16]{};      // May  1 00:00:00
  char slashed_[20]{};  // 2024/05/01 00:00:00
  std::uint64_t session_ = 100000;
  std::uint32_t pid_ = 4000;
  std::string raw_;  // the raw line inside an ECS record
};

}  // namespace mimamori::bench
