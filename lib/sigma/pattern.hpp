// pattern: a Sigma value and what it matches in an event value.
//
// Sigma strings carry wildcards (`*` any run, `?` one character) and `\`
// escapes (`\*`, `\?`, `\\`; a backslash before anything else is itself).
// While modifiers transform a value, its wildcards travel as the marker
// bytes `wildcard_any` and `wildcard_one`, so base64, UTF-16 and windash
// work on plain bytes; compile() turns the result into a matcher that
// compares without allocating: equality, prefix, suffix or substring when
// the wildcards allow it, a glob otherwise. Matching ignores ASCII case
// unless `|cased` is given (Sigma's default).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace mimamori::sigma {

inline constexpr char wildcard_any = '\x01';
inline constexpr char wildcard_one = '\x02';

// A Sigma string with its escapes resolved and its wildcards as markers.
[[nodiscard]] std::string parse_sigma_string(std::string_view text);
[[nodiscard]] bool has_wildcards(std::string_view value);

// Value transformations, applied in the order the modifiers are written.
// Each returns the values it yields (base64offset three, windash several),
// or an error text.
struct transform_result {
  std::vector<std::string> values;
  std::string error;  // empty when fine
};
[[nodiscard]] transform_result to_base64(const std::string& value);
[[nodiscard]] transform_result to_base64_offsets(const std::string& value);
[[nodiscard]] transform_result to_utf16(const std::string& value, bool big_endian, bool bom);
[[nodiscard]] transform_result windash_variants(const std::string& value);

// An IPv4 or IPv6 network.
struct network {
  std::array<std::uint8_t, 16> address{};
  int family = 0;  // 4 or 6
  int prefix = 0;
};
[[nodiscard]] std::optional<network> parse_cidr(std::string_view text);
[[nodiscard]] bool in_network(const network& net, std::string_view ip);

enum class match_kind : std::uint8_t {
  equals,
  prefix,
  suffix,
  contains,
  glob,
  regex,
  cidr,
  greater,
  greater_equal,
  less,
  less_equal,
};

// A regex that asks only for a run of characters of one class, such as
// `.{1000,}`, `(.){200,}`, `[^/]{100,}$` or `.{150}` (SigmaHQ's long command
// line, file name and host rules): `^`? then `.`, `[^...]` or `[...]` (in a
// group or not), then `{n}`, `{n,}` or `{n,m}`, then `$`?. RE2 compiles the
// count into a program as long as it (`.{1000,}` is 8,000 instructions) and
// builds a DFA state per character counted, each as large as the program,
// so a search of a long text costs about a millisecond even with the
// budget matcher::regex() gives it; counting the run costs a read of each
// byte. Which ASCII characters the class holds is asked of RE2 itself, one
// character at a time, when the regex is compiled.
struct char_run {
  std::array<bool, 128> ascii{};  // the class holds this ASCII character
  bool non_ascii = false;         // the class holds every non-ASCII character (else none)
  std::uint32_t min = 0;
  std::uint32_t max = 0;  // 0: no upper bound
  bool at_start = false;  // `^`
  bool at_end = false;    // `$`

  // What RE2::PartialMatch(text, regex) returns, or nullopt when text is
  // not valid UTF-8 (RE2 must say then).
  [[nodiscard]] std::optional<bool> holds(std::string_view text) const;
};
// The run a regex asks for, with the flags matcher::regex() is given, or
// nullopt when it asks for more or otherwise.
[[nodiscard]] std::optional<char_run> find_char_run(const std::string& expression, bool ignore_case,
                                                    bool multi_line, bool dot_all);

// What one value of a detection item matches in one event value (text).
class matcher {
 public:
  // A string value (markers for wildcards) compared with or without case.
  static matcher text(const std::string& value, bool cased);
  // An RE2 regular expression; nullopt and `error` set when RE2 refuses it.
  static std::optional<matcher> regex(const std::string& expression, bool ignore_case,
                                      bool multi_line, bool dot_all, std::string& error);
  static matcher cidr(const network& net);
  static matcher number(match_kind comparison, double value);

  // `value` is the event's text; `lowered` its ASCII-lowercase form (the
  // same text when the caller has none).
  [[nodiscard]] bool matches(std::string_view value, std::string_view lowered) const;
  [[nodiscard]] bool case_sensitive() const { return cased_; }
  [[nodiscard]] match_kind kind() const { return kind_; }
  // equals/prefix/suffix/contains: the literal (lowercase unless cased).
  [[nodiscard]] const std::string& literal() const { return text_; }
  // A text that identifies what the matcher does, for sharing equal ones.
  [[nodiscard]] std::string key() const;
  // regex: the memory RE2 may give its DFA (grows with the program); 0 else.
  [[nodiscard]] std::int64_t regex_memory() const;

 private:
  match_kind kind_ = match_kind::equals;
  bool cased_ = false;
  std::string text_;  // lowered unless cased_; for glob, with markers
  std::shared_ptr<re2::RE2> regex_;
  std::shared_ptr<const char_run> run_;  // regex: counted instead, when it can be
  network network_{};
  double number_ = 0;
};

// Glob with wildcard markers over bytes; `?` consumes one UTF-8 character.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text);
void ascii_lower(std::string_view in, std::string& out);

}  // namespace mimamori::sigma
