// fuzz: mimamori_event mimamori_ndjson
// Arbitrary bytes as an input (plain, or zstd/gzip when the magic matches):
// every line is read, parsed, patched and written back without a crash, a
// leak or invalid output.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "event/patch.hpp"
#include "event/record.hpp"
#include "ndjson/reader.hpp"
#include "ndjson/writer.hpp"

using namespace mimamori;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = memfd_create("fuzz", 0);
  if (fd < 0) return 0;
  if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    return 0;
  }
  ::lseek(fd, 0, SEEK_SET);
  ndjson::reader_options options;
  options.buffer_size = 4096;  // small, so lines cross buffer boundaries
  options.max_line = 1 << 16;
  ndjson::line_reader reader(std::make_unique<ndjson::input>(fd, "fuzz", true), options);
  event::parser parser;
  event::patch patch;
  patch.set_string("event.kind", "alert");
  patch.set_int("event.severity", 50);
  patch.remove("event.original");
  std::string out;
  ndjson::line line;
  std::uint64_t last_offset = 0;
  while (reader.next(line)) {
    if (line.where.offset < last_offset) std::abort();  // positions only grow
    last_offset = line.where.offset;
    if (parser.parse(line.text) != event::parse_error::none) continue;
    (void)parser.current().string("source.ip");
    out.clear();
    patch.apply(line.text, out);
    event::parser check;
    if (check.parse_copy(out) != event::parse_error::none) std::abort();  // patch broke JSON
  }
  return 0;
}
