// literal_set: many literal strings found in one pass over a text
// (Aho-Corasick).
//
// correlate's Sigma rules test a field such as process.command_line against
// thousands of literals (contains, startswith, endswith, equals); scanning
// the field's text once and reporting every literal that occurs, with where
// it ends, replaces thousands of separate searches. Transitions are kept
// sparse (sorted per state), so memory grows with the literals' total length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mimamori::sigma {

class literal_set {
 public:
  // Adds a non-empty literal; returns its id (the same id for the same text).
  std::uint32_t add(std::string_view literal);
  // Prepares the failure links; call after the last add() and before scan().
  void build();
  [[nodiscard]] std::size_t size() const { return lengths_.size(); }
  [[nodiscard]] std::size_t length(std::uint32_t id) const { return lengths_[id]; }

  // Calls found(id, end) for every occurrence of every literal in text, end
  // being the offset just past it.
  template <typename Found>
  void scan(std::string_view text, Found&& found) const {
    std::uint32_t state = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      std::uint32_t next = child(state, c);
      while (next == none && state != 0) {
        state = nodes_[state].fail;
        next = child(state, c);
      }
      state = next == none ? 0 : next;
      for (std::uint32_t n = nodes_[state].literal != none ? state : nodes_[state].output; n != none;
           n = nodes_[n].output) {
        found(nodes_[n].literal, i + 1);
      }
    }
  }

 private:
  static constexpr std::uint32_t none = 0xFFFFFFFF;
  struct node {
    std::uint32_t first = 0, count = 0;  // children in edges_ (after build)
    std::uint32_t fail = 0;
    std::uint32_t literal = none;  // the literal that ends here
    std::uint32_t output = none;   // the next node on the fail chain where one ends
  };
  [[nodiscard]] std::uint32_t child(std::uint32_t state, unsigned char c) const {
    const node& n = nodes_[state];
    std::uint32_t lo = n.first, hi = n.first + n.count;
    while (lo < hi) {
      const std::uint32_t mid = (lo + hi) / 2;
      if (edges_[mid].first < c) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < n.first + n.count && edges_[lo].first == c ? edges_[lo].second : none;
  }

  std::vector<node> nodes_{node{}};
  std::vector<std::vector<std::pair<unsigned char, std::uint32_t>>> building_{{}};
  std::vector<std::pair<unsigned char, std::uint32_t>> edges_;
  std::vector<std::size_t> lengths_;
};

}  // namespace mimamori::sigma
