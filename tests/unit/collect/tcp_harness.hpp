// tcp_harness: runs a network source in a thread, as logcollect's runner
// does, with a stop signal of its own, and collects what it pushes.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <string>
#include <thread>

#include "cli/io.hpp"
#include "collect/batch.hpp"
#include "collect/source.hpp"
#include "ndjson/input.hpp"

namespace mimamori::testing {

class source_harness {
 public:
  explicit source_harness(std::size_t capacity = 64) : queue_(capacity) {
    if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
    io_.err = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  }
  ~source_harness() {
    stop();
    ::close(wake_[0]);
    ::close(wake_[1]);
    ::close(io_.err);
  }
  source_harness(const source_harness&) = delete;
  source_harness& operator=(const source_harness&) = delete;

  [[nodiscard]] ndjson::stop_signal stop_signal() const { return {wake_[0], &flag_}; }

  void start(collect::source& s, bool consume = true) {
    queue_.producer_started();
    producer_ = std::thread([this, &s] {
      ok_ = s.run(queue_, io_);
      queue_.producer_finished();
    });
    if (consume) start_consuming();
  }
  void start_consuming() {
    consumer_ = std::thread([this] {
      collect::batch b;
      while (queue_.pop(b)) {
        records_ += b.records;
        rejects_ += b.rejects;
      }
    });
  }
  void stop() {
    if (!producer_.joinable()) return;
    flag_ = SIGTERM;
    char c = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_[1], &c, 1);
    producer_.join();
    if (!consumer_.joinable()) start_consuming();
    consumer_.join();
  }
  [[nodiscard]] const std::string& records() const { return records_; }
  [[nodiscard]] const std::string& rejects() const { return rejects_; }
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  int wake_[2] = {-1, -1};
  volatile std::sig_atomic_t flag_ = 0;
  cli::io io_;
  collect::batch_queue queue_;
  std::thread producer_;
  std::thread consumer_;
  std::string records_;
  std::string rejects_;
  std::atomic<bool> ok_{false};
};

inline int connect_tcp(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

inline std::size_t count_of(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace mimamori::testing
