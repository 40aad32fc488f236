// fuzz: mimamori_syslog
// Arbitrary bytes through the RFC 6587 framer (syslog/framing.hpp), fed at
// once and in arbitrary chunks (as TCP reads cut them), with a small message
// limit so that truncation and resynchronisation are reached. Invariants:
//   - no crash, no sanitizer report;
//   - the frames do not depend on how the stream was cut: the same texts,
//     statuses, offsets and declared lengths, and the same skipped count;
//   - every frame is the bytes of the stream where its offset says (after
//     "LEN " for an octet-counted one), never longer than the limit, never
//     overlapping another, offsets growing;
//   - every byte is accounted for: inside a frame (a message or a rejected
//     frame), counted as skipped, or framing syntax (the digits and space of
//     a length, LF, CR, NUL between or ending frames).
//
// The first byte sets the limit (8 to 1028 bytes; the framer raises it to
// 16), the next two seed the chunk sizes (1 to 64 bytes, now and then more
// than a whole frame); the rest is the stream.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "syslog/framing.hpp"

using namespace mimamori;

namespace {

struct seen {
  std::string text;
  syslog::frame_status status;
  syslog::framing framing;
  std::uint64_t offset;
  std::uint64_t declared;
  bool operator==(const seen&) const = default;
};

void take(syslog::framer& f, std::vector<seen>& out) {
  syslog::frame fr;
  while (f.next(fr)) {
    out.push_back({std::string(fr.text), fr.status, fr.framing, fr.offset, fr.declared});
  }
}

void finish(syslog::framer& f, std::vector<seen>& out) {
  syslog::frame fr;
  if (f.finish(fr)) {
    out.push_back({std::string(fr.text), fr.status, fr.framing, fr.offset, fr.declared});
  }
}

bool is_syntax(char c) {
  return c == '\n' || c == '\r' || c == '\0' || c == ' ' || (c >= '0' && c <= '9');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  std::size_t asked = 8 + std::size_t{data[0]} * 4;
  std::size_t limit = std::max(asked, syslog::framer::smallest_max_message);
  std::uint32_t seed = (std::uint32_t{data[1]} << 8) | data[2];
  std::string_view stream(reinterpret_cast<const char*>(data) + 3, size - 3);

  // At once.
  syslog::framer whole(asked);
  std::vector<seen> a;
  whole.feed(stream);
  take(whole, a);
  finish(whole, a);

  // In chunks, giving memory back between reads as the TCP source does.
  syslog::framer cut(asked);
  std::vector<seen> b;
  std::uint32_t state = seed * 2654435761U + 1;
  for (std::size_t at = 0; at < stream.size();) {
    state = state * 1103515245U + 12345U;
    std::size_t n = 1 + (state >> 16) % 64;
    if ((state >> 8) % 16 == 0) n += limit;  // now and then past a whole frame
    n = std::min(n, stream.size() - at);
    cut.feed(stream.substr(at, n));
    take(cut, b);
    cut.release_memory();
    at += n;
  }
  finish(cut, b);

  if (a != b || whole.bytes_skipped() != cut.bytes_skipped()) std::abort();

  // Where each frame lies in the stream, and what is left over.
  std::vector<bool> covered(stream.size(), false);
  std::uint64_t last_end = 0;
  for (const seen& s : a) {
    if (s.text.size() > limit) std::abort();
    std::uint64_t start = s.offset;
    // After "LEN " when a length was read (it starts with 1-9); a rejected
    // frame, and the digits of a length the stream ended inside, start at
    // the offset itself.
    if (s.framing == syslog::framing::octet_counting && s.declared > 0) {
      start += std::to_string(s.declared).size() + 1;
    }
    if (s.offset < last_end || start + s.text.size() > stream.size()) std::abort();
    if (stream.substr(start, s.text.size()) != s.text) std::abort();
    for (std::size_t i = 0; i < s.text.size(); ++i) covered[start + i] = true;
    last_end = start + s.text.size();
  }
  std::uint64_t left = 0;
  std::uint64_t left_data = 0;  // left over and not framing syntax: must be skipped ones
  for (std::size_t i = 0; i < stream.size(); ++i) {
    if (covered[i]) continue;
    ++left;
    if (!is_syntax(stream[i])) ++left_data;
  }
  if (whole.bytes_skipped() > left || left_data > whole.bytes_skipped()) std::abort();
  return 0;
}
