// Tests for syslog/header.hpp: BSD (RFC 3164) envelopes and the variants
// devices really send.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string_view>

#include "syslog/header.hpp"
#include "time/format.hpp"

using namespace mimamori;

namespace {

syslog::header read(std::string_view line, std::string_view tz = "UTC",
                    std::int64_t received_seconds = 1727924400 /* 2024-10-03T03:00:00Z */) {
  syslog::header h;
  const auto received = time::timestamp::from_seconds(received_seconds);
  syslog::parse_header(line, {received, *time::zone::locate(tz)}, h);
  return h;
}

std::string stamp(const syslog::header& h) {
  return time::format_utc_ms(h.time);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(header_rfc3164)

BOOST_AUTO_TEST_CASE(reads_pri_stamp_host_tag_pid_and_message) {
  const auto h = read("<38>Oct  3 02:59:58 bastion sshd[4242]: Accepted publickey for k");
  BOOST_TEST(h.priority == 38);
  BOOST_TEST(h.facility() == 4);
  BOOST_TEST(h.severity() == 6);
  BOOST_TEST(h.has_time);
  BOOST_TEST(stamp(h) == "2024-10-03T02:59:58.000Z");
  BOOST_TEST(h.hostname == "bastion");
  BOOST_TEST(h.app_name == "sshd");
  BOOST_TEST(h.procid == "4242");
  BOOST_TEST(h.message == "Accepted publickey for k");
}

BOOST_AUTO_TEST_CASE(reads_lines_without_pri) {
  const auto h = read("Oct  3 02:59:58 fw01 sudo: alice : TTY=pts/0");
  BOOST_TEST(h.priority == -1);
  BOOST_TEST(h.hostname == "fw01");
  BOOST_TEST(h.app_name == "sudo");
  BOOST_TEST(h.procid == "");
  BOOST_TEST(h.message == "alice : TTY=pts/0");
}

BOOST_AUTO_TEST_CASE(reads_a_tag_without_hostname) {
  const auto h = read("<13>Oct  3 02:59:58 sshd[7]: Connection closed");
  BOOST_TEST(h.hostname == "");
  BOOST_TEST(h.app_name == "sshd");
  BOOST_TEST(h.message == "Connection closed");
}

BOOST_AUTO_TEST_CASE(takes_the_year_nearest_the_receive_time_in_the_device_zone) {
  // Received 2024-10-03T03:00Z; Tokyo is +09:00.
  const auto h = read("<13>Oct  3 11:59:58 host app: x", "Asia/Tokyo");
  BOOST_TEST(stamp(h) == "2024-10-03T02:59:58.000Z");
  // Across New Year: received 2025-01-01T00:00:30Z, the stamp is last year's.
  const auto d = read("Dec 31 23:59:59 host app: x", "UTC", 1735689630);
  BOOST_TEST(stamp(d) == "2024-12-31T23:59:59.000Z");
  // And a device clock slightly ahead on Dec 31 gives next year's Jan 1.
  const auto e = read("Jan  1 00:00:10 host app: x", "UTC", 1735689590);
  BOOST_TEST(stamp(e) == "2025-01-01T00:00:10.000Z");
}

BOOST_AUTO_TEST_CASE(reads_the_cisco_stamp_with_a_year_and_no_host) {
  const auto h = read("<166>Oct 10 2018 12:34:56: %ASA-6-302013: Built outbound");
  BOOST_TEST(stamp(h) == "2018-10-10T12:34:56.000Z");
  BOOST_TEST(h.hostname == "");
  BOOST_TEST(h.message == "%ASA-6-302013: Built outbound");
}

BOOST_AUTO_TEST_CASE(reads_the_cisco_stamp_with_host_and_colon) {
  const auto h = read("Jul 15 13:18:06 216.160.83.56 : %ASA-4-106023: Deny tcp");
  BOOST_TEST(h.hostname == "216.160.83.56");
  BOOST_TEST(h.message == "%ASA-4-106023: Deny tcp");
}

BOOST_AUTO_TEST_CASE(reads_iso_stamps_with_and_without_offset) {
  const auto a = read("2019-06-14T13:01:15.412+01:30 localhost pam: user nobody logged out.");
  BOOST_TEST(stamp(a) == "2019-06-14T11:31:15.412Z");
  BOOST_TEST(a.hostname == "localhost");
  BOOST_TEST(a.app_name == "pam");
  const auto b = read("2019-06-14T10:40:20.912134 localhost sudo: x", "+02:00");
  BOOST_TEST(stamp(b) == "2019-06-14T08:40:20.912Z");
}

BOOST_AUTO_TEST_CASE(reads_a_bsd_header_after_pri_and_version) {
  const auto h = read("<13>1 Oct  3 02:59:58 host app[1]: hello");
  BOOST_TEST((h.format == syslog::header_format::rfc3164));
  BOOST_TEST(h.hostname == "host");
  BOOST_TEST(h.app_name == "app");
  BOOST_TEST(h.message == "hello");
}

BOOST_AUTO_TEST_CASE(leaves_fortigate_key_value_lines_whole) {
  const auto h = read("<189>date=2019-05-15 time=18:03:36 devname=\"FGT\" logid=\"0000000013\"");
  BOOST_TEST(h.priority == 189);
  BOOST_TEST(!h.has_time);
  BOOST_TEST(h.app_name == "");
  BOOST_TEST(h.message == "date=2019-05-15 time=18:03:36 devname=\"FGT\" logid=\"0000000013\"");
}

BOOST_AUTO_TEST_CASE(keeps_utf8_hostnames) {
  const auto h = read("<166>May 01 2024 00:00:00 東京-asa-02 : %ASA-6-302013: Built");
  BOOST_TEST(h.hostname == "東京-asa-02");
  BOOST_TEST(h.message == "%ASA-6-302013: Built");
}

BOOST_AUTO_TEST_CASE(a_line_without_header_is_all_message) {
  for (std::string_view line : {"just text", "", "<999>Oct  3 x", "{\"a\":1}", "<"}) {
    const auto h = read(line);
    BOOST_TEST((h.format == syslog::header_format::none));
    BOOST_TEST(!h.has_time);
  }
  BOOST_TEST(read("just text").message == "just text");
  BOOST_TEST(read("<999>Oct  3 x").priority == -1);
}

BOOST_AUTO_TEST_SUITE_END()
