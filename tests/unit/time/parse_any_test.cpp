// Tests for time/parse_any.hpp: the forms a user may give --now, --from and
// --to, tried in order.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <ostream>
#include <string_view>

#include "time/parse_any.hpp"
#include "time/zone.hpp"

using namespace mimamori::time;
namespace data = boost::unit_test::data;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t oct3 = 1'727'924'400;  // 2024-10-03T03:00:00Z
const timestamp reference = timestamp::from_seconds(oct3 + 3600);

struct any_case {
  std::string_view text;
  std::int64_t ns;
};
std::ostream& operator<<(std::ostream& os, const any_case& c) { return os << c.text; }

// Read in Asia/Tokyo where no offset is given.
const any_case tokyo_inputs[] = {
    {"2024-10-03T03:00:00Z", oct3 * s},
    {"2024-10-03T12:00:00+09:00", oct3 * s},
    {"2024-10-03T12:00:00", oct3 * s},
    {"2024-10-03 12:00:00.5", oct3 * s + 500'000'000},
    {"2024-10-03", (oct3 - 12 * 3600) * s},  // midnight in Tokyo
    {"Oct  3 12:00:00", oct3 * s},
    {"Oct 3 12:00:00.25", oct3 * s + 250'000'000},
    {"1727924400", oct3 * s},
    {"1727924400.5", oct3 * s + 500'000'000},
    {"1727924400123", oct3 * s + 123'000'000},
    {"1727924400123456789", oct3 * s + 123'456'789},
    {"  2024-10-03T03:00:00Z\n", oct3 * s},
};

BOOST_DATA_TEST_CASE(reads_every_form_a_user_may_type, data::make(tokyo_inputs), sample) {
  const auto tokyo = zone::locate("Asia/Tokyo");
  BOOST_TEST_REQUIRE(tokyo.has_value());
  const auto value = parse_any(sample.text, reference, *tokyo);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == sample.ns);
}

const std::string_view nonsense[] = {
    "", "   ", "now", "yesterday", "2024-10-03T", "2024-13-01", "Oct  3 03:00:00 extra",
    "2024-10-03T03:00:00Z extra", "1e9", "12:00:00", "0x10", "-", "\xff",
};

BOOST_DATA_TEST_CASE(rejects_what_it_cannot_read, data::make(nonsense), text) {
  BOOST_TEST(!parse_any(text, reference, zone::utc()).has_value());
}

}  // namespace
