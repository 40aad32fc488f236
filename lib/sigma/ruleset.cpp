#include "sigma/ruleset.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>

#include "ndjson/json_text.hpp"

namespace mimamori::sigma {

ruleset::ruleset(mapping map) : map_(std::move(map)) {}
ruleset::~ruleset() = default;

std::uint32_t ruleset::add_node(op kind, const std::vector<std::uint32_t>& children, std::uint32_t value) {
  node n;
  n.kind = kind;
  n.begin = static_cast<std::uint32_t>(edges_.size());
  n.count = static_cast<std::uint32_t>(children.size());
  n.value = value;
  edges_.insert(edges_.end(), children.begin(), children.end());
  nodes_.push_back(n);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

std::uint32_t ruleset::intern_field(const std::vector<std::string>& paths,
                                    const std::string& spaced_parent) {
  std::string key;
  for (const std::string& p : paths) key += p + '\n';
  key += spaced_parent;
  auto [it, added] = field_ids_.try_emplace(key, static_cast<std::uint32_t>(field_paths_.size()));
  if (added) {
    field_paths_.push_back(paths);
    field_spaced_parent_.push_back(spaced_parent);
  }
  return it->second;
}

std::optional<simdjson::dom::element> ruleset::find_spaced(std::uint32_t id) {
  const std::uint32_t parent_id = spaced_parent_ids_[id];
  if (!index_.has_spaced_key(parent_id)) return std::nullopt;
  auto parent = index_.find(parent_id);
  simdjson::dom::object members;
  if (!parent || parent->get_object().get(members) != simdjson::SUCCESS) return std::nullopt;
  const std::string& name = field_paths_[id].back();
  for (auto member : members) {
    const std::string_view key = member.key;
    if (key.find(' ') == std::string_view::npos) continue;
    std::size_t at = 0;
    bool same = true;
    for (char c : key) {
      if (c == ' ') continue;
      if (at >= name.size() || name[at] != c) {
        same = false;
        break;
      }
      ++at;
    }
    if (same && at == name.size()) return member.value;
  }
  return std::nullopt;
}

std::uint32_t ruleset::intern_test(test t) {
  std::string key = std::to_string(static_cast<int>(t.kind)) + ':' + std::to_string(t.field) + ':' +
                    std::to_string(t.other) + ':' + t.value.key();
  auto [it, added] = test_ids_.try_emplace(key, static_cast<std::uint32_t>(tests_.size()));
  if (added) tests_.push_back(std::move(t));
  return it->second;
}

void ruleset::add_rule(rule r, std::uint32_t root) {
  auto alternatives = map_.select(r.source);
  const std::string key = r.source.key();
  auto [it, added] = selector_ids_.try_emplace(key, static_cast<std::uint32_t>(selectors_.size()));
  if (added) {
    selector s;
    for (const conjunction& c : *alternatives) {
      std::vector<std::pair<std::uint32_t, std::vector<std::string>>> tests;
      for (const field_test& f : c) tests.emplace_back(intern_field({f.field}), f.values);
      s.alternatives.push_back(std::move(tests));
    }
    selectors_.push_back(std::move(s));
  }
  selectors_[it->second].rules.push_back(static_cast<std::uint32_t>(rules_.size()));
  rule_selector_.push_back(it->second);
  rules_.push_back(std::move(r));
  roots_.push_back(root);
  built_ = false;
}

// ---- matching ----

ruleset::field_slot& ruleset::field(std::uint32_t id) {
  field_slot& slot = slots_[id];
  if (slot.generation == generation_) return slot;
  slot.generation = generation_;
  slot.found = false;
  slot.text_ready = false;
  slot.lowered_ready = false;
  const auto& paths = path_ids_[id];
  for (std::size_t k = 0; k < paths.size(); ++k) {
    auto e = index_.find(paths[k]);
    if (!e && k == 0 && !field_spaced_parent_[id].empty()) e = find_spaced(id);
    if (e) {
      slot.found = true;
      slot.element = *e;
      const auto type = e->type();
      slot.scalar = type != simdjson::dom::element_type::ARRAY &&
                    type != simdjson::dom::element_type::OBJECT &&
                    type != simdjson::dom::element_type::NULL_VALUE;
      break;
    }
  }
  return slot;
}

namespace {

// The text of a scalar element: strings as they are, numbers and booleans
// as JSON writes them.
std::string_view scalar_text(simdjson::dom::element e, std::string& buffer) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: return e.get_string().value_unsafe();
    case simdjson::dom::element_type::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      buffer.clear();
      ndjson::append_int(buffer, v);
      return buffer;
    }
    case simdjson::dom::element_type::UINT64: {
      const std::uint64_t v = e.get_uint64().value_unsafe();
      buffer.clear();
      ndjson::append_uint(buffer, v);
      return buffer;
    }
    case simdjson::dom::element_type::DOUBLE: {
      const double v = e.get_double().value_unsafe();
      buffer.clear();
      ndjson::append_double(buffer, v);
      return buffer;
    }
    case simdjson::dom::element_type::BOOL: {
      const bool v = e.get_bool().value_unsafe();
      return v ? "true" : "false";
    }
    default: return {};
  }
}

// Whether `text` lowercased (ASCII) is `lowered`, of the same length.
bool folded_equal(std::string_view text, std::string_view lowered) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    if (c != static_cast<unsigned char>(lowered[i])) return false;
  }
  return true;
}

}  // namespace

void ruleset::prepare_raw(field_slot& slot) {
  if (slot.text_ready) return;
  slot.text_ready = true;
  slot.text = scalar_text(slot.element, slot.number_text);
}

void ruleset::prepare_text(field_slot& slot) {
  prepare_raw(slot);
  if (slot.lowered_ready) return;
  slot.lowered_ready = true;
  ascii_lower(slot.text, slot.lowered);
}

bool ruleset::test_element(const test& t, simdjson::dom::element e) {
  const auto type = e.type();
  if (type == simdjson::dom::element_type::ARRAY) {
    simdjson::dom::array items;
    if (e.get_array().get(items) != simdjson::SUCCESS) return false;
    for (simdjson::dom::element item : items) {
      if (test_element(t, item)) return true;
    }
    return false;
  }
  if (type == simdjson::dom::element_type::OBJECT || type == simdjson::dom::element_type::NULL_VALUE) {
    return false;
  }
  const std::string_view text = scalar_text(e, scratch_);
  if (t.value.case_sensitive()) return t.value.matches(text, text);
  ascii_lower(text, scratch_lowered_);
  return t.value.matches(text, scratch_lowered_);
}

bool ruleset::keyword(const matcher& m, simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object members;
      if (e.get_object().get(members) != simdjson::SUCCESS) return false;
      for (auto member : members) {
        if (keyword(m, member.value)) return true;
      }
      return false;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array items;
      if (e.get_array().get(items) != simdjson::SUCCESS) return false;
      for (simdjson::dom::element item : items) {
        if (keyword(m, item)) return true;
      }
      return false;
    }
    case simdjson::dom::element_type::STRING: {
      const std::string_view s = e.get_string().value_unsafe();
      if (m.case_sensitive()) return m.matches(s, s);
      // Lowercasing keeps the length: most strings fail on it, without
      // being lowercased (a keyword test walks every string of the event).
      const std::string_view literal = m.literal();
      switch (m.kind()) {
        case match_kind::equals: return s.size() == literal.size() && folded_equal(s, literal);
        case match_kind::prefix:
          return s.size() >= literal.size() && folded_equal(s.substr(0, literal.size()), literal);
        case match_kind::suffix:
          return s.size() >= literal.size() &&
                 folded_equal(s.substr(s.size() - literal.size()), literal);
        case match_kind::contains:
          if (s.size() < literal.size()) return false;
          break;
        default: break;
      }
      ascii_lower(s, scratch_lowered_);
      return m.matches(s, scratch_lowered_);
    }
    default: return false;
  }
}

bool ruleset::run_test(std::uint32_t id) {
  if (test_generation_[id] == generation_) return test_result_[id] != 0;
  const test& t = tests_[id];
  bool result = false;
  switch (t.kind) {
    case test_kind::value: {
      field_slot& slot = field(static_cast<std::uint32_t>(t.field));
      if (!slot.found) break;
      if (slot.scalar && indexed_[id]) {
        // The field's scan stamps the literal tests that hold.
        scan_field(static_cast<std::uint32_t>(t.field));
        if (test_generation_[id] == generation_) return test_result_[id] != 0;
        break;
      }
      if (slot.scalar) {
        prepare_text(slot);
        result = t.value.matches(slot.text, slot.lowered);
      } else {
        result = test_element(t, slot.element);
      }
      break;
    }
    case test_kind::exists: result = field(static_cast<std::uint32_t>(t.field)).found; break;
    case test_kind::missing: result = !field(static_cast<std::uint32_t>(t.field)).found; break;
    case test_kind::null: {
      const field_slot& slot = field(static_cast<std::uint32_t>(t.field));
      result = !slot.found || slot.element.type() == simdjson::dom::element_type::NULL_VALUE;
      break;
    }
    case test_kind::keyword:
      if (indexed_[id]) {
        scan_keywords();
        if (test_generation_[id] == generation_) return test_result_[id] != 0;
        break;
      }
      result = keyword(t.value, event_->root());
      break;
    case test_kind::field_ref: {
      field_slot& a = field(static_cast<std::uint32_t>(t.field));
      if (!a.found || !a.scalar) break;
      prepare_text(a);
      field_slot& b = field(static_cast<std::uint32_t>(t.other));
      if (!b.found || !b.scalar) break;
      prepare_text(b);
      const std::string_view x = t.value.case_sensitive() ? a.text : std::string_view(a.lowered);
      const std::string_view y = t.value.case_sensitive() ? b.text : std::string_view(b.lowered);
      switch (t.value.kind()) {
        case match_kind::prefix: result = x.starts_with(y); break;
        case match_kind::suffix: result = x.ends_with(y); break;
        case match_kind::contains: result = x.find(y) != std::string_view::npos; break;
        default: result = x == y; break;
      }
      break;
    }
  }
  test_generation_[id] = generation_;
  test_result_[id] = result ? 1 : 0;
  return result;
}

bool ruleset::evaluate(std::uint32_t id) {
  const node& n = nodes_[id];
  switch (n.kind) {
    case op::test: return run_test(n.value);
    case op::always: return true;
    case op::never: return false;
    case op::none: return !evaluate(edges_[n.begin]);
    case op::all:
      for (std::uint32_t k = 0; k < n.count; ++k) {
        if (!evaluate(edges_[n.begin + k])) return false;
      }
      return true;
    case op::any:
      for (std::uint32_t k = 0; k < n.count; ++k) {
        if (evaluate(edges_[n.begin + k])) return true;
      }
      return false;
    case op::at_least: {
      std::uint32_t hits = 0;
      for (std::uint32_t k = 0; k < n.count && hits < n.value; ++k) {
        if (evaluate(edges_[n.begin + k])) ++hits;
      }
      return hits >= n.value;
    }
  }
  return false;
}

bool ruleset::selected(const selector& s) {
  for (const auto& alternative : s.alternatives) {
    bool all = true;
    for (const auto& [field_id, values] : alternative) {
      field_slot& slot = field(field_id);
      if (!slot.found) {
        all = false;
        break;
      }
      if (values.size() == 1 && values[0] == "*") continue;
      if (!slot.scalar) {
        all = false;
        break;
      }
      prepare_text(slot);
      if (std::find(values.begin(), values.end(), slot.lowered) == values.end()) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

bool ruleset::scan_field(std::uint32_t id) {
  field_slot& slot = field(id);
  if (scanned_[id] == generation_) return !slot.found || slot.scalar;
  scanned_[id] = generation_;
  if (!slot.found) return true;
  if (!slot.scalar) return false;
  // literal_set ignores ASCII case: the text is scanned as it is.
  prepare_raw(slot);
  stamp_literals(field_literals_[id], slot.text);
  return true;
}

void ruleset::stamp_literals(const field_literals& f, std::string_view text) {
  if (!f.equal_uses.empty()) {
    const std::uint32_t literal = f.equal.find(text);
    if (literal != equal_set::none) {
      for (std::uint32_t k = f.equal_first[literal]; k < f.equal_first[literal + 1]; ++k) {
        const std::uint32_t t = f.equal_uses[k];
        if (test_generation_[t] == generation_) continue;
        test_generation_[t] = generation_;
        test_result_[t] = 1;
        matched_tests_.push_back(t);
      }
    }
  }
  if (f.uses.empty()) return;
  f.literals.scan(text, [&](std::uint32_t literal, std::size_t end) {
    for (std::uint32_t k = f.first[literal]; k < f.first[literal + 1]; ++k) {
      const field_literals::use& u = f.uses[k];
      bool holds = false;
      switch (u.kind) {
        case match_kind::contains: holds = true; break;
        case match_kind::prefix: holds = end == u.length; break;
        case match_kind::suffix: holds = end == text.size(); break;
        default: holds = end == u.length && end == text.size(); break;
      }
      if (!holds) continue;
      const std::uint32_t t = u.test;
      if (test_generation_[t] == generation_) continue;
      test_generation_[t] = generation_;
      test_result_[t] = 1;
      matched_tests_.push_back(t);
    }
  });
}

void ruleset::flatten(field_literals& f) const {
  f.literals.build();
  f.tests.resize(f.literals.size());
  f.first.assign(1, 0);
  f.uses.clear();
  for (std::uint32_t literal = 0; literal < f.tests.size(); ++literal) {
    for (std::uint32_t t : f.tests[literal]) {
      field_literals::use u;
      u.test = t;
      u.length = static_cast<std::uint32_t>(f.literals.length(literal));
      u.kind = tests_[t].value.kind();
      f.uses.push_back(u);
    }
    f.first.push_back(static_cast<std::uint32_t>(f.uses.size()));
  }
  f.equal_tests.resize(f.equal.size());
  f.equal_first.assign(1, 0);
  f.equal_uses.clear();
  for (const auto& tests : f.equal_tests) {
    f.equal_uses.insert(f.equal_uses.end(), tests.begin(), tests.end());
    f.equal_first.push_back(static_cast<std::uint32_t>(f.equal_uses.size()));
  }
}

void ruleset::scan_strings(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object members;
      if (e.get_object().get(members) != simdjson::SUCCESS) return;
      for (auto member : members) scan_strings(member.value);
      return;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array items;
      if (e.get_array().get(items) != simdjson::SUCCESS) return;
      for (simdjson::dom::element item : items) scan_strings(item);
      return;
    }
    case simdjson::dom::element_type::STRING:
      // literal_set ignores ASCII case: the string is scanned as it is.
      stamp_literals(keyword_literals_, e.get_string().value_unsafe());
      return;
    default: return;
  }
}

void ruleset::scan_keywords() {
  if (keywords_scanned_ == generation_) return;
  keywords_scanned_ = generation_;
  scan_strings(event_->root());
}

std::optional<std::vector<std::uint32_t>> ruleset::required_tests(std::uint32_t id) const {
  const node& n = nodes_[id];
  switch (n.kind) {
    case op::test:
      if (indexed_[n.value]) return std::vector<std::uint32_t>{n.value};
      if (hint_[n.value] != no_hint) return std::vector<std::uint32_t>{hint_[n.value]};
      return std::nullopt;
    case op::any:
    case op::at_least: {
      std::vector<std::uint32_t> all;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        auto part = required_tests(edges_[n.begin + k]);
        if (!part) return std::nullopt;
        all.insert(all.end(), part->begin(), part->end());
      }
      return all;
    }
    case op::all: {
      std::optional<std::vector<std::uint32_t>> best;
      std::size_t best_shortest = 0, best_shared = 0;
      bool best_keywords = false;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        auto part = required_tests(edges_[n.begin + k]);
        if (!part) continue;
        std::size_t shortest = SIZE_MAX, shared = 0;
        bool keywords = false;
        for (std::uint32_t t : *part) {
          shortest = std::min(shortest, tests_[t].value.literal().size());
          keywords = keywords || tests_[t].kind == test_kind::keyword;
          shared += shares_[t];
        }
        // Tests on fields before keywords (which scan every string of the
        // event), then tests fewer rules share (a test many rules read,
        // such as `event.dataset: cisco.asa` or `Image|endswith:
        // \rundll32.exe`, holds in many events and makes them all
        // candidates), then fewer tests, then longer literals (rarer in
        // events).
        const bool better =
            !best || (keywords != best_keywords ? !keywords
                      : shared != best_shared       ? shared < best_shared
                      : part->size() != best->size() ? part->size() < best->size()
                                                      : shortest > best_shortest);
        if (better) {
          best = std::move(part);
          best_shortest = shortest;
          best_shared = shared;
          best_keywords = keywords;
        }
      }
      return best;
    }
    default: return std::nullopt;
  }
}

void ruleset::build() {
  built_ = true;
  // Globs get a literal prefilter: their longest run without wildcards.
  const std::size_t before_hints = tests_.size();
  std::vector<std::uint32_t> hints(before_hints, no_hint);
  for (std::uint32_t id = 0; id < before_hints; ++id) {
    const test& t = tests_[id];
    if ((t.kind != test_kind::value && t.kind != test_kind::keyword) ||
        t.value.kind() != match_kind::glob || t.value.case_sensitive()) {
      continue;
    }
    const std::string& glob = t.value.literal();
    std::string_view longest;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= glob.size(); ++i) {
      if (i == glob.size() || glob[i] == wildcard_any || glob[i] == wildcard_one) {
        if (i - start > longest.size()) longest = std::string_view(glob).substr(start, i - start);
        start = i + 1;
      }
    }
    if (longest.size() < 2) continue;
    test hint;
    hint.kind = t.kind;
    hint.field = t.field;
    hint.value = matcher::text(std::string(1, wildcard_any) + std::string(longest) + wildcard_any, false);
    hints[id] = intern_test(std::move(hint));
  }
  hints.resize(tests_.size(), no_hint);
  hint_ = std::move(hints);
  field_literals_.assign(field_paths_.size(), field_literals{});
  keyword_literals_ = field_literals{};
  indexed_.assign(tests_.size(), 0);
  rules_of_test_.assign(tests_.size(), {});
  for (std::uint32_t id = 0; id < tests_.size(); ++id) {
    const test& t = tests_[id];
    const match_kind k = t.value.kind();
    if (t.kind == test_kind::keyword && k == match_kind::contains && !t.value.case_sensitive() &&
        !t.value.literal().empty()) {
      const std::uint32_t literal = keyword_literals_.literals.add(t.value.literal());
      if (keyword_literals_.tests.size() <= literal) keyword_literals_.tests.resize(literal + 1);
      keyword_literals_.tests[literal].push_back(id);
      indexed_[id] = 1;
      continue;
    }
    if (t.kind != test_kind::value || t.field < 0 || t.value.case_sensitive() ||
        t.value.literal().empty() ||
        (k != match_kind::equals && k != match_kind::prefix && k != match_kind::suffix &&
         k != match_kind::contains)) {
      continue;
    }
    field_literals& f = field_literals_[static_cast<std::uint32_t>(t.field)];
    indexed_[id] = 1;
    if (k == match_kind::equals) {
      const std::uint32_t literal = f.equal.add(t.value.literal());
      if (f.equal_tests.size() <= literal) f.equal_tests.resize(literal + 1);
      f.equal_tests[literal].push_back(id);
      continue;
    }
    const std::uint32_t literal = f.literals.add(t.value.literal());
    if (f.tests.size() <= literal) f.tests.resize(literal + 1);
    f.tests[literal].push_back(id);
  }
  for (field_literals& f : field_literals_) flatten(f);
  flatten(keyword_literals_);
  for (selector& s : selectors_) {
    s.always.clear();
    s.scan_fields.clear();
    s.scan_keywords = false;
  }
  count_shares();
  for (std::uint32_t r = 0; r < rules_.size(); ++r) {
    selector& s = selectors_[rule_selector_[r]];
    auto required = required_tests(roots_[r]);
    if (!required) {
      s.always.push_back(r);
      continue;
    }
    for (std::uint32_t t : *required) {
      if (rules_of_test_[t].empty() || rules_of_test_[t].back() != r) rules_of_test_[t].push_back(r);
      if (tests_[t].kind == test_kind::keyword) {
        s.scan_keywords = true;
        continue;
      }
      const auto field_id = static_cast<std::uint32_t>(tests_[t].field);
      if (std::find(s.scan_fields.begin(), s.scan_fields.end(), field_id) == s.scan_fields.end()) {
        s.scan_fields.push_back(field_id);
      }
    }
  }
  order_children();
  build_selector_keys();
  path_ids_.assign(field_paths_.size(), {});
  spaced_parent_ids_.assign(field_paths_.size(), no_hint);
  for (std::size_t f = 0; f < field_paths_.size(); ++f) {
    for (const std::string& p : field_paths_[f]) path_ids_[f].push_back(index_.add(p));
    if (!field_spaced_parent_[f].empty()) spaced_parent_ids_[f] = index_.add(field_spaced_parent_[f]);
  }
  slots_.assign(field_paths_.size(), field_slot{});
  scanned_.assign(field_paths_.size(), 0);
  test_generation_.assign(tests_.size(), 0);
  test_result_.assign(tests_.size(), 0);
  selector_generation_.assign(selectors_.size(), 0);
  rule_generation_.assign(rules_.size(), 0);
  keywords_scanned_ = 0;
  generation_ = 0;
}

void ruleset::count_shares() {
  // Per test a prefilter may use (indexed, or a glob's hint): the rules
  // whose conditions hold it. Conditions share nodes: each is seen once
  // per rule.
  shares_.assign(tests_.size(), 0);
  std::vector<std::uint32_t> seen_node(nodes_.size(), 0), seen_test(tests_.size(), 0);
  std::vector<std::uint32_t> stack;
  for (std::uint32_t r = 0; r < rules_.size(); ++r) {
    const std::uint32_t mark = r + 1;
    stack.assign(1, roots_[r]);
    while (!stack.empty()) {
      const std::uint32_t id = stack.back();
      stack.pop_back();
      if (seen_node[id] == mark) continue;
      seen_node[id] = mark;
      const node& n = nodes_[id];
      if (n.kind == op::test) {
        std::uint32_t t = n.value;
        if (!indexed_[t]) t = hint_[t];
        if (t == no_hint || seen_test[t] == mark) continue;
        seen_test[t] = mark;
        ++shares_[t];
        continue;
      }
      for (std::uint32_t k = 0; k < n.count; ++k) stack.push_back(edges_[n.begin + k]);
    }
  }
}

std::uint32_t ruleset::test_cost(std::uint32_t id) const {
  const test& t = tests_[id];
  switch (t.kind) {
    case test_kind::exists:
    case test_kind::missing:
    case test_kind::null: return 1;
    case test_kind::field_ref: return 4;
    case test_kind::keyword:
      // An indexed keyword test reads the scan of the event's strings; the
      // others walk every string of the event.
      if (indexed_[id]) return 8;
      return t.value.kind() == match_kind::regex ? 256 : 64;
    case test_kind::value: break;
  }
  if (indexed_[id]) return 1;  // the field's scan has settled it
  switch (t.value.kind()) {
    case match_kind::regex: return 32;
    case match_kind::glob: return 8;
    default: return 4;
  }
}

void ruleset::order_children() {
  constexpr std::uint32_t unknown = 0xFFFFFFFF, cap = 1U << 24;
  std::vector<std::uint32_t> cost(nodes_.size(), unknown);
  // A node's cost: its test's, or the sum of its children's (conditions
  // are trees over shared selections: each node is costed once).
  auto cost_of = [&](auto& self, std::uint32_t id) -> std::uint32_t {
    if (cost[id] != unknown) return cost[id];
    const node& n = nodes_[id];
    std::uint32_t sum = 0;
    switch (n.kind) {
      case op::test: sum = test_cost(n.value); break;
      case op::always:
      case op::never: break;
      case op::none:
      case op::all:
      case op::any:
      case op::at_least:
        for (std::uint32_t k = 0; k < n.count; ++k) {
          sum = std::min(cap, sum + self(self, edges_[n.begin + k]));
        }
        break;
    }
    cost[id] = sum;
    return sum;
  };
  for (std::uint32_t id = 0; id < nodes_.size(); ++id) {
    const node& n = nodes_[id];
    if (n.kind != op::all && n.kind != op::any && n.kind != op::at_least) continue;
    for (std::uint32_t k = 0; k < n.count; ++k) cost_of(cost_of, edges_[n.begin + k]);
    auto first = edges_.begin() + static_cast<std::ptrdiff_t>(n.begin);
    std::stable_sort(first, first + static_cast<std::ptrdiff_t>(n.count),
                     [&](std::uint32_t a, std::uint32_t b) { return cost[a] < cost[b]; });
  }
}

void ruleset::build_selector_keys() {
  selector_keys_.clear();
  unkeyed_selectors_.clear();
  // Per selector, the fields every alternative tests for given values.
  std::vector<std::vector<std::uint32_t>> keyable(selectors_.size());
  std::map<std::uint32_t, std::size_t> selectors_keyable_by;
  for (std::uint32_t si = 0; si < selectors_.size(); ++si) {
    const selector& s = selectors_[si];
    for (std::size_t a = 0; a < s.alternatives.size(); ++a) {
      std::vector<std::uint32_t> fields;
      for (const auto& [field_id, values] : s.alternatives[a]) {
        if (!(values.size() == 1 && values[0] == "*")) fields.push_back(field_id);
      }
      std::sort(fields.begin(), fields.end());
      fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
      if (a == 0) {
        keyable[si] = std::move(fields);
        continue;
      }
      std::vector<std::uint32_t> both;
      std::set_intersection(keyable[si].begin(), keyable[si].end(), fields.begin(), fields.end(),
                            std::back_inserter(both));
      keyable[si] = std::move(both);
    }
    for (std::uint32_t f : keyable[si]) ++selectors_keyable_by[f];
  }
  // Each selector goes under its field that keys the most selectors (the
  // lowest id on a tie), so few fields are read per event.
  std::map<std::uint32_t, std::size_t> key_of_field;
  for (std::uint32_t si = 0; si < selectors_.size(); ++si) {
    if (keyable[si].empty()) {
      unkeyed_selectors_.push_back(si);
      continue;
    }
    std::uint32_t best = keyable[si].front();
    for (std::uint32_t f : keyable[si]) {
      if (selectors_keyable_by[f] > selectors_keyable_by[best]) best = f;
    }
    auto [it, added] = key_of_field.try_emplace(best, selector_keys_.size());
    if (added) selector_keys_.push_back(selector_key{best, {}});
    selector_key& key = selector_keys_[it->second];
    for (const auto& alternative : selectors_[si].alternatives) {
      for (const auto& [field_id, values] : alternative) {
        if (field_id != best) continue;
        for (const std::string& v : values) {
          auto& named = key.selectors[v];
          if (named.empty() || named.back() != si) named.push_back(si);
        }
      }
    }
  }
}

void ruleset::add_candidate(std::uint32_t rule) {
  if (rule_generation_[rule] == generation_) return;
  rule_generation_[rule] = generation_;
  candidates_.push_back(rule);
}

void ruleset::match(const event::record& event, std::vector<std::uint32_t>& hits) {
  hits.clear();
  if (!built_) build();
  event_ = &event;
  index_.reset(event.root());
  if (++generation_ == 0) {
    build();
    generation_ = 1;
  }
  matched_tests_.clear();
  candidates_.clear();
  selector_candidates_.assign(unkeyed_selectors_.begin(), unkeyed_selectors_.end());
  for (const selector_key& key : selector_keys_) {
    field_slot& slot = field(key.field);
    if (!slot.found || !slot.scalar) continue;
    prepare_text(slot);
    if (auto it = key.selectors.find(slot.lowered); it != key.selectors.end()) {
      selector_candidates_.insert(selector_candidates_.end(), it->second.begin(), it->second.end());
    }
  }
  std::sort(selector_candidates_.begin(), selector_candidates_.end());
  for (std::uint32_t si : selector_candidates_) {
    const selector& s = selectors_[si];
    if (!selected(s)) continue;
    selector_generation_[si] = generation_;
    bool scanned_all = true;
    for (std::uint32_t f : s.scan_fields) scanned_all = scan_field(f) && scanned_all;
    if (s.scan_keywords) scan_keywords();
    // A field holding a list cannot be scanned: every rule of the group runs.
    for (std::uint32_t r : scanned_all ? s.always : s.rules) add_candidate(r);
  }
  for (std::size_t i = 0; i < matched_tests_.size(); ++i) {
    for (std::uint32_t r : rules_of_test_[matched_tests_[i]]) {
      if (selector_generation_[rule_selector_[r]] == generation_) add_candidate(r);
    }
  }
  std::sort(candidates_.begin(), candidates_.end());
  for (std::uint32_t r : candidates_) {
    if (evaluate(roots_[r])) hits.push_back(r);
  }
  event_ = nullptr;
}

}  // namespace mimamori::sigma
