// exception_list: what an organization has declared not worth reporting.
//
// The seeds' main tool against false positives: an entry matches one thing
// (a file hash, a domain and its subdomains, a URL prefix, an address or
// CIDR block, a host, a user, a rule id or name, or a field expression) for
// one organization, has an owner, a reason, a ticket, a creation time, an
// optional expiry (on event time: an entry stops applying to alerts after
// it), and counts its hits.
//
// A field expression is one or more conditions joined by " and ":
//   FIELD=VALUE   equal (as text; numbers compare by their JSON text)
//   FIELD!=VALUE  absent or different
//   FIELD~TEXT    contains TEXT
// e.g. `url.domain=intra.example and user.name~svc-`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/record.hpp"
#include "time/timestamp.hpp"

namespace mimamori::incident {

enum class exception_kind { hash, domain, url, ip, host, user, rule, match };

[[nodiscard]] std::string_view kind_name(exception_kind k);
[[nodiscard]] std::optional<exception_kind> kind_from_name(std::string_view name);

struct exception_entry {
  std::int64_t id = 0;  // the store's id (0 before it is stored)
  std::string org;
  exception_kind kind = exception_kind::match;
  std::string value;
  std::string owner;
  std::string reason;
  std::string ticket;
  time::timestamp created;
  std::optional<time::timestamp> expires;
  std::uint64_t hits = 0;      // in total
  std::uint64_t new_hits = 0;  // since the store last saved them
};

// Checks an entry's value for its kind; "" when it is fine, else why not.
[[nodiscard]] std::string validate(exception_kind kind, std::string_view value);

class exception_list {
 public:
  void add(exception_entry e);
  [[nodiscard]] std::vector<exception_entry>& entries() { return entries_; }
  [[nodiscard]] const std::vector<exception_entry>& entries() const { return entries_; }
  // The first entry of `org` in force at `when` that matches the alert.
  [[nodiscard]] exception_entry* match(std::string_view org, time::timestamp when,
                                       const event::record& alert);

 private:
  std::vector<exception_entry> entries_;
};

// Loads entries from YAML: a list, or a map with an `exceptions:` list, of
// maps with org, one of hash/domain/url/ip/host/user/rule/match, reason,
// owner, ticket, expires (created defaults to `now`). Every problem is
// collected as `file:line:col: what`.
[[nodiscard]] std::vector<exception_entry> load_exceptions_yaml(const std::string& path,
                                                                time::timestamp now,
                                                                std::vector<std::string>& errors);

// True when text is an IPv4/IPv6 address inside `cidr` (an address or a block).
[[nodiscard]] bool address_in(std::string_view address, std::string_view cidr);

}  // namespace mimamori::incident
