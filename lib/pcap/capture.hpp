// capture: packets from libpcap, out of a pcap/pcapng file or a live
// interface, with an optional BPF filter.
//
// A name that is an existing file (or "-", stdin) is read as a capture file
// at nanosecond precision; any other name is an interface, opened
// promiscuous (which needs root or CAP_NET_RAW). Live capture is
// non-blocking: wait on selectable_fd() (poll it with the stop signal's
// wake fd) and call next() until it says `idle`. A file that breaks off
// reports the byte offset of the record that could not be read; everything
// before it has been delivered.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

#include "time/timestamp.hpp"

struct pcap;  // libpcap's handle (pcap_t)

namespace mimamori::pcap {

// A --bpf filter that does not compile (a usage error, not a runtime one).
class filter_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class capture {
 public:
  enum class next_status { packet, idle, end, error };

  // Opens `name` (a file or an interface) and applies `filter` (BPF syntax,
  // may be empty). Throws std::runtime_error naming `name` and the reason,
  // filter_error when the filter does not compile.
  static std::unique_ptr<capture> open(const std::string& name, const std::string& filter);
  ~capture();
  capture(const capture&) = delete;
  capture& operator=(const capture&) = delete;

  [[nodiscard]] bool live() const { return live_; }
  [[nodiscard]] int link_type() const { return link_type_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  // Live capture: a descriptor that becomes readable when packets wait.
  [[nodiscard]] int selectable_fd() const;

  // The next packet. `frame` stays valid until the following call.
  next_status next(time::timestamp& when, std::span<const std::uint8_t>& frame);
  // After `error`: what happened (for a file, with the byte offset).
  [[nodiscard]] const std::string& message() const { return message_; }
  // Live capture: packets the kernel or interface dropped (pcap_stats).
  [[nodiscard]] std::uint64_t dropped() const;

 private:
  capture() = default;

  ::pcap* handle_ = nullptr;
  std::string name_;
  std::string message_;
  bool live_ = false;
  int link_type_ = 0;
  bool nano_ = false;
};

}  // namespace mimamori::pcap
