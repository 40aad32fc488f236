#include "intel/warninglist.hpp"

#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>

namespace mimamori::intel {

namespace {

std::string key_of(const ip_prefix& p) {
  std::string key(reinterpret_cast<const char*>(p.address.data()), 16);
  key.push_back(static_cast<char>(p.length));
  return key;
}

// MISP attribute types to the indicator types they hold.
unsigned types_of(std::string_view attribute) {
  auto bit = [](indicator_type t) { return 1u << static_cast<unsigned>(t); };
  if (attribute == "ip-src" || attribute == "ip-dst" || attribute == "ip-src|port" ||
      attribute == "ip-dst|port" || attribute == "ip") {
    return bit(indicator_type::ip);
  }
  if (attribute == "domain|ip") return bit(indicator_type::ip) | bit(indicator_type::domain);
  if (attribute == "domain" || attribute == "hostname" || attribute == "hostname|port") {
    return bit(indicator_type::domain);
  }
  if (attribute == "url" || attribute == "uri" || attribute == "link") {
    return bit(indicator_type::url);
  }
  if (attribute == "md5" || attribute == "filename|md5") return bit(indicator_type::md5);
  if (attribute == "sha1" || attribute == "filename|sha1") return bit(indicator_type::sha1);
  if (attribute == "sha256" || attribute == "filename|sha256") return bit(indicator_type::sha256);
  return 0;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

warninglist::warninglist() = default;
warninglist::~warninglist() = default;
warninglist::warninglist(warninglist&&) noexcept = default;
warninglist& warninglist::operator=(warninglist&&) noexcept = default;

std::optional<warninglist> warninglist::parse(std::string_view json, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto code = parser.parse(json.data(), json.size(), true).get(root)) {
    error = std::string("not JSON: ") + simdjson::error_message(code);
    return std::nullopt;
  }
  simdjson::dom::array list;
  if (root["list"].get_array().get(list) != simdjson::SUCCESS) {
    error = "not a MISP warninglist: no \"list\" array";
    return std::nullopt;
  }
  warninglist w;
  std::string_view text;
  if (root["name"].get_string().get(text) == simdjson::SUCCESS) w.name_ = text;
  std::string_view type = "string";
  if (root["type"].get_string().get(type) != simdjson::SUCCESS) type = "string";
  if (type == "cidr") {
    w.kind_ = kind::cidr;
  } else if (type == "string") {
    w.kind_ = kind::string;
  } else if (type == "hostname") {
    w.kind_ = kind::hostname;
  } else if (type == "substring") {
    w.kind_ = kind::substring;
  } else if (type == "regex") {
    w.kind_ = kind::regex;
  } else {
    error = "unknown warninglist type '" + std::string(type) + "'";
    return std::nullopt;
  }
  simdjson::dom::array attributes;
  if (root["matching_attributes"].get_array().get(attributes) == simdjson::SUCCESS) {
    for (auto a : attributes) {
      if (a.get_string().get(text) == simdjson::SUCCESS) w.applies_ |= types_of(text);
    }
  } else {
    w.applies_ = ~0u;  // no restriction given
  }
  // A CIDR list without matching_attributes still only makes sense for IPs.
  if (w.kind_ == kind::cidr) w.applies_ &= 1u << static_cast<unsigned>(indicator_type::ip);

  for (auto item : list) {
    if (item.get_string().get(text) != simdjson::SUCCESS || text.empty()) {
      ++w.skipped_;
      continue;
    }
    switch (w.kind_) {
      case kind::cidr: {
        auto p = parse_ip_prefix(text);
        if (!p) {
          ++w.skipped_;
          continue;
        }
        w.values_.insert(key_of(*p));
        if (std::find(w.lengths_.begin(), w.lengths_.end(), p->length) == w.lengths_.end()) {
          w.lengths_.push_back(p->length);
        }
        break;
      }
      case kind::hostname: {
        auto d = normalize_domain(text.front() == '.' ? text.substr(1) : text);
        if (!d) {
          ++w.skipped_;
          continue;
        }
        w.values_.insert(std::move(*d));
        break;
      }
      case kind::string: {
        w.values_.insert(lowered(text));
        // URL entries are compared in canonical form too.
        std::string url;
        if (normalize_url(text, url)) w.values_.insert(std::move(url));
        break;
      }
      case kind::substring: w.substrings_.push_back(lowered(text)); break;
      case kind::regex: {
        // "/pattern/flags" as MISP writes them, or a bare pattern.
        std::string_view pattern = text;
        std::string flags;
        if (pattern.size() >= 2 && pattern.front() == '/' && pattern.rfind('/') > 0) {
          std::size_t close = pattern.rfind('/');
          for (char f : pattern.substr(close + 1)) {
            if (f == 'i') flags = "(?i)";
          }
          pattern = pattern.substr(1, close - 1);
        }
        re2::RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_unique<re2::RE2>(flags + std::string(pattern), options);
        if (!re->ok()) {
          ++w.skipped_;
          continue;
        }
        w.regexes_.push_back(std::move(re));
        break;
      }
    }
    ++w.entries_;
  }
  std::sort(w.lengths_.begin(), w.lengths_.end());
  return w;
}

bool warninglist::covers_ip(const ip_prefix& ip) const {
  // A block indicator is covered when a list block of the same or a shorter
  // prefix contains it.
  for (std::uint8_t length : lengths_) {
    if (length > ip.length) break;
    ip_prefix masked = ip;
    masked.length = length;
    mask(masked);
    if (values_.count(key_of(masked)) != 0) return true;
  }
  return false;
}

bool warninglist::covers_host(std::string_view host) const {
  while (!host.empty()) {
    if (values_.count(std::string(host)) != 0) return true;
    std::size_t dot = host.find('.');
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return false;
}

bool warninglist::covers(indicator_type type, std::string_view value,
                         const std::optional<ip_prefix>& ip) const {
  if (!applies_to(type)) return false;
  switch (kind_) {
    case kind::cidr: return ip && covers_ip(*ip);
    case kind::hostname:
      if (type == indicator_type::domain) return covers_host(value);
      if (type == indicator_type::url) return covers_host(url_host(value));
      return false;
    case kind::string:
      if (values_.count(std::string(value)) != 0) return true;
      return type == indicator_type::url && values_.count(std::string(url_host(value))) != 0;
    case kind::substring:
      return std::any_of(substrings_.begin(), substrings_.end(), [&](const std::string& s) {
        return value.find(s) != std::string_view::npos;
      });
    case kind::regex:
      return std::any_of(regexes_.begin(), regexes_.end(),
                         [&](const auto& re) { return re2::RE2::PartialMatch(value, *re); });
  }
  return false;
}

}  // namespace mimamori::intel
