// auditd: Linux audit records, from audit.log or relayed by audisp/syslog.
// Dataset auditd.log.
//
//   [node=host ]type=SYSCALL msg=audit(1479982525.380:50): arch=c000003e syscall=59 ...
//   type=USER_LOGIN msg=audit(...): pid=1 uid=0 ... msg='op=login acct="alice" ... res=failed'
//   audit: type=1400 audit(1600000000.123:456): apparmor="DENIED" ...   (kernel ring)
//
// Every key is kept under auditd.log.<key> (the nested msg='...' flattened),
// as Elastic's auditd module does; values the kernel hex-encodes (comm, exe,
// cmd, proctitle, EXECVE arguments, ...) are decoded. ECS: process.*,
// user.* (ids, and names from the enriched UID=/AUID= or acct=), source.ip
// from addr=, event.outcome from res=/success=.
#include <algorithm>
#include <array>
#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/epoch.hpp"

namespace mimamori::parsers {
namespace {

using namespace vendor;

// Keys whose values auditd writes in hex when they hold a blank, a quote or
// a control character (audit_log_untrustedstring in the kernel, and the
// userspace audit_encode_value users).
constexpr auto encoded_keys = std::to_array<std::string_view>({
    "acct", "cmd", "comm", "cwd", "data", "dir", "exe", "file", "grp", "name", "new_group",
    "new_user", "ocomm", "old-chardev", "path", "proctitle", "root_dir", "sw", "terminal", "vm",
    "watch", "key", "old_name", "new_name",
});

bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
int hex_value(char c) {
  return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

// Decodes an unquoted hex value into `text` (NUL bytes become blanks, as
// ausearch -i shows proctitle). False when it is not hex.
bool decode_hex(std::string_view value, std::string& text) {
  if (value.size() < 2 || value.size() % 2 != 0) return false;
  for (char c : value) {
    if (!is_hex_digit(c)) return false;
  }
  text.clear();
  for (std::size_t i = 0; i < value.size(); i += 2) {
    const char c = static_cast<char>(hex_value(value[i]) * 16 + hex_value(value[i + 1]));
    text.push_back(c == '\0' ? ' ' : c);
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return true;
}

bool is_encoded_key(std::string_view key, bool execve) {
  if (execve && key.size() >= 2 && key[0] == 'a' && is_digit(key[1])) return true;
  return std::find(encoded_keys.begin(), encoded_keys.end(), key) != encoded_keys.end();
}

// The ids auditd writes for "unset".
bool unset_id(std::string_view v) {
  return v.empty() || v == "4294967295" || v == "-1" || v == "?" || v == "(none)" ||
         v == "unset";
}

struct record {
  std::string_view type;
  bool execve = false;
  std::uint64_t args = 0;  // EXECVE: which of a0..a63 were seen
  std::size_t argc = 0;
  std::string_view res, success;
};

class auditd_parser final : public parser {
 public:
  std::string_view name() const override { return "auditd"; }
  std::string_view dataset() const override { return "auditd.log"; }
  std::string_view description() const override {
    return "Linux auditd records (type=... msg=audit(ts:serial): ...), hex values decoded";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    std::string_view msg = line.header.message;
    const std::size_t audit = msg.substr(0, 160).find("audit(");
    if (audit == std::string_view::npos) return {};
    const std::size_t type_at = msg.substr(0, audit).find("type=");
    if (type_at == std::string_view::npos) return {};
    record r;
    std::string_view type_text = msg.substr(type_at + 5);
    r.type = type_text.substr(0, type_text.find(' '));
    if (r.type.empty()) return {};
    // node= before the type (multi-host setups).
    if (const std::size_t node = msg.substr(0, type_at).find("node="); node != std::string_view::npos) {
      std::string_view n = msg.substr(node + 5);
      n = n.substr(0, n.find(' '));
      if (!n.empty()) out.set("host.name", n);
    }
    // audit(SECONDS.MILLIS:SERIAL):
    std::string_view stamp = msg.substr(audit + 6);
    const std::size_t colon = stamp.find(':');
    const std::size_t close = stamp.find(')');
    if (colon == std::string_view::npos || close == std::string_view::npos || colon > close)
      return {outcome::broken, "audit(...) stamp has no serial number"};
    const auto t = time::parse_epoch(stamp.substr(0, colon));
    if (!t) return {outcome::broken, "audit(...) stamp is not seconds since the epoch"};
    set_time(out, "@timestamp", *t);
    if (auto serial = to_int(stamp.substr(colon + 1, close - colon - 1)))
      out.set_int("auditd.log.sequence", *serial);
    std::string_view body = stamp.substr(close + 1);
    if (starts_with(body, ":")) body.remove_prefix(1);
    r.execve = r.type == "EXECVE";
    out.set("auditd.log.record_type", r.type);  // a name, or the kernel's number
    walk(out, body, r, 0);
    finish(out, r);
    return {outcome::parsed, {}};
  }

 private:
  static void walk(fields& out, std::string_view body, record& r, int depth) {
    std::size_t pos = 0;
    std::string decoded;
    while (pos < body.size()) {
      while (pos < body.size() && body[pos] == ' ') ++pos;
      const std::size_t eq = body.find('=', pos);
      if (eq == std::string_view::npos) break;
      std::string_view key = body.substr(pos, eq - pos);
      if (key.find(' ') != std::string_view::npos) {
        // A free word ("avc:  denied  { write } for"): skip it.
        pos = body.find(' ', pos);
        if (pos == std::string_view::npos) break;
        continue;
      }
      std::size_t i = eq + 1;
      std::string_view value;
      bool quoted = false;
      if (i < body.size() && (body[i] == '"' || body[i] == '\'')) {
        const char q = body[i];
        const std::size_t end = body.find(q, i + 1);
        value = body.substr(i + 1, (end == std::string_view::npos ? body.size() : end) - i - 1);
        pos = end == std::string_view::npos ? body.size() : end + 1;
        quoted = true;
        if (q == '\'' && key == "msg" && depth == 0) {
          walk(out, value, r, depth + 1);
          continue;
        }
      } else {
        const std::size_t end = body.find(' ', i);
        value = body.substr(i, (end == std::string_view::npos ? body.size() : end) - i);
        pos = end == std::string_view::npos ? body.size() : end;
      }
      // "hostname=? addr=?," -- the trailing comma of USER_* records.
      while (!value.empty() && !quoted && (value.back() == ',' || value.back() == ')'))
        value.remove_suffix(1);
      if (value.empty() || value == "?" || value == "(null)") continue;
      bool copied = false;
      if (!quoted && is_encoded_key(key, r.execve) && decode_hex(value, decoded)) copied = true;
      const std::string_view v = copied ? std::string_view(decoded) : value;
      out.set_dynamic("auditd.log.", key, v, copied);
      map_key(out, key, v, copied, r);
    }
  }

  static void put(fields& out, std::string_view path, std::string_view v, bool copied) {
    if (copied)
      out.set_copy(path, v);
    else
      out.set(path, v);
  }

  static void map_key(fields& out, std::string_view key, std::string_view v, bool copied,
                      record& r) {
    if (r.execve && key.size() >= 2 && key[0] == 'a' && is_digit(key[1]) &&
        key.find('[') == std::string_view::npos) {
      // Read back in finish() from auditd.log.aN (the arena may move).
      if (auto index = to_int(key.substr(1)); index && *index >= 0 && *index < 64) {
        r.args |= std::uint64_t{1} << *index;
        r.argc = std::max(r.argc, static_cast<std::size_t>(*index) + 1);
      }
      return;
    }
    if (key == "pid") {
      if (auto n = to_int(v)) out.set_int("process.pid", *n);
    } else if (key == "ppid") {
      if (auto n = to_int(v)) out.set_int("process.parent.pid", *n);
    } else if (key == "comm") {
      put(out, "process.name", v, copied);
    } else if (key == "exe") {
      put(out, "process.executable", v, copied);
    } else if (key == "cwd") {
      put(out, "process.working_directory", v, copied);
    } else if (key == "proctitle" || key == "cmd") {
      put(out, "process.command_line", v, copied);
    } else if (key == "uid") {
      if (!unset_id(v)) out.set("user.id", v);
    } else if (key == "auid") {
      if (!unset_id(v)) out.set("user.audit.id", v);
    } else if (key == "euid") {
      if (!unset_id(v)) out.set("user.effective.id", v);
    } else if (key == "gid") {
      if (!unset_id(v)) out.set("user.group.id", v);
    } else if (key == "egid") {
      if (!unset_id(v)) out.set("user.effective.group.id", v);
    } else if (key == "UID") {
      put(out, "user.name", v, copied);
      out.add_copy("related.user", v);
    } else if (key == "AUID") {
      if (!unset_id(v) && v != "unset") {
        put(out, "user.audit.name", v, copied);
        out.add_copy("related.user", v);
      }
    } else if (key == "EUID") {
      put(out, "user.effective.name", v, copied);
    } else if (key == "acct") {
      put(out, "user.name", v, copied);
      out.add_copy("related.user", v);
    } else if (key == "addr") {
      if (is_ip(v)) set_ip(out, "source.ip", v);
    } else if (key == "hostname") {
      if (!is_ip(v) && v != "?") put(out, "source.domain", v, copied);
    } else if (key == "terminal") {
      put(out, "auditd.log.terminal", v, copied);
    } else if (key == "res" || key == "result") {
      r.res = v;
    } else if (key == "success") {
      r.success = v;
    } else if (key == "key") {
      put(out, "rule.name", v, copied);
    } else if (key == "op") {
      put(out, "auditd.log.op", v, copied);
    } else if (key == "syscall") {
      put(out, "auditd.log.syscall", v, copied);
    }
  }

  static void finish(fields& out, record& r) {
    out.set("observer.vendor", "Linux");
    out.set("observer.product", "auditd");
    out.set("observer.type", "audit");
    std::string action(r.type);
    for (char& c : action) c = lower(c);
    out.set_copy("event.action", action);
    // outcome
    const std::string_view res = !r.res.empty() ? r.res : r.success;
    if (res == "success" || res == "yes" || res == "1")
      out.set("event.outcome", "success");
    else if (res == "failed" || res == "no" || res == "0" || res == "fail")
      out.set("event.outcome", "failure");
    // EXECVE: the arguments as an array and a command line
    if (r.execve && r.argc > 0) {
      std::string line, arg, key;
      for (std::size_t i = 0; i < r.argc; ++i) {
        if ((r.args & (std::uint64_t{1} << i)) == 0) continue;
        key = "auditd.log.a" + std::to_string(i);
        arg.assign(out.get(key));
        out.add_copy("process.args", arg);
        if (!line.empty()) line.push_back(' ');
        line.append(arg);
        if (i == 0) {
          const std::size_t slash = arg.rfind('/');
          out.set_copy("process.name",
                       slash == std::string::npos ? arg : arg.substr(slash + 1));
        }
      }
      out.set_copy("process.command_line", line);
      out.set_int("process.args_count", static_cast<std::int64_t>(r.argc));
    }
    const std::string_view t = r.type;
    auto cat = [&](std::string_view c, std::string_view ty) {
      out.add("event.category", c);
      out.add("event.type", ty);
    };
    if (t == "USER_LOGIN" || t == "USER_LOGOUT") {
      cat("authentication", t == "USER_LOGIN" ? "start" : "end");
      out.add("event.category", "session");
    } else if (t == "USER_AUTH" || t == "USER_ACCT" || t == "USER_ERR" || t == "CRED_ACQ" ||
               t == "CRED_REFR" || t == "CRED_DISP" || t == "ANOM_LOGIN_FAILURES") {
      cat("authentication", "info");
    } else if (t == "USER_START" || t == "USER_END") {
      cat("session", t == "USER_START" ? "start" : "end");
    } else if (t == "USER_CMD" || t == "EXECVE") {
      cat("process", "start");
    } else if (t == "SYSCALL") {
      cat("process", out.get("auditd.log.syscall") == "59" ? "start" : "info");
    } else if (t == "ADD_USER" || t == "DEL_USER" || t == "USER_MGMT" || t == "USER_CHAUTHTOK" ||
               t == "ACCT_LOCK" || t == "ACCT_UNLOCK" || t == "ANOM_ADD_ACCT" ||
               t == "ANOM_DEL_ACCT" || t == "ANOM_MOD_ACCT" || t == "CHUSER_ID") {
      out.add("event.category", "iam");
      out.add("event.type", "user");
      out.add("event.type", t == "ADD_USER" || t == "ANOM_ADD_ACCT" ? "creation"
                            : t == "DEL_USER" || t == "ANOM_DEL_ACCT" ? "deletion"
                                                                        : "change");
    } else if (t == "ADD_GROUP" || t == "DEL_GROUP" || t == "GRP_MGMT" || t == "CHGRP_ID") {
      out.add("event.category", "iam");
      out.add("event.type", "group");
      out.add("event.type", t == "ADD_GROUP" ? "creation" : t == "DEL_GROUP" ? "deletion" : "change");
    } else if (t == "CONFIG_CHANGE" || t == "MAC_STATUS" || t == "MAC_POLICY_LOAD" ||
               starts_with(t, "DAEMON_")) {
      cat("configuration", "change");
    } else if (t == "SERVICE_START" || t == "SERVICE_STOP") {
      cat("process", t == "SERVICE_START" ? "start" : "end");
    } else if (t == "AVC" || t == "SELINUX_ERR" || t == "USER_SELINUX_ERR" || t == "USER_AVC" ||
               t == "1400" || starts_with(t, "ANOM_")) {
      cat("intrusion_detection", "info");
    } else {
      out.add("event.type", "info");
    }
  }
};

}  // namespace

const parser& auditd() {
  static const auditd_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
