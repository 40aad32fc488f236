// linux_auth: sshd (and Dropbear), sudo, su, PAM and the shadow tools
// (useradd, groupadd...) as they write to auth.log / secure. Dataset linux.auth.
//
// ECS mapping follows the Elastic system/auth pipeline where it applies:
// sshd logins are event.action ssh_login with category authentication (and
// session when accepted), type info; sudo commands are category process;
// PAM session open/close is category session; user and group creation is
// category iam.
#include <array>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"

namespace mimamori::parsers {
namespace {

constexpr std::array<std::string_view, 20> auth_programs = {
    "sshd",     "sshd-session",   "sudo",     "su",          "pam",      "login",
    "useradd",  "groupadd",       "userdel",  "groupdel",    "usermod",  "groupmod",
    "passwd",   "chpasswd",       "chage",    "systemd-logind", "polkitd", "unix_chkpwd",
    "dropbear", "gpasswd"};

bool is_auth_program(std::string_view app) {
  for (auto p : auth_programs) {
    if (p == app) return true;
  }
  return false;
}

void set_user(fields& out, std::string_view user) {
  if (user.empty()) return;
  out.set("user.name", user);
  out.add("related.user", user);
}

void login(fields& out, bool success, bool session) {
  out.set("event.action", "ssh_login");
  out.add("event.category", "authentication");
  if (session) out.add("event.category", "session");
  out.add("event.type", "info");
  out.set("event.outcome", success ? "success" : "failure");
}

// A connection from a client that did not send an SSH identification.
void bad_client(fields& out) {
  out.set("event.action", "ssh_bad_banner");
  out.add("event.category", "network");
  out.add("event.type", "denied");
  out.set("event.outcome", "failure");
}

// "from IP port N" at the start of s (after "from ").
void source_from(fields& out, std::string_view s) {
  std::string_view host = take_until(s, ' ');
  std::string_view port;
  if (consume(s, "port ")) port = take_until(s, ' ');
  if (is_ip(host)) {
    out.set("source.address", host);
    set_endpoint(out, "source", host, port);
  } else if (!host.empty()) {
    out.set("source.address", host);
    out.set("source.domain", host);
  }
}

// "for [invalid user ]USER from IP port N ssh2"
void user_from(fields& out, std::string_view s) {
  consume(s, "illegal user ") || consume(s, "invalid user ");
  const std::size_t from = s.rfind(" from ");
  if (from == std::string_view::npos) {
    set_user(out, take_until(s, ' '));
    return;
  }
  set_user(out, s.substr(0, from));
  source_from(out, s.substr(from + 6));
}

void pam_body(std::string_view msg, fields& out);

// " logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root" of a
// PAM authentication failure.
void auth_failure(std::string_view kvs, fields& out) {
  out.set("event.action", "authentication_failure");
  out.add("event.category", "authentication");
  out.add("event.type", "info");
  out.set("event.outcome", "failure");
  std::size_t pos = 0;
  kv_pair kv;
  while (next_kv(kvs, pos, kv)) {
    if (kv.key == "rhost" && !kv.value.empty()) {
      out.set("source.address", kv.value);
      if (is_ip(kv.value))
        set_endpoint(out, "source", kv.value, {});
      else
        out.set("source.domain", kv.value);
    } else if (kv.key == "user" && !kv.value.empty()) {
      set_user(out, kv.value);
    } else if (kv.key == "ruser" && !kv.value.empty() && !out.has("user.name")) {
      set_user(out, kv.value);
    }
  }
}

// pam_unix(service:type): ...
bool pam_message(std::string_view msg, fields& out) {
  if (!consume(msg, "pam_unix(") && !consume(msg, "pam_sss(") && !consume(msg, "pam_systemd(")) {
    return false;
  }
  take_until(msg, ')');
  consume(msg, ":");
  consume(msg, " ");
  pam_body(msg, out);
  return true;
}

// What PAM says after its "pam_unix(service:type): " (or after an older
// syslog tag "sshd(pam_unix)[pid]:", which names the module in the tag).
void pam_body(std::string_view msg, fields& out) {
  if (consume(msg, "session opened for user ")) {
    std::string_view user = take_until(msg, ' ');
    if (user.size() > 2 && user.substr(user.size() - 2) == "(uid")
      user = user.substr(0, user.size() - 5);
    std::string_view by;
    if (consume(msg, "by ")) by = msg;
    // "by vagrant(uid=0)" or "by (uid=0)"
    const std::size_t paren = by.find('(');
    std::string_view by_user = by.substr(0, paren);
    std::string_view uid;
    if (paren != std::string_view::npos && starts_with(by.substr(paren), "(uid=")) {
      uid = by.substr(paren + 5);
      uid = uid.substr(0, uid.find(')'));
    }
    out.set("event.action", "logged-on");
    out.add("event.category", "session");
    if (!by_user.empty()) {
      set_user(out, by_user);
      if (!uid.empty()) out.set("user.id", uid);
      out.set("user.effective.name", user);
      out.add("related.user", user);
    } else {
      set_user(out, user);
    }
    return;
  }
  if (consume(msg, "session closed for user ")) {
    out.set("event.action", "logged-off");
    out.add("event.category", "session");
    set_user(out, take_until(msg, ' '));
    return;
  }
  if (consume(msg, "authentication failure;")) auth_failure(msg, out);
  // other pam_unix lines: envelope only
}

// Refusals and disconnects that name the client without "from ... port":
// true when `s` was one.
bool sshd_refusal(std::string_view s, fields& out) {
  if (consume(s, "Authentication failure for ")) {
    // "Authentication failure for root from 192.0.2.1" (older sshd, PAM)
    user_from(out, s);
    login(out, false, false);
    return true;
  }
  if (consume(s, "ROOT LOGIN REFUSED FROM ")) {
    set_user(out, "root");
    source_from(out, s);
    login(out, false, false);
    return true;
  }
  if (consume(s, "refused connect from ")) {
    // tcp_wrappers: "refused connect from host.example (192.0.2.6)"
    const std::size_t open = s.rfind('(');
    std::string_view ip = open == std::string_view::npos ? take_until(s, ' ') : s.substr(open + 1);
    if (!ip.empty() && ip.back() == ')') ip.remove_suffix(1);
    if (is_ip(ip)) set_endpoint(out, "source", ip, {});
    return true;
  }
  if (consume(s, "Postponed ")) {
    // "Postponed keyboard-interactive for invalid user bob from 192.0.2.17 port 4012 ssh2"
    take_until(s, ' ');
    if (consume(s, "for ")) user_from(out, s);
    return true;
  }
  if (consume(s, "Disconnecting invalid user ") || consume(s, "Disconnecting authenticating user ") ||
      consume(s, "Disconnecting user ")) {
    // "Disconnecting invalid user bob 192.0.2.10 port 4005: Too many authentication failures"
    set_user(out, take_until(s, ' '));
    std::string_view ip = take_until(s, ' ');
    std::string_view port;
    if (consume(s, "port ")) port = take_until(s, ':');
    if (is_ip(ip)) set_endpoint(out, "source", ip, port);
    if (s.find("Too many authentication failures") != std::string_view::npos) {
      login(out, false, false);
    }
    return true;
  }
  if (consume(s, "Disconnecting: Too many authentication failures for ")) {
    set_user(out, take_until(s, ' '));
    login(out, false, false);
    return true;
  }
  if (starts_with(s, "Bad protocol version identification ")) {
    // "... 'GET / HTTP/1.1' from 192.0.2.8 port 4003"
    const std::size_t from = s.rfind(" from ");
    if (from != std::string_view::npos) source_from(out, s.substr(from + 6));
    return true;
  }
  if (consume(s, "Address ")) {
    // "Address 192.0.2.31 maps to x.example, but this does not map back ..."
    const std::string_view ip = take_until(s, ' ');
    if (!is_ip(ip) || !starts_with(s, "maps to ")) return false;
    set_endpoint(out, "source", ip, {});
    return true;
  }
  return false;
}

void sshd(std::string_view msg, fields& out) {
  if (consume(msg, "message repeated ")) {
    // "message repeated 2 times: [ Failed password for ...]"
    const std::size_t open = msg.find("[ ");
    if (open != std::string_view::npos) {
      msg = msg.substr(open + 2);
      if (!msg.empty() && msg.back() == ']') msg.remove_suffix(1);
    }
  }
  // "fatal: Unable to negotiate ...", "error: Connection closed by ...",
  // "banner exchange: Connection from ...": the same messages, prefixed.
  if (!starts_with(msg, "error: PAM: ") && !starts_with(msg, "error: maximum ")) {
    consume(msg, "fatal: ") || consume(msg, "error: ");
  }
  // A client that does not speak SSH ("banner exchange: ... invalid
  // format", "Did not receive identification string"): probing, counted by
  // brute-force detections as CrowdSec's ssh-bf does.
  const bool bad_banner = consume(msg, "banner exchange: ");
  std::string_view s = msg;
  if (sshd_refusal(s, out)) return;
  if (consume(s, "Accepted ")) {
    const std::string_view method = take_until(s, ' ');
    out.set("system.auth.ssh.event", "Accepted");
    out.set("system.auth.ssh.method", method);
    if (consume(s, "for ")) {
      // "... ssh2: RSA SHA256:..."
      const std::size_t colon = s.find(": ");
      if (colon != std::string_view::npos) {
        out.set("system.auth.ssh.signature", s.substr(colon + 2));
        s = s.substr(0, colon);
      }
      user_from(out, s);
    }
    login(out, true, true);
    return;
  }
  if (consume(s, "Failed ")) {
    const std::string_view method = take_until(s, ' ');
    out.set("system.auth.ssh.event", "Failed");
    out.set("system.auth.ssh.method", method);
    if (consume(s, "for ")) user_from(out, s);
    login(out, false, false);
    return;
  }
  if (consume(s, "Invalid user ") || consume(s, "Illegal user ")) {
    out.set("system.auth.ssh.event", "Invalid");
    const std::size_t from = s.rfind(" from ");
    if (from != std::string_view::npos) {
      set_user(out, s.substr(0, from));
      source_from(out, s.substr(from + 6));
    } else {
      set_user(out, s);
    }
    login(out, false, false);
    return;
  }
  if (consume(s, "input_userauth_request: invalid user ")) {
    // "input_userauth_request: invalid user admin [preauth]"
    std::string_view user = take_until(s, ' ');
    set_user(out, user);
    login(out, false, false);
    return;
  }
  if (consume(s, "Did not receive identification string from ")) {
    std::string_view ip = take_until(s, ' ');
    if (is_ip(ip)) {
      out.set("system.auth.ssh.dropped_ip", ip);
      set_endpoint(out, "source", ip, {});
      bad_client(out);
    }
    return;
  }
  if (consume(s, "error: maximum authentication attempts exceeded for ")) {
    user_from(out, s);
    login(out, false, false);
    return;
  }
  if (consume(s, "Connection closed by ") || consume(s, "Disconnected from ") ||
      consume(s, "Received disconnect from ") || consume(s, "Connection reset by ") ||
      consume(s, "Timeout before authentication for ") || consume(s, "Unable to negotiate with ") ||
      consume(s, "Connection from ")) {
    if (consume(s, "authenticating user ") || consume(s, "invalid user ") || consume(s, "user ")) {
      set_user(out, take_until(s, ' '));
    }
    std::string_view ip = take_until(s, ' ');
    if (!ip.empty() && ip.back() == ':') ip.remove_suffix(1);  // "from 1.2.3.4: 11: Bye Bye"
    std::string_view port;
    if (consume(s, "port ")) {
      port = take_until(s, ' ');
      if (!port.empty() && port.back() == ':') port.remove_suffix(1);
      if (const std::size_t c = port.find(':'); c != std::string_view::npos)
        port = port.substr(0, c);
    }
    if (is_ip(ip)) set_endpoint(out, "source", ip, port);
    if (bad_banner && is_ip(ip)) bad_client(out);
    return;
  }
  if (consume(s, "User ")) {
    // "User root from 1.2.3.4 not allowed because ..."
    std::string_view user = take_until(s, ' ');
    if (consume(s, "from ")) {
      set_user(out, user);
      std::string_view host = take_until(s, ' ');
      if (is_ip(host)) set_endpoint(out, "source", host, {});
      login(out, false, false);
    }
    return;
  }
  if (consume(s, "error: PAM: ")) {
    // "... for illegal user test from host" / "for root from 1.2.3.4"
    const std::size_t f = s.rfind(" for ");
    const std::size_t from = s.rfind(" from ");
    out.set("system.auth.ssh.event",
            msg.substr(0, msg.size() - s.size() + (f == std::string_view::npos ? s.size() : f)));
    if (f != std::string_view::npos && from != std::string_view::npos && from > f) {
      std::string_view who = s.substr(f + 5, from - f - 5);
      consume(who, "illegal user ") || consume(who, "invalid user ");
      set_user(out, who);
      source_from(out, s.substr(from + 6));
    }
    return;
  }
  if (consume(s, "reverse mapping checking getaddrinfo for ")) {
    const std::size_t open = s.find('[');
    if (open != std::string_view::npos) {
      std::string_view ip = s.substr(open + 1);
      ip = ip.substr(0, ip.find(']'));
      if (is_ip(ip)) set_endpoint(out, "source", ip, {});
    }
    return;
  }
  if (consume(s, "PAM ") && s.find(" more authentication failure") != std::string_view::npos) {
    // "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root"
    const std::size_t semi = s.find("; ");
    auth_failure(semi == std::string_view::npos ? std::string_view{} : s.substr(semi + 1), out);
    return;
  }
  pam_message(msg, out);
}

// Dropbear's client "host:port" (IPv6 "::ffff:1.2.3.4:60495", "<...>" around
// it in exit messages); an IPv4-mapped address is given as the IPv4 one.
void dropbear_client(fields& out, std::string_view text) {
  if (!text.empty() && text.front() == '<') text.remove_prefix(1);
  text = text.substr(0, text.find('>'));
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return;
  std::string_view ip = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  consume(ip, "::ffff:");
  if (!is_ip(ip)) return;
  out.set("source.address", ip);
  set_endpoint(out, "source", ip, port);
}

// Dropbear SSH (routers, embedded systems). When it logs to stderr each
// message starts "[pid] Mon dd hh:mm:ss ".
void dropbear(std::string_view msg, fields& out) {
  if (msg.size() > 20 && msg[0] == '[') {
    const std::size_t close = msg.find("] ");
    if (close != std::string_view::npos && close + 18 <= msg.size() && msg[close + 11] == ':') {
      msg = msg.substr(close + 18);
    }
  }
  std::string_view s = msg;
  auto quoted_user = [&](std::string_view& rest) {
    if (!consume(rest, "'")) return;
    set_user(out, take_until(rest, '\''));
    consume(rest, " ");
  };
  const bool bad = consume(s, "Bad password attempt for ") || consume(s, "bad password attempt for ");
  if (bad || consume(s, "Password auth succeeded for ") || consume(s, "Pubkey auth succeeded for ")) {
    quoted_user(s);
    const std::size_t from = s.rfind("from ");
    if (from != std::string_view::npos) dropbear_client(out, s.substr(from + 5));
    out.set("event.action", "ssh_login");
    out.add("event.category", "authentication");
    out.add("event.type", "info");
    out.set("event.outcome", bad ? "failure" : "success");
    return;
  }
  if (consume(s, "Login attempt for nonexistent user") ||
      consume(s, "login attempt for nonexistent user")) {
    const std::size_t from = s.rfind("from ");
    if (from != std::string_view::npos) dropbear_client(out, s.substr(from + 5));
    login(out, false, false);
    return;
  }
  if (consume(s, "Exit before auth")) {
    // "(user 'root', 10 fails): Max auth tries reached - user 'root' from 1.2.3.4:60588"
    // or " from <192.0.2.3:52289>: (user 'root', 10 fails): ..."
    if (consume(s, " from ")) dropbear_client(out, take_until(s, ' '));
    if (const std::size_t user = s.find("(user '"); user != std::string_view::npos) {
      std::string_view rest = s.substr(user + 6);
      quoted_user(rest);
    }
    if (const std::size_t from = s.rfind(" from "); from != std::string_view::npos &&
                                                    !out.has("source.address")) {
      dropbear_client(out, s.substr(from + 6));
    }
    if (s.find("Max auth tries reached") != std::string_view::npos) login(out, false, false);
    return;
  }
  if (consume(s, "Child connection from ")) dropbear_client(out, take_until(s, ' '));
}

void sudo(std::string_view msg, fields& out) {
  if (pam_message(msg, out)) return;
  // "   user : [error ; ]TTY=pts/0 ; PWD=/home ; USER=root ; COMMAND=/bin/ls"
  std::string_view s = msg;
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  const std::size_t sep = s.find(" : ");
  if (sep == std::string_view::npos) return;
  const std::string_view user = s.substr(0, sep);
  s = s.substr(sep + 3);
  if (user.find(' ') != std::string_view::npos) return;
  set_user(out, user);
  out.add("event.category", "process");
  bool first = true;
  while (!s.empty()) {
    const std::size_t next = s.find(" ; ");
    std::string_view part = s.substr(0, next);
    s = next == std::string_view::npos ? std::string_view{} : s.substr(next + 3);
    if (consume(part, "TTY=")) {
      out.set("system.auth.sudo.tty", part);
    } else if (consume(part, "PWD=")) {
      out.set("system.auth.sudo.pwd", part);
    } else if (consume(part, "USER=")) {
      out.set("system.auth.sudo.user", part);
      out.set("user.effective.name", part);
      out.add("related.user", part);
    } else if (consume(part, "COMMAND=")) {
      // The command runs to the end of the line (it may hold " ; ").
      std::string_view command(part.data(),
                               static_cast<std::size_t>(msg.data() + msg.size() - part.data()));
      out.set("system.auth.sudo.command", command);
      out.set("process.command_line", command);
      break;
    } else if (first) {
      out.set("system.auth.sudo.error", part);
      out.set("event.outcome", "failure");
    }
    first = false;
  }
}

void su(std::string_view msg, fields& out) {
  if (pam_message(msg, out)) return;
  std::string_view s = msg;
  const bool failed = consume(s, "FAILED SU ") || consume(s, "FAILED su ");
  if (consume(s, "(to ")) {
    const std::string_view target = take_until(s, ')');
    consume(s, " ");
    set_user(out, take_until(s, ' '));
    out.set("user.effective.name", target);
    out.add("related.user", target);
    out.add("event.category", "authentication");
    out.add("event.type", "info");
    out.set("event.outcome", failed ? "failure" : "success");
    return;
  }
  if (consume(s, "Successful su for ")) {
    const std::string_view target = take_until(s, ' ');
    if (consume(s, "by ")) set_user(out, take_until(s, ' '));
    out.set("user.effective.name", target);
    out.add("related.user", target);
    out.add("event.category", "authentication");
    out.add("event.type", "info");
    out.set("event.outcome", "success");
  }
}

// The name in "... user 'NAME'..." or "... group 'NAME'...".
std::string_view quoted_name(std::string_view s, std::string_view before) {
  const std::size_t at = s.find(before);
  if (at == std::string_view::npos) return {};
  s = s.substr(at + before.size());
  return s.substr(0, s.find('\''));
}

// What useradd, userdel, usermod, groupadd... did to an account when it is
// not a "new user:" line:
//   failed adding user 'aol', exit code: 4          (useradd)
//   delete user 'jce'                                (userdel)
//   change user 'acris' expiration from 'a' to 'b'   (usermod; also shell, home, name...)
//   add 'bob' to group 'wheel'                       (usermod -G)
//   delete 'bob' from group 'wheel'                  (gpasswd, usermod)
//   group added to /etc/group: name=devs, GID=1001   (groupadd)
//   delete group 'devs'                               (groupdel)
void account_change(std::string_view msg, fields& out) {
  std::string_view name, action, kind = "user";
  bool failed = false;
  if (starts_with(msg, "failed adding user ")) {
    name = quoted_name(msg, "user '");
    action = "creation";
    failed = true;
  } else if (starts_with(msg, "delete user ")) {
    name = quoted_name(msg, "user '");
    action = "deletion";
  } else if (starts_with(msg, "change user ")) {
    name = quoted_name(msg, "user '");
    action = "change";
  } else if (starts_with(msg, "add '") || starts_with(msg, "delete '")) {
    name = quoted_name(msg, "'");
    const std::string_view group = quoted_name(msg, "group '");
    if (!group.empty()) out.set_copy("group.name", group);
    kind = "group";
    action = "change";
  } else if (starts_with(msg, "delete group ")) {
    const std::string_view group = quoted_name(msg, "group '");
    if (!group.empty()) out.set_copy("group.name", group);
    kind = "group";
    action = "deletion";
  } else {
    return;
  }
  if (!name.empty()) set_user(out, name);
  out.add("event.category", "iam");
  out.add("event.type", kind);
  out.add("event.type", action);
  out.set("event.outcome", failed ? "failure" : "success");
}

// "new group: name=apache, GID=48" / "new user: name=apache, UID=48, GID=48, home=..., shell=..."
void shadow_tools(std::string_view msg, fields& out) {
  std::string_view s = msg;
  const bool group = consume(s, "new group: ");
  const bool user = !group && consume(s, "new user: ");
  if (!group && !user) {
    account_change(msg, out);
    return;
  }
  out.add("event.category", "iam");
  out.add("event.type", group ? "group" : "user");
  out.add("event.type", "creation");
  out.set("event.outcome", "success");
  while (!s.empty()) {
    std::string_view part = take_until(s, ',');
    consume(s, " ");
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "name") {
      if (group)
        out.set("group.name", value);
      else
        set_user(out, value);
    } else if (key == "GID") {
      out.set("group.id", value);
    } else if (key == "UID") {
      out.set("user.id", value);
    } else if (key == "home") {
      out.set("system.auth.useradd.home", value);
    } else if (key == "shell") {
      out.set("system.auth.useradd.shell", value);
    }
  }
}

class linux_auth_parser final : public parser {
 public:
  std::string_view name() const override { return "linux-auth"; }
  std::string_view dataset() const override { return "linux.auth"; }
  std::string_view description() const override {
    return "sshd, sudo, su, PAM, useradd/groupadd lines of auth.log and secure";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view app = line.header.app_name;
    const std::string_view msg = line.header.message;
    // Older PAM wrote the module in the tag: "sshd(pam_unix)[19939]: authentication failure; ..."
    if (const std::size_t paren = app.find('('); paren != std::string_view::npos &&
                                                 app.substr(paren) == "(pam_unix)") {
      app = app.substr(0, paren);
      if (!is_auth_program(app) && app != "gdm" && app != "cron" && app != "crond") return {};
      pam_body(msg, out);
      return {outcome::parsed, {}};
    }
    if (!is_auth_program(app)) {
      // PAM lines of other services ("pam_unix(cron:session): ...").
      if (!starts_with(msg, "pam_unix(") && !starts_with(msg, "pam_sss(")) return {};
      pam_message(msg, out);
      return {outcome::parsed, {}};
    }
    if (app == "sshd" || app == "sshd-session") {
      sshd(msg, out);
    } else if (app == "dropbear") {
      dropbear(msg, out);
    } else if (app == "sudo") {
      sudo(msg, out);
    } else if (app == "su") {
      su(msg, out);
    } else if (app == "useradd" || app == "groupadd" || app == "userdel" || app == "usermod" ||
               app == "groupdel" || app == "groupmod" || app == "gpasswd") {
      shadow_tools(msg, out);
    } else {
      pam_message(msg, out);
    }
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& linux_auth() {
  static const linux_auth_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
