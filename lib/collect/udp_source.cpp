#include "collect/udp_source.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli/main.hpp"

namespace mimamori::collect {

namespace {

constexpr unsigned batch_datagrams = 64;
constexpr std::size_t datagram_max = 65536;

std::string_view trim_trailer(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == '\0')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

udp_source::udp_source(const syslog::endpoint& where, source_tags tags, ndjson::stop_signal stop)
    : source(std::move(tags)), stop_(stop) {
  fd_ = syslog::open_listener(where, syslog::transport::udp);
  int size = default_receive_buffer;
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);  // capped at rmem_max
  }
  socklen_t length = sizeof receive_buffer_;
  ::getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_, &length);
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  address_ = syslog::local_address(fd_);
}

udp_source::~udp_source() {
  if (fd_ >= 0) ::close(fd_);
}

std::uint16_t udp_source::port() const {
  return syslog::local_port(fd_);
}

void udp_source::note_drops(std::uint64_t kernel_count) {
  std::uint64_t seen = counters_.dropped.load(std::memory_order_relaxed);
  if (kernel_count > seen) counters_.dropped.store(kernel_count, std::memory_order_relaxed);
}

// The socket's drop counter as /proc/net/udp{,6} shows it (the last column),
// found by the socket's inode: SO_RXQ_OVFL only reports it with a datagram.
std::uint64_t udp_source::proc_drops() const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return 0;
  for (const char* table : {"/proc/net/udp", "/proc/net/udp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::vector<std::string> f;
      for (std::string x; fields >> x;) f.push_back(x);
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
      if (f.size() >= 13 && f[9] == std::to_string(st.st_ino)) return std::stoull(f.back());
    }
  }
  return 0;
}

bool udp_source::run(batch_queue& out, const cli::io& io) {
  std::vector<char> buffers(batch_datagrams * datagram_max);
  std::vector<mmsghdr> messages(batch_datagrams);
  std::vector<iovec> vectors(batch_datagrams);
  std::vector<sockaddr_storage> senders(batch_datagrams);
  constexpr std::size_t control_size = CMSG_SPACE(sizeof(std::uint32_t));
  std::vector<char> controls(batch_datagrams * control_size);

  batch b;
  std::uint64_t taken = 0;
  std::uint64_t bytes = 0;
  bool stopping = false;
  bool ok = true;
  for (;;) {
    if (!stopping && stop_.requested()) stopping = true;  // read what is queued, then end
    for (unsigned i = 0; i < batch_datagrams; ++i) {
      vectors[i] = {buffers.data() + i * datagram_max, datagram_max};
      messages[i].msg_hdr = {};
      messages[i].msg_hdr.msg_name = &senders[i];
      messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_control = controls.data() + i * control_size;
      messages[i].msg_hdr.msg_controllen = control_size;
    }
    int n = ::recvmmsg(fd_, messages.data(), batch_datagrams, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        cli::print_line(io.err, "logcollect: " + describe() + ": " + std::strerror(errno));
        ok = false;
        break;
      }
      counters_.received += taken;
      counters_.bytes += bytes;
      taken = bytes = 0;
      if (!flush(b, out)) return false;
      if (stopping) break;
      pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_.wake_fd, POLLIN, 0}};
      ::poll(fds, stop_.wake_fd >= 0 ? 2 : 1, stop_.wake_fd >= 0 ? -1 : 200);
      continue;
    }
    time::timestamp now = io.clock.now();
    for (int i = 0; i < n; ++i) {
      msghdr& h = messages[i].msg_hdr;
      for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(&h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          std::uint32_t count = 0;
          std::memcpy(&count, CMSG_DATA(c), sizeof count);
          note_drops(count);
        }
      }
      syslog::peer_address peer;
      syslog::read_peer(senders[i], peer);
      std::size_t length = messages[i].msg_len;
      received r;
      r.text = trim_trailer(std::string_view(buffers.data() + i * datagram_max, length));
      r.when = now;
      r.input_type = "udp";
      r.peer_ip = peer.ip;
      r.peer_port = peer.port;
      r.truncated = (h.msg_flags & MSG_TRUNC) != 0;
      if (r.truncated) {
        std::string from = "udp client " + syslog::address_text(peer.ip, peer.port);
        reject(b, io, r.text.substr(0, 256), {from, 0, 0}, "too_long",
               "datagram longer than 64 KiB: its first bytes went on as a record tagged truncated");
      }
      append_raw_record(b.records, tags_, r);
      b.records.push_back('\n');
      ++b.record_count;
      ++taken;
      bytes += r.text.size();
    }
    if (b.full()) {
      counters_.received += taken;
      counters_.bytes += bytes;
      taken = bytes = 0;
      if (!out.push(b)) return false;
    }
  }
  counters_.received += taken;
  counters_.bytes += bytes;
  note_drops(proc_drops());
  if (!flush(b, out)) return false;
  return ok;
}

}  // namespace mimamori::collect
