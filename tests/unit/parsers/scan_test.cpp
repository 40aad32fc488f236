// Tests for parsers/scan.hpp: the two-byte search, key=value pairs (as
// FortiGate sends them, quoted values with escapes, stray words) and IP
// address checks, each at every position relative to the 16-byte blocks the
// search reads.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parsers/scan.hpp"

using namespace mimamori::parsers;
namespace data = boost::unit_test::data;

namespace {

// Every pair of the text, as "key=value" (quoted values marked with q).
std::vector<std::string> pairs(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  kv_pair kv;
  while (next_kv(text, pos, kv)) {
    out.push_back(std::string(kv.key) + (kv.quoted ? "=q" : "=") + std::string(kv.value));
    BOOST_TEST_REQUIRE(out.size() <= text.size());  // every pair takes a byte at least
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(find_either_finds_the_first_of_two_bytes_at_every_offset) {
  for (std::size_t size = 0; size < 40; ++size) {
    for (std::size_t at = 0; at <= size; ++at) {
      std::string text(size, 'x');
      if (at < size) text[at] = (at % 2 == 0) ? '=' : ' ';
      if (at + 3 < size) text[at + 3] = '=';  // a later match never wins
      const char* found = find_either(text.data(), text.data() + size, '=', ' ');
      BOOST_TEST_REQUIRE(found - text.data() == static_cast<std::ptrdiff_t>(at),
                         "size " << size << " at " << at);
    }
  }
  // Bytes above 0x7f are bytes like any other.
  const std::string utf8 = "\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac=";
  BOOST_TEST(find_either(utf8.data(), utf8.data() + utf8.size(), '=', '"') ==
             utf8.data() + utf8.size() - 1);
  BOOST_TEST(find_either(utf8.data(), utf8.data() + utf8.size(), '\xba', '"') == utf8.data() + 4);
}

BOOST_AUTO_TEST_CASE(reads_fortigate_pairs_plain_and_quoted) {
  const std::string line =
      "date=2019-05-15 time=18:03:36 devname=\"FGT60D4614044725\" logid=\"0100040704\" "
      "type=\"event\" msg=\"a \\\"quoted\\\" word\" empty= last=x";
  const std::vector<std::string> expected = {
      "date=2019-05-15", "time=18:03:36",       "devname=qFGT60D4614044725",
      "logid=q0100040704", "type=qevent", "msg=qa \\\"quoted\\\" word", "empty=", "last=x"};
  BOOST_TEST(pairs(line) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(skips_stray_words_and_stops_without_another_pair) {
  BOOST_TEST(pairs("relay->10.0.0.1 a=1 stray b=2") == (std::vector<std::string>{"a=1", "b=2"}),
             boost::test_tools::per_element());
  BOOST_TEST(pairs("a=1 trailing words only").size() == 1u);
  BOOST_TEST(pairs("no pairs at all").empty());
  BOOST_TEST(pairs("").empty());
  BOOST_TEST(pairs(" \t,,").empty());
  // Tabs end values; commas and tabs separate pairs.
  BOOST_TEST(pairs("a=1\tb=2,c=3") == (std::vector<std::string>{"a=1", "b=2,c=3"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unterminated_quotes_run_to_the_end) {
  BOOST_TEST(pairs("a=\"open value") == (std::vector<std::string>{"a=qopen value"}),
             boost::test_tools::per_element());
  BOOST_TEST(pairs("a=\"esc \\\" still open") ==
                 (std::vector<std::string>{"a=qesc \\\" still open"}),
             boost::test_tools::per_element());
  BOOST_TEST(pairs("a=\"ends in backslash\\") ==
                 (std::vector<std::string>{"a=qends in backslash\\"}),
             boost::test_tools::per_element());
  BOOST_TEST(pairs("a=\"") == (std::vector<std::string>{"a=q"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(pairs_read_the_same_at_every_block_offset) {
  // The same pairs behind 0..31 bytes of padding words: 16-byte blocks
  // fall everywhere in keys, values and quotes.
  const std::string body = "srcip=10.0.0.1 msg=\"x \\\"y\\\" z\" dstport=443 url=\"/a?b=c\"";
  const std::vector<std::string> expected = {"srcip=10.0.0.1", "msg=qx \\\"y\\\" z", "dstport=443",
                                             "url=q/a?b=c"};
  for (std::size_t pad = 0; pad < 32; ++pad) {
    std::string line = "p=" + std::string(pad, 'v') + " " + body;
    std::vector<std::string> got = pairs(line);
    BOOST_TEST_REQUIRE(got.size() == 5u, "pad " << pad);
    got.erase(got.begin());
    BOOST_TEST(got == expected, boost::test_tools::per_element());
  }
}

struct ip_case {
  std::string_view text;
  bool ip;
};
std::ostream& operator<<(std::ostream& os, const ip_case& c) { return os << c.text; }

const ip_case ip_cases[] = {
    {"0.0.0.0", true},
    {"10.0.0.1", true},
    {"255.255.255.255", true},
    {"192.168.001.010", true},  // leading zeros, three digits at most
    {"256.0.0.1", false},
    {"1.2.3", false},
    {"1.2.3.4.5", false},
    {"1.2.3.", false},
    {".1.2.3", false},
    {"1..2.3", false},
    {"1.2.3.4 ", false},
    {"1.2.3.0004", false},
    {"0001.2.3.4", false},
    {"1.2.3.x", false},
    {"", false},
    {"host.example", false},
    {"::1", true},
    {"2001:db8::1", true},
    {"fe80::1%eth0", true},
    {"::ffff:192.0.2.1", true},
    {"2001:db8::1::2", false},
    {"12345::1", false},
    {"1:2:3:4:5:6:7:8", true},
    {"1:2:3:4:5:6:7", false},
};

BOOST_DATA_TEST_CASE(tells_ip_addresses_from_other_words, data::make(ip_cases), sample) {
  BOOST_TEST(is_ip(sample.text) == sample.ip);
}

BOOST_AUTO_TEST_CASE(reads_integers) {
  BOOST_TEST(to_int("443").value() == 443);
  BOOST_TEST(to_int("-12").value() == -12);
  BOOST_TEST(to_int("+7").value() == 7);
  BOOST_TEST(!to_int("").has_value());
  BOOST_TEST(!to_int("-").has_value());
  BOOST_TEST(!to_int("12a").has_value());
  BOOST_TEST(!to_int("1234567890123456789").has_value());  // 19 digits: out of reach
}
