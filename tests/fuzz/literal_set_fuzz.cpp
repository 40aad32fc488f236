// fuzz: mimamori_sigma
// sigma::literal_set (the dense Aho-Corasick automaton behind correlate's
// per-field literal tests) against brute force. The input is literals, one
// per line, then a NUL byte, then the text to scan; every occurrence the
// automaton reports must be one that std::string::find finds (ASCII case
// ignored), and none may be missed. The same literals in a
// sigma::equal_set: the text (whole) must be found as the literal it
// equals, ASCII case ignored, and as nothing else.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sigma/literal_set.hpp"

namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  const std::string_view text = input.substr(nul + 1);
  mimamori::sigma::literal_set set;
  mimamori::sigma::equal_set equal;
  std::map<std::string, std::uint32_t> equal_ids;  // lowered literal -> equal's id
  std::vector<std::pair<std::string, std::uint32_t>> literals;
  std::string_view rest = input.substr(0, nul);
  while (!rest.empty() && literals.size() < 64) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) continue;
    literals.emplace_back(lowered(line), set.add(line));
    const std::uint32_t id = equal.add(line);
    if (equal_ids.try_emplace(lowered(line), id).first->second != id) std::abort();
  }
  const auto same = equal_ids.find(lowered(text));
  if (equal.find(text) != (same == equal_ids.end() ? mimamori::sigma::equal_set::none : same->second)) {
    std::abort();
  }
  set.build();
  std::set<std::pair<std::uint32_t, std::size_t>> found, expected;
  set.scan(text, [&](std::uint32_t id, std::size_t end) {
    if (end > text.size() || id >= set.size()) std::abort();
    found.emplace(id, end);
  });
  const std::string t = lowered(text);
  for (const auto& [literal, id] : literals) {
    for (std::size_t at = t.find(literal); at != std::string::npos; at = t.find(literal, at + 1)) {
      expected.emplace(id, at + literal.size());
    }
  }
  if (found != expected) std::abort();
  return 0;
}
