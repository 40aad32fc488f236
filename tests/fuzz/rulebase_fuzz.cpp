// fuzz: mimamori_parsers
// User rulebases (parsers/rulebase.hpp, parsers/pattern.hpp) on arbitrary
// input. The first byte picks what the rest is:
//   0: a field-syntax pattern. Whatever the compiler accepts must be a valid
//      RE2 expression with one group per capture (the compiler never emits
//      broken regex syntax, whatever the literal text holds).
//   1: a log line, run through a fixed rulebase with a rule of each format
//      and every field and value type, and through --explain's near-miss
//      report: no crash, and a rule that takes a line sets fields.
//   2: a rulebase file: loading reports problems or loads rules, never
//      throws.
#include <re2/re2.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/fields.hpp"
#include "parsers/pattern.hpp"
#include "parsers/rulebase.hpp"
#include "syslog/header.hpp"

using namespace mimamori;

namespace {

constexpr std::string_view fixed_rules = R"(
rules:
  - name: f-pattern
    program: app
    pattern: '%t:date-rfc3164% %h:word% %ip:ip%:%p:number% %q:quoted-string% %m:mac48% %f:float% %x:hexnumber% %c:char-to:;%;%kv:kv%'
    fields:
      "@timestamp": t
      host.name: {from: h, type: host}
      source.ip: ip
      source.port: {from: p, type: port}
      message: q
      host.mac: m
      x.float: f
      x.hex: {from: x, type: lower}
      x.c: {from: c, type: boolean}
      x.kv: kv
  - name: f-regex
    regex: '(?P<when>\S+) (?P<who>\S+) (?P<url>\S+) (?P<n>-?\d+)?'
    fields:
      "@timestamp": {from: when, type: timestamp, format: "%Y-%m-%dT%H:%M:%S.%f%z"}
      user.name: {from: who, type: user}
      url.original: {from: url, type: url}
      x.n: {from: n, type: long}
  - name: f-json
    format: json
    match: {k: v}
    fields:
      source.ip: {from: a.b, type: ip}
      "@timestamp": {from: ts, type: timestamp, format: epoch_ms}
      x.any: c
      file.hash.sha256: {from: h, type: hash}
    keep: j
  - name: f-kv
    format: kv
    fields:
      destination.port: {from: dport, type: port}
      "@timestamp": {from: time, type: timestamp, format: "%b %e %H:%M:%S"}
      x.s: s
    keep: kv
)";

const parsers::rulebase& fixed() {
  static const parsers::rulebase rules = [] {
    parsers::rulebase r;
    std::vector<std::string> problems;
    r.load_text(fixed_rules, "fuzz.yml", problems);
    if (!problems.empty() || r.rules().size() != 4) std::abort();
    return r;
  }();
  return rules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      const parsers::pattern_result r = parsers::compile_field_pattern(text);
      if (r.error) return 0;
      RE2::Options options(RE2::Latin1);
      options.set_log_errors(false);
      RE2 re(r.pattern.regex, options);
      // RE2 may refuse a pattern only for its size, never for its syntax.
      if (!re.ok() && re.error_code() != RE2::ErrorPatternTooLarge) std::abort();
      if (re.ok() && static_cast<std::size_t>(re.NumberOfCapturingGroups()) != r.pattern.captures.size())
        std::abort();
      return 0;
    }
    case 1: {
      const parsers::rulebase& rules = fixed();
      syslog::header h;
      const auto received = time::timestamp::from_seconds(1727924400);
      const time::zone tz;
      syslog::parse_header(text, {received, tz}, h);
      const parsers::line_context line{text, h, received, tz};
      parsers::fields out;
      for (const parsers::parser* rule : rules.rules()) {
        out.clear();
        const auto r = rule->parse(line, out);
        if (r.what == parsers::outcome::broken) std::abort();  // rules decline or take
        const std::string why = rules.why_not(*rule, line);
        if ((r.what == parsers::outcome::parsed) != why.empty()) std::abort();
        std::string json = "{";
        out.write_members(json, true);
      }
      return 0;
    }
    default: {
      parsers::rulebase r;
      std::vector<std::string> problems;
      r.load_text(text, "fuzz.yml", problems);
      if (problems.empty() == false && !r.rules().empty()) std::abort();
      return 0;
    }
  }
}
