// Tests for parsers/linux_auth.cpp: sshd, sudo, su, PAM and useradd lines.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(linux_auth_lines)

BOOST_AUTO_TEST_CASE(accepted_logins_succeed) {
  const auto r = run(linux_auth(),
                     "Oct  3 02:59:00 bastion sshd[99]: Accepted publickey for carol from "
                     "192.0.2.50 port 40000 ssh2: ED25519 SHA256:abc");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
  BOOST_TEST(r.get("event.category") == "[\"authentication\",\"session\"]");
  BOOST_TEST(r.get("user.name") == "\"carol\"");
  BOOST_TEST(r.get("source.ip") == "\"192.0.2.50\"");
  BOOST_TEST(r.get("source.port") == "40000");
  BOOST_TEST(r.get("system.auth.ssh.method") == "\"publickey\"");
}

BOOST_AUTO_TEST_CASE(failed_and_invalid_users_fail) {
  const auto a = run(linux_auth(),
                     "Oct  3 02:59:00 h sshd[1]: Failed password for invalid user admin from "
                     "203.0.113.9 port 50022 ssh2");
  BOOST_TEST(a.get("event.outcome") == "\"failure\"");
  BOOST_TEST(a.get("user.name") == "\"admin\"");
  BOOST_TEST(a.get("source.ip") == "\"203.0.113.9\"");
  const auto b =
      run(linux_auth(), "Oct  3 02:59:00 h sshd[1]: Invalid user test from 10.0.2.2 port 3");
  BOOST_TEST(b.get("event.outcome") == "\"failure\"");
  BOOST_TEST(b.get("user.name") == "\"test\"");
  const auto c = run(linux_auth(),
                     "Oct  3 02:59:00 h sshd[1]: message repeated 2 times: [ Failed password for "
                     "root from 203.0.113.9 port 50022 ssh2]");
  BOOST_TEST(c.get("user.name") == "\"root\"");
  BOOST_TEST(c.get("event.outcome") == "\"failure\"");
}

BOOST_AUTO_TEST_CASE(pam_failures_name_the_remote_host_and_user) {
  const auto r = run(linux_auth(),
                     "Oct  3 02:59:00 h sshd[1]: pam_unix(sshd:auth): authentication failure; "
                     "logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.3  user=root");
  BOOST_TEST(r.get("event.outcome") == "\"failure\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.3\"");
  BOOST_TEST(r.get("user.name") == "\"root\"");
}

BOOST_AUTO_TEST_CASE(sudo_commands_name_both_users) {
  const auto r = run(linux_auth(),
                     "Oct  3 02:59:00 h sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
                     "COMMAND=/usr/bin/id ; echo");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("user.effective.name") == "\"root\"");
  BOOST_TEST(r.get("process.command_line") == "\"/usr/bin/id ; echo\"");
  BOOST_TEST(r.get("event.category") == "[\"process\"]");
  const auto denied = run(linux_auth(),
                          "Oct  3 02:59:00 h sudo: eve : user NOT in sudoers ; TTY=pts/1 ; "
                          "PWD=/ ; USER=root ; COMMAND=/bin/sh");
  BOOST_TEST(denied.get("event.outcome") == "\"failure\"");
  BOOST_TEST(denied.get("system.auth.sudo.error") == "\"user NOT in sudoers\"");
}

BOOST_AUTO_TEST_CASE(su_and_sessions) {
  const auto su = run(linux_auth(), "Oct  3 02:59:00 h su[5]: FAILED SU (to root) bob on pts/2");
  BOOST_TEST(su.get("event.outcome") == "\"failure\"");
  BOOST_TEST(su.get("user.name") == "\"bob\"");
  BOOST_TEST(su.get("user.effective.name") == "\"root\"");
  const auto opened = run(linux_auth(),
                          "Oct  3 02:59:00 h su[5]: pam_unix(su:session): session opened for user "
                          "root by bob(uid=1000)");
  BOOST_TEST(opened.get("event.action") == "\"logged-on\"");
  BOOST_TEST(opened.get("user.name") == "\"bob\"");
  BOOST_TEST(opened.get("user.id") == "\"1000\"");
}

BOOST_AUTO_TEST_CASE(new_users_and_groups_are_iam_creations) {
  const auto r = run(linux_auth(),
                     "Oct  3 02:59:00 h useradd[6995]: new user: name=apache, UID=48, GID=48, "
                     "home=/usr/share/httpd, shell=/sbin/nologin");
  BOOST_TEST(r.get("event.type") == "[\"user\",\"creation\"]");
  BOOST_TEST(r.get("user.name") == "\"apache\"");
  BOOST_TEST(r.get("user.id") == "\"48\"");
}

BOOST_AUTO_TEST_CASE(other_programs_are_declined) {
  BOOST_TEST((run(linux_auth(), "Oct  3 02:59:00 h nginx[1]: started").what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()
