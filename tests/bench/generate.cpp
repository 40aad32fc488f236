// mimamori-bench-generate: writes a benchmark corpus (see corpus.hpp).
//
//   mimamori-bench-generate --kind ecs --bytes 256M --seed 1 -o corpus.ndjson
//   mimamori-bench-generate --kind sshd --count 100000 | head
//
// The same --seed, --kind and size give the same bytes, and a smaller size
// gives a prefix of a larger one.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "corpus.hpp"

namespace {

constexpr const char* usage =
    "usage: mimamori-bench-generate [--kind ecs|firewall|proxy|sshd|mixed|syslog] [--seed N]\n"
    "                               [--count N | --bytes SIZE] [-o FILE]\n"
    "  --kind    what to write (default ecs: ~1 KB compact ECS records)\n"
    "  --seed    the same seed gives the same bytes (default 1)\n"
    "  --count   number of lines (default 1000)\n"
    "  --bytes   write lines until SIZE bytes are reached (suffixes K, M, G: 2^10...)\n"
    "  -o FILE   write to FILE instead of stdout\n";

bool parse_size(std::string_view text, std::uint64_t& out) {
  std::uint64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr == text.data()) return false;
  std::string_view rest(r.ptr, static_cast<std::size_t>(text.data() + text.size() - r.ptr));
  if (rest == "K" || rest == "k" || rest == "KiB")
    v <<= 10;
  else if (rest == "M" || rest == "MiB")
    v <<= 20;
  else if (rest == "G" || rest == "GiB")
    v <<= 30;
  else if (!rest.empty())
    return false;
  out = v;
  return true;
}

bool write_all(int fd, const std::string& data) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using mimamori::bench::kind;
  kind k = kind::ecs;
  std::uint64_t seed = 1;
  std::uint64_t count = 1000;
  std::uint64_t bytes = 0;  // 0: use count
  std::string output;

  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mimamori-bench-generate: %s needs a value\n%s", argv[i], usage);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "--kind") {
      auto parsed = mimamori::bench::parse_kind(value());
      if (!parsed) {
        std::fprintf(stderr, "mimamori-bench-generate: unknown kind\n%s", usage);
        return 2;
      }
      k = *parsed;
    } else if (a == "--seed" || a == "--count" || a == "--bytes") {
      std::uint64_t v = 0;
      if (!parse_size(value(), v)) {
        std::fprintf(stderr, "mimamori-bench-generate: bad number for %s\n", argv[i - 1]);
        return 2;
      }
      if (a == "--seed") seed = v;
      if (a == "--count") {
        count = v;
        bytes = 0;
      }
      if (a == "--bytes") bytes = v;
    } else if (a == "-o" || a == "--output") {
      output = value();
    } else {
      std::fprintf(stderr, "mimamori-bench-generate: unknown argument %s\n%s", argv[i], usage);
      return 2;
    }
  }

  int fd = 1;
  if (!output.empty() && output != "-") {
    fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      std::fprintf(stderr, "mimamori-bench-generate: %s: %s\n", output.c_str(),
                   std::strerror(errno));
      return 1;
    }
  }

  mimamori::bench::generator gen(k, seed);
  std::string buffer;
  constexpr std::size_t block = 1 << 20;
  buffer.reserve(block + 8192);
  std::uint64_t written = 0;
  std::uint64_t lines = 0;
  for (;;) {
    if (bytes > 0 ? written + buffer.size() >= bytes : lines >= count) break;
    gen.next(buffer);
    ++lines;
    if (buffer.size() >= block) {
      if (!write_all(fd, buffer)) {
        if (errno == EPIPE) return 0;
        std::fprintf(stderr, "mimamori-bench-generate: write: %s\n", std::strerror(errno));
        return 1;
      }
      written += buffer.size();
      buffer.clear();
    }
  }
  if (!write_all(fd, buffer)) {
    if (errno == EPIPE) return 0;
    std::fprintf(stderr, "mimamori-bench-generate: write: %s\n", std::strerror(errno));
    return 1;
  }
  if (fd != 1 && ::close(fd) != 0) {
    std::fprintf(stderr, "mimamori-bench-generate: %s: %s\n", output.c_str(), std::strerror(errno));
    return 1;
  }
  return 0;
}
