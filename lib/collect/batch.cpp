#include "collect/batch.hpp"

namespace mimamori::collect {

bool batch_queue::push(batch& b) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return closed_ || queue_.size() < capacity_; });
  if (closed_) return false;
  queue_.push_back(std::move(b));
  if (!spare_.empty()) {
    b = std::move(spare_.back());
    spare_.pop_back();
  } else {
    b = batch{};
  }
  b.clear();
  not_empty_.notify_one();
  return true;
}

bool batch_queue::pop(batch& out) {
  std::unique_lock lock(mutex_);
  not_empty_.wait(lock, [&] { return !queue_.empty() || producers_ == 0 || closed_; });
  if (queue_.empty()) return false;
  if (!out.records.empty() || out.records.capacity() > 0) {
    out.clear();
    if (spare_.size() < 4) spare_.push_back(std::move(out));
  }
  out = std::move(queue_.front());
  queue_.pop_front();
  not_full_.notify_one();
  return true;
}

void batch_queue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  not_full_.notify_all();
  not_empty_.notify_all();
}

void batch_queue::producer_started() {
  std::lock_guard lock(mutex_);
  ++producers_;
}

void batch_queue::producer_finished() {
  std::lock_guard lock(mutex_);
  --producers_;
  not_empty_.notify_all();
}

}  // namespace mimamori::collect
