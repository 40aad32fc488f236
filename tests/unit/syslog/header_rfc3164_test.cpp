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

BOOST_AUTO_TEST_CASE(reads_host_and_tag_with_pid_without_a_stamp) {
  const auto h = read("myhost nginx[2833]: 2015/01/21 10:56:10 [error] 2833#0: *1 x");
  // A BSD header without its stamp: a hostname only ever comes with a format.
  BOOST_TEST((h.format == syslog::header_format::rfc3164));
  BOOST_TEST(!h.has_time);
  BOOST_TEST(h.hostname == "myhost");
  BOOST_TEST(h.app_name == "nginx");
  BOOST_TEST(h.procid == "2833");
  BOOST_TEST(h.message == "2015/01/21 10:56:10 [error] 2833#0: *1 x");
}

BOOST_AUTO_TEST_CASE(without_a_stamp_two_words_and_a_colon_stay_message) {
  // No [pid]: "word word:" is as likely prose as "host tag:".
  for (std::string_view line : {"Connection closed: by peer", "error nginx: x", "a:b c[1]: x"}) {
    const auto h = read(line);
    BOOST_TEST(h.hostname.empty());
    BOOST_TEST(h.message == line);
  }
}

BOOST_AUTO_TEST_CASE(drops_a_repeated_host_and_tag) {
  auto h = read("host nginx[23141]: host nginx: 2025/09/07 21:20:40 [error] x");
  BOOST_TEST(h.hostname == "host");
  BOOST_TEST(h.app_name == "nginx");
  BOOST_TEST(h.procid == "23141");
  BOOST_TEST(h.message == "2025/09/07 21:20:40 [error] x");
  h = read("Oct  3 02:59:58 gw sshd: gw sshd[7]: Failed password");
  BOOST_TEST(h.procid == "7");
  BOOST_TEST(h.message == "Failed password");
  // Only an exact repeat is dropped.
  h = read("Oct  3 02:59:58 gw sshd[7]: gw cron: x");
  BOOST_TEST(h.message == "gw cron: x");
  h = read("Oct  3 02:59:58 gw sshd[7]: gw sshd[8]: x");
  BOOST_TEST(h.message == "gw sshd[8]: x");
  h = read("Oct  3 02:59:58 gw sshd[7]: other sshd: x");
  BOOST_TEST(h.message == "other sshd: x");
}

BOOST_AUTO_TEST_CASE(reads_a_hostname_sent_twice) {
  const auto h = read("Jun 27 09:02:22 Dream-Machine-Pro Dream-Machine-Pro sshd[454008]: Failed x");
  BOOST_TEST(h.hostname == "Dream-Machine-Pro");
  BOOST_TEST(h.app_name == "sshd");
  BOOST_TEST(h.procid == "454008");
  BOOST_TEST(h.message == "Failed x");
  // A different second word is not dropped: with the [pid] it is part of
  // a program name with a blank (see reads_program_names_with_blanks).
  const auto other = read("Jun 27 09:02:22 gw other sshd[1]: x");
  BOOST_TEST(other.app_name == "other sshd");
  BOOST_TEST(other.message == "x");
}

BOOST_AUTO_TEST_CASE(reads_program_names_with_blanks) {
  // macOS: an application's name with blanks, then [pid], as Filebeat's
  // syslog pipeline reads it (process.name "Google Chrome", pid 85294).
  auto h = read("Dec 13 11:35:57 a-mac Google Chrome[85294]: objc[85294]: __weak variable");
  BOOST_TEST(h.hostname == "a-mac");
  BOOST_TEST(h.app_name == "Google Chrome");
  BOOST_TEST(h.procid == "85294");
  BOOST_TEST(h.message == "objc[85294]: __weak variable");
  // launchd names the job it speaks of: the whole is the program, no pid.
  h = read("Dec 13 11:38:45 a-mac com.apple.xpc.launchd[1] (com.apple.quicklook[21498]): Endpoint");
  BOOST_TEST(h.app_name == "com.apple.xpc.launchd[1] (com.apple.quicklook[21498])");
  BOOST_TEST(h.procid == "");
  BOOST_TEST(h.message == "Endpoint");
  // Without a [pid], or with text that is not a name, blanks end the tag:
  // the rest is message.
  BOOST_TEST(read("Dec 13 11:38:45 a-mac Connection closed: by peer").message ==
             "Connection closed: by peer");
  BOOST_TEST(read("Dec 13 11:38:45 a-mac error in x, see [12]: y").message ==
             "error in x, see [12]: y");
  BOOST_TEST(read("Dec 13 11:38:45 a-mac a[1] (b c): y").message == "a[1] (b c): y");
}

BOOST_AUTO_TEST_SUITE_END()
