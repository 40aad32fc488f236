// intel_fixture: what the lib/intel tests share: the corpus folder, a store
// loaded from text, and parsing an event for the matcher.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include "event/record.hpp"
#include "intel/intel.hpp"

namespace mimamori::testing {

// ../shared/corpus/threat-intel beside the source tree, or $MIMAMORI_CORPUS/threat-intel.
inline std::string intel_corpus() {
  const char* env = std::getenv("MIMAMORI_CORPUS");
  std::filesystem::path root =
      env != nullptr ? std::filesystem::path(env)
                     : std::filesystem::path(MIMAMORI_SOURCE_DIR) / ".." / "shared" / "corpus";
  return (root / "threat-intel").lexically_normal().string();
}

// A Boost.Test precondition: cases that read the corpus are skipped without it.
struct corpus_present {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result r(std::filesystem::is_directory(intel_corpus()));
    r.message() << "no threat-intel corpus at " << intel_corpus();
    return r;
  }
};

inline intel::load_report load_text(intel::store& s, std::string_view text,
                                    intel::feed_format format = intel::feed_format::detect,
                                    std::string_view origin = "feed.txt") {
  intel::feed_options options;
  options.format = format;
  return intel::load_feed_text(s, text, origin, options);
}

// Parses one event and matches it; the parser outlives the hits' views.
struct event_match {
  event::parser parser;
  std::vector<intel::hit> hits;
  std::optional<time::timestamp> time;

  std::string text;  // the record's text: alerts copy it, so it must outlive the hits

  const std::vector<intel::hit>& run(intel::matcher& m, std::string_view json) {
    text = json;
    BOOST_REQUIRE_MESSAGE(parser.parse_copy(text) == event::parse_error::none,
                          "test event is not JSON: " << json);
    hits = m.match(parser.current());
    time = m.last_time();
    return hits;
  }
};

}  // namespace mimamori::testing
