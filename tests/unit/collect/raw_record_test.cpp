// Tests for collect/raw_record.hpp: the exact bytes of a raw record, which
// is written member by member (not through event::builder) for speed.
#include "collect/raw_record.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using namespace mimamori;

namespace {

time::timestamp at(std::int64_t ms) {
  return time::timestamp::from_millis(ms);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(raw_record)

BOOST_AUTO_TEST_CASE(a_file_line_has_path_and_offset) {
  collect::source_tags tags;
  tags.organization = "acme";
  collect::received r;
  r.text = "<13>May  1 00:00:00 host app: \"quoted\" \\ tab\t";
  r.when = at(1714521600123);
  r.input_type = "file";
  r.file_path = "/var/log/a \"b\".log";
  r.offset = 42;
  r.has_offset = true;
  std::string out;
  collect::append_raw_record(out, tags, r);
  BOOST_TEST(out ==
             R"({"@timestamp":"2024-05-01T00:00:00.123Z","event":{"original":"<13>May  1 00:00:00 )"
             R"(host app: \"quoted\" \\ tab\t","created":"2024-05-01T00:00:00.123Z"},)"
             R"("input":{"type":"file"},"log":{"file":{"path":"/var/log/a \"b\".log"},"offset":42},)"
             R"("organization":{"id":"acme"}})");
}

BOOST_AUTO_TEST_CASE(a_network_message_has_the_sender_and_the_observer_tags) {
  collect::source_tags tags;
  tags.organization = "acme";
  tags.observer_hostname = "relay";
  tags.observer_vendor = "Cisco";
  tags.observer_type = "firewall";
  collect::received r;
  r.text = "<134>%ASA-6-302013: Built";
  r.when = at(1714521600999);
  r.input_type = "tcp";
  r.offset = 7;
  r.has_offset = true;
  r.peer_ip = "2001:db8::1";
  r.peer_port = 5514;
  r.truncated = true;
  std::string out;
  collect::append_raw_record(out, tags, r);
  BOOST_TEST(out ==
             R"({"@timestamp":"2024-05-01T00:00:00.999Z","event":{"original":"<134>%ASA-6-302013: )"
             R"(Built","created":"2024-05-01T00:00:00.999Z"},"input":{"type":"tcp"},"log":{)"
             R"("offset":7,"source":{"address":"[2001:db8::1]:5514"}},"observer":{"hostname":)"
             R"("relay","ip":"2001:db8::1","vendor":"Cisco","type":"firewall"},"organization":)"
             R"({"id":"acme"},"tags":["truncated"]})");
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_are_kept_in_base64) {
  collect::source_tags tags;
  collect::received r;
  r.text = "caf\xE9 \xE6\x9D\xB1";  // Latin-1 é, then a valid CJK character
  r.when = at(0);
  r.input_type = "udp";
  r.peer_ip = "192.0.2.1";
  r.peer_port = 514;
  std::string out;
  collect::append_raw_record(out, tags, r);
  BOOST_TEST(out ==
             "{\"@timestamp\":\"1970-01-01T00:00:00.000Z\",\"event\":{\"original\":\"caf\xEF\xBF\xBD "
             "\xE6\x9D\xB1\",\"created\":\"1970-01-01T00:00:00.000Z\"},\"input\":{\"type\":\"udp\"},"
             "\"log\":{\"source\":{\"address\":\"192.0.2.1:514\"}},\"observer\":{\"ip\":\"192.0.2.1\"},"
             "\"organization\":{\"id\":\"default\"},\"mimamori\":{\"original_base64\":\"Y2Fm6SDmnbE=\"}}");
}

BOOST_AUTO_TEST_CASE(the_receive_time_follows_the_clock_across_milliseconds) {
  collect::source_tags tags;
  collect::received r;
  r.text = "x";
  r.input_type = "stdin";
  std::string first;
  std::string second;
  r.when = at(1714521600123);
  collect::append_raw_record(first, tags, r);
  r.when = at(1714521600124);
  collect::append_raw_record(second, tags, r);
  BOOST_TEST(first.find("00:00:00.123Z") != std::string::npos);
  BOOST_TEST(second.find("00:00:00.124Z") != std::string::npos);
  BOOST_TEST(second.find(".123Z") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
