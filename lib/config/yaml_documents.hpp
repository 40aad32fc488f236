// yaml_documents: every document of a YAML text, as YAML::LoadAll gives
// them, without yaml-cpp 0.7's endless loop.
//
// yaml-cpp 0.7 (Debian 12) never returns from LoadAll, allocating without
// bound, when a ',' stands where no flow collection is open at the level of
// a document (",\na: 1", "--- ,", "\"x\"\n,"; found by analytics_fuzz): each
// turn of its loop makes an empty document that consumes no token. YAML
// allows no ',' there, so load_all_documents() throws YAML::ParserException
// at that ',' (its line and column), like any other syntax error.
//
// A text whose documents all begin with a plain key at column 0 (rule and
// config files: a block mapping at the root, where yaml-cpp reports a stray
// ',' itself) is parsed once. Documents end at "---", "..." and at a '%'
// directive line wherever it stands ("a: 1\n%\n,": found by
// yaml_documents_fuzz). Any other text is first walked by a parser that
// builds nothing and stops where a document would begin at the very place
// the previous one did, which costs about two thirds of a LoadAll.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mimamori::config {

// YAML::LoadAll(text), or YAML::Exception (with a mark) for bad YAML.
std::vector<YAML::Node> load_all_documents(const std::string& text);

}  // namespace mimamori::config
