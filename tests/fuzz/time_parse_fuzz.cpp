// fuzz: mimamori_time
// Time parsers take any bytes without crashing, and what they accept formats
// and reads back to the same millisecond.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "time/format.hpp"
#include "time/parse_any.hpp"
#include "time/rfc3164.hpp"
#include "time/rfc3339.hpp"

using namespace mimamori;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const time::timestamp reference = time::timestamp::from_seconds(1727924400);
  (void)time::parse_rfc3164(text, reference, time::zone::utc());
  if (auto t = time::parse_any(text, reference, time::zone::utc())) {
    if (t->seconds() > -62135596800 && t->seconds() < 253402300799) {  // years 1..9999
      std::string formatted = time::format_utc_ms(*t);
      auto back = time::parse_rfc3339(formatted);
      if (!back || back->millis() != t->millis()) std::abort();
    }
  }
  return 0;
}
