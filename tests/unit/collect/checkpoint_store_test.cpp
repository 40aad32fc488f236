#include <fcntl.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <ostream>
#include <stdexcept>
#include <string>

#include "collect/checkpoint.hpp"
#include "collect/follow_source.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using collect::checkpoint_store;
using collect::file_position;
using collect::fingerprint;
using collect::pending_outcome;

namespace mimamori::collect {
std::ostream& operator<<(std::ostream& os, const fingerprint& f) {
  return os << f.length << ":" << std::hex << f.hash << std::dec;
}
}  // namespace mimamori::collect

namespace {

file_position position(std::uint64_t ino, std::uint64_t offset,
                       std::string path = "/var/log/a.log") {
  file_position p;
  p.dev = 2049;
  p.ino = ino;
  p.print = collect::fingerprint_of("first line\n");
  p.offset = offset;
  p.path = std::move(path);
  return p;
}

std::string marks(const file_position& p) {
  std::string m;
  collect::append_position(m, p);
  return m;
}

// An output file of `size` bytes, opened for appending as `>>` would.
int output_of_size(const testing::temp_dir& dir, std::size_t size) {
  std::string path = dir.write("out.ndjson", std::string(size, 'x'));
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(fingerprint_hashes_at_most_the_first_kibibyte) {
  std::string head(1024, 'a');
  BOOST_TEST(collect::fingerprint_of(head + "tail one") == collect::fingerprint_of(head + "other"));
  BOOST_TEST(collect::fingerprint_of("abc").length == 3U);
  BOOST_TEST(!(collect::fingerprint_of("abc") == collect::fingerprint_of("abd")));
  BOOST_TEST(collect::fingerprint_of("").hash == fingerprint{}.hash);
}

BOOST_AUTO_TEST_CASE(read_fingerprint_agrees_and_refuses_a_shorter_file) {
  testing::temp_dir dir;
  std::string path = dir.write("a.log", "one\ntwo\n");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  auto four = collect::read_fingerprint(fd, 4);
  BOOST_REQUIRE(four.has_value());
  BOOST_TEST(*four == collect::fingerprint_of("one\n"));
  BOOST_TEST(!collect::read_fingerprint(fd, 9).has_value());  // truncated below what we hashed
  ::close(fd);
}

BOOST_AUTO_TEST_CASE(first_run_has_no_state) {
  testing::temp_dir dir;
  checkpoint_store store(dir.file("state"));
  BOOST_TEST(!store.load());
  BOOST_TEST(store.positions().empty());
}

BOOST_AUTO_TEST_CASE(positions_survive_a_save_and_a_load_with_odd_paths) {
  testing::temp_dir dir;
  {
    checkpoint_store store(dir.file("state"));
    store.put(position(7, 120, "/var/log/with space\\and\nnewline.log"));
    store.put(position(8, 0));
    BOOST_REQUIRE(store.save(true));
  }
  checkpoint_store again(dir.file("state"));
  BOOST_REQUIRE(again.load());
  auto p = again.find(2049, 7);
  BOOST_REQUIRE(p.has_value());
  BOOST_TEST(p->offset == 120U);
  BOOST_TEST(p->path == "/var/log/with space\\and\nnewline.log");
  BOOST_TEST(p->print == collect::fingerprint_of("first line\n"));
  BOOST_TEST(again.positions().size() == 2U);
}

BOOST_AUTO_TEST_CASE(written_marks_move_and_forget_positions) {
  testing::temp_dir dir;
  checkpoint_store store(dir.file("state"));
  store.put(position(7, 100));
  store.put(position(8, 50));
  std::string m = marks(position(7, 300));
  collect::append_forget(m, 2049, 8);
  store.writing(m, collect::output_span{});
  BOOST_TEST(store.find(2049, 7)->offset == 100U);  // not before the write
  store.written(m);
  BOOST_TEST(store.find(2049, 7)->offset == 300U);
  BOOST_TEST(!store.find(2049, 8).has_value());
  checkpoint_store again(dir.file("state"));
  BOOST_REQUIRE(again.load());
  std::string detail;
  BOOST_TEST(static_cast<int>(again.settle(1, detail)) == static_cast<int>(pending_outcome::none));
  BOOST_TEST(again.find(2049, 7)->offset == 300U);
}

// The kill came between the write and the save: the output file decides.
BOOST_AUTO_TEST_CASE(a_pending_write_the_output_holds_counts_as_delivered) {
  testing::temp_dir dir;
  int out = output_of_size(dir, 1000);
  {
    checkpoint_store store(dir.file("state"));
    store.put(position(7, 100));
    store.writing(marks(position(7, 400)), collect::output_span_of(out, 250));
  }
  BOOST_REQUIRE(::write(out, std::string(250, 'r').data(), 250) == 250);  // the write happened
  checkpoint_store again(dir.file("state"));
  BOOST_REQUIRE(again.load());
  std::string detail;
  BOOST_TEST(static_cast<int>(again.settle(out, detail)) ==
             static_cast<int>(pending_outcome::written));
  BOOST_TEST(again.find(2049, 7)->offset == 400U);
  ::close(out);
}

BOOST_AUTO_TEST_CASE(a_pending_write_the_output_lacks_is_read_again) {
  testing::temp_dir dir;
  int out = output_of_size(dir, 1000);
  {
    checkpoint_store store(dir.file("state"));
    store.put(position(7, 100));
    store.writing(marks(position(7, 400)), collect::output_span_of(out, 250));
  }  // killed before the write
  checkpoint_store again(dir.file("state"));
  BOOST_REQUIRE(again.load());
  std::string detail;
  BOOST_TEST(static_cast<int>(again.settle(out, detail)) ==
             static_cast<int>(pending_outcome::not_written));
  BOOST_TEST(again.find(2049, 7)->offset == 100U);
  ::close(out);
}

BOOST_AUTO_TEST_CASE(a_pending_write_cut_short_is_cut_back_and_read_again) {
  testing::temp_dir dir;
  int out = output_of_size(dir, 1000);
  {
    checkpoint_store store(dir.file("state"));
    store.put(position(7, 100));
    store.writing(marks(position(7, 400)), collect::output_span_of(out, 250));
  }
  BOOST_REQUIRE(::write(out, std::string(90, 'r').data(), 90) == 90);  // killed mid-write
  checkpoint_store again(dir.file("state"));
  BOOST_REQUIRE(again.load());
  std::string detail;
  BOOST_TEST(static_cast<int>(again.settle(out, detail)) == static_cast<int>(pending_outcome::cut));
  BOOST_TEST(again.find(2049, 7)->offset == 100U);
  BOOST_TEST(testing::temp_dir::read(dir.file("out.ndjson")).size() == 1000U);
  ::close(out);
}

BOOST_AUTO_TEST_CASE(a_pending_write_to_a_pipe_is_read_again_and_said_so) {
  testing::temp_dir dir;
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  {
    checkpoint_store store(dir.file("state"));
    store.put(position(7, 100));
    store.writing(marks(position(7, 400)), collect::output_span_of(fds[1], 250));
  }
  checkpoint_store again(dir.file("state"));
  BOOST_REQUIRE(again.load());
  std::string detail;
  BOOST_TEST(static_cast<int>(again.settle(fds[1], detail)) ==
             static_cast<int>(pending_outcome::unknown));
  BOOST_TEST(again.find(2049, 7)->offset == 100U);
  BOOST_TEST(detail.find("may be repeated") != std::string::npos);
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_CASE(a_damaged_state_file_names_file_and_line) {
  testing::temp_dir dir;
  std::string path =
      dir.write("state", "# mimamori logcollect follow checkpoint 1\nF 1 2 3 zz 4 /a\n");
  checkpoint_store store(path);
  try {
    store.load();
    BOOST_FAIL("loaded a damaged state");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) == path + ":2: malformed position");
  }
  checkpoint_store other(dir.write("other", "something else\n"));
  BOOST_CHECK_THROW(other.load(), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_save_that_fails_is_reported) {
  checkpoint_store store("/nonexistent-folder/state");
  BOOST_TEST(!store.save());
  BOOST_TEST(store.failed());
  BOOST_TEST(store.message().find("/nonexistent-folder/state.tmp") == std::string::npos);
  BOOST_TEST(store.message().find("/nonexistent-folder/state: open") == 0U);
}

BOOST_AUTO_TEST_CASE(a_state_folder_serves_one_logcollect_at_a_time) {
  testing::temp_dir dir;
  cli::io io;
  collect::follow_options options;
  options.patterns = {dir.file("*.log")};
  options.state_dir = dir.file("state/nested");
  collect::follow_source first(options, {});
  first.prepare(io);
  collect::follow_source second(options, {});
  BOOST_CHECK_THROW(second.prepare(io), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
