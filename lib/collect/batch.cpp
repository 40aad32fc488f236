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
  return pop_until(out, std::chrono::steady_clock::time_point::max()) == wait::got;
}

batch_queue::wait batch_queue::pop_until(batch& out,
                                         std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  auto ready = [&] { return !queue_.empty() || producers_ == 0 || closed_; };
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    not_empty_.wait(lock, ready);
  } else if (!not_empty_.wait_until(lock, deadline, ready)) {
    return wait::timeout;
  }
  if (queue_.empty()) return wait::done;
  if (!out.records.empty() || out.records.capacity() > 0) {
    out.clear();
    if (spare_.size() < 4) spare_.push_back(std::move(out));
  }
  out = std::move(queue_.front());
  queue_.pop_front();
  not_full_.notify_one();
  return wait::got;
}

bool batch_queue::waiting() {
  std::lock_guard lock(mutex_);
  return !queue_.empty();
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
