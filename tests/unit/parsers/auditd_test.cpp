// Tests for parsers/auditd.cpp, on records in the layout of the Linux audit
// documentation (audit.log, ausearch -r), hex-encoded values included.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(auditd_records)

BOOST_AUTO_TEST_CASE(syscall_maps_process_and_user_ids) {
  const auto r = run(auditd(),
                     "type=SYSCALL msg=audit(1727924400.120:2201): arch=c000003e syscall=59 "
                     "success=yes exit=0 ppid=1200 pid=1250 auid=1000 uid=0 gid=0 euid=0 "
                     "comm=\"curl\" exe=\"/usr/bin/curl\" key=\"network-tools\"");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.120Z\"");
  BOOST_TEST(r.get("auditd.log.sequence") == "2201");
  BOOST_TEST(r.get("process.pid") == "1250");
  BOOST_TEST(r.get("process.parent.pid") == "1200");
  BOOST_TEST(r.get("process.executable") == "\"/usr/bin/curl\"");
  BOOST_TEST(r.get("user.audit.id") == "\"1000\"");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
  BOOST_TEST(r.get("event.type") == "[\"start\"]");
  BOOST_TEST(r.get("rule.name") == "\"network-tools\"");
}

BOOST_AUTO_TEST_CASE(hex_values_are_decoded) {
  const auto e = run(auditd(),
                     "type=EXECVE msg=audit(1727924400.120:2201): argc=3 a0=\"curl\" a1=\"-o\" "
                     "a2=2F746D702F782073682E7368");
  BOOST_TEST(e.get("process.args") == "[\"curl\",\"-o\",\"/tmp/x sh.sh\"]");
  BOOST_TEST(e.get("process.command_line") == "\"curl -o /tmp/x sh.sh\"");
  const auto p = run(auditd(),
                     "type=PROCTITLE msg=audit(1727924400.120:2201): "
                     "proctitle=6375726C002D6F");
  BOOST_TEST(p.get("process.command_line") == "\"curl -o\"");
  const auto c = run(auditd(),
                     "type=USER_CMD msg=audit(1727924420.5:2215): pid=1 uid=1000 "
                     "msg='cwd=\"/root\" cmd=7375646F202D69 res=success'");
  BOOST_TEST(c.get("process.command_line") == "\"sudo -i\"");
  BOOST_TEST(c.get("process.working_directory") == "\"/root\"");
}

BOOST_AUTO_TEST_CASE(login_records_read_the_nested_message) {
  const auto r = run(auditd(),
                     "node=web01 type=USER_LOGIN msg=audit(1727924410.004:2210): pid=1300 uid=0 "
                     "auid=4294967295 ses=4294967295 msg='op=login acct=\"alice\" "
                     "exe=\"/usr/sbin/sshd\" hostname=? addr=198.51.100.23 terminal=sshd "
                     "res=failed'");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(!r.has("user.audit.id"));  // 4294967295: unset
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.23\"");
  BOOST_TEST(r.get("event.outcome") == "\"failure\"");
  BOOST_TEST(r.get("event.category") == "[\"authentication\",\"session\"]");
  BOOST_TEST(r.get("host.name") == "\"web01\"");
}

BOOST_AUTO_TEST_CASE(bad_stamps_break_and_other_lines_pass) {
  BOOST_TEST((run(auditd(), "type=SYSCALL msg=audit(abc:1): x=1").what == outcome::broken));
  BOOST_TEST((run(auditd(), "type=SYSCALL msg=audit(1727924400.1): x=1").what ==
              outcome::broken));
  BOOST_TEST((run(auditd(), "Oct  3 12:00:00 host sshd[1]: Accepted password").what ==
              outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
