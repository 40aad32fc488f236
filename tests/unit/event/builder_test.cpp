#include "event/builder.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "ndjson/json_text.hpp"

using namespace mimamori;

BOOST_AUTO_TEST_SUITE(builder)

// Keys and string values take a shortcut when they are short printable
// ASCII; whatever the text, the bytes must be those append_string writes.
BOOST_AUTO_TEST_CASE(keys_and_values_are_written_as_append_string_writes_them) {
  const std::vector<std::string> texts = {
      "",
      "a",
      "source.ip",
      "with space and ~ and \x7f",
      "quote\"inside",
      "back\\slash",
      "tab\there",
      std::string("nul\0byte", 8),
      "caf\xc3\xa9",
      "bad \xff utf-8",
      std::string(48, 'x'),
      std::string(49, 'x'),
      std::string(47, 'x') + "\"",
      std::string(200, 'y') + "\n",
  };
  for (const std::string& text : texts) {
    std::string got;
    event::builder b(got);
    b.begin_object().field(text, std::string_view(text)).end_object();
    std::string want = "{";
    ndjson::append_string(want, text);
    want += ':';
    ndjson::append_string(want, text);
    want += '}';
    BOOST_TEST(got == want);
  }
}

BOOST_AUTO_TEST_CASE(commas_separate_members_written_by_either_path) {
  std::string out;
  event::builder b(out);
  b.begin_object();
  b.field("a", "plain");
  b.field("b\"", "needs \"escapes\"");
  b.key("c").begin_array().value("x").value("y\n").end_array();
  b.end_object();
  BOOST_TEST(out == R"({"a":"plain","b\"":"needs \"escapes\"","c":["x","y\n"]})");
}

BOOST_AUTO_TEST_SUITE_END()
