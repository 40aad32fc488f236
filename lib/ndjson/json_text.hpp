// json_text: writing JSON text by hand, fast and always valid.
//
// Strings are escaped as RFC 8259 requires; bytes that are not valid UTF-8
// are replaced by U+FFFD, so a writer never emits invalid JSON and never
// throws (nlohmann's dump() throws on such bytes). Where the exact bytes
// matter, callers keep them with append_base64().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mimamori::ndjson {

[[nodiscard]] bool is_valid_utf8(std::string_view bytes);
// The length of the well-formed UTF-8 sequence at p (`left` bytes readable
// from p), or 0 when it is not one (overlong, a UTF-16 surrogate, beyond
// U+10FFFF, cut short, a stray continuation byte).
[[nodiscard]] std::size_t utf8_sequence(const unsigned char* p, std::size_t left);

// Appends `"text"` with JSON escapes; invalid UTF-8 becomes U+FFFD.
void append_string(std::string& out, std::string_view text);
// Appends the escaped text without the surrounding quotes.
void append_escaped(std::string& out, std::string_view text);
// The same; returns whether text was valid UTF-8 (nothing was replaced), so
// a caller that keeps the exact bytes of invalid text needs no second pass.
bool append_escaped_checking(std::string& out, std::string_view text);
// Appends the RFC 4648 base64 form of bytes (no quotes).
void append_base64(std::string& out, std::string_view bytes);
void append_int(std::string& out, std::int64_t value);
void append_uint(std::string& out, std::uint64_t value);
// Finite numbers in the shortest form that reads back exactly; NaN and
// infinities, which JSON cannot carry, are written as null.
void append_double(std::string& out, double value);

}  // namespace mimamori::ndjson
