// fuzz: mimamori_config
// config::load_all_documents on arbitrary text returns the documents or
// throws a YAML::Exception, and always returns: libFuzzer's -timeout and
// -rss_limit_mb catch yaml-cpp 0.7's endless LoadAll. The text is loaded
// as it is (most inputs take the walking parser) and after a first
// document that is a block mapping with a "---" (the quick check then
// judges the rest: a '%' line inside a document once slipped past it).
#include <cstdint>
#include <string>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const std::string& input : {text, "title: x\n---\n" + text}) {
    try {
      (void)mimamori::config::load_all_documents(input);
    } catch (const YAML::Exception&) {
    }
  }
  return 0;
}
