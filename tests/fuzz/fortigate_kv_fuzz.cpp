// fuzz: mimamori_parsers mimamori_syslog mimamori_time simdjson::simdjson
// key=value lines (FortiGate's, with "quoted" values holding \" escapes):
// the pair scanner always moves on and returns views inside the text, and
// the FortiGate parser takes any line without crashing, writing valid JSON
// with the line kept whole. Inputs get a FortiGate prefix when they lack one,
// so the fuzzer spends its time past detection.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "parser_fuzz.hpp"
#include "parsers/scan.hpp"

namespace {

void check_pairs(std::string_view text) {
  std::size_t pos = 0, previous = 0;
  bool first = true;
  mimamori::parsers::kv_pair kv;
  while (mimamori::parsers::next_kv(text, pos, kv)) {
    if (!first && pos <= previous) std::abort();  // always moves on
    first = false;
    previous = pos;
    for (std::string_view part : {kv.key, kv.value}) {
      if (part.empty()) continue;
      if (part.data() < text.data() || part.data() + part.size() > text.data() + text.size()) {
        std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string copy(reinterpret_cast<const char*>(data), size);
  check_pairs(copy);
  const mimamori::parsers::parser& fortigate = mimamori::parsers::fortigate();
  mimamori::fuzz::check_parser(fortigate, copy);
  if (copy.find("logid=") == std::string::npos) {
    mimamori::fuzz::check_parser(fortigate, "<189>date=2024-05-01 time=00:00:00 logid=\"0000000013\" " + copy);
  }
  return 0;
}
