// domain: the registered domain of a DNS name, and how random its labels look.
//
// The registered domain (eTLD+1) is what an organisation buys: for
// "a1b2.tunnel.example.co.jp" it is "example.co.jp". It is found with the
// Public Suffix List that Debian ships (package publicsuffix,
// /usr/share/publicsuffix/public_suffix_list.dat; MIMAMORI_PUBLIC_SUFFIX_LIST
// in the environment overrides the path), by the list's own algorithm:
// the longest matching rule wins, `*.` rules match one more label, `!`
// exceptions beat wildcards, and a name no rule matches takes the last
// label as its suffix. Without the file the last two labels are taken.
// The list's IDN entries are in Unicode; names in punycode fall back to
// the default rule for them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace mimamori::analytics {

class suffix_list {
 public:
  // An empty list: every name's suffix is its last label.
  suffix_list() = default;
  // Reads the list in Public Suffix List format; false if it cannot be read.
  bool load(const std::string& path);
  void add_rule(std::string_view rule);

  // The shared list, read once from the shipped path (or the environment's).
  [[nodiscard]] static const suffix_list& shipped();

  // The registered domain of `name` (lowercase, no trailing dot, not an
  // address), or nothing when the name is itself a public suffix.
  [[nodiscard]] std::optional<std::string_view> registered_domain(std::string_view name) const;
  [[nodiscard]] bool loaded() const { return !rules_.empty(); }

 private:
  // Looked up by string_view, without building a string per lookup.
  struct name_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using name_set = std::unordered_set<std::string, name_hash, std::equal_to<>>;
  name_set rules_, wildcards_, exceptions_;
};

// `text` lowercased, a trailing dot removed; nothing when it is not a DNS
// name that can have a registered domain (empty, an IP address, no dot,
// characters no host name has).
[[nodiscard]] std::optional<std::string> normalise_name(std::string_view text);
// The same into `out` (its capacity reused: no allocation per event); false
// when it is not such a name.
bool normalise_name(std::string_view text, std::string& out);

// Shannon entropy of the bytes of `text`, in bits per character (dots are
// not counted: they only separate labels).
[[nodiscard]] double shannon_entropy(std::string_view text);

// The share of adjacent letter pairs in `text` that are among the commonest
// bigrams of English words ("th", "er", "in"...): about 0.4-0.5 in names
// people choose (mail-server, workstation), about 0.05 in base32 or base64
// data. 0 when the text has fewer than 8 letter pairs (too few to be words).
[[nodiscard]] double word_bigram_share(std::string_view text);

// FNV-1a, 64 bits: a hash that is the same on every run and machine (state
// files keep it).
[[nodiscard]] std::uint64_t stable_hash(std::string_view text);

}  // namespace mimamori::analytics
