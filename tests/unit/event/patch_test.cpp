#include "event/patch.hpp"

#include <boost/test/unit_test.hpp>

#include "event/builder.hpp"
#include "event/record.hpp"

using namespace mimamori;

namespace {
std::string applied(const event::patch& p, std::string_view original) {
  std::string out;
  p.apply(original, out);
  event::parser check;
  BOOST_TEST((check.parse_copy(out) == event::parse_error::none), "not valid JSON: " << out);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(patch)

BOOST_AUTO_TEST_CASE(copies_a_record_untouched_when_empty) {
  event::patch p;
  BOOST_TEST(applied(p, R"({"a":1,"b":{"c":[1,2]}})") == R"({"a":1,"b":{"c":[1,2]}})");
}

BOOST_AUTO_TEST_CASE(adds_a_field_to_an_existing_object_without_duplicating_it) {
  event::patch p;
  p.set_string("event.kind", "alert");
  BOOST_TEST(applied(p, R"({"event":{"original":"x"},"z":1})") ==
             R"({"event":{"original":"x","kind":"alert"},"z":1})");
}

BOOST_AUTO_TEST_CASE(replaces_an_existing_value_in_place) {
  event::patch p;
  p.set_int("event.severity", 73);
  BOOST_TEST(applied(p, R"({"event":{"severity":10,"kind":"event"}})") ==
             R"({"event":{"severity":73,"kind":"event"}})");
}

BOOST_AUTO_TEST_CASE(creates_missing_objects_on_the_path) {
  event::patch p;
  p.set_string("threat.indicator.type", "domain-name");
  p.set_string("threat.indicator.name", "evil.example");
  p.set_bool("mimamori.retro", true);
  BOOST_TEST(applied(p, R"({"a":1})") ==
             R"({"a":1,"threat":{"indicator":{"type":"domain-name","name":"evil.example"}},)"
             R"("mimamori":{"retro":true}})");
}

BOOST_AUTO_TEST_CASE(escapes_new_keys_that_come_from_data) {
  // Keys built from a log line (vendor.key="...") may hold quotes or controls.
  event::patch p;
  p.set_string("vendor.a\"b\\c\td", "v");
  BOOST_TEST(applied(p, R"({"a":1})") == R"({"a":1,"vendor":{"a\"b\\c\td":"v"}})");
}

BOOST_AUTO_TEST_CASE(removes_fields) {
  event::patch p;
  p.remove("event.original");
  p.remove("gone");
  p.remove("not.there");
  BOOST_TEST(applied(p, R"({"gone":[1,{"x":"}"}],"event":{"original":"a\"}b","kind":"event"}})") ==
             R"({"event":{"kind":"event"}})");
}

BOOST_AUTO_TEST_CASE(replaces_a_scalar_with_an_object_when_a_path_goes_through_it) {
  event::patch p;
  p.set_string("user.name", "alice");
  BOOST_TEST(applied(p, R"({"user":"alice@corp"})") == R"({"user":{"name":"alice"}})");
}

BOOST_AUTO_TEST_CASE(takes_the_last_change_to_a_path) {
  event::patch p;
  p.set_int("n", 1);
  p.set_int("n", 2);
  p.set_raw("obj", R"({"x":1})");
  p.set_int("obj.y", 2);
  BOOST_TEST(applied(p, R"({"n":0})") == R"({"n":2,"obj":{"x":1,"y":2}})");
}

BOOST_AUTO_TEST_CASE(copies_untouched_members_byte_for_byte_even_with_spaces) {
  event::patch p;
  p.set_string("b.c", "new");
  BOOST_TEST(applied(p, R"( { "a" : [1, 2] , "b" : { "c" : "old" , "d" : null } } )") ==
             R"({"a" : [1, 2],"b":{"c":"new","d" : null}})");
}

BOOST_AUTO_TEST_CASE(is_reusable_after_clear) {
  event::patch p;
  p.set_int("a", 1);
  p.clear();
  BOOST_TEST(p.empty());
  p.set_int("b", 2);
  BOOST_TEST(applied(p, "{}") == R"({"b":2})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(builder)

BOOST_AUTO_TEST_CASE(writes_nested_objects_and_arrays_with_commas_in_place) {
  std::string out = "previous\n";
  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", "2024-10-03T03:00:00.000Z");
  b.key("event").begin_object().field("kind", "event").field("severity", 40).end_object();
  b.key("tags").begin_array().value("a").value("b").end_array();
  b.key("empty").begin_object().end_object();
  b.field("ok", true).field("ratio", 0.5).raw_field("raw", "[1]");
  b.end_object();
  BOOST_TEST(out ==
             "previous\n"
             R"({"@timestamp":"2024-10-03T03:00:00.000Z","event":{"kind":"event","severity":40},)"
             R"("tags":["a","b"],"empty":{},"ok":true,"ratio":0.5,"raw":[1]})");
}

BOOST_AUTO_TEST_CASE(never_writes_invalid_json_for_invalid_utf8) {
  std::string out;
  event::builder b(out);
  b.begin_object().field("original", std::string_view("bad \xc0\xaf bytes")).end_object();
  event::parser check;
  BOOST_TEST((check.parse_copy(out) == event::parse_error::none));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(patch_strings)

BOOST_AUTO_TEST_CASE(skips_strings_with_escaped_quotes_and_backslashes) {
  event::patch p;
  p.set_int("after", 1);
  const std::string original =
      R"({"a":"x\"}{\\","b":"\\\\","c":"\\\"q\"\\","d":"}"})";
  BOOST_TEST(applied(p, original) ==
             R"({"a":"x\"}{\\","b":"\\\\","c":"\\\"q\"\\","d":"}","after":1})");
}

BOOST_AUTO_TEST_SUITE_END()
