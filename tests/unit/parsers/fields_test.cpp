// Tests for parsers/fields.hpp: flat fields written as nested JSON.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// A line that is valid UTF-8 is trusted, but a parser's copies need not be
// pieces of it (auditd decodes hex: "55d1" is "U\xd1"): such a copy is
// written as U+FFFD all the same, by the shaped writer and by each_json
// (found by lognorm_fuzz on a logcollect record).
BOOST_AUTO_TEST_CASE(copies_that_are_not_utf8_are_replaced_in_a_trusted_line) {
  fields f;
  for (int round = 0; round < 3; ++round) {
    f.clear();
    f.set("a", "plain");
    f.set_copy("b", round == 1 ? "ok \xc3\xa9" : "U\xd1");
    f.set_dynamic("x.", "y", "\xff\xfe", true);
    f.trust_utf8(true);
    const std::string out = json(f);
    if (round == 1) {
      BOOST_TEST(out.find("ok \xc3\xa9") != std::string::npos);
    } else {
      BOOST_TEST(out.find("U\xd1") == std::string::npos, out);
      BOOST_TEST(out.find("U\xef\xbf\xbd") != std::string::npos, out);
    }
    BOOST_TEST(out.find('\xff') == std::string::npos, out);
    std::string scratch, pieces;
    f.each_json(scratch, [&](std::string_view, std::string_view text) { pieces.append(text); });
    BOOST_TEST(pieces.find('\xd1') == std::string::npos, pieces);
    BOOST_TEST(pieces.find('\xff') == std::string::npos, pieces);
  }
}

BOOST_AUTO_TEST_CASE(clear_reuses_the_collection) {
  fields f;
  f.set("a", "1");
  f.clear();
  BOOST_TEST(f.empty());
  f.set_int("b", 2);
  BOOST_TEST(json(f) == R"({"b":2})");
}

BOOST_AUTO_TEST_CASE(every_setter_keeps_its_value_while_the_entries_grow) {
  // Each setter fills in the entry it appended; the entries grow (and move)
  // at some of those appends, twice in one record and again after clear().
  std::vector<std::string> paths;
  for (int i = 0; i < 100; ++i) paths.push_back("k" + std::to_string(100 + i));
  fields f;
  for (int round = 0; round < 2; ++round) {
    f.clear();
    std::string expected = "{";
    const std::size_t n = round == 0 ? 40 : paths.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) expected += ',';
      expected += '"' + paths[i] + "\":";
      switch (i % 4) {
        case 0:
          f.set(paths[i], paths[i]);
          expected += '"' + paths[i] + '"';
          break;
        case 1:
          f.set_int(paths[i], static_cast<std::int64_t>(i) * 1000);
          expected += std::to_string(i * 1000);
          break;
        case 2:
          f.set_copy(paths[i], std::string(i, 'x'));
          expected += '"' + std::string(i, 'x') + '"';
          break;
        default:
          f.add(paths[i], "m");
          expected += R"(["m"])";
          break;
      }
    }
    expected += '}';
    BOOST_TEST(f.size() == n);
    BOOST_TEST(json(f) == expected);
  }
}

BOOST_AUTO_TEST_CASE(records_of_one_shape_write_as_the_first_did) {
  // The second and later records of a shape reuse its worked-out nesting:
  // values, types and dynamic paths still come from each record.
  fields f;
  std::vector<std::string> outputs;
  for (int round = 0; round < 3; ++round) {
    f.clear();
    f.trust_utf8(true);
    f.set("source.ip", round == 1 ? "10.0.0.\"1" : "10.0.0.1");
    f.set_int("source.port", 1000 + round);
    f.add("related.ip", "10.0.0.1");
    f.add("related.ip", round == 2 ? "10.0.0.3" : "10.0.0.2");
    f.set_dynamic("vendor.", round == 2 ? "kez" : "key", "v", false);
    f.set("event.outcome", "failure");
    f.set("event.outcome", "success");
    std::string out = "{\"a\":1";
    f.write_members(out, false);
    out += "}";
    outputs.push_back(out);
  }
  BOOST_TEST(outputs[0] ==
             R"({"a":1,"event":{"outcome":"success"},"related":{"ip":["10.0.0.1","10.0.0.2"]},)"
             R"("source":{"ip":"10.0.0.1","port":1000},"vendor":{"key":"v"}})");
  BOOST_TEST(outputs[1] ==
             R"({"a":1,"event":{"outcome":"success"},"related":{"ip":["10.0.0.1","10.0.0.2"]},)"
             R"("source":{"ip":"10.0.0.\"1","port":1001},"vendor":{"key":"v"}})");
  BOOST_TEST(outputs[2] ==
             R"({"a":1,"event":{"outcome":"success"},"related":{"ip":["10.0.0.1","10.0.0.3"]},)"
             R"("source":{"ip":"10.0.0.1","port":1002},"vendor":{"kez":"v"}})");
}

BOOST_AUTO_TEST_CASE(a_path_set_with_another_type_changes_the_shape) {
  fields f;
  f.trust_utf8(true);
  f.set("x.y", "7");
  BOOST_TEST(json(f) == R"({"x":{"y":"7"}})");
  f.clear();
  f.trust_utf8(true);
  f.set_int("x.y", 7);
  BOOST_TEST(json(f) == R"({"x":{"y":7}})");
  f.clear();
  f.trust_utf8(true);
  f.add("x.y", "7");
  BOOST_TEST(json(f) == R"({"x":{"y":["7"]}})");
}

BOOST_AUTO_TEST_CASE(long_and_short_values_are_escaped_wherever_the_escape_is) {
  for (std::size_t length : {1u, 3u, 4u, 7u, 8u, 15u, 16u, 17u, 31u, 33u, 100u}) {
    for (std::size_t at = 0; at < length; ++at) {
      std::string value(length, 'a');
      value[at] = '"';
      fields f;
      f.trust_utf8(true);
      f.set_copy("m", value);
      std::string expected = value;
      expected.replace(at, 1, "\\\"");
      BOOST_TEST(json(f) == "{\"m\":\"" + expected + "\"}");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_value_of_escapes_leaves_room_for_the_rest_of_the_record) {
  // Regression (found by cef_leef_fuzz): escapes grow a value up to six
  // times; what follows it in the record must still fit.
  fields f;
  for (int round = 0; round < 2; ++round) {
    f.clear();
    f.trust_utf8(true);
    f.set_copy("a", std::string(300, '\x01'));
    for (int i = 0; i < 20; ++i) f.set_dynamic("b.", "k" + std::to_string(i), "value", false);
    const std::string out = json(f);
    std::string expected = R"({"a":")";
    for (int i = 0; i < 300; ++i) expected += "\\u0001";
    expected += R"(","b":{)";
    BOOST_TEST(out.substr(0, expected.size()) == expected);
    BOOST_TEST(out.find(R"("k19":"value",)") != std::string::npos);
    BOOST_TEST(out.ends_with(R"("k9":"value"}})"));
  }
}

BOOST_AUTO_TEST_CASE(has_and_get_see_every_path_whatever_its_presence_bit) {
  // Paths of one length and the same bytes where the presence bit looks
  // share a bit: the scan behind it still tells them apart.
  fields f;
  std::vector<std::string> paths;
  for (int i = 0; i < 300; ++i) paths.push_back("p" + std::to_string(1000 + i) + ".x");
  for (std::size_t i = 0; i < paths.size(); i += 2) f.set(paths[i], paths[i]);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    BOOST_TEST(f.has(paths[i]) == (i % 2 == 0));
    BOOST_TEST(f.get(paths[i]) == (i % 2 == 0 ? std::string_view(paths[i]) : std::string_view{}));
  }
  // A path equal in text but held elsewhere is the same path.
  const std::string copy = paths[0];
  BOOST_TEST(f.has(copy));
  f.set_dynamic("vendor.", "key", "v", false);
  BOOST_TEST(f.get("vendor.key") == "v");
  BOOST_TEST(!f.has("vendor.kez"));
  f.clear();
  BOOST_TEST(!f.has(paths[0]));
  BOOST_TEST(!f.has("vendor.key"));
}

BOOST_AUTO_TEST_CASE(add_skips_duplicates_by_text_not_by_address) {
  fields f;
  const std::string a = "10.0.0.1", b = "10.0.0.1";
  f.add("related.ip", a);
  f.add("related.ip", b);
  f.add("related.ips", a);  // another path
  f.set("related.hosts", a);
  BOOST_TEST(json(f) ==
             R"({"related":{"hosts":"10.0.0.1","ip":["10.0.0.1"],"ips":["10.0.0.1"]}})");
}

BOOST_AUTO_TEST_CASE(remove_changes_the_shape_and_keeps_dynamic_paths) {
  // A record that loses a field by remove() must not be written with the
  // shape of the record it was before, nor with the shape of another.
  fields f;
  std::vector<std::string> outputs;
  for (int round = 0; round < 4; ++round) {
    f.clear();
    f.trust_utf8(true);
    f.set_dynamic("v.", "a", "1", false);
    f.set("x.y", "2");
    f.set_dynamic("v.", "b", "3", true);
    if (round % 2 == 1) f.remove("v.a");
    outputs.push_back(json(f));
    BOOST_TEST(f.has("v.a") == (round % 2 == 0));
    BOOST_TEST(f.get("v.b") == "3");
  }
  BOOST_TEST(outputs[0] == R"({"v":{"a":"1","b":"3"},"x":{"y":"2"}})");
  BOOST_TEST(outputs[1] == R"({"v":{"b":"3"},"x":{"y":"2"}})");
  BOOST_TEST(outputs[2] == outputs[0]);
  BOOST_TEST(outputs[3] == outputs[1]);
  // A record without the removed field, built directly, has that shape too.
  f.clear();
  f.trust_utf8(true);
  f.set("x.y", "2");
  f.set_dynamic("v.", "b", "3", true);
  BOOST_TEST(json(f) == R"({"v":{"b":"3"},"x":{"y":"2"}})");
}

BOOST_AUTO_TEST_CASE(values_of_a_padded_line_write_as_any_other) {
  // Values that are views of the padded source line are read 16 bytes at a
  // time: every length, at every place, with and without an escape, and at
  // the very end of the line, writes as the same value copied elsewhere.
  std::string line = "ab\"cdefghijklmnopqrs\\tuvwxyz0123456789\x01"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const std::size_t size = line.size();
  line.append(64, '"');  // padding that must not leak into a value
  const std::string_view source(line.data(), size);
  for (std::size_t at = 0; at < size; ++at) {
    for (std::size_t n = 0; at + n <= size && n <= 40; ++n) {
      fields padded, plain;
      for (fields* f : {&padded, &plain}) {
        f->trust_utf8(true);
        f->set("a.first", "x");
      }
      padded.padded_source(source);
      padded.set("a.value", source.substr(at, n));
      padded.set("b", source.substr(at, n));
      padded.add("c", source.substr(at, n));
      plain.set_copy("a.value", source.substr(at, n));
      plain.set_copy("b", source.substr(at, n));
      plain.add_copy("c", source.substr(at, n));
      const std::string expected = json(plain);
      BOOST_TEST(json(padded) == expected);
      BOOST_TEST(json(padded) == expected);  // the second write goes by the shape
    }
  }
}

BOOST_AUTO_TEST_CASE(records_of_many_dynamic_paths_write_each_its_own) {
  // Thousands of records, each with a dynamic path of its own beside ones
  // they share: every record writes its own paths (shapes are matched on
  // the text of dynamic paths), and a dynamic path is the same path as the
  // static one of the same text.
  fields f;
  for (int i = 0; i < 9000; i += 1) {
    f.clear();
    f.trust_utf8(true);
    const std::string key = "k" + std::to_string(i);
    f.set_dynamic("vendor.", key, "v", false);
    f.set_dynamic("vendor.", "fixed", "w", true);
    f.set_dynamic_raw("vendor.", "n", "12");
    if (i % 1000 == 0 || i > 8180) {
      BOOST_TEST(json(f) == R"({"vendor":{"fixed":"w",")" + key + R"(":"v","n":12}})");
      BOOST_TEST(f.get("vendor." + key) == "v");
    }
  }
  // A dynamic path and a static one of the same text are one path.
  f.clear();
  f.set_dynamic("vendor.", "k8999", "old", false);
  f.set_dynamic("vendor.", "k1", "x", false);
  f.set("vendor.k8999", "new");
  BOOST_TEST(json(f) == R"({"vendor":{"k1":"x","k8999":"new"}})");
}

BOOST_AUTO_TEST_CASE(the_last_set_wins_among_paths_of_one_presence_bit) {
  // Many paths share a presence bit; lookups follow the entries of the bit
  // from the last one back.
  fields f;
  std::vector<std::string> paths, arrays;  // paths stay for the life of f
  for (int i = 0; i < 40; ++i) {
    paths.push_back("q" + std::to_string(10 + i) + ".x");
    arrays.push_back(paths.back() + "s");
  }
  for (int round = 0; round < 3; ++round) {
    for (const std::string& p : paths) f.set_copy(p, "v" + std::to_string(round));
    for (const std::string& p : arrays) f.add_copy(p, std::to_string(round % 2));
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    BOOST_TEST(f.get(paths[i]) == "v2");
    BOOST_TEST(f.has(arrays[i]));
  }
  const std::string out = json(f);
  BOOST_TEST(out.find(R"("q10":{"x":"v2","xs":["0","1"]})") != std::string::npos, out);
}

BOOST_AUTO_TEST_CASE(short_values_of_unpadded_memory_are_escaped_exactly) {
  // Values that may not be read past their end (literals, buffers of the
  // parser's own) are checked without reading past them: every length
  // below 16, an escape anywhere or none.
  for (std::size_t length = 0; length < 16; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      const std::string value = [&] {
        std::string v(length, 'b');
        if (at < length) v[at] = at % 2 == 0 ? '\\' : '\n';
        return v;
      }();
      std::string expected = value;
      if (at < length) expected.replace(at, 1, at % 2 == 0 ? "\\\\" : "\\n");
      fields f;
      for (int round = 0; round < 2; ++round) {  // the shape built, then reused
        f.clear();
        f.trust_utf8(true);
        f.set("m", value);
        f.add("n", value);
        // add() skips an empty value.
        const std::string n = length == 0 ? "" : ",\"n\":[\"" + expected + "\"]";
        BOOST_TEST(json(f) == "{\"m\":\"" + expected + "\"" + n + "}");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
