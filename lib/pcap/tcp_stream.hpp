// tcp_stream: one direction of a TCP connection put back in order, enough
// to read a request head or a ClientHello that spans segments.
//
// Bytes are kept only while a protocol parser wants them (the caller
// consumes what it has parsed and stops the stream when done), and never
// more than `limit` per direction: memory per flow stays small. Segments
// that arrive ahead of a gap are held (up to the same limit) and placed
// when the gap closes; retransmitted bytes are dropped. A gap that never
// closes ends the stream's parsing (counted as a gap). A capture that
// starts in the middle of a connection syncs on the first segment seen.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mimamori::pcap {

class tcp_stream {
 public:
  static constexpr std::size_t limit = 32 * 1024;

  enum class result { ok, gap, overflow };

  // A SYN (or SYN-ACK) carrying sequence number `seq`.
  void syn(std::uint32_t seq) {
    next_ = seq + 1;
    synced_ = true;
  }
  // A segment's payload at `seq`. Returns gap or overflow when the
  // stream can no longer be followed (the caller stops parsing it).
  result segment(std::uint32_t seq, std::span<const std::uint8_t> payload);

  // The bytes in order, not yet consumed.
  [[nodiscard]] std::string_view data() const { return data_; }
  void consume(std::size_t n) {
    data_.erase(0, n);
    if (data_.empty() && data_.capacity() > 4096) std::string().swap(data_);  // give it back
  }
  // Skips the next n bytes (an HTTP body): those held now and those to come.
  void skip(std::uint64_t n) {
    std::size_t now = static_cast<std::size_t>(std::min<std::uint64_t>(n, data_.size()));
    data_.erase(0, now);
    skip_ = n - now;
  }
  [[nodiscard]] bool held_segments() const { return !pending_.empty(); }
  // Frees the buffers (the stream is done).
  void release() {
    std::string().swap(data_);
    std::vector<held>().swap(pending_);
  }

 private:
  struct held {
    std::uint32_t seq;
    std::string bytes;
  };
  void append(std::span<const std::uint8_t> bytes);

  std::string data_;
  std::vector<held> pending_;
  std::size_t pending_bytes_ = 0;
  std::uint64_t skip_ = 0;
  std::uint32_t next_ = 0;
  bool synced_ = false;
};

}  // namespace mimamori::pcap
