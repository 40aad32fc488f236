#include "incident/assets.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "time/parse_any.hpp"
#include "time/zone.hpp"

namespace mimamori::incident {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Microsoft's end-of-support dates; longer names first so "windows 8.1" is
// not read as "windows 8".
struct eos_row {
  std::string_view name;
  std::string_view ended;
};
constexpr eos_row eos_table[] = {
    {"windows xp", "2014-04-08"},          {"windows vista", "2017-04-11"},
    {"windows 7", "2020-01-14"},           {"windows 8.1", "2023-01-10"},
    {"windows 8", "2016-01-12"},           {"windows 10", "2025-10-14"},
    {"windows server 2003", "2015-07-14"}, {"windows server 2008", "2020-01-14"},
    {"windows server 2012", "2023-10-10"}, {"windows 2000", "2010-07-13"},
};

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else if (c != '\r') {
      cell.push_back(c);
    }
  }
  cells.push_back(std::move(cell));
  for (std::string& s : cells) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  }
  return cells;
}

// Sets one column; false (with why) when the value is not acceptable.
bool set_field(asset& a, std::string_view column, const std::string& value, std::string& why) {
  const std::string key = lower(column);
  if (key == "address" || key == "ip") {
    a.address = value;
  } else if (key == "mac") {
    a.mac = value;
  } else if (key == "hostname" || key == "host" || key == "name") {
    a.hostname = value;
  } else if (key == "owner") {
    a.owner = value;
  } else if (key == "criticality") {
    a.criticality = lower(value);
    if (!a.criticality.empty() && a.criticality != "low" && a.criticality != "medium" &&
        a.criticality != "high" && a.criticality != "critical") {
      why = "criticality '" + value + "' is not low, medium, high or critical";
      return false;
    }
  } else if (key == "os") {
    a.os = value;
  } else if (key == "org" || key == "organization") {
    a.org = value;
  } else if (key == "eol") {
    const std::string v = lower(value);
    if (v.empty()) return true;
    if (v == "true" || v == "yes" || v == "1") {
      a.eol = true;
    } else if (v == "false" || v == "no" || v == "0") {
      a.eol = false;
    } else if (auto t = time::parse_any(value, time::timestamp{}, time::zone::utc())) {
      a.eol_on = *t;
    } else {
      why = "eol '" + value + "' is not true, false or a date";
      return false;
    }
  } else {
    why = "unknown column '" + std::string(column) + "'";
    return false;
  }
  return true;
}

}  // namespace

void asset_inventory::add(asset a) {
  const std::size_t at = assets_.size();
  for (const std::string* key : {&a.hostname, &a.address, &a.mac}) {
    if (!key->empty()) index_[lower(*key)].push_back(at);
  }
  assets_.push_back(std::move(a));
}

void asset_inventory::load(const std::string& path, std::vector<std::string>& errors) {
  std::ifstream in(path);
  if (!in) {
    errors.push_back(path + ": cannot read the file");
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const std::size_t first = all.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (all[first] == '[' || all[first] == '{')) {
    nlohmann::json doc = nlohmann::json::parse(all, nullptr, false);
    if (doc.is_discarded()) {
      errors.push_back(path + ": not valid JSON");
      return;
    }
    if (doc.is_object() && doc.contains("assets")) doc = doc["assets"];
    if (!doc.is_array()) {
      errors.push_back(path + ": expected a JSON array of assets");
      return;
    }
    std::size_t n = 0;
    for (const auto& item : doc) {
      ++n;
      asset a;
      bool ok = item.is_object();
      if (!ok) errors.push_back(path + ": asset " + std::to_string(n) + ": not an object");
      for (auto it = item.begin(); ok && it != item.end(); ++it) {
        std::string value;
        if (it->is_string()) {
          value = it->get<std::string>();
        } else if (it->is_boolean()) {
          value = it->get<bool>() ? "true" : "false";
        } else {
          value = it->dump();
        }
        std::string why;
        if (!set_field(a, it.key(), value, why)) {
          errors.push_back(path + ": asset " + std::to_string(n) + ": " + why);
          ok = false;
        }
      }
      if (ok) add(std::move(a));
    }
    return;
  }
  std::istringstream lines(all);
  std::string line;
  std::vector<std::string> header;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    std::vector<std::string> cells = split_csv(line);
    if (header.empty()) {
      header = std::move(cells);
      continue;
    }
    if (cells.size() != header.size()) {
      errors.push_back(path + ":" + std::to_string(number) + ": " + std::to_string(cells.size()) +
                       " columns, the header has " + std::to_string(header.size()));
      continue;
    }
    asset a;
    bool ok = true;
    for (std::size_t i = 0; i < cells.size() && ok; ++i) {
      std::string why;
      if (!set_field(a, header[i], cells[i], why)) {
        errors.push_back(path + ":" + std::to_string(number) + ": " + why);
        ok = false;
      }
    }
    if (ok) add(std::move(a));
  }
}

const asset* asset_inventory::find(std::string_view org, std::string_view key) const {
  if (key.empty() || index_.empty()) return nullptr;
  auto it = index_.find(lower(key));
  if (it == index_.end()) return nullptr;
  for (std::size_t i : it->second) {
    if (assets_[i].org.empty() || assets_[i].org == org) return &assets_[i];
  }
  return nullptr;
}

std::string end_of_support_os(std::string_view os, time::timestamp when) {
  const std::string name = lower(os);
  for (const eos_row& row : eos_table) {
    const std::size_t at = name.find(row.name);
    if (at == std::string::npos) continue;
    // "windows 10" must not match "windows 100"; "windows 8" not "windows 8.1".
    const std::size_t end = at + row.name.size();
    if (end < name.size() && (std::isdigit(static_cast<unsigned char>(name[end])) || name[end] == '.')) {
      continue;
    }
    auto ended = time::parse_any(row.ended, time::timestamp{}, time::zone::utc());
    if (ended && *ended <= when) return std::string(os);
    return {};
  }
  return {};
}

std::string end_of_support(const asset& a, time::timestamp when) {
  if (a.eol) return *a.eol ? (a.os.empty() ? std::string("its operating system") : a.os) : std::string();
  if (a.eol_on) return *a.eol_on <= when ? (a.os.empty() ? std::string("its operating system") : a.os) : std::string();
  return end_of_support_os(a.os, when);
}

}  // namespace mimamori::incident
