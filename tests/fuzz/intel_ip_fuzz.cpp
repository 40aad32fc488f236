// fuzz: mimamori_intel
// intel::store's IPv4 lookups with and without the /24 gate that large IPv4
// sets get. The input is feed lines (addresses and CIDR blocks), a NUL
// byte, then addresses to look up, four bytes each. The blocks are loaded
// once alone (a small store: no gate) and once beside 5000 filler
// addresses (a large store: gated); every lookup must find the same
// indicators in both (addresses of the fillers' range aside), and
// find_v4 must find what find_ip finds. Each feed line the dotted-quad fast
// path reads must be read by parse_ip_address as the same address.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "intel/intel.hpp"

namespace {

std::vector<std::string> lookup(const mimamori::intel::store& s, const mimamori::intel::ip_prefix& ip,
                                bool skip_fillers) {
  std::vector<std::string> out;
  s.find_ip(ip, [&](mimamori::intel::indicator_id id) {
    std::string value(s.get(id).value);
    if (skip_fillers && value.rfind("240.0.", 0) == 0 && value.find('/') == std::string::npos) {
      return;
    }
    out.push_back(std::move(value));
  });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  if (nul == std::string_view::npos || nul > 4096) return 0;
  std::string feed(input.substr(0, nul));
  if (!feed.empty() && feed.back() != '\n') feed.push_back('\n');
  // The fillers, detected once.
  static const std::vector<mimamori::intel::detected> fillers = [] {
    std::vector<mimamori::intel::detected> out;
    for (int i = 0; i < 5000; ++i) {
      out.push_back(*mimamori::intel::detect("240.0." + std::to_string(i / 250) + "." +
                                             std::to_string(i % 250)));
    }
    return out;
  }();
  for (std::string_view rest = feed; !rest.empty();) {
    const std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    std::uint32_t v4 = 0;
    if (!mimamori::intel::parse_dotted_quad(line, v4)) continue;
    const auto ip = mimamori::intel::parse_ip_address(line);
    if (!ip || !ip->is_v4() || mimamori::intel::detail::load_v4(ip->address.data()) != v4) {
      std::abort();
    }
  }
  mimamori::intel::feed_options options;
  mimamori::intel::store small, large;
  (void)mimamori::intel::load_feed_text(small, feed, "fuzz.txt", options);
  (void)mimamori::intel::load_feed_text(large, feed, "fuzz.txt", options);
  const std::uint32_t context = large.add_context({.feed = "fillers"});
  for (const auto& f : fillers) large.add(f, context);
  small.finalize();
  large.finalize();
  std::string_view probes = input.substr(nul + 1);
  for (std::size_t n = 0; probes.size() >= 4 && n < 64; ++n, probes.remove_prefix(4)) {
    std::string text;
    for (int k = 0; k < 4; ++k) {
      if (k > 0) text.push_back('.');
      text += std::to_string(static_cast<unsigned char>(probes[static_cast<std::size_t>(k)]));
    }
    const auto ip = mimamori::intel::parse_ip_address(text);
    if (!ip) std::abort();
    if (lookup(small, *ip, true) != lookup(large, *ip, true)) std::abort();
    std::uint32_t v4 = 0;
    if (!mimamori::intel::parse_dotted_quad(text, v4)) std::abort();
    std::vector<mimamori::intel::indicator_id> by_v4, by_ip;
    large.find_v4(v4, [&](mimamori::intel::indicator_id id) { by_v4.push_back(id); });
    large.find_ip(*ip, [&](mimamori::intel::indicator_id id) { by_ip.push_back(id); });
    if (by_v4 != by_ip) std::abort();
  }
  return 0;
}
