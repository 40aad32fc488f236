#include "correlate/state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "event/record.hpp"

namespace mimamori::correlate {

namespace {

constexpr std::string_view format_name = "mimamori-correlate-state";
constexpr std::int64_t format_version = 1;

bool named_files(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return false;
  for (const std::string& i : inputs) {
    if (i == "-") return false;
  }
  return true;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

state_file::state_file(std::string path, std::vector<std::string> inputs)
    : path_(std::move(path)), inputs_(std::move(inputs)) {}

std::uint64_t state_file::restore(const std::vector<state_section>& sections) {
  std::ifstream in(path_, std::ios::binary);
  if (!in.is_open()) {
    if (errno == ENOENT) return 0;  // the first run
    throw std::runtime_error(path_ + ": cannot read the state: " + std::strerror(errno));
  }
  std::string line;
  std::size_t number = 0;
  std::uint64_t skip = 0;
  std::vector<std::string> seen;
  event::parser parser;
  auto fail = [&](const std::string& what) {
    throw std::runtime_error(path_ + ":" + std::to_string(number) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (parser.parse_copy(line) != event::parse_error::none) {
      fail("not a state file (or a corrupt one): " + std::string(parser.message()));
    }
    const simdjson::dom::element root = parser.current().root();
    if (number == 1) {
      std::string_view format;
      std::int64_t version = 0;
      if (root["format"].get_string().get(format) != simdjson::SUCCESS || format != format_name) {
        fail("not a correlate state file (no \"format\":\"" + std::string(format_name) + "\")");
      }
      if (root["version"].get_int64().get(version) != simdjson::SUCCESS || version != format_version) {
        fail("state version " + std::to_string(version) + " is not the one this correlate writes (" +
             std::to_string(format_version) + ")");
      }
      std::vector<std::string> saved;
      simdjson::dom::array inputs;
      if (root["inputs"].get_array().get(inputs) != simdjson::SUCCESS) fail("no inputs in the header");
      for (simdjson::dom::element i : inputs) {
        std::string_view s;
        if (i.get_string().get(s) != simdjson::SUCCESS) fail("an input that is not a string");
        saved.emplace_back(s);
      }
      std::uint64_t lines = 0;
      if (root["lines"].get_uint64().get(lines) != simdjson::SUCCESS) fail("no line count in the header");
      if (named_files(inputs_) && saved == inputs_) skip = lines;
      continue;
    }
    std::string_view name;
    if (root["section"].get_string().get(name) != simdjson::SUCCESS) fail("a line without \"section\"");
    const state_section* section = nullptr;
    for (const state_section& s : sections) {
      if (s.name == name) section = &s;
    }
    if (section == nullptr) fail("section '" + std::string(name) + "' is not one this correlate keeps");
    for (const std::string& s : seen) {
      if (s == name) fail("section '" + std::string(name) + "' appears twice");
    }
    seen.emplace_back(name);
    std::string error;
    if (!section->restore(root, error)) fail(error);
  }
  if (in.bad()) throw std::runtime_error(path_ + ": cannot read the state: " + std::strerror(errno));
  if (number == 0) fail("empty state file");
  return skip;
}

bool state_file::save(const std::vector<state_section>& sections, std::uint64_t lines,
                      std::string& error) {
  std::string text;
  {
    event::builder b(text);
    b.begin_object();
    b.field("format", format_name).field("version", format_version);
    b.key("inputs").begin_array();
    for (const std::string& i : inputs_) b.value(i);
    b.end_array();
    b.field("lines", lines);
    b.end_object();
  }
  text.push_back('\n');
  for (const state_section& s : sections) {
    event::builder b(text);
    b.begin_object();
    b.field("section", s.name);
    s.save(b);
    b.end_object();
    text.push_back('\n');
  }
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = write_all(fd, text);
  const char* step = "write";
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    step = "fsync";
  }
  const int saved_errno = errno;
  ::close(fd);
  if (!ok) {
    error = tmp + ": " + step + ": " + std::strerror(saved_errno);
    ::unlink(tmp.c_str());
    return false;
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    error = path_ + ": rename: " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  std::string dir = ".";
  if (const auto slash = path_.rfind('/'); slash != std::string::npos) {
    dir = slash == 0 ? std::string("/") : path_.substr(0, slash);
  }
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

}  // namespace mimamori::correlate
