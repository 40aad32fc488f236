// Tests for archive/layout.hpp and archive/record_key.hpp: paths of hour
// files, organization directory names, and reading a record's time and
// organization with and without the fast path.
#include <boost/test/unit_test.hpp>

#include <string>

#include "archive/layout.hpp"
#include "archive/record_key.hpp"
#include "archive/retention.hpp"
#include "archive_fixture.hpp"
#include "time/rfc3339.hpp"

using namespace mimamori;
using namespace mimamori::archive;

BOOST_AUTO_TEST_SUITE(archive_layout)

BOOST_AUTO_TEST_CASE(hour_file_path_is_org_year_month_day_hour) {
  auto t = time::parse_rfc3339("2024-10-03T04:59:59.999Z");
  BOOST_TEST(hour_file_path("acme", hour_of(*t)) == "acme/2024/10/03/04.ndjson.zst");
  auto before_1970 = time::parse_rfc3339("1969-12-31T23:30:00Z");
  BOOST_TEST(hour_of(*before_1970) == -1);
  BOOST_TEST(hour_file_path("acme", -1) == "acme/1969/12/31/23.ndjson.zst");
  BOOST_TEST(hour_text(hour_of(*t)) == "2024-10-03T04:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(organization_ids_become_safe_directory_names_and_back) {
  for (std::string id : {"acme", "a/b", "..", ".hidden", "日本", "x%y", "", "with space"}) {
    std::string dir = org_directory(id);
    BOOST_TEST(dir.find('/') == std::string::npos);
    BOOST_TEST(dir != "..");
    BOOST_TEST(dir != ".");
    BOOST_TEST(!dir.empty());
    BOOST_TEST(dir[0] != '.');
    BOOST_TEST(org_from_directory(dir) == id);
  }
  BOOST_TEST(org_directory("acme-1.jp_x") == "acme-1.jp_x");
  BOOST_TEST(org_directory("a/b") == "a%2Fb");
}

BOOST_AUTO_TEST_CASE(record_key_reads_logcollect_records_in_place) {
  record_key key;
  auto line = testing::record(testing::at_ms(3'723'456), "acme", "hello");
  auto k = key.read(line);
  BOOST_TEST(k.has_time);
  BOOST_TEST(k.time.ns == testing::at_ms(3'723'456).ns);
  BOOST_TEST(k.organization == "acme");
}

BOOST_AUTO_TEST_CASE(record_key_parses_other_shapes) {
  record_key key;
  auto k = key.read(R"({"organization":{"id":"a\"b"},"@timestamp":"2024-10-03T09:00:00+09:00"})");
  BOOST_TEST(k.has_time);
  BOOST_TEST(k.time.ns == testing::base_ns);
  BOOST_TEST(k.organization == "a\"b");
  auto none = key.read(R"({"message":"no time, no organization"})");
  BOOST_TEST(!none.has_time);
  BOOST_TEST(none.organization == "default");
  auto broken = key.read("not json");
  BOOST_TEST(!broken.has_time);
  BOOST_TEST(broken.organization == "default");
  // A bad date in the fast shape is not taken for a time.
  auto bad = key.read(R"({"@timestamp":"2024-02-30T00:00:00.000Z","organization":{"id":"x"}})");
  BOOST_TEST(!bad.has_time);
  BOOST_TEST(bad.organization == "x");
}

BOOST_AUTO_TEST_CASE(retention_ages_have_a_number_and_a_unit) {
  BOOST_TEST(parse_retention("92d")->count() == 92 * 86400);
  BOOST_TEST(parse_retention("36h")->count() == 36 * 3600);
  BOOST_TEST(parse_retention("90m")->count() == 90 * 60);
  BOOST_TEST(parse_retention("10s")->count() == 10);
  BOOST_TEST(parse_retention("2w")->count() == 14 * 86400);
  for (const char* bad : {"", "d", "0d", "92", "9x", "-1d", "1.5d", "99999999999999999999d"})
    BOOST_TEST(!parse_retention(bad).has_value(), bad);
}

BOOST_AUTO_TEST_SUITE_END()
