// framing: splits a syslog byte stream (TCP, TLS) into messages, RFC 6587.
//
// Two framings exist and senders mix them, so the framing is chosen again
// for every frame from its first byte:
//   octet counting   "123 <34>1 2024-..."   a digit: MSG-LEN SP MSG
//   LF framing       "<34>Oct 11 ...\n"      anything else: MSG up to LF
// A digit run that is not followed by a space and a plausible length is not
// an octet count: on a connection that has not used octet counting it is the
// start of an LF-framed line; on one that has, the length before it was
// wrong, and the bytes up to the next LF or the next plausible frame start
// ("<digits> <") come out as a rejected frame. LF, CR and NUL between frames
// are skipped. A message longer than the limit is cut to its first
// `max_message` bytes (tagged truncated) and the rest skipped.
//
// Frames are views into the bytes fed (no copy) or, for a frame split across
// reads, into the framer's own buffer, which holds at most one partial frame
// (bounded by the limit) and nothing at all between frames: an idle
// connection costs no memory. A frame stays valid until the next call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mimamori::syslog {

enum class frame_status {
  complete,   // a whole message
  truncated,  // longer than the limit: its first max_message bytes
  bad_count,  // bytes that follow a wrong octet count (a reject)
  partial,    // the stream ended inside this frame (see finish())
};

enum class framing { octet_counting, lf };

struct frame {
  std::string_view text;  // the message, without length prefix or trailing LF
  frame_status status = frame_status::complete;
  syslog::framing framing = framing::lf;
  std::uint64_t offset = 0;    // where the frame starts in the stream
  std::uint64_t declared = 0;  // octet counting: the length the sender gave
};

class framer {
 public:
  static constexpr std::size_t default_max_message = std::size_t{1} << 20;
  // Octet counts of ten digits or more are not believed.
  static constexpr std::uint64_t max_octet_count = 999'999'999;

  // Smaller limits are raised to this: the ten digits a length may have
  // before it is found wrong must fit in a rejected frame.
  static constexpr std::size_t smallest_max_message = 16;

  explicit framer(std::size_t max_message = default_max_message)
      : max_(max_message < smallest_max_message ? smallest_max_message : max_message) {}

  // Hands the framer the next bytes of the stream; they must stay valid
  // until next() has returned false.
  void feed(std::string_view bytes);
  // The next frame from what was fed; false when it needs more bytes.
  bool next(frame& out);
  // The stream has ended: the frame it ended inside, if any (a partial LF
  // line is complete; a short octet-counted frame is partial).
  bool finish(frame& out);

  // Whether the framer holds bytes of an unfinished frame.
  [[nodiscard]] bool holds_partial() const;
  [[nodiscard]] std::uint64_t stream_offset() const { return offset_; }
  [[nodiscard]] bool octet_counting_seen() const { return octet_seen_; }
  // Frames cut at the limit and bytes skipped after them.
  [[nodiscard]] std::uint64_t bytes_skipped() const { return skipped_; }
  // Gives back a large buffer after a large frame (with many idle
  // connections, memory stays at what they hold now).
  void release_memory();

 private:
  enum class state { frame_start, count, octet_body, lf_body, skip_octets, skip_line, resync };

  bool emit(frame& out, std::string_view text, frame_status status, syslog::framing f);
  bool take_octets(frame& out);
  bool take_line(frame& out);
  bool take_resync(frame& out);
  void consume(std::size_t n) {
    input_.remove_prefix(n);
    offset_ += n;
  }

  std::size_t max_;
  std::string_view input_;
  std::string pending_;         // the partial frame (or count digits)
  bool clear_pending_ = false;  // pending_ was handed out as a frame
  state state_ = state::frame_start;
  bool octet_seen_ = false;
  std::uint64_t offset_ = 0;        // stream offset of input_.front()
  std::uint64_t frame_offset_ = 0;  // stream offset of the current frame
  std::uint64_t count_ = 0;         // octet count being read / declared
  std::uint64_t remaining_ = 0;     // octets still to come in this frame
  std::uint64_t skipped_ = 0;
  std::size_t scan_from_ = 1;  // resync: where the search goes on
};

}  // namespace mimamori::syslog
