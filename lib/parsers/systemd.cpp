// systemd: what systemd (PID 1, or a user's instance) logs about the units
// it runs, through syslog. Dataset linux.systemd.
//
//   systemd[1]: Started ssh.service - OpenBSD Secure Shell server.
//   systemd[1]: Stopped System Logging Service.
//   systemd[1]: Failed to start nginx.service - A high performance web server.
//   systemd[1]: nginx.service: Failed with result 'exit-code'.
//
// A unit started, stopped or failed is a process event (as Elastic's
// system.syslog pipeline has it: service-start, service-stop); a target
// reached or left ("Stopped target Multi-User System.") is not a service's,
// and other lines ("Starting ...", "Reloading.") keep only the envelope.
#include "parsers/parser.hpp"
#include "parsers/scan.hpp"

namespace mimamori::parsers {
namespace {

class systemd_parser final : public parser {
 public:
  std::string_view name() const override { return "systemd"; }
  std::string_view dataset() const override { return "linux.systemd"; }
  std::string_view description() const override {
    return "systemd unit starts, stops and failures (syslog)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    if (line.header.app_name != "systemd") return {};
    std::string_view msg = line.header.message;
    std::string_view unit;
    if (consume(msg, "Started ")) {
      if (starts_with(msg, "target ")) return {};
      set(out, "service-start", "start", "success");
      unit = msg;
    } else if (consume(msg, "Stopped ")) {
      if (starts_with(msg, "target ")) return {};
      set(out, "service-stop", "end", "success");
      unit = msg;
    } else if (consume(msg, "Failed to start ")) {
      set(out, "service-start", "start", "failure");
      unit = msg;
    } else if (const std::size_t at = msg.find(": Failed with result '");
               at != std::string_view::npos && at > 0) {
      set(out, "service-failed", "end", "failure");
      unit = msg.substr(0, at);
      std::string_view result = msg.substr(at + 22);
      out.set("event.reason", result.substr(0, result.find('\'')));
    } else {
      return {};
    }
    if (!unit.empty() && unit.back() == '.') unit.remove_suffix(1);
    // "ssh.service - OpenBSD Secure Shell server": the unit and its description.
    const std::size_t dash = unit.find(" - ");
    if (dash != std::string_view::npos) {
      out.set("systemd.unit", unit.substr(0, dash));
      out.set("systemd.description", unit.substr(dash + 3));
    } else if (unit.find(' ') == std::string_view::npos && unit.find('.') != std::string_view::npos) {
      out.set("systemd.unit", unit);
    } else {
      out.set("systemd.description", unit);
    }
    return {outcome::parsed, {}};
  }

 private:
  static void set(fields& out, std::string_view action, std::string_view type,
                  std::string_view outcome_word) {
    out.set("event.action", action);
    out.add("event.category", "process");
    out.add("event.type", type);
    out.set("event.outcome", outcome_word);
  }
};

}  // namespace

const parser& systemd() {
  static const systemd_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
