#include "config/yaml_documents.hpp"

#include <cctype>
#include <cstddef>
#include <sstream>
#include <string_view>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace mimamori::config {

namespace {

// Counts documents and keeps where the last one began; ignores the rest.
class document_counter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents;
    last_start = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  std::size_t documents = 0;
  YAML::Mark last_start;
};

std::size_t occurrences(const std::string& text, const char* what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Whether every document of the text begins with a plain key at column 0
// ("title: ..."), as rule and config files do: a block mapping at the root,
// after which yaml-cpp reports a stray ',' as the error it is. Documents
// begin at the start of the text and after a line that starts with "---"
// or "..." (a line inside a scalar that does is only one check too many).
bool block_mappings_only(std::string_view text) {
  bool start = true;  // the next significant line begins a document
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view row = text.substr(at, end - at);
    at = end + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.starts_with("---") || row.starts_with("...")) {
      // A marker with content after it ("--- [a]") is not judged here.
      const std::size_t rest = row.find_first_not_of(" \t", 3);
      if (rest != std::string_view::npos && row[rest] != '#') return false;
      start = true;
      continue;
    }
    if (!start) continue;
    const std::size_t first = row.find_first_not_of(" \t");
    if (first == std::string_view::npos || row[first] == '#') continue;
    if (row[0] == '%') continue;  // a directive
    // A plain key: a letter, digit or '_' at column 0, then "key:" followed
    // by a blank or the end of the line, with no flow or quote before it.
    const unsigned char c = static_cast<unsigned char>(row[0]);
    if (!(std::isalnum(c) || c == '_')) return false;
    const std::size_t colon = row.find(':');
    if (colon == std::string_view::npos) return false;
    if (row.substr(0, colon).find_first_of("[]{},#\"'&*!|>") != std::string_view::npos) return false;
    if (colon + 1 < row.size() && row[colon + 1] != ' ' && row[colon + 1] != '\t') return false;
    start = false;
  }
  return true;
}

}  // namespace

std::vector<YAML::Node> load_all_documents(const std::string& text) {
  if (block_mappings_only(text)) return YAML::LoadAll(text);
  // Every document after the first begins at a "---" or follows a "...":
  // a parser that yields more documents than that is turning in place.
  const std::size_t most = 1 + occurrences(text, "---") + occurrences(text, "...");
  std::istringstream in(text);
  YAML::Parser parser(in);
  document_counter counter;
  while (parser.HandleNextDocument(counter)) {
    if (counter.documents > most) {
      throw YAML::ParserException(counter.last_start,
                                  "',' outside a flow collection ([...] or {...})");
    }
  }
  return YAML::LoadAll(text);
}

}  // namespace mimamori::config
