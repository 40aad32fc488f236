#include "sigma/ruleset.hpp"

#include <cctype>
#include <optional>
#include <random>

#include <boost/test/unit_test.hpp>

#include "sigma/alert.hpp"
#include "temp_dir.hpp"

using namespace mimamori;

namespace {

constexpr const char* test_mapping = R"(
fields:
  Image: process.executable
  CommandLine: process.command_line
products:
  windows:
    prefix: winlog.event_data.
    spaced_keys: true
    fields:
      EventID: [winlog.event_id, event.code]
logsources:
  - {product: windows, category: process_creation, when: [
      {winlog.channel: Microsoft-Windows-Sysmon/Operational, winlog.event_id: "1"}]}
  - {product: windows, service: security, when: [{winlog.channel: Security}]}
  - {category: proxy, when: [{event.dataset: squid.access}]}
placeholders:
  Admin_Hosts: [ADM-1, ADM-2]
)";

sigma::mapping make_mapping() {
  testing::temp_dir dir;
  sigma::mapping m;
  std::vector<std::string> errors;
  m.load(dir.write("map.yml", test_mapping), errors);
  BOOST_REQUIRE(errors.empty());
  return m;
}

// One rule on Sysmon process creation with the given detection block.
std::string process_rule(const std::string& detection, const std::string& id = "r1") {
  return "title: t\nid: " + id +
         "\nlogsource: {product: windows, category: process_creation}\ndetection:\n" + detection;
}

// A Sysmon process creation event with these event_data members (JSON text).
std::string process_event(const std::string& event_data) {
  return R"({"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":1,"event_data":{)" +
         event_data + "}}}";
}

struct fixture {
  sigma::ruleset rules{make_mapping()};
  sigma::load_report report;
  event::parser parser;
  std::vector<std::uint32_t> hits;

  void load(const std::string& yaml) { rules.load_text(yaml, "test.yml", report); }
  std::vector<std::uint32_t> match(const std::string& json) {
    BOOST_REQUIRE((parser.parse_copy(json) == event::parse_error::none));
    rules.match(parser.current(), hits);
    return hits;
  }
  bool fires(const std::string& json) { return !match(json).empty(); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(ruleset)

BOOST_FIXTURE_TEST_CASE(modifiers_select_what_they_say, fixture) {
  load(process_rule(R"(
    sel:
        Image|endswith: '\cmd.exe'
        CommandLine|contains|all: ['/c', 'whoami']
    condition: sel
)"));
  BOOST_REQUIRE(report.unsupported.empty());
  BOOST_TEST(fires(process_event(R"("Image":"C:\\Windows\\CMD.EXE","CommandLine":"cmd /c WHOAMI /all")")));
  BOOST_TEST(!fires(process_event(R"("Image":"C:\\Windows\\CMD.EXE","CommandLine":"cmd /c dir")")));
  BOOST_TEST(!fires(process_event(R"("Image":"C:\\x\\cmd.exe.bak","CommandLine":"/c whoami")")));
}

BOOST_FIXTURE_TEST_CASE(rules_see_only_events_of_their_logsource, fixture) {
  load(process_rule("    sel: {Image|endswith: 'cmd.exe'}\n    condition: sel\n"));
  BOOST_TEST(fires(process_event(R"("Image":"cmd.exe")")));
  BOOST_TEST(!fires(R"({"winlog":{"channel":"Security","event_id":1,"event_data":{"Image":"cmd.exe"}}})"));
  BOOST_TEST(!fires(R"({"process":{"executable":"cmd.exe"}})"));
}

BOOST_FIXTURE_TEST_CASE(event_data_comes_first_and_ecs_is_the_fallback, fixture) {
  load(process_rule("    sel: {Image|endswith: 'cmd.exe'}\n    condition: sel\n"));
  BOOST_TEST(fires(R"({"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"1"},)"
                   R"("process":{"executable":"C:\\cmd.exe"}})"));
  // winlog.event_data.Image is there, so process.executable is not consulted.
  BOOST_TEST(!fires(R"({"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":"1",)"
                    R"("event_data":{"Image":"a.exe"}},"process":{"executable":"C:\\cmd.exe"}})"));
}

BOOST_FIXTURE_TEST_CASE(conditions_combine_selections, fixture) {
  load(process_rule(R"(
    sel_a: {CommandLine|contains: 'alpha'}
    sel_b: {CommandLine|contains: 'beta'}
    filter: {CommandLine|contains: 'gamma'}
    condition: (sel_a or sel_b) and not filter
)", "or_not"));
  load(process_rule(R"(
    sel_a: {CommandLine|contains: 'alpha'}
    sel_b: {CommandLine|contains: 'beta'}
    condition: all of sel_*
)", "all_of"));
  load(process_rule(R"(
    sel_a: {CommandLine|contains: 'alpha'}
    sel_b: {CommandLine|contains: 'beta'}
    _hidden: {CommandLine|contains: 'x'}
    condition: 1 of them
)", "one_of_them"));
  load(process_rule(R"(
    s1: {CommandLine|contains: 'alpha'}
    s2: {CommandLine|contains: 'beta'}
    s3: {CommandLine|contains: 'gamma'}
    condition: 2 of s*
)", "two_of"));
  BOOST_REQUIRE(report.unsupported.empty());
  auto ids = [&](const std::string& cmd) {
    std::string out;
    for (auto h : match(process_event(R"("CommandLine":")" + cmd + "\""))) out += rules.rules()[h].id + " ";
    return out;
  };
  BOOST_TEST(ids("alpha") == "or_not one_of_them ");
  BOOST_TEST(ids("alpha beta") == "or_not all_of one_of_them two_of ");
  BOOST_TEST(ids("alpha gamma") == "one_of_them two_of ");
  BOOST_TEST(ids("x") == "");
}

BOOST_FIXTURE_TEST_CASE(null_exists_fieldref_and_numbers, fixture) {
  load(process_rule(R"(
    sel:
        User: null
        ParentImage|exists: true
        CommandLine|fieldref: ParentCommandLine
        ProcessId|gt: 100
    condition: sel
)"));
  BOOST_REQUIRE(report.unsupported.empty());
  BOOST_TEST(fires(process_event(
      R"("ParentImage":"p","CommandLine":"A b","ParentCommandLine":"a B","ProcessId":101)")));
  BOOST_TEST(fires(process_event(
      R"("User":null,"ParentImage":"p","CommandLine":"x","ParentCommandLine":"x","ProcessId":"4000")")));
  BOOST_TEST(!fires(process_event(
      R"("User":"bob","ParentImage":"p","CommandLine":"x","ParentCommandLine":"x","ProcessId":101)")));
  BOOST_TEST(!fires(process_event(R"("CommandLine":"x","ParentCommandLine":"x","ProcessId":101)")));
  BOOST_TEST(!fires(process_event(
      R"("ParentImage":"p","CommandLine":"x","ParentCommandLine":"y","ProcessId":101)")));
  BOOST_TEST(!fires(process_event(
      R"("ParentImage":"p","CommandLine":"x","ParentCommandLine":"x","ProcessId":100)")));
}

BOOST_FIXTURE_TEST_CASE(numbers_and_strings_compare_as_text_and_arrays_match_any, fixture) {
  load(R"(title: t
id: n
logsource: {product: windows, service: security}
detection:
    sel:
        EventID: 4624
        Tags: 'b*'
    condition: sel
)");
  BOOST_REQUIRE(report.unsupported.empty());
  BOOST_TEST(fires(R"({"winlog":{"channel":"Security","event_id":4624,"event_data":{"Tags":["a","bc"]}}})"));
  BOOST_TEST(fires(R"({"winlog":{"channel":"Security","event_id":"4624","event_data":{"Tags":"b"}}})"));
  BOOST_TEST(!fires(R"({"winlog":{"channel":"Security","event_id":4625,"event_data":{"Tags":"b"}}})"));
  BOOST_TEST(!fires(R"({"winlog":{"channel":"Security","event_id":4624,"event_data":{"Tags":["a"]}}})"));
}

BOOST_FIXTURE_TEST_CASE(keywords_search_every_string_of_the_event, fixture) {
  load(R"(title: t
id: k
logsource: {category: proxy}
detection:
    keywords:
        - 'evil.example'
        - '/wp-login'
    condition: keywords
)");
  BOOST_REQUIRE(report.unsupported.empty());
  BOOST_TEST(fires(R"({"event":{"dataset":"squid.access"},"url":{"full":"http://EVIL.example/x"}})"));
  BOOST_TEST(fires(R"({"event":{"dataset":"squid.access","original":"GET /wp-login.php"}})"));
  BOOST_TEST(!fires(R"({"event":{"dataset":"squid.access"},"url":{"full":"http://good.example/"}})"));
}

BOOST_FIXTURE_TEST_CASE(expand_takes_placeholder_values_from_the_mapping, fixture) {
  load(R"(title: t
id: e
logsource: {product: windows, service: security}
detection:
    sel: {WorkstationName|expand: '%Admin_Hosts%'}
    condition: sel
)");
  BOOST_REQUIRE(report.unsupported.empty());
  BOOST_TEST(fires(R"({"winlog":{"channel":"Security","event_data":{"WorkstationName":"adm-2"}}})"));
  BOOST_TEST(!fires(R"({"winlog":{"channel":"Security","event_data":{"WorkstationName":"pc-1"}}})"));
}

BOOST_FIXTURE_TEST_CASE(shared_tests_run_once_per_event_and_rule_order_is_load_order, fixture) {
  load(process_rule("    sel: {Image|endswith: 'x.exe'}\n    condition: sel\n", "first"));
  load(process_rule("    sel: {Image|endswith: 'x.exe'}\n    condition: not sel\n", "second"));
  load(process_rule("    sel: {Image|endswith: 'x.exe'}\n    condition: sel\n", "third"));
  auto h = match(process_event(R"("Image":"x.exe")"));
  BOOST_REQUIRE(h.size() == 2u);
  BOOST_TEST(rules.rules()[h[0]].id == "first");
  BOOST_TEST(rules.rules()[h[1]].id == "third");
  BOOST_TEST(match(process_event(R"("Image":"y.exe")")).size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(prefilters_never_hide_a_match, fixture) {
  // Globs are prefiltered by their longest literal run, keywords by a scan
  // of every string, negations and short globs are always evaluated; each
  // must still decide exactly as a plain evaluation would.
  load(process_rule("    sel: {CommandLine: '*net*user*/add*'}\n    condition: sel\n", "glob"));
  load(process_rule("    kw: ['*mimi*katz*']\n    condition: kw\n", "keyword_glob"));
  load(process_rule("    kw: ['sekurlsa']\n    condition: kw\n", "keyword"));
  load(process_rule("    sel: {CommandLine: 'a?c'}\n    condition: sel\n", "short_glob"));
  load(process_rule("    sel: {CommandLine|contains: 'zzz'}\n    condition: not sel\n", "negated"));
  load(process_rule("    sel: {CommandLine|contains: 'net'}\n    f: {Image|endswith: 'x'}\n"
                    "    condition: sel and not f\n", "and_not"));
  BOOST_REQUIRE(report.unsupported.empty());
  auto ids = [&](const std::string& data) {
    std::string out;
    for (auto h : match(process_event(data))) out += rules.rules()[h].id + " ";
    return out;
  };
  BOOST_TEST(ids(R"("CommandLine":"NET USER bob pw /ADD")") == "glob negated and_not ");
  BOOST_TEST(ids(R"("CommandLine":"net user bob","Image":"x")") == "negated ");
  BOOST_TEST(ids(R"("CommandLine":"MimiKatz sekurlsa::logonpasswords")") == "keyword_glob keyword negated ");
  BOOST_TEST(ids(R"("CommandLine":"abc")") == "short_glob negated ");
  BOOST_TEST(ids(R"("CommandLine":["zzz","net user x /add"])") == "glob and_not ");
  BOOST_TEST(ids(R"("CommandLine":"zzz")") == "");
}

BOOST_FIXTURE_TEST_CASE(windows_names_with_spaces_are_found_without_them, fixture) {
  load(R"(title: t
id: s
logsource: {product: windows, service: security}
detection:
    sel: {SourceName: 'Real-Time Protection', ThreatName|endswith: 'EICAR_Test_File'}
    condition: sel
)");
  BOOST_REQUIRE(report.unsupported.empty());
  BOOST_TEST(fires(R"({"winlog":{"channel":"Security","event_data":{"Source Name":"Real-Time Protection",)"
                   R"("Threat Name":"Virus:DOS/EICAR_Test_File"}}})"));
  BOOST_TEST(fires(R"({"winlog":{"channel":"Security","event_data":{"SourceName":"Real-Time Protection",)"
                   R"("ThreatName":"Virus:DOS/EICAR_Test_File"}}})"));
  BOOST_TEST(!fires(R"({"winlog":{"channel":"Security","event_data":{"Source  Namex":"Real-Time Protection",)"
                    R"("Threat Name":"Virus:DOS/EICAR_Test_File"}}})"));
}

struct refused {
  std::string detection;
  std::string category;
  std::string reason_part;
};

BOOST_FIXTURE_TEST_CASE(rules_that_cannot_be_supported_are_reported_and_skipped, fixture) {
  const refused cases[] = {
      {"    sel: {Image|endwith: 'x'}\n    condition: sel\n", "unknown modifier", "did you mean 'endswith'"},
      {"    sel: {Image|re: '(?!x)y'}\n    condition: sel\n", "regex refused by RE2", "regex refused"},
      {"    sel: {Image: 'x'}\n    condition: sel | count() > 5\n", "aggregation in condition", "count()"},
      {"    sel: {Image: 'x'}\n    condition: sel and filter\n", "bad condition", "'filter'"},
      {"    sel: {Image: 'x'}\n    condition: (sel\n", "bad condition", "missing ')'"},
      {"    sel: {Image: 'x'}\n    condition: 1 of nothing*\n", "bad condition", "no detection name"},
      {"    sel: {Image|expand: '%nope%'}\n    condition: sel\n", "unresolved placeholder", "%nope%"},
      {"    sel: {Image|cidr: 'x'}\n    condition: sel\n", "bad value", "CIDR"},
      {"    sel: {Image|i: 'x'}\n    condition: sel\n", "bad modifier", "only follows 're'"},
      {"    sel: {Image|base64: 'a*'}\n    condition: sel\n", "bad value", "wildcards"},
      {"    sel: {Image: []}\n    condition: sel\n", "bad detection", "empty value list"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.detection) {
      sigma::load_report r;
      rules.load_text(process_rule(c.detection), "bad.yml", r);
      BOOST_TEST(r.loaded == 0u);
      BOOST_REQUIRE(r.unsupported.size() == 1u);
      BOOST_TEST(r.unsupported[0].category == c.category);
      BOOST_TEST(r.unsupported[0].reason.find(c.reason_part) != std::string::npos, r.unsupported[0].reason);
      BOOST_TEST(r.unsupported[0].file == "bad.yml");
      BOOST_TEST(r.unsupported[0].id == "r1");
      BOOST_TEST(r.unsupported[0].line > 4);
    }
  }
  BOOST_TEST(rules.rules().empty());
}

BOOST_FIXTURE_TEST_CASE(bad_documents_do_not_stop_the_others, fixture) {
  load("title: a\nid: x\nlogsource: {product: nothing}\ndetection: {sel: {a: b}, condition: sel}\n"
       "---\ntitle: c\ncorrelation: {type: event_count}\n"
       "---\n" + process_rule("    sel: {Image: 'x'}\n    condition: sel\n", "good"));
  load("title: [unclosed\n");
  BOOST_TEST(report.loaded == 1u);
  BOOST_REQUIRE(report.unsupported.size() == 2u);
  BOOST_TEST(report.unsupported[0].category == "logsource not mapped");
  BOOST_TEST(report.unsupported[1].category == "YAML syntax");
  BOOST_TEST(report.unsupported[1].line == 2);
  BOOST_TEST(rules.rules().at(0).id == "good");
  // The correlation is kept for sigma::correlation_engine, which judges it.
  BOOST_TEST(rules.meta_documents().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(alerts_carry_rule_attack_and_event_fields, fixture) {
  load(R"(title: Whoami
id: 11111111-2222-3333-4444-555555555555
description: d
author: me
date: 2024-01-01
modified: 2024-02-02
references: [https://example.org/a, https://example.org/b]
tags: [attack.discovery, attack.t1033, attack.t1059.003, cve.2021-1]
level: high
logsource: {product: windows, category: process_creation}
detection: {sel: {Image|endswith: whoami.exe}, condition: sel}
)");
  const std::string json = R"({"@timestamp":"2024-03-01T00:00:00.000Z","event":{"id":"ev-1","original":"raw"},)"
                           R"("organization":{"id":"acme"},"host":{"name":"pc"},)"
                           R"("winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":1,)"
                           R"("event_data":{"Image":"C:\\whoami.exe"}}})";
  BOOST_REQUIRE(match(json).size() == 1u);
  std::string out;
  sigma::write_alert(out, rules.rules()[hits[0]], parser.current());
  BOOST_TEST(out ==
             R"({"@timestamp":"2024-03-01T00:00:00.000Z","event":{"kind":"alert","module":"sigma",)"
             R"("category":["intrusion_detection"],"severity":70,"original":"raw"},)"
             R"("rule":{"id":"11111111-2222-3333-4444-555555555555","name":"Whoami","description":"d",)"
             R"("reference":"https://example.org/a","ruleset":"sigma","version":"2024-02-02","author":"me",)"
             R"("level":"high"},"threat":{"framework":"MITRE ATT&CK","tactic":{"id":["TA0007"],)"
             R"("name":["Discovery"]},"technique":{"id":["T1033","T1059"],"subtechnique":{"id":["T1059.003"]}}},)"
             R"("organization":{"id":"acme"},"host":{"name":"pc"},"mimamori":{"alert":{"event_ids":["ev-1"]}}})");
}

BOOST_AUTO_TEST_CASE(the_shipped_mapping_loads_and_maps_windows_fields) {
  sigma::mapping m;
  std::vector<std::string> errors;
  m.load(std::string(MIMAMORI_SOURCE_DIR) + "/rules/mappings/ecs.yml", errors);
  BOOST_TEST(errors.empty());
  const auto image = m.paths("windows", "Image");
  BOOST_REQUIRE(image.size() >= 3u);
  BOOST_TEST(image[0] == "winlog.event_data.Image");
  BOOST_TEST(image[1] == "winlog.user_data.Image");
  BOOST_TEST(image[2] == "process.executable");
  BOOST_TEST(m.paths("windows", "EventID").at(0) == "winlog.event_id");
  BOOST_TEST(m.paths("", "c-uri").at(0) == "url.original");
  BOOST_TEST(m.select({"windows", "process_creation", ""}).has_value());
  BOOST_TEST(m.select({"", "proxy", ""}).has_value());
  BOOST_TEST(!m.select({"nothing", "", ""}).has_value());
}

BOOST_AUTO_TEST_CASE(mapping_errors_name_file_line_and_column) {
  testing::temp_dir dir;
  sigma::mapping m;
  std::vector<std::string> errors;
  const std::string path = dir.write("m.yml", "fields:\n  Image: {a: b}\nlogsources:\n  - {product: x}\nbogus: 1\n");
  m.load(path, errors);
  BOOST_REQUIRE(errors.size() == 3u);
  BOOST_TEST(errors[0] == path + ":2:10: 'Image' must be a string or a list of strings");
  BOOST_TEST(errors[1].find(path + ":4:5: a logsource entry needs") == 0u);
  BOOST_TEST(errors[2] == path + ":5:1: unknown section 'bogus' (fields, products, logsources, placeholders)");
  m.load(dir.file("absent.yml"), errors);
  BOOST_TEST(errors.back() == dir.file("absent.yml") + ": cannot read the mapping file");
}

BOOST_FIXTURE_TEST_CASE(keyword_tests_compare_without_case_at_their_place, fixture) {
  // Keyword maps with modifiers test every string of the event: equal,
  // at its start or at its end, ignoring ASCII case.
  load(process_rule("    kw: {'|startswith': 'Invoke-'}\n    condition: kw\n", "starts"));
  load(process_rule("    kw: {'|endswith': '.PS1'}\n    condition: kw\n", "ends"));
  load(process_rule("    kw: {'|all': ['Mimi', 'KATZ']}\n    condition: kw\n", "all"));
  BOOST_REQUIRE(report.unsupported.empty());
  auto ids = [&](const std::string& data) {
    std::string out;
    for (auto h : match(process_event(data))) out += rules.rules()[h].id + " ";
    return out;
  };
  BOOST_TEST(ids(R"("CommandLine":"invoke-expression x.ps1")") == "starts ends ");
  BOOST_TEST(ids(R"("CommandLine":"x invoke-expression","Image":"INVOKE-")") == "starts ");
  BOOST_TEST(ids(R"("CommandLine":"a.ps","Image":"ps1")") == "");
  BOOST_TEST(ids(R"("CommandLine":"Invoke-","Image":".ps1")") == "starts ends ");
  BOOST_TEST(ids(R"("CommandLine":"mimi","Image":"katz")") == "all ");
  BOOST_TEST(ids(R"("CommandLine":"mimikatz")") == "");
}

BOOST_FIXTURE_TEST_CASE(conditions_decide_the_same_whatever_runs_first, fixture) {
  // Cheap tests run before regexes and keyword walks (and/or children are
  // reordered): every combination must still decide as written.
  const std::string re_img =
      "    re: {CommandLine|re: 'net\\s+user'}\n    img: {Image|endswith: '\\net.exe'}\n";
  load(process_rule(re_img + "    condition: re and img\n", "and"));
  load(process_rule(re_img + "    condition: re or img\n", "or"));
  load(process_rule(re_img + "    condition: img and not re\n", "not"));
  load(process_rule(re_img + "    kw: ['/add']\n    condition: 2 of them\n", "two"));
  BOOST_REQUIRE(report.unsupported.empty());
  auto ids = [&](const std::string& data) {
    std::string out;
    for (auto h : match(process_event(data))) out += rules.rules()[h].id + " ";
    return out;
  };
  BOOST_TEST(ids(R"("Image":"C:\\net.exe","CommandLine":"net  user bob")") == "and or two ");
  BOOST_TEST(ids(R"("Image":"C:\\net.exe","CommandLine":"net group")") == "or not ");
  BOOST_TEST(ids(R"("Image":"C:\\x.exe","CommandLine":"net user bob /add")") == "or two ");
  BOOST_TEST(ids(R"("Image":"C:\\net.exe","CommandLine":"x /add")") == "or not two ");
  BOOST_TEST(ids(R"("Image":"C:\\x.exe","CommandLine":"dir")") == "");
}

// Equality literals are looked up in a hash table of whole texts, the
// others found by one scan of the field, and each rule's prefilter prefers
// tests that few rules share; none of it may change what matches. Random
// rules over a small pool of literals (so that rules share tests, and the
// same literal is an equality for some and a substring for others) against
// brute force.
BOOST_FIXTURE_TEST_CASE(literal_tests_decide_as_brute_force, fixture) {
  std::mt19937 rng(17);
  const std::string alphabet = "abAB.-";
  auto random_text = [&](std::size_t min, std::size_t max) {
    std::string t(min + rng() % (max - min + 1), ' ');
    for (char& c : t) c = alphabet[rng() % alphabet.size()];
    return t;
  };
  auto lower = [](std::string t) {
    for (char& c : t) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return t;
  };
  std::vector<std::string> pool;
  for (int k = 0; k < 10; ++k) pool.push_back(random_text(1, 4));
  const std::vector<std::string> fields{"CommandLine", "Image"};
  const std::vector<std::string> modifiers{"", "|contains", "|startswith", "|endswith"};
  struct item {
    std::size_t field = 0, modifier = 0;
    std::string literal;
  };
  struct rule_spec {
    std::vector<item> items;  // selections a and b
    bool any = false;         // a or b, else a and b
  };
  std::vector<rule_spec> specs;
  for (int r = 0; r < 60; ++r) {
    rule_spec spec;
    spec.any = rng() % 3 == 0;
    std::string detection;
    for (const char* name : {"a", "b"}) {
      item it{rng() % 2, rng() % 4 == 0 ? 1 + rng() % 3 : 0, pool[rng() % pool.size()]};
      detection += std::string("    ") + name + ": {" + fields[it.field] + modifiers[it.modifier] + ": '" +
                   it.literal + "'}\n";
      spec.items.push_back(it);
    }
    detection += spec.any ? "    condition: a or b\n" : "    condition: a and b\n";
    load(process_rule(detection, "r" + std::to_string(r)));
    specs.push_back(spec);
  }
  BOOST_REQUIRE(report.unsupported.empty());
  auto holds = [&](const item& it, const std::optional<std::string>& value) {
    if (!value) return false;
    const std::string v = lower(*value), l = lower(it.literal);
    switch (it.modifier) {
      case 1: return v.find(l) != std::string::npos;
      case 2: return v.starts_with(l);
      case 3: return v.ends_with(l);
      default: return v == l;
    }
  };
  std::size_t matched = 0;
  for (int e = 0; e < 400; ++e) {
    std::optional<std::string> values[2];
    std::string data;
    for (std::size_t f = 0; f < 2; ++f) {
      switch (rng() % 4) {
        case 0: continue;  // absent
        case 1: values[f] = pool[rng() % pool.size()]; break;
        default: values[f] = random_text(0, 8); break;
      }
      for (char& c : *values[f]) {
        if (rng() % 2 == 0) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      if (!data.empty()) data += ',';
      data += "\"" + fields[f] + "\":\"" + *values[f] + "\"";
    }
    std::vector<std::uint32_t> expected;
    for (std::uint32_t r = 0; r < specs.size(); ++r) {
      const auto& items = specs[r].items;
      const bool a = holds(items[0], values[items[0].field]), b = holds(items[1], values[items[1].field]);
      if (specs[r].any ? a || b : a && b) expected.push_back(r);
    }
    matched += expected.size();
    BOOST_TEST(match(process_event(data)) == expected, "event " << data);
  }
  BOOST_TEST(matched > 400u);
}

BOOST_AUTO_TEST_SUITE_END()
