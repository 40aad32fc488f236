// mimamori-bench-measure: times one command on one core.
//
//   mimamori-bench-measure --name NAME --input FILE [--pipe] -- COMMAND [ARG...]
//
// Runs COMMAND with stdin from FILE and stdout to /dev/null, or with --pipe
// into a pipe that this harness drains with 1 MiB reads, so the cost of
// producing output through a pipe is counted as a pipeline would see it. The
// pipe keeps the kernel's default size (as a shell makes it) unless
// --pipe-size is given: raising it is the command's business, as
// ndjson::line_writer does. The command is pinned to one core (sched_setaffinity, CPU 0
// unless --cpu says otherwise) and, when there is another core, the harness
// pins itself there, so draining the pipe does not take the command's core.
//
// Wall time is measured around fork and wait4; user and system CPU seconds
// and peak RSS come from the rusage wait4 returns, which includes the
// command's own waited-for children (a `sh -c 'a | b'` counts both). With
// --repeat N the fastest of N runs is reported.
//
// Prints one line: name, records/s, MB/s (10^6 bytes of input per second),
// user s, sys s, peak RSS MiB, then wall time, records, input and output
// sizes. Records are the lines of FILE unless --records says otherwise.
// --tsv prints the same figures tab-separated for scripts:
//   name records_per_s mb_per_s user_s sys_s rss_mib wall_s records bytes_in bytes_out
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* usage =
    "usage: mimamori-bench-measure [options] -- COMMAND [ARG...]\n"
    "  --name NAME     what to call the command in the output (default: COMMAND)\n"
    "  --input FILE    the command's stdin; its lines are the records (default /dev/null)\n"
    "  --pipe          stdout into a pipe drained here (default: /dev/null)\n"
    "  --pipe-size N   set the pipe's buffer to N bytes first (default: the kernel's,\n"
    "                  64 KiB, as in a shell pipeline; a command may raise it itself)\n"
    "  --cpu N         the core to pin the command to (default 0)\n"
    "  --repeat N      run N times, report the fastest (default 1)\n"
    "  --records N     records in the input, instead of counting its lines\n"
    "  --stderr FILE   append the command's stderr to FILE (default: inherited)\n"
    "  --tsv           tab-separated figures for scripts\n";

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "mimamori-bench-measure: %s\n", message.c_str());
  std::exit(2);
}

std::uint64_t count_lines(const std::string& path, std::uint64_t& bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path + ": " + std::strerror(errno));
  constexpr std::size_t size = 1 << 20;
  auto buffer = std::make_unique<char[]>(size);
  std::uint64_t lines = 0;
  bytes = 0;
  char last = '\n';
  for (;;) {
    ssize_t n = ::read(fd, buffer.get(), size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die(path + ": " + std::strerror(errno));
    if (n == 0) break;
    bytes += static_cast<std::uint64_t>(n);
    const char* p = buffer.get();
    const char* end = p + n;
    while ((p = static_cast<const char*>(
                std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr) {
      ++lines;
      ++p;
    }
    last = buffer[static_cast<std::size_t>(n) - 1];
  }
  if (last != '\n') ++lines;  // a last line without "\n"
  ::close(fd);
  return lines;
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

double now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

bool pin(pid_t pid, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(pid, sizeof set, &set) == 0;
}

struct run_result {
  double wall = 0;
  rusage usage{};
  std::uint64_t bytes_out = 0;
  int status = 0;
};

run_result run_once(const std::vector<char*>& command, const std::string& input, bool use_pipe,
                    int pipe_size, int cpu, const std::string& stderr_path) {
  int in = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) die(input + ": " + std::strerror(errno));
  int out = -1;
  int drain = -1;
  if (use_pipe) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) die(std::string("pipe: ") + std::strerror(errno));
    if (pipe_size > 0 && fcntl(fds[1], F_SETPIPE_SZ, pipe_size) < 0) {
      die("F_SETPIPE_SZ " + std::to_string(pipe_size) + ": " + std::strerror(errno));
    }
    drain = fds[0];
    out = fds[1];
  } else {
    out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (out < 0) die(std::string("/dev/null: ") + std::strerror(errno));
  }
  int err = -1;
  if (!stderr_path.empty()) {
    err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (err < 0) die(stderr_path + ": " + std::strerror(errno));
  }

  run_result r;
  double start = now();
  pid_t pid = fork();
  if (pid < 0) die(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    if (!pin(0, cpu)) {
      std::fprintf(stderr, "mimamori-bench-measure: cannot pin to CPU %d: %s\n", cpu,
                   std::strerror(errno));
    }
    signal(SIGPIPE, SIG_DFL);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || (err >= 0 && dup2(err, 2) < 0)) _exit(126);
    execvp(command[0], command.data());
    std::fprintf(stderr, "mimamori-bench-measure: %s: %s\n", command[0], std::strerror(errno));
    _exit(127);
  }
  ::close(in);
  ::close(out);
  if (err >= 0) ::close(err);
  if (drain >= 0) {
    constexpr std::size_t size = 1 << 20;
    static auto buffer = std::make_unique<char[]>(size);
    for (;;) {
      ssize_t n = ::read(drain, buffer.get(), size);
      if (n > 0) {
        r.bytes_out += static_cast<std::uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    ::close(drain);
  }
  while (wait4(pid, &r.status, 0, &r.usage) < 0) {
    if (errno != EINTR) die(std::string("wait4: ") + std::strerror(errno));
  }
  r.wall = now() - start;
  return r;
}

bool parse_uint(std::string_view text, std::uint64_t& out) {
  auto res = std::from_chars(text.data(), text.data() + text.size(), out);
  return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string name, input = "/dev/null", stderr_path;
  bool use_pipe = false, tsv = false;
  std::uint64_t cpu = 0, repeat = 1, records = 0, pipe_size = 0;
  bool records_given = false;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) die(std::string(a) + " needs a value");
      return argv[++i];
    };
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "--name") {
      name = value();
    } else if (a == "--input") {
      input = value();
    } else if (a == "--pipe") {
      use_pipe = true;
    } else if (a == "--pipe-size") {
      if (!parse_uint(value(), pipe_size) || pipe_size > (1u << 30)) die("bad --pipe-size");
    } else if (a == "--tsv") {
      tsv = true;
    } else if (a == "--stderr") {
      stderr_path = value();
    } else if (a == "--cpu") {
      if (!parse_uint(value(), cpu)) die("bad --cpu");
    } else if (a == "--repeat") {
      if (!parse_uint(value(), repeat) || repeat == 0) die("bad --repeat");
    } else if (a == "--records") {
      if (!parse_uint(value(), records)) die("bad --records");
      records_given = true;
    } else if (!a.empty() && a[0] == '-') {
      die("unknown option " + std::string(a) + "\n" + usage);
    } else {
      break;
    }
  }
  if (i >= argc) die(std::string("no command\n") + usage);
  std::vector<char*> command(argv + i, argv + argc);
  command.push_back(nullptr);
  if (name.empty()) name = command[0];

  std::uint64_t bytes_in = 0;
  std::uint64_t lines = count_lines(input, bytes_in);
  if (!records_given) records = lines;

  // The harness on another core than the command, when there is one.
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus > 1) pin(0, static_cast<int>((cpu + 1) % static_cast<std::uint64_t>(cpus)));

  run_result best;
  for (std::uint64_t n = 0; n < repeat; ++n) {
    run_result r = run_once(command, input, use_pipe, static_cast<int>(pipe_size),
                            static_cast<int>(cpu), stderr_path);
    if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
      if (WIFSIGNALED(r.status)) {
        std::fprintf(stderr, "mimamori-bench-measure: %s: killed by signal %d\n", name.c_str(),
                     WTERMSIG(r.status));
      } else {
        std::fprintf(stderr, "mimamori-bench-measure: %s: exit status %d\n", name.c_str(),
                     WEXITSTATUS(r.status));
      }
      return 1;
    }
    if (n == 0 || r.wall < best.wall) best = r;
  }

  double wall = best.wall > 0 ? best.wall : 1e-9;
  double rps = static_cast<double>(records) / wall;
  double mbps = static_cast<double>(bytes_in) / 1e6 / wall;
  double user = seconds(best.usage.ru_utime);
  double sys = seconds(best.usage.ru_stime);
  double rss = static_cast<double>(best.usage.ru_maxrss) / 1024.0;  // KiB on Linux
  if (tsv) {
    std::printf("%s\t%.0f\t%.1f\t%.3f\t%.3f\t%.1f\t%.3f\t%llu\t%llu\t%llu\n", name.c_str(), rps,
                mbps, user, sys, rss, wall, static_cast<unsigned long long>(records),
                static_cast<unsigned long long>(bytes_in),
                static_cast<unsigned long long>(best.bytes_out));
  } else {
    std::printf(
        "%-28s %12.0f rec/s %9.1f MB/s  user %7.3f s  sys %6.3f s  rss %7.1f MiB"
        "  (wall %.3f s, %llu records, %.1f MB in",
        name.c_str(), rps, mbps, user, sys, rss, wall, static_cast<unsigned long long>(records),
        static_cast<double>(bytes_in) / 1e6);
    if (use_pipe) std::printf(", %.1f MB out", static_cast<double>(best.bytes_out) / 1e6);
    std::printf(")\n");
  }
  return 0;
}
