// generic_json: a JSON object line that no other parser knows (family 16).
//
// Its members are kept, flattened under `json.` (nested objects as dotted
// paths, arrays and numbers as JSON), as Filebeat's JSON decoding does by
// default: ECS has no place for a device's own keys, and a namespace of
// their own keeps them from clashing with the ECS fields lognorm sets. A
// top-level "@timestamp", "timestamp" or "time" that reads as an ISO 8601
// time (in --tz when it has no offset) becomes @timestamp. Dataset json.
// To map such keys to ECS fields, write a rulebase rule with format: json.
#include <simdjson.h>

#include "parsers/parser.hpp"
#include "parsers/rulebase.hpp"
#include "parsers/vendor_common.hpp"

namespace mimamori::parsers {
namespace {

class generic_json_parser final : public parser {
 public:
  std::string_view name() const override { return "json"; }
  std::string_view dataset() const override { return "json"; }
  std::string_view description() const override {
    return "any other JSON object: its keys kept under json.* (map them with a rulebase)";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view text = line.header.message;
    if (text.size() < 2 || text.front() != '{') return {};
    std::string_view last = text;
    while (!last.empty() && (last.back() == ' ' || last.back() == '\r' || last.back() == '\t'))
      last.remove_suffix(1);
    if (last.empty() || last.back() != '}') return {};
    // Text that only looks like an object ("{x} y}") stays an unparsed line.
    if (!keep_json_object(out, "json.", last)) return {};
    for (std::string_view key : {"json.@timestamp", "json.timestamp", "json.time"}) {
      const std::string_view stamp = out.get(key);
      if (stamp.empty() || stamp.size() < 19) continue;
      if (vendor::set_local_time(out, "@timestamp", std::string(stamp), line.tz)) break;
    }
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& generic_json() {
  static const generic_json_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
