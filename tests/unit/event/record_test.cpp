#include "event/record.hpp"

#include <boost/test/unit_test.hpp>

using namespace mimamori;

BOOST_AUTO_TEST_SUITE(record)

BOOST_AUTO_TEST_CASE(reads_nested_ecs_fields_by_dotted_path) {
  event::parser p;
  std::string text =
      R"({"@timestamp":"2024-10-03T03:00:00.000Z","source":{"ip":"10.0.0.1","port":5353},)"
      R"("event":{"category":["network"],"severity":40,"risk":1.5},"tls":{"established":true}})";
  BOOST_REQUIRE((p.parse_copy(text) == event::parse_error::none));
  const event::record& r = p.current();
  BOOST_TEST(r.string("source.ip").value() == "10.0.0.1");
  BOOST_TEST(r.integer("source.port").value() == 5353);
  BOOST_TEST(r.integer("event.severity").value() == 40);
  BOOST_TEST(r.number("event.risk").value() == 1.5);
  BOOST_TEST(r.boolean("tls.established").value());
  BOOST_TEST(r.string("@timestamp").value() == "2024-10-03T03:00:00.000Z");
  BOOST_TEST(r.has("event.category"));
  BOOST_TEST(!r.has("destination.ip"));
  BOOST_TEST(!r.string("source.port").has_value());  // a number, not a string
  BOOST_TEST(!r.string("source.ip.x").has_value());
}

BOOST_AUTO_TEST_CASE(finds_flattened_dotted_keys_too) {
  event::parser p;
  BOOST_REQUIRE((p.parse_copy(R"({"source.ip":"1.2.3.4","host":{"os.name":"Windows"}})") ==
                 event::parse_error::none));
  BOOST_TEST(p.current().string("source.ip").value() == "1.2.3.4");
  BOOST_TEST(p.current().string("host.os.name").value() == "Windows");
}

struct bad_case {
  std::string text;
  event::parse_error error;
};

BOOST_AUTO_TEST_CASE(names_why_a_line_is_not_a_record) {
  const bad_case cases[] = {
      {"{\"a\":\"caf\xff\"}", event::parse_error::invalid_utf8},
      {"{\"a\":", event::parse_error::not_json},
      {"hello world", event::parse_error::not_json},
      {"{\"a\":1}}", event::parse_error::not_json},
      {"{\"a\":1} {\"b\":2}", event::parse_error::not_json},
      {"[1,2,3]", event::parse_error::not_object},
      {"42", event::parse_error::not_object},
      {"\"text\"", event::parse_error::not_object},
      {"", event::parse_error::not_json},
  };
  event::parser p;
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      BOOST_TEST((p.parse_copy(c.text) == c.error));
      BOOST_TEST(!p.message().empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(parses_again_after_a_failure) {
  event::parser p;
  BOOST_TEST((p.parse_copy("nope") == event::parse_error::not_json));
  BOOST_TEST((p.parse_copy(R"({"ok":true})") == event::parse_error::none));
  BOOST_TEST(p.current().boolean("ok").value());
}

BOOST_AUTO_TEST_SUITE_END()
