#include "syslog/framing.hpp"

#include <algorithm>
#include <cstring>

namespace mimamori::syslog {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Senders differ on whether an octet-counted message ends in LF (or NUL);
// the framing already ends it, so those bytes are not part of the message.
std::string_view trim_trailer(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '\0')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view trim_cr(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::uint64_t parse_count(std::string_view digits) {
  std::uint64_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

constexpr std::size_t max_count_digits = 9;
constexpr std::size_t kept_capacity = 16 * 1024;

}  // namespace

void framer::feed(std::string_view bytes) {
  input_ = bytes;
}

bool framer::emit(frame& out, std::string_view text, frame_status status, syslog::framing f) {
  out.text = text;
  out.status = status;
  out.framing = f;
  out.offset = frame_offset_;
  out.declared = f == framing::octet_counting ? count_ : 0;
  return true;
}

bool framer::holds_partial() const {
  return state_ == state::count || state_ == state::octet_body || state_ == state::lf_body ||
         state_ == state::resync;
}

void framer::release_memory() {
  if (clear_pending_) {
    pending_.clear();
    clear_pending_ = false;
  }
  if (pending_.empty() && pending_.capacity() > kept_capacity) std::string().swap(pending_);
}

bool framer::next(frame& out) {
  if (clear_pending_) {
    pending_.clear();
    clear_pending_ = false;
  }
  while (!input_.empty()) {
    switch (state_) {
      case state::frame_start: {
        char c = input_.front();
        if (c == '\n' || c == '\r' || c == '\0') {
          consume(1);
          continue;
        }
        frame_offset_ = offset_;
        count_ = 0;
        if (c >= '1' && c <= '9') {
          state_ = state::count;
        } else if (c == '<' || !octet_seen_) {
          state_ = state::lf_body;
        } else {  // the octet count before this frame was wrong
          scan_from_ = 1;
          state_ = state::resync;
        }
        continue;
      }
      case state::count: {
        std::size_t i = 0;
        while (i < input_.size() && is_digit(input_[i]) &&
               pending_.size() + i <= max_count_digits) {
          ++i;
        }
        pending_.append(input_.data(), i);
        consume(i);
        if (input_.empty()) return false;
        if (input_.front() == ' ' && pending_.size() <= max_count_digits) {
          count_ = parse_count(pending_);
          remaining_ = count_;
          pending_.clear();
          consume(1);
          octet_seen_ = true;
          state_ = state::octet_body;
        } else if (!octet_seen_) {  // a line that starts with digits
          state_ = state::lf_body;
        } else {
          scan_from_ = 1;
          state_ = state::resync;
        }
        continue;
      }
      case state::octet_body:
        if (take_octets(out)) return true;
        continue;
      case state::lf_body:
        if (take_line(out)) return true;
        continue;
      case state::skip_octets: {
        std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input_.size()));
        consume(n);
        skipped_ += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = state::frame_start;
        continue;
      }
      case state::skip_line: {
        const void* nl = std::memchr(input_.data(), '\n', input_.size());
        std::size_t n =
            nl == nullptr ? input_.size()
                          : static_cast<std::size_t>(static_cast<const char*>(nl) - input_.data());
        skipped_ += n;
        consume(n);
        if (nl != nullptr) {
          consume(1);
          state_ = state::frame_start;
        }
        continue;
      }
      case state::resync:
        if (take_resync(out)) return true;
        continue;
    }
  }
  return false;
}

bool framer::take_octets(frame& out) {
  std::uint64_t limit = std::min<std::uint64_t>(count_, max_);
  if (pending_.empty() && input_.size() >= limit) {  // all of it here: no copy
    std::string_view text = input_.substr(0, static_cast<std::size_t>(limit));
    consume(text.size());
    remaining_ -= text.size();
    if (remaining_ == 0) {
      state_ = state::frame_start;
      return emit(out, trim_trailer(text), frame_status::complete, framing::octet_counting);
    }
    state_ = state::skip_octets;
    return emit(out, text, frame_status::truncated, framing::octet_counting);
  }
  std::size_t want = static_cast<std::size_t>(limit - pending_.size());
  std::size_t n = std::min(want, input_.size());
  pending_.append(input_.data(), n);
  consume(n);
  remaining_ -= n;
  if (pending_.size() < limit) return false;
  clear_pending_ = true;
  if (remaining_ == 0) {
    state_ = state::frame_start;
    return emit(out, trim_trailer(pending_), frame_status::complete, framing::octet_counting);
  }
  state_ = state::skip_octets;
  return emit(out, pending_, frame_status::truncated, framing::octet_counting);
}

bool framer::take_line(frame& out) {
  const void* found = std::memchr(input_.data(), '\n', input_.size());
  std::size_t n = found == nullptr
                      ? input_.size()
                      : static_cast<std::size_t>(static_cast<const char*>(found) - input_.data());
  if (pending_.size() + n > max_) {  // over the limit: cut, skip to the LF
    std::size_t room = max_ - pending_.size();
    std::string_view text;
    if (pending_.empty()) {
      text = input_.substr(0, room);
    } else {
      pending_.append(input_.data(), room);
      text = pending_;
      clear_pending_ = true;
    }
    consume(room);
    state_ = state::skip_line;
    return emit(out, text, frame_status::truncated, framing::lf);
  }
  if (found == nullptr) {
    pending_.append(input_.data(), n);
    consume(n);
    return false;
  }
  std::string_view text;
  if (pending_.empty()) {
    text = input_.substr(0, n);
  } else {
    pending_.append(input_.data(), n);
    text = pending_;
    clear_pending_ = true;
  }
  consume(n + 1);
  state_ = state::frame_start;
  return emit(out, trim_cr(text), frame_status::complete, framing::lf);
}

// The bytes after a wrong octet count, kept as a rejected frame up to the
// next LF or the next "<digits> <" that starts a plausible frame.
bool framer::take_resync(frame& out) {
  std::size_t old = pending_.size();
  std::size_t n = std::min(input_.size(), max_ > old ? max_ - old : std::size_t{1});
  pending_.append(input_.data(), n);
  std::size_t end = 0;
  std::size_t resume = 0;  // index in pending_ of the first byte not rejected
  bool octets = false;
  std::size_t i = std::max<std::size_t>(scan_from_, 1);
  for (; i < pending_.size(); ++i) {
    char c = pending_[i];
    if (c == '\n') {
      end = i;
      resume = i + 1;
      break;
    }
    if (c < '1' || c > '9' || is_digit(pending_[i - 1])) continue;
    std::size_t j = i;
    while (j < pending_.size() && is_digit(pending_[j]) && j - i < max_count_digits) ++j;
    if (j + 1 >= pending_.size()) break;  // may be a frame start: wait for more
    if (pending_[j] == ' ' && pending_[j + 1] == '<') {
      end = i;
      resume = j + 1;
      octets = true;
      count_ = parse_count(std::string_view(pending_).substr(i, j - i));
      break;
    }
  }
  if (resume == 0) {  // no end found in what we have
    scan_from_ = i;
    consume(n);
    if (pending_.size() < max_) return false;
    end = pending_.size();  // a whole limit's worth: out it goes
    resume = end;
  } else {
    // resume >= old: a split found in bytes seen before would have been taken
    consume(resume - old);
  }
  pending_.resize(end);
  clear_pending_ = true;
  scan_from_ = 1;
  std::uint64_t declared = count_;
  emit(out, pending_, frame_status::bad_count, framing::octet_counting);
  out.declared = 0;
  if (octets) {
    frame_offset_ = offset_ - (resume - end);
    remaining_ = declared;
    state_ = state::octet_body;
  } else if (resume == end && end == max_) {
    state_ = state::resync;
    frame_offset_ = offset_;
  } else {
    state_ = state::frame_start;
  }
  return true;
}

bool framer::finish(frame& out) {
  if (clear_pending_) {
    pending_.clear();
    clear_pending_ = false;
  }
  bool have = true;
  switch (state_) {
    case state::count:
      if (octet_seen_) {
        emit(out, pending_, frame_status::partial, framing::octet_counting);
      } else {
        emit(out, pending_, frame_status::complete, framing::lf);
      }
      break;
    case state::octet_body:
      emit(out, pending_, frame_status::partial, framing::octet_counting);
      break;
    case state::lf_body: emit(out, trim_cr(pending_), frame_status::complete, framing::lf); break;
    case state::resync:
      have = !pending_.empty();
      if (have) emit(out, pending_, frame_status::bad_count, framing::octet_counting);
      out.declared = 0;
      break;
    default: have = false;
  }
  state_ = state::frame_start;
  clear_pending_ = true;
  input_ = {};
  return have;
}

}  // namespace mimamori::syslog
