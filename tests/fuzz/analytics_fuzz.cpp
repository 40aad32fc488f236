// fuzz: mimamori_analytics
// Analytics rules and events on arbitrary input. The first byte picks what
// the rest is:
//   0: a rule file: loading reports problems or loads rules, never throws.
//   1: NDJSON events, run through the four rule types with small
//      thresholds: no crash, every alert a line, and the state saved after
//      them restores and saves to the same JSON.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analytics/engine.hpp"
#include "event/record.hpp"

using namespace mimamori;

namespace {

constexpr std::string_view fixed_rules = R"(title: b
id: b
analytics:
  type: beaconing
  parameters: {min_count: 3, history: 4, max_pairs: 4, min_period: 1s, window: 1h}
---
title: d
id: d
analytics:
  type: dns_tunnel
  domain: [dns.question.name, url.domain]
  parameters: {min_distinct: 2, min_length: 2, min_entropy: 0.5, max_domains: 3, max_word_share: 1}
---
title: r
id: r
analytics:
  type: rare_domain
  parameters: {learning: 1s, max_domains: 3}
---
title: s
id: s
analytics:
  type: spaced_attempts
  match: {event.outcome: failure}
  cancel: {event.outcome: success}
  distinct: [user.name, source.port]
  parameters: {min_count: 2, min_interval: 1s, window: 1h, max_sources: 3}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    analytics::engine e;
    analytics::load_report report;
    e.load_text(text, "fuzz.yml", report);
    return 0;
  }
  analytics::engine e;
  analytics::load_report report;
  e.load_text(std::string(fixed_rules), "rules.yml", report);
  if (e.size() != 4) std::abort();
  event::parser parser;
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (parser.parse_copy(std::string_view(text).substr(start, end - start)) == event::parse_error::none) {
      const std::size_t before = out.size();
      const std::size_t raised = e.detect(parser.current(), out);
      std::size_t lines = 0;
      for (std::size_t i = before; i < out.size(); ++i) lines += out[i] == '\n';
      if (lines != raised) std::abort();
    }
    start = end + 1;
  }
  nlohmann::json state;
  e.save(state);
  analytics::engine again;
  again.load_text(std::string(fixed_rules), "rules.yml", report);
  again.restore(state);
  nlohmann::json twice;
  again.save(twice);
  if (state != twice) std::abort();
  return 0;
}
