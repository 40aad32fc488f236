// fuzz: mimamori_config
// config::load_all_documents on arbitrary text returns the documents or
// throws a YAML::Exception, and always returns (yaml-cpp 0.7's own LoadAll
// never did on some stray ','s; libyaml now reads the text). The trees it
// returns are walked whole, as the rule loaders walk them: a cycle through
// an alias, or nesting deeper than config::yaml_max_depth, would show here
// as a stack overflow or a timeout. The text is loaded as it is and after a
// first document that is a block mapping with a "---".
#include <cstddef>
#include <cstdint>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"

namespace {

std::size_t walk(const YAML::Node& node, int depth) {
  if (depth > mimamori::config::yaml_max_depth + 1) __builtin_trap();
  std::size_t n = 1;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) n += walk(item, depth + 1);
  } else if (node.IsMap()) {
    for (const auto& pair : node) n += walk(pair.first, depth + 1) + walk(pair.second, depth + 1);
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
