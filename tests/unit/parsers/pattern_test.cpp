// Tests for parsers/pattern.hpp: the rulebase field syntax compiled to RE2.
#include <boost/test/unit_test.hpp>

#include <re2/re2.h>

#include <string>

#include "parsers/pattern.hpp"

using namespace mimamori::parsers;

namespace {

// The captures of `line` under `pattern`, "name=value;..." ("no match").
std::string captures_of(std::string_view pattern, std::string_view line) {
  const pattern_result r = compile_field_pattern(pattern);
  BOOST_REQUIRE_MESSAGE(!r.error.has_value(), (r.error ? r.error->message : std::string()));
  RE2 re(r.pattern.regex, RE2::Latin1);
  BOOST_REQUIRE_MESSAGE(re.ok(), re.error());
  const int n = re.NumberOfCapturingGroups();
  BOOST_REQUIRE_EQUAL(static_cast<std::size_t>(n), r.pattern.captures.size());
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(n) + 1);
  if (!re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED,
                groups.data(), n + 1))
    return "no match";
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += r.pattern.captures[static_cast<std::size_t>(i)].name + "=" +
           std::string(groups[static_cast<std::size_t>(i) + 1].data(),
                       groups[static_cast<std::size_t>(i) + 1].size()) +
           ";";
  }
  return out;
}

std::string error_of(std::string_view pattern) {
  const pattern_result r = compile_field_pattern(pattern);
  return r.error ? std::to_string(r.error->column) + ": " + r.error->message : "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(field_pattern)

BOOST_AUTO_TEST_CASE(captures_typed_fields_between_literals) {
  BOOST_TEST(captures_of("%user:word% from %src:ipv4% port %port:number% %-:rest%",
                         "root from 203.0.113.9 port 50022 ssh2") ==
             "user=root;src=203.0.113.9;port=50022;");
}

BOOST_AUTO_TEST_CASE(is_anchored_at_both_ends) {
  BOOST_TEST(captures_of("%a:number%", "12x") == "no match");
  BOOST_TEST(captures_of("%a:number%", "x12") == "no match");
  BOOST_TEST(captures_of("%a:number%", "12") == "a=12;");
}

BOOST_AUTO_TEST_CASE(literal_text_is_quoted_not_regex) {
  // "." and "(" in the literal are themselves, not regex syntax.
  BOOST_TEST(captures_of("v1.0 (%x:word%)", "v1.0 (ok)") == "x=ok;");
  BOOST_TEST(captures_of("v1.0 (%x:word%)", "v1x0 (ok)") == "no match");
  BOOST_TEST(captures_of("100%% %x:word%", "100% done") == "x=done;");
}

BOOST_AUTO_TEST_CASE(char_to_stops_before_its_character) {
  BOOST_TEST(captures_of("[%t:char-to:]%] %host:char-to::%:%port:number%",
                         "[10.30 16:49:06] a.example:443") == "t=10.30 16:49:06;host=a.example;port=443;");
}

BOOST_AUTO_TEST_CASE(quoted_string_captures_inside_the_quotes) {
  BOOST_TEST(captures_of("msg=%m:quoted-string% end", "msg=\"a b c\" end") == "m=a b c;");
}

BOOST_AUTO_TEST_CASE(ip_types_take_v4_and_v6) {
  BOOST_TEST(captures_of("%a:ip% %b:ip%", "10.0.0.1 2001:db8::1") == "a=10.0.0.1;b=2001:db8::1;");
  BOOST_TEST(captures_of("%a:ipv4%", "host.example") == "no match");
}

BOOST_AUTO_TEST_CASE(dates_match_their_forms) {
  BOOST_TEST(captures_of("%t:date-rfc3164% %r:rest%", "Oct  3 02:58:02 x") ==
             "t=Oct  3 02:58:02;r=x;");
  BOOST_TEST(captures_of("%t:date-iso% %r:rest%", "2024-10-03T02:58:02.5+09:00 x") ==
             "t=2024-10-03T02:58:02.5+09:00;r=x;");
}

BOOST_AUTO_TEST_CASE(types_imply_conversions) {
  const pattern_result r = compile_field_pattern("%a:number% %b:ipv4% %c:date-rfc3164% %d:word%");
  BOOST_REQUIRE(!r.error.has_value());
  BOOST_TEST(static_cast<int>(r.pattern.captures[0].implied) == static_cast<int>(value_type::integer));
  BOOST_TEST(static_cast<int>(r.pattern.captures[1].implied) == static_cast<int>(value_type::ip));
  BOOST_TEST(static_cast<int>(r.pattern.captures[2].implied) ==
             static_cast<int>(value_type::timestamp));
  BOOST_TEST(r.pattern.captures[2].implied_format == "rfc3164");
  BOOST_TEST(static_cast<int>(r.pattern.captures[3].implied) == static_cast<int>(value_type::string));
}

BOOST_AUTO_TEST_CASE(skipped_fields_do_not_capture) {
  const pattern_result r = compile_field_pattern("%-:word% %x:word% %-:quoted-string%");
  BOOST_REQUIRE(!r.error.has_value());
  BOOST_TEST(r.pattern.captures.size() == 1U);
  BOOST_TEST(captures_of("%-:word% %x:word% %-:quoted-string%", "a b \"c d\"") == "x=b;");
}

BOOST_AUTO_TEST_CASE(pieces_say_where_they_start) {
  const pattern_result r = compile_field_pattern("ab %x:word% cd");
  BOOST_REQUIRE(!r.error.has_value());
  BOOST_REQUIRE_EQUAL(r.pattern.pieces.size(), 3U);
  BOOST_TEST(r.pattern.pieces[1].text == "%x:word%");
  BOOST_TEST(r.pattern.pieces[1].column == 4U);
  BOOST_TEST(r.pattern.pieces[2].column == 12U);
}

BOOST_AUTO_TEST_CASE(reports_bad_patterns_with_their_column) {
  BOOST_TEST(error_of("a %x:word") == "3: field '%' is not closed by another '%' (write %% for a literal %)");
  BOOST_TEST(error_of("%x%") == "1: field '%x%' has no type (%NAME:TYPE%)");
  BOOST_TEST(error_of("ab %x:wrod%").rfind("7: unknown field type 'wrod' (known: word, ", 0) == 0);
  BOOST_TEST(error_of("%x y:word%") ==
             "2: field name 'x y' is not letters, digits, '_', '.' or '@' (or '-' to skip)");
  BOOST_TEST(error_of("%x:word% %x:word%") == "11: field name 'x' is used twice");
  BOOST_TEST(error_of("%x:char-to%") == "1: char-to takes one character: %x:char-to:C% (up to the first C)");
  BOOST_TEST(error_of("%x:word:y%") == "1: field type 'word' takes no argument");
}

BOOST_AUTO_TEST_CASE(regex_fields_take_their_own_regex) {
  // The regex may hold ':' and, doubled, '%'; it is one capture.
  BOOST_TEST(captures_of("id=%id:regex:[A-Z]{2}-[0-9]+(?::[0-9]+)?% load=%pct:regex:[0-9]+%%% end",
                         "id=AB-12:7 load=93% end") == "id=AB-12:7;pct=93%;");
  BOOST_TEST(captures_of("id=%id:regex:[A-Z]{2}-[0-9]+% end", "id=ab-12 end") == "no match");
  // Flags stay inside the field.
  BOOST_TEST(captures_of("%a:regex:(?i)get|post% x", "GET x") == "a=GET;");
  BOOST_TEST(captures_of("%a:regex:(?i)get% x", "get X") == "no match");
  // Skipped: matched, not captured.
  BOOST_TEST(captures_of("%-:regex:v[0-9]+% %n:number%", "v12 34") == "n=34;");
}

BOOST_AUTO_TEST_CASE(reports_bad_regex_fields_at_the_regex) {
  BOOST_TEST(error_of("ab %x:regex:[0-9%") == "13: regex of field 'x': missing ]: [0-9");
  BOOST_TEST(error_of("%x:regex:(a|b)%") ==
             "10: regex of field 'x' has a capturing group; write (?:...) (the field is the capture)");
  BOOST_TEST(error_of("%x:regex%") == "1: regex takes a pattern: %x:regex:RE%");
  BOOST_TEST(error_of("%x:regex:%") == "1: regex takes a pattern: %x:regex:RE%");
  BOOST_TEST(error_of("%x:regex:a%%b") ==
             "1: regex field is not closed by a '%' (write %% for a % in the regex)");
}

BOOST_AUTO_TEST_CASE(names_value_types) {
  BOOST_TEST(value_type_named("long").has_value());
  BOOST_TEST(value_type_named("timestamp").has_value());
  BOOST_TEST(!value_type_named("ipaddress").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
