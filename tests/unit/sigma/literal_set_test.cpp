#include "sigma/literal_set.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

using namespace mimamori;

namespace {

using occurrence = std::pair<std::uint32_t, std::size_t>;  // literal id, end

std::set<occurrence> scanned(const sigma::literal_set& set, std::string_view text) {
  std::set<occurrence> out;
  set.scan(text, [&](std::uint32_t id, std::size_t end) { out.emplace(id, end); });
  return out;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// Every occurrence by brute force: what the automaton must report.
std::set<occurrence> naive(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& ids,
                           std::string_view text) {
  std::set<occurrence> out;
  const std::string t = lowered(text);
  for (std::size_t k = 0; k < literals.size(); ++k) {
    const std::string l = lowered(literals[k]);
    for (std::size_t at = t.find(l); at != std::string::npos; at = t.find(l, at + 1)) {
      out.emplace(ids[k], at + l.size());
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(literal_set)

BOOST_AUTO_TEST_CASE(reports_every_occurrence_with_its_end_including_overlaps) {
  sigma::literal_set set;
  const auto he = set.add("he");
  const auto she = set.add("she");
  const auto his = set.add("his");
  const auto hers = set.add("hers");
  set.build();
  const std::set<occurrence> want{{she, 4}, {he, 4}, {hers, 6}, {his, 9}};
  BOOST_TEST((scanned(set, "ushershis") == want));
}

BOOST_AUTO_TEST_CASE(ignores_ascii_case_on_both_sides_but_not_other_bytes) {
  sigma::literal_set set;
  const auto exe = set.add("\\PowerShell.EXE");
  const auto utf8 = set.add("\xc3\xa9t\xc3\xa9");  // "été": not folded
  set.build();
  BOOST_TEST((scanned(set, "C:\\Windows\\powershell.exe") == std::set<occurrence>{{exe, 25}}));
  BOOST_TEST((scanned(set, "C:\\WINDOWS\\POWERSHELL.EXE -nop") == std::set<occurrence>{{exe, 25}}));
  BOOST_TEST((scanned(set, "\xc3\xa9t\xc3\xa9") == std::set<occurrence>{{utf8, 5}}));
  BOOST_TEST(scanned(set, "\xc3\x89T\xc3\x89").empty());
  BOOST_TEST(scanned(set, "powershell").empty());
}

BOOST_AUTO_TEST_CASE(the_same_text_keeps_its_id_and_an_empty_set_finds_nothing) {
  sigma::literal_set set;
  BOOST_TEST(set.add("abc") == set.add("ABC"));
  BOOST_TEST(set.size() == 1u);
  sigma::literal_set empty;
  empty.build();
  BOOST_TEST(scanned(empty, "anything").empty());
}

BOOST_AUTO_TEST_CASE(agrees_with_brute_force_on_random_literals_and_texts) {
  std::mt19937 rng(7);
  const std::string alphabet = "abcAB\\.-x\x01\xff";
  auto random_text = [&](std::size_t max) {
    std::string s(1 + rng() % max, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int round = 0; round < 50; ++round) {
    sigma::literal_set set;
    std::vector<std::string> literals;
    std::vector<std::uint32_t> ids;
    const int count = 1 + static_cast<int>(rng() % 40);
    for (int k = 0; k < count; ++k) {
      literals.push_back(random_text(6));
      ids.push_back(set.add(literals.back()));
    }
    set.build();
    for (int t = 0; t < 20; ++t) {
      const std::string text = random_text(60);
      BOOST_TEST((scanned(set, text) == naive(literals, ids, text)), "text " << text);
    }
  }
}

// The scan skips the offsets where no literal's first two bytes are: the
// occurrences right after a skipped run, at the first and the last byte,
// one-byte literals and overlapping starts must all still be reported.
BOOST_AUTO_TEST_CASE(skipping_bytes_that_start_no_literal_misses_no_occurrence) {
  sigma::literal_set set;
  const std::vector<std::string> literals{"q", "zq", "xyz", "yzz", "lsass.exe", "SAM"};
  std::vector<std::uint32_t> ids;
  for (const std::string& l : literals) ids.push_back(set.add(l));
  set.build();
  for (const char* text :
       {"q", "zq", "xyz", "xyzz", "aaaaxyzzq", "yyyyyy", "zzzzzzzq", "c:\\windows\\LSASS.EXE",
        "lsass.ex", "lsalsass.exe", "xxyxyzyzzsam", "ssam", "abcdefghijklmnop", "sa", "Q"}) {
    BOOST_TEST((scanned(set, text) == naive(literals, ids, text)), "text " << text);
  }
}

// The skip looks pairs of raw bytes up (A-Z folded into the table, not into
// the text): every two-byte text, after a skipped run and at the very end,
// over literals that start with upper and lower case letters, bytes above
// 0x7F, NUL, and one-byte literals.
BOOST_AUTO_TEST_CASE(every_pair_of_bytes_starts_what_the_literals_start) {
  sigma::literal_set set;
  const std::vector<std::string> literals{"Ab", "zQ9", std::string("\xE9\x80x", 3), std::string("\0\xFF", 2), "\xFE",
                                          "~", ".eXe"};
  std::vector<std::uint32_t> ids;
  for (const std::string& l : literals) ids.push_back(set.add(l));
  set.build();
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) {
      std::string text = "mmmm";
      text.push_back(static_cast<char>(a));
      text.push_back(static_cast<char>(b));
      if ((a + b) % 2 == 0) text += "x9";
      const auto got = scanned(set, text);
      if (got != naive(literals, ids, text)) {
        BOOST_TEST(false, "bytes " << a << ' ' << b);
        return;
      }
    }
  }
}

// Sparse literals over texts of many other bytes (long skipped runs), and
// sets large enough that deep states have no dense row.
BOOST_AUTO_TEST_CASE(agrees_with_brute_force_on_sparse_and_large_sets) {
  std::mt19937 rng(11);
  auto random_text = [&](const std::string& alphabet, std::size_t min, std::size_t max) {
    std::string s(min + rng() % (max - min + 1), ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  const std::string narrow = "abcAB\\.";
  std::string wide;
  for (int c = 1; c < 256; ++c) wide.push_back(static_cast<char>(c));
  for (int round = 0; round < 12; ++round) {
    sigma::literal_set set;
    std::vector<std::string> literals;
    std::vector<std::uint32_t> ids;
    const int count = round % 2 == 0 ? 1 + static_cast<int>(rng() % 8) : 3000;
    for (int k = 0; k < count; ++k) {
      literals.push_back(random_text(round % 2 == 0 ? narrow : wide + narrow, 1, 12));
      ids.push_back(set.add(literals.back()));
    }
    set.build();
    for (int t = 0; t < 40; ++t) {
      std::string text = random_text(wide, 0, 200);
      // Plant a few literals in it.
      for (int p = 0; p < 3; ++p) {
        const std::string& l = literals[rng() % literals.size()];
        text.insert(text.empty() ? 0 : rng() % text.size(), l);
      }
      BOOST_TEST((scanned(set, text) == naive(literals, ids, text)), "round " << round);
    }
  }
}

// Dense entries hold states in 15 bits: with so many shallow states that
// the children of the first rows are numbered past that (every three-byte
// literal over 40 bytes: 64,000 states on the third level), the rows stop
// there and deeper states go sparse, with the same occurrences.
BOOST_AUTO_TEST_CASE(rows_stop_where_states_no_longer_fit_an_entry) {
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_./";
  sigma::literal_set set;
  std::vector<std::string> literals;
  std::vector<std::uint32_t> ids;
  for (char a : alphabet) {
    for (char b : alphabet) {
      for (char c : alphabet) {
        // All but every seventh (all of those under "a"), so that some
        // third-level states are missing and some rows are complete.
        if (a != 'a' && literals.size() % 7 == 3) {
          literals.push_back("");
          continue;
        }
        literals.push_back(std::string{a, b, c});
      }
    }
  }
  std::erase(literals, std::string{});
  for (const std::string& l : literals) ids.push_back(set.add(l));
  // And some longer ones, reached only through sparse states.
  for (const std::string l : {"abcdefgh", "x9y8z7", "Zz-_Q", "0.0.0.0"}) {
    literals.push_back(l);
    ids.push_back(set.add(l));
  }
  set.build();
  BOOST_TEST(set.dense_rows() > 40U);    // the root and the first level at least
  BOOST_TEST(set.dense_rows() < 2048U);  // cut before the usual limit
  std::mt19937 rng(5);
  std::string wide = alphabet + "ABCXYZ \\:";
  for (int t = 0; t < 30; ++t) {
    std::string text(rng() % 120, ' ');
    for (char& ch : text) ch = wide[rng() % wide.size()];
    text.insert(text.empty() ? 0 : rng() % text.size(), literals[literals.size() - 1 - rng() % 4]);
    BOOST_TEST((scanned(set, text) == naive(literals, ids, text)), "text " << text);
  }
}

// equal_set: the literal a whole text equals, ASCII case ignored, against
// brute force. Lengths cross the hash's word sizes (3, 4, 8, 16 bytes) and
// the length filter's last bit (63 and more); bytes include the neighbours
// of A-Z ('@', '[', '`', '{') and bytes above 0x7F, which fold to nothing.
BOOST_AUTO_TEST_CASE(equal_set_finds_the_literal_a_whole_text_equals) {
  std::mt19937 rng(11);
  const std::string alphabet = "abzAZ@[`{.\\\x01\xc0\xdb\xff";
  auto random_text = [&](std::size_t max) {
    std::string s(rng() % (max + 1), ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  auto length_for = [&]() -> std::size_t {
    static const std::size_t maxima[] = {3, 5, 9, 17, 70};
    return maxima[rng() % 5];
  };
  std::size_t found = 0;
  for (int round = 0; round < 300; ++round) {
    sigma::equal_set set;
    std::map<std::string, std::uint32_t> expected;  // lowered literal -> id
    const int count = static_cast<int>(rng() % 60);
    for (int k = 0; k < count; ++k) {
      const std::string literal = random_text(length_for());
      const std::uint32_t id = set.add(literal);
      const auto [it, added] = expected.try_emplace(lowered(literal), id);
      BOOST_TEST(it->second == id, "literal " << literal);
      if (added) BOOST_TEST(set.length(id) == literal.size());
    }
    BOOST_TEST(set.size() == expected.size());
    // Every literal, with its case changed at random, and random texts.
    for (const auto& [literal, id] : expected) {
      std::string text = literal;
      for (char& c : text) {
        if (c >= 'a' && c <= 'z' && rng() % 2 == 0) c = static_cast<char>(c - 32);
      }
      BOOST_TEST(set.find(text) == id, "text " << text);
      ++found;
    }
    for (int t = 0; t < 100; ++t) {
      const std::string text = random_text(length_for());
      const auto it = expected.find(lowered(text));
      const std::uint32_t want = it == expected.end() ? sigma::equal_set::none : it->second;
      BOOST_TEST(set.find(text) == want, "text " << text);
      found += want != sigma::equal_set::none;
    }
  }
  BOOST_TEST(found > 5000u);
  // Case folds only A-Z: bytes 0x20 apart otherwise stay different.
  sigma::equal_set set;
  const std::uint32_t at = set.add("@[x");
  BOOST_TEST(set.find("`{X") == sigma::equal_set::none);
  BOOST_TEST(set.find("@[X") == at);
  BOOST_TEST(set.find("\xc0[x") == sigma::equal_set::none);
  BOOST_TEST(set.find("") == sigma::equal_set::none);
  BOOST_TEST(set.add("") == 1u);
  BOOST_TEST(set.find("") == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
