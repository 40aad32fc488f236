// fuzz: mimamori_parsers mimamori_syslog mimamori_time simdjson::simdjson
// CEF and LEEF (header fields with \| escapes, extensions with \= \\ \n
// escapes): any line, no crash, the fields write valid JSON with the line
// kept whole. Inputs that do not start with a CEF or LEEF header get one, so
// the fuzzer spends its time past detection.
#include <cstdint>
#include <string>
#include <string_view>

#include "parser_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const mimamori::parsers::parser& cef = mimamori::parsers::cef();
  mimamori::fuzz::check_parser(cef, text);
  if (text.find("CEF:") == std::string_view::npos && text.find("LEEF:") == std::string_view::npos) {
    const bool leef = !text.empty() && (static_cast<unsigned char>(text[0]) & 1) != 0;
    std::string line = leef ? "<134>Oct  3 03:00:00 host LEEF:" : "<134>Oct  3 03:00:00 host CEF:";
    line.append(text.substr(text.empty() ? 0 : 1));
    mimamori::fuzz::check_parser(cef, line);
  }
  return 0;
}
