#include "sigma/field_index.hpp"

#include <cstring>

namespace mimamori::sigma {

field_index::field_index() { nodes_.emplace_back(); }  // the root

std::uint32_t field_index::add(std::string_view text) {
  if (auto it = path_ids_.find(text); it != path_ids_.end()) return it->second;
  path p;
  p.text = std::string(text);
  std::uint32_t at = 0;
  std::size_t start = 0;
  for (;;) {
    // Components as event::record::find splits them: at every dot.
    const std::size_t dot = text.find('.', start);
    const std::string_view name =
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    std::uint32_t child = none;
    for (std::uint32_t c : nodes_[at].children) {
      if (nodes_[c].name == name) child = c;
    }
    if (child == none) {
      child = static_cast<std::uint32_t>(nodes_.size());
      nodes_[at].children.push_back(child);
      nodes_.emplace_back();
      nodes_.back().parent = at;
      nodes_.back().name = std::string(name);
      tables_ready_ = false;
    }
    p.nodes.push_back(child);
    p.starts.push_back(static_cast<std::uint32_t>(start));
    at = child;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  const auto id = static_cast<std::uint32_t>(paths_.size());
  paths_.push_back(std::move(p));
  path_ids_.emplace(std::string(text), id);
  return id;
}

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;

// Whether some byte of w is c.
bool has_byte(std::uint64_t w, char c) {
  const std::uint64_t x = w ^ (static_cast<std::uint64_t>(static_cast<unsigned char>(c)) * ones);
  return ((x - ones) & ~x & highs) != 0;  // some byte of x is zero
}

std::uint64_t load8(const char* at) {
  std::uint64_t w = 0;
  std::memcpy(&w, at, 8);
  return w;
}

std::uint64_t load4(const char* at) {
  std::uint32_t w = 0;
  std::memcpy(&w, at, 4);
  return w;
}

}  // namespace

inline field_index::key_facts field_index::inspect(std::string_view key) {
  // Keys are short: the hash reads their length and first and last eight
  // bytes (or two overlapping four, or three single bytes), words that hold
  // every byte of a key up to 16 bytes long; only longer keys' middles are
  // read besides, for the dot and the space. Bytes of a word beyond the
  // key are zero: neither a dot nor a space.
  constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xC2B2AE3D27D4EB4FULL;
  const char* text = key.data();
  const std::size_t size = key.size();
  std::uint64_t a = 0, b = 0;
  if (size >= 8) {
    a = load8(text);
    b = load8(text + size - 8);
  } else if (size >= 4) {
    a = load4(text) | load4(text + size - 4) << 32;
  } else if (size > 0) {
    a = std::uint64_t{static_cast<unsigned char>(text[0])} |
        std::uint64_t{static_cast<unsigned char>(text[size / 2])} << 8 |
        std::uint64_t{static_cast<unsigned char>(text[size - 1])} << 16;
  }
  // A dot (0x2E) and a space (0x20) both become 0x2E when OR-ed with
  // 0x0E, as only the other even bytes from 0x22 to 0x2C do, which keys
  // seldom hold: one test finds the words with neither, and only the
  // others are tested for each.
  auto either = [](std::uint64_t w) { return has_byte(w | (ones * 0x0E), '.'); };
  key_facts facts;
  if (either(a) || either(b)) {
    facts.dot = has_byte(a, '.') || has_byte(b, '.');
    facts.space = has_byte(a, ' ') || has_byte(b, ' ');
  }
  for (std::size_t i = 8; i + 8 < size; i += 8) {
    const std::uint64_t w = load8(text + i);
    if (!either(w)) continue;
    facts.dot = facts.dot || has_byte(w, '.');
    facts.space = facts.space || has_byte(w, ' ');
  }
  const std::uint64_t h = (a ^ size) * k1 + b * k2;
  facts.hash = h ^ (h >> 31);
  facts.a = a;
  facts.b = b;
  return facts;
}

void field_index::build_tables() {
  for (node& n : nodes_) {
    // A node added now must not pass for absent in an object already expanded.
    n.generation = n.expanded = 0;
    n.table.clear();
    if (n.children.empty()) continue;
    std::size_t size = 4;
    while (size < 2 * n.children.size()) size *= 2;
    n.table.assign(size, slot{});
    for (std::uint32_t c : n.children) {
      const key_facts facts = inspect(nodes_[c].name);
      const std::uint64_t hash = facts.hash;
      nodes_[c].name_a = facts.a;
      nodes_[c].name_b = facts.b;
      std::size_t at = hash & (size - 1);
      while (n.table[at].child != none) at = (at + 1) & (size - 1);
      n.table[at] = slot{static_cast<std::uint32_t>(hash >> 32), c};
    }
  }
  tables_ready_ = true;
}

inline std::uint32_t field_index::child(const node& n, std::string_view name,
                                        const key_facts& facts) const {
  if (n.table.empty()) return none;
  const std::size_t mask = n.table.size() - 1;
  const std::uint64_t hash = facts.hash;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    const slot& s = n.table[at];
    if (s.child == none) return none;
    if (s.tag != tag) continue;
    const node& kid = nodes_[s.child];
    // Equal words and length: the same name up to 16 bytes; a longer
    // one's middle is compared besides.
    if (kid.name_a == facts.a && kid.name_b == facts.b && kid.name.size() == name.size() &&
        (name.size() <= 16 ||
         std::memcmp(kid.name.data() + 8, name.data() + 8, name.size() - 16) == 0)) {
      return s.child;
    }
  }
}

void field_index::reset(simdjson::dom::element root) {
  if (!tables_ready_) build_tables();
  if (++generation_ == 0) {
    for (node& n : nodes_) n.generation = n.expanded = 0;
    generation_ = 1;
  }
  node& r = nodes_[0];
  r.generation = generation_;
  r.present = true;
  r.element = root;
}

void field_index::expand(node& n) {
  if (n.expanded == generation_) return;
  n.expanded = generation_;
  n.dotted = false;
  n.spaced = false;
  simdjson::dom::object members;
  if (n.element.get_object().get(members) != simdjson::SUCCESS) return;
  bool dotted = false, spaced = false;
  for (auto member : members) {
    const std::string_view key = member.key;
    const key_facts facts = inspect(key);
    dotted = dotted || facts.dot;
    spaced = spaced || facts.space;
    const std::uint32_t c = child(n, key, facts);
    if (c == none) continue;
    node& kid = nodes_[c];
    if (kid.generation == generation_) continue;  // the first occurrence wins, as at_key's
    kid.generation = generation_;
    kid.present = true;
    kid.element = member.value;
  }
  n.dotted = dotted;
  n.spaced = spaced;
}

field_index::node& field_index::resolve(std::uint32_t id) {
  node& n = nodes_[id];
  if (n.generation == generation_) return n;
  node& parent = resolve(n.parent);  // the root is resolved by reset()
  if (parent.present) expand(parent);
  if (n.generation != generation_) {
    n.generation = generation_;
    n.present = false;
  }
  return n;
}

std::optional<simdjson::dom::element> field_index::find_from(const path& p, std::size_t level) {
  node& parent = resolve(level == 0 ? 0 : p.nodes[level - 1]);
  if (!parent.present || parent.element.type() != simdjson::dom::element_type::OBJECT) {
    return std::nullopt;
  }
  const node& child = resolve(p.nodes[level]);
  if (level + 1 == p.nodes.size()) {
    if (child.present) return child.element;
    return std::nullopt;
  }
  if (child.present) {
    if (auto found = find_from(p, level + 1)) return found;
  }
  // A flattened key: the rest of the path as one key of this object.
  if (parent.dotted) {
    simdjson::dom::element value;
    const std::string_view rest = std::string_view(p.text).substr(p.starts[level]);
    if (parent.element.get_object().value_unsafe().at_key(rest).get(value) == simdjson::SUCCESS) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<simdjson::dom::element> field_index::find(std::uint32_t id) {
  const path& p = paths_[id];
  // The nested route comes first; resolving its end expands every object
  // present on the way.
  const node& end = resolve(p.nodes.back());
  if (end.present) return end.element;
  // Absent that way: only an object with a dotted key can hold the rest.
  for (std::size_t level = 0; level < p.nodes.size(); ++level) {
    const node& parent = nodes_[level == 0 ? 0 : p.nodes[level - 1]];
    if (!parent.present) break;
    if (parent.dotted) return find_from(p, 0);
  }
  return std::nullopt;
}

std::optional<std::uint32_t> field_index::nested_node(std::uint32_t id) {
  // Every component present by the nested route: find() returns the last.
  for (std::uint32_t n : paths_[id].nodes) {
    if (!resolve(n).present) return std::nullopt;
  }
  return paths_[id].nodes.back();
}

bool field_index::has_spaced_key(std::uint32_t id) {
  if (auto n = nested_node(id)) {
    node& x = nodes_[*n];
    expand(x);  // nothing for a value that is not an object
    return x.element.type() == simdjson::dom::element_type::OBJECT && x.spaced;
  }
  auto e = find(id);
  simdjson::dom::object members;
  if (!e || e->get_object().get(members) != simdjson::SUCCESS) return false;
  for (auto member : members) {
    if (std::string_view(member.key).find(' ') != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace mimamori::sigma
