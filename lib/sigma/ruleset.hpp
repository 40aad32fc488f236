// ruleset: Sigma rules compiled for matching events one by one.
//
// Loading reads rule files (YAML, one or more documents each; directories
// recursively, in name order, so the rule order and the output are the same
// on every run). A rule that cannot be supported (an unmapped logsource, a
// regex RE2 refuses, an unknown modifier, an aggregation...) is recorded
// with its file, line, column, id and reason and skipped; loading never
// stops at one rule.
//
// Matching: rules are grouped by logsource; for each event the groups'
// logsource tests (a few field comparisons each) pick the candidate rules,
// and only those are evaluated. Groups are keyed by the value of a field
// each of their alternatives tests (winlog.channel, event.dataset), so an
// event tries only the groups its own values name. Fields are found through
// a field_index: each object on the rules' paths is walked once per event,
// not once per path. Every field a rule reads and every
// (field, value) test is interned once for the whole set, and results are
// remembered for the event, so a field is looked up once per event and a
// test that many rules share (`Image|endswith: \powershell.exe`) runs once.
// The literal tests on a field (contains, startswith, endswith, without
// |cased) all go into one literal_set per field, so a field's text is
// scanned once for all of them; its equality tests (`field: value`, no
// modifier) into a hash table of whole texts, looked up once. Each rule gets a set of such tests of
// which one at least must hold for it to match (from its condition: any
// test of an `or`; among the parts of an `and`, one on fields rather than
// keywords, which scan every string of the event, then the smallest); only
// rules whose set met a hit, and rules that have no such set, are evaluated.
// Events are read through event::record (simdjson DOM): no tree is built.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

#include "event/record.hpp"
#include "sigma/field_index.hpp"
#include "sigma/literal_set.hpp"
#include "sigma/mapping.hpp"
#include "sigma/pattern.hpp"
#include "sigma/rule.hpp"

namespace YAML {
class Node;
}

namespace mimamori::sigma {

struct unsupported_rule {
  std::string file;
  int line = 0;
  int column = 0;
  std::string id;        // may be empty (no id, or not YAML)
  std::string category;  // short: "logsource not mapped", "regex refused by RE2", ...
  std::string reason;    // the whole message
};

struct load_report {
  std::size_t files = 0;
  std::size_t loaded = 0;
  std::vector<unsupported_rule> unsupported;
};

class ruleset {
 public:
  explicit ruleset(mapping map);
  ~ruleset();
  ruleset(const ruleset&) = delete;
  ruleset& operator=(const ruleset&) = delete;

  // Loads a file, or every *.yml / *.yaml under a directory. Throws
  // std::runtime_error only when `path` itself does not exist.
  void load(const std::string& path, load_report& report);
  // Loads rules from YAML text (tests; `name` stands for the file).
  void load_text(const std::string& text, const std::string& name, load_report& report);

  // ---- Sigma correlation rules and filters (sigma/correlation.hpp) ----
  // Documents with `correlation:` or `filter:` are not rules: loading keeps
  // them here, and correlation_engine compiles them once every file is
  // loaded (they name rules of any file).
  struct meta_document {
    std::shared_ptr<const YAML::Node> doc;
    std::string file;
  };
  [[nodiscard]] const std::vector<meta_document>& meta_documents() const { return meta_; }
  // Compiles one rule document (a filter's detection too): the new rule's
  // index, or nullopt when it was refused (and reported).
  std::optional<std::uint32_t> load_document(const YAML::Node& doc, const std::string& file,
                                             load_report& report);
  // ---- end of correlation support ----

  [[nodiscard]] const std::vector<rule>& rules() const { return rules_; }

  // The indexes (into rules(), ascending) of the rules the event matches.
  void match(const event::record& event, std::vector<std::uint32_t>& hits);

  // Internal representation, public for the compiler in ruleset.cpp.
  enum class op : std::uint8_t { all, any, none, at_least, test, always, never };
  struct node {
    op kind = op::always;
    std::uint32_t begin = 0, count = 0;  // children in edges_
    std::uint32_t value = 0;             // test index, or at_least's threshold
  };
  enum class test_kind : std::uint8_t { value, exists, missing, null, keyword, field_ref };
  struct test {
    test_kind kind = test_kind::value;
    std::int32_t field = -1;
    std::int32_t other = -1;  // field_ref: the other field
    matcher value;            // field_ref: its kind and case only
  };

  std::uint32_t add_node(op kind, const std::vector<std::uint32_t>& children, std::uint32_t value = 0);
  // `spaced_parent`: see mapping::spaced_parent; the Sigma name is the
  // last path's (the name itself, which paths() always ends with).
  std::uint32_t intern_field(const std::vector<std::string>& paths, const std::string& spaced_parent = {});
  std::uint32_t intern_test(test t);
  [[nodiscard]] const mapping& map() const { return map_; }
  void add_rule(rule r, std::uint32_t root);

 private:
  struct field_slot {
    std::uint32_t generation = 0;
    bool found = false;
    bool scalar = false;  // a string, number or boolean (text/lowered are set)
    bool text_ready = false;
    bool lowered_ready = false;
    simdjson::dom::element element;
    std::string_view text;
    std::string number_text;
    std::string lowered;
  };
  struct selector {
    std::vector<std::vector<std::pair<std::uint32_t, std::vector<std::string>>>> alternatives;
    std::vector<std::uint32_t> rules;
    std::vector<std::uint32_t> always;       // rules without a literal prefilter
    std::vector<std::uint32_t> scan_fields;  // fields the prefilters read
    bool scan_keywords = false;              // and the event's strings
  };
  struct field_literals {
    literal_set literals;
    std::vector<std::vector<std::uint32_t>> tests;  // per literal: the tests using it
    // The same, flat, with what stamping needs inline (the test's kind and
    // the literal's length, not looked up in tests_ and the literal_set
    // for every literal a scan reports): literal l's tests are
    // uses[first[l], first[l + 1]).
    struct use {
      std::uint32_t test = 0;
      std::uint32_t length = 0;  // the literal's
      match_kind kind = match_kind::contains;
    };
    std::vector<std::uint32_t> first;
    std::vector<use> uses;
    // The equality literals (match_kind::equals), which only the whole
    // text can match: looked up once in a hash table, not scanned for.
    // A literal is in `literals` only when some test uses it otherwise.
    // Equality literal l's tests are equal_uses[equal_first[l],
    // equal_first[l + 1]).
    equal_set equal;
    std::vector<std::vector<std::uint32_t>> equal_tests;  // per equality literal
    std::vector<std::uint32_t> equal_first;
    std::vector<std::uint32_t> equal_uses;
  };

  void load_file(const std::string& path, load_report& report);
  field_slot& field(std::uint32_t id);
  void prepare_text(field_slot& slot);  // text and lowered
  void prepare_raw(field_slot& slot);   // text only
  std::optional<simdjson::dom::element> find_spaced(std::uint32_t id);
  bool evaluate(std::uint32_t node);
  bool run_test(std::uint32_t id);
  bool test_element(const test& t, simdjson::dom::element e);
  bool keyword(const matcher& m, simdjson::dom::element e);
  bool selected(const selector& s);
  void build();
  void build_selector_keys();
  // Evaluation order: the children of and/or/`n of` nodes cheapest first
  // (tests a field's scan has settled, then plain comparisons, globs,
  // regexes, keyword walks), so a child that settles the node spares the
  // dearer ones. evaluate() has no effect but its caches: the result does
  // not depend on the order.
  [[nodiscard]] std::uint32_t test_cost(std::uint32_t id) const;
  void order_children();
  std::optional<std::vector<std::uint32_t>> required_tests(std::uint32_t node) const;
  void count_shares();  // fills shares_
  bool scan_field(std::uint32_t field);
  void scan_keywords();
  void scan_strings(simdjson::dom::element e);
  void stamp_literals(const field_literals& f, std::string_view text);
  void flatten(field_literals& f) const;  // fills first and uses
  void add_candidate(std::uint32_t rule);

  mapping map_;
  std::vector<rule> rules_;
  std::vector<meta_document> meta_;  // correlation and filter documents
  std::vector<std::uint32_t> roots_;
  std::vector<node> nodes_;
  std::vector<std::uint32_t> edges_;
  std::vector<std::vector<std::string>> field_paths_;
  std::vector<std::string> field_spaced_parent_;
  std::unordered_map<std::string, std::uint32_t> field_ids_;
  std::vector<test> tests_;
  std::unordered_map<std::string, std::uint32_t> test_ids_;
  std::vector<selector> selectors_;
  std::unordered_map<std::string, std::uint32_t> selector_ids_;
  std::vector<std::uint32_t> rule_selector_;
  // Logsource groups by the value of a field that every alternative of
  // theirs tests (winlog.channel, event.dataset): per such field, the
  // lowercase values and the groups that name each. An event tries only the
  // groups its values name, and those without such a field.
  struct selector_key {
    std::uint32_t field = 0;
    std::unordered_map<std::string, std::vector<std::uint32_t>> selectors;
  };
  std::vector<selector_key> selector_keys_;
  std::vector<std::uint32_t> unkeyed_selectors_;
  std::vector<std::uint32_t> selector_candidates_;  // per event
  bool built_ = false;
  std::vector<field_literals> field_literals_;
  field_literals keyword_literals_;  // keyword tests: contains over any string
  std::vector<std::uint8_t> indexed_;                    // per test
  std::vector<std::vector<std::uint32_t>> rules_of_test_;  // per test
  // Per glob test: a `contains` test on its longest literal run, which must
  // hold when the glob does (the glob's prefilter); or no_hint.
  static constexpr std::uint32_t no_hint = 0xFFFFFFFF;
  std::vector<std::uint32_t> hint_;
  // Per test: how many rules' conditions hold it (or a glob whose hint it
  // is); the prefilters prefer tests few rules share.
  std::vector<std::uint32_t> shares_;

  // The fields' paths in index_ (per field, as field_paths_), and their
  // spaced parents' (no_hint if none).
  field_index index_;
  std::vector<std::vector<std::uint32_t>> path_ids_;
  std::vector<std::uint32_t> spaced_parent_ids_;

  // Per event.
  const event::record* event_ = nullptr;
  std::uint32_t generation_ = 0;
  std::vector<field_slot> slots_;
  std::vector<std::uint32_t> test_generation_;
  std::vector<std::uint8_t> test_result_;
  std::vector<std::uint32_t> scanned_, selector_generation_, rule_generation_;
  std::uint32_t keywords_scanned_ = 0;
  std::vector<std::uint32_t> matched_tests_, candidates_;
  std::string scratch_, scratch_lowered_;

  friend class rule_compiler;
};

}  // namespace mimamori::sigma
