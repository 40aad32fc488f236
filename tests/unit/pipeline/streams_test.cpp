#include "pipeline/streams.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zstd.h>

#include <boost/test/unit_test.hpp>
#include <vector>

#include "event/record.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using mimamori::testing::temp_dir;

namespace {

// Runs a record_stream over inputs; good records and rejects both go to out.
struct run_result {
  std::vector<std::string> good;
  std::vector<std::string> output_lines;  // everything written (rejects)
  std::string stderr_text;
  std::uint64_t read = 0, blank = 0, rejected = 0;
  bool failed = false;
  bool strict_stop = false;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

run_result run(const std::vector<std::string>& inputs, const temp_dir& dir, bool strict = false,
               const std::string& dead_letter_file = "") {
  std::string out_path = dir.file("out.ndjson");
  std::string err_path = dir.file("err.txt");
  int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  cli::io io;
  io.out = out_fd;
  io.err = err_fd;
  io.clock = cli::clock(time::timestamp::from_seconds(1727924400));
  run_result r;
  {
    ndjson::line_writer out(out_fd, out_path, ndjson::buffering::block);
    pipeline::dead_letter rejects("test", out, dead_letter_file, io);
    pipeline::record_stream records(inputs, io, rejects, strict, "test");
    while (records.next()) r.good.emplace_back(records.record().text());
    r.read = records.read();
    r.blank = records.blank();
    r.rejected = rejects.count();
    r.failed = records.lines().failed();
    r.strict_stop = records.strict_stop();
    BOOST_TEST(out.close());
    BOOST_TEST(rejects.close());
  }
  ::close(out_fd);
  ::close(err_fd);
  r.output_lines = split_lines(temp_dir::read(out_path));
  r.stderr_text = temp_dir::read(err_path);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(streams)

BOOST_AUTO_TEST_CASE(loses_no_line_of_a_mixed_input) {
  temp_dir dir;
  std::string big = "{\"big\":\"" + std::string(20 << 20, 'z') + "\"}";
  std::string input = "{\"n\":1}\n"
                      "{\"name\":\"caf\xff\"}\n"  // invalid UTF-8 inside a string
                      "\n"                          // an empty line
                      "not json at all\n"
                      "[1,2]\n"                     // JSON, not an object
                      "{\"n\":2}\r\n" +             // CRLF
                      big + "\n" +                  // a 20 MiB line
                      "{\"n\":3}";                  // no newline at the end
  auto r = run({dir.write("mixed.ndjson", input)}, dir);
  BOOST_TEST(r.read == 8U);
  BOOST_TEST(r.good.size() == 4U);
  BOOST_TEST(r.good[0] == "{\"n\":1}");
  BOOST_TEST(r.good[1] == "{\"n\":2}");
  BOOST_TEST(r.good[2].size() == big.size());
  BOOST_TEST(r.good[3] == "{\"n\":3}");
  BOOST_TEST(r.blank == 1U);
  BOOST_TEST(r.rejected == 3U);
  BOOST_TEST(r.read == r.good.size() + r.blank + r.rejected);  // every line accounted for

  // Each reject is a pipeline_error record with the line, the reason and the position.
  BOOST_REQUIRE_EQUAL(r.output_lines.size(), 3U);
  event::parser p;
  BOOST_REQUIRE((p.parse_copy(r.output_lines[0]) == event::parse_error::none));
  BOOST_TEST(p.current().string("event.kind").value() == "pipeline_error");
  BOOST_TEST(p.current().string("error.type").value() == "invalid_utf8");
  BOOST_TEST(p.current().string("event.original").value() == "{\"name\":\"caf\xef\xbf\xbd\"}");
  BOOST_TEST(p.current().string("mimamori.original_base64").value() == "eyJuYW1lIjoiY2Fm/yJ9");
  BOOST_TEST(p.current().integer("log.offset").value() == 8);
  BOOST_TEST(p.current().integer("mimamori.input.line").value() == 2);
  BOOST_TEST(p.current().string("mimamori.tool").value() == "test");
  BOOST_TEST(p.current().string("@timestamp").value() == "2024-10-03T03:00:00.000Z");

  BOOST_REQUIRE((p.parse_copy(r.output_lines[1]) == event::parse_error::none));
  BOOST_TEST(p.current().string("error.type").value() == "not_json");
  BOOST_TEST(p.current().string("event.original").value() == "not json at all");
  BOOST_TEST(p.current().integer("mimamori.input.line").value() == 4);
  BOOST_TEST(!p.current().has("mimamori.original_base64"));

  BOOST_REQUIRE((p.parse_copy(r.output_lines[2]) == event::parse_error::none));
  BOOST_TEST(p.current().string("error.type").value() == "not_object");
  BOOST_TEST(p.current().string("event.original").value() == "[1,2]");

  // and is reported on stderr as `tool: file:line: reason`.
  BOOST_TEST(r.stderr_text.find("test: " + dir.file("mixed.ndjson") + ":4: ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sends_rejects_to_the_dead_letter_file_when_asked) {
  temp_dir dir;
  std::string dead = dir.file("dead.ndjson");
  auto r = run({dir.write("in", "{}\nbroken\n")}, dir, false, dead);
  BOOST_TEST(r.output_lines.empty());
  auto dead_lines = split_lines(temp_dir::read(dead));
  BOOST_REQUIRE_EQUAL(dead_lines.size(), 1U);
  BOOST_TEST(dead_lines[0].find("\"original\":\"broken\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stops_at_the_first_bad_record_under_strict) {
  temp_dir dir;
  auto r = run({dir.write("in", "{}\nbroken\n{}\n")}, dir, true);
  BOOST_TEST(r.good.size() == 1U);
  BOOST_TEST(r.rejected == 1U);
  BOOST_TEST(r.strict_stop);
  BOOST_TEST(pipeline::finish_status(true, false, r.strict_stop) == 3);
}

BOOST_AUTO_TEST_CASE(reads_every_input_and_reports_the_ones_that_fail) {
  temp_dir dir;
  std::string text;
  for (int i = 0; i < 30000; ++i) text += "{\"n\":" + std::to_string(i * 7919 % 100003) + "}\n";
  std::string packed(ZSTD_compressBound(text.size()), '\0');
  packed.resize(ZSTD_compress(packed.data(), packed.size(), text.data(), text.size(), 3));
  auto r = run({dir.write("a", "{\"a\":1}\n"), dir.file("missing"),
                dir.write("cut.zst", packed.substr(0, packed.size() / 2)), dir.write("b", "{}\n")},
               dir);
  BOOST_TEST(r.failed);
  BOOST_TEST(r.good.front() == "{\"a\":1}");
  BOOST_TEST(r.good.back() == "{}");
  BOOST_TEST(r.good.size() > 2U);
  BOOST_TEST(r.stderr_text.find(dir.file("missing") + ": No such file or directory") !=
             std::string::npos);
  BOOST_TEST(r.stderr_text.find("cut short") != std::string::npos);
  // The partial last line of the cut stream is kept as a reject, not dropped.
  BOOST_TEST(r.read == r.good.size() + r.rejected);
}

BOOST_AUTO_TEST_SUITE_END()
