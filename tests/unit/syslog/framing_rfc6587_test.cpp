// Tests for syslog/framing.hpp: RFC 6587 octet counting and LF framing,
// detected per frame, whatever way the stream is split into reads.
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "syslog/framing.hpp"

using namespace mimamori::syslog;

namespace {

struct got {
  std::string text;
  frame_status status;
  framing how;
  std::uint64_t offset;
  bool operator==(const got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const got& g) {
  return os << '{' << g.text << " status " << static_cast<int>(g.status) << " framing "
            << static_cast<int>(g.how) << " @" << g.offset << '}';
}

std::string oc(std::string_view message) {
  return std::to_string(message.size()) + " " + std::string(message);
}

void drain(framer& f, std::vector<got>& out) {
  frame fr;
  while (f.next(fr)) out.push_back({std::string(fr.text), fr.status, fr.framing, fr.offset});
}

// Feeds the stream in pieces cut at `cuts` (ascending offsets), then ends it.
std::vector<got> frames_of(std::string_view stream, std::vector<std::size_t> cuts,
                           std::size_t max = framer::default_max_message) {
  framer f(max);
  std::vector<got> out;
  std::size_t at = 0;
  cuts.push_back(stream.size());
  for (std::size_t cut : cuts) {
    // a copy per read, as a socket buffer would be reused
    std::string piece(stream.substr(at, cut - at));
    f.feed(piece);
    drain(f, out);
    at = cut;
  }
  frame fr;
  if (f.finish(fr)) out.push_back({std::string(fr.text), fr.status, fr.framing, fr.offset});
  return out;
}

std::vector<got> frames_of(std::string_view stream, std::size_t max = framer::default_max_message) {
  return frames_of(stream, {}, max);
}

// Every way of cutting the stream in two, and one byte at a time, gives the
// same frames as reading it whole.
void check_every_split(std::string_view stream, const std::vector<got>& expected,
                       std::size_t max = framer::default_max_message) {
  BOOST_TEST_CONTEXT("stream " << stream) {
    BOOST_TEST(frames_of(stream, max) == expected, boost::test_tools::per_element());
    for (std::size_t cut = 1; cut < stream.size(); ++cut) {
      BOOST_TEST_CONTEXT("cut at " << cut) {
        BOOST_TEST(frames_of(stream, {cut}, max) == expected, boost::test_tools::per_element());
      }
    }
    std::vector<std::size_t> bytewise;
    for (std::size_t i = 1; i < stream.size(); ++i) bytewise.push_back(i);
    BOOST_TEST(frames_of(stream, bytewise, max) == expected, boost::test_tools::per_element());
  }
}

constexpr auto complete = frame_status::complete;
constexpr auto truncated = frame_status::truncated;
constexpr auto bad_count = frame_status::bad_count;
constexpr auto partial = frame_status::partial;
constexpr auto octets = framing::octet_counting;
constexpr auto lf = framing::lf;

}  // namespace

BOOST_AUTO_TEST_SUITE(framing_tests)

BOOST_AUTO_TEST_CASE(reads_octet_counted_frames) {
  std::string a = "<34>1 2024-10-03T03:00:00Z fw01 su - ID47 - 'su root' failed";
  std::string b = "<13>Oct  3 03:00:00 host app: with\nnewline inside";
  std::string stream = oc(a) + oc(b);
  check_every_split(stream, {{a, complete, octets, 0}, {b, complete, octets, oc(a).size()}});
}

BOOST_AUTO_TEST_CASE(reads_lf_framed_lines_and_drops_cr) {
  std::string stream = "<13>first\n<13>second\r\n\n<13>third\n";
  check_every_split(stream, {{"<13>first", complete, lf, 0},
                             {"<13>second", complete, lf, 10},
                             {"<13>third", complete, lf, 23}});
}

BOOST_AUTO_TEST_CASE(detects_the_framing_of_every_frame) {
  std::string stream = oc("<13>one") + "<14>two\n" + oc("<15>three\n") + "\n<16>four\n";
  std::uint64_t two = oc("<13>one").size();
  std::uint64_t three = two + 8;
  std::uint64_t four = three + oc("<15>three\n").size() + 1;
  check_every_split(stream, {{"<13>one", complete, octets, 0},
                             {"<14>two", complete, lf, two},
                             {"<15>three", complete, octets, three},
                             {"<16>four", complete, lf, four}});
}

BOOST_AUTO_TEST_CASE(keeps_nul_bytes_inside_messages) {
  std::string msg("<13>a\0b", 7);
  std::string stream = std::string("\0", 1) + oc(msg) + msg + "\n";
  check_every_split(stream, {{msg, complete, octets, 1}, {msg, complete, lf, 1 + oc(msg).size()}});
}

BOOST_AUTO_TEST_CASE(takes_a_line_that_starts_with_digits_as_lf_framed) {
  std::string stream = "2024-10-03 03:00:00 host app: hello\n1234567890 <13>ten digits\n";
  check_every_split(stream, {{"2024-10-03 03:00:00 host app: hello", complete, lf, 0},
                             {"1234567890 <13>ten digits", complete, lf, 36}});
}

BOOST_AUTO_TEST_CASE(rejects_bytes_after_a_count_that_was_too_small) {
  // "5" covers "<13>h" only; "ello world" follows where a frame should start
  std::string first = oc("<13>first");
  std::string stream = first + "5 <13>hello world" + oc("<13>next") + oc("<13>last");
  std::uint64_t bad = first.size() + 7;
  std::uint64_t next = bad + 10;
  check_every_split(stream, {{"<13>first", complete, octets, 0},
                             {"<13>h", complete, octets, first.size()},
                             {"ello world", bad_count, octets, bad},
                             {"<13>next", complete, octets, next},
                             {"<13>last", complete, octets, next + oc("<13>next").size()}});
}

BOOST_AUTO_TEST_CASE(rejects_up_to_the_next_lf_after_a_bad_count) {
  std::string first = oc("<13>first");
  std::string stream = first + "12x <13>not a count\n<13>lf after\n";
  check_every_split(stream, {{"<13>first", complete, octets, 0},
                             {"12x <13>not a count", bad_count, octets, first.size()},
                             {"<13>lf after", complete, lf, first.size() + 20}});
}

BOOST_AUTO_TEST_CASE(rejects_a_count_of_ten_digits_on_an_octet_counted_connection) {
  std::string first = oc("<13>first");
  std::string stream = first + "1000000000 <13>x" + oc("<13>after");
  check_every_split(stream, {{"<13>first", complete, octets, 0},
                             {"1000000000 <13>x", bad_count, octets, first.size()},
                             {"<13>after", complete, octets, first.size() + 16}});
}

BOOST_AUTO_TEST_CASE(cuts_an_oversize_lf_line_and_skips_its_rest) {
  std::string big(40, 'x');
  std::string stream = "<13>" + big + "\n<13>small\n";
  check_every_split(
      stream, {{("<13>" + big).substr(0, 16), truncated, lf, 0}, {"<13>small", complete, lf, 45}},
      16);
  framer f(16);
  f.feed(stream);
  frame fr;
  while (f.next(fr)) {
  }
  BOOST_TEST(f.bytes_skipped() == 28U);
}

BOOST_AUTO_TEST_CASE(takes_a_line_of_exactly_the_limit_whole) {
  std::string line(16, 'y');
  check_every_split(line + "\n" + line + "z\n",
                    {{line, complete, lf, 0}, {line, truncated, lf, 17}}, 16);
}

BOOST_AUTO_TEST_CASE(cuts_an_oversize_octet_counted_frame_and_skips_its_rest) {
  std::string big = "<13>" + std::string(40, 'x');
  std::string stream = oc(big) + oc("<13>small");
  check_every_split(
      stream,
      {{big.substr(0, 16), truncated, octets, 0}, {"<13>small", complete, octets, oc(big).size()}},
      16);
}

BOOST_AUTO_TEST_CASE(keeps_a_partial_frame_when_the_stream_ends) {
  BOOST_TEST(frames_of("<13>no newline at the end") ==
                 (std::vector<got>{{"<13>no newline at the end", complete, lf, 0}}),
             boost::test_tools::per_element());
  BOOST_TEST(frames_of("20 <13>short") == (std::vector<got>{{"<13>short", partial, octets, 0}}),
             boost::test_tools::per_element());
  BOOST_TEST(frames_of(oc("<13>a") + "17") ==
                 (std::vector<got>{{"<13>a", complete, octets, 0}, {"17", partial, octets, 7}}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gives_up_resync_after_the_limit_and_goes_on) {
  std::string first = oc("<13>a");
  std::string junk(40, 'j');
  std::string stream = first + junk + oc("<13>b");
  check_every_split(stream,
                    {{"<13>a", complete, octets, 0},
                     {junk.substr(0, 16), bad_count, octets, 7},
                     {junk.substr(16, 16), bad_count, octets, 23},
                     {junk.substr(32), bad_count, octets, 39},
                     {"<13>b", complete, octets, 47}},
                    16);
}

BOOST_AUTO_TEST_CASE(holds_nothing_between_frames) {
  framer f(64);
  std::string part = "<13>split ";
  f.feed(part);
  frame fr;
  BOOST_TEST(!f.next(fr));
  BOOST_TEST(f.holds_partial());
  std::string rest = "here\n";
  f.feed(rest);
  BOOST_TEST(f.next(fr));
  BOOST_TEST(fr.text == "<13>split here");
  BOOST_TEST(!f.next(fr));
  f.release_memory();
  BOOST_TEST(!f.holds_partial());
  BOOST_TEST(!f.finish(fr));
}

BOOST_AUTO_TEST_SUITE_END()
