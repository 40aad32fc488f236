// warninglist: a MISP warninglist (github.com/MISP/misp-warninglists), the
// values known to be benign (RFC 1918 space, top sites, public resolvers,
// cloud ranges), used to drop indicators before they raise false alarms.
//
// A list.json has `name`, `type` and `list`, and `matching_attributes`
// (MISP attribute types) saying which indicators it applies to. Types:
//   cidr       an IP indicator inside one of the blocks (a block indicator
//              inside one of them) is dropped
//   string     exact value
//   hostname   the domain (or a URL's host) equals an entry or is under it
//   substring  the value contains an entry
//   regex      RE2 patterns over the value
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "intel/indicator.hpp"

namespace re2 {
class RE2;
}

namespace mimamori::intel {

class warninglist {
 public:
  enum class kind { cidr, string, hostname, substring, regex };

  warninglist();
  ~warninglist();
  warninglist(warninglist&&) noexcept;
  warninglist& operator=(warninglist&&) noexcept;

  // Reads a list.json text. On failure returns nothing and sets `error`
  // ("not a MISP warninglist: no \"list\" array", ...). Entries that are not
  // valid for the list's type are skipped and counted in skipped().
  static std::optional<warninglist> parse(std::string_view json, std::string& error);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] kind type() const { return kind_; }
  [[nodiscard]] std::size_t entries() const { return entries_; }
  [[nodiscard]] std::size_t skipped() const { return skipped_; }
  // Whether the list applies to indicators of this type (matching_attributes).
  [[nodiscard]] bool applies_to(indicator_type type) const {
    return (applies_ & (1u << static_cast<unsigned>(type))) != 0;
  }
  // Whether the list covers this indicator (canonical value; `ip` for type ip).
  [[nodiscard]] bool covers(indicator_type type, std::string_view value,
                            const std::optional<ip_prefix>& ip) const;

 private:
  [[nodiscard]] bool covers_ip(const ip_prefix& ip) const;
  [[nodiscard]] bool covers_host(std::string_view host) const;

  std::string name_;
  kind kind_ = kind::string;
  unsigned applies_ = 0;
  std::size_t entries_ = 0, skipped_ = 0;
  std::unordered_set<std::string> values_;  // string, hostname; cidr: 17-byte keys
  std::vector<std::uint8_t> lengths_;       // cidr: prefix lengths present
  std::vector<std::string> substrings_;
  std::vector<std::unique_ptr<re2::RE2>> regexes_;
};

}  // namespace mimamori::intel
