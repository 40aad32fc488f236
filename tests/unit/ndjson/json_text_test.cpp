#include "ndjson/json_text.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>

using namespace mimamori;

namespace {

// The escaping JSON asks for, one byte at a time, straight from RFC 8259
// and RFC 3629: the reference the fast (eight and sixteen bytes at a time)
// escaping must agree with.
std::size_t valid_sequence(const std::string& s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                  : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  std::uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  bool shortest = n == 2 || (n == 3 && cp >= 0x800) || (n == 4 && cp >= 0x10000);
  if (!shortest || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

std::string reference(const std::string& s, bool& valid) {
  std::string out;
  valid = true;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = valid_sequence(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        valid = false;
        ++i;
      } else {
        out.append(s, i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out;
}

struct splitmix {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_DATA_TEST_CASE(escapes_as_json_asks,
                     boost::unit_test::data::make({
                         std::string("plain ascii that is longer than sixteen bytes"),
                         std::string("quote \" and backslash \\ at 8 and 16 \"\"\"\"\"\"\"\"\"\""),
                         std::string("controls \x01\x1f\t\n\r\b\f and DEL \x7f stays"),
                         std::string("\x00 NUL first and last \x00", 22),  // 22 bytes: both NULs, no terminator
                         std::string("utf-8 after sixteen bytes: \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x98\x80"),
                         std::string("invalid after a run of ascii text \xC3 then \"quoted\""),
                         std::string("surrogate \xED\xA0\x80 and overlong \xC0\xAF and \xF5\x80\x80\x80"),
                         std::string("\xFF"),
                         std::string(""),
                     }),
                     text) {
  bool valid = false;
  std::string expected = reference(text, valid);
  std::string out = "prefix";
  BOOST_TEST(ndjson::append_escaped_checking(out, text) == valid);
  BOOST_TEST(out == "prefix" + expected);
  std::string plain;
  ndjson::append_escaped(plain, text);
  BOOST_TEST(plain == expected);
}

BOOST_AUTO_TEST_CASE(agrees_with_the_byte_at_a_time_reference_on_random_text) {
  // Lengths around the 8- and 16-byte steps and past the 4 KiB buffer;
  // bytes drawn mostly from ASCII, with escapes and UTF-8 (valid or not).
  static const char* const pieces[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xC3\xA9",
                                       "\xE6\x9D\xB1", "\xF0\x9F\x98\x80", "\xC3", "\xFF",
                                       "\xED\xA0\x80", "\x80"};
  splitmix rng{42};
  for (int round = 0; round < 4000; ++round) {
    std::size_t length = round % 3 == 0 ? rng.next() % 9000 : rng.next() % 40;
    unsigned odds = static_cast<unsigned>(rng.next() % 4);  // 0: pure ASCII
    std::string text;
    while (text.size() < length) {
      if (odds == 0 || rng.next() % (odds * 16) != 0) {
        text += static_cast<char>(0x20 + rng.next() % 0x5F);
      } else {
        text += pieces[rng.next() % std::size(pieces)];
      }
    }
    bool valid = false;
    std::string expected = reference(text, valid);
    std::string out;
    bool said = ndjson::append_escaped_checking(out, text);
    BOOST_TEST_REQUIRE(out == expected, "round " << round << ", " << text.size() << " bytes");
    BOOST_TEST_REQUIRE(said == valid, "round " << round);
    BOOST_TEST_REQUIRE(ndjson::is_valid_utf8(text) == valid, "round " << round);
  }
}

BOOST_AUTO_TEST_SUITE_END()
