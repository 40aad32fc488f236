// Tests for parsers/scan.hpp: the two-byte search, key=value pairs (as
// FortiGate sends them, quoted values with escapes, stray words) and IP
// address checks, each at every position relative to the 16-byte blocks the
// search reads.
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
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
    {"1.2.3.256", false},
    {"999.1.1.1", false},
    {"1.2.3.4.", false},
    {"01.02.03.04", true},
    {"1.2.3.-4", false},
    {"1.2.3.4/", false},  // '/' is the byte before '0'
    {"1.2.3.4:", false},  // ':' the one after '9'
    {"123456789012345", false},
};

BOOST_DATA_TEST_CASE(tells_ip_addresses_from_other_words, data::make(ip_cases), sample) {
  BOOST_TEST(is_ip(sample.text) == sample.ip);
}

BOOST_AUTO_TEST_CASE(find_text_says_what_find_says_at_every_offset) {
  // Texts of a small alphabet (so that first and last bytes match often and
  // the middle decides), every length up to 80, needles cut from them and
  // made up, from every start: find_text agrees with std::string_view::find.
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245U + 12345U;
    return seed >> 16;
  };
  const std::string_view alphabet = "ab= \"l\xc3";
  std::size_t found = 0, checks = 0;
  for (std::size_t size = 0; size <= 80; ++size) {
    for (int round = 0; round < 40; ++round) {
      std::string text(size, 'a');
      for (char& c : text) c = alphabet[next() % alphabet.size()];
      std::string needle;
      const std::size_t m = next() % 9;
      if (size > 0 && round % 2 == 0) {
        const std::size_t at = next() % size;
        needle = text.substr(at, m);
      } else {
        for (std::size_t k = 0; k < m; ++k) needle.push_back(alphabet[next() % alphabet.size()]);
      }
      for (std::size_t from = 0; from <= size + 1; ++from) {
        const std::size_t expected = std::string_view(text).find(needle, from);
        const std::size_t got = find_text(text, needle, from);
        if (got != expected) BOOST_TEST_REQUIRE(got == expected, text << " / " << needle << " @" << from);
        found += expected != std::string_view::npos ? 1 : 0;
        ++checks;
      }
    }
  }
  BOOST_TEST(found > checks / 4);  // both answers are common
  BOOST_TEST(found < checks);
  BOOST_TEST(find_text("x [junos@2636 a=1]", " [junos@") == 1U);
  BOOST_TEST(find_text("loguid=", "loguid=", 1) == std::string_view::npos);
}

// What an IPv4 address is, said the slow way: four dot-separated parts of
// one to three digits, each at most 255.
bool ipv4_by_parts(std::string_view t) {
  std::vector<std::string_view> parts;
  std::size_t at = 0;
  for (std::size_t dot; (dot = t.find('.', at)) != std::string_view::npos; at = dot + 1)
    parts.push_back(t.substr(at, dot - at));
  parts.push_back(t.substr(at));
  if (parts.size() != 4) return false;
  for (std::string_view part : parts) {
    if (part.empty() || part.size() > 3) return false;
    unsigned value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + unsigned(c - '0');
    }
    if (value > 255) return false;
  }
  return true;
}

BOOST_AUTO_TEST_CASE(tells_every_short_dotted_word_as_the_definition_does) {
  // Every word of 7 bytes from digits (ones that make 255 and 256), dots and
  // two bytes beside the digits, and longer ones made of them: is_ip agrees
  // with the definition on each.
  const char alphabet[] = {'0', '2', '5', '6', '9', '.', '/', ':'};
  std::string word(7, '0');
  std::size_t agree = 0, addresses = 0;
  for (unsigned n = 0; n < (1U << 21); ++n) {
    for (unsigned i = 0; i < 7; ++i) word[i] = alphabet[(n >> (3 * i)) & 7U];
    for (const std::string& w : {word, word + "25", "1" + word + "9", word + "." + word}) {
      const bool expected = ipv4_by_parts(w) || (w.find(':') != std::string::npos && is_ip(w));
      if (is_ip(w) != expected) BOOST_TEST_REQUIRE(is_ip(w) == expected, w);
      ++agree;
      addresses += expected ? 1 : 0;
    }
  }
  BOOST_TEST(agree == 4U * (1U << 21));
  BOOST_TEST(addresses > 1000U);  // the words hold addresses, not only refusals
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
