// mimamori-bench-roundtrip: the "ndjson round trip" of the foundation issue.
//
//   mimamori-bench-roundtrip [FILE...] < records.ndjson > out.ndjson
//
// Reads every line (stdin, or each FILE; "-" is stdin; .zst/.gz work) with
// ndjson::line_reader, validates it with event::parser::parse in place, and
// writes each valid record back unchanged with ndjson::line_writer. Rejected
// lines are counted and the counts printed on stderr at the end: the least
// work any mimamori filter does, so its speed bounds every tool's.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "event/record.hpp"
#include "ndjson/input.hpp"
#include "ndjson/reader.hpp"
#include "ndjson/writer.hpp"

int main(int argc, char** argv) {
  using namespace mimamori;
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a write error we see

  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::puts(
          "usage: mimamori-bench-roundtrip [FILE...]\n"
          "Validates each NDJSON line and writes the valid ones to stdout;\n"
          "prints the number of records and rejects on stderr.");
      return 0;
    }
    paths.push_back(a);
  }
  if (paths.empty()) paths.emplace_back("-");

  ndjson::line_writer writer(1);
  event::parser parser;
  std::uint64_t records = 0, rejected = 0, blank = 0;
  int status = 0;
  for (const auto& path : paths) {
    std::unique_ptr<ndjson::input> in;
    try {
      in = ndjson::input::open(path);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "mimamori-bench-roundtrip: %s\n", e.what());
      status = 1;
      continue;
    }
    ndjson::line_reader reader(std::move(in));
    ndjson::line line;
    while (reader.next(line)) {
      if (line.text.empty()) {
        ++blank;
        continue;
      }
      if (line.truncated || parser.parse(line.text) != event::parse_error::none) {
        ++rejected;
        continue;
      }
      ++records;
      writer.write(line.text);
    }
    if (reader.status() == ndjson::read_status::error) {
      std::fprintf(stderr, "mimamori-bench-roundtrip: %s\n", reader.message().c_str());
      status = 1;
    }
    if (!writer.ok()) break;
  }
  if (!writer.close()) {
    if (writer.status() != ndjson::write_status::broken_pipe) {
      std::fprintf(stderr, "mimamori-bench-roundtrip: %s\n", writer.message().c_str());
      status = 1;
    }
  }
  std::fprintf(stderr,
               "mimamori-bench-roundtrip: %llu records written, %llu rejected, %llu blank\n",
               static_cast<unsigned long long>(records), static_cast<unsigned long long>(rejected),
               static_cast<unsigned long long>(blank));
  return status;
}
