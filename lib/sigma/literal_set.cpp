#include "sigma/literal_set.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace mimamori::sigma {

namespace {

unsigned char fold(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c;
}

}  // namespace

std::uint32_t literal_set::add(std::string_view literal) {
  std::uint32_t state = 0;
  for (char ch : literal) {
    const unsigned char c = fold(ch);
    auto& kids = building_[state];
    auto it = std::find_if(kids.begin(), kids.end(), [c](const auto& e) { return e.first == c; });
    if (it != kids.end()) {
      state = it->second;
      continue;
    }
    const auto next = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
    building_.emplace_back();
    building_[state].emplace_back(c, next);
    state = next;
  }
  if (nodes_[state].literal == none) {
    nodes_[state].literal = static_cast<std::uint32_t>(lengths_.size());
    lengths_.push_back(literal.size());
  }
  table_.clear();  // build() again before scanning
  return nodes_[state].literal;
}

void literal_set::build() {
  table_.clear();
  edges_.clear();
  starts_.clear();
  pairs_.clear();
  shallow_ = 0;
  dense_ = 0;
  if (lengths_.empty()) return;
  // Byte classes: every byte that occurs in a literal has its own; all the
  // others share class 0, and A-Z share their lowercase letter's.
  std::array<bool, 256> used{};
  for (const auto& kids : building_) {
    for (const auto& [c, kid] : kids) used[c] = true;
  }
  classes_.fill(0);
  columns_ = 1;
  for (unsigned c = 0; c < 256; ++c) {
    if (used[c]) classes_[c] = static_cast<std::uint8_t>(columns_++);
  }
  for (unsigned c = 'A'; c <= 'Z'; ++c) classes_[c] = classes_[c + 32];

  // Number the states breadth first (the root stays 0), so the shallow ones
  // come first and a state's failure target comes before it.
  const auto count = static_cast<std::uint32_t>(nodes_.size());
  if (count >= edge_output_bit) throw std::length_error("literal_set: too many states");
  std::vector<std::uint32_t> order;
  order.reserve(count);
  order.push_back(0);
  for (std::size_t at = 0; at < order.size(); ++at) {
    auto& kids = building_[order[at]];
    std::sort(kids.begin(), kids.end());
    for (const auto& [c, kid] : kids) order.push_back(kid);
  }
  std::vector<std::uint32_t> renumbered(count);
  for (std::uint32_t k = 0; k < count; ++k) renumbered[order[k]] = k;
  std::vector<node> nodes(count);
  std::vector<std::vector<std::pair<unsigned char, std::uint32_t>>> building(count);
  for (std::uint32_t old = 0; old < count; ++old) {
    const std::uint32_t k = renumbered[old];
    nodes[k].literal = nodes_[old].literal;
    building[k] = std::move(building_[old]);
    for (auto& [c, kid] : building[k]) kid = renumbered[kid];
  }
  nodes_ = std::move(nodes);
  building_ = std::move(building);

  // Children by class, sorted (classes keep the bytes' order).
  for (std::uint32_t s = 0; s < count; ++s) {
    nodes_[s].first = static_cast<std::uint32_t>(edges_.size());
    nodes_[s].count = static_cast<std::uint32_t>(building_[s].size());
    for (const auto& [c, kid] : building_[s]) edges_.emplace_back(classes_[c], kid);
  }

  // The full transition of any state whose failure chain is complete.
  auto go = [&](std::uint32_t s, std::uint8_t c) {
    for (;;) {
      if (s < dense_) return std::uint32_t{table_[s * columns_ + c]};
      const std::uint32_t kid = child(s, c);
      if (kid != none) return kid;
      s = nodes_[s].fail;
    }
  };
  // Dense rows while every entry fits in 15 bits: a row holds its state's
  // children and its failure target's entries, and breadth-first numbers
  // grow with the parent's.
  dense_ = 0;
  while (dense_ < std::min(count, dense_limit)) {
    const node& n = nodes_[dense_];
    if (n.count > 0 && edges_[n.first + n.count - 1].second >= entry_output_bit) break;
    ++dense_;
  }
  table_.assign(static_cast<std::size_t>(dense_) * columns_, 0);
  nodes_[0].fail = 0;
  nodes_[0].output = none;
  // States in order: failure links, outputs, and a row for the dense ones.
  for (std::uint32_t s = 0; s < count; ++s) {
    if (s < dense_) {
      // Missing transitions are the failure target's (0 for the root's).
      if (s != 0) {
        const std::uint32_t f = nodes_[s].fail;
        std::copy_n(table_.begin() + static_cast<std::ptrdiff_t>(f) * columns_, columns_,
                    table_.begin() + static_cast<std::ptrdiff_t>(s) * columns_);
      }
      for (std::uint32_t e = nodes_[s].first; e < nodes_[s].first + nodes_[s].count; ++e) {
        table_[s * columns_ + edges_[e].first] = static_cast<std::uint16_t>(edges_[e].second);
      }
    }
    for (std::uint32_t e = nodes_[s].first; e < nodes_[s].first + nodes_[s].count; ++e) {
      const std::uint8_t c = edges_[e].first;
      const std::uint32_t kid = edges_[e].second;
      const std::uint32_t target = s == 0 ? 0 : go(nodes_[s].fail, c);
      nodes_[kid].fail = target;
      const node& f = nodes_[target];
      nodes_[kid].output = f.literal != none ? target : f.output;
    }
  }
  // The pairs of classes a literal can start with (see scan()).
  // Found first per pair of classes, then spread over the bytes of each.
  starts_.assign(columns_, 0);
  shallow_ = nodes_[0].count;
  std::vector<bool> class_pairs(static_cast<std::size_t>(columns_) * columns_, false);
  auto set_pair = [&](std::uint32_t a, std::uint32_t b) { class_pairs[a * columns_ + b] = true; };
  for (std::uint32_t e = nodes_[0].first; e < nodes_[0].first + nodes_[0].count; ++e) {
    const std::uint8_t a = edges_[e].first;
    const node& first = nodes_[edges_[e].second];
    starts_[a] = 1;
    if (first.literal != none) {
      for (std::uint32_t b = 0; b < columns_; ++b) set_pair(a, b);
    }
    for (std::uint32_t k = first.first; k < first.first + first.count; ++k) set_pair(a, edges_[k].first);
  }
  pairs_.assign(65536 / 64, 0);
  for (unsigned a = 0; a < 256; ++a) {
    if (starts_[classes_[a]] == 0) continue;
    const std::size_t row = static_cast<std::size_t>(classes_[a]) * columns_;
    for (unsigned b = 0; b < 256; ++b) {
      if (class_pairs[row + classes_[b]]) pairs_[(a << 8 | b) >> 6] |= std::uint64_t{1} << (b & 63);
    }
  }
  // Mark the dense entries and the edges that lead to a state where a
  // literal ends.
  for (std::uint16_t& entry : table_) {
    const node& n = nodes_[entry];
    if (n.literal != none || n.output != none) entry |= entry_output_bit;
  }
  for (auto& edge : edges_) {
    const node& n = nodes_[edge.second];
    if (n.literal != none || n.output != none) edge.second |= edge_output_bit;
  }
}

std::uint32_t equal_set::add(std::string_view literal) {
  std::string folded(literal);
  for (char& ch : folded) ch = static_cast<char>(fold(ch));
  const std::size_t n = folded.size();
  if (((lengths_ >> (n < 63 ? n : 63)) & 1U) != 0) {
    const std::uint32_t id = find(folded);
    if (id != none) return id;
  }
  if (chars_.size() + n >= none) throw std::length_error("equal_set: literals too long");
  const auto id = static_cast<std::uint32_t>(size());
  chars_ += folded;
  starts_.push_back(static_cast<std::uint32_t>(chars_.size()));
  lengths_ |= std::uint64_t{1} << (n < 63 ? n : 63);
  if (2 * size() > slots_.size()) {
    // Twice the slots, and every literal placed again.
    const std::size_t count = slots_.empty() ? 8 : 2 * slots_.size();
    slots_.assign(count, slot{});
    mask_ = count - 1;
    shift_ = 64 - std::countr_zero(count);
    for (std::uint32_t k = 0; k < size(); ++k) insert(k);
  } else {
    insert(id);
  }
  return id;
}

void equal_set::insert(std::uint32_t id) {
  const std::uint64_t h = hash(chars_.data() + starts_[id], length(id));
  std::size_t at = h >> shift_;
  while (slots_[at].id != none) at = (at + 1) & mask_;
  slots_[at].tag = static_cast<std::uint32_t>(h);
  slots_[at].id = id;
}

}  // namespace mimamori::sigma
