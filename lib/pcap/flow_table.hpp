// flow_table: the connections seen in a capture, by 5-tuple and VLAN.
//
// A flow's source is the side that sent its first packet (or the SYN's
// sender when the SYN-ACK is seen first). Flows end on RST, on FIN from
// both sides (after a short linger that collects the last ACKs), after an
// idle timeout measured on packet time, when the table is full (the idlest
// tenth is ended) and at the end of the capture. The table is bounded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pcap/decoder.hpp"
#include "pcap/tcp_stream.hpp"
#include "time/timestamp.hpp"

namespace mimamori::pcap {

// What a direction's bytes are being read as.
enum class stream_role : std::uint8_t { undecided, http, tls, dns, done };

struct flow {
  address src;
  address dst;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint8_t protocol = 0;
  bool has_ports = false;
  std::uint16_t vlan = 0;
  std::uint16_t inner_vlan = 0;
  time::timestamp start;
  time::timestamp last;
  std::uint64_t bytes[2] = {0, 0};  // [0] source to destination, [1] back
  std::uint64_t packets[2] = {0, 0};
  bool fin[2] = {false, false};
  bool rst = false;
  std::string_view app;  // "dns", "http", "tls" once recognized
  stream_role role[2] = {stream_role::undecided, stream_role::undecided};
  // TCP directions, allocated when a protocol parser needs the bytes.
  std::unique_ptr<tcp_stream> streams[2];

  [[nodiscard]] bool closing() const { return rst || (fin[0] && fin[1]); }
};

struct flow_limits {
  std::size_t max_flows = 100'000;
  std::int64_t tcp_idle_ns = 300'000'000'000;   // 5 minutes
  std::int64_t other_idle_ns = 60'000'000'000;  // UDP, ICMP...: 1 minute
  std::int64_t closed_linger_ns = 2'000'000'000;
};

class flow_table {
 public:
  explicit flow_table(flow_limits limits = {}) : limits_(limits) {}

  // The flow of a decoded packet, created if new; `forward` says whether
  // the packet goes from the flow's source to its destination. `created`
  // is set when the flow is new. nullptr for packets without an address.
  flow* find_or_add(const decoded& p, time::timestamp when, bool& forward, bool& created);

  // Calls end(flow, reason) for flows to end by `now` and removes them.
  // Also makes room when the table is full.
  template <typename End>
  void expire(time::timestamp now, End&& end);
  // Ends every flow (end of the capture).
  template <typename End>
  void end_all(End&& end);

  [[nodiscard]] bool full() const { return flows_.size() >= limits_.max_flows; }
  [[nodiscard]] std::size_t size() const { return flows_.size(); }
  [[nodiscard]] const flow_limits& limits() const { return limits_; }

  // Ends the idlest tenth of the flows.
  template <typename End>
  void make_room(End&& end);

 private:
  struct key {
    std::uint8_t lo[16];
    std::uint8_t hi[16];
    std::uint8_t lo_port[2];
    std::uint8_t hi_port[2];
    std::uint8_t vlan[4];
    std::uint8_t protocol;
    std::uint8_t family;
    friend bool operator==(const key&, const key&) = default;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const noexcept;
  };
  static key make_key(const decoded& p);

  flow_limits limits_;
  std::unordered_map<key, flow, key_hash> flows_;
  std::vector<std::int64_t> scratch_;
};

template <typename End>
void flow_table::expire(time::timestamp now, End&& end) {
  for (auto it = flows_.begin(); it != flows_.end();) {
    flow& f = it->second;
    std::int64_t idle = now.ns - f.last.ns;
    std::string_view reason;
    if (f.closing() && idle > limits_.closed_linger_ns) {
      reason = f.rst ? "rst" : "fin";
    } else if (idle >
               (f.protocol == ip_protocol::tcp ? limits_.tcp_idle_ns : limits_.other_idle_ns)) {
      reason = "idle timeout";
    }
    if (reason.empty()) {
      ++it;
      continue;
    }
    end(f, reason);
    it = flows_.erase(it);
  }
}

template <typename End>
void flow_table::end_all(End&& end) {
  for (auto& [k, f] : flows_) {
    std::string_view reason = "end of capture";
    if (f.rst) {
      reason = "rst";
    } else if (f.fin[0] && f.fin[1]) {
      reason = "fin";
    }
    end(f, reason);
  }
  flows_.clear();
}

template <typename End>
void flow_table::make_room(End&& end) {
  scratch_.clear();
  for (auto& [k, f] : flows_) scratch_.push_back(f.last.ns);
  if (scratch_.empty()) return;
  auto nth = scratch_.begin() + static_cast<std::ptrdiff_t>(scratch_.size() / 10);
  std::nth_element(scratch_.begin(), nth, scratch_.end());
  std::int64_t threshold = *nth;
  for (auto it = flows_.begin(); it != flows_.end();) {
    if (it->second.last.ns <= threshold) {
      end(it->second, "flow table full");
      it = flows_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace mimamori::pcap
