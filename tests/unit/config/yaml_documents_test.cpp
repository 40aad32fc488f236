// Tests for config/yaml_documents.hpp: YAML texts read by libyaml into
// yaml-cpp nodes, as yaml-cpp's own loader builds them (marks, tags, nulls,
// repeated keys, aliases), and clear errors where yaml-cpp 0.7 looped.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"

namespace config = mimamori::config;

namespace {

// The error a text gives: "line:column message" (1-based), or "" for none.
std::string error_of(const std::string& text) {
  try {
    (void)config::load_all_documents(text);
  } catch (const YAML::ParserException& e) {
    return std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + " " + e.msg;
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(yaml_documents)

BOOST_AUTO_TEST_CASE(documents_as_load_all_gives_them) {
  const auto docs = config::load_all_documents("a: 1\n---\nb: [x, y]\n...\n---\n- z\n");
  BOOST_REQUIRE_EQUAL(docs.size(), 3U);
  BOOST_TEST(docs[0]["a"].as<int>() == 1);
  BOOST_TEST(docs[1]["b"][1].as<std::string>() == "y");
  BOOST_TEST(docs[2][0].as<std::string>() == "z");
  BOOST_TEST(config::load_all_documents("").empty());
  BOOST_TEST(config::load_all_documents("# only a comment\n").empty());
  // Commas in flow collections, scalars and comments are fine.
  const auto flow = config::load_all_documents("# a, b\nk: {x: 1, y: [2, 3]}\nt: a, b\n");
  BOOST_REQUIRE_EQUAL(flow.size(), 1U);
  BOOST_TEST(flow[0]["t"].as<std::string>() == "a, b");
  BOOST_TEST(flow[0]["k"]["y"][1].as<int>() == 3);
  BOOST_TEST(flow[0]["k"].Style() == YAML::EmitterStyle::Flow);
  BOOST_TEST(flow[0].Style() == YAML::EmitterStyle::Block);
}

// Every node knows where it starts (0-based, as YAML::Mark): rule loaders
// name the line and column of what they refuse.
BOOST_AUTO_TEST_CASE(nodes_keep_their_marks) {
  const auto docs = config::load_all_documents(
      "# rule\ntitle: x\ndetection:\n  sel:\n    - 'a'\n    - b\n---\nk: v\n");
  BOOST_REQUIRE_EQUAL(docs.size(), 2U);
  const YAML::Node& d = docs[0];
  BOOST_TEST(d.Mark().line == 1);
  BOOST_TEST(d.Mark().column == 0);
  BOOST_TEST(d["title"].Mark().line == 1);
  BOOST_TEST(d["title"].Mark().column == 7);
  BOOST_TEST(d["detection"]["sel"].Mark().line == 4);
  BOOST_TEST(d["detection"]["sel"].Mark().column == 4);
  BOOST_TEST(d["detection"]["sel"][1].Mark().line == 5);
  BOOST_TEST(d["detection"]["sel"][1].Mark().column == 6);
  BOOST_TEST(docs[1].Mark().line == 7);
  // Keys too.
  const auto key = d.begin()->first;
  BOOST_TEST(key.Scalar() == "title");
  BOOST_TEST(key.Mark().line == 1);
}

// Plain scalars are tagged "?" (a number, a boolean or a string: the reader
// decides), quoted ones "!"; explicit tags are kept.
BOOST_AUTO_TEST_CASE(tags_and_nulls_as_yaml_cpp_gives_them) {
  const YAML::Node d = config::load_document(
      "plain: 12\nquoted: '12'\ndouble: \"x\"\ntagged: !!str 7\nlocal: !mine 8\n"
      "empty:\ntilde: ~\nnull_word: null\nNull_word: Null\nNULL_word: NULL\n"
      "quoted_null: 'null'\nlist: [a]\nmap: {a: 1}\n");
  BOOST_TEST(d["plain"].Tag() == "?");
  BOOST_TEST(d["quoted"].Tag() == "!");
  BOOST_TEST(d["quoted"].Scalar() == "12");
  BOOST_TEST(d["double"].Tag() == "!");
  BOOST_TEST(d["tagged"].Tag() == "tag:yaml.org,2002:str");
  BOOST_TEST(d["local"].Tag() == "!mine");
  BOOST_TEST(d["list"].Tag() == "?");
  BOOST_TEST(d["map"].Tag() == "?");
  for (const char* k : {"empty", "tilde", "null_word", "Null_word", "NULL_word"}) {
    BOOST_TEST_CONTEXT(k) {
      BOOST_TEST(d[k].IsDefined());
      BOOST_TEST(d[k].IsNull());
    }
  }
  BOOST_TEST(d["quoted_null"].IsScalar());
  BOOST_TEST(d["quoted_null"].Scalar() == "null");
  BOOST_TEST(!d["absent"].IsDefined());
}

// A key given twice is kept twice; a lookup finds the first (yaml-cpp's
// loader does the same).
BOOST_AUTO_TEST_CASE(a_repeated_key_is_kept_and_the_first_found) {
  const YAML::Node d = config::load_document("a: 1\nb: 2\na: 3\n");
  BOOST_TEST(d.size() == 3U);
  BOOST_TEST(d["a"].as<int>() == 1);
}

BOOST_AUTO_TEST_CASE(aliases_share_their_anchor) {
  const YAML::Node d = config::load_document("base: &b {x: 1}\nuse: *b\nname: &n hi\nagain: *n\n");
  BOOST_TEST(d["use"]["x"].as<int>() == 1);
  BOOST_TEST(d["use"].is(d["base"]));
  BOOST_TEST(d["again"].Scalar() == "hi");
  // A later anchor of the same name wins from there on.
  const YAML::Node r = config::load_document("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
  BOOST_TEST(r["b"].as<int>() == 1);
  BOOST_TEST(r["d"].as<int>() == 2);
}

// Errors name the line and column (1-based here) and say what is wrong.
BOOST_AUTO_TEST_CASE(errors_name_where_and_why) {
  BOOST_TEST(error_of("a: *nope\n") == "1:4 alias *nope refers to no anchor before it");
  // A cycle: yaml-cpp would build it, and the walkers of rules would never end.
  BOOST_TEST(error_of("a: &x [1, *x]\n") == "1:11 alias *x refers to a collection that contains it");
  BOOST_TEST(error_of("a: &x {k: *x}\n").starts_with("1:11 alias *x refers to a collection"));
  BOOST_TEST(error_of("a: 1\n,\n") == "2:1 ',' outside a flow collection ([...] or {...})");
  BOOST_TEST(error_of("# \xe6\x97\xa5\n  ,\n") == "2:3 ',' outside a flow collection ([...] or {...})");
  BOOST_TEST(error_of("k: [a, , b]\n").starts_with("1:8 did not find expected node content"));
  BOOST_TEST(error_of("k: [a, b\n").starts_with("2:1 did not find expected ',' or ']'"));
  BOOST_TEST(error_of("a: \xff\n") == "1:4 invalid leading UTF-8 octet");
  BOOST_TEST(error_of("x: 1\ny: \xc3\n") == "2:5 invalid trailing UTF-8 octet");
  BOOST_TEST(error_of("a: b: c\n").starts_with("1:5 mapping values are not allowed"));
  // Nesting deeper than the walkers should recurse.
  const std::string deep(static_cast<std::size_t>(config::yaml_max_depth) + 1, '[');
  BOOST_TEST(error_of(deep).find("nested more than") != std::string::npos);
  const std::string fine = std::string(100, '[') + std::string(100, ']');
  BOOST_TEST(error_of(fine).empty());
  // "Billion laughs": each line doubles what a walk of the tree visits.
  std::string laughs = "a0: &a0 [x, x]\n";
  for (int i = 1; i <= 30; ++i) {
    const std::string p = "a" + std::to_string(i - 1);
    laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*" + p + ", *" + p + "]\n";
  }
  BOOST_TEST(error_of(laughs).find("aliases repeat more than 1000000 nodes") != std::string::npos);
  // A few aliases are fine.
  BOOST_TEST(error_of("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n").empty());
}

// Each of these made yaml-cpp 0.7's LoadAll allocate forever: a ',' where
// no flow collection is open. libyaml reports each.
BOOST_AUTO_TEST_CASE(a_comma_where_no_flow_collection_is_open) {
  struct hazard {
    std::string text;
    int line;  // 1-based
  };
  const std::vector<hazard> hazards = {
      {",\na: 1\n", 1},     {"  ,\n", 1},         {"# c\n,\n", 2},          {"--- ,\n", 1},
      {"a: 1\n---\n,\n", 3}, {"a: 1\n...\n,\n", 3}, {"\"x\"\n,\n", 2},          {"&a !t ,\n", 1},
      {"---\n---\n---\n,\n", 4},
  };
  for (const hazard& h : hazards) {
    BOOST_TEST_CONTEXT(h.text) {
      const std::string e = error_of(h.text);
      BOOST_TEST(e.starts_with(std::to_string(h.line) + ":"));
      BOOST_TEST(e.ends_with(" ',' outside a flow collection ([...] or {...})"));
    }
  }
}

// A '%' line is a directive, wherever it stands: yaml-cpp's LoadAll looped
// on a ',' after one.
BOOST_AUTO_TEST_CASE(a_stray_directive) {
  for (const char* text : {"a: 1\n%\n,\n", "a: 1\n%\n  - x\n ,\n"}) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(error_of(text).starts_with("2:2 could not find expected directive name"));
    }
  }
}

// load_document reads the first document only, as YAML::Load does.
BOOST_AUTO_TEST_CASE(the_first_document) {
  BOOST_TEST(config::load_document("a: 1\n---\nb: 2\n")["a"].as<int>() == 1);
  BOOST_TEST(config::load_document("").IsNull());
  BOOST_CHECK_THROW(config::load_document("a: [\n"), YAML::ParserException);
}

BOOST_AUTO_TEST_CASE(files) {
  BOOST_CHECK_THROW(config::load_file("/nonexistent/mimamori.yml"), YAML::BadFile);
  std::string path = (std::filesystem::temp_directory_path() / "mimamori-yaml-XXXXXX").string();
  const int fd = mkstemp(path.data());
  BOOST_REQUIRE(fd >= 0);
  close(fd);
  {
    std::ofstream out(path);
    out << "k: v\n";
  }
  BOOST_TEST(config::load_file(path)["k"].as<std::string>() == "v");
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_SUITE_END()

// member(node, key) is node[key] on a const node: the same node for a key
// the map has (the first of a repeated one), an invalid node naming the key
// otherwise, and yaml-cpp's exception on a scalar.
BOOST_AUTO_TEST_CASE(member_finds_what_the_const_subscript_finds) {
  const YAML::Node d = config::load_document("a: 1\nb: {c: [x, y]}\na: 3\n? [k]\n: v\n~: n\n");
  BOOST_TEST(config::member(d, "a").is(d["a"]));
  BOOST_TEST(config::member(d, "a").as<int>() == 1);
  BOOST_TEST(config::member(config::member(d, "b"), "c").is(d["b"]["c"]));
  const YAML::Node missing = config::member(d, "zz");
  BOOST_TEST(!missing.IsDefined());
  BOOST_TEST(!missing);
  std::string ours, theirs;
  try {
    (void)missing.Type();
  } catch (const YAML::InvalidNode& e) {
    ours = e.what();
  }
  try {
    (void)d["zz"].Type();
  } catch (const YAML::InvalidNode& e) {
    theirs = e.what();
  }
  BOOST_TEST(!ours.empty());
  BOOST_TEST(ours == theirs);
  BOOST_TEST(ours.find("zz") != std::string::npos);
  // Not a map: a sequence or a null has no key; a scalar throws.
  BOOST_TEST(!config::member(d["b"]["c"], "x").IsDefined());
  BOOST_TEST(!config::member(config::load_document(""), "x").IsDefined());
  BOOST_CHECK_THROW((void)config::member(d["a"], "x"), YAML::BadSubscript);
  std::string scalar_ours, scalar_theirs;
  try {
    (void)config::member(d["a"], "x");
  } catch (const YAML::BadSubscript& e) {
    scalar_ours = e.what();
  }
  try {
    (void)d["a"]["x"];
  } catch (const YAML::BadSubscript& e) {
    scalar_theirs = e.what();
  }
  BOOST_TEST(scalar_ours == scalar_theirs);
  // An invalid node throws as yaml-cpp's does.
  BOOST_CHECK_THROW((void)config::member(missing, "x"), YAML::InvalidNode);
}
