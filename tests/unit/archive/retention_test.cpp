// Tests for archive/retention.hpp: hour files expire by event time (the
// newest record, or a pinned now), are deleted or moved to a cold archive
// that can be replayed, and the index follows.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "archive/index.hpp"
#include "archive/layout.hpp"
#include "archive/retention.hpp"
#include "archive/writer.hpp"
#include "archive_fixture.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using namespace mimamori::archive;
using mimamori::testing::at_ms;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t day_ms = 86'400'000;

// One record at 12:00 of each of 100 days, for two organizations.
void fill(const std::string& dir, writer_options options, int days = 100) {
  options.sync = false;  // contents, not durability, are tested here
  writer w(dir, std::move(options));
  for (int d = 0; d < days; ++d) {
    std::string batch;
    testing::append_record(batch, at_ms(d * day_ms + day_ms / 2), "acme", "d" + std::to_string(d));
    testing::append_record(batch, at_ms(d * day_ms + day_ms / 2), "globex",
                           "d" + std::to_string(d));
    BOOST_REQUIRE(w.write(batch, {}));
  }
  BOOST_REQUIRE(w.close());
}

std::vector<int> days_left(const std::string& dir, const std::string& org) {
  std::vector<int> out;
  for (const auto& line : testing::replay_all(dir, org)) {
    auto at = line.find("\"d");
    out.push_back(std::stoi(line.substr(at + 2)));
  }
  return out;
}

std::size_t files_on_disk(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().string().ends_with(".ndjson.zst")) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(archive_retention)

BOOST_AUTO_TEST_CASE(files_expire_by_the_newest_record_time_not_the_wall_clock) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  writer_options options;
  retention_policy policy;
  policy.keep = std::chrono::hours(24 * 30);
  options.retention = policy;
  fill(dir, options);  // applied as each hour rolls
  // Newest record: day 99 12:00. Day d's hour ends at d 13:00; it expires
  // when that is more than 30 days before: d + 30 < 99, d <= 68.
  std::vector<int> expected;
  for (int d = 69; d < 100; ++d) expected.push_back(d);
  BOOST_TEST(days_left(dir, "acme") == expected, boost::test_tools::per_element());
  BOOST_TEST(days_left(dir, "globex") == expected, boost::test_tools::per_element());
  BOOST_TEST(files_on_disk(dir) == 2 * expected.size());
  archive::index idx(dir, true);
  BOOST_TEST(idx.list("", std::numeric_limits<std::int64_t>::min(),
                      std::numeric_limits<std::int64_t>::max())
                 .size() == 2 * expected.size());
  // Empty day directories went with their files.
  BOOST_TEST(!fs::exists(dir + "/acme/2024/10/03"));
}

BOOST_AUTO_TEST_CASE(a_pinned_now_is_the_reference_and_cold_gets_the_files) {
  testing::temp_dir tmp;
  std::string dir = tmp.file("archive");
  std::string cold = tmp.file("cold");
  fill(dir, {});
  BOOST_TEST(files_on_disk(dir) == 200u);
  retention_policy policy;
  policy.keep = std::chrono::hours(24 * 10);
  policy.cold_dir = cold;
  {
    archive::index idx(dir, false);
    // now = day 50 00:00: day d expires when d 13:00 + 10 days < day 50, d <= 39.
    auto r = apply_retention(idx, dir, policy, at_ms(50 * day_ms));
    BOOST_TEST(r.ok, r.message);
    BOOST_TEST(r.moved == 80u);
    BOOST_TEST(r.deleted == 0u);
    BOOST_TEST(r.records == 80u);
  }
  std::vector<int> hot;
  std::vector<int> moved;
  for (int d = 0; d < 100; ++d) (d <= 39 ? moved : hot).push_back(d);
  BOOST_TEST(days_left(dir, "acme") == hot, boost::test_tools::per_element());
  BOOST_TEST(days_left(cold, "acme") == moved, boost::test_tools::per_element());
  BOOST_TEST(days_left(cold, "globex") == moved, boost::test_tools::per_element());
  BOOST_TEST(files_on_disk(dir) == 120u);
  BOOST_TEST(files_on_disk(cold) == 80u);

  // A late record reopens an expired hour; expiring it again appends to the cold file.
  {
    writer w(dir, {});
    std::string batch;
    testing::append_record(batch, at_ms(day_ms / 2 + 1), "acme", "d0");
    BOOST_REQUIRE(w.write(batch, {}));
    BOOST_REQUIRE(w.close());
  }
  {
    archive::index idx(dir, false);
    auto r = apply_retention(idx, dir, policy, at_ms(50 * day_ms));
    BOOST_TEST(r.moved == 1u);
  }
  archive::index cold_index(cold, true);
  auto row = cold_index.get("acme", hour_of(at_ms(day_ms / 2)));
  BOOST_REQUIRE(row.has_value());
  BOOST_TEST(row->records == 2u);
  BOOST_TEST(row->compressed_bytes == fs::file_size(cold + "/" + row->path));
  BOOST_TEST(testing::replay_all(cold, "acme", at_ms(0), at_ms(day_ms)).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
