// udp_source: syslog over UDP (RFC 5426), one datagram one message.
//
// recvmmsg() takes up to 64 datagrams per call into buffers big enough for
// any datagram; a trailing LF, CR or NUL is trimmed, the sender's address
// and port recorded. The socket asks for a large receive buffer (16 MiB,
// with SO_RCVBUFFORCE when allowed) so bursts wait in the kernel; what the
// kernel still drops is counted by the kernel itself (SO_RXQ_OVFL, checked
// against /proc/net/udp at the end) and reported in counters().dropped. On a
// stop request the datagrams already queued are read before it returns.
#pragma once

#include <string>

#include "collect/source.hpp"
#include "ndjson/input.hpp"
#include "syslog/listener.hpp"

namespace mimamori::collect {

class udp_source : public source {
 public:
  static constexpr int default_receive_buffer = 16 << 20;

  // Binds the socket now (throws std::runtime_error when it cannot).
  udp_source(const syslog::endpoint& where, source_tags tags, ndjson::stop_signal stop);
  ~udp_source() override;

  [[nodiscard]] std::string describe() const override { return "udp " + address_; }
  bool run(batch_queue& out, const cli::io& io) override;

  [[nodiscard]] std::uint16_t port() const;
  // What the kernel granted for the receive buffer.
  [[nodiscard]] int receive_buffer() const { return receive_buffer_; }

 private:
  void note_drops(std::uint64_t kernel_count);
  std::uint64_t proc_drops() const;

  int fd_ = -1;
  std::string address_;
  ndjson::stop_signal stop_;
  int receive_buffer_ = 0;
};

}  // namespace mimamori::collect
