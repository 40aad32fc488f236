// Tests for parsers/cisco_ios.cpp, on lines in the layouts Cisco's
// "System Message Guide" and the logging settings of IOS, IOS-XE and NX-OS
// give them.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(cisco_ios_logs)

BOOST_AUTO_TEST_CASE(reads_the_parts_before_the_tag) {
  const auto r = run(cisco_ios(),
                     "<189>Oct  3 12:00:01 10.0.0.1 45: 000046: *Oct  3 02:59:59.123 UTC: "
                     "%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T02:59:59.123Z\"");  // the device's own stamp
  BOOST_TEST(r.get("cisco.ios.message_count") == "45");
  BOOST_TEST(r.get("event.sequence") == "46");
  BOOST_TEST(r.get("cisco.ios.facility") == "\"LINK\"");
  BOOST_TEST(r.get("event.code") == "\"UPDOWN\"");
  BOOST_TEST(r.get("event.severity") == "3");
  BOOST_TEST(r.get("log.level") == "\"error\"");
  BOOST_TEST(r.get("cisco.ios.clock_unsynchronized") == "true");
  BOOST_TEST(r.get("message") == "\"Interface GigabitEthernet0/1, changed state to down\"");
  // Facilities with a sub-facility, NX-OS's stamp with the year first.
  const auto nx = run(cisco_ios(), "2024 Oct  3 03:00:00 nx1 %ETH_PORT_CHANNEL-5-PORT_DOWN: po1 down");
  BOOST_TEST(nx.get("cisco.ios.facility") == "\"ETH_PORT_CHANNEL\"");
  BOOST_TEST(nx.get("observer.hostname") == "\"nx1\"");
  BOOST_TEST(nx.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(run(cisco_ios(), "<189>1: %PLATFORM-ENVMON-3-FAN: fan 1 failed").get("cisco.ios.facility") ==
             "\"PLATFORM-ENVMON\"");
}

BOOST_AUTO_TEST_CASE(maps_command_accounting_logins_and_access_lists) {
  const auto cmd = run(cisco_ios(),
                       "<189>6705: Oct  3 02:00:00.000: %PARSER-5-CFGLOG_LOGGEDCMD: "
                       "User:admin  logged command:no dot1x system-auth-control");
  BOOST_TEST(cmd.get("user.name") == "\"admin\"");
  BOOST_TEST(cmd.get("cisco.ios.command") == "\"no dot1x system-auth-control\"");
  BOOST_TEST(cmd.get("event.action") == "\"logged-command\"");
  BOOST_TEST(cmd.get("event.category") == "[\"configuration\"]");
  const auto fail = run(cisco_ios(),
                        "<189>12: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: root] "
                        "[Source: 198.51.100.7] [localport: 22] [Reason: Login Authentication "
                        "Failed] at 12:00:00 UTC Thu Oct 3 2024");
  BOOST_TEST(fail.get("event.outcome") == "\"failure\"");
  BOOST_TEST(fail.get("source.ip") == "\"198.51.100.7\"");
  BOOST_TEST(fail.get("destination.port") == "22");
  BOOST_TEST(fail.get("event.reason") == "\"Login Authentication Failed\"");
  const auto acl = run(cisco_ios(),
                       "<190>Oct  3 03:00:01 r1 %SEC-6-IPACCESSLOGP: list 101 denied tcp "
                       "198.51.100.7(51234) -> 10.0.0.2(22), 1 packet");
  BOOST_TEST(acl.get("event.type") == "[\"connection\",\"denied\"]");
  BOOST_TEST(acl.get("source.port") == "51234");
  BOOST_TEST(acl.get("destination.ip") == "\"10.0.0.2\"");
  BOOST_TEST(acl.get("network.transport") == "\"tcp\"");
  BOOST_TEST(acl.get("source.packets") == "1");
}

BOOST_AUTO_TEST_CASE(other_percent_signs_are_declined) {
  // Text before the tag that no Cisco setting writes.
  BOOST_TEST((run(cisco_ios(), "<189>Oct  3 03:00:00 host app: 50% done: %ABC-1-X: y").what ==
              outcome::no_match));
  BOOST_TEST((run(cisco_ios(), "disk at 93% %SYS-5-X: y").what == outcome::no_match));
  // No severity digit, or no colon after the mnemonic.
  BOOST_TEST((run(cisco_ios(), "<189>1: %SYS-CONFIG_I: y").what == outcome::no_match));
  BOOST_TEST((run(cisco_ios(), "<189>1: %SYS-5-CONFIG_I y").what == outcome::no_match));
  // ASA's tags are cisco_asa's.
  BOOST_TEST((run(cisco_ios(), "<166>%ASA-6-302013: Built outbound").what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
