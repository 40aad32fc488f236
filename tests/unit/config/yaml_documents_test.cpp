// Tests for config/yaml_documents.hpp: the documents of a YAML text, and a
// syntax error (not an endless loop) for a ',' at the level of a document.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"

namespace config = mimamori::config;

BOOST_AUTO_TEST_SUITE(yaml_documents)

BOOST_AUTO_TEST_CASE(documents_as_load_all_gives_them) {
  const auto docs = config::load_all_documents("a: 1\n---\nb: [x, y]\n...\n---\n- z\n");
  BOOST_REQUIRE_EQUAL(docs.size(), 3U);
  BOOST_TEST(docs[0]["a"].as<int>() == 1);
  BOOST_TEST(docs[1]["b"][1].as<std::string>() == "y");
  BOOST_TEST(docs[2][0].as<std::string>() == "z");
  BOOST_TEST(config::load_all_documents("").empty());
  // Commas in flow collections, scalars and comments are fine.
  const auto flow = config::load_all_documents("# a, b\nk: {x: 1, y: [2, 3]}\nt: a, b\n");
  BOOST_REQUIRE_EQUAL(flow.size(), 1U);
  BOOST_TEST(flow[0]["t"].as<std::string>() == "a, b");
}

// Each of these made yaml-cpp 0.7's LoadAll allocate forever.
BOOST_AUTO_TEST_CASE(a_comma_where_no_flow_collection_is_open) {
  struct hazard {
    std::string text;
    int line, column;  // 0-based, as YAML::Mark
  };
  const std::vector<hazard> hazards = {
      {",\na: 1\n", 0, 0},         {"  ,\n", 0, 2},          {"# c\n,\n", 1, 0},
      {"--- ,\n", 0, 4},           {"a: 1\n---\n,\n", 2, 0}, {"a: 1\n...\n,\n", 2, 0},
      {"\"x\"\n,\n", 1, 0},        {"&a !t ,\n", 0, 6},      {"---\n---\n---\n,\n", 3, 0},
      // A directive ends a document wherever it stands (found by yaml_documents_fuzz).
      {"a: 1\n%\n,\n", 2, 0},      {"a: 1\n%\n  - x\n ,\n", 3, 1},
  };
  for (const hazard& h : hazards) {
    BOOST_TEST_CONTEXT(h.text) {
      try {
        config::load_all_documents(h.text);
        BOOST_ERROR("no error");
      } catch (const YAML::ParserException& e) {
        BOOST_TEST(e.mark.line == h.line);
        BOOST_TEST(e.mark.column == h.column);
        BOOST_TEST(e.msg.find("','") != std::string::npos);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(other_syntax_errors_are_yaml_cpps_own) {
  BOOST_CHECK_THROW(config::load_all_documents("a: 1\n,\n"), YAML::ParserException);
  BOOST_CHECK_THROW(config::load_all_documents("a: [1, 2\n"), YAML::ParserException);
}

BOOST_AUTO_TEST_SUITE_END()
