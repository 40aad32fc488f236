#include "sigma/pattern.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <re2/re2.h>

using namespace mimamori;
using sigma::wildcard_any;
using sigma::wildcard_one;

namespace {

bool text_matches(const std::string& sigma_value, std::string_view event_value, bool cased = false) {
  const auto m = sigma::matcher::text(sigma::parse_sigma_string(sigma_value), cased);
  std::string lowered;
  sigma::ascii_lower(event_value, lowered);
  return m.matches(event_value, lowered);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pattern)

BOOST_AUTO_TEST_CASE(escapes_keep_wildcards_literal_and_lone_backslashes) {
  BOOST_TEST(sigma::parse_sigma_string(R"(a*b?c)") ==
             std::string("a") + wildcard_any + "b" + wildcard_one + "c");
  BOOST_TEST(sigma::parse_sigma_string(R"(a\*b\?c)") == "a*b?c");
  BOOST_TEST(sigma::parse_sigma_string(R"(C:\\*)") == std::string("C:\\") + wildcard_any);
  BOOST_TEST(sigma::parse_sigma_string(R"(C:\Windows\)") == R"(C:\Windows\)");
}

struct match_case {
  std::string rule;
  std::string event;
  bool cased;
  bool expected;
};

BOOST_AUTO_TEST_CASE(plain_values_match_whole_value_ignoring_ascii_case) {
  const match_case cases[] = {
      {"cmd.exe", "CMD.EXE", false, true},
      {"cmd.exe", "xcmd.exe", false, false},
      {"*\\cmd.exe", "C:\\Windows\\System32\\cmd.exe", false, true},
      {"C:\\Windows\\\\*", "c:\\windows\\notepad.exe", false, true},
      {"C:\\Windows\\*", "c:\\windows\\notepad.exe", false, false},  // \* is a literal star
      {"C:\\Windows\\*", "c:\\windows*", false, true},
      {"*powershell*", "the PowerShell -enc", false, true},
      {"a?c", "abc", false, true},
      {"a?c", "ac", false, false},
      {"a?c", "a\xC3\xA9" "c", false, true},  // ? is one UTF-8 character
      {"*a*b*c*", "xxaxxbxxcxx", false, true},
      {"*a*b*c*", "xxcxxbxxaxx", false, false},
      {"a\\*b", "a*b", false, true},
      {"a\\*b", "axb", false, false},
      {"Admin", "admin", true, false},
      {"Admin", "Admin", true, true},
      {"", "", false, true},
      {"", "x", false, false},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.rule << " vs " << c.event) {
      BOOST_TEST(text_matches(c.rule, c.event, c.cased) == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(leading_and_trailing_stars_become_fast_tests) {
  using sigma::match_kind;
  auto kind = [](const std::string& v) {
    return sigma::matcher::text(sigma::parse_sigma_string(v), false).kind();
  };
  BOOST_TEST((kind("abc") == match_kind::equals));
  BOOST_TEST((kind("abc*") == match_kind::prefix));
  BOOST_TEST((kind("*abc") == match_kind::suffix));
  BOOST_TEST((kind("**abc**") == match_kind::contains));
  BOOST_TEST((kind("a*c") == match_kind::glob));
}

BOOST_AUTO_TEST_CASE(base64offset_gives_the_three_alignments_pysigma_gives) {
  auto r = sigma::to_base64_offsets("foobar");
  BOOST_TEST(r.error.empty());
  BOOST_TEST(r.values == (std::vector<std::string>{"Zm9vYmFy", "Zvb2Jhc", "mb29iYX"}),
             boost::test_tools::per_element());
  r = sigma::to_base64_offsets("/bin/bash");
  BOOST_TEST(r.values == (std::vector<std::string>{"L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2"}),
             boost::test_tools::per_element());
  BOOST_TEST(sigma::to_base64("foobar").values.at(0) == "Zm9vYmFy");
  BOOST_TEST(!sigma::to_base64(std::string("a") + wildcard_any).error.empty());
}

BOOST_AUTO_TEST_CASE(utf16_encodings_widen_each_character) {
  BOOST_TEST(sigma::to_utf16("Ab", false, false).values.at(0) == std::string("A\0b\0", 4));
  BOOST_TEST(sigma::to_utf16("Ab", true, false).values.at(0) == std::string("\0A\0b", 4));
  BOOST_TEST(sigma::to_utf16("A", false, true).values.at(0) == std::string("\xFF\xFE" "A\0", 4));
  // é is one UTF-16 unit.
  BOOST_TEST(sigma::to_utf16("\xC3\xA9", false, false).values.at(0) == std::string("\xE9\0", 2));
  // wide then base64: how `IEX` looks inside a PowerShell -EncodedCommand.
  BOOST_TEST(sigma::to_base64(sigma::to_utf16("IEX", false, false).values.at(0)).values.at(0) ==
             "SQBFAFgA");
}

BOOST_AUTO_TEST_CASE(windash_varies_only_dashes_that_start_a_word) {
  const auto r = sigma::windash_variants(" -enc x-y");
  BOOST_TEST(r.values.size() == 5u);
  BOOST_TEST(r.values.at(0) == " -enc x-y");
  BOOST_TEST(r.values.at(1) == " /enc x-y");
  BOOST_TEST(r.values.at(2) == " \xE2\x80\x93" "enc x-y");
  BOOST_TEST(sigma::windash_variants("a -b -c").values.size() == 25u);
  BOOST_TEST(sigma::windash_variants("plain").values.size() == 1u);
}

BOOST_AUTO_TEST_CASE(cidr_matches_v4_and_v6_networks) {
  const auto v4 = sigma::parse_cidr("10.0.0.0/8");
  BOOST_REQUIRE(v4.has_value());
  BOOST_TEST(sigma::in_network(*v4, "10.200.3.4"));
  BOOST_TEST(!sigma::in_network(*v4, "11.0.0.1"));
  BOOST_TEST(!sigma::in_network(*v4, "not an ip"));
  const auto odd = sigma::parse_cidr("192.168.1.128/25");
  BOOST_TEST(sigma::in_network(*odd, "192.168.1.200"));
  BOOST_TEST(!sigma::in_network(*odd, "192.168.1.100"));
  const auto v6 = sigma::parse_cidr("fe80::/10");
  BOOST_REQUIRE(v6.has_value());
  BOOST_TEST(sigma::in_network(*v6, "fe80::1"));
  BOOST_TEST(!sigma::in_network(*v6, "2001:db8::1"));
  BOOST_TEST(!sigma::in_network(*v6, "10.0.0.1"));
  BOOST_TEST(!sigma::parse_cidr("10.0.0.0/33").has_value());
  BOOST_TEST(!sigma::parse_cidr("example.com").has_value());
}

BOOST_AUTO_TEST_CASE(regex_flags_and_numeric_comparisons) {
  std::string error;
  const auto plain = sigma::matcher::regex("^abc$", false, false, false, error);
  BOOST_REQUIRE(plain.has_value());
  BOOST_TEST(plain->matches("abc", "abc"));
  BOOST_TEST(!plain->matches("ABC", "abc"));  // regexes are case-sensitive unless |i
  const auto ignore = sigma::matcher::regex("^abc$", true, false, false, error);
  BOOST_TEST(ignore->matches("ABC", "abc"));
  const auto lines = sigma::matcher::regex("^b$", false, true, false, error);
  BOOST_TEST(lines->matches("a\nb\nc", ""));
  const auto dot = sigma::matcher::regex("a.b", false, false, true, error);
  BOOST_TEST(dot->matches("a\nb", ""));
  BOOST_TEST(!sigma::matcher::regex("(?<=x)y", false, false, false, error).has_value());
  BOOST_TEST(!error.empty());

  const auto gte = sigma::matcher::number(sigma::match_kind::greater_equal, 10);
  BOOST_TEST(gte.matches("10", "10"));
  BOOST_TEST(gte.matches("10.5", "10.5"));
  BOOST_TEST(!gte.matches("9", "9"));
  BOOST_TEST(!gte.matches("ten", "ten"));
}

BOOST_AUTO_TEST_CASE(ascii_lower_changes_only_a_to_z) {
  // Every byte value, at every offset of an eight-byte word and in the tail.
  std::string text;
  for (int round = 0; round < 3; ++round) {
    for (int b = 0; b < 256; ++b) text.push_back(static_cast<char>(b));
  }
  for (std::size_t start = 0; start < 9; ++start) {
    const std::string_view in = std::string_view(text).substr(start, text.size() - 2 * start);
    std::string out = "stale";
    sigma::ascii_lower(in, out);
    BOOST_REQUIRE_EQUAL(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto c = static_cast<unsigned char>(in[i]);
      const auto want = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      BOOST_TEST(out[i] == want, "byte " << int(c) << " at " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(large_counted_repetitions_get_a_dfa_budget_in_proportion) {
  // `.{1000,}` (SigmaHQ's long command line rule) is an 8,000-instruction
  // RE2 program: within RE2's default DFA budget (8 MiB) every search of a
  // text longer than 1,000 bytes fell back to a slow engine (17-25 ms each
  // on the bench machine); it gets a budget in proportion to its program,
  // up to 64 MiB, while a small regex keeps RE2's default.
  std::string error;
  const auto longer = sigma::matcher::regex(".{1000,}", false, false, false, error);
  BOOST_REQUIRE(longer.has_value());
  const auto small = sigma::matcher::regex("^cmd\\.exe$", true, false, false, error);
  BOOST_REQUIRE(small.has_value());
  BOOST_TEST(small->regex_memory() == RE2::Options().max_mem());
  BOOST_TEST(longer->regex_memory() > RE2::Options().max_mem());
  BOOST_TEST(longer->regex_memory() <= std::int64_t{64} << 20);
  BOOST_TEST(sigma::matcher::text("x", false).regex_memory() == 0);
  const std::string exact(1000, 'x'), shorter(999, 'x');
  BOOST_TEST(longer->matches(exact, exact));
  BOOST_TEST(!longer->matches(shorter, shorter));
  BOOST_TEST(!longer->matches(shorter + "\n" + shorter, ""));  // `.` stops at a newline
  std::string text;
  for (int i = 0; text.size() < 1300; ++i) {
    text += "powershell -nop -w hidden -enc SQBFAFgA" + std::to_string(i) + " ";
  }
  for (int i = 0; i < 3; ++i) BOOST_TEST(longer->matches(text, text));
}

// Regexes that only ask for a run of one class of characters are counted,
// not searched: the answer must be RE2's for every flag and text. Texts mix
// members and non-members, newlines, characters of two to four bytes (the
// Kelvin sign and long s among them, which case folding ties to k and s)
// and broken UTF-8, which goes to RE2.
BOOST_AUTO_TEST_CASE(character_runs_are_counted_as_re2_would_match_them) {
  const std::vector<std::string> forms = {
      ".{3,}", "(.){3,}", "(?:.){2}", ".{3}", "^.{2,4}$", "^.{3}", ".{2,}$", "^.{2,}$",
      "[^/]{3,}$", "[^/\\\\]{2,}", "[a-c]{2,3}", "^[^\\s]{2,}$", "[\\w.]{4,}", "[^k]{2,}",
      "[]a]{2,}", "[^-x]{3}"};
  const std::vector<std::string> pieces = {
      "a", "b", "c", "k", "K", "s", "/", "\\", " ", "\n", ".", "-", "]", "x",
      "\xc3\xa9", "\xe2\x84\xaa", "\xc5\xbf", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xff", "\xc3"};
  std::mt19937 rng(3);
  std::size_t counted = 0, held = 0;
  for (const std::string& form : forms) {
    for (int flags = 0; flags < 8; ++flags) {
      const bool ignore_case = (flags & 1) != 0;
      const bool multi_line = (flags & 2) != 0;
      const bool dot_all = (flags & 4) != 0;
      std::string error;
      const auto m = sigma::matcher::regex(form, ignore_case, multi_line, dot_all, error);
      BOOST_TEST_REQUIRE(m.has_value(), form << ": " << error);
      RE2::Options options;
      options.set_case_sensitive(!ignore_case);
      options.set_dot_nl(dot_all);
      const RE2 re(multi_line ? "(?m)" + form : form, options);
      const bool fast = sigma::find_char_run(form, ignore_case, multi_line, dot_all).has_value();
      counted += fast;
      for (int t = 0; t < 400; ++t) {
        std::string text;
        for (std::size_t n = rng() % 9; n > 0; --n) text += pieces[rng() % pieces.size()];
        const bool want = RE2::PartialMatch(text, re);
        BOOST_TEST(m->matches(text, text) == want,
                   form << " flags " << flags << " on \"" << text << '"');
        held += want;
      }
    }
  }
  BOOST_TEST(counted > 80u);  // most forms and flags take the counting path
  BOOST_TEST(held > 5000u);
  // The SigmaHQ forms are counted; what they do not ask is left to RE2.
  for (const char* form : {".{1000,}", "(.){200,}", "[^/]{100,}$", ".{150}"}) {
    BOOST_TEST(sigma::find_char_run(form, false, false, false).has_value(), form);
  }
  for (const char* form : {"a.{3,}", ".{3,}b", ".+", ".{0,3}", "\\d{3}", "[\\S]{3}", "[^\\pL]{2}",
                           "[^k]{2}x", "(?i).{3}", ".{3,}|x", "[[:alpha:]]{3}"}) {
    BOOST_TEST(!sigma::find_char_run(form, false, false, false).has_value(), form);
  }
  BOOST_TEST(!sigma::find_char_run("[^k]{2,}", true, false, false).has_value());
  BOOST_TEST(!sigma::find_char_run("^.{2,}", false, true, false).has_value());
  // A long text: counted at once, as RE2 answers it.
  std::string error;
  const auto longer = sigma::matcher::regex(".{1000,}", false, false, false, error);
  const std::string line(999, 'x');
  BOOST_TEST(!longer->matches(line + "\n" + line, ""));
  BOOST_TEST(longer->matches(line + "\xe4\xb8\xad", ""));
}

BOOST_AUTO_TEST_SUITE_END()
