#include "sigma/field_index.hpp"

#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "event/record.hpp"

using namespace mimamori;

namespace {

// The element's JSON text, or "(none)": what two lookups are compared by.
std::string shown(const std::optional<simdjson::dom::element>& e) {
  return e ? simdjson::to_string(*e) : std::string("(none)");
}

// For every path, field_index::find must give what event::record::find gives.
void agree(const std::vector<std::string>& paths, const std::vector<std::string>& events) {
  sigma::field_index index;
  std::vector<std::uint32_t> ids;
  for (const std::string& p : paths) ids.push_back(index.add(p));
  event::parser parser;
  for (const std::string& json : events) {
    BOOST_REQUIRE_MESSAGE(parser.parse_copy(json) == event::parse_error::none, json);
    const event::record& r = parser.current();
    index.reset(r.root());
    // Twice: the second lookups come from what the first ones noted.
    for (int round = 0; round < 2; ++round) {
      for (std::size_t k = 0; k < paths.size(); ++k) {
        BOOST_TEST_CONTEXT(json << " path " << paths[k]) {
          BOOST_TEST(shown(index.find(ids[k])) == shown(r.find(paths[k])));
        }
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(field_index)

BOOST_AUTO_TEST_CASE(same_path_same_id) {
  sigma::field_index index;
  const auto a = index.add("winlog.event_data.Image");
  const auto b = index.add("winlog.event_data.CommandLine");
  BOOST_TEST(a != b);
  BOOST_TEST(index.add("winlog.event_data.Image") == a);
  BOOST_TEST(index.size() == 2U);
}

BOOST_AUTO_TEST_CASE(nested_flattened_duplicate_and_non_object_paths) {
  const std::vector<std::string> paths = {
      "winlog.event_data.Image", "winlog.event_data.CommandLine", "winlog.channel", "source.ip",
      "source.geo.country",      "a.b.c",                         "a",              "x.",
      "",                        "a..b",                          "process.executable"};
  const std::vector<std::string> events = {
      R"({"winlog":{"channel":"Security","event_data":{"Image":"C:\\a.exe","CommandLine":"a -x"}}})",
      R"({"source.ip":"10.0.0.1","source":{"geo.country":"JP"}})",
      R"({"source":{"ip":"10.0.0.2"},"source.ip":"10.0.0.3"})",
      // A nested route that fails at the end falls back to a flattened key.
      R"({"source":{"port":1},"source.ip":"10.0.0.4","source.geo.country":"FR"})",
      R"({"winlog":{"event_data.Image":"flat"},"winlog.event_data.CommandLine":"flatter"})",
      R"({"winlog":{"event_data":"not an object","event_data.Image":"beside"}})",
      R"({"winlog":{"event_data":{"Image":"first"},"event_data":{"Image":"second"}}})",
      R"({"a":{"b":{"c":1},"b":{"c":2}},"a.b.c":3})",
      R"({"a":[{"b":{"c":1}}],"a.b.c":[1,2]})",
      R"({"a":{"b":null},"a.b":{"c":"under a flattened parent"}})",
      R"({"x":{"":"empty key"},"":0,"a":{"":{"b":true}}})",
      R"({"process":{"executable":null}})",
      R"({})",
  };
  agree(paths, events);
}

BOOST_AUTO_TEST_CASE(random_records_agree_with_record_find) {
  // Keys drawn from a small alphabet, so paths and flattened keys collide
  // often; nesting, duplicates and non-objects at random.
  std::mt19937 random(5);
  const std::vector<std::string> names = {"a", "b", "c", "a.b", "b.c", "a.b.c", "c.a"};
  std::vector<std::string> paths = {"a", "b", "c", "a.b", "a.c", "b.c", "a.b.c", "c.a.b", "a.a.a", "b.c.a"};
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    const int kind = static_cast<int>(random() % 4);
    if (depth == 0 || kind == 0) return std::to_string(random() % 100);
    if (kind == 1) return "[" + value(depth - 1) + "]";
    std::string out = "{";
    const int members = static_cast<int>(random() % 4);
    for (int m = 0; m < members; ++m) {
      if (m > 0) out += ',';
      out += "\"" + names[random() % names.size()] + "\":" + value(depth - 1);
    }
    return out + "}";
  };
  std::vector<std::string> events;
  for (int k = 0; k < 400; ++k) {
    std::string e = value(4);
    if (e.front() != '{') e = "{\"a\":" + e + "}";
    events.push_back(e);
  }
  agree(paths, events);
}

BOOST_AUTO_TEST_CASE(spaced_keys_are_noted) {
  sigma::field_index index;
  const auto data = index.add("winlog.event_data");
  const auto flat = index.add("flat.parent");
  const auto leaf = index.add("winlog.channel");
  event::parser parser;
  auto check = [&](const std::string& json, bool data_spaced, bool flat_spaced) {
    BOOST_REQUIRE(parser.parse_copy(json) == event::parse_error::none);
    index.reset(parser.current().root());
    BOOST_TEST(index.has_spaced_key(data) == data_spaced, json);
    BOOST_TEST(index.has_spaced_key(flat) == flat_spaced, json);
    BOOST_TEST(!index.has_spaced_key(leaf), json);
  };
  check(R"({"winlog":{"channel":"x y","event_data":{"Source Name":"a"}}})", true, false);
  check(R"({"winlog":{"channel":"x","event_data":{"SourceName":"a"}}})", false, false);
  check(R"({"winlog.event_data":{"Source Name":"a"},"flat.parent":{"k k":1}})", true, true);
  check(R"({"flat":{"parent":{"k":1}},"flat.parent":{"k k":1}})", false, false);
  check(R"({"winlog":{"event_data":["Source Name"]}})", false, false);
}

// Keys are read a word at a time (the first and last eight bytes, or
// overlapping halves, and the middle of long keys): a dot or a space at
// any place of a key of any length is noted, so a flattened key is found
// and a spaced key reported; keys of every length are found by name.
BOOST_AUTO_TEST_CASE(a_dot_or_a_space_anywhere_in_a_key_of_any_length_is_noted) {
  event::parser parser;
  for (std::size_t length = 1; length <= 40; ++length) {
    std::string plain(length, 'k');
    for (std::size_t i = 0; i < length; ++i) plain[i] = static_cast<char>('a' + i % 26);
    // The key itself, as a nested path: found.
    agree({"o." + plain, "o." + plain + "x"}, {R"({"o":{")" + plain + R"(":1,"z":2}})"});
    for (std::size_t at = 0; at < length; ++at) {
      std::string dotted = plain, spaced = plain;
      dotted[at] = '.';
      spaced[at] = ' ';
      BOOST_TEST_CONTEXT("length " << length << " at " << at) {
        // Found only through the object's dotted key.
        agree({"o." + dotted}, {R"({"o":{"z":2,")" + dotted + R"(":1}})"});
        sigma::field_index index;
        const auto o = index.add("o");
        BOOST_REQUIRE(parser.parse_copy(R"({"o":{"z":2,")" + spaced + R"(":1}})") ==
                      event::parse_error::none);
        index.reset(parser.current().root());
        BOOST_TEST(index.has_spaced_key(o));
        BOOST_REQUIRE(parser.parse_copy(R"({"o":{"z":2,")" + dotted + R"(":1}})") ==
                      event::parse_error::none);
        index.reset(parser.current().root());
        BOOST_TEST(!index.has_spaced_key(o));
        // The bytes that pass the dot's and the space's shared word test
        // (the even ones from 0x22 to 0x2C) are neither, alone or beside one.
        for (const char near : std::string("$&(*,")) {
          std::string other = plain;
          other[at] = near;
          agree({"o." + other, "o." + other.substr(0, at)},
                {R"({"o":{"z":2,")" + other + R"(":1}})"});
          BOOST_REQUIRE(parser.parse_copy(R"({"o":{"z":2,")" + other + R"(":1}})") ==
                        event::parse_error::none);
          index.reset(parser.current().root());
          BOOST_TEST(!index.has_spaced_key(o));
          if (length == 1) continue;
          other[(at + 1) % length] = ' ';
          BOOST_REQUIRE(parser.parse_copy(R"({"o":{"z":2,")" + other + R"(":1}})") ==
                        event::parse_error::none);
          index.reset(parser.current().root());
          BOOST_TEST(index.has_spaced_key(o));
        }
      }
    }
  }
}

// Keys are matched to names through the words the hash reads (the first
// and last eight bytes, or fewer for short keys) and their length; a name
// longer than 16 bytes is compared in its middle besides. Names and keys
// of every length up to 40 that differ in one byte only, at every place
// (the middle of long ones included), must not be taken for each other.
BOOST_AUTO_TEST_CASE(keys_differing_in_one_byte_anywhere_are_told_apart) {
  std::vector<std::string> paths;
  std::vector<std::string> events;
  for (std::size_t size = 1; size <= 40; ++size) {
    const std::string name(size, 'k');
    paths.push_back("o." + name);
    std::string members;
    for (std::size_t at = 0; at < size; ++at) {
      std::string other = name;
      other[at] = 'q';
      members += "\"" + other + "\":" + std::to_string(at) + ",";
    }
    events.push_back("{\"o\":{" + members + "\"" + name + "\":\"hit\"}}");
    events.push_back("{\"o\":{" + members.substr(0, members.size() - 1) + "}}");
  }
  agree(paths, events);
}

BOOST_AUTO_TEST_SUITE_END()
