#include "pcap/analyzer.hpp"

#include <pcap/dlt.h>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "pcap/frames.hpp"

using namespace mimamori;
using namespace mimamori::testing;
using json = nlohmann::json;

namespace {

constexpr std::int64_t second = 1'000'000'000;
const time::timestamp t0 = time::timestamp::from_seconds(1'700'000'000);

time::timestamp at(double seconds) {
  return {t0.ns + static_cast<std::int64_t>(seconds * static_cast<double>(second))};
}

pcap::record_tags acme() {
  pcap::record_tags t;
  t.organization = "acme";
  t.observer_hostname = "sensor1";
  t.observer_type = "sensor";
  t.file = "test.pcap";
  return t;
}

std::vector<json> records(const std::string& out) {
  std::vector<json> r;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    r.push_back(json::parse(out.substr(start, end - start)));
    start = end + 1;
  }
  return r;
}

std::vector<json> of(const std::vector<json>& all, const std::string& dataset) {
  std::vector<json> r;
  for (const json& j : all) {
    if (j["event"]["dataset"] == dataset) r.push_back(j);
  }
  return r;
}

struct client_server {
  pcap::analyzer a{acme()};
  std::string out;
  std::uint32_t cseq = 1000;
  std::uint32_t sseq = 5000;
  void client(double t, std::uint8_t flags, std::string_view payload, std::uint32_t seq) {
    a.packet(DLT_EN10MB, at(t),
             ethernet(ip("10.1.1.1", "192.0.2.80", 6, tcp(40000, 80, seq, flags, payload))), out);
  }
  void server(double t, std::uint8_t flags, std::string_view payload) {
    a.packet(DLT_EN10MB, at(t),
             ethernet(ip("192.0.2.80", "10.1.1.1", 6, tcp(80, 40000, sseq, flags, payload))), out);
    sseq += static_cast<std::uint32_t>(payload.size());
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(analyzer)

BOOST_AUTO_TEST_CASE(writes_dns_query_and_answer_records_at_packet_time) {
  pcap::analyzer a(acme());
  std::string out;
  bytes q = dns_query(7, "evil.example");
  bytes r = q;
  r[2] = 0x81;
  r[3] = 0x83;  // NXDOMAIN
  a.packet(DLT_EN10MB, at(1), ethernet(ip("10.0.0.5", "10.0.0.53", 17, udp(33333, 53, q)), {42}),
           out);
  a.packet(DLT_EN10MB, at(1.25), ethernet(ip("10.0.0.53", "10.0.0.5", 17, udp(53, 33333, r)), {42}),
           out);
  a.finish(out);
  auto all = records(out);
  auto dns = of(all, "pcap.dns");
  BOOST_TEST_REQUIRE(dns.size() == 2u);
  BOOST_TEST(dns[0]["@timestamp"] == "2023-11-14T22:13:21.000Z");
  BOOST_TEST(dns[0]["dns"]["type"] == "query");
  BOOST_TEST(dns[0]["dns"]["question"]["name"] == "evil.example");
  BOOST_TEST(dns[0]["dns"]["question"]["type"] == "A");
  BOOST_TEST(dns[0]["dns"]["id"] == "7");
  BOOST_TEST(dns[0]["source"]["ip"] == "10.0.0.5");
  BOOST_TEST(dns[0]["destination"]["port"] == 53);
  BOOST_TEST(dns[0]["network"]["vlan"]["id"] == "42");
  BOOST_TEST(dns[0]["event"]["kind"] == "event");
  BOOST_TEST(dns[0]["input"]["type"] == "pcap");
  BOOST_TEST(dns[0]["organization"]["id"] == "acme");
  BOOST_TEST(dns[0]["observer"]["hostname"] == "sensor1");
  BOOST_TEST(dns[0]["related"]["hosts"][0] == "evil.example");
  BOOST_TEST(dns[1]["dns"]["type"] == "answer");
  BOOST_TEST(dns[1]["dns"]["response_code"] == "NXDOMAIN");
  BOOST_TEST(dns[1]["@timestamp"] == "2023-11-14T22:13:21.250Z");
  auto flows = of(all, "pcap.flow");
  BOOST_TEST_REQUIRE(flows.size() == 1u);
  const json& f = flows[0];
  BOOST_TEST(f["source"]["ip"] == "10.0.0.5");
  BOOST_TEST(f["source"]["packets"] == 1);
  BOOST_TEST(f["destination"]["packets"] == 1);
  BOOST_TEST(f["source"]["bytes"] == 20 + 8 + q.size());
  BOOST_TEST(f["event"]["duration"] == 250'000'000);
  BOOST_TEST(f["event"]["start"] == "2023-11-14T22:13:21.000Z");
  BOOST_TEST(f["event"]["end"] == "2023-11-14T22:13:21.250Z");
  BOOST_TEST(f["event"]["reason"] == "end of capture");
  BOOST_TEST(f["event"]["category"][0] == "network");
  BOOST_TEST(f["network"]["transport"] == "udp");
  BOOST_TEST(f["network"]["protocol"] == "dns");
  BOOST_TEST(f["network"]["community_id"] == dns[0]["network"]["community_id"]);
}

BOOST_AUTO_TEST_CASE(reads_an_http_request_split_over_segments_out_of_order) {
  client_server c;
  c.client(0, 0x02, "", 999);
  c.server(0.01, 0x12, "");
  std::string head =
      "GET /gate.php?id=1 HTTP/1.1\r\nHost: c2.example:8080\r\nUser-Agent: bot/1.0\r\n\r\n";
  std::string a = head.substr(0, 10);
  std::string b = head.substr(10, 20);
  std::string rest = head.substr(30);
  c.client(0.02, 0x18, a, 1000);
  c.client(0.03, 0x18, rest, 1030);  // ahead of a gap
  BOOST_TEST(of(records(c.out), "pcap.http").empty());
  c.client(0.04, 0x18, b, 1010);  // closes it
  c.server(0.05, 0x18, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  auto http = of(records(c.out), "pcap.http");
  BOOST_TEST_REQUIRE(http.size() == 1u);
  BOOST_TEST(http[0]["http"]["request"]["method"] == "GET");
  BOOST_TEST(http[0]["url"]["original"] == "/gate.php?id=1");
  BOOST_TEST(http[0]["url"]["path"] == "/gate.php");
  BOOST_TEST(http[0]["url"]["query"] == "id=1");
  BOOST_TEST(http[0]["url"]["domain"] == "c2.example");
  BOOST_TEST(http[0]["url"]["port"] == 8080);
  BOOST_TEST(http[0]["url"]["full"] == "http://c2.example:8080/gate.php?id=1");
  BOOST_TEST(http[0]["http"]["version"] == "1.1");
  BOOST_TEST(http[0]["user_agent"]["original"] == "bot/1.0");
  BOOST_TEST(http[0]["source"]["ip"] == "10.1.1.1");
  BOOST_TEST(http[0]["@timestamp"] == "2023-11-14T22:13:20.040Z");
}

BOOST_AUTO_TEST_CASE(reads_two_requests_on_one_connection_past_a_body) {
  client_server c;
  std::string one = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody";
  std::string two = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  c.client(0, 0x18, one, 1000);
  c.client(0.1, 0x18, two, 1000 + static_cast<std::uint32_t>(one.size()));
  auto http = of(records(c.out), "pcap.http");
  BOOST_TEST_REQUIRE(http.size() == 2u);
  BOOST_TEST(http[1]["url"]["original"] == "/b");
}

BOOST_AUTO_TEST_CASE(reads_a_client_hello_split_over_segments) {
  client_server c;
  bytes hello = tls_record(handshake(hello_body("cdn.example.net")));
  std::string s(hello.begin(), hello.end());
  c.client(0, 0x18, s.substr(0, 60), 1000);
  c.client(0.1, 0x18, s.substr(60), 1060);
  c.a.finish(c.out);
  auto all = records(c.out);
  auto tls = of(all, "pcap.tls");
  BOOST_TEST_REQUIRE(tls.size() == 1u);
  BOOST_TEST(tls[0]["tls"]["client"]["server_name"] == "cdn.example.net");
  BOOST_TEST(tls[0]["tls"]["client"]["ja3"] == "fd17f1f9b9c56d4bfda8900c8900ec06");
  BOOST_TEST(tls[0]["mimamori"]["tls"]["client"]["ja3_string"] ==
             "771,4865-4866-49195,0-10-11-43,29-23,0");
  BOOST_TEST(tls[0]["tls"]["version"] == "1.3");
  BOOST_TEST(tls[0]["tls"]["version_protocol"] == "tls");
  BOOST_TEST(of(all, "pcap.flow")[0]["network"]["protocol"] == "tls");
}

BOOST_AUTO_TEST_CASE(ends_flows_on_fin_rst_and_idle_time_of_the_packets) {
  client_server c;
  c.client(0, 0x02, "", 999);
  c.server(0.01, 0x12, "");
  c.client(0.02, 0x11, "", 1000);  // FIN
  c.server(0.03, 0x11, "");        // FIN
  c.client(0.04, 0x10, "", 1001);  // last ACK, still this flow
  // A UDP flow that goes quiet.
  c.a.packet(DLT_EN10MB, at(0.5), ethernet(ip("10.9.9.9", "10.8.8.8", 17, udp(1, 2, {1}))), c.out);
  BOOST_TEST(of(records(c.out), "pcap.flow").empty());
  // Packet time moves on: the closed TCP flow ends, then the idle UDP one.
  c.a.packet(DLT_EN10MB, at(10), ethernet(ip("10.7.7.7", "10.6.6.6", 17, udp(3, 4, {1}))), c.out);
  auto flows = of(records(c.out), "pcap.flow");
  BOOST_TEST_REQUIRE(flows.size() == 1u);
  BOOST_TEST(flows[0]["event"]["reason"] == "fin");
  BOOST_TEST(flows[0]["source"]["packets"] == 3);
  BOOST_TEST(flows[0]["destination"]["packets"] == 2);
  c.a.packet(DLT_EN10MB, at(100), ethernet(ip("10.7.7.7", "10.6.6.6", 17, udp(3, 4, {1}))), c.out);
  // Both UDP flows idled past a minute: both end, and the packet opens a new one.
  flows = of(records(c.out), "pcap.flow");
  BOOST_TEST_REQUIRE(flows.size() == 3u);
  BOOST_TEST(flows[1]["event"]["reason"] == "idle timeout");
  BOOST_TEST(flows[2]["event"]["reason"] == "idle timeout");
  BOOST_TEST(c.a.open_flows() == 1u);
}

BOOST_AUTO_TEST_CASE(keeps_the_flow_table_bounded) {
  pcap::flow_limits limits;
  limits.max_flows = 10;
  pcap::analyzer a(acme(), limits);
  std::string out;
  for (std::uint16_t port = 1; port <= 25; ++port) {
    a.packet(DLT_EN10MB, at(port * 0.001),
             ethernet(ip("10.0.0.1", "10.0.0.2", 17, udp(port, 9, {1}))), out);
    BOOST_TEST(a.open_flows() <= 10u);
  }
  auto evicted = of(records(out), "pcap.flow");
  BOOST_TEST(!evicted.empty());
  for (const json& f : evicted) BOOST_TEST(f["event"]["reason"] == "flow table full");
  a.finish(out);
  BOOST_TEST(of(records(out), "pcap.flow").size() == 25u);  // every flow summarized once
  BOOST_TEST(a.counters().flows_evicted == evicted.size());
}

BOOST_AUTO_TEST_CASE(counts_what_it_cannot_read_and_writes_nothing_for_it) {
  pcap::analyzer a(acme());
  std::string out;
  bytes arp(12, 0xff);
  put16(arp, 0x0806);
  put(arp, bytes(28, 0));
  a.packet(DLT_EN10MB, at(0), arp, out);
  a.packet(DLT_EN10MB, at(0), bytes(10, 0), out);  // shorter than Ethernet
  bytes bad_dns = {1, 2, 3};
  a.packet(DLT_EN10MB, at(0), ethernet(ip("10.0.0.1", "10.0.0.2", 17, udp(5, 53, bad_dns))), out);
  BOOST_TEST(a.counters().not_ip == 1u);
  BOOST_TEST(a.counters().malformed == 1u);
  BOOST_TEST(a.counters().dns_malformed == 1u);
  BOOST_TEST(out.empty());
}

BOOST_AUTO_TEST_SUITE_END()
