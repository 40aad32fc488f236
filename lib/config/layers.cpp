#include "config/layers.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/yaml_documents.hpp"

extern char** environ;

namespace mimamori::config {

namespace {

const std::set<std::string> tool_names = {"logcollect", "lognorm", "correlate", "triage",
                                          "notify",     "isolate", "monthly-report"};
const std::set<std::string> not_settings = {"help", "version", "config", "print-config"};

std::string where(const std::string& path, const YAML::Mark& mark) {
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

bool is_flag(const CLI::Option* o) { return o->get_expected_max() == 0; }

// The command-line form of a flag's value from the environment or the file:
// a yes/no word, or a count for counting flags such as -v. Anything else is
// a configuration error naming where the value came from.
void flag_argument(const std::string& name, const std::string& value, const std::string& where,
                   std::vector<std::string>& extra) {
  static const std::set<std::string> yes = {"1", "true", "yes", "on", "True", "TRUE", "Yes"};
  static const std::set<std::string> no = {"0", "false", "no", "off", "False", "FALSE", "No", ""};
  if (yes.count(value) != 0) {
    extra.push_back("--" + name);
  } else if (no.count(value) != 0) {
    return;
  } else if (value.find_first_not_of("0123456789") == std::string::npos) {
    extra.push_back("--" + name + "=" + value);
  } else {
    throw error(where + ": '" + name + "' takes true or false, not '" + value + "'");
  }
}

}  // namespace

layers::layers(CLI::App& app, std::string tool, std::string env_prefix)
    : app_(app), tool_(std::move(tool)), prefix_(std::move(env_prefix)) {}

void layers::parse(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind(prefix_, 0) != 0) continue;
    std::size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  parse(args, env);
}

std::string layers::env_name(const std::string& name) const {
  std::string v = prefix_;
  for (char c : name) v.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  return v;
}

CLI::Option* layers::option(const std::string& name) const {
  for (CLI::Option* o : app_.get_options()) {
    const auto& names = o->get_lnames();
    if (std::find(names.begin(), names.end(), name) != names.end()) return o;
  }
  return nullptr;
}

void layers::take_settings(const YAML::Node& map, std::vector<std::string>& problems) {
  for (const auto& item : map) {
    std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    if (key == tool_ || tool_names.count(key) != 0 || sections_.count(key) != 0) continue;
    CLI::Option* o = option(key);
    if (o == nullptr || not_settings.count(key) != 0) {
      std::string message = where(file_path_, item.first.Mark()) + ": unknown setting '" + key + "'";
      std::string best;
      std::size_t best_distance = 3;
      for (CLI::Option* candidate : app_.get_options()) {
        for (const auto& n : candidate->get_lnames()) {
          if (not_settings.count(n) != 0) continue;  // never a setting: no use suggesting it
          std::size_t d = distance(key, n);
          if (d < best_distance) {
            best_distance = d;
            best = n;
          }
        }
      }
      if (!best.empty()) message += " (did you mean '" + best + "'?)";
      problems.push_back(message);
      continue;
    }
    file_value fv;
    fv.where = file_path_ + ":" + std::to_string(item.first.Mark().line + 1);
    fv.is_flag_value = is_flag(o);
    if (value.IsSequence()) {
      for (const auto& v : value) {
        if (!v.IsScalar()) {
          problems.push_back(where(file_path_, v.Mark()) + ": '" + key + "' takes plain values");
          continue;
        }
        fv.values.push_back(v.as<std::string>());
      }
    } else if (value.IsScalar()) {
      fv.values.push_back(value.as<std::string>());
    } else if (value.IsNull()) {
      continue;
    } else {
      problems.push_back(where(file_path_, value.Mark()) + ": '" + key + "' takes a plain value");
      continue;
    }
    file_values_[key] = std::move(fv);
  }
}

void layers::load_file(const std::string& path) {
  file_path_ = path;
  YAML::Node document;
  {
    std::ifstream probe(path);
    if (!probe) throw error(path + ": cannot read the config file");
  }
  try {
    document = config::load_file(path);
  } catch (const YAML::Exception& e) {
    throw error(where(path, e.mark) + ": " + e.msg);
  }
  if (document.IsNull()) return;
  if (!document.IsMap()) throw error(path + ":1:1: a config file is a map of settings");
  std::vector<std::string> problems;
  take_settings(document, problems);
  merged_ = YAML::Clone(document);
  if (document[tool_] && document[tool_].IsMap()) {
    take_settings(document[tool_], problems);  // the tool's own section wins
    for (const auto& item : document[tool_]) merged_[item.first.as<std::string>()] = item.second;
  } else if (document[tool_] && !document[tool_].IsNull()) {
    problems.push_back(where(path, document[tool_].Mark()) + ": section '" + tool_ +
                       "' must be a map of settings");
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
    throw error(all);
  }
}

void layers::parse(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env) {
  env_ = env;
  std::vector<std::string> first(args.rbegin(), args.rend());
  app_.parse(first);

  std::string config_path;
  std::string config_origin;
  if (CLI::Option* o = option("config"); o != nullptr && o->count() > 0) {
    config_path = o->as<std::string>();
  } else if (auto it = env_.find(env_name("config")); it != env_.end()) {
    config_path = it->second;
    config_origin = "environment " + env_name("config");
  }
  if (!config_path.empty()) load_file(config_path);

  std::vector<std::string> extra;
  for (CLI::Option* o : app_.get_options()) {
    if (o->get_lnames().empty()) continue;  // positional
    const std::string& name = o->get_lnames().front();
    if (not_settings.count(name) != 0) {
      origins_[name] = o->count() > 0 ? "flag" : "default";
      if (name == "config" && !config_origin.empty()) origins_[name] = config_origin;
      continue;
    }
    if (o->count() > 0) {
      origins_[name] = "flag";
      continue;
    }
    if (auto it = env_.find(env_name(name)); it != env_.end()) {
      origins_[name] = "environment " + env_name(name);
      if (is_flag(o)) {
        flag_argument(name, it->second, env_name(name), extra);
      } else {
        extra.push_back("--" + name + "=" + it->second);
      }
      continue;
    }
    if (auto it = file_values_.find(name); it != file_values_.end()) {
      origins_[name] = "file " + it->second.where;
      for (const auto& v : it->second.values) {
        if (it->second.is_flag_value) {
          flag_argument(name, v, it->second.where, extra);
        } else {
          extra.push_back("--" + name + "=" + v);
        }
      }
      continue;
    }
    origins_[name] = "default";
  }
  if (extra.empty()) return;
  std::vector<std::string> second(extra);
  second.insert(second.end(), args.begin(), args.end());
  std::reverse(second.begin(), second.end());
  app_.clear();
  app_.parse(second);
}

std::string layers::origin(const std::string& name) const {
  auto it = origins_.find(name);
  return it == origins_.end() ? "default" : it->second;
}

std::string layers::describe() const {
  std::ostringstream out;
  for (CLI::Option* o : app_.get_options()) {
    if (o->get_lnames().empty()) continue;
    const std::string& name = o->get_lnames().front();
    if (name == "help" || name == "version" || name == "print-config") continue;
    std::string value;
    if (o->count() > 0) {
      for (const auto& r : o->results()) value += (value.empty() ? "" : ",") + r;
      if (is_flag(o) && value.empty()) value = "true";
    } else {
      value = name == "config" ? file_path_ : o->get_default_str();
      if (is_flag(o) && (value.empty() || value == "0")) value = "false";
    }
    std::string line = name + " = " + value;
    if (line.size() < 40) line.resize(40, ' ');
    out << line << " # " << origin(name) << "\n";
  }
  return out.str();
}

std::string layers::secret(const std::string& name) const {
  if (auto it = env_.find(env_name(name)); it != env_.end()) return it->second;
  CLI::Option* file_option = option(name + "-file");
  if (file_option == nullptr || file_option->count() == 0) return {};
  std::string path = file_option->as<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(path + ": cannot read the secret for '" + name + "'");
  std::string value((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  return value;
}

}  // namespace mimamori::config
