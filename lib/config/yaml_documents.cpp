#include "config/yaml_documents.hpp"

#include <cctype>
#include <cstddef>
#include <sstream>
#include <string_view>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace mimamori::config {

namespace {

// Keeps where the last two documents began; ignores the rest. A parser
// that begins a document where the previous one began consumed nothing:
// it is turning in place.
class document_counter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    stuck = documents > 0 && mark.pos == last_start.pos;
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
  bool stuck = false;
  YAML::Mark last_start;
};

// Whether every document of the text begins with a plain key at column 0
// ("title: ..."), as rule and config files do: a block mapping at the root,
// after which yaml-cpp reports a stray ',' as the error it is. Documents
// begin at the start of the text and after a line that starts with "---",
// "..." or '%' (yaml-cpp ends a document at a directive wherever it stands;
// a line inside a scalar that starts so is only one check too many).
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
    if (!row.empty() && row[0] == '%') {  // a directive
      start = true;
      continue;
    }
    if (!start) continue;
    const std::size_t first = row.find_first_not_of(" \t");
    if (first == std::string_view::npos || row[first] == '#') continue;
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
  std::istringstream in(text);
  YAML::Parser parser(in);
  document_counter counter;
  while (parser.HandleNextDocument(counter)) {
    if (!counter.stuck) continue;
    const std::size_t at = counter.last_start.pos;
    const char c = at < text.size() ? text[at] : '\0';
    if (c == ',') {
      throw YAML::ParserException(counter.last_start,
                                  "',' outside a flow collection ([...] or {...})");
    }
    std::string what = "a token that cannot begin a document";
    if (c > ' ' && c < 0x7f) what = std::string("'") + c + "' where a document should begin";
    throw YAML::ParserException(counter.last_start, what);
  }
  return YAML::LoadAll(text);
}

}  // namespace mimamori::config
