// Tests for parsers/zeek.cpp: JSON logs by their field sets, TSV logs with
// the header state lognorm keeps per input.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"
#include "parsers/stream_state.hpp"

using namespace mimamori::parsers;
using testing::detect;
using testing::run;

namespace {

// Runs zeek() over the lines of one input, with one stream_state, as
// lognorm does; returns the result of each line.
std::vector<testing::parsed> run_stream(const std::vector<std::string>& lines,
                                        stream_state& state) {
  std::vector<testing::parsed> results;
  for (const std::string& line : lines) {
    mimamori::syslog::header h;
    const auto received = mimamori::time::timestamp::from_seconds(1727924400);
    const auto tz = mimamori::time::zone::utc();
    mimamori::syslog::parse_header(line, {received, tz}, h);
    fields out;
    const parse_result r = zeek().parse({line, h, received, tz, &state}, out);
    testing::parsed p;
    p.what = r.what;
    p.reason = std::string(r.reason);
    std::string scratch;
    out.each_json(scratch, [&](std::string_view path, std::string_view json) {
      p.fields[std::string(path)] = std::string(json);
    });
    results.push_back(std::move(p));
  }
  return results;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(zeek_logs)

BOOST_AUTO_TEST_CASE(json_conn_by_its_fields) {
  const auto r =
      run(zeek(), R"({"ts":1727924400.123456,"uid":"CAbc1","id.orig_h":"10.0.0.5",)"
                  R"("id.orig_p":50000,"id.resp_h":"198.51.100.7","id.resp_p":443,)"
                  R"("proto":"tcp","service":"ssl","duration":1.5,"orig_bytes":100,)"
                  R"("resp_bytes":2000,"conn_state":"SF","local_orig":true,)"
                  R"("orig_pkts":5,"orig_ip_bytes":360,"resp_pkts":4,"resp_ip_bytes":2200,)"
                  R"("tunnel_parents":[]})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.123Z\"");
  BOOST_TEST(r.get("event.dataset") == "\"zeek.connection\"");
  BOOST_TEST(r.get("event.id") == "\"CAbc1\"");
  BOOST_TEST(r.get("zeek.session_id") == "\"CAbc1\"");
  BOOST_TEST(r.get("source.ip") == "\"10.0.0.5\"");
  BOOST_TEST(r.get("destination.port") == "443");
  BOOST_TEST(r.get("network.transport") == "\"tcp\"");
  BOOST_TEST(r.get("network.protocol") == "\"ssl\"");
  BOOST_TEST(r.get("network.direction") == "\"outbound\"");
  BOOST_TEST(r.get("event.duration") == "1500000000");
  BOOST_TEST(r.get("source.bytes") == "360");
  BOOST_TEST(r.get("network.bytes") == "2560");
  BOOST_TEST(r.get("zeek.connection.conn_state") == "\"SF\"");
  BOOST_TEST(r.get("zeek.connection.local_orig") == "true");
  BOOST_TEST(r.get("zeek.connection.duration") == "1.5");
  BOOST_TEST(r.get("zeek.connection.tunnel_parents") == "[]");
  BOOST_TEST(!r.has("zeek.connection.id.orig_h"));
}

BOOST_AUTO_TEST_CASE(json_dns_http_ssl_notice_intel_files) {
  const auto dns =
      run(zeek(), R"({"ts":1727924400.0,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":5353,)"
                  R"("id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","trans_id":4711,)"
                  R"("query":"evil.example","qclass_name":"C_INTERNET","qtype_name":"A",)"
                  R"("rcode":0,"rcode_name":"NOERROR","AA":false,"RD":true,"RA":true,)"
                  R"("answers":["cdn.example","198.51.100.1"],"TTLs":[300.0,60.0]})");
  BOOST_TEST(dns.get("event.dataset") == "\"zeek.dns\"");
  BOOST_TEST(dns.get("dns.question.name") == "\"evil.example\"");
  BOOST_TEST(dns.get("dns.id") == "\"4711\"");
  BOOST_TEST(dns.get("dns.header_flags") == "[\"RD\",\"RA\"]");
  BOOST_TEST(dns.get("dns.answers") ==
             "[{\"data\":\"cdn.example\",\"ttl\":300},{\"data\":\"198.51.100.1\",\"ttl\":60}]");
  BOOST_TEST(dns.get("dns.resolved_ip") == "[\"198.51.100.1\"]");
  BOOST_TEST(dns.get("event.outcome") == "\"success\"");
  const auto http =
      run(zeek(), R"({"ts":1727924400.5,"uid":"C2","id.orig_h":"10.0.0.5","id.orig_p":1,)"
                  R"("id.resp_h":"198.51.100.7","id.resp_p":8080,"trans_depth":1,)"
                  R"("method":"POST","host":"x.example","uri":"/up?a=1","version":"1.1",)"
                  R"("user_agent":"curl/8","status_code":404,"username":"bob"})");
  BOOST_TEST(http.get("url.path") == "\"/up\"");
  BOOST_TEST(http.get("url.query") == "\"a=1\"");
  BOOST_TEST(http.get("url.port") == "8080");
  BOOST_TEST(http.get("event.action") == "\"post\"");
  BOOST_TEST(http.get("event.outcome") == "\"failure\"");
  BOOST_TEST(http.get("related.user") == "[\"bob\"]");
  const auto ssl =
      run(zeek(), R"({"ts":1727924400,"uid":"C3","id.orig_h":"10.0.0.5","id.orig_p":1,)"
                  R"("id.resp_h":"198.51.100.7","id.resp_p":443,"version":"TLSv13",)"
                  R"("cipher":"TLS_AES_128_GCM_SHA256","server_name":"x.example",)"
                  R"("established":true,"subject":"CN=x.example,O=Example\\, Inc.,C=JP"})");
  BOOST_TEST(ssl.get("tls.version") == "\"1.3\"");
  BOOST_TEST(ssl.get("tls.version_protocol") == "\"tls\"");
  BOOST_TEST(ssl.get("tls.client.server_name") == "\"x.example\"");
  BOOST_TEST(ssl.get("tls.established") == "true");
  BOOST_TEST(ssl.get("tls.server.x509.subject.organization") == "\"Example, Inc.\"");
  BOOST_TEST(ssl.get("tls.server.x509.subject.country") == "\"JP\"");
  const auto notice = run(zeek(), R"({"ts":1727924400.0,"note":"Scan::Port_Scan","msg":"scanned",)"
                                  R"("src":"203.0.113.9","dst":"192.0.2.1","dropped":false})");
  BOOST_TEST(notice.get("rule.name") == "\"Scan::Port_Scan\"");
  BOOST_TEST(notice.get("source.ip") == "\"203.0.113.9\"");
  BOOST_TEST(notice.get("network.direction") == "\"external\"");
  BOOST_TEST(notice.get("event.type") == "[\"allowed\",\"info\"]");
  const auto intel =
      run(zeek(), R"({"ts":1727924400.0,"uid":"C4","id.orig_h":"10.0.0.5",)"
                  R"("seen.indicator":"evil.example","seen.indicator_type":"Intel::DOMAIN",)"
                  R"("seen.where":"DNS::IN_REQUEST","matched":["Intel::DOMAIN"]})");
  BOOST_TEST(intel.get("event.dataset") == "\"zeek.intel\"");
  BOOST_TEST(intel.get("zeek.intel.seen.indicator") == "\"evil.example\"");
  BOOST_TEST(intel.get("threat.enrichments.matched.atomic") == "\"evil.example\"");
  BOOST_TEST(intel.get("zeek.intel.matched") == "[\"Intel::DOMAIN\"]");
  // A sighting of a known indicator: the sensor's alert.
  BOOST_TEST(intel.get("event.kind") == "\"alert\"");
  BOOST_TEST(intel.get("event.type") == "[\"info\"]");
  const auto files =
      run(zeek(), R"({"ts":1727924400.0,"fuid":"F1","tx_hosts":["198.51.100.7"],)"
                  R"("rx_hosts":["10.0.0.5"],"source":"HTTP","mime_type":"application/x-dosexec",)"
                  R"("seen_bytes":4096,"md5":"aa","sha1":"bb"})");
  BOOST_TEST(files.get("event.dataset") == "\"zeek.files\"");
  BOOST_TEST(files.get("source.ip") == "\"198.51.100.7\"");
  BOOST_TEST(files.get("file.hash.sha1") == "\"bb\"");
  BOOST_TEST(files.get("file.size") == "4096");
}

BOOST_AUTO_TEST_CASE(tsv_rows_use_the_header_of_their_input) {
  stream_state state;
  const auto r = run_stream(
      {"#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
       "#path\tdns", "#open\t2024-10-03-03-00-00",
       "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\trcode_name\t"
       "answers\tTTLs\tRD",
       "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\tvector[string]\t"
       "vector[interval]\tbool",
       "1727924400.250000\tC9\t10.0.0.5\t5353\t10.0.0.53\t53\tudp\tevil\\x09.example\tNOERROR\t"
       "a.example,198.51.100.1\t30.000000,60.000000\tT",
       "1727924401.000000\tC10\t10.0.0.5\t5354\t10.0.0.53\t53\tudp\t-\t-\t(empty)\t-\tF",
       "1727924401.000000\tC11\t10.0.0.5",  // a row cut short
       "#close\t2024-10-03-04-00-00"},
      state);
  BOOST_REQUIRE(r.size() == 12);
  for (std::size_t i = 0; i < 8; ++i) {
    BOOST_TEST((r[i].what == outcome::parsed));
    BOOST_TEST(r[i].get("tags") == "[\"zeek_header\"]");
  }
  BOOST_TEST(r[4].get("event.dataset") == "\"zeek.dns\"");
  BOOST_TEST(r[6].get("zeek.header.name") == "\"fields\"");
  BOOST_TEST((r[8].what == outcome::parsed));
  BOOST_TEST(r[8].get("@timestamp") == "\"2024-10-03T03:00:00.250Z\"");
  BOOST_TEST(r[8].get("event.dataset") == "\"zeek.dns\"");
  BOOST_TEST(r[8].get("dns.question.name") == "\"evil\\t.example\"");
  BOOST_TEST(r[8].get("dns.resolved_ip") == "[\"198.51.100.1\"]");
  BOOST_TEST(r[8].get("dns.header_flags") == "[\"RD\"]");
  BOOST_TEST(r[8].get("zeek.dns.TTLs") == "[30.000000,60.000000]");
  BOOST_TEST(r[8].get("zeek.dns.RD") == "true");
  BOOST_TEST(r[8].get("source.port") == "5353");
  // Unset (-) and empty ((empty)) values are left out.
  BOOST_TEST((r[9].what == outcome::parsed));
  BOOST_TEST(!r[9].has("dns.question.name"));
  BOOST_TEST(!r[9].has("zeek.dns.answers"));
  BOOST_TEST(r[9].get("zeek.dns.RD") == "false");
  BOOST_TEST((r[10].what == outcome::broken));
  BOOST_TEST((r[11].what == outcome::parsed));
  BOOST_TEST(r[11].get("zeek.header.value") == "\"2024-10-03-04-00-00\"");
}

BOOST_AUTO_TEST_CASE(tsv_rows_without_a_header_are_not_zeek) {
  stream_state fresh;
  const auto r = run_stream({"1727924400.250000\tC9\t10.0.0.5\t5353"}, fresh);
  BOOST_TEST((r[0].what == outcome::no_match));
  // A new #separator starts a new log: the old columns are forgotten.
  stream_state state;
  const auto s = run_stream({"#separator \\x09", "#fields\tts\tuid", "#types\ttime\tstring",
                             "#separator \\x09", "1727924400.0\tC1"},
                            state);
  BOOST_TEST((s[2].what == outcome::parsed));
  BOOST_TEST((s[4].what == outcome::no_match));
}

BOOST_AUTO_TEST_CASE(detection_of_zeek_json_and_not_other_json) {
  BOOST_TEST(detect(R"({"ts":1727924400.0,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":1,)"
                    R"("id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","query":"x"})") ==
             "zeek");
  BOOST_TEST(detect(R"({"ts":1727924400.0,"note":"SSH::Password_Guessing","msg":"m"})") == "zeek");
  BOOST_TEST((run(zeek(), R"({"ts":"yesterday","uid":"C1","id.orig_h":"10.0.0.5"})").what ==
              outcome::no_match));
  BOOST_TEST((run(zeek(), R"({"timestamp":"2024-10-03T03:00:00Z","event_type":"dns"})").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
