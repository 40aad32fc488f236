// literal_set: many literal strings found in one pass over a text
// (Aho-Corasick), ignoring ASCII case.
//
// correlate's Sigma rules test a field such as process.command_line against
// thousands of literals (contains, startswith, endswith, equals); scanning
// the field's text once and reporting every literal that occurs, with where
// it ends, replaces thousands of separate searches.
//
// The automaton is dense where the scan spends its time: states are
// numbered breadth first, and the first `dense_limit` of them (the root and
// the shallow states every text keeps returning to) get a full row of
// transitions, one column per byte class (the bytes that occur in no
// literal share one class, and A-Z share their lowercase letter's), built
// from the failure links; a scan in them costs one table load per byte.
// An entry takes two bytes (the next state in 15 bits, and whether a
// literal ends there), which halves the table's share of the cache: a
// dense row's entries are its children or its failure targets', all of
// them shallower than the children of the last dense state, so the dense
// states stop before the first whose children are numbered 2^15 or more
// (only with tens of thousands of states in the first few levels).
// Deeper states, which a text reaches only while it follows some literal,
// keep their few children as a short sorted list and fall back through
// their failure links to a dense state. So the table stays within a few
// hundred KiB per field however many literals there are (thousands on
// process.command_line in the SigmaHQ set), and in the CPU's cache.
//
// A step of the automaton waits on the load of the step before it, so a
// scan costs a few nanoseconds per byte however small the table. Most texts
// hold few places where a literal could start: while the automaton is at
// its root (nothing under way), the scan skips ahead to the next offset
// whose two bytes begin some literal (a bit per pair of bytes, 8 KiB, looked
// up independently for each offset, so the CPU overlaps them)
// and steps the automaton only from there until it is back at the root, or
// one byte deep where that byte and the next begin no literal. No
// occurrence starts in the bytes skipped, so the scan reports the same.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mimamori::sigma {

class literal_set {
 public:
  literal_set() {
    nodes_.emplace_back();  // the root
    building_.emplace_back();
  }
  // Adds a non-empty literal (ASCII case does not matter); returns its id
  // (the same id for the same text).
  std::uint32_t add(std::string_view literal);
  // Prepares the transition table; call after the last add() and before scan().
  void build();
  [[nodiscard]] std::size_t size() const { return lengths_.size(); }
  [[nodiscard]] std::size_t length(std::uint32_t id) const { return lengths_[id]; }
  // Bytes held by the transitions (for figures).
  [[nodiscard]] std::size_t table_bytes() const {
    return table_.size() * sizeof(table_[0]) + edges_.size() * sizeof(edges_[0]);
  }
  // States with a row in the dense table (for figures and tests).
  [[nodiscard]] std::size_t dense_rows() const { return dense_; }

  // Calls found(id, end) for every occurrence of every literal in text
  // (compared without ASCII case), end being the offset just past it.
  template <typename Found>
  void scan(std::string_view text, Found&& found) const {
    if (table_.empty()) return;
    const std::uint16_t* table = table_.data();
    const std::uint8_t* classes = classes_.data();
    const std::uint8_t* starts = starts_.data();
    const std::uint64_t* pairs = pairs_.data();
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    const std::uint32_t columns = columns_, dense = dense_;
    std::uint32_t state = 0;
    for (std::size_t i = 0; i < size; ++i) {
      if (state == 0) {
        // Nothing under way: on to the next offset where a literal may start.
        while (i + 1 < size && !pair_starts(pairs, bytes + i)) ++i;
        if (i + 1 == size && starts[classes[bytes[i]]] == 0) return;
      }
      const std::uint8_t c = classes[bytes[i]];
      std::uint32_t next;
      bool ends;  // some literal ends at the next state
      for (;;) {
        if (state < dense) {
          const std::uint16_t entry = table[state * columns + c];
          next = entry & ~entry_output_bit;
          ends = (entry & entry_output_bit) != 0;
          break;
        }
        next = child(state, c);
        if (next != none) {
          ends = (next & edge_output_bit) != 0;
          next &= ~edge_output_bit;
          break;
        }
        state = nodes_[state].fail;
      }
      state = next;
      if (ends) [[unlikely]] {
        for (std::uint32_t n = nodes_[state].literal != none ? state : nodes_[state].output; n != none;
             n = nodes_[n].output) {
          found(nodes_[n].literal, i + 1);
        }
      }
      // One byte deep (or at the root) with no literal starting at this
      // byte and the next: nothing is under way after this byte.
      if (state <= shallow_ && i + 1 < size && !pair_starts(pairs, bytes + i)) state = 0;
    }
  }

 private:
  static constexpr std::uint32_t none = 0xFFFFFFFF;
  static constexpr std::uint32_t dense_limit = 2048;  // states with a full row
  // A dense entry: the next state (below 2^15), and whether a literal ends
  // there in the top bit.
  static constexpr std::uint16_t entry_output_bit = 0x8000;
  // The same for a sparse state's edges (after build): the child in 31
  // bits, and whether a literal ends there, so that a step needs no load
  // from the child's node.
  static constexpr std::uint32_t edge_output_bit = 0x80000000;
  struct node {
    std::uint32_t fail = 0;
    std::uint32_t literal = none;  // the literal that ends here
    std::uint32_t output = none;   // the next node on the fail chain where one ends
    std::uint32_t first = 0;       // children in edges_ (after build)
    std::uint32_t count = 0;
  };
  // Whether a literal starts with the two bytes at `at` (or the first alone).
  static bool pair_starts(const std::uint64_t* pairs, const unsigned char* at) {
    const unsigned pair = static_cast<unsigned>(at[0]) << 8 | at[1];
    return ((pairs[pair >> 6] >> (pair & 63)) & 1U) != 0;
  }
  // A sparse state's child on byte class c (with edge_output_bit after
  // build), or none.
  [[nodiscard]] std::uint32_t child(std::uint32_t state, std::uint8_t c) const {
    const node& n = nodes_[state];
    for (std::uint32_t e = n.first; e < n.first + n.count; ++e) {
      if (edges_[e].first >= c) return edges_[e].first == c ? edges_[e].second : none;
    }
    return none;
  }

  std::vector<node> nodes_;
  // The trie while adding: per node, its children (folded byte, node).
  std::vector<std::vector<std::pair<unsigned char, std::uint32_t>>> building_;
  std::vector<std::size_t> lengths_;
  std::array<std::uint8_t, 256> classes_{};
  std::uint32_t columns_ = 1;
  std::uint32_t dense_ = 0;                                // states [0, dense_) have rows
  std::vector<std::uint16_t> table_;                       // dense_ x columns_ entries
  std::vector<std::pair<std::uint8_t, std::uint32_t>> edges_;  // (class, child), sorted per state
  // The scan's skip: per class, whether a literal starts with it; per pair
  // of bytes (a << 8 | b, a bit each: 8 KiB, looked up without the byte
  // classes), whether a literal starts with them (ASCII case ignored), or
  // with a alone (a one-byte literal).
  std::vector<std::uint8_t> starts_;
  std::uint32_t shallow_ = 0;  // states [1, shallow_] are one byte deep (breadth-first numbering)
  std::vector<std::uint64_t> pairs_;
};

// equal_set: literals that a whole text must equal, ignoring ASCII case
// (a Sigma `field: value` without modifiers). Such a literal can only hold
// when the text is exactly it, so instead of a scan of the whole text
// through a literal_set, the text is hashed once (ASCII case folded eight
// bytes at a time) and compared with the one literal of its slot, if any.
// Texts of a length no literal has are turned away before hashing.
class equal_set {
 public:
  static constexpr std::uint32_t none = 0xFFFFFFFF;
  // Adds a literal (ASCII case does not matter); returns its id (the same
  // id for the same text once case is folded). Usable at once: no build.
  std::uint32_t add(std::string_view literal);
  [[nodiscard]] std::size_t size() const { return starts_.size() - 1; }
  [[nodiscard]] std::size_t length(std::uint32_t id) const { return starts_[id + 1] - starts_[id]; }

  // The id of the literal that `text` equals (ASCII case ignored), or none.
  [[nodiscard]] std::uint32_t find(std::string_view text) const {
    const std::size_t n = text.size();
    if (((lengths_ >> (n < 63 ? n : 63)) & 1U) == 0) return none;
    const std::uint64_t h = hash(text.data(), n);
    const auto tag = static_cast<std::uint32_t>(h);
    for (std::size_t at = h >> shift_;; at = (at + 1) & mask_) {
      const slot& s = slots_[at];
      if (s.id == none) return none;
      if (s.tag == tag && length(s.id) == n && same(text.data(), chars_.data() + starts_[s.id], n)) {
        return s.id;
      }
    }
  }

 private:
  struct slot {
    std::uint32_t tag = 0;  // the hash's low half
    std::uint32_t id = none;
  };
  static std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static std::uint64_t load4(const char* p) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }
  // Eight bytes with A-Z lowered (other bytes, UTF-8 included, as they are).
  static std::uint64_t fold(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
    const std::uint64_t low7 = w & ~high;
    const std::uint64_t above_z = low7 + ones * (0x7F - 'Z');  // high bit: > 'Z'
    const std::uint64_t from_a = low7 + ones * (0x80 - 'A');   // high bit: >= 'A'
    const std::uint64_t upper = (from_a ^ above_z) & ~w & high;
    return w | upper >> 2;
  }
  // A text shorter than 8 bytes as one word that holds all of its bytes
  // (the same length always takes the same bytes, so equal words mean
  // equal texts).
  static std::uint64_t short_word(const char* p, std::size_t n) {
    if (n >= 4) return load4(p) | load4(p + n - 4) << 32;
    if (n == 0) return 0;
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    return std::uint64_t{b[0]} | std::uint64_t{b[n >> 1]} << 8 | std::uint64_t{b[n - 1]} << 16;
  }
  static std::uint64_t hash(const char* p, std::size_t n) {
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
    std::uint64_t h = (n + 1) * k;
    if (n < 8) {
      h = (h ^ fold(short_word(p, n))) * k;
    } else {
      for (std::size_t i = 0; i + 8 < n; i += 8) h = (h ^ fold(load8(p + i))) * k;
      h = (h ^ fold(load8(p + n - 8))) * k;
    }
    h ^= h >> 29;
    return h * k;
  }
  // Whether text (n bytes) folded is `lowered` (n bytes, already folded).
  static bool same(const char* text, const char* lowered, std::size_t n) {
    if (n < 8) return fold(short_word(text, n)) == short_word(lowered, n);
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (fold(load8(text + i)) != load8(lowered + i)) return false;
    }
    return fold(load8(text + n - 8)) == load8(lowered + n - 8);
  }
  void insert(std::uint32_t id);

  std::string chars_;                     // the literals, folded, one after another
  std::vector<std::uint32_t> starts_{0};  // literal id's bytes: [starts_[id], starts_[id + 1])
  std::uint64_t lengths_ = 0;             // bit min(length, 63) per literal
  std::vector<slot> slots_;               // open addressing, at most half full
  std::size_t mask_ = 0;
  int shift_ = 64;                        // a hash's slot: its top bits
};

}  // namespace mimamori::sigma
