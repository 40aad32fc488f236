#include "intel/feed.hpp"

#include <boost/test/unit_test.hpp>

#include "intel_fixture.hpp"
#include "temp_dir.hpp"

using namespace mimamori;
using testing::corpus_present;
using testing::intel_corpus;
using testing::load_text;

namespace {

// The indicators of a finalized store whose value is `value`.
std::vector<intel::indicator_view> find_value(const intel::store& s, std::string_view value) {
  std::vector<intel::indicator_view> out;
  for (intel::indicator_id id = 0; id < s.size(); ++id) {
    if (s.get(id).value == value) out.push_back(s.get(id));
  }
  return out;
}

bool has_message(const intel::load_report& r, std::string_view text) {
  for (const auto& m : r.messages) {
    if (m.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intel_feed)

BOOST_AUTO_TEST_CASE(plain_list_detects_each_line_type_and_skips_comments) {
  intel::store s;
  auto r = load_text(s,
                     "# a comment\n"
                     "; another\n"
                     "\n"
                     "evil.example\n"
                     "192.0.2.1\n"
                     "198.51.100.0/24 ; SBL256893\n"
                     "2001:db8::/32\n"
                     "http://Bad.Example/x\n"
                     "D41D8CD98F00B204E9800998ECF8427E\n"
                     "sfkh21okrrnlu.com,Domain used by bebloh,2016-11-12 15:02\n",
                     intel::feed_format::detect, "lists/blocklist.txt");
  BOOST_TEST(r.ok());
  BOOST_TEST((r.format == intel::feed_format::plain));
  BOOST_TEST(r.feed == "blocklist");
  BOOST_TEST(r.indicators == 7u);
  BOOST_TEST(r.bad == 0u);
  s.finalize();
  BOOST_TEST(find_value(s, "198.51.100.0/24").at(0).description == "SBL256893");
  auto bebloh = find_value(s, "sfkh21okrrnlu.com");
  BOOST_REQUIRE(bebloh.size() == 1u);
  BOOST_TEST((bebloh[0].type == intel::indicator_type::domain));
  BOOST_TEST(bebloh[0].description == "Domain used by bebloh,2016-11-12 15:02");
  BOOST_TEST(bebloh[0].feed == "blocklist");
  BOOST_TEST(find_value(s, "http://bad.example/x").size() == 1u);
  BOOST_TEST(find_value(s, "d41d8cd98f00b204e9800998ecf8427e").size() == 1u);
}

BOOST_AUTO_TEST_CASE(prose_comments_naming_columns_do_not_make_a_plain_list_csv) {
  // A commented header counts only when the data below has its delimiter.
  BOOST_TEST((intel::detect_format("# One indicator a line: domain, address or CIDR block, URL, "
                                   "or file hash.\n203.0.113.200\nbad.example\n") ==
              intel::feed_format::plain));
  BOOST_TEST((intel::detect_format("# id,dateadded,url,url_status,threat,tags\n"
                                   "\"1\",\"2024-01-01\",\"http://x.example/\",\"online\","
                                   "\"malware_download\",\"exe\"\n") == intel::feed_format::csv));
}

BOOST_AUTO_TEST_CASE(plain_list_reports_bad_lines_with_file_and_line_and_goes_on) {
  intel::store s;
  auto r = load_text(s, "evil.example\nnot an indicator here\n256.0.0.1\nok.example\n",
                     intel::feed_format::plain, "bad.txt");
  BOOST_TEST(r.ok());
  BOOST_TEST(r.indicators == 2u);
  BOOST_TEST(r.bad == 2u);
  BOOST_REQUIRE(r.messages.size() == 2u);
  BOOST_TEST(r.messages[0] == "bad.txt:2: cannot tell the indicator type of 'not'");
  BOOST_TEST(r.messages[1] == "bad.txt:3: cannot tell the indicator type of '256.0.0.1'");
}

BOOST_AUTO_TEST_CASE(plain_list_understands_ranges_and_hosts_files) {
  intel::store s;
  auto r = load_text(s,
                     "43.229.53.0\t43.229.53.255\t24\t788\tJapan Inet\n"
                     "10.0.0.1 - 10.0.0.6\n"
                     "0.0.0.0 ads.example\n"
                     "10.0.0.9 10.0.0.8\n",
                     intel::feed_format::plain, "r.txt");
  BOOST_TEST(r.indicators == 1u + 4u + 1u);  // /24; .1/32 .2/31 .4/31 .6/32; domain
  BOOST_TEST(r.bad == 1u);
  BOOST_TEST(has_message(r, "r.txt:4: range ends before it starts"));
  s.finalize();
  BOOST_TEST(find_value(s, "43.229.53.0/24").size() == 1u);
  BOOST_TEST(find_value(s, "10.0.0.2/31").size() == 1u);
  BOOST_TEST(find_value(s, "10.0.0.4/31").size() == 1u);
  BOOST_TEST(find_value(s, "ads.example").size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_forced_type_rejects_lines_of_another_type) {
  intel::store s;
  std::string path;
  auto options = intel::parse_feed_spec("domain:feeds/x.txt", path);
  BOOST_TEST(path == "feeds/x.txt");
  BOOST_REQUIRE(options.type);
  auto r = intel::load_feed_text(s, "evil.example\n192.0.2.1\n", "x.txt", options);
  BOOST_TEST(r.indicators == 1u);
  BOOST_TEST(r.messages.at(0) == "x.txt:2: not a domain: '192.0.2.1'");

  auto csv = intel::parse_feed_spec("csv:/tmp/a:b.csv", path);
  BOOST_TEST((csv.format == intel::feed_format::csv));
  BOOST_TEST(path == "/tmp/a:b.csv");
  auto none = intel::parse_feed_spec("weird:name.txt", path);
  BOOST_TEST((none.format == intel::feed_format::detect));
  BOOST_TEST(path == "weird:name.txt");
}

BOOST_AUTO_TEST_CASE(feodo_tracker_csv_loads_from_the_corpus,
                     *boost::unit_test::precondition(corpus_present())) {
  intel::store s;
  auto r = intel::load_feed(s, intel_corpus() + "/abuse.ch/feodotracker_ipblocklist.csv");
  BOOST_TEST(r.ok(), r.error);
  BOOST_TEST((r.format == intel::feed_format::csv));
  BOOST_TEST(r.indicators == 28u);  // "# END 28 entries"
  BOOST_TEST(r.bad == 0u);
  s.finalize();
  auto ip = find_value(s, "192.9.135.73");
  BOOST_REQUIRE(ip.size() == 1u);
  BOOST_TEST(ip[0].description == "Pikabot");
  BOOST_TEST(ip[0].feed == "feodotracker_ipblocklist");
  BOOST_REQUIRE(ip[0].first_seen);
  BOOST_TEST(ip[0].first_seen->seconds() == 1684864304);  // 2023-05-23 17:51:44 UTC
}

BOOST_AUTO_TEST_CASE(urlhaus_csv_with_a_commented_header_loads) {
  intel::store s;
  auto r = load_text(s,
                     "################################################################\n"
                     "# abuse.ch URLhaus Database Dump (CSV)                          #\n"
                     "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
                     "#\n"
                     "\"2786904\",\"2024-03-19 11:34:09\",\"http://115.55.244.160:41619/Mozi.m\","
                     "\"online\",\"2024-03-19 11:34:09\",\"malware_download\",\"elf,Mozi\","
                     "\"https://urlhaus.abuse.ch/url/2786904/\",\"lrz_urlhaus\"\n"
                     "\"2786905\",\"2024-03-19 11:35:00\",\"http://x.example/\",\"online\"\n",
                     intel::feed_format::detect, "urlhaus.csv");
  BOOST_TEST((r.format == intel::feed_format::csv));
  BOOST_TEST(r.indicators == 1u);
  BOOST_TEST(r.bad == 1u);
  BOOST_TEST(has_message(r, "urlhaus.csv:6: expected 9 fields, found 4"));
  s.finalize();
  auto u = find_value(s, "http://115.55.244.160:41619/Mozi.m");
  BOOST_REQUIRE(u.size() == 1u);
  BOOST_TEST(u[0].provider == "lrz_urlhaus");
  BOOST_TEST(u[0].description == "malware_download");
  BOOST_TEST(u[0].tags == "elf\nMozi");
  BOOST_TEST(u[0].reference == "https://urlhaus.abuse.ch/url/2786904/");
}

BOOST_AUTO_TEST_CASE(urlhaus_json_export_loads_from_the_corpus,
                     *boost::unit_test::precondition(corpus_present())) {
  intel::store s;
  auto r = intel::load_feed(s, "json:" + intel_corpus() +
                                   "/elastic-integrations/ti_abusech/url/test-abusechurl-dump.log");
  BOOST_TEST(r.ok(), r.error);
  BOOST_TEST(r.indicators == 2u);
  BOOST_TEST(r.bad == 0u);
  s.finalize();
  // What Elastic's ti_abusech pipeline gives for the same record.
  auto u = find_value(s, "http://115.55.244.160:41619/Mozi.m");
  BOOST_REQUIRE(u.size() == 1u);
  BOOST_TEST(u[0].provider == "lrz_urlhaus");
  BOOST_REQUIRE(u[0].first_seen);
  BOOST_TEST(u[0].first_seen->seconds() == 1710848049);  // 2024-03-19T11:34:09.000Z
}

BOOST_AUTO_TEST_CASE(json_records_report_bad_lines) {
  intel::store s;
  auto r = load_text(s, "{\"url\":\"http://a.example/\"}\n{broken\n{\"id\":\"1\"}\n",
                     intel::feed_format::json, "u.json");
  BOOST_TEST(r.indicators == 1u);
  BOOST_TEST(r.bad == 2u);
  BOOST_TEST(has_message(r, "u.json:2: not a JSON object"));
  BOOST_TEST(has_message(r, "u.json:3: no indicator value in this record"));
}

BOOST_AUTO_TEST_CASE(misp_event_from_the_corpus_keeps_ids_attributes,
                     *boost::unit_test::precondition(corpus_present())) {
  intel::store s;
  auto r =
      intel::load_feed(s, intel_corpus() + "/pymisp/tests/mispevent_testfiles/existing_event.json");
  BOOST_TEST(r.ok(), r.error);
  BOOST_TEST((r.format == intel::feed_format::misp));
  // 37 sha1, 19 domain and 12 ip-dst attributes have to_ids; text, filename
  // and link attributes are not indicators we match.
  BOOST_TEST(r.indicators == 68u);
  BOOST_TEST(r.skipped == 54u);
  BOOST_TEST(r.bad == 0u);
  s.finalize();
  auto d = find_value(s, "movieultimate.com");
  BOOST_REQUIRE(d.size() == 1u);
  BOOST_TEST(d[0].provider == "CIRCL");
  // The attribute's comment is more precise than the event's title.
  BOOST_TEST(d[0].description == "Xagent Samples");
  auto ip = find_value(s, "87.236.211.182");
  BOOST_REQUIRE(ip.size() == 2u);  // in two objects; indexed once
  BOOST_TEST(ip[0].provider == "CIRCL");
}

BOOST_AUTO_TEST_CASE(misp_compound_types_and_to_ids_and_bad_values) {
  const std::string event = R"({"Event":{"info":"test","Orgc":{"name":"ORG"},
    "Tag":[{"name":"estimative-language:confidence-in-analytic-judgment=\"high\""}],
    "Attribute":[
      {"type":"domain|ip","value":"c2.example|192.0.2.9","to_ids":true,"uuid":"a1"},
      {"type":"ip-dst|port","value":"198.51.100.3|8443","to_ids":"1","uuid":"a2"},
      {"type":"filename|sha256","value":"x.exe|)" +
                            std::string(64, 'a') + R"(","to_ids":true},
      {"type":"url","value":"http://u.example/x","to_ids":false},
      {"type":"domain","value":"deleted.example","to_ids":true,"deleted":true},
      {"type":"hostname","value":"bad host","to_ids":true,"uuid":"a6"}]}})";
  intel::store s;
  auto r = load_text(s, event, intel::feed_format::detect, "event.json");
  BOOST_TEST((r.format == intel::feed_format::misp));
  BOOST_TEST(r.indicators == 4u);
  BOOST_TEST(r.skipped == 2u);
  BOOST_TEST(r.bad == 1u);
  BOOST_TEST(has_message(r, "event.json: attribute a6 value 'bad host' is not a valid hostname"));
  s.finalize();
  BOOST_TEST(find_value(s, "c2.example").size() == 1u);
  BOOST_TEST(find_value(s, "192.0.2.9").size() == 1u);
  BOOST_TEST(find_value(s, "198.51.100.3").size() == 1u);
  BOOST_TEST(find_value(s, std::string(64, 'a')).at(0).confidence == 85);

  intel::store all;
  intel::feed_options options;
  options.misp_all_attributes = true;
  BOOST_TEST(intel::load_feed_text(all, event, "event.json", options).indicators == 5u);
}

BOOST_AUTO_TEST_CASE(misp_feed_directory_loads_every_event_in_the_manifest) {
  testing::temp_dir dir;
  dir.write("manifest.json",
            R"({"uuid-1":{"info":"one","timestamp":"1"},"uuid-2":{"info":"two"},"uuid-3":{}})");
  dir.write("uuid-1.json",
            R"({"Event":{"info":"one","Attribute":[{"type":"domain","value":"one.example"}]}})");
  dir.write("uuid-2.json",
            R"({"Event":{"info":"two","Attribute":[{"type":"ip-src","value":"192.0.2.2"}]}})");
  intel::store s;
  auto r = intel::load_feed(s, dir.file(""));
  BOOST_TEST(r.ok(), r.error);
  BOOST_TEST((r.format == intel::feed_format::misp));
  BOOST_TEST(r.indicators == 2u);
  BOOST_TEST(r.bad == 1u);  // uuid-3.json is missing
  BOOST_TEST(has_message(r, "event uuid-3 listed but unreadable"));
}

BOOST_AUTO_TEST_CASE(stix_bundles_from_the_corpus_load_with_unsupported_patterns_named,
                     *boost::unit_test::precondition(corpus_present())) {
  intel::store s;
  auto r = intel::load_feed(
      s, intel_corpus() + "/stix2/cti-stix2-json-schemas/examples/threat-reports/poisonivy.json");
  BOOST_TEST(r.ok(), r.error);
  BOOST_TEST((r.format == intel::feed_format::stix));
  BOOST_TEST(r.indicators > 40u);
  // "domain autuo.xicp.net" is not a domain name.
  BOOST_TEST(has_message(r, "'domain autuo.xicp.net' is not a valid domain"));
  s.finalize();
  auto d = find_value(s, "www.webserver.dynssl.com");
  BOOST_REQUIRE(d.size() == 1u);
  BOOST_REQUIRE(d[0].valid_from);
  BOOST_TEST(d[0].valid_from->seconds() == 1431681136);  // 2015-05-15T09:12:16Z

  intel::store m;
  auto email = intel::load_feed(
      m,
      intel_corpus() +
          "/stix2/cti-stix2-json-schemas/examples/malicious-email-indicator-with-attachment.json");
  BOOST_TEST(email.unsupported >= 1u);
  BOOST_TEST(has_message(email, ": indicator--"));
  BOOST_TEST(has_message(email, "unsupported comparison on email-message"));
}

BOOST_AUTO_TEST_CASE(stix_patterns_with_or_hashes_and_windows) {
  const std::string bundle = R"({"type":"bundle","id":"bundle--1","objects":[
    {"type":"identity","id":"identity--1","name":"ACME CERT"},
    {"type":"indicator","id":"indicator--1","created_by_ref":"identity--1","confidence":80,
     "pattern":"[file:hashes.'SHA-256' = ')" +
                             std::string(64, 'b') + R"(' OR file:hashes.MD5 = ')" +
                             std::string(32, 'c') + R"('] OR [url:value = 'HTTP://X.example:80/a']",
     "pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","valid_until":"2024-02-01T00:00:00Z"},
    {"type":"indicator","id":"indicator--2","pattern":"[ipv4-addr:value = '192.0.2.1' AND ipv4-addr:value = '192.0.2.2']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"},
    {"type":"indicator","id":"indicator--3","pattern":"[ipv6-addr:value = '2001:db8::/48'] WITHIN 60 SECONDS","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"},
    {"type":"indicator","id":"indicator--4","pattern":"alert tcp any any","pattern_type":"snort","valid_from":"2024-01-01T00:00:00Z"},
    {"type":"indicator","id":"indicator--5","pattern":"[domain-name:value = 'ok.example']","valid_from":"yesterday"}
  ]})";
  intel::store s;
  auto r = load_text(s, bundle, intel::feed_format::detect, "b.json");
  BOOST_TEST((r.format == intel::feed_format::stix));
  BOOST_TEST(r.indicators == 3u);
  BOOST_TEST(r.unsupported == 3u);
  BOOST_TEST(r.bad == 1u);
  BOOST_TEST(has_message(r, "b.json: indicator--2: unsupported pattern: AND/FOLLOWEDBY"));
  BOOST_TEST(has_message(r, "b.json: indicator--3: unsupported pattern: qualifiers"));
  BOOST_TEST(has_message(r, "b.json: indicator--4: pattern_type 'snort' is not supported"));
  BOOST_TEST(has_message(r, "b.json: indicator--5: unreadable valid_from 'yesterday'"));
  s.finalize();
  auto u = find_value(s, "http://x.example/a");
  BOOST_REQUIRE(u.size() == 1u);
  BOOST_TEST(u[0].provider == "ACME CERT");
  BOOST_TEST(u[0].confidence == 80);
  BOOST_REQUIRE(u[0].valid_until);
  BOOST_TEST(u[0].valid_until->seconds() == 1706745600);
}

BOOST_AUTO_TEST_CASE(warninglists_from_the_corpus_drop_benign_indicators,
                     *boost::unit_test::precondition(corpus_present())) {
  intel::store s;
  auto r = load_text(s, "10.1.2.3\n192.168.0.0/24\n8.8.8.8\n172.15.0.1\ngoogle.com\n",
                     intel::feed_format::plain, "mixed.txt");
  BOOST_TEST(r.indicators == 5u);
  auto w = intel::load_feed(s, intel_corpus() + "/misp-warninglists/lists/rfc1918/list.json");
  BOOST_TEST(w.ok(), w.error);
  BOOST_TEST((w.format == intel::feed_format::warninglist));
  BOOST_TEST(w.warninglists == 1u);
  s.finalize();
  BOOST_TEST(s.indexed() == 3u);  // 10.1.2.3 and 192.168.0.0/24 are private
  BOOST_REQUIRE(s.warned().size() == 1u);
  BOOST_TEST(s.warned()[0].second == 2u);

  intel::store all;
  auto whole = intel::load_feed(all, "warninglist:" + intel_corpus() + "/misp-warninglists/lists");
  BOOST_TEST(whole.ok(), whole.error);
  BOOST_TEST(whole.warninglists > 100u);
}

BOOST_AUTO_TEST_CASE(warninglist_types_hostname_string_substring_cidr) {
  intel::store s;
  load_text(s,
            "www.google.com\nevil.example\nhttp://docs.google.com/x\n"
            "tracker.analytics.example\n1.1.1.1\n2606:4700::1\n",
            intel::feed_format::plain, "f.txt");
  auto host = load_text(s,
                        R"({"name":"hosts","type":"hostname","list":["google.com"],
                            "matching_attributes":["domain","hostname","url"]})",
                        intel::feed_format::detect, "hosts/list.json");
  BOOST_TEST((host.format == intel::feed_format::warninglist));
  load_text(s, R"({"name":"sub","type":"substring","list":["analytics"],
                   "matching_attributes":["domain"]})");
  load_text(s, R"({"name":"dns","type":"cidr","list":["1.1.1.0/24","2606:4700::/32"],
                   "matching_attributes":["ip-dst"]})");
  auto bad = load_text(s, R"({"name":"x","type":"fuzzy","list":[]})", intel::feed_format::detect,
                       "x/list.json");
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.error == "x/list.json: unknown warninglist type 'fuzzy'");
  s.finalize();
  BOOST_TEST(s.indexed() == 1u);  // only evil.example is left
  BOOST_TEST(find_value(s, "evil.example").size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_unreadable_feed_is_an_error_naming_the_path) {
  intel::store s;
  auto r = intel::load_feed(s, "/nonexistent/feed.txt");
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error.find("/nonexistent/feed.txt") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplicates_in_one_feed_are_indexed_once) {
  intel::store s;
  load_text(s, "evil.example\nEVIL.example\nevil.example.\n");
  s.finalize();
  BOOST_TEST(s.size() == 3u);
  BOOST_TEST(s.indexed() == 1u);
  BOOST_TEST(s.duplicates() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
