// analyzer: captured frames in, ECS records out.
//
// Each frame is decoded (decoder.hpp) and counted in its flow
// (flow_table.hpp); UDP on the DNS ports (53, 5353 mDNS, 5355 LLMNR) is read
// as DNS; a TCP connection's client bytes are recognized as an HTTP request,
// a TLS ClientHello or DNS over TCP (the same ports), reassembled as far as needed
// (tcp_stream.hpp), and each request, hello or message becomes a record
// (event_writer.hpp). Flows are summarized when they end. Time is the
// packets' own time: replaying a file gives the same records every time.
// Records are appended to the caller's buffer, one line each.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "pcap/event_writer.hpp"
#include "pcap/flow_table.hpp"
#include "time/timestamp.hpp"

namespace mimamori::pcap {

struct analyzer_counters {
  std::uint64_t packets = 0;      // frames seen
  std::uint64_t bytes = 0;        // their captured bytes
  std::uint64_t not_ip = 0;       // ARP, LLDP...: skipped
  std::uint64_t malformed = 0;    // headers cut short or inconsistent
  std::uint64_t unsupported = 0;  // frames of a link type we do not decode
  std::uint64_t dns = 0;          // records written, by dataset
  std::uint64_t http = 0;
  std::uint64_t tls = 0;
  std::uint64_t flows = 0;
  std::uint64_t dns_malformed = 0;        // DNS-port payloads that did not parse
  std::uint64_t stream_gaps = 0;          // TCP directions given up at a gap that never closed
  std::uint64_t stream_overflows = 0;     // ... or at the per-direction byte limit
  std::uint64_t flows_evicted = 0;        // ended early because the table was full
  std::uint64_t streams_over_budget = 0;  // TCP directions not followed: too many at once

  [[nodiscard]] std::uint64_t records() const { return dns + http + tls + flows; }
};

class analyzer {
 public:
  explicit analyzer(record_tags tags, flow_limits limits = {});

  void set_created(time::timestamp when) { writer_.set_created(when); }
  // One frame of link type `link_type` (DLT_*) captured at `when`.
  void packet(int link_type, time::timestamp when, std::span<const std::uint8_t> frame,
              std::string& out);
  // Ends flows idle at `now` (live capture calls this while no packet comes).
  void advance(time::timestamp now, std::string& out);
  // Ends every flow: the capture is over.
  void finish(std::string& out);

  // TCP directions reassembled at once, each holding at most
  // 2 * tcp_stream::limit bytes: 4096 of them stay under 256 MiB.
  static constexpr std::size_t max_streams = 4096;

  [[nodiscard]] const analyzer_counters& counters() const { return counters_; }
  [[nodiscard]] std::size_t open_flows() const { return flows_.size(); }

 private:
  void udp(const decoded& p, time::timestamp when, std::string& out);
  void tcp_data(flow& f, int direction, const decoded& p, time::timestamp when, std::string& out);
  void read_stream(flow& f, int direction, time::timestamp when, std::string& out);
  void stop_stream(flow& f, int direction);
  void dns_message_record(const endpoints& e, time::timestamp when,
                          std::span<const std::uint8_t> message, std::string& out);
  void end_flow(const flow& f, std::string_view reason, std::string& out);
  [[nodiscard]] static endpoints oriented(const flow& f, int direction);

  event_writer writer_;
  flow_table flows_;
  analyzer_counters counters_;
  std::size_t streams_ = 0;  // tcp_streams allocated now
  time::timestamp last_sweep_ = time::timestamp::min();
  dns_message dns_;
  http_request http_;
  tls_client_hello hello_;
  std::string ja3_text_;
  std::string ja3_hash_;
};

}  // namespace mimamori::pcap
