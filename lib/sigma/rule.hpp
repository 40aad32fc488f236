// rule: what a loaded Sigma rule says about itself, for alerts and reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sigma/mapping.hpp"

namespace mimamori::sigma {

struct rule {
  std::string id, title, status, level, description, author, date, modified;
  std::string name;  // optional `name:`, by which correlation rules refer to it
  std::vector<std::string> references, tags;
  logsource source;
  std::string file;
  int line = 0;
  int severity = 0;  // event.severity (0-100) from the level
  // ATT&CK from the tags: tactic ids and names, technique and subtechnique ids.
  std::vector<std::string> tactic_ids, tactic_names, techniques, subtechniques;
};

// An ATT&CK-free summary of a level: informational 10, low 30, medium 50,
// high 70, critical 90; 0 for anything else.
[[nodiscard]] int severity_of_level(const std::string& level);
// Fills the ATT&CK lists of `r` from its tags (attack.execution, attack.t1059.001).
void read_attack_tags(rule& r);

}  // namespace mimamori::sigma
