// feed: reading threat-intelligence feeds into a store.
//
// Formats, detected from the content (or forced with `FORMAT:FILE`):
//   plain        one indicator per line, its type told by its shape (address,
//                CIDR, URL, hash, domain); `#`, `;` and `//` comments; text
//                after the value (", description", "; SBL123") is kept as the
//                description; "IP IP" ranges and hosts-file lines
//                ("0.0.0.0 evil.example") are understood
//   csv          a header row (possibly commented out, as abuse.ch writes it)
//                whose column names say which columns hold values and which
//                hold first seen, description, tags, reporter, confidence:
//                Feodo Tracker, URLhaus, ThreatFox, MalwareBazaar and the like
//   json         JSON records with the same names as keys (URLhaus/Feodo JSON
//                exports, one object per line or an array)
//   misp         a MISP event (or a search response, or an attribute), or a
//                MISP feed: a directory or manifest.json with its event files
//   stix         a STIX 2.1 bundle: indicators whose pattern is a comparison
//                (or several joined by OR) on domain-name, ipv4-addr,
//                ipv6-addr, url or file hashes; valid_from/valid_until kept
//   warninglist  a MISP warninglist list.json, or a directory of them: not
//                indicators, but benign values that drop indicators
// `TYPE:FILE` with an indicator type (domain, ip, url, md5, sha1, sha256)
// reads a plain list whose every line must be of that type.
//
// A bad line is reported as "FILE:LINE: reason", counted, and skipped; the
// rest of the feed loads. Only an unreadable file fails a feed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intel/indicator.hpp"
#include "intel/store.hpp"

namespace mimamori::intel {

enum class feed_format { detect, plain, csv, json, misp, stix, warninglist };

[[nodiscard]] std::string_view format_name(feed_format format);

struct feed_options {
  feed_format format = feed_format::detect;
  std::optional<indicator_type> type;  // plain lists: every line is of this type
  std::string name;                    // threat.feed.name; default: the file's stem
  // MISP: also load attributes whose to_ids flag is false (not meant for
  // detection by their author).
  bool misp_all_attributes = false;
};

struct load_report {
  std::string path;
  std::string feed;  // the feed name given to its indicators
  feed_format format = feed_format::detect;
  std::size_t indicators = 0;    // added to the store
  std::size_t bad = 0;           // lines or values that could not be read
  std::size_t unsupported = 0;   // well-formed, but not something we can match
  std::size_t skipped = 0;       // deliberately left out (MISP to_ids false, deleted)
  std::size_t warninglists = 0;  // lists added (format warninglist)
  // "FILE:LINE: reason" for bad and unsupported items, the first
  // max_messages of them.
  std::vector<std::string> messages;
  std::string error;  // why the feed could not be read at all; empty when it was
  static constexpr std::size_t max_messages = 200;

  [[nodiscard]] bool ok() const { return error.empty(); }
  // One line: "FEED (FORMAT): N indicators, N bad, N unsupported, N skipped".
  [[nodiscard]] std::string summary() const;
};

// Splits "FORMAT:FILE" or "TYPE:FILE"; a prefix that names neither is part
// of the path.
[[nodiscard]] feed_options parse_feed_spec(std::string_view spec, std::string& path);

// Loads a file or a directory (MISP feed, warninglists) as the spec says.
load_report load_feed(store& into, std::string_view spec);
load_report load_feed(store& into, const std::string& path, const feed_options& options);
// Loads text already in memory; `origin` names it in messages.
load_report load_feed_text(store& into, std::string_view text, std::string_view origin,
                           const feed_options& options);

// What a text looks like (the first bytes are enough).
[[nodiscard]] feed_format detect_format(std::string_view head);

}  // namespace mimamori::intel
