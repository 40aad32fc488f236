#include "sigma/literal_set.hpp"

#include <algorithm>
#include <deque>

namespace mimamori::sigma {

std::uint32_t literal_set::add(std::string_view literal) {
  std::uint32_t state = 0;
  for (char ch : literal) {
    const auto c = static_cast<unsigned char>(ch);
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
  return nodes_[state].literal;
}

void literal_set::build() {
  edges_.clear();
  for (std::size_t s = 0; s < nodes_.size(); ++s) {
    auto& kids = building_[s];
    std::sort(kids.begin(), kids.end());
    nodes_[s].first = static_cast<std::uint32_t>(edges_.size());
    nodes_[s].count = static_cast<std::uint32_t>(kids.size());
    edges_.insert(edges_.end(), kids.begin(), kids.end());
  }
  // Breadth first: a node's failure link is the longest proper suffix of its
  // path that is also a path from the root.
  std::deque<std::uint32_t> queue;
  for (std::uint32_t e = nodes_[0].first; e < nodes_[0].first + nodes_[0].count; ++e) {
    const std::uint32_t kid = edges_[e].second;
    nodes_[kid].fail = 0;
    nodes_[kid].output = none;
    queue.push_back(kid);
  }
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    for (std::uint32_t e = nodes_[s].first; e < nodes_[s].first + nodes_[s].count; ++e) {
      const unsigned char c = edges_[e].first;
      const std::uint32_t kid = edges_[e].second;
      std::uint32_t f = nodes_[s].fail;
      std::uint32_t target = child(f, c);
      while (target == none && f != 0) {
        f = nodes_[f].fail;
        target = child(f, c);
      }
      nodes_[kid].fail = target == none || target == kid ? 0 : target;
      const node& fail = nodes_[nodes_[kid].fail];
      nodes_[kid].output = fail.literal != none ? nodes_[kid].fail : fail.output;
      queue.push_back(kid);
    }
  }
}

}  // namespace mimamori::sigma
