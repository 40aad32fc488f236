// assets: the customer's asset inventory, for criticality and end of support.
//
// A CSV file with a header row, or a JSON array of objects, with the
// columns/keys: address (or ip), mac, hostname (or host, name), owner,
// criticality (low, medium, high, critical), os, eol (true/false or the
// date support ended), and optionally org. A host is found by its name
// (case-insensitive), an address or a MAC address. An operating system is
// past its end of support when the inventory says so or when its name is in
// the built-in table of end-of-support dates (Windows XP ... Windows 10).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "time/timestamp.hpp"

namespace mimamori::incident {

struct asset {
  std::string org;  // "" = any organization
  std::string hostname;
  std::string address;
  std::string mac;
  std::string owner;
  std::string criticality;
  std::string os;
  std::optional<bool> eol;               // the inventory's own word
  std::optional<time::timestamp> eol_on; // or the date support ended
};

class asset_inventory {
 public:
  // Loads a CSV or JSON file (by its first non-blank character); problems
  // are collected as `file:line: what`.
  void load(const std::string& path, std::vector<std::string>& errors);
  void add(asset a);
  [[nodiscard]] const asset* find(std::string_view org, std::string_view key) const;
  [[nodiscard]] bool empty() const { return assets_.empty(); }
  [[nodiscard]] std::size_t size() const { return assets_.size(); }

 private:
  std::vector<asset> assets_;
  std::unordered_map<std::string, std::vector<std::size_t>> index_;  // lowercased key -> assets
};

// The name of the OS when it was past its end of support at `when`, else "".
[[nodiscard]] std::string end_of_support(const asset& a, time::timestamp when);
// From the built-in table alone (for host.os.name on an alert).
[[nodiscard]] std::string end_of_support_os(std::string_view os, time::timestamp when);

}  // namespace mimamori::incident
