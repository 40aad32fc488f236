#include "ndjson/reader.hpp"

#include <algorithm>
#include <cstring>

namespace mimamori::ndjson {

line_reader::line_reader(std::unique_ptr<input> in, reader_options options)
    : in_(std::move(in)), options_(options) {
  capacity_ = std::max<std::size_t>(options_.buffer_size, 4096);
  buffer_ = std::make_unique_for_overwrite<char[]>(capacity_ + padding);
  std::memset(buffer_.get(), 0, padding);
}

void line_reader::grow(std::size_t at_least) {
  std::size_t cap = capacity_;
  while (cap < at_least) cap *= 2;
  auto bigger = std::make_unique_for_overwrite<char[]>(cap + padding);
  std::memcpy(bigger.get(), buffer_.get() + begin_, end_ - begin_);
  buffer_ = std::move(bigger);
  end_ -= begin_;
  begin_ = 0;
  capacity_ = cap;
}

bool line_reader::fill() {
  if (at_end_) return false;
  if (begin_ > 0 && (end_ == capacity_ || begin_ >= capacity_ / 2)) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) grow(capacity_ * 2);
  read_result r = in_->read(buffer_.get() + end_, capacity_ - end_);
  if (r.status == read_status::ok) {
    end_ += r.size;
    std::memset(buffer_.get() + end_, 0, std::min(padding, capacity_ + padding - end_));
    return true;
  }
  at_end_ = true;
  status_ = r.status;
  return false;
}

bool line_reader::next(line& out) {
  for (;;) {
    const char* data = buffer_.get();
    const char* from = data + begin_ + scanned_;
    const char* nl = static_cast<const char*>(std::memchr(from, '\n', end_ - begin_ - scanned_));
    std::size_t length = 0;
    bool complete = nl != nullptr;
    if (complete) {
      length = static_cast<std::size_t>(nl - (data + begin_));
    } else if (end_ - begin_ >= options_.max_line && skip_ == 0) {
      // A line longer than max_line: hand out its head, drop the rest.
      length = options_.max_line;
    } else if (skip_ > 0 && end_ > begin_) {
      // Dropping the tail of a cut line that has no "\n" in this buffer yet.
      skip_ += end_ - begin_;
      consumed_ += end_ - begin_;
      begin_ = end_ = scanned_ = 0;
      if (fill()) continue;
      return false;
    } else {
      scanned_ = end_ - begin_;
      if (fill()) continue;
      if (end_ == begin_) return false;
      length = end_ - begin_;  // the last line has no "\n"
      complete = true;
    }

    if (skip_ > 0) {  // the rest of a cut line ends here
      std::size_t n = length + (nl != nullptr ? 1 : 0);
      consumed_ += n;
      begin_ += n;
      scanned_ = 0;
      skip_ = 0;
      continue;
    }

    ++line_number_;
    out.where = {in_->name(), line_number_, consumed_};
    out.truncated = !complete;
    std::size_t text_length = length;
    if (complete && text_length > 0 && data[begin_ + text_length - 1] == '\r') --text_length;
    out.text = std::string_view(data + begin_, text_length);
    std::size_t advance = length + (nl != nullptr ? 1 : 0);
    if (!complete) skip_ = 1;  // drop until the next "\n"
    consumed_ += advance;
    begin_ += advance;
    scanned_ = 0;
    return true;
  }
}

}  // namespace mimamori::ndjson
