// Tests for parsers/fields.hpp: flat fields written as nested JSON.
#include <boost/test/unit_test.hpp>

#include <string>

#include "parsers/fields.hpp"

using mimamori::parsers::fields;

namespace {

std::string json(const fields& f) {
  std::string out = "{";
  f.write_members(out, true);
  out += "}";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fields_nesting)

BOOST_AUTO_TEST_CASE(nests_dotted_paths_in_path_order) {
  fields f;
  f.set("source.ip", "10.0.0.1");
  f.set("event.kind", "event");
  f.set_int("source.port", 22);
  f.set("@timestamp", "2024-10-03T03:00:00.000Z");
  f.set("source.nat.ip", "192.0.2.1");
  f.set("event.action", "x");
  BOOST_TEST(json(f) ==
             R"({"@timestamp":"2024-10-03T03:00:00.000Z","event":{"action":"x","kind":"event"},)"
             R"("source":{"ip":"10.0.0.1","nat":{"ip":"192.0.2.1"},"port":22}})");
}

BOOST_AUTO_TEST_CASE(a_later_set_wins_and_arrays_keep_order_without_duplicates) {
  fields f;
  f.set("event.outcome", "failure");
  f.add("related.ip", "10.0.0.2");
  f.add("related.ip", "10.0.0.1");
  f.add("related.ip", "10.0.0.2");
  f.set("event.outcome", "success");
  BOOST_TEST(f.get("event.outcome") == "success");
  BOOST_TEST(json(f) ==
             R"({"event":{"outcome":"success"},"related":{"ip":["10.0.0.2","10.0.0.1"]}})");
}

BOOST_AUTO_TEST_CASE(copies_and_dynamic_paths_survive_arena_growth) {
  fields f;
  std::string value = "temporary";
  f.set_copy("a.b", value);
  value = "changed";
  for (int i = 0; i < 200; ++i) f.set_dynamic("vendor.", "key" + std::to_string(i), "v", true);
  f.set("a.c", f.get("a.b"));  // a view into the arena
  for (int i = 0; i < 200; ++i) f.set_copy("z.pad", std::string(100, 'x'));
  BOOST_TEST(f.get("a.b") == "temporary");
  BOOST_TEST(f.get("a.c") == "temporary");
  BOOST_TEST(f.get("vendor.key199") == "v");
}

BOOST_AUTO_TEST_CASE(escapes_strings_and_replaces_invalid_utf8) {
  fields f;
  f.set("m", "quote \" backslash \\ newline \n");
  BOOST_TEST(json(f) == R"({"m":"quote \" backslash \\ newline \n"})");
  fields g;
  g.set("m", "bad \xff byte");
  const std::string out = json(g);
  BOOST_TEST(out.find('\xff') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(clear_reuses_the_collection) {
  fields f;
  f.set("a", "1");
  f.clear();
  BOOST_TEST(f.empty());
  f.set_int("b", 2);
  BOOST_TEST(json(f) == R"({"b":2})");
}

BOOST_AUTO_TEST_SUITE_END()
