// tcp_source: syslog over TCP (RFC 6587) and over TLS (RFC 5425).
//
// One thread serves the listener and every connection through epoll. Each
// connection has its own framer (syslog/framing.hpp): octet counting or LF
// framing, chosen per frame. A connection is read at most one buffer per
// turn, so none starves the others. When the output is behind, push()
// blocks and nothing is read: the kernel's windows fill and the senders
// slow down; nothing is dropped. Memory stays bounded: one read buffer per
// listener, and per connection at most one partial frame (max_message); a
// peer that connects and sends nothing costs its socket and nothing else.
//
// What cannot be a record becomes a pipeline_error record naming the
// connection ("tcp client 192.0.2.1:40001", frame number, stream offset):
// bytes after a wrong octet count; an octet-counted frame the peer closed
// before its end. A message over max_message goes on cut, tagged truncated,
// and is reported. An LF-framed line the peer closed before its LF is a
// record. On a stop request the bytes the kernel holds for each connection
// are read and framed before it ends.
#pragma once

#include <memory>
#include <string>

#include "collect/source.hpp"
#include "collect/tls_server.hpp"
#include "ndjson/input.hpp"
#include "syslog/framing.hpp"
#include "syslog/listener.hpp"

namespace mimamori::collect {

class tcp_source : public source {
 public:
  // Listens now (throws std::runtime_error when it cannot). With tls, every
  // connection is TLS.
  tcp_source(const syslog::endpoint& where, source_tags tags, std::unique_ptr<tls_server> tls,
             ndjson::stop_signal stop,
             std::size_t max_message = syslog::framer::default_max_message);
  ~tcp_source() override;

  [[nodiscard]] std::string describe() const override;
  bool run(batch_queue& out, const cli::io& io) override;

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::uint64_t handshake_failures() const { return handshake_failures_; }

 private:
  struct connection;
  class session;

  int fd_ = -1;
  std::string address_;
  std::unique_ptr<tls_server> tls_;
  ndjson::stop_signal stop_;
  std::size_t max_message_;
  std::atomic<std::uint64_t> handshake_failures_{0};
};

}  // namespace mimamori::collect
