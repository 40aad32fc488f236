#include "analytics/domain.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>

namespace mimamori::analytics {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The suffix of `name` after its first label ("" for a single label).
std::string_view parent(std::string_view name) {
  const std::size_t dot = name.find('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

}  // namespace

void suffix_list::add_rule(std::string_view rule) {
  std::string r;
  r.reserve(rule.size());
  for (char c : rule) r.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (r.starts_with("!")) {
    exceptions_.insert(r.substr(1));
  } else if (r.starts_with("*.")) {
    wildcards_.insert(r.substr(2));
  } else {
    rules_.insert(r);
  }
}

bool suffix_list::load(const std::string& path) {
  std::ifstream in(path);
  if (!in.is_open()) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::string_view rule = trim(line);
    // A rule is the first word of its line; "//" starts a comment.
    if (rule.empty() || rule.starts_with("//")) continue;
    if (auto space = rule.find_first_of(" \t"); space != std::string_view::npos) {
      rule = rule.substr(0, space);
    }
    add_rule(rule);
  }
  return !in.bad();
}

const suffix_list& suffix_list::shipped() {
  static const suffix_list list = [] {
    suffix_list l;
    const char* env = std::getenv("MIMAMORI_PUBLIC_SUFFIX_LIST");
    l.load(env != nullptr && *env != '\0' ? std::string(env) : std::string(MIMAMORI_PUBLIC_SUFFIX_LIST));
    return l;
  }();
  return list;
}

std::optional<std::string_view> suffix_list::registered_domain(std::string_view name) const {
  // Walk the suffixes from the longest (the whole name) to the last label;
  // the first that a rule makes a public suffix is the longest match.
  std::string_view previous;  // the suffix one label longer than `s`
  for (std::string_view s = name; !s.empty(); previous = s, s = parent(s)) {
    if (exceptions_.contains(s)) return s;  // "!city.kawasaki.jp": s is registrable
    const std::string_view up = parent(s);
    const bool is_suffix = rules_.contains(s) || (!up.empty() && wildcards_.contains(up));
    if (is_suffix) {
      if (previous.empty()) return std::nullopt;  // the name is a public suffix
      return previous;
    }
  }
  // The default rule "*": the last label is the suffix.
  const std::size_t last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos) return std::nullopt;
  const std::size_t before = name.rfind('.', last_dot - 1);
  return before == std::string_view::npos || last_dot == 0 ? name : name.substr(before + 1);
}

bool normalise_name(std::string_view text, std::string& name) {
  name.clear();
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253 || text.front() == '.') return false;
  bool digits_and_dots = true, has_dot = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool digit = c >= '0' && c <= '9';
    const bool ok = (c >= 'a' && c <= 'z') || digit || c == '-' || c == '_' || c == '.' || u >= 0x80;
    if (!ok) return false;  // ':' (IPv6, host:port), '[', '/', spaces...
    if (c == '.') {
      if (!name.empty() && name.back() == '.') return false;  // an empty label
      has_dot = true;
    } else if (!digit) {
      digits_and_dots = false;
    }
    name.push_back(c);
  }
  return has_dot && !digits_and_dots;  // not one label, not an IPv4 address
}

std::optional<std::string> normalise_name(std::string_view text) {
  std::string name;
  if (!normalise_name(text, name)) return std::nullopt;
  return name;
}

double shannon_entropy(std::string_view text) {
  std::array<std::uint32_t, 256> counts{};
  std::size_t n = 0;
  for (char c : text) {
    if (c == '.') continue;
    ++counts[static_cast<unsigned char>(c)];
    ++n;
  }
  if (n == 0) return 0.0;
  double bits = 0.0;
  for (std::uint32_t k : counts) {
    if (k == 0) continue;
    const double p = static_cast<double>(k) / static_cast<double>(n);
    bits -= p * std::log2(p);
  }
  return bits;
}

double word_bigram_share(std::string_view text) {
  // The 48 commonest letter pairs of English text (Norvig's count of the
  // Google books corpus), which also make up the words of host names.
  static constexpr const char* common[] = {
      "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of", "ed",
      "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le", "ve", "co",
      "me", "de", "hi", "ri", "ro", "ic", "ne", "ea", "ra", "ce", "li", "ch", "ll", "be", "ma", "si"};
  static const std::array<bool, 26 * 26> table = [] {
    std::array<bool, 26 * 26> t{};
    for (const char* b : common) t[static_cast<std::size_t>((b[0] - 'a') * 26 + (b[1] - 'a'))] = true;
    return t;
  }();
  std::size_t pairs = 0, hits = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char a = text[i - 1], b = text[i];
    if (a < 'a' || a > 'z' || b < 'a' || b > 'z') continue;
    ++pairs;
    hits += table[static_cast<std::size_t>((a - 'a') * 26 + (b - 'a'))] ? 1 : 0;
  }
  // Too few pairs to tell words from data: mostly digits and separators
  // (hex, counters), not words.
  if (pairs < 8) return 0.0;
  return static_cast<double>(hits) / static_cast<double>(pairs);
}

std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace mimamori::analytics
