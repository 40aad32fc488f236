// Tests for time/filetime.hpp: Windows FILETIME ticks and their text forms.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string_view>

#include "time/filetime.hpp"

using namespace mimamori::time;

BOOST_AUTO_TEST_SUITE(filetime_tests)

BOOST_AUTO_TEST_CASE(reads_the_unix_epoch) {
  const auto value = from_filetime(116'444'736'000'000'000ULL);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->ns == 0);
}

BOOST_AUTO_TEST_CASE(reads_known_values) {
  // 2024-10-06T09:00:00Z, as an Active Directory lastLogon would hold it.
  const auto value = from_filetime(133'726'788'000'000'000ULL);
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(value->seconds() == 1'728'205'200);
  // One tick is 100 ns.
  const auto tick = from_filetime(116'444'736'000'000'001ULL);
  BOOST_TEST_REQUIRE(tick.has_value());
  BOOST_TEST(tick->ns == 100);
  // 1900-01-01, before the Unix epoch.
  const auto old = from_filetime(94'354'848'000'000'000ULL);
  BOOST_TEST_REQUIRE(old.has_value());
  BOOST_TEST(old->seconds() == -2'208'988'800);
}

BOOST_AUTO_TEST_CASE(refuses_ticks_outside_timestamp_range) {
  BOOST_TEST(!from_filetime(0).has_value());  // 1601: "never" in Active Directory
  BOOST_TEST(!from_filetime(0x7FFF'FFFF'FFFF'FFFFULL).has_value());
  BOOST_TEST(!from_filetime(~0ULL).has_value());
}

BOOST_AUTO_TEST_CASE(writes_ticks_back) {
  BOOST_TEST(to_filetime(timestamp{0}) == 116'444'736'000'000'000ULL);
  BOOST_TEST(to_filetime(timestamp::from_seconds(1'728'205'200)) == 133'726'788'000'000'000ULL);
  BOOST_TEST(to_filetime(timestamp{199}) == 116'444'736'000'000'001ULL);
  BOOST_TEST(to_filetime(timestamp{-1}) == 116'444'735'999'999'999ULL);
  for (const std::uint64_t ticks :
       {116'444'736'000'000'000ULL, 133'726'788'000'000'123ULL, 94'354'848'000'000'007ULL}) {
    const auto value = from_filetime(ticks);
    BOOST_TEST_REQUIRE(value.has_value());
    BOOST_TEST(to_filetime(*value) == ticks);
  }
}

BOOST_AUTO_TEST_CASE(parses_decimal_and_hex_text) {
  const auto decimal = parse_filetime("133726788000000000");
  BOOST_TEST_REQUIRE(decimal.has_value());
  BOOST_TEST(decimal->seconds() == 1'728'205'200);
  const auto hex = parse_filetime("0x01DB17CE1FB1A800");
  BOOST_TEST_REQUIRE(hex.has_value());
  BOOST_TEST(hex->seconds() == 1'728'205'200);
  const auto lower = parse_filetime("0X1db17ce1fb1a800");
  BOOST_TEST_REQUIRE(lower.has_value());
  BOOST_TEST(lower->seconds() == 1'728'205'200);
}

BOOST_AUTO_TEST_CASE(rejects_malformed_text) {
  for (const std::string_view text :
       {"", "0x", "0x1G", "12a", "-133726788000000000", " 133726788000000000",
        "133726788000000000 ", "0x00000000000000000", "99999999999999999999",
        "18446744073709551616", "0", "1.5"}) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(!parse_filetime(text).has_value()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
