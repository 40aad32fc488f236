#include "ndjson/writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <csignal>

#include "ndjson/json_text.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using mimamori::testing::temp_dir;

BOOST_AUTO_TEST_SUITE(writer)

BOOST_AUTO_TEST_CASE(writes_each_record_on_its_own_line) {
  temp_dir dir;
  std::string path = dir.file("out");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  {
    ndjson::line_writer out(fd, path);
    out.write("{\"a\":1}");
    out.buffer() += "{\"b\":2}";
    out.end_record();
    BOOST_TEST(out.close());
    BOOST_TEST(out.records() == 2U);
  }
  ::close(fd);
  BOOST_TEST(temp_dir::read(path) == "{\"a\":1}\n{\"b\":2}\n");
}

BOOST_AUTO_TEST_CASE(block_buffering_holds_records_until_flushed) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  ndjson::line_writer out(fds[1], "<pipe>", ndjson::buffering::block);
  out.write("{}");
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  char buf[16];
  BOOST_TEST(::read(fds[0], buf, sizeof buf) == -1);  // nothing yet
  BOOST_TEST(out.flush());
  BOOST_TEST(::read(fds[0], buf, sizeof buf) == 3);
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_CASE(line_buffering_writes_every_record_at_once) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  ndjson::line_writer out(fds[1], "<pipe>", ndjson::buffering::line);
  BOOST_TEST(out.line_buffered());
  out.write("{}");
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  char buf[16];
  BOOST_TEST(::read(fds[0], buf, sizeof buf) == 3);
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_CASE(raises_the_buffer_of_a_pipe) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  int before = ::fcntl(fds[1], F_GETPIPE_SZ);
  ndjson::line_writer out(fds[1], "<pipe>");
  BOOST_TEST(::fcntl(fds[1], F_GETPIPE_SZ) > before);
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_CASE(reports_a_full_disk_as_an_error) {
  int fd = ::open("/dev/full", O_WRONLY);
  BOOST_REQUIRE(fd >= 0);
  ndjson::line_writer out(fd, "/dev/full", ndjson::buffering::block);
  out.write("{\"lost\":\"unless reported\"}");
  BOOST_TEST(!out.close());
  BOOST_TEST((out.status() == ndjson::write_status::error));
  BOOST_TEST(out.message() == "/dev/full: write error: No space left on device");
  ::close(fd);
}

BOOST_AUTO_TEST_CASE(reports_a_closed_pipe_as_broken) {
  std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  ndjson::line_writer out(fds[1], "<pipe>", ndjson::buffering::line);
  out.write("{}");
  BOOST_TEST((out.status() == ndjson::write_status::broken_pipe));
  ::close(fds[1]);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_AUTO_TEST_CASE(escapes_what_json_requires) {
  std::string out;
  ndjson::append_string(out, std::string_view("a\"b\\c\nd\te\x01 \x7f", 12));
  BOOST_TEST(out == "\"a\\\"b\\\\c\\nd\\te\\u0001 \x7f\"");
}

BOOST_AUTO_TEST_CASE(keeps_valid_utf8_and_replaces_invalid_bytes) {
  std::string out;
  ndjson::append_escaped(out, "東京 caf\xc3\xa9 \xff \xe6\x9d \xed\xa0\x80 \xf0\x9f\x98\x80");
  BOOST_TEST(out ==
             "東京 caf\xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
             "\xf0\x9f\x98\x80");
  BOOST_TEST(ndjson::is_valid_utf8(out));
}

BOOST_AUTO_TEST_CASE(encodes_base64_with_padding) {
  for (auto [in, expected] : {std::pair{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
                              {"foobar", "Zm9vYmFy"}}) {
    std::string out;
    ndjson::append_base64(out, in);
    BOOST_TEST(out == expected);
  }
}

BOOST_AUTO_TEST_CASE(writes_numbers_that_read_back) {
  std::string out;
  ndjson::append_int(out, -42);
  out += ' ';
  ndjson::append_double(out, 0.1);
  out += ' ';
  ndjson::append_double(out, 1.0 / 0.0);
  BOOST_TEST(out == "-42 0.1 null");
}

BOOST_AUTO_TEST_SUITE_END()
