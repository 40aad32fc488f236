// layers: one value per setting, from flags > MIMAMORI_* environment >
// config file (YAML) > defaults.
//
// CLI11 applies a config file before the environment, the wrong way round
// for us, so the layers are merged here: the command line is parsed once to
// learn --config, the settings that no flag gave are looked up in the
// environment (MIMAMORI_DEAD_LETTER for --dead-letter) and then in the file,
// and the command line is parsed again with them in front, so CLI11 checks
// and converts every value whichever layer it came from.
//
// The file holds settings named as the long flags, at the top (for every
// tool) or in a section named after the tool (for that tool alone):
//
//   strict: true
//   lognorm:
//     tz: Asia/Tokyo
//
// Secrets never come from flags or the file itself: secret() reads them from
// the environment or from a file that a `<name>-file` setting names.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <yaml-cpp/yaml.h>

namespace mimamori::config {

// Configuration problems, all of them, one per line: `file:line:col: what`.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class layers {
 public:
  layers(CLI::App& app, std::string tool, std::string env_prefix = "MIMAMORI_");

  // Sections of the file the tool reads itself (e.g. "sources").
  void allow_section(std::string name) { sections_.insert(std::move(name)); }

  // Parses argv with the environment of the process.
  void parse(int argc, const char* const* argv);
  // Parses args (without the program name) with the given environment.
  void parse(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);

  // `name = value    # origin` for each setting, for --print-config.
  [[nodiscard]] std::string describe() const;
  // Where a setting's value came from: "flag", "environment MIMAMORI_X",
  // "file PATH:LINE" or "default".
  [[nodiscard]] std::string origin(const std::string& name) const;
  // The tool's section of the config file merged over its top level; null
  // when there is no file.
  [[nodiscard]] const YAML::Node& file() const { return merged_; }
  [[nodiscard]] const std::string& file_path() const { return file_path_; }

  // A secret by name ("smtp-password"): the environment variable
  // MIMAMORI_SMTP_PASSWORD, else the contents of the file named by the
  // setting "smtp-password-file" (trailing newline removed); empty if neither.
  [[nodiscard]] std::string secret(const std::string& name) const;

 private:
  struct file_value {
    std::vector<std::string> values;
    bool is_flag_value = false;
    std::string where;  // PATH:LINE
  };
  void load_file(const std::string& path);
  void take_settings(const YAML::Node& map, std::vector<std::string>& problems);
  [[nodiscard]] CLI::Option* option(const std::string& name) const;
  [[nodiscard]] std::string env_name(const std::string& name) const;

  CLI::App& app_;
  std::string tool_;
  std::string prefix_;
  std::set<std::string> sections_;
  std::map<std::string, std::string> env_;
  std::string file_path_;
  YAML::Node merged_;
  std::map<std::string, file_value> file_values_;
  std::map<std::string, std::string> origins_;
};

}  // namespace mimamori::config
