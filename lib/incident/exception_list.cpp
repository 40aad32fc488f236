#include "incident/exception_list.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"
#include "time/parse_any.hpp"
#include "time/zone.hpp"

namespace mimamori::incident {

namespace {

constexpr std::array<std::string_view, 8> kind_names = {"hash", "domain", "url", "ip",
                                                        "host", "user",   "rule", "match"};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Every string at `path` (a string, or the strings of an array).
template <typename Visit>
bool any_string(const event::record& r, std::string_view path, Visit visit) {
  auto e = r.find(path);
  if (!e) return false;
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) return visit(s);
  simdjson::dom::array a;
  if (e->get_array().get(a) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : a) {
      if (item.get_string().get(s) == simdjson::SUCCESS && visit(s)) return true;
    }
  }
  return false;
}

bool domain_matches(std::string_view domain, std::string_view entry) {
  if (domain.size() < entry.size()) return false;
  if (!iequals(domain.substr(domain.size() - entry.size()), entry)) return false;
  return domain.size() == entry.size() || domain[domain.size() - entry.size() - 1] == '.';
}

// The text of a value for comparison: strings as they are, others as JSON.
std::optional<std::string> text_at(const event::record& r, std::string_view path) {
  auto e = r.find(path);
  if (!e) return std::nullopt;
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(*e);
}

bool expression_matches(const event::record& r, std::string_view expr) {
  while (!expr.empty()) {
    std::size_t and_at = expr.find(" and ");
    std::string_view cond = expr.substr(0, and_at);
    expr = and_at == std::string_view::npos ? std::string_view{} : expr.substr(and_at + 5);
    while (!cond.empty() && cond.front() == ' ') cond.remove_prefix(1);
    while (!cond.empty() && cond.back() == ' ') cond.remove_suffix(1);
    std::size_t op = cond.find_first_of("!=~");
    if (op == std::string_view::npos || op == 0) return false;
    std::string_view field = cond.substr(0, op);
    bool negate = cond[op] == '!';
    bool contains = cond[op] == '~';
    std::size_t value_at = op + (negate ? 2 : 1);
    if (negate && (cond.size() < op + 2 || cond[op + 1] != '=')) return false;
    std::string_view want = cond.substr(std::min(value_at, cond.size()));
    auto have = text_at(r, field);
    bool ok = false;
    if (contains) {
      ok = have && have->find(want) != std::string::npos;
    } else {
      ok = have && *have == want;
      if (negate) ok = !ok;
    }
    if (!ok) return false;
  }
  return true;
}

bool entry_matches(const exception_entry& e, const event::record& r) {
  const std::string_view v = e.value;
  auto equal_ci = [v](std::string_view s) { return iequals(s, v); };
  switch (e.kind) {
    case exception_kind::hash:
      for (std::string_view p :
           {"file.hash.sha256", "file.hash.sha1", "file.hash.md5", "process.hash.sha256",
            "process.hash.sha1", "process.hash.md5", "threat.indicator.file.hash.sha256",
            "threat.indicator.file.hash.sha1", "threat.indicator.file.hash.md5", "related.hash"}) {
        if (any_string(r, p, equal_ci)) return true;
      }
      return false;
    case exception_kind::domain:
      for (std::string_view p : {"url.domain", "destination.domain", "dns.question.name",
                                 "server.domain", "threat.indicator.url.domain",
                                 "tls.client.server_name"}) {
        if (any_string(r, p, [v](std::string_view s) { return domain_matches(s, v); })) {
          return true;
        }
      }
      return false;
    case exception_kind::url:
      for (std::string_view p : {"url.full", "url.original", "threat.indicator.url.full"}) {
        if (any_string(r, p, [v](std::string_view s) { return s.starts_with(v); })) return true;
      }
      return false;
    case exception_kind::ip:
      for (std::string_view p :
           {"source.ip", "destination.ip", "host.ip", "threat.indicator.ip", "related.ip"}) {
        if (any_string(r, p, [v](std::string_view s) { return address_in(s, v); })) return true;
      }
      return false;
    case exception_kind::host:
      for (std::string_view p : {"host.name", "host.hostname", "related.hosts"}) {
        if (any_string(r, p, equal_ci)) return true;
      }
      return false;
    case exception_kind::user:
      for (std::string_view p : {"user.name", "related.user"}) {
        if (any_string(r, p, equal_ci)) return true;
      }
      return false;
    case exception_kind::rule:
      return any_string(r, "rule.id", [v](std::string_view s) { return s == v; }) ||
             any_string(r, "rule.name", [v](std::string_view s) { return s == v; }) ||
             any_string(r, "rule.uuid", [v](std::string_view s) { return s == v; });
    case exception_kind::match:
      return expression_matches(r, v);
  }
  return false;
}

bool parse_address(std::string_view text, std::array<unsigned char, 16>& bytes, int& bits) {
  char buf[64];
  if (text.size() >= sizeof buf) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  bytes.fill(0);
  if (inet_pton(AF_INET, buf, bytes.data()) == 1) {
    bits = 32;
    return true;
  }
  if (inet_pton(AF_INET6, buf, bytes.data()) == 1) {
    bits = 128;
    return true;
  }
  return false;
}

}  // namespace

std::string_view kind_name(exception_kind k) { return kind_names[static_cast<std::size_t>(k)]; }

std::optional<exception_kind> kind_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kind_names.size(); ++i) {
    if (kind_names[i] == name) return static_cast<exception_kind>(i);
  }
  return std::nullopt;
}

bool address_in(std::string_view address, std::string_view cidr) {
  std::array<unsigned char, 16> a{};
  std::array<unsigned char, 16> net{};
  int a_bits = 0;
  int net_bits = 0;
  std::size_t slash = cidr.find('/');
  if (!parse_address(address, a, a_bits) || !parse_address(cidr.substr(0, slash), net, net_bits)) {
    return false;
  }
  if (a_bits != net_bits) return false;
  int prefix = net_bits;
  if (slash != std::string_view::npos) {
    prefix = 0;
    std::string_view digits = cidr.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return false;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > net_bits) return false;
  }
  int whole = prefix / 8;
  if (std::memcmp(a.data(), net.data(), static_cast<std::size_t>(whole)) != 0) return false;
  if (int rest = prefix % 8; rest != 0) {
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    if ((a[static_cast<std::size_t>(whole)] & mask) != (net[static_cast<std::size_t>(whole)] & mask)) {
      return false;
    }
  }
  return true;
}

std::string validate(exception_kind kind, std::string_view value) {
  if (value.empty()) return "empty value";
  switch (kind) {
    case exception_kind::hash:
      if (value.size() != 32 && value.size() != 40 && value.size() != 64) {
        return "'" + std::string(value) + "' is not an MD5, SHA-1 or SHA-256 hash";
      }
      for (char c : value) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
          return "'" + std::string(value) + "' is not a hexadecimal hash";
        }
      }
      return {};
    case exception_kind::ip: {
      std::size_t slash = value.find('/');
      std::string_view addr = value.substr(0, slash);
      if (!address_in(addr, value)) return "'" + std::string(value) + "' is not an address or CIDR block";
      return {};
    }
    case exception_kind::match: {
      std::string_view rest = value;
      while (!rest.empty()) {
        std::size_t and_at = rest.find(" and ");
        std::string_view cond = rest.substr(0, and_at);
        rest = and_at == std::string_view::npos ? std::string_view{} : rest.substr(and_at + 5);
        std::size_t op = cond.find_first_of("!=~");
        if (op == std::string_view::npos || op == 0 ||
            (cond[op] == '!' && (op + 1 >= cond.size() || cond[op + 1] != '='))) {
          return "'" + std::string(cond) + "' is not FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT";
        }
      }
      return {};
    }
    default:
      return {};
  }
}

void exception_list::add(exception_entry e) { entries_.push_back(std::move(e)); }

exception_entry* exception_list::match(std::string_view org, time::timestamp when,
                                       const event::record& alert) {
  for (exception_entry& e : entries_) {
    if (e.org != org) continue;
    if (e.expires && *e.expires <= when) continue;
    if (entry_matches(e, alert)) return &e;
  }
  return nullptr;
}

std::vector<exception_entry> load_exceptions_yaml(const std::string& path, time::timestamp now,
                                                  std::vector<std::string>& errors) {
  std::vector<exception_entry> out;
  YAML::Node root;
  try {
    root = config::load_file(path);
  } catch (const YAML::BadFile&) {
    errors.push_back(path + ": cannot read the file");
    return out;
  } catch (const YAML::Exception& e) {
    errors.push_back(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": " + e.msg);
    return out;
  }
  YAML::Node list = root.IsMap() ? root["exceptions"] : root;
  if (!list || !list.IsSequence()) {
    errors.push_back(path + ":1:1: expected a list of exceptions (or `exceptions:` with one)");
    return out;
  }
  auto where = [&path](const YAML::Node& n) {
    return path + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1);
  };
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) {
      errors.push_back(where(item) + ": an exception is a map of fields");
      continue;
    }
    exception_entry e;
    e.created = now;
    int kinds = 0;
    bool ok = true;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (!kv.second.IsScalar()) {
        errors.push_back(where(kv.second) + ": '" + key + "' must be a single value");
        ok = false;
        continue;
      }
      const std::string value = kv.second.as<std::string>();
      if (auto k = kind_from_name(key)) {
        e.kind = *k;
        e.value = value;
        ++kinds;
        if (std::string why = validate(*k, value); !why.empty()) {
          errors.push_back(where(kv.second) + ": " + why);
          ok = false;
        }
      } else if (key == "org" || key == "organization") {
        e.org = value;
      } else if (key == "owner") {
        e.owner = value;
      } else if (key == "reason") {
        e.reason = value;
      } else if (key == "ticket") {
        e.ticket = value;
      } else if (key == "expires" || key == "created") {
        auto t = time::parse_any(value, now, time::zone::utc());
        if (!t) {
          errors.push_back(where(kv.second) + ": cannot read '" + value + "' as a time");
          ok = false;
        } else if (key == "expires") {
          e.expires = *t;
        } else {
          e.created = *t;
        }
      } else {
        errors.push_back(where(kv.first) + ": unknown field '" + key + "'");
        ok = false;
      }
    }
    if (kinds != 1) {
      errors.push_back(where(item) +
                       ": name exactly one of hash, domain, url, ip, host, user, rule, match");
      ok = false;
    }
    if (e.org.empty()) e.org = "default";
    if (e.reason.empty() || e.owner.empty()) {
      errors.push_back(where(item) + ": an exception needs a reason and an owner");
      ok = false;
    }
    if (ok) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mimamori::incident
