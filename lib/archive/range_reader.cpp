#include "archive/range_reader.hpp"

#include <algorithm>
#include <limits>

#include "archive/layout.hpp"

namespace mimamori::archive {

range_reader::range_reader(std::string dir, std::string organization, time::timestamp from,
                           time::timestamp to)
    : dir_(std::move(dir)), from_(from), to_(to) {
  if (!(from < to)) return;
  index idx(dir_, true);
  files_ = idx.list(organization, hour_of(from), hour_of(time::timestamp::from_nanos(to.ns - 1)));
  if (!idx.message().empty()) note_failure(idx.message());
  // An empty organization lists every organization; keep only the one asked.
  std::erase_if(files_, [&](const hour_file& f) { return f.organization != organization; });
}

void range_reader::note_failure(const std::string& why) {
  if (!failed_) message_ = why;
  failed_ = true;
}

time::timestamp range_reader::time_of(std::string_view line) {
  time::timestamp t;
  if (!key_.read_time(line, t)) t = previous_;
  previous_ = t;
  return t;
}

void range_reader::end_of_file() {
  const hour_file& f = files_[next_file_ - 1];
  if (reader_.state() == read_state::error) {
    note_failure(reader_.message());
  } else if (reader_.truncated() > 0 && !f.open) {
    note_failure(dir_ + "/" + f.path + ": " + std::to_string(reader_.truncated()) +
                 " bytes after the last complete frame were not read");
  }
  active_ = false;
}

bool range_reader::open_next_file() {
  while (next_file_ < files_.size()) {
    const hour_file& f = files_[next_file_++];
    std::string path = dir_ + "/" + f.path;
    if (!reader_.open(path)) {
      note_failure(reader_.message());
      continue;
    }
    previous_ = hour_start(f.hour);
    active_ = true;
    reordering_ = !(f.in_order && !f.open);
    if (!reordering_) return true;
    // First pass: how late does a record come, at most?
    std::int64_t newest = std::numeric_limits<std::int64_t>::min();
    std::int64_t lateness = 0;
    std::string_view line;
    while (reader_.next(line)) {
      std::int64_t ns = time_of(line).ns;
      if (ns > newest)
        newest = ns;
      else
        lateness = std::max(lateness, newest - ns);
    }
    std::uint64_t snapshot = reader_.complete_bytes();
    if (reader_.state() == read_state::end && reader_.truncated() > 0 && !f.open)
      note_failure(path + ": " + std::to_string(reader_.truncated()) +
                   " bytes after the last complete frame were not read");
    if (reader_.state() == read_state::error) {
      end_of_file();  // the second pass would stop at the same place
      if (snapshot == 0) continue;
    }
    if (!reader_.open(path)) {
      note_failure(reader_.message());
      continue;
    }
    reader_.limit(snapshot);
    previous_ = hour_start(f.hour);
    lateness_ns_ = lateness;
    newest_ns_ = std::numeric_limits<std::int64_t>::min();
    input_done_ = false;
    active_ = true;
    return true;
  }
  return false;
}

bool range_reader::next_streamed(std::string_view& line, time::timestamp& when) {
  while (reader_.next(line)) {
    time::timestamp t = time_of(line);
    if (t < from_) continue;
    if (!(t < to_)) break;  // in order: nothing later in this file is in range
    when = t;
    return true;
  }
  end_of_file();
  return false;
}

void range_reader::heap_push(std::size_t slot_index) {
  heap_.push_back(slot_index);
  std::push_heap(heap_.begin(), heap_.end(), [this](std::size_t a, std::size_t b) {
    const slot& x = slots_[a];
    const slot& y = slots_[b];
    return x.ns != y.ns ? x.ns > y.ns : x.seq > y.seq;  // min-heap
  });
  most_buffered_ = std::max(most_buffered_, heap_.size());
}

std::size_t range_reader::heap_pop() {
  std::pop_heap(heap_.begin(), heap_.end(), [this](std::size_t a, std::size_t b) {
    const slot& x = slots_[a];
    const slot& y = slots_[b];
    return x.ns != y.ns ? x.ns > y.ns : x.seq > y.seq;
  });
  std::size_t top = heap_.back();
  heap_.pop_back();
  return top;
}

bool range_reader::next_reordered(std::string_view& line, time::timestamp& when) {
  for (;;) {
    // A buffered record is due once no record still to come can be earlier:
    // every later record is at most lateness_ns_ behind the newest so far.
    if (!heap_.empty() && (input_done_ || slots_[heap_.front()].ns <= newest_ns_ - lateness_ns_)) {
      returned_ = heap_pop();
      line = slots_[returned_].text;
      when = time::timestamp::from_nanos(slots_[returned_].ns);
      return true;
    }
    if (input_done_) {
      end_of_file();
      return false;
    }
    std::string_view raw;
    if (!reader_.next(raw)) {
      input_done_ = true;
      continue;
    }
    time::timestamp t = time_of(raw);
    newest_ns_ = std::max(newest_ns_, t.ns);
    if (t < from_ || !(t < to_)) continue;
    std::size_t s;
    if (!free_.empty()) {
      s = free_.back();
      free_.pop_back();
    } else {
      s = slots_.size();
      slots_.emplace_back();
    }
    slots_[s].ns = t.ns;
    slots_[s].seq = seq_++;
    slots_[s].text.assign(raw);
    heap_push(s);
  }
}

bool range_reader::next(std::string_view& line, time::timestamp& when) {
  if (returned_ != SIZE_MAX) {  // the slot handed out last time is free again
    free_.push_back(returned_);
    returned_ = SIZE_MAX;
  }
  for (;;) {
    if (!active_ && !open_next_file()) return false;
    if (reordering_ ? next_reordered(line, when) : next_streamed(line, when)) return true;
  }
}

}  // namespace mimamori::archive
