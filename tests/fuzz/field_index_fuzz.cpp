// fuzz: mimamori_sigma mimamori_event
// sigma::field_index (the per-event index of the paths correlate's rules
// read) against event::record::find. The input is dotted paths, one per
// line, then a NUL byte, then a JSON document; for every path the index
// must return the element record::find returns (or nothing when it
// returns nothing), flattened keys, duplicate keys and non-objects
// included, and has_spaced_key must agree with a scan of that element.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "event/record.hpp"
#include "sigma/field_index.hpp"

namespace {

bool spaced(const std::optional<simdjson::dom::element>& e) {
  simdjson::dom::object members;
  if (!e || e->get_object().get(members) != simdjson::SUCCESS) return false;
  for (auto member : members) {
    if (std::string_view(member.key).find(' ') != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  mimamori::event::parser parser;
  if (parser.parse_copy(input.substr(nul + 1)) != mimamori::event::parse_error::none) return 0;
  const mimamori::event::record& record = parser.current();
  mimamori::sigma::field_index index;
  std::vector<std::string> paths;
  std::vector<std::uint32_t> ids;
  std::string_view rest = input.substr(0, nul);
  while (!rest.empty() && paths.size() < 64) {
    const std::size_t end = rest.find('\n');
    paths.emplace_back(rest.substr(0, end));
    ids.push_back(index.add(paths.back()));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  // Twice over, as a new event: the index forgets the first one.
  for (int round = 0; round < 2; ++round) {
    index.reset(record.root());
    for (std::size_t k = 0; k < paths.size(); ++k) {
      const auto want = record.find(paths[k]);
      const auto got = index.find(ids[k]);
      if (want.has_value() != got.has_value()) std::abort();
      if (want && simdjson::to_string(*want) != simdjson::to_string(*got)) std::abort();
      if (index.has_spaced_key(ids[k]) != spaced(want)) std::abort();
    }
  }
  return 0;
}
