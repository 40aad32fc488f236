#include "pcap/capture.hpp"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "pcap/decoder.hpp"

namespace mimamori::pcap {

namespace {

std::runtime_error open_error(const std::string& name, const std::string& why) {
  return std::runtime_error("--pcap " + name + ": " + why);
}

// Capture files are read through stdio streams of our own (fopencookie),
// which libpcap accepts: plain files through a reader that counts its bytes,
// gzip-compressed ones (as Zeek's test traces are) through zlib. ftell() on
// them costs no system call, so the offset of every record is known for the
// message when a file breaks off; for gzip it counts decompressed bytes.
struct plain_file {
  int fd;
  bool owned;
  off64_t position;
};

ssize_t plain_read(void* cookie, char* buffer, size_t size) {
  auto* f = static_cast<plain_file*>(cookie);
  ssize_t n;
  do {
    n = ::read(f->fd, buffer, size);
  } while (n < 0 && errno == EINTR);
  if (n > 0) f->position += n;
  return n;
}
int plain_seek(void* cookie, off64_t* offset, int whence) {
  if (whence != SEEK_CUR || *offset != 0) return -1;  // ftell only
  *offset = static_cast<plain_file*>(cookie)->position;
  return 0;
}
int plain_close(void* cookie) {
  auto* f = static_cast<plain_file*>(cookie);
  int r = f->owned ? ::close(f->fd) : 0;
  delete f;
  return r;
}

ssize_t gz_read(void* cookie, char* buffer, size_t size) {
  int n = gzread(static_cast<gzFile>(cookie), buffer, static_cast<unsigned>(size));
  return n < 0 ? -1 : n;
}
int gz_seek(void* cookie, off64_t* offset, int whence) {
  if (whence != SEEK_CUR || *offset != 0) return -1;  // ftell only
  *offset = gztell(static_cast<gzFile>(cookie));
  return 0;
}
int gz_close(void* cookie) {
  return gzclose(static_cast<gzFile>(cookie)) == Z_OK ? 0 : -1;
}

// Opens a capture file ("-": standard input) as a stdio stream; nullptr
// with errno set when it cannot be opened.
std::FILE* open_capture_file(const std::string& path) {
  int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  unsigned char magic[2] = {0, 0};
  bool gz = path != "-" && ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (gz) {
    gzFile z = gzdopen(fd, "rb");
    if (z == nullptr) {
      ::close(fd);
      return nullptr;
    }
    gzbuffer(z, 256 * 1024);
    std::FILE* f = fopencookie(z, "rb", cookie_io_functions_t{gz_read, nullptr, gz_seek, gz_close});
    if (f == nullptr) gzclose(z);
    return f;
  }
  auto* cookie = new plain_file{fd, path != "-", 0};
  std::FILE* f = fopencookie(cookie, "rb",
                             cookie_io_functions_t{plain_read, nullptr, plain_seek, plain_close});
  if (f == nullptr) {
    plain_close(cookie);
    return nullptr;
  }
  std::setvbuf(f, nullptr, _IOFBF, 256 * 1024);
  return f;
}

}  // namespace

std::unique_ptr<capture> capture::open(const std::string& name, const std::string& filter) {
  std::unique_ptr<capture> c(new capture());
  c->name_ = name;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  struct stat st {};
  bool file = name == "-" || ::stat(name.c_str(), &st) == 0;
  if (file) {
    if (name != "-" && S_ISDIR(st.st_mode)) throw open_error(name, "is a directory");
    std::FILE* f = open_capture_file(name);
    if (f == nullptr) throw open_error(name, std::strerror(errno));
    c->handle_ = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (c->handle_ == nullptr) std::fclose(f);
    if (c->handle_ == nullptr) throw open_error(name, errbuf);
    c->nano_ = pcap_get_tstamp_precision(c->handle_) == PCAP_TSTAMP_PRECISION_NANO;
  } else {
    if (name.find('/') != std::string::npos) {
      throw open_error(name, "no such file");
    }
    c->live_ = true;
    c->handle_ = pcap_create(name.c_str(), errbuf);
    if (c->handle_ == nullptr) throw open_error(name, errbuf);
    pcap_set_snaplen(c->handle_, 262144);
    pcap_set_promisc(c->handle_, 1);
    pcap_set_timeout(c->handle_, 100);
    pcap_set_buffer_size(c->handle_, 16 * 1024 * 1024);
    pcap_set_tstamp_precision(c->handle_, PCAP_TSTAMP_PRECISION_NANO);
    int status = pcap_activate(c->handle_);
    if (status < 0) {
      std::string why = pcap_statustostr(status);
      std::string detail = pcap_geterr(c->handle_);
      if (!detail.empty()) why = detail;
      if (status == PCAP_ERROR_PERM_DENIED) {
        why += " (live capture needs root or CAP_NET_RAW)";
      } else if (status == PCAP_ERROR_NO_SUCH_DEVICE) {
        why = "no such file or interface";
      }
      throw open_error(name, why);
    }
    c->nano_ = pcap_get_tstamp_precision(c->handle_) == PCAP_TSTAMP_PRECISION_NANO;
    if (pcap_setnonblock(c->handle_, 1, errbuf) != 0) throw open_error(name, errbuf);
  }
  c->link_type_ = pcap_datalink(c->handle_);
  if (!link_type_supported(c->link_type_)) {
    const char* link = pcap_datalink_val_to_name(c->link_type_);
    throw open_error(name, std::string("link type ") + (link != nullptr ? link : "?") + " (" +
                               std::to_string(c->link_type_) + ") is not supported");
  }
  if (!filter.empty()) {
    bpf_program program{};
    if (pcap_compile(c->handle_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      throw filter_error("--bpf '" + filter + "': " + pcap_geterr(c->handle_));
    }
    int set = pcap_setfilter(c->handle_, &program);
    pcap_freecode(&program);
    if (set != 0) throw open_error(name, std::string("--bpf: ") + pcap_geterr(c->handle_));
  }
  return c;
}

capture::~capture() {
  if (handle_ != nullptr) pcap_close(handle_);
}

int capture::selectable_fd() const {
  return live_ ? pcap_get_selectable_fd(handle_) : -1;
}

capture::next_status capture::next(time::timestamp& when, std::span<const std::uint8_t>& frame) {
  long offset = -1;
  if (!live_) {
    std::FILE* f = pcap_file(handle_);
    if (f != nullptr) offset = std::ftell(f);
  }
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int r = pcap_next_ex(handle_, &header, &data);
  if (r == 1) {
    std::int64_t fraction = header->ts.tv_usec;
    when =
        time::timestamp::from_nanos(static_cast<std::int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                                    (nano_ ? fraction : fraction * 1000));
    frame = std::span<const std::uint8_t>(data, header->caplen);
    return next_status::packet;
  }
  if (r == 0) return next_status::idle;
  if (r == PCAP_ERROR_BREAK) return next_status::end;
  message_ = pcap_geterr(handle_);
  if (!live_ && offset >= 0) {
    message_ = "damaged or truncated at byte " + std::to_string(offset) + ": " + message_;
  }
  return next_status::error;
}

std::uint64_t capture::dropped() const {
  if (!live_) return 0;
  pcap_stat s{};
  if (pcap_stats(handle_, &s) != 0) return 0;
  return static_cast<std::uint64_t>(s.ps_drop) + s.ps_ifdrop;
}

}  // namespace mimamori::pcap
