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

BOOST_AUTO_TEST_CASE(older_pam_tags_and_preauth_lines) {
  const auto pam = run(linux_auth(),
                       "Oct  3 02:59:00 h sshd(pam_unix)[7]: authentication failure; logname= "
                       "uid=0 euid=0 tty=NODEVssh ruser= rhost=192.0.2.8  user=root");
  BOOST_TEST((pam.what == outcome::parsed));
  BOOST_TEST(pam.get("source.ip") == "\"192.0.2.8\"");
  BOOST_TEST(pam.get("user.name") == "\"root\"");
  BOOST_TEST(pam.get("event.outcome") == "\"failure\"");
  BOOST_TEST((run(linux_auth(), "Oct  3 02:59:00 h cupsd(pam_unix)[7]: session opened for user x")
                  .what == outcome::no_match));
  const auto bye = run(linux_auth(),
                       "Oct  3 02:59:00 h sshd[8]: Received disconnect from 192.0.2.9: 11: Bye Bye "
                       "[preauth]");
  BOOST_TEST(bye.get("source.ip") == "\"192.0.2.9\"");
  const auto invalid = run(linux_auth(),
                           "Oct  3 02:59:00 h sshd[8]: input_userauth_request: invalid user "
                           "oracle [preauth]");
  BOOST_TEST(invalid.get("user.name") == "\"oracle\"");
  BOOST_TEST(invalid.get("event.outcome") == "\"failure\"");
  const auto more = run(linux_auth(),
                        "Oct  3 02:59:00 h sshd[8]: PAM 2 more authentication failures; logname= "
                        "uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.10  user=admin");
  BOOST_TEST(more.get("source.ip") == "\"192.0.2.10\"");
  BOOST_TEST(more.get("user.name") == "\"admin\"");
}

BOOST_AUTO_TEST_CASE(refusals_name_their_client) {
  const auto refused = run(linux_auth(), "Oct  3 02:59:00 h sshd[8]: ROOT LOGIN REFUSED FROM 192.0.2.5");
  BOOST_TEST(refused.get("source.ip") == "\"192.0.2.5\"");
  BOOST_TEST(refused.get("user.name") == "\"root\"");
  const auto wrappers = run(linux_auth(),
                            "Oct  3 02:59:00 h sshd[8]: refused connect from x.example (192.0.2.6)");
  BOOST_TEST(wrappers.get("source.ip") == "\"192.0.2.6\"");
  const auto too_many = run(linux_auth(),
                            "Oct  3 02:59:00 h sshd[8]: Disconnecting invalid user bob 192.0.2.10 "
                            "port 4005: Too many authentication failures [preauth]");
  BOOST_TEST(too_many.get("source.port") == "4005");
  BOOST_TEST(too_many.get("user.name") == "\"bob\"");
  BOOST_TEST(too_many.get("event.outcome") == "\"failure\"");
  const auto fatal = run(linux_auth(),
                         "Oct  3 02:59:00 h sshd[8]: fatal: Unable to negotiate with 192.0.2.14 "
                         "port 4009: no matching host key type found.");
  BOOST_TEST(fatal.get("source.ip") == "\"192.0.2.14\"");
  const auto pam = run(linux_auth(),
                       "Oct  3 02:59:00 h sshd[8]: error: PAM: Authentication failure for illegal "
                       "user bob from 192.0.2.4");
  BOOST_TEST(pam.get("user.name") == "\"bob\"");
  BOOST_TEST(pam.get("source.ip") == "\"192.0.2.4\"");
}

BOOST_AUTO_TEST_CASE(dropbear_logins) {
  const auto bad = run(linux_auth(),
                       "Oct  3 02:59:00 rt dropbear[10]: Bad password attempt for 'admin' from "
                       "::ffff:192.0.2.50:40001");
  BOOST_TEST(bad.get("source.ip") == "\"192.0.2.50\"");
  BOOST_TEST(bad.get("source.port") == "40001");
  BOOST_TEST(bad.get("user.name") == "\"admin\"");
  BOOST_TEST(bad.get("event.outcome") == "\"failure\"");
  const auto exit = run(linux_auth(),
                        "Oct  3 02:59:00 rt dropbear[11]: [11] Oct 03 02:59:00 Exit before auth "
                        "from <192.0.2.53:40004>: (user 'ubnt', 5 fails): Max auth tries reached");
  BOOST_TEST(exit.get("source.ip") == "\"192.0.2.53\"");
  BOOST_TEST(exit.get("user.name") == "\"ubnt\"");
  const auto ok = run(linux_auth(),
                      "Oct  3 02:59:00 rt dropbear[12]: Password auth succeeded for 'root' from "
                      "2001:db8::9:40005");
  BOOST_TEST(ok.get("source.ip") == "\"2001:db8::9\"");
  BOOST_TEST(ok.get("event.outcome") == "\"success\"");
}

BOOST_AUTO_TEST_CASE(clients_that_do_not_speak_ssh_are_bad_banners) {
  const auto banner = run(linux_auth(),
                          "Oct  3 02:59:00 h sshd[9]: banner exchange: Connection from 192.0.2.60 "
                          "port 34388: invalid format");
  BOOST_TEST(banner.get("source.ip") == "\"192.0.2.60\"");
  BOOST_TEST(banner.get("event.action") == "\"ssh_bad_banner\"");
  BOOST_TEST(banner.get("event.outcome") == "\"failure\"");
  const auto none = run(linux_auth(),
                        "Oct  3 02:59:00 h sshd[9]: Did not receive identification string from "
                        "192.0.2.61 port 5000");
  BOOST_TEST(none.get("event.action") == "\"ssh_bad_banner\"");
  // An ordinary connection line is not one.
  const auto plain = run(linux_auth(),
                         "Oct  3 02:59:00 h sshd[9]: Connection closed by 192.0.2.62 port 5001");
  BOOST_TEST(plain.get("source.ip") == "\"192.0.2.62\"");
  BOOST_TEST(!plain.has("event.action"));
}

BOOST_AUTO_TEST_SUITE_END()
