#include "sigma/rule.hpp"

#include <algorithm>

#include "sigma/pattern.hpp"

namespace mimamori::sigma {

namespace {

struct tactic {
  const char* tag;
  const char* id;
  const char* name;
};

// The ATT&CK Enterprise tactics, as Sigma tags name them.
constexpr tactic tactics[] = {
    {"reconnaissance", "TA0043", "Reconnaissance"},
    {"resource-development", "TA0042", "Resource Development"},
    {"initial-access", "TA0001", "Initial Access"},
    {"execution", "TA0002", "Execution"},
    {"persistence", "TA0003", "Persistence"},
    {"privilege-escalation", "TA0004", "Privilege Escalation"},
    {"defense-evasion", "TA0005", "Defense Evasion"},
    {"credential-access", "TA0006", "Credential Access"},
    {"discovery", "TA0007", "Discovery"},
    {"lateral-movement", "TA0008", "Lateral Movement"},
    {"collection", "TA0009", "Collection"},
    {"command-and-control", "TA0011", "Command and Control"},
    {"exfiltration", "TA0010", "Exfiltration"},
    {"impact", "TA0040", "Impact"},
};

void add_once(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int severity_of_level(const std::string& level) {
  if (level == "informational") return 10;
  if (level == "low") return 30;
  if (level == "medium") return 50;
  if (level == "high") return 70;
  if (level == "critical") return 90;
  return 0;
}

void read_attack_tags(rule& r) {
  for (const std::string& tag : r.tags) {
    std::string t;
    ascii_lower(tag, t);
    if (!t.starts_with("attack.")) continue;
    const std::string_view name = std::string_view(t).substr(7);
    bool found = false;
    for (const tactic& a : tactics) {
      if (name == a.tag) {
        add_once(r.tactic_ids, a.id);
        add_once(r.tactic_names, a.name);
        found = true;
      }
    }
    if (found || name.size() < 2 || name[0] != 't') continue;
    const std::string_view technique = name.substr(1, name.find('.') == std::string_view::npos
                                                          ? std::string_view::npos
                                                          : name.find('.') - 1);
    if (!is_digits(technique)) continue;
    add_once(r.techniques, "T" + std::string(technique));
    if (auto dot = name.find('.'); dot != std::string_view::npos && is_digits(name.substr(dot + 1))) {
      add_once(r.subtechniques, "T" + std::string(name.substr(1)));
    }
  }
}

}  // namespace mimamori::sigma
