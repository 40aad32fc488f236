// fields: reading the values a rule names from an event.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/record.hpp"

namespace mimamori::analytics {

// The text of a scalar at `path` (strings as they are, integers in
// decimal); "a+b" joins two such fields with ':'. `buffer` holds the text
// when it had to be built.
[[nodiscard]] std::optional<std::string_view> field_text(const event::record& e, std::string_view path,
                                                         std::string& buffer);

// The first of `paths` the event has, with its value.
struct found_field {
  std::string_view path;
  std::string_view value;
};
[[nodiscard]] std::optional<found_field> first_field(const event::record& e,
                                                     const std::vector<std::string>& paths,
                                                     std::string& buffer);

// True if the value at `path` (a scalar, or any element of an array) equals
// one of `lowered` without regard to ASCII case.
[[nodiscard]] bool field_equals_any(const event::record& e, const std::string& path,
                                    const std::vector<std::string>& lowered);

// True if `name` (lowercase) is one of `ignored` or a subdomain of one.
[[nodiscard]] bool is_ignored(std::string_view name, const std::vector<std::string>& ignored);

}  // namespace mimamori::analytics
