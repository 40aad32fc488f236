#include "ndjson/reader.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "temp_dir.hpp"

using namespace mimamori;
using mimamori::testing::temp_dir;

namespace {

struct read_back {
  std::vector<std::string> lines;
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint64_t> numbers;
  std::vector<bool> truncated;
  ndjson::read_status status;
  std::string message;
};

read_back read_all(const std::string& path, ndjson::reader_options options = {}) {
  ndjson::line_reader reader(ndjson::input::open(path), options);
  read_back r;
  ndjson::line l;
  while (reader.next(l)) {
    r.lines.emplace_back(l.text);
    r.offsets.push_back(l.where.offset);
    r.numbers.push_back(l.where.line);
    r.truncated.push_back(l.truncated);
  }
  r.status = reader.status();
  r.message = reader.message();
  return r;
}

std::string zstd_compress(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  std::size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  out.resize(n);
  return out;
}

std::string gzip_compress(const std::string& text) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, text.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reader)

BOOST_AUTO_TEST_CASE(gives_each_line_with_its_number_and_byte_offset) {
  temp_dir dir;
  auto r = read_all(dir.write("a.ndjson", "{\"a\":1}\n{\"b\":22}\n{\"c\":3}\n"));
  BOOST_TEST(r.lines == (std::vector<std::string>{"{\"a\":1}", "{\"b\":22}", "{\"c\":3}"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.offsets == (std::vector<std::uint64_t>{0, 8, 17}), boost::test_tools::per_element());
  BOOST_TEST(r.numbers == (std::vector<std::uint64_t>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST((r.status == ndjson::read_status::end));
}

BOOST_AUTO_TEST_CASE(keeps_a_last_line_without_newline) {
  temp_dir dir;
  auto r = read_all(dir.write("a", "one\ntwo"));
  BOOST_TEST(r.lines == (std::vector<std::string>{"one", "two"}), boost::test_tools::per_element());
  BOOST_TEST(r.offsets[1] == 4U);
}

BOOST_AUTO_TEST_CASE(drops_the_carriage_return_of_crlf_endings) {
  temp_dir dir;
  auto r = read_all(dir.write("a", "one\r\ntwo\r\nthree\r"));
  BOOST_TEST(r.lines == (std::vector<std::string>{"one", "two", "three"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.offsets[1] == 5U);
}

BOOST_AUTO_TEST_CASE(gives_empty_lines_as_empty) {
  temp_dir dir;
  auto r = read_all(dir.write("a", "one\n\n\ntwo\n"));
  BOOST_TEST(r.lines == (std::vector<std::string>{"one", "", "", "two"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.numbers[3] == 4U);
}

BOOST_AUTO_TEST_CASE(reads_an_empty_file_as_no_lines) {
  temp_dir dir;
  auto r = read_all(dir.write("a", ""));
  BOOST_TEST(r.lines.empty());
  BOOST_TEST((r.status == ndjson::read_status::end));
}

BOOST_AUTO_TEST_CASE(reads_a_20_mib_line_whole) {
  temp_dir dir;
  std::string big = "{\"x\":\"" + std::string(20 << 20, 'a') + "\"}";
  auto r = read_all(dir.write("a", "{}\n" + big + "\n{\"after\":1}\n"));
  BOOST_REQUIRE_EQUAL(r.lines.size(), 3U);
  BOOST_TEST(r.lines[1].size() == big.size());
  BOOST_TEST((r.lines[1] == big));
  BOOST_TEST(!r.truncated[1]);
  BOOST_TEST(r.lines[2] == "{\"after\":1}");
  BOOST_TEST(r.offsets[2] == 3U + big.size() + 1);
}

BOOST_AUTO_TEST_CASE(cuts_a_line_longer_than_the_limit_and_goes_on) {
  temp_dir dir;
  ndjson::reader_options options;
  options.buffer_size = 4096;
  options.max_line = 10000;
  std::string big(50000, 'b');
  auto r = read_all(dir.write("a", "x\n" + big + "\ny\n"), options);
  BOOST_REQUIRE_EQUAL(r.lines.size(), 3U);
  BOOST_TEST(r.truncated[1]);
  BOOST_TEST(r.lines[1].size() == 10000U);
  BOOST_TEST(r.lines[2] == "y");
  BOOST_TEST(r.offsets[2] == 2U + 50001U);
  BOOST_TEST(r.numbers[2] == 3U);
}

BOOST_AUTO_TEST_CASE(splits_lines_across_many_small_buffers) {
  temp_dir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line number " + std::to_string(i) + "\n";
  ndjson::reader_options options;
  options.buffer_size = 4096;
  auto r = read_all(dir.write("a", text), options);
  BOOST_REQUIRE_EQUAL(r.lines.size(), 5000U);
  BOOST_TEST(r.lines[4999] == "line number 4999");
}

BOOST_AUTO_TEST_CASE(reads_zstd_files_transparently) {
  temp_dir dir;
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "{\"n\":" + std::to_string(i) + "}\n";
  auto r = read_all(dir.write("a.zst", zstd_compress(text)));
  BOOST_REQUIRE_EQUAL(r.lines.size(), 10000U);
  BOOST_TEST(r.lines[9999] == "{\"n\":9999}");
  BOOST_TEST((r.status == ndjson::read_status::end));
}

BOOST_AUTO_TEST_CASE(reads_concatenated_zstd_frames) {
  temp_dir dir;
  auto r = read_all(dir.write("a.zst", zstd_compress("one\n") + zstd_compress("two\n")));
  BOOST_TEST(r.lines == (std::vector<std::string>{"one", "two"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reports_a_zstd_file_cut_short_after_giving_what_it_holds) {
  temp_dir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "{\"n\":" + std::to_string(i * 7919 % 100003) + "}\n";
  std::string packed = zstd_compress(text);
  auto r = read_all(dir.write("cut.zst", packed.substr(0, packed.size() * 2 / 3)));
  BOOST_TEST((r.status == ndjson::read_status::error));
  BOOST_TEST(r.message.find("cut.zst") != std::string::npos);
  BOOST_TEST(r.message.find("cut short") != std::string::npos);
  BOOST_TEST(!r.lines.empty());
  BOOST_TEST(r.lines.size() < 20000U);
  BOOST_TEST(r.lines[0] == "{\"n\":0}");
}

BOOST_AUTO_TEST_CASE(reports_corrupt_zstd_data) {
  temp_dir dir;
  std::string packed = zstd_compress(std::string(100000, 'x') + "\n");
  for (std::size_t i = 8; i < packed.size(); ++i) packed[i] = static_cast<char>(packed[i] ^ 0x5a);
  auto r = read_all(dir.write("bad.zst", packed));
  BOOST_TEST((r.status == ndjson::read_status::error));
  BOOST_TEST(r.message.find("bad.zst") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(reads_gzip_files_with_several_members) {
  temp_dir dir;
  auto r = read_all(dir.write("a.gz", gzip_compress("one\ntwo\n") + gzip_compress("three")));
  BOOST_TEST(r.lines == (std::vector<std::string>{"one", "two", "three"}),
             boost::test_tools::per_element());
  BOOST_TEST((r.status == ndjson::read_status::end));
}

BOOST_AUTO_TEST_CASE(reports_a_gzip_file_cut_short) {
  temp_dir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i * 31337 % 99991) + "\n";
  std::string packed = gzip_compress(text);
  auto r = read_all(dir.write("cut.gz", packed.substr(0, packed.size() / 2)));
  BOOST_TEST((r.status == ndjson::read_status::error));
  BOOST_TEST(r.message.find("cut short") != std::string::npos);
  BOOST_TEST(!r.lines.empty());
}

BOOST_AUTO_TEST_CASE(reads_compressed_data_from_a_pipe) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  std::string packed = zstd_compress("piped\nzstd\n");
  BOOST_REQUIRE(::write(fds[1], packed.data(), packed.size()) == static_cast<ssize_t>(packed.size()));
  ::close(fds[1]);
  ndjson::line_reader reader(std::make_unique<ndjson::input>(fds[0], "<pipe>", true));
  ndjson::line l;
  BOOST_REQUIRE(reader.next(l));
  BOOST_TEST(l.text == "piped");
  BOOST_REQUIRE(reader.next(l));
  BOOST_TEST(l.text == "zstd");
  BOOST_TEST(!reader.next(l));
}

BOOST_AUTO_TEST_CASE(stops_a_blocked_read_when_asked) {
  int data[2];
  int wake[2];
  BOOST_REQUIRE(::pipe(data) == 0);
  BOOST_REQUIRE(::pipe(wake) == 0);
  volatile std::sig_atomic_t flag = 0;
  BOOST_REQUIRE(::write(data[1], "before\n", 7) == 7);
  ndjson::line_reader reader(
      std::make_unique<ndjson::input>(data[0], "<pipe>", true, ndjson::stop_signal{wake[0], &flag}));
  ndjson::line l;
  BOOST_REQUIRE(reader.next(l));
  BOOST_TEST(l.text == "before");
  flag = SIGTERM;
  BOOST_REQUIRE(::write(wake[1], "x", 1) == 1);
  BOOST_TEST(!reader.next(l));  // would block forever without the wake-up
  BOOST_TEST((reader.status() == ndjson::read_status::interrupted));
  ::close(data[1]);
  ::close(wake[0]);
  ::close(wake[1]);
}

BOOST_AUTO_TEST_CASE(names_the_path_of_a_file_that_cannot_be_opened) {
  try {
    (void)ndjson::input::open("/nonexistent/x.ndjson");
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) == "/nonexistent/x.ndjson: No such file or directory");
  }
}

BOOST_AUTO_TEST_SUITE_END()
