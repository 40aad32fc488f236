// Tests for config/layers.hpp: flags > MIMAMORI_* environment > YAML config
// file > defaults, where each value came from, the file's problems and
// secrets.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/layers.hpp"

namespace config = mimamori::config;
namespace fs = std::filesystem;

namespace {

using environment = std::map<std::string, std::string>;
using arguments = std::vector<std::string>;

// A folder of config and secret files, removed at the end of the case.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "mimamori-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  [[nodiscard]] std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

struct settings {
  std::string config;
  bool strict = false;
  std::string tz = "UTC";
  std::vector<std::string> include;
  int batch = 100;
  std::string smtp_password;  // a plain flag: never a source of the secret
  std::string smtp_password_file;
};

// A tool's command line and its layers, as run_main builds them.
struct tool_under_test {
  explicit tool_under_test(const std::string& name = "lognorm") : app("test tool", name) {
    app.add_option("--config", values.config);
    app.add_flag("--print-config");
    app.add_flag("--strict", values.strict);
    app.add_option("--tz", values.tz)->capture_default_str();
    app.add_option("--include", values.include);
    app.add_option("--batch", values.batch)->capture_default_str();
    app.add_option("--smtp-password", values.smtp_password);
    app.add_option("--smtp-password-file", values.smtp_password_file);
    app.add_option("inputs", inputs);
    layers = std::make_unique<config::layers>(app, name);
  }
  void parse(const arguments& args, const environment& env = {}) { layers->parse(args, env); }

  CLI::App app;
  settings values;
  std::vector<std::string> inputs;
  std::unique_ptr<config::layers> layers;
};

// The message of the config::error that parsing throws, or "" if none.
std::string config_error(tool_under_test& tool, const arguments& args,
                         const environment& env = {}) {
  try {
    tool.parse(args, env);
  } catch (const config::error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layers)

BOOST_AUTO_TEST_CASE(flag_beats_environment_beats_file_beats_default_for_a_string) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "tz: Asia/Tokyo\n");
  const environment env = {{"MIMAMORI_TZ", "Europe/Paris"}};
  {
    tool_under_test tool;
    tool.parse({"--config", file, "--tz", "America/New_York"}, env);
    BOOST_TEST(tool.values.tz == "America/New_York");
  }
  {
    tool_under_test tool;
    tool.parse({"--config", file}, env);
    BOOST_TEST(tool.values.tz == "Europe/Paris");
  }
  {
    tool_under_test tool;
    tool.parse({"--config", file});
    BOOST_TEST(tool.values.tz == "Asia/Tokyo");
  }
  {
    tool_under_test tool;
    tool.parse({});
    BOOST_TEST(tool.values.tz == "UTC");
  }
}

BOOST_AUTO_TEST_CASE(flag_beats_environment_beats_file_beats_default_for_a_bool_flag) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "strict: true\n");
  {
    tool_under_test tool;  // the flag says no, the environment yes
    tool.parse({"--strict=false"}, {{"MIMAMORI_STRICT", "1"}});
    BOOST_TEST(tool.values.strict == false);
    BOOST_TEST(tool.layers->origin("strict") == "flag");
  }
  {
    tool_under_test tool;
    tool.parse({"--config", file, "--strict"}, {{"MIMAMORI_STRICT", "0"}});
    BOOST_TEST(tool.values.strict == true);
  }
  {
    tool_under_test tool;  // the environment says no, the file yes
    tool.parse({"--config", file}, {{"MIMAMORI_STRICT", "false"}});
    BOOST_TEST(tool.values.strict == false);
    BOOST_TEST(tool.layers->origin("strict") == "environment MIMAMORI_STRICT");
  }
  {
    tool_under_test tool;
    tool.parse({}, {{"MIMAMORI_STRICT", "true"}});
    BOOST_TEST(tool.values.strict == true);
  }
  {
    tool_under_test tool;
    tool.parse({"--config", file});
    BOOST_TEST(tool.values.strict == true);
    BOOST_TEST(tool.layers->origin("strict") == "file " + file + ":1");
  }
  {
    tool_under_test tool;
    tool.parse({});
    BOOST_TEST(tool.values.strict == false);
    BOOST_TEST(tool.layers->origin("strict") == "default");
  }
}

BOOST_AUTO_TEST_CASE(flag_beats_environment_beats_file_beats_default_for_a_repeated_option) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "include:\n  - a.yml\n  - b.yml\n");
  const environment env = {{"MIMAMORI_INCLUDE", "env.yml"}};
  {
    tool_under_test tool;
    tool.parse({"--config", file, "--include", "x.yml", "--include", "y.yml"}, env);
    BOOST_TEST(tool.values.include == (std::vector<std::string>{"x.yml", "y.yml"}),
               boost::test_tools::per_element());
  }
  {
    tool_under_test tool;
    tool.parse({"--config", file}, env);
    BOOST_TEST(tool.values.include == (std::vector<std::string>{"env.yml"}),
               boost::test_tools::per_element());
  }
  {
    tool_under_test tool;
    tool.parse({"--config", file});
    BOOST_TEST(tool.values.include == (std::vector<std::string>{"a.yml", "b.yml"}),
               boost::test_tools::per_element());
    BOOST_TEST(tool.layers->origin("include") == "file " + file + ":1");
  }
  {
    tool_under_test tool;
    tool.parse({});
    BOOST_TEST(tool.values.include.empty());
  }
}

BOOST_AUTO_TEST_CASE(origin_names_the_layer_each_value_came_from) {
  temp_dir dir;
  const std::string file =
      dir.write("c.yml", "# settings\nstrict: true\nbatch: 7\ntz: Asia/Tokyo\n");
  tool_under_test tool;
  tool.parse({"--config", file, "--tz", "Europe/Paris", "in.ndjson"},
             {{"MIMAMORI_BATCH", "9"}, {"MIMAMORI_UNRELATED", "x"}});
  BOOST_TEST(tool.layers->origin("tz") == "flag");
  BOOST_TEST(tool.layers->origin("batch") == "environment MIMAMORI_BATCH");
  BOOST_TEST(tool.layers->origin("strict") == "file " + file + ":2");
  BOOST_TEST(tool.layers->origin("include") == "default");
  BOOST_TEST(tool.layers->origin("no-such-setting") == "default");
  BOOST_TEST(tool.values.batch == 9);
  BOOST_TEST(tool.values.strict == true);
  BOOST_TEST(tool.inputs == (std::vector<std::string>{"in.ndjson"}),
             boost::test_tools::per_element());
  BOOST_TEST(tool.layers->file_path() == file);
}

BOOST_AUTO_TEST_CASE(describe_shows_each_value_with_its_origin) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "strict: true\ninclude: [a.yml, b.yml]\n");
  tool_under_test tool;
  tool.parse({"--config", file, "--tz", "Europe/Paris"}, {{"MIMAMORI_BATCH", "9"}});
  const std::string text = tool.layers->describe();
  BOOST_TEST_MESSAGE(text);

  std::map<std::string, std::string> lines;  // name -> whole line
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines[line.substr(0, line.find(' '))] = line;

  auto value_and_origin = [&](const std::string& name) {
    const std::string& line = lines[name];
    std::size_t hash = line.rfind(" # ");
    std::string value = line.substr(0, hash);
    while (!value.empty() && value.back() == ' ') value.pop_back();
    return std::make_pair(value, hash == std::string::npos ? "" : line.substr(hash + 3));
  };
  BOOST_TEST(value_and_origin("tz").first == "tz = Europe/Paris");
  BOOST_TEST(value_and_origin("tz").second == "flag");
  BOOST_TEST(value_and_origin("batch").first == "batch = 9");
  BOOST_TEST(value_and_origin("batch").second == "environment MIMAMORI_BATCH");
  BOOST_TEST(value_and_origin("strict").first == "strict = true");
  BOOST_TEST(value_and_origin("strict").second == "file " + file + ":1");
  BOOST_TEST(value_and_origin("include").first == "include = a.yml,b.yml");
  BOOST_TEST(value_and_origin("include").second == "file " + file + ":2");
  BOOST_TEST(value_and_origin("smtp-password").second == "default");
  BOOST_TEST(lines.count("print-config") == 0);
  BOOST_TEST(lines.count("help") == 0);
}

BOOST_AUTO_TEST_CASE(tool_section_overrides_the_top_level) {
  temp_dir dir;
  const std::string file = dir.write("c.yml",
                                     "tz: Europe/Paris\n"
                                     "batch: 5\n"
                                     "lognorm:\n"
                                     "  tz: Asia/Tokyo\n");
  tool_under_test tool("lognorm");
  tool.parse({"--config", file});
  BOOST_TEST(tool.values.tz == "Asia/Tokyo");
  BOOST_TEST(tool.values.batch == 5);
  BOOST_TEST(tool.layers->origin("tz") == "file " + file + ":4");
  BOOST_TEST(tool.layers->file()["tz"].as<std::string>() == "Asia/Tokyo");
  BOOST_TEST(tool.layers->file()["batch"].as<int>() == 5);
}

BOOST_AUTO_TEST_CASE(another_tools_section_is_ignored) {
  temp_dir dir;
  const std::string file = dir.write("c.yml",
                                     "tz: Europe/Paris\n"
                                     "correlate:\n"
                                     "  tz: Asia/Tokyo\n"
                                     "  rules-only-correlate-knows: x\n");
  tool_under_test tool("lognorm");
  tool.parse({"--config", file});
  BOOST_TEST(tool.values.tz == "Europe/Paris");
  BOOST_TEST(tool.layers->origin("tz") == "file " + file + ":1");
}

// Regression: a tool missing from the list of known tools had its own section
// reported as an unknown setting.
BOOST_AUTO_TEST_CASE(own_section_counts_for_a_tool_outside_the_known_list) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "tz: Europe/Paris\nnewtool:\n  tz: Asia/Tokyo\n");
  tool_under_test tool("newtool");
  tool.parse({"--config", file});
  BOOST_TEST(tool.values.tz == "Asia/Tokyo");
}

BOOST_AUTO_TEST_CASE(section_the_tool_reads_itself_is_not_a_setting) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "sources:\n  - name: fw\n");
  tool_under_test tool;
  BOOST_TEST(contains(config_error(tool, {"--config", file}), "unknown setting 'sources'"));

  tool_under_test allowing;
  allowing.layers->allow_section("sources");
  BOOST_CHECK_NO_THROW(allowing.parse({"--config", file}));
  BOOST_TEST(allowing.layers->file()["sources"].IsSequence());
}

BOOST_AUTO_TEST_CASE(unknown_setting_is_reported_with_file_line_column_and_did_you_mean) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "strict: true\nlognorm:\n  tzz: UTC\n");
  tool_under_test tool;
  const std::string message = config_error(tool, {"--config", file});
  BOOST_TEST(message == file + ":3:3: unknown setting 'tzz' (did you mean 'tz'?)");
}

BOOST_AUTO_TEST_CASE(unknown_setting_far_from_any_name_has_no_guess) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "completely-unrelated: 1\n");
  tool_under_test tool;
  const std::string message = config_error(tool, {"--config", file});
  BOOST_TEST(message == file + ":1:1: unknown setting 'completely-unrelated'");
}

// Regression: `config:` in the file was refused with "(did you mean 'config'?)".
BOOST_AUTO_TEST_CASE(flags_that_are_not_settings_are_refused_without_suggesting_themselves) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "config: other.yml\nprint-config: true\n");
  tool_under_test tool;
  BOOST_TEST(config_error(tool, {"--config", file}) == file + ":1:1: unknown setting 'config'\n" +
                                                           file +
                                                           ":2:1: unknown setting 'print-config'");
}

BOOST_AUTO_TEST_CASE(every_problem_in_the_file_is_reported_together) {
  temp_dir dir;
  const std::string file = dir.write("c.yml",
                                     "strct: true\n"
                                     "tz:\n"
                                     "  zone: UTC\n"
                                     "include: [a.yml, {b: c}]\n"
                                     "lognorm:\n"
                                     "  bach: 5\n");
  tool_under_test tool;
  const std::string message = config_error(tool, {"--config", file});
  BOOST_TEST_MESSAGE(message);
  std::vector<std::string> lines;
  std::istringstream in(message);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  BOOST_TEST_REQUIRE(lines.size() == 4u);
  BOOST_TEST(lines[0] == file + ":1:1: unknown setting 'strct' (did you mean 'strict'?)");
  BOOST_TEST(lines[1] == file + ":3:3: 'tz' takes a plain value");
  BOOST_TEST(lines[2] == file + ":4:18: 'include' takes plain values");
  BOOST_TEST(lines[3] == file + ":6:3: unknown setting 'bach' (did you mean 'batch'?)");
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_is_reported_with_its_line) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "strict: true\ntz: a: b\nbatch: 5\n");
  tool_under_test tool;
  const std::string message = config_error(tool, {"--config", file});
  BOOST_TEST_MESSAGE(message);
  BOOST_TEST(message.rfind(file + ":2:", 0) == 0u, message);
}

BOOST_AUTO_TEST_CASE(config_file_that_is_not_a_map_is_an_error) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "- strict\n- tz\n");
  tool_under_test tool;
  BOOST_TEST(config_error(tool, {"--config", file}) ==
             file + ":1:1: a config file is a map of settings");
}

BOOST_AUTO_TEST_CASE(empty_config_file_changes_nothing) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "# nothing yet\n");
  tool_under_test tool;
  tool.parse({"--config", file});
  BOOST_TEST(tool.values.tz == "UTC");
  BOOST_TEST(tool.layers->origin("tz") == "default");
}

BOOST_AUTO_TEST_CASE(missing_config_file_is_an_error) {
  temp_dir dir;
  const std::string file = dir.path("absent.yml");
  tool_under_test tool;
  BOOST_TEST(config_error(tool, {"--config", file}) == file + ": cannot read the config file");
  tool_under_test from_environment;
  BOOST_TEST(config_error(from_environment, {}, {{"MIMAMORI_CONFIG", file}}) ==
             file + ": cannot read the config file");
}

BOOST_AUTO_TEST_CASE(mimamori_config_names_the_file) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "tz: Asia/Tokyo\n");
  tool_under_test tool;
  tool.parse({}, {{"MIMAMORI_CONFIG", file}});
  BOOST_TEST(tool.values.tz == "Asia/Tokyo");
  BOOST_TEST(tool.layers->file_path() == file);
  BOOST_TEST(tool.layers->origin("tz") == "file " + file + ":1");
}

BOOST_AUTO_TEST_CASE(config_flag_beats_mimamori_config) {
  temp_dir dir;
  const std::string chosen = dir.write("chosen.yml", "tz: Asia/Tokyo\n");
  const std::string other = dir.write("other.yml", "tz: Europe/Paris\n");
  tool_under_test tool;
  tool.parse({"--config", chosen}, {{"MIMAMORI_CONFIG", other}});
  BOOST_TEST(tool.values.tz == "Asia/Tokyo");
  BOOST_TEST(tool.layers->file_path() == chosen);
}

BOOST_AUTO_TEST_CASE(value_cli11_rejects_from_the_environment_is_a_parse_error) {
  tool_under_test tool;
  BOOST_CHECK_THROW(tool.parse({}, {{"MIMAMORI_BATCH", "many"}}), CLI::ParseError);
}

BOOST_AUTO_TEST_CASE(value_cli11_rejects_from_the_file_is_a_parse_error) {
  temp_dir dir;
  const std::string file = dir.write("c.yml", "batch: many\n");
  tool_under_test tool;
  BOOST_CHECK_THROW(tool.parse({"--config", file}), CLI::ParseError);
}

BOOST_AUTO_TEST_CASE(secret_comes_from_the_environment) {
  temp_dir dir;
  const std::string secret_file = dir.write("password", "from-file\n");
  tool_under_test tool;
  tool.parse({"--smtp-password-file", secret_file}, {{"MIMAMORI_SMTP_PASSWORD", "from-env"}});
  BOOST_TEST(tool.layers->secret("smtp-password") == "from-env");
}

BOOST_AUTO_TEST_CASE(secret_comes_from_the_file_a_name_file_setting_names) {
  temp_dir dir;
  const std::string secret_file = dir.write("password", "s3cret\r\n\n");
  {
    tool_under_test tool;
    tool.parse({"--smtp-password-file", secret_file});
    BOOST_TEST(tool.layers->secret("smtp-password") == "s3cret");
  }
  {
    tool_under_test tool;
    const std::string file = dir.write("c.yml", "smtp-password-file: " + secret_file + "\n");
    tool.parse({"--config", file});
    BOOST_TEST(tool.layers->secret("smtp-password") == "s3cret");
  }
  {
    tool_under_test tool;
    tool.parse({}, {{"MIMAMORI_SMTP_PASSWORD_FILE", secret_file}});
    BOOST_TEST(tool.layers->secret("smtp-password") == "s3cret");
  }
}

BOOST_AUTO_TEST_CASE(secret_never_comes_from_a_plain_flag) {
  tool_under_test tool;
  tool.parse({"--smtp-password", "on-the-command-line"});
  BOOST_TEST(tool.layers->secret("smtp-password") == "");
  BOOST_TEST(tool.layers->secret("no-such-secret") == "");
}

BOOST_AUTO_TEST_CASE(unreadable_secret_file_is_an_error) {
  temp_dir dir;
  const std::string absent = dir.path("absent");
  tool_under_test tool;
  tool.parse({"--smtp-password-file", absent});
  try {
    (void)tool.layers->secret("smtp-password");
    BOOST_ERROR("no config::error");
  } catch (const config::error& e) {
    BOOST_TEST(std::string(e.what()) == absent + ": cannot read the secret for 'smtp-password'");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(layers_flag_values)

BOOST_AUTO_TEST_CASE(counting_flags_take_a_number_from_the_environment) {
  CLI::App app("t", "lognorm");
  int verbose = 0;
  app.add_flag("-v,--verbose", verbose, "more");
  mimamori::config::layers layers(app, "lognorm");
  layers.parse(std::vector<std::string>{}, {{"MIMAMORI_VERBOSE", "2"}});
  BOOST_TEST(verbose == 2);
}

BOOST_AUTO_TEST_CASE(a_flag_value_that_is_not_yes_or_no_is_an_error_naming_its_origin) {
  CLI::App app("t", "lognorm");
  bool strict = false;
  app.add_flag("--strict", strict, "stop");
  mimamori::config::layers layers(app, "lognorm");
  try {
    layers.parse(std::vector<std::string>{}, {{"MIMAMORI_STRICT", "maybe"}});
    BOOST_FAIL("no error");
  } catch (const mimamori::config::error& e) {
    BOOST_TEST(std::string(e.what()) == "MIMAMORI_STRICT: 'strict' takes true or false, not 'maybe'");
  }
}

BOOST_AUTO_TEST_SUITE_END()
