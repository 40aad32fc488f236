// fuzz: mimamori_event mimamori_ndjson
// Whatever the bytes, an escaped string is valid JSON and valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "event/builder.hpp"
#include "event/record.hpp"
#include "ndjson/json_text.hpp"

using namespace mimamori;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string out;
  event::builder b(out);
  b.begin_object().field("original", bytes).key("b64");
  out.push_back('"');
  ndjson::append_base64(out, bytes);
  out.push_back('"');
  b.end_object();
  if (!ndjson::is_valid_utf8(out)) std::abort();
  event::parser parser;
  if (parser.parse_copy(out) != event::parse_error::none) std::abort();
  auto back = parser.current().string("original");
  if (!back) std::abort();
  if (ndjson::is_valid_utf8(bytes) && *back != bytes) std::abort();  // valid text round-trips
  return 0;
}
