// Tests for archive/writer.hpp, range_reader.hpp, index.hpp, recovery.hpp
// and stats.hpp: what goes into an archive comes back, in time order, the
// index counts what the files hold, and a crash loses no complete frame.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "archive/index.hpp"
#include "archive/layout.hpp"
#include "archive/reader.hpp"
#include "archive/recovery.hpp"
#include "archive/stats.hpp"
#include "archive/writer.hpp"
#include "archive_fixture.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using namespace mimamori::archive;
using mimamori::testing::at_ms;
using mimamori::testing::replay_all;
namespace fs = std::filesystem;

namespace {

constexpr int org_count = 4;
const char* const orgs[org_count] = {"acme", "globex", "initech", "umbrella"};

// Record i of the million: every 180 ms (50 hours in all), organizations in turn.
time::timestamp million_time(int i) {
  return at_ms(std::int64_t{i} * 180);
}
std::string million_message(int i) {
  return "m" + std::to_string(i);
}

std::uint64_t count_lines(const std::string& path) {
  hour_file_reader r;
  BOOST_REQUIRE(r.open(path));
  std::string_view line;
  std::uint64_t n = 0;
  while (r.next(line)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_writer)

BOOST_AUTO_TEST_CASE(a_million_records_across_hours_and_organizations_come_back_in_order) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  constexpr int total = 1'000'000;
  {
    writer_options options;
    options.sync = false;  // the test checks contents, not durability
    writer w(dir, options);
    std::string batch;
    for (int i = 0; i < total; ++i) {
      testing::append_record(batch, million_time(i), orgs[i % org_count], million_message(i));
      if (batch.size() >= 256 * 1024) {
        BOOST_REQUIRE(w.write(batch, {}));
        batch.clear();
      }
    }
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
    BOOST_TEST(w.stats().records == std::uint64_t{total});
    BOOST_TEST(w.stats().undated == 0u);
  }
  std::uint64_t seen = 0;
  for (int k = 0; k < org_count; ++k) {
    archive::range_reader r(dir, orgs[k], time::timestamp::min(), time::timestamp::max());
    std::string_view line;
    time::timestamp when;
    int i = k;
    bool same = true;
    while (r.next(line, when)) {
      if (same &&
          (i >= total || line != testing::record(million_time(i), orgs[k], million_message(i)) ||
           when != million_time(i))) {
        BOOST_ERROR("record " << i << " of " << orgs[k] << " differs: " << line);
        same = false;
      }
      i += org_count;
      ++seen;
    }
    BOOST_TEST(!r.failed());
    BOOST_TEST(i - org_count < total);
    BOOST_TEST(i >= total);  // every record of this organization came back
  }
  BOOST_TEST(seen == std::uint64_t{total});

  // The index counts what the files hold, and a month is counted from it alone.
  archive::index idx(dir, true);
  auto rows = idx.list("", time::timestamp::min().ns / ns_per_hour,
                       time::timestamp::max().ns / ns_per_hour);
  BOOST_TEST(rows.size() == std::size_t{50 * org_count});  // 180,000 s: 50 whole hours
  std::uint64_t indexed = 0;
  for (const hour_file& f : rows) {
    BOOST_TEST(!f.open);
    BOOST_TEST(f.in_order);
    BOOST_TEST(f.records == count_lines(dir + "/" + f.path), f.path);
    BOOST_TEST(f.compressed_bytes == fs::file_size(dir + "/" + f.path));
    BOOST_TEST(hour_of(f.first_time) == f.hour);
    BOOST_TEST(hour_of(f.last_time) == f.hour);
    indexed += f.records;
  }
  BOOST_TEST(indexed == std::uint64_t{total});
  auto days = count_records(idx, "acme", at_ms(0), at_ms(31LL * 86'400'000), period::day);
  BOOST_REQUIRE(days.size() == 3u);
  BOOST_TEST(days[0].records + days[1].records + days[2].records ==
             std::uint64_t{total / org_count});
  BOOST_TEST(days[0].records == std::uint64_t{86'400'000 / 180 / org_count});
  BOOST_TEST(days[0].files == 24u);
  BOOST_TEST(hour_text(days[1].first_hour) == "2024-10-04T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(from_is_inclusive_and_to_exclusive) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  {
    writer w(dir, {});
    std::string batch;
    for (int s = 0; s < 3 * 3600; s += 7)
      testing::append_record(batch, at_ms(s * 1000LL), "acme", "s" + std::to_string(s));
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
  }
  struct range {
    std::int64_t from_ms, to_ms;
  };
  for (range q : {range{0, 10'800'000}, range{7000, 14000}, range{3'599'999, 7'203'000},
                  range{3'600'000, 3'600'001}, range{3'600'001, 3'600'002}, range{5000, 5000},
                  range{-10'000'000, 1}}) {
    std::vector<std::string> expected;
    for (int s = 0; s < 3 * 3600; s += 7) {
      std::int64_t ms = s * 1000LL;
      if (ms >= q.from_ms && ms < q.to_ms)
        expected.push_back(testing::record(at_ms(ms), "acme", "s" + std::to_string(s)));
    }
    auto got = replay_all(dir, "acme", at_ms(q.from_ms), at_ms(q.to_ms));
    BOOST_TEST(got == expected, "from " << q.from_ms << " to " << q.to_ms);
  }
  BOOST_TEST(replay_all(dir, "nobody").empty());
}

BOOST_AUTO_TEST_CASE(late_records_are_replayed_in_time_order_ties_in_arrival_order) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  {
    writer w(dir, {});
    std::string batch;
    testing::append_record(batch, at_ms(5000), "acme", "b");
    testing::append_record(batch, at_ms(1000), "acme", "a-late");
    testing::append_record(batch, at_ms(5000), "acme", "c-same-time");
    testing::append_record(batch, at_ms(3'600'000 + 1), "acme", "next-hour");
    BOOST_REQUIRE(w.write(batch, {}));
    batch.clear();
    // A record of the first hour after the writer closed its file reopens it.
    testing::append_record(batch, at_ms(7'200'000 + 20'000), "acme", "hour-3");
    BOOST_REQUIRE(w.write(batch, {}));
    batch.clear();
    testing::append_record(batch, at_ms(2000), "acme", "a2-very-late");
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
  }
  std::vector<std::string> expected = {
      testing::record(at_ms(1000), "acme", "a-late"),
      testing::record(at_ms(2000), "acme", "a2-very-late"),
      testing::record(at_ms(5000), "acme", "b"),
      testing::record(at_ms(5000), "acme", "c-same-time"),
      testing::record(at_ms(3'600'001), "acme", "next-hour"),
      testing::record(at_ms(7'220'000), "acme", "hour-3"),
  };
  BOOST_TEST(replay_all(dir, "acme") == expected, boost::test_tools::per_element());
  archive::index idx(dir, true);
  auto first = idx.get("acme", hour_of(at_ms(0)));
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->records == 4u);
  BOOST_TEST(!first->in_order);
  BOOST_TEST(first->frames == 2u);
  BOOST_TEST(first->first_time.ns == at_ms(1000).ns);
  BOOST_TEST(first->last_time.ns == at_ms(5000).ns);
}

BOOST_AUTO_TEST_CASE(reordering_holds_only_as_many_records_as_the_lateness_needs) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  // 100,000 records 10 ms apart; every 100th arrives 50 ms late (after the
  // five records that follow it in time).
  constexpr int total = 100'000;
  std::vector<int> arrival;
  for (int i = 0; i < total; ++i) {
    if (i % 100 == 0 && i + 5 < total) continue;
    arrival.push_back(i);
    if (i % 100 == 5) arrival.push_back(i - 5);
  }
  BOOST_REQUIRE(arrival.size() == std::size_t{total});
  {
    writer w(dir, {});
    std::string batch;
    for (int i : arrival) {
      testing::append_record(batch, at_ms(i * 10LL), "acme", "r" + std::to_string(i));
      if (batch.size() > 100'000) {
        BOOST_REQUIRE(w.write(batch, {}));
        batch.clear();
      }
    }
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
  }
  archive::range_reader r(dir, "acme", at_ms(0), at_ms(total * 10LL));
  std::string_view line;
  time::timestamp when;
  int i = 0;
  while (r.next(line, when)) {
    if (line != testing::record(at_ms(i * 10LL), "acme", "r" + std::to_string(i))) {
      BOOST_ERROR("record " << i << " out of place: " << line);
      break;
    }
    ++i;
  }
  BOOST_TEST(i == total);
  BOOST_TEST(!r.failed());
  BOOST_TEST(r.most_buffered() <= 10u);  // 50 ms of records, not the whole file
}

BOOST_AUTO_TEST_CASE(records_without_a_time_go_to_the_fallback_hour) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  writer w(dir, {});
  BOOST_REQUIRE(w.write("{\"message\":\"no time\"}\nnot json at all\n", at_ms(42)));
  BOOST_REQUIRE(w.close());
  BOOST_TEST(w.stats().undated == 2u);
  auto got = replay_all(dir, "default");
  BOOST_REQUIRE(got.size() == 2u);
  BOOST_TEST(got[1] == "not json at all");
}

BOOST_AUTO_TEST_CASE(one_writer_per_archive) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  writer first(dir, {});
  BOOST_CHECK_THROW(writer(dir, {}), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_crash_loses_only_the_frame_being_written) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  constexpr int per_batch = 100;
  constexpr int batches = 10;
  // A child archives ten batches (ten frames) and dies without closing.
  pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    writer_options options;
    writer w(dir, options);
    for (int b = 0; b < batches; ++b) {
      std::string batch;
      for (int i = 0; i < per_batch; ++i) {
        int n = b * per_batch + i;
        testing::append_record(batch, at_ms(n), "acme", "n" + std::to_string(n));
      }
      if (!w.write(batch, {})) ::_exit(1);
    }
    ::_exit(0);  // no close(): the file stays open in the index
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::string path = dir + "/" + hour_file_path("acme", hour_of(at_ms(0)));
  {
    archive::index idx(dir, true);
    auto row = idx.get("acme", hour_of(at_ms(0)));
    BOOST_REQUIRE(row.has_value());
    BOOST_TEST(row->open);
  }
  // Cut the last frame in the middle, as a crash during its write would.
  auto size = fs::file_size(path);
  hour_file probe;
  probe.organization = "acme";
  probe.hour = hour_of(at_ms(0));
  probe.path = hour_file_path("acme", probe.hour);
  scan_result whole = scan_hour_file(dir, probe);
  BOOST_TEST(whole.ok);
  BOOST_TEST(probe.records == std::uint64_t{per_batch * batches});
  BOOST_TEST(probe.frames == std::uint64_t{batches});
  fs::resize_file(path, size - 20);
  // A reader stops cleanly before the cut frame.
  BOOST_TEST(count_lines(path) == std::uint64_t{per_batch * (batches - 1)});

  // The next writer recovers the file, counts it, and appends after it.
  std::vector<std::string> notes;
  {
    writer w(dir, {}, [&](std::string_view n) { notes.emplace_back(n); });
    BOOST_TEST(w.stats().recovered_files == 1u);
    BOOST_TEST(w.stats().recovered_cut_bytes > 0u);
    std::string batch;
    testing::append_record(batch, at_ms(5000), "acme", "after restart");
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
  }
  BOOST_REQUIRE(notes.size() == 1u);
  BOOST_TEST(notes[0].find("recovered 900 records, cut") != std::string::npos, notes[0]);
  auto got = replay_all(dir, "acme");
  BOOST_REQUIRE(got.size() == std::size_t{per_batch * (batches - 1) + 1});
  for (int n = 0; n < per_batch * (batches - 1); ++n)
    BOOST_REQUIRE(got[static_cast<std::size_t>(n)] ==
                  testing::record(at_ms(n), "acme", "n" + std::to_string(n)));
  BOOST_TEST(got.back() == testing::record(at_ms(5000), "acme", "after restart"));
  archive::index idx(dir, true);
  auto row = idx.get("acme", hour_of(at_ms(0)));
  BOOST_REQUIRE(row.has_value());
  BOOST_TEST(!row->open);
  BOOST_TEST(row->records == std::uint64_t{per_batch * (batches - 1) + 1});
  BOOST_TEST(row->compressed_bytes == fs::file_size(path));
}

BOOST_AUTO_TEST_CASE(a_frame_that_does_not_decompress_ends_the_file_with_an_error) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  {
    writer w(dir, {});
    std::string batch;
    testing::append_record(batch, at_ms(1), "acme", "one");
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
  }
  std::string path = dir + "/" + hour_file_path("acme", hour_of(at_ms(0)));
  std::string bytes = testing::temp_dir::read(path);
  bytes[bytes.size() / 2] ^= 0x55;  // flip bits inside the frame (its checksum catches it)
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  BOOST_REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  ::close(fd);
  archive::range_reader r(dir, "acme", time::timestamp::min(), time::timestamp::max());
  std::string_view line;
  time::timestamp when;
  while (r.next(line, when)) {
  }
  BOOST_TEST(r.failed());
  BOOST_TEST(r.message().find(path) != std::string::npos, r.message());
}

BOOST_AUTO_TEST_SUITE_END()
