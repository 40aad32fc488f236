// stix_feed: STIX 2.1 bundles. An indicator is loaded when its pattern is
// one comparison, or several joined by OR, of a supported object path with
// `=` and a string:
//   [domain-name:value = 'evil.example' OR ipv4-addr:value = '192.0.2.0/24']
//   [file:hashes.'SHA-256' = '...'] OR [url:value = 'http://...']
// Anything else (AND, FOLLOWEDBY, MATCHES, LIKE, qualifiers, other objects)
// is reported as unsupported with the indicator's id.
#include <cctype>
#include <unordered_map>
#include <vector>

#include "intel/feed_parsers.hpp"

namespace mimamori::intel::detail {

namespace {

std::string_view string_of(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get_string().get(s) == simdjson::SUCCESS) return s;
  return {};
}

struct comparison {
  indicator_type type;
  std::string value;
};

// A small recursive-descent reader for the subset above. On failure,
// `error` says why.
class pattern_reader {
 public:
  explicit pattern_reader(std::string_view text) : text_(text) {}

  bool read(std::vector<comparison>& out, std::string& error) {
    if (!expression(out, error)) return false;
    skip();
    if (at_ < text_.size()) {
      error = "unsupported pattern syntax at '" + std::string(text_.substr(at_, 20)) + "'";
      return false;
    }
    return true;
  }

 private:
  void skip() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }
  bool keyword(std::string_view word) {
    skip();
    if (text_.substr(at_, word.size()) != word) return false;
    std::size_t end = at_ + word.size();
    if (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) != 0)) {
      return false;
    }
    at_ = end;
    return true;
  }
  bool accept(char c) {
    skip();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  // expression := term (OR term)*
  bool expression(std::vector<comparison>& out, std::string& error) {
    if (!term(out, error)) return false;
    while (keyword("OR")) {
      if (!term(out, error)) return false;
    }
    skip();
    if (keyword("AND") || keyword("FOLLOWEDBY")) {
      error = "unsupported pattern: AND/FOLLOWEDBY need several observations";
      return false;
    }
    if (keyword("WITHIN") || keyword("REPEATS") || keyword("START") || keyword("STOP")) {
      error = "unsupported pattern: qualifiers (WITHIN, REPEATS, START/STOP)";
      return false;
    }
    return true;
  }

  // term := '[' expression ']' | '(' expression ')' | comparison
  bool term(std::vector<comparison>& out, std::string& error) {
    if (accept('[')) {
      if (!expression(out, error)) return false;
      if (!accept(']')) {
        if (error.empty()) error = "unsupported pattern: expected ']'";
        return false;
      }
      return true;
    }
    if (accept('(')) {
      if (!expression(out, error)) return false;
      if (!accept(')')) {
        if (error.empty()) error = "unsupported pattern: expected ')'";
        return false;
      }
      return true;
    }
    return compare(out, error);
  }

  bool compare(std::vector<comparison>& out, std::string& error) {
    skip();
    std::size_t start = at_;
    // The object path runs to whitespace or an operator, with quoted parts.
    while (at_ < text_.size()) {
      char c = text_[at_];
      if (c == '\'') {
        std::size_t close = text_.find('\'', at_ + 1);
        if (close == std::string_view::npos) break;
        at_ = close + 1;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '=' || c == '!' || c == '<' || c == '>' || c == ']' ||
          c == ')') {
        break;
      }
      ++at_;
    }
    std::string_view path = text_.substr(start, at_ - start);
    if (path.empty()) {
      error = "unsupported pattern: expected a comparison";
      return false;
    }
    skip();
    if (!accept('=')) {
      error = "unsupported comparison on " + std::string(path) + " (only = is supported)";
      return false;
    }
    skip();
    if (at_ >= text_.size() || text_[at_] != '\'') {
      error = "unsupported comparison value for " + std::string(path) + " (only strings)";
      return false;
    }
    std::string value;
    for (++at_; at_ < text_.size(); ++at_) {
      char c = text_[at_];
      if (c == '\\' && at_ + 1 < text_.size()) {
        value.push_back(text_[++at_]);
        continue;
      }
      if (c == '\'') break;
      value.push_back(c);
    }
    if (at_ >= text_.size()) {
      error = "unterminated string in pattern";
      return false;
    }
    ++at_;  // closing quote

    std::optional<indicator_type> type;
    std::string lowered;
    for (char c : path)
      lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lowered == "domain-name:value") {
      type = indicator_type::domain;
    } else if (lowered == "ipv4-addr:value" || lowered == "ipv6-addr:value") {
      type = indicator_type::ip;
    } else if (lowered == "url:value") {
      type = indicator_type::url;
    } else if (lowered == "file:hashes.md5" || lowered == "file:hashes.'md5'") {
      type = indicator_type::md5;
    } else if (lowered == "file:hashes.'sha-1'" || lowered == "file:hashes.sha1" ||
               lowered == "file:hashes.'sha1'") {
      type = indicator_type::sha1;
    } else if (lowered == "file:hashes.'sha-256'" || lowered == "file:hashes.sha256" ||
               lowered == "file:hashes.'sha256'") {
      type = indicator_type::sha256;
    }
    if (!type) {
      error = "unsupported object path " + std::string(path);
      return false;
    }
    out.push_back({*type, std::move(value)});
    return true;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

void read_stix(simdjson::dom::element root, sink& out) {
  simdjson::dom::array objects;
  std::vector<simdjson::dom::element> items;
  if (root["objects"].get_array().get(objects) == simdjson::SUCCESS) {
    for (auto o : objects) items.push_back(o);
  } else if (root.get_array().get(objects) == simdjson::SUCCESS) {
    for (auto o : objects) items.push_back(o);
  } else {
    items.push_back(root);
  }
  // created_by_ref names an identity in the same bundle: the provider.
  std::unordered_map<std::string_view, std::string_view> identities;
  for (auto o : items) {
    if (string_of(o, "type") == "identity") identities[string_of(o, "id")] = string_of(o, "name");
  }

  std::vector<comparison> comparisons;
  std::string error;
  std::size_t indicators = 0;
  for (auto o : items) {
    if (string_of(o, "type") != "indicator") continue;
    ++indicators;
    std::string_view id = string_of(o, "id");
    std::string label = id.empty() ? std::string("indicator") : std::string(id);
    std::string_view pattern_type = string_of(o, "pattern_type");
    if (!pattern_type.empty() && pattern_type != "stix") {
      out.unsupported(
          0, label + ": pattern_type '" + std::string(pattern_type) + "' is not supported");
      continue;
    }
    std::string_view pattern = string_of(o, "pattern");
    if (pattern.empty()) {
      out.bad(0, label + ": no pattern");
      continue;
    }
    comparisons.clear();
    error.clear();
    if (!pattern_reader(pattern).read(comparisons, error)) {
      out.unsupported(0, label + ": " + error);
      continue;
    }

    context c;
    c.description = string_of(o, "description");
    if (c.description.empty()) c.description = string_of(o, "name");
    if (auto it = identities.find(string_of(o, "created_by_ref")); it != identities.end()) {
      c.provider = it->second;
    }
    std::int64_t confidence = -1;
    if (o["confidence"].get_int64().get(confidence) == simdjson::SUCCESS && confidence >= 0 &&
        confidence <= 100) {
      c.confidence = static_cast<int>(confidence);
    }
    for (std::string_view key : {"indicator_types", "labels"}) {
      simdjson::dom::array array;
      if (o[key].get_array().get(array) != simdjson::SUCCESS) continue;
      for (auto t : array) {
        std::string_view s;
        if (t.get_string().get(s) == simdjson::SUCCESS) c.tags.emplace_back(s);
      }
    }
    simdjson::dom::array refs;
    if (o["external_references"].get_array().get(refs) == simdjson::SUCCESS) {
      for (auto r : refs) {
        std::string_view url = string_of(r, "url");
        if (!url.empty()) {
          c.reference = url;
          break;
        }
      }
    }
    bool times_ok = true;
    for (auto [key, slot] :
         {std::pair{"valid_from", &c.valid_from}, std::pair{"valid_until", &c.valid_until}}) {
      std::string_view text = string_of(o, key);
      if (text.empty()) continue;
      *slot = parse_feed_time(text);
      if (!*slot) {
        out.bad(0, label + ": unreadable " + std::string(key) + " '" + std::string(text) + "'");
        times_ok = false;
      }
    }
    if (!times_ok) continue;
    std::optional<time::timestamp> first;
    std::string_view created = string_of(o, "created");
    if (!created.empty()) first = parse_feed_time(created);
    std::uint32_t ctx = out.context_id(std::move(c));
    for (const auto& cmp : comparisons) {
      auto value = read_as(cmp.type, cmp.value);
      if (!value) {
        out.bad(0,
                label + ": '" + cmp.value + "' is not a valid " + std::string(type_name(cmp.type)));
        continue;
      }
      out.add(*value, ctx, first);
    }
  }
  if (indicators == 0 && items.size() <= 1 && string_of(root, "type") != "bundle") {
    out.bad(0, "no STIX indicator objects in this document");
  }
}

}  // namespace mimamori::intel::detail
