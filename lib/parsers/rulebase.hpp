// rulebase: user formats without recompiling (lognorm --rules FILE).
//
// A rulebase is a YAML file of rules; each rule is a parser like the
// built-in ones (parser.hpp) and sets its fields through the same fields
// writer, so event.dataset, observer.* and the envelope plumbing are shared.
//
//   rules:
//     - name: proxifier-open            # the --format name; unique
//       dataset: proxifier.connection   # event.dataset (default: the name)
//       prefix: "["                     # cheap checks first: prefix, contains,
//       contains: " open through proxy" #   program (the envelope's app name)
//       pattern: '[%time:char-to:]%] %app:word% - %host:char-to::%:%port:number% %-:rest%'
//       fields:                         # ECS path: capture, or {from, type, format}
//         destination.domain: host
//         destination.port: {from: port, type: port}
//         "@timestamp": {from: time, type: timestamp, format: "%m.%d %H:%M:%S"}
//       set:                            # constants (a list adds to an array field)
//         event.category: [network]
//
// `pattern` is the field syntax (pattern.hpp), anchored at both ends;
// `regex` is RE2 with named groups (?P<name>...), searched unanchored.
// `format: json` or `format: kv` read the message as a JSON object or as
// key=value pairs instead: `fields` then name source keys (dotted paths
// into JSON), `match` lists key: value conditions, and `keep: NAMESPACE`
// keeps every key under NAMESPACE.
//
// Problems are collected, not thrown: each is "file:line:column: why".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/parser.hpp"

namespace mimamori::parsers {

class user_rule;

class rulebase {
 public:
  rulebase();
  ~rulebase();
  rulebase(rulebase&&) noexcept;
  rulebase& operator=(rulebase&&) noexcept;

  // Reads one file and adds its rules (none when it has a problem); every
  // problem found goes to `problems` as "file:line:column: why".
  void load_file(const std::string& path, std::vector<std::string>& problems);
  // The same from text; `file` names it in messages.
  void load_text(std::string_view text, std::string_view file, std::vector<std::string>& problems);

  // The rules of every file, in the order they were read: tried in this
  // order, before the built-in parsers.
  [[nodiscard]] const std::vector<const parser*>& rules() const { return view_; }
  [[nodiscard]] const parser* find(std::string_view name) const;
  [[nodiscard]] bool empty() const { return view_.empty(); }
  // Where a rule was written ("rules/x.yml:4") and, for --explain, why it
  // did not take a line (empty when it does take it).
  [[nodiscard]] std::string origin(const parser& rule) const;
  [[nodiscard]] std::string why_not(const parser& rule, const line_context& line) const;

 private:
  [[nodiscard]] const user_rule* user_of(const parser& p) const;
  std::vector<std::unique_ptr<user_rule>> owned_;
  std::vector<const parser*> view_;
};

// Sets every member of a JSON object under `prefix` ("json."), nested
// objects as dotted paths, arrays and numbers as JSON text (the generic
// JSON format and rulebase `keep:`). `json` is the object's text.
bool keep_json_object(fields& out, std::string_view prefix, std::string_view json);

}  // namespace mimamori::parsers
