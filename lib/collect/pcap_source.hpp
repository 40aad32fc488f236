// pcap_source: `--pcap IFACE|FILE [--bpf FILTER]`, the wire as a log source.
//
// Reads a capture file (pcap or pcapng) to its end, or captures live on an
// interface until SIGTERM/SIGINT, and writes structured ECS records (DNS
// messages, HTTP requests, TLS ClientHellos, flow summaries: see
// pcap/analyzer.hpp) tagged with the source's organization and observer.
// Time is the packets' time. A damaged or truncated file is reported with
// its byte offset; the records of every packet before it are kept and the
// open flows are summarized. At the end one line on stderr tells what was
// read and what was skipped.
#pragma once

#include <memory>
#include <string>

#include "collect/source.hpp"

namespace mimamori::pcap {
class capture;
}

namespace mimamori::collect {

class pcap_source : public source {
 public:
  // Opens the file or interface and compiles the filter; throws
  // std::runtime_error naming them and the reason (a setup error), and
  // cli::usage_error for a filter that does not compile.
  pcap_source(const std::string& name, const std::string& filter, source_tags tags,
              bool report = true);
  ~pcap_source() override;

  [[nodiscard]] std::string describe() const override;
  bool run(batch_queue& out, const cli::io& io) override;

 private:
  bool run_file(batch_queue& out, const cli::io& io);
  bool run_live(batch_queue& out, const cli::io& io);

  std::unique_ptr<pcap::capture> capture_;
  bool report_;
};

}  // namespace mimamori::collect
