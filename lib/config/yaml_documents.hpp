// yaml_documents: YAML texts read with libyaml into yaml-cpp nodes.
//
// Rules, mappings and configuration files are read as YAML::Node trees (the
// type the rest of the code walks), but parsed by libyaml: yaml-cpp 0.7's
// scanner costs about 2,000 instructions a byte (loading the SigmaHQ set
// spent most of its second there; libyaml reads the same files about ten
// times faster), and its LoadAll never returns on some stray ','s.
//
// The trees are built as yaml-cpp's own loader builds them: each node keeps
// its mark (line and column of where it starts), plain scalars are tagged
// "?" and quoted ones "!", a plain empty scalar or ~, null, Null, NULL is a
// null node, aliases share the anchored node, and a key given twice is kept
// twice (a lookup finds the first). Unlike yaml-cpp, these are errors: an
// alias inside the node it names (a cycle), nesting deeper than
// yaml_max_depth, and aliases that repeat more than yaml_max_aliased_nodes
// ("billion laughs"). Errors are YAML::ParserException with libyaml's
// description and the mark of the problem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace mimamori::config {

// Collections nested deeper than this are an error (walkers recurse).
inline constexpr int yaml_max_depth = 500;
// Aliases may repeat at most this many nodes in one document (each alias
// counts the nodes of what it names): "billion laughs" is an error.
inline constexpr std::uint64_t yaml_max_aliased_nodes = 1'000'000;

// Every document of the text (YAML::LoadAll), or YAML::ParserException.
std::vector<YAML::Node> load_all_documents(std::string_view text);

// The first document of the text, or a null node when it has none
// (YAML::Load).
YAML::Node load_document(std::string_view text);

// The first document of a file (YAML::LoadFile): YAML::BadFile when it
// cannot be read.
YAML::Node load_file(const std::string& path);

// What the const node[key] of yaml-cpp returns, the same node, an invalid
// node naming the key (when the map has no such key or the node is not a
// map), or the same exception (on a scalar), without the std::stringstream
// yaml-cpp builds for every missing key nor a copy of each key compared
// (a tenth of the instructions of loading the 100 threshold rules of
// `make bench`). For a const node only: yaml-cpp's non-const operator[]
// adds the key.
YAML::Node member(const YAML::Node& node, std::string_view key);

}  // namespace mimamori::config
