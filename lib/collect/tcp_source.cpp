#include "collect/tcp_source.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "cli/main.hpp"

namespace mimamori::collect {

namespace {

constexpr std::size_t read_size = 256 * 1024;
constexpr int drain_reads = 64;  // per connection on stop: up to 16 MiB
constexpr std::uint64_t failures_shown = 10;

}  // namespace

struct tcp_source::connection {
  explicit connection(std::size_t max_message) : framer(max_message) {}
  int fd = -1;
  SSL* ssl = nullptr;
  bool handshaking = false;
  bool writing = false;  // also waiting for EPOLLOUT (TLS)
  bool queued = false;   // in the ready list: TLS holds decrypted bytes
  syslog::framer framer;
  syslog::peer_address peer;
  std::string name;  // "tcp client 192.0.2.1:40001"
  std::uint64_t frames = 0;
};

// One run(): the epoll set, the connections and the batch being filled.
class tcp_source::session {
 public:
  session(tcp_source& source, batch_queue& out, const cli::io& io)
      : src_(source), out_(out), io_(io), buffer_(read_size) {}
  ~session() {
    while (!connections_.empty()) drop(*connections_.begin()->second);
    if (epoll_ >= 0) ::close(epoll_);
  }
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  bool run();

 private:
  enum class got { data, again, closed };

  void accept_all();
  void service(connection& c);
  got read_once(connection& c, std::size_t& n);
  void take(connection& c, std::string_view bytes);
  void on_frame(connection& c, const syslog::frame& f);
  void close(connection& c, bool keep_partial);
  void drop(connection& c);
  void watch(connection& c, bool writing);
  void handshake_failed(connection& c, const std::string& reason);
  void tally() {
    src_.counters_.received += received_;
    src_.counters_.bytes += bytes_;
    received_ = bytes_ = 0;
  }
  void push_if_full() {
    if (!b_.full() || gone_) return;
    tally();
    if (!out_.push(b_)) gone_ = true;
  }

  tcp_source& src_;
  batch_queue& out_;
  const cli::io& io_;
  std::vector<char> buffer_;
  int epoll_ = -1;
  std::unordered_map<connection*, std::unique_ptr<connection>> connections_;
  std::vector<connection*> ready_;
  batch b_;
  std::uint64_t received_ = 0;
  std::uint64_t bytes_ = 0;
  bool gone_ = false;  // the output has gone: end
  bool accept_paused_ = false;
  std::uint64_t accept_pauses_ = 0;  // said once, counted after
  char listener_tag_ = 0;
  char wake_tag_ = 0;
};

tcp_source::tcp_source(const syslog::endpoint& where, source_tags tags,
                       std::unique_ptr<tls_server> tls, ndjson::stop_signal stop,
                       std::size_t max_message)
    : source(std::move(tags)), tls_(std::move(tls)), stop_(stop), max_message_(max_message) {
  fd_ = syslog::open_listener(where, syslog::transport::tcp);
  address_ = syslog::local_address(fd_);
}

tcp_source::~tcp_source() {
  if (fd_ >= 0) ::close(fd_);
}

std::string tcp_source::describe() const {
  return (tls_ ? "tls " : "tcp ") + address_;
}

std::uint16_t tcp_source::port() const {
  return syslog::local_port(fd_);
}

bool tcp_source::run(batch_queue& out, const cli::io& io) {
  session s(*this, out, io);
  return s.run();
}

bool tcp_source::session::run() {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) {
    cli::print_line(io_.err, "logcollect: " + src_.describe() + ": epoll: " + std::strerror(errno));
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &listener_tag_;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, src_.fd_, &ev);
  if (src_.stop_.wake_fd >= 0) {
    ev.data.ptr = &wake_tag_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, src_.stop_.wake_fd, &ev);
  }
  std::vector<epoll_event> events(256);
  while (!gone_ && !src_.stop_.requested()) {
    int timeout = !ready_.empty() ? 0 : (src_.stop_.wake_fd >= 0 ? -1 : 200);
    int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      cli::print_line(io_.err,
                      "logcollect: " + src_.describe() + ": epoll: " + std::strerror(errno));
      break;
    }
    for (int i = 0; i < n && !gone_; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &wake_tag_) continue;  // the loop condition sees the request
      if (tag == &listener_tag_) {
        accept_all();
      } else {
        service(*static_cast<connection*>(tag));
      }
    }
    if (n == 0 || ready_.size() > 0) {
      std::vector<connection*> now;
      now.swap(ready_);
      for (connection* c : now) {
        c->queued = false;
        if (!gone_) service(*c);
      }
    }
    if (b_.record_count + b_.reject_count > 0 && !gone_) {
      // Nothing more to read right now: hand over what we have.
      tally();
      if (!out_.push(b_)) gone_ = true;
    }
  }
  // Stopping: take the connections still in the backlog, read what the
  // kernel holds for each (the peers saw it acknowledged), then end.
  if (!gone_) accept_all();
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, src_.fd_, nullptr);
  std::vector<connection*> all;
  for (auto& [key, c] : connections_) all.push_back(c.get());
  for (connection* c : all) {
    if (!gone_ && !c->handshaking) {
      for (int i = 0; i < drain_reads && !gone_; ++i) {
        std::size_t n = 0;
        got g = read_once(*c, n);
        if (g == got::data) take(*c, std::string_view(buffer_.data(), n));
        if (g != got::data) break;
      }
    }
    close(*c, !gone_);
  }
  tally();
  if (accept_pauses_ > 1) {
    cli::print_line(io_.err, "logcollect: " + src_.describe() + ": out of descriptors " +
                                 std::to_string(accept_pauses_) +
                                 " times; connections waited in the backlog");
  }
  std::uint64_t failed = src_.handshake_failures_;
  if (failed > failures_shown) {
    cli::print_line(io_.err, "logcollect: " + src_.describe() + ": " + std::to_string(failed) +
                                 " TLS handshakes failed");
  }
  if (gone_) return false;
  return flush(b_, out_);
}

void tcp_source::session::accept_all() {
  for (;;) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int fd = ::accept4(src_.fd_, reinterpret_cast<sockaddr*>(&address), &length,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: new connections wait in the backlog until one
        // closes. Said once: each close lets one in, and the next may pause again.
        if (accept_pauses_++ == 0) {
          cli::print_line(io_.err, "logcollect: " + src_.describe() +
                                       ": cannot accept: " + std::strerror(errno) + " (" +
                                       std::to_string(connections_.size()) +
                                       " connections open); waiting for one to close");
        }
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, src_.fd_, nullptr);
        accept_paused_ = true;
        return;
      }
      cli::print_line(io_.err,
                      "logcollect: " + src_.describe() + ": accept: " + std::strerror(errno));
      return;
    }
    auto c = std::make_unique<connection>(src_.max_message_);
    c->fd = fd;
    syslog::read_peer(address, c->peer);
    c->name = std::string(src_.tls_ ? "tls client " : "tcp client ") +
              syslog::address_text(c->peer.ip, c->peer.port);
    if (src_.tls_) {
      c->ssl = src_.tls_->accept(fd);
      if (c->ssl == nullptr) {
        cli::print_line(io_.err, "logcollect: " + c->name + ": " + tls_server::last_error());
        ::close(fd);
        continue;
      }
      c->handshaking = true;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c.get();
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      cli::print_line(io_.err, "logcollect: " + c->name + ": epoll: " + std::strerror(errno));
      drop(*c);
      continue;
    }
    ++src_.counters_.reconnects;
    connection* key = c.get();
    connections_.emplace(key, std::move(c));
  }
}

void tcp_source::session::watch(connection& c, bool writing) {
  if (c.writing == writing) return;
  epoll_event ev{};
  ev.events = writing ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
  ev.data.ptr = &c;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  c.writing = writing;
}

void tcp_source::session::handshake_failed(connection& c, const std::string& reason) {
  std::uint64_t n = ++src_.handshake_failures_;
  if (n <= failures_shown) {
    cli::print_line(io_.err, "logcollect: " + src_.describe() + ": handshake with " +
                                 syslog::address_text(c.peer.ip, c.peer.port) +
                                 " failed: " + reason);
  }
}

void tcp_source::session::service(connection& c) {
  if (c.handshaking) {
    ERR_clear_error();
    int r = SSL_do_handshake(c.ssl);
    if (r != 1) {
      int e = SSL_get_error(c.ssl, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        watch(c, e == SSL_ERROR_WANT_WRITE);
        return;
      }
      BIO* in = SSL_get_rbio(c.ssl);
      bool said_nothing = in == nullptr || BIO_number_read(in) == 0;
      std::string reason;
      if (e == SSL_ERROR_SSL) {
        reason = tls_server::last_error();
        long verify = SSL_get_verify_result(c.ssl);
        if (verify != X509_V_OK) {
          reason +=
              std::string(" (client certificate: ") + X509_verify_cert_error_string(verify) + ")";
        }
      } else {
        reason = "the peer closed the connection";
      }
      ERR_clear_error();
      // A peer that connected and closed without a byte (a port check) is no failure.
      if (!(said_nothing && e != SSL_ERROR_SSL)) handshake_failed(c, reason);
      drop(c);
      return;
    }
    c.handshaking = false;
    watch(c, false);
  }
  std::size_t n = 0;
  switch (read_once(c, n)) {
    case got::data:
      take(c, std::string_view(buffer_.data(), n));
      if (c.ssl != nullptr && SSL_pending(c.ssl) > 0 && !c.queued) {
        c.queued = true;
        ready_.push_back(&c);
      }
      break;
    case got::again: break;
    case got::closed: close(c, true); break;
  }
}

tcp_source::session::got tcp_source::session::read_once(connection& c, std::size_t& n) {
  if (c.ssl == nullptr) {
    ssize_t r = ::read(c.fd, buffer_.data(), buffer_.size());
    if (r > 0) {
      n = static_cast<std::size_t>(r);
      return got::data;
    }
    if (r == 0) return got::closed;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return got::again;
    return got::closed;  // a reset: what the framer holds is kept by close()
  }
  ERR_clear_error();
  int r = SSL_read(c.ssl, buffer_.data(), static_cast<int>(buffer_.size()));
  if (r > 0) {
    n = static_cast<std::size_t>(r);
    watch(c, false);
    return got::data;
  }
  int e = SSL_get_error(c.ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    watch(c, e == SSL_ERROR_WANT_WRITE);
    return got::again;
  }
  if (e == SSL_ERROR_SSL) {
    cli::print_line(io_.err, "logcollect: " + c.name + ": " + tls_server::last_error());
  }
  ERR_clear_error();
  return got::closed;
}

void tcp_source::session::take(connection& c, std::string_view bytes) {
  c.framer.feed(bytes);
  syslog::frame f;
  while (!gone_ && c.framer.next(f)) on_frame(c, f);
  c.framer.release_memory();
}

void tcp_source::session::on_frame(connection& c, const syslog::frame& f) {
  ++c.frames;
  ndjson::position where{c.name, c.frames, f.offset};
  std::size_t limit = src_.max_message_;
  switch (f.status) {
    case syslog::frame_status::bad_count:
      src_.reject(b_, io_, f.text, where, "bad_frame",
                  "wrong octet count: " + std::to_string(f.text.size()) +
                      " bytes where a frame should start do not begin with a length or '<'; "
                      "kept as a pipeline_error record");
      push_if_full();
      return;
    case syslog::frame_status::partial:
      src_.reject(
          b_, io_, f.text, where, "partial_frame",
          "connection closed inside an octet-counted frame: " + std::to_string(f.text.size()) +
              " of " + std::to_string(f.declared) + " bytes kept as a pipeline_error record");
      push_if_full();
      return;
    case syslog::frame_status::truncated:
      src_.reject(b_, io_, f.text.substr(0, 256), where, "too_long",
                  (f.framing == syslog::framing::octet_counting
                       ? "octet count " + std::to_string(f.declared)
                       : std::string("message")) +
                      " over the limit of " + std::to_string(limit) + " bytes: its first " +
                      std::to_string(limit) +
                      " bytes went on as a record tagged truncated, the rest was skipped");
      break;
    case syslog::frame_status::complete: break;
  }
  received r;
  r.text = f.text;
  r.when = io_.clock.now();
  r.input_type = c.ssl != nullptr ? "tls" : "tcp";
  r.peer_ip = c.peer.ip;
  r.peer_port = c.peer.port;
  r.offset = f.offset;
  r.has_offset = true;
  r.truncated = f.status == syslog::frame_status::truncated;
  append_raw_record(b_.records, src_.tags_, r);
  b_.records.push_back('\n');
  ++b_.record_count;
  ++received_;
  bytes_ += f.text.size();
  push_if_full();
}

void tcp_source::session::close(connection& c, bool keep_partial) {
  if (keep_partial && !c.handshaking) {
    syslog::frame f;
    if (c.framer.finish(f)) on_frame(c, f);
  }
  drop(c);
}

void tcp_source::session::drop(connection& c) {
  if (c.queued) ready_.erase(std::remove(ready_.begin(), ready_.end(), &c), ready_.end());
  if (c.ssl != nullptr) SSL_free(c.ssl);
  ::close(c.fd);  // leaves the epoll set with it
  if (accept_paused_ && !src_.stop_.requested()) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &listener_tag_;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, src_.fd_, &ev);
    accept_paused_ = false;
  }
  connections_.erase(&c);  // c is gone after this
}

}  // namespace mimamori::collect
