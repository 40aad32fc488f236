// options: logcollect's command line.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/common_options.hpp"
#include "cli/main.hpp"

namespace mimamori::logcollect {

struct options {
  cli::common_options common;
  std::vector<std::string> inputs;  // files; none or "-" is stdin
  std::string organization = "default";
  std::string observer_hostname;
  std::string observer_vendor;
  std::string observer_product;
  std::string observer_type;
};

[[nodiscard]] cli::tool_description tool();
void setup(CLI::App& app, options& o);

}  // namespace mimamori::logcollect
