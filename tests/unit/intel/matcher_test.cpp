#include "intel/matcher.hpp"

#include <cstdint>
#include <random>
#include <set>
#include <tuple>

#include <boost/test/unit_test.hpp>

#include "intel/alert.hpp"
#include "intel_fixture.hpp"

using namespace mimamori;
using testing::event_match;
using testing::load_text;

namespace {

// The indicator values hit by one event, in hit order, as "value@field".
std::vector<std::string> hits_of(const intel::store& s, std::string_view event) {
  intel::matcher m(s);
  event_match em;
  std::vector<std::string> out;
  for (const auto& h : em.run(m, event)) {
    out.push_back(std::string(s.get(h.indicator).value) + "@" +
                  std::string(intel::field_path(h.field)));
  }
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(intel_matcher)

BOOST_AUTO_TEST_CASE(a_domain_matches_itself_and_every_subdomain_only) {
  intel::store s;
  load_text(s, "evil.example\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"evil.example"}})") ==
             strings{"evil.example@destination.domain"});
  BOOST_TEST(hits_of(s, R"({"dns":{"question":{"name":"A.B.Evil.Example."}}})") ==
             strings{"evil.example@dns.question.name"});
  BOOST_TEST(hits_of(s, R"({"tls":{"client":{"server_name":"x.evil.example"}}})") ==
             strings{"evil.example@tls.client.server_name"});
  BOOST_TEST(hits_of(s, R"({"url":{"domain":"cdn.evil.example"}})") ==
             strings{"evil.example@url.domain"});
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"notevil.example"}})").empty());
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"evil.example.com"}})").empty());
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"example"}})").empty());
}

BOOST_AUTO_TEST_CASE(one_indicator_is_reported_once_per_event) {
  intel::store s;
  load_text(s, "evil.example\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"evil.example"},)"
                        R"("url":{"domain":"evil.example","full":"http://evil.example/"}})")
                 .size() == 1u);
}

BOOST_AUTO_TEST_CASE(ipv4_exact_and_cidr_blocks_match_through_the_prefix_index) {
  intel::store s;
  load_text(s, "192.0.2.1\n198.51.100.0/24\n198.51.0.0/16\n10.0.0.0/8\n0.0.0.0/0\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"source":{"ip":"192.0.2.1"}})") ==
             (strings{"192.0.2.1@source.ip", "0.0.0.0/0@source.ip"}));
  BOOST_TEST(hits_of(s, R"({"destination":{"ip":"198.51.100.77"}})") ==
             (strings{"198.51.100.0/24@destination.ip", "198.51.0.0/16@destination.ip",
                      "0.0.0.0/0@destination.ip"}));
  BOOST_TEST(hits_of(s, R"({"destination":{"ip":"198.51.101.1"}})") ==
             (strings{"198.51.0.0/16@destination.ip", "0.0.0.0/0@destination.ip"}));
  // An IPv6 address is not inside IPv4 blocks.
  BOOST_TEST(hits_of(s, R"({"destination":{"ip":"2001:db8::1"}})").empty());
}

BOOST_AUTO_TEST_CASE(large_ipv4_sets_find_blocks_at_their_edges_through_the_24_gate) {
  // Over 4096 IPv4 indicators the store puts a /24 bitmap in front of its
  // prefix lengths; the same blocks in a small store (no bitmap) must give
  // the same hits at every edge, and the many addresses must still match.
  const std::string blocks =
      "2.0.0.0/7\n203.0.112.0/20\n198.18.2.0/23\n192.0.2.128/25\n100.127.255.254/31\n"
      "172.16.5.9\n";
  std::string large_feed = blocks;
  for (int i = 0; i < 5000; ++i) {
    large_feed += "100.64." + std::to_string(i / 250) + "." + std::to_string(i % 250) + "\n";
  }
  intel::store small, large;
  load_text(small, blocks);
  small.finalize();
  load_text(large, large_feed);
  large.finalize();
  BOOST_TEST(large.indexed() == 5006u);
  const std::vector<std::string> edges = {
      "1.255.255.255", "2.0.0.0",       "3.255.255.255", "4.0.0.0",       "203.0.111.255",
      "203.0.112.0",   "203.0.127.255", "203.0.128.0",   "198.18.1.255",  "198.18.2.0",
      "198.18.3.255",  "198.18.4.0",    "192.0.2.127",   "192.0.2.128",   "192.0.2.255",
      "192.0.3.0",     "100.127.255.253", "100.127.255.254", "100.127.255.255", "172.16.5.9",
      "172.16.5.8",    "172.16.6.9"};
  std::size_t matched = 0;
  for (const std::string& ip : edges) {
    const std::string event = R"({"source":{"ip":")" + ip + R"("}})";
    const strings expected = hits_of(small, event);
    matched += expected.empty() ? 0 : 1;
    BOOST_TEST(hits_of(large, event) == expected, ip);
  }
  BOOST_TEST(matched == 11u);
  BOOST_TEST(hits_of(large, R"({"destination":{"ip":"100.64.19.249"}})") ==
             strings{"100.64.19.249@destination.ip"});
  BOOST_TEST(hits_of(large, R"({"destination":{"ip":"100.64.20.0"}})").empty());
  BOOST_TEST(hits_of(large, R"({"destination":{"ip":"100.64.0.250"}})").empty());
}

BOOST_AUTO_TEST_CASE(find_v4_finds_what_find_ip_finds) {
  // Random blocks of every length and addresses, in a store large enough
  // for the /24 gate; addresses near the blocks and anywhere.
  std::mt19937 random(7);
  auto quad = [](std::uint32_t a) {
    return std::to_string(a >> 24) + "." + std::to_string(a >> 16 & 255) + "." +
           std::to_string(a >> 8 & 255) + "." + std::to_string(a & 255);
  };
  std::string feed;
  std::vector<std::uint32_t> near;
  for (int i = 0; i < 6000; ++i) {
    std::uint32_t a = static_cast<std::uint32_t>(random());
    near.push_back(a);
    feed += quad(a);
    if (i % 3 != 0) feed += "/" + std::to_string(i % 33);
    feed += "\n";
  }
  feed += "::ffff:198.51.100.0/120\n2001:db8::/32\n";
  intel::store s;
  load_text(s, feed);
  s.finalize();
  // Every IPv4 indicator as (first address, mask, value).
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::string>> blocks;
  for (intel::indicator_id id = 0; id < s.size(); ++id) {
    auto block = intel::parse_ip_prefix(s.get(id).value);
    if (!block || !block->is_v4()) continue;
    unsigned bits = block->length - 96u;
    std::uint32_t mask = bits == 0 ? 0 : ~0u << (32 - bits);
    std::uint32_t start = std::uint32_t{block->address[12]} << 24 |
                          std::uint32_t{block->address[13]} << 16 |
                          std::uint32_t{block->address[14]} << 8 | block->address[15];
    blocks.emplace_back(start, mask, std::string(s.get(id).value));
  }
  BOOST_TEST(blocks.size() == 6001u);
  std::size_t found = 0;
  for (int i = 0; i < 20000; ++i) {
    std::uint32_t a = static_cast<std::uint32_t>(random());
    if (i % 2 == 0) a = near[static_cast<std::size_t>(i) % near.size()] ^ (a & 0x3ff);
    if (i == 0) a = 0xc6336405;  // 198.51.100.5, in the IPv4-mapped block
    std::vector<intel::indicator_id> by_v4, by_ip;
    s.find_v4(a, [&](intel::indicator_id id) { by_v4.push_back(id); });
    s.find_ip(*intel::parse_ip_address(quad(a)),
              [&](intel::indicator_id id) { by_ip.push_back(id); });
    BOOST_TEST(by_v4 == by_ip, quad(a));
    // Against every indicator's own block, one by one (values: the store
    // keeps one of each).
    std::set<std::string> expected, got;
    for (const auto& [start, mask, value] : blocks) {
      if ((a & mask) == start) expected.insert(value);
    }
    for (intel::indicator_id id : by_v4) got.insert(std::string(s.get(id).value));
    BOOST_TEST(got == expected, quad(a));
    BOOST_TEST(got.size() == by_v4.size(), quad(a));
    found += by_v4.size();
  }
  BOOST_TEST(found > 10000u);
}

BOOST_AUTO_TEST_CASE(repeated_and_odd_url_and_destination_members_read_as_at_key_does) {
  intel::store s;
  load_text(s, "192.0.2.1\n198.51.100.2\nevil.example\nbad.example\nhttp://evil.example:8080/x\n");
  s.finalize();
  // The first member of a name counts; values that are not strings are not read.
  BOOST_TEST(hits_of(s, R"({"destination":{"ip":"192.0.2.1","ip":"198.51.100.2",)"
                        R"("domain":"evil.example","domain":"bad.example"}})") ==
             (strings{"192.0.2.1@destination.ip", "evil.example@destination.domain"}));
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":7,"ip":["192.0.2.1"]}})").empty());
  BOOST_TEST(hits_of(s, R"({"destination":"192.0.2.1"})").empty());
  BOOST_TEST(hits_of(s, R"({"url":{"port":8080,"original":"/x","domain":"EVIL.example",)"
                        R"("scheme":"http","domain":"bad.example","port":1}})") ==
             (strings{"evil.example@url.domain", "http://evil.example:8080/x@url.original"}));
  // A port that is not an integer is left out of the rebuilt URL.
  BOOST_TEST(hits_of(s, R"({"url":{"port":"8080","original":"/x","domain":"evil.example",)"
                        R"("scheme":"http"}})") == strings{"evil.example@url.domain"});
  BOOST_TEST(hits_of(s, R"({"url":{"original":"/x","domain":"evil.example:8080",)"
                        R"("scheme":"http","full":7}})") ==
             strings{"http://evil.example:8080/x@url.original"});
}

BOOST_AUTO_TEST_CASE(ipv6_exact_and_cidr_blocks_match) {
  intel::store s;
  load_text(s, "2001:db8::1\n2001:db8:abcd::/48\n2a06:e480::/29\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"source":{"ip":"2001:DB8:0::1"}})") ==
             strings{"2001:db8::1@source.ip"});
  BOOST_TEST(hits_of(s, R"({"source":{"ip":"2001:db8:abcd:1::5"}})") ==
             strings{"2001:db8:abcd::/48@source.ip"});
  BOOST_TEST(hits_of(s, R"({"source":{"ip":"2a06:e487:ffff::1"}})") ==
             strings{"2a06:e480::/29@source.ip"});
  BOOST_TEST(hits_of(s, R"({"source":{"ip":"2a06:e488::1"}})").empty());
  BOOST_TEST(hits_of(s, R"({"source":{"ip":"2001:db8:abce::1"}})").empty());
}

BOOST_AUTO_TEST_CASE(urls_match_after_normalisation) {
  intel::store s;
  load_text(s, "http://evil.example/payload.exe?x=1\nexample.net/malwarehere/\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"url":{"full":"HTTP://EVIL.example:80/payload.exe?x=1#top"}})") ==
             strings{"http://evil.example/payload.exe?x=1@url.full"});
  BOOST_TEST(hits_of(s, R"({"url":{"original":"http://evil.example/payload.exe?x=1"}})") ==
             strings{"http://evil.example/payload.exe?x=1@url.original"});
  // The path is case-sensitive.
  BOOST_TEST(hits_of(s, R"({"url":{"full":"http://evil.example/PAYLOAD.exe?x=1"}})").empty());
  // A scheme-less feed URL matches any scheme.
  BOOST_TEST(hits_of(s, R"({"url":{"full":"https://Example.NET/malwarehere/"}})") ==
             strings{"example.net/malwarehere/@url.full"});
  // A proxy's path-only url.original is rebuilt with url.domain.
  BOOST_TEST(hits_of(s, R"({"url":{"domain":"evil.example","original":"/payload.exe?x=1",)"
                        R"("scheme":"http"}})") ==
             strings{"http://evil.example/payload.exe?x=1@url.original"});
}

BOOST_AUTO_TEST_CASE(domains_and_addresses_match_inside_urls_without_url_domain) {
  intel::store s;
  load_text(s, "evil.example\n192.0.2.5\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"url":{"full":"http://www.evil.example/x"}})") ==
             strings{"evil.example@url.full"});
  BOOST_TEST(hits_of(s, R"({"url":{"original":"http://192.0.2.5:8080/x"}})") ==
             strings{"192.0.2.5@url.original"});
}

BOOST_AUTO_TEST_CASE(hashes_match_in_file_and_process_in_any_case) {
  intel::store s;
  load_text(
      s, std::string(32, 'a') + "\n" + std::string(40, 'b') + "\n" + std::string(64, 'c') + "\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"file":{"hash":{"md5":")" + std::string(32, 'A') + R"("}}})") ==
             strings{std::string(32, 'a') + "@file.hash.md5"});
  BOOST_TEST(hits_of(s, R"({"process":{"hash":{"sha1":")" + std::string(40, 'b') + R"("}}})") ==
             strings{std::string(40, 'b') + "@process.hash.sha1"});
  BOOST_TEST(hits_of(s, R"({"file.hash.sha256":")" + std::string(64, 'c') + R"("})") ==
             strings{std::string(64, 'c') + "@file.hash.sha256"});
}

BOOST_AUTO_TEST_CASE(flattened_keys_are_read_too) {
  intel::store s;
  load_text(s, "evil.example\n192.0.2.1\n");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"source.ip":"192.0.2.1","destination.domain":"evil.example"})") ==
             (strings{"192.0.2.1@source.ip", "evil.example@destination.domain"}));
}

BOOST_AUTO_TEST_CASE(validity_windows_are_honoured_on_event_time) {
  intel::store s;
  auto r = load_text(s, R"({"type":"bundle","objects":[
    {"type":"indicator","id":"indicator--w","pattern":"[domain-name:value = 'window.example']",
     "pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","valid_until":"2024-02-01T00:00:00Z"}]})");
  BOOST_TEST(r.indicators == 1u);
  s.finalize();
  auto at = [&](std::string_view stamp) {
    return hits_of(s, R"({"@timestamp":")" + std::string(stamp) +
                          R"(","destination":{"domain":"window.example"}})")
        .size();
  };
  BOOST_TEST(at("2023-12-31T23:59:59.999Z") == 0u);
  BOOST_TEST(at("2024-01-01T00:00:00.000Z") == 1u);  // valid_from is inclusive
  BOOST_TEST(at("2024-01-31T23:59:59.999Z") == 1u);
  BOOST_TEST(at("2024-02-01T00:00:00.000Z") == 0u);  // valid_until is exclusive
  BOOST_TEST(at("2025-01-01T09:00:00+09:00") == 0u);
  // The caller's time wins over the record's.
  intel::matcher m(s);
  event::parser p;
  BOOST_REQUIRE(p.parse_copy(R"({"@timestamp":"2024-01-10T00:00:00Z",)"
                             R"("destination":{"domain":"window.example"}})") ==
                event::parse_error::none);
  BOOST_TEST(m.match(p.current(), time::timestamp::from_seconds(1800000000)).empty());
  BOOST_TEST(m.match(p.current()).size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_event_time_is_read_with_or_without_a_hit) {
  intel::store s;
  load_text(s, R"({"type":"bundle","objects":[
    {"type":"indicator","id":"indicator--w","pattern":"[domain-name:value = 'window.example']",
     "pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z","valid_until":"2024-02-01T00:00:00Z"}]})");
  s.finalize();
  intel::matcher m(s);
  event_match em;
  // No hit: last_time() still reads the record's @timestamp.
  BOOST_TEST(em.run(m, R"({"@timestamp":"2024-01-10T00:00:00Z","destination":{"domain":"a.test"}})")
                 .empty());
  BOOST_TEST(em.time.has_value());
  BOOST_TEST(em.time->ns == time::timestamp::from_seconds(1704844800).ns);
  // Unreadable or missing: no time, the indicator matches whatever its window.
  BOOST_TEST(em.run(m, R"({"@timestamp":"soon","destination":{"domain":"window.example"}})").size() ==
             1u);
  BOOST_TEST(!em.time.has_value());
  BOOST_TEST(em.run(m, R"({"destination":{"domain":"window.example"}})").size() == 1u);
  BOOST_TEST(!em.time.has_value());
  // A repeated key: the last readable one is the time (here outside the window).
  BOOST_TEST(em.run(m, R"({"@timestamp":"2024-01-10T00:00:00Z","@timestamp":"2025-01-01T00:00:00Z",)"
                       R"("destination":{"domain":"window.example"}})")
                 .empty());
  BOOST_TEST(em.run(m, R"({"@timestamp":"2024-01-10T00:00:00Z","@timestamp":"later",)"
                       R"("destination":{"domain":"window.example"}})")
                 .size() == 1u);
  BOOST_TEST(em.time->ns == time::timestamp::from_seconds(1704844800).ns);
}

BOOST_AUTO_TEST_CASE(warninglisted_indicators_never_match) {
  intel::store s;
  load_text(s, "google.com\nevil.example\n");
  load_text(s, R"({"name":"top","type":"hostname","list":["google.com"],
                   "matching_attributes":["domain"]})");
  s.finalize();
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"www.google.com"}})").empty());
  BOOST_TEST(hits_of(s, R"({"destination":{"domain":"evil.example"}})").size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_alert_carries_the_indicator_the_event_and_its_time) {
  intel::store s;
  auto r = load_text(s,
                     "\"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\","
                     "\"malware\"\n"
                     "\"2023-05-23 17:51:44\",\"192.9.135.73\",\"1194\",\"online\",\"2024-04-01\","
                     "\"Pikabot\"\n",
                     intel::feed_format::detect, "feodo.csv");
  BOOST_TEST(r.indicators == 1u);
  s.finalize();
  intel::matcher m(s);
  event_match em;
  const std::string event =
      R"({"@timestamp":"2024-04-02T01:02:03.000Z","event":{"kind":"event","original":"raw line"},)"
      R"("organization":{"id":"acme"},"source":{"ip":"10.0.0.5"},)"
      R"("destination":{"ip":"192.9.135.73","port":1194},"host":{"name":"pc1"}})";
  const auto& hits = em.run(m, event);
  BOOST_REQUIRE(hits.size() == 1u);
  std::string out;
  intel::append_alert(out, s, hits[0], em.parser.current(), em.time, {.retro = true});

  event::parser check;
  BOOST_REQUIRE_MESSAGE(check.parse_copy(out) == event::parse_error::none, out);
  const auto& a = check.current();
  BOOST_TEST(a.string("@timestamp").value_or("") == "2024-04-02T01:02:03.000Z");
  BOOST_TEST(a.string("event.kind").value_or("") == "alert");
  BOOST_TEST(a.string("event.original").value_or("") == "raw line");
  BOOST_TEST(a.string("rule.name").value_or("") == "Threat intel match: ipv4-addr");
  BOOST_TEST(a.string("threat.indicator.type").value_or("") == "ipv4-addr");
  BOOST_TEST(a.string("threat.indicator.ip").value_or("") == "192.9.135.73");
  BOOST_TEST(a.string("threat.indicator.description").value_or("") == "Pikabot");
  BOOST_TEST(a.string("threat.indicator.first_seen").value_or("") == "2023-05-23T17:51:44.000Z");
  BOOST_TEST(a.string("threat.indicator.confidence").value_or("") == "Not Specified");
  BOOST_TEST(a.string("threat.feed.name").value_or("") == "feodo");
  BOOST_TEST(a.string("organization.id").value_or("") == "acme");
  BOOST_TEST(a.string("host.name").value_or("") == "pc1");
  BOOST_TEST(a.integer("destination.port").value_or(0) == 1194);
  BOOST_TEST(a.boolean("mimamori.retro").value_or(false));
  BOOST_TEST(out.find(R"("enrichments":[{"matched":{"atomic":"192.9.135.73",)"
                      R"("field":"destination.ip","type":"indicator_match_rule"}}])") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_alert_reads_the_event_members_as_record_string_does) {
  // Nested before flattened, the first member of a name, values that are
  // not strings or objects: what the alert copies is what record::string
  // and at_key read from the event.
  intel::store s;
  load_text(s, "192.0.2.1\n");
  s.finalize();
  const std::vector<std::string> events = {
      R"({"event.original":"flat","event":{"kind":"x"},"organization.id":"org-flat",)"
      R"("source":{"ip":"192.0.2.1"}})",
      R"({"event":{"original":"nested"},"event.original":"flat","organization":{"id":"o1"},)"
      R"("organization":{"id":"o2"},"organization.id":"o3","source":{"ip":"192.0.2.1"}})",
      R"({"event":{"original":7},"event.original":"flat","organization":{"name":"n"},)"
      R"("organization.id":"o3","source":{"ip":"192.0.2.1"}})",
      R"({"event":"text","event.original":"flat","organization":"o","source":{"ip":"192.0.2.1"}})",
      R"({"@timestamp":"2024-01-01T00:00:00.000Z","@timestamp":"2025-01-01T00:00:00.000Z",)"
      R"("source":{"ip":"192.0.2.1"},"source":{"ip":"198.51.100.1"},"host":"pc1",)"
      R"("user":{"name":"u"},"url":[1],"dns":{"question":{"name":"a.example"}}})",
  };
  for (const std::string& event : events) {
    intel::matcher m(s);
    event_match em;
    const auto& hits = em.run(m, event);
    BOOST_REQUIRE(hits.size() == 1u);
    const event::record& matched = em.parser.current();
    std::string out;
    intel::append_alert(out, s, hits[0], matched, em.time);
    event::parser check;
    BOOST_REQUIRE_MESSAGE(check.parse_copy(out) == event::parse_error::none, out);
    const auto& a = check.current();
    BOOST_TEST(a.string("event.original").value_or("") ==
                   matched.string("event.original").value_or(matched.text()),
               event);
    BOOST_TEST(a.string("organization.id").value_or("") ==
                   matched.string("organization.id").value_or("default"),
               event);
    BOOST_TEST(a.string("@timestamp").value_or("") == matched.string("@timestamp").value_or(""),
               event);
    BOOST_TEST(a.string("source.ip").value_or("") == "192.0.2.1", event);
    BOOST_TEST(!a.find("host"), event);
    BOOST_TEST(!a.find("url"), event);
    BOOST_TEST(a.string("user.name").value_or("-") == matched.string("user.name").value_or("-"));
    BOOST_TEST(a.string("dns.question.name").value_or("-") ==
               matched.string("dns.question.name").value_or("-"));
  }
}

BOOST_AUTO_TEST_CASE(alerts_for_blocks_domains_and_hashes_use_ecs_fields) {
  intel::store s;
  load_text(s, "198.51.100.0/24\nevil.example\n" + std::string(64, 'd') + "\n");
  s.finalize();
  intel::matcher m(s);
  event_match em;
  const auto& hits = em.run(
      m, R"({"destination":{"ip":"198.51.100.9"},"dns":{"question":{"name":"a.evil.example"}},)"
         R"("file":{"hash":{"sha256":")" +
             std::string(64, 'd') + R"("}}})");
  BOOST_REQUIRE(hits.size() == 3u);
  std::string out;
  for (const auto& h : hits) {
    out.clear();
    intel::append_alert(out, s, h, em.parser.current(), std::nullopt);
    event::parser check;
    BOOST_REQUIRE(check.parse_copy(out) == event::parse_error::none);
    const auto& a = check.current();
    BOOST_TEST(!a.has("@timestamp"));
    BOOST_TEST(a.string("organization.id").value_or("") == "default");
    auto type = a.string("threat.indicator.type").value_or("");
    if (type == "ipv4-addr") {
      BOOST_TEST(a.string("threat.indicator.name").value_or("") == "198.51.100.0/24");
      BOOST_TEST(a.string("threat.indicator.ip").value_or("") == "198.51.100.9");
    } else if (type == "domain-name") {
      BOOST_TEST(a.string("threat.indicator.url.domain").value_or("") == "evil.example");
    } else {
      BOOST_TEST(type == "file");
      BOOST_TEST(a.string("threat.indicator.file.hash.sha256").value_or("") ==
                 std::string(64, 'd'));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
