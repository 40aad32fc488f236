// fuzz: mimamori_config
// config::load_all_documents on arbitrary text returns the documents or
// throws a YAML::Exception, and always returns (yaml-cpp 0.7's own LoadAll
// never did on some stray ','s; libyaml now reads the text). The trees it
// returns are walked whole, as the rule loaders walk them: a cycle through
// an alias, or nesting deeper than config::yaml_max_depth, would show here
// as a stack overflow or a timeout. The text is loaded as it is and after a
// first document that is a block mapping with a "---". config::member
// finds what yaml-cpp's const operator[] finds for every key of every map,
// and for a key no map has.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"

namespace {

// What a lookup gives: the node, or the text of what it throws, and the
// text of what asking an invalid node for its type throws.
struct lookup {
  std::optional<YAML::Node> node;
  std::string error;
};

std::string type_error(const YAML::Node& n) {
  try {
    (void)n.Type();
  } catch (const YAML::Exception& e) {
    return e.what();
  }
  return {};
}

template <typename Find>
lookup look(Find find) {
  lookup l;
  try {
    l.node.emplace(find());
  } catch (const YAML::Exception& e) {
    l.error = e.what();
  }
  return l;
}

void check_member(const YAML::Node& map, const std::string& key) {
  const lookup ours = look([&] { return mimamori::config::member(map, key); });
  const lookup theirs = look([&] { return map[key]; });
  if (ours.error != theirs.error || ours.node.has_value() != theirs.node.has_value()) __builtin_trap();
  if (!ours.node) return;
  if (ours.node->IsDefined() != theirs.node->IsDefined()) __builtin_trap();
  if (ours.node->IsDefined() ? !ours.node->is(*theirs.node)
                             : type_error(*ours.node) != type_error(*theirs.node)) {
    __builtin_trap();
  }
}

std::size_t walk(const YAML::Node& node, int depth) {
  if (depth > mimamori::config::yaml_max_depth + 1) __builtin_trap();
  if (depth < 3 && !node.IsMap()) check_member(node, "title");  // scalars, sequences, nulls
  std::size_t n = 1;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) n += walk(item, depth + 1);
  } else if (node.IsMap()) {
    for (const auto& pair : node) {
      if (pair.first.IsScalar()) check_member(node, pair.first.Scalar());
      n += walk(pair.first, depth + 1) + walk(pair.second, depth + 1);
    }
    check_member(node, "no such key");
  } else if (node.IsScalar()) {
    n += node.Scalar().size();
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const std::string& input : {text, "title: x\n---\n" + text}) {
    try {
      for (const YAML::Node& doc : mimamori::config::load_all_documents(input)) (void)walk(doc, 0);
    } catch (const YAML::Exception&) {
    }
  }
  return 0;
}
