#include "pcap/tcp_stream.hpp"

#include <algorithm>

namespace mimamori::pcap {

namespace {

// Sequence-space distance from a to b (positive: b is after a).
std::int32_t distance(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(b - a);
}

}  // namespace

void tcp_stream::append(std::span<const std::uint8_t> bytes) {
  next_ += static_cast<std::uint32_t>(bytes.size());
  if (skip_ > 0) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, bytes.size()));
    skip_ -= n;
    bytes = bytes.subspan(n);
  }
  data_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

tcp_stream::result tcp_stream::segment(std::uint32_t seq, std::span<const std::uint8_t> payload) {
  if (payload.empty()) return result::ok;
  if (!synced_) {
    next_ = seq;
    synced_ = true;
  }
  std::int32_t ahead = distance(next_, seq);
  if (ahead < 0) {  // retransmitted bytes, maybe with new ones after them
    std::size_t old = static_cast<std::size_t>(-static_cast<std::int64_t>(ahead));
    if (old >= payload.size()) return result::ok;
    payload = payload.subspan(old);
    ahead = 0;
  }
  if (ahead > 0) {  // ahead of a gap: hold it
    if (pending_bytes_ + payload.size() > limit || pending_.size() >= 64) return result::gap;
    pending_.push_back(
        {seq, std::string(reinterpret_cast<const char*>(payload.data()), payload.size())});
    pending_bytes_ += payload.size();
    return result::ok;
  }
  // Never hold more than `limit`: a large segment is cut, and the stream
  // then says overflow (what it holds can still be read).
  if (skip_ > 0) {  // body bytes to pass over come first
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, payload.size()));
    skip_ -= n;
    next_ += static_cast<std::uint32_t>(n);
    payload = payload.subspan(n);
  }
  bool clipped = false;
  if (data_.size() + payload.size() > limit) {
    std::size_t room = limit > data_.size() ? limit - data_.size() : 0;
    clipped = true;
    next_ += static_cast<std::uint32_t>(payload.size() - room);
    payload = payload.first(room);
  }
  append(payload);
  if (clipped) return result::overflow;
  // Place held segments that now fit.
  bool placed = true;
  while (placed && !pending_.empty()) {
    placed = false;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      std::int32_t d = distance(next_, pending_[i].seq);
      std::size_t size = pending_[i].bytes.size();
      if (d > 0) continue;
      std::size_t old = static_cast<std::size_t>(-static_cast<std::int64_t>(d));
      if (old < size) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(pending_[i].bytes.data());
        if (data_.size() + (size - old) > limit) return result::overflow;
        append(std::span<const std::uint8_t>(p + old, size - old));
      }
      pending_bytes_ -= size;
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
      placed = true;
      break;
    }
  }
  return result::ok;
}

}  // namespace mimamori::pcap
