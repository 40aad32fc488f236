#include "intel/matcher.hpp"

#include <algorithm>
#include <charconv>

#include "time/rfc3339.hpp"

namespace mimamori::intel {

namespace {

using maybe_element = std::optional<simdjson::dom::element>;

// A member of an object (nothing when absent or not an object).
maybe_element child(const maybe_element& object, std::string_view key) {
  simdjson::dom::element out;
  if (!object || !object->is_object() || object->at_key(key).get(out) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::string_view field_path(event_field field) {
  switch (field) {
    case event_field::source_ip: return "source.ip";
    case event_field::destination_ip: return "destination.ip";
    case event_field::destination_domain: return "destination.domain";
    case event_field::url_domain: return "url.domain";
    case event_field::url_full: return "url.full";
    case event_field::url_original: return "url.original";
    case event_field::dns_question_name: return "dns.question.name";
    case event_field::tls_client_server_name: return "tls.client.server_name";
    case event_field::file_hash_md5: return "file.hash.md5";
    case event_field::file_hash_sha1: return "file.hash.sha1";
    case event_field::file_hash_sha256: return "file.hash.sha256";
    case event_field::process_hash_md5: return "process.hash.md5";
    case event_field::process_hash_sha1: return "process.hash.sha1";
    case event_field::process_hash_sha256: return "process.hash.sha256";
  }
  return "";
}

const std::vector<hit>& matcher::match(const event::record& record) {
  read_time_ = true;
  return match(record, std::nullopt);
}

const std::vector<hit>& matcher::match(const event::record& record,
                                       std::optional<time::timestamp> at) {
  hits_.clear();
  checked_count_ = 0;
  time_ = at;
  time_pending_ = false;
  url_domain_ = url_original_ = url_scheme_ = url_full_ = {};
  url_port_ = 0;
  simdjson::dom::object root;
  if (record.root().get_object().get(root) == simdjson::SUCCESS) {
    for (auto [key, value] : root) visit(key, value);
  }
  read_time_ = false;

  // URLs last: url.full, else url.original, rebuilt from url.domain when it
  // is only a path (as proxies log it).
  if (!url_full_.empty()) check_url(event_field::url_full, url_full_);
  if (!url_original_.empty()) {
    if (url_original_.find("://") != std::string_view::npos) {
      check_url(event_field::url_original, url_original_);
    } else if (url_full_.empty() && !url_domain_.empty() && url_original_.front() == '/') {
      std::string& rebuilt = rebuilt_;
      rebuilt.clear();
      if (!url_scheme_.empty()) {
        rebuilt.append(url_scheme_);
        rebuilt.append("://");
      }
      rebuilt.append(url_domain_);
      if (url_port_ > 0) {
        char digits[24];
        auto end = std::to_chars(digits, digits + sizeof digits, url_port_).ptr;
        rebuilt.push_back(':');
        rebuilt.append(digits, end);
      }
      rebuilt.append(url_original_);
      scratch_.clear();
      if (normalize_url(rebuilt, scratch_, false)) {
        std::string_view canonical = scratch_;
        store_.find_exact(indicator_type::url, canonical, [&](indicator_id id) {
          found(id, event_field::url_original, url_original_);
        });
        if (std::size_t sep = canonical.find("://"); sep != std::string_view::npos) {
          store_.find_exact(indicator_type::url, canonical.substr(sep + 3), [&](indicator_id id) {
            found(id, event_field::url_original, url_original_);
          });
        }
      }
    }
  }

  if (!hits_.empty()) read_pending_time();
  if (!hits_.empty() && time_) {
    hits_.erase(std::remove_if(hits_.begin(), hits_.end(),
                               [&](const hit& h) { return !store_.valid_at(h.indicator, time_); }),
                hits_.end());
  }
  return hits_;
}

void matcher::visit(std::string_view key, simdjson::dom::element value) {
  if (key.empty()) return;
  switch (key.front()) {
    case '@':
      if (read_time_ && key == "@timestamp") {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS) {
          // A repeated key: the earlier text is read first, as it came.
          read_pending_time();
          pending_time_ = text;
          time_pending_ = true;
        }
      }
      return;
    case 's':
      if (key == "source") {
        check(event_field::source_ip, child(value, "ip"));
      } else if (key == "source.ip") {
        check(event_field::source_ip, value);
      }
      return;
    case 'd':
      if (key == "destination") {
        // One pass for both members (the first of each name, as at_key).
        simdjson::dom::object object;
        if (value.get_object().get(object) != simdjson::SUCCESS) return;
        maybe_element ip, domain;
        for (auto [name, member] : object) {
          if (name == "ip") {
            if (!ip) ip = member;
          } else if (name == "domain") {
            if (!domain) domain = member;
          }
        }
        check(event_field::destination_ip, ip);
        check(event_field::destination_domain, domain);
      } else if (key == "dns") {
        check(event_field::dns_question_name, child(child(value, "question"), "name"));
      } else if (key == "destination.ip") {
        check(event_field::destination_ip, value);
      } else if (key == "destination.domain") {
        check(event_field::destination_domain, value);
      } else if (key == "dns.question.name") {
        check(event_field::dns_question_name, value);
      }
      return;
    case 'u':
      if (key == "url") {
        // One pass for the members read (the first of each name, as at_key).
        simdjson::dom::object object;
        if (value.get_object().get(object) != simdjson::SUCCESS) return;
        maybe_element domain, full, original, scheme, port;
        for (auto [name, member] : object) {
          maybe_element* slot = nullptr;
          switch (name.size()) {
            case 4:
              if (name == "full") {
                slot = &full;
              } else if (name == "port") {
                slot = &port;
              }
              break;
            case 6:
              if (name == "domain") {
                slot = &domain;
              } else if (name == "scheme") {
                slot = &scheme;
              }
              break;
            case 8:
              if (name == "original") slot = &original;
              break;
            default: break;
          }
          if (slot != nullptr && !*slot) *slot = member;
        }
        auto string_of = [](const maybe_element& e) {
          std::string_view s;
          if (!e || e->get_string().get(s) != simdjson::SUCCESS) return std::string_view();
          return s;
        };
        url_domain_ = string_of(domain);
        url_full_ = string_of(full);
        url_original_ = string_of(original);
        url_scheme_ = string_of(scheme);
        std::int64_t number = 0;
        if (port && port->get_int64().get(number) == simdjson::SUCCESS) url_port_ = number;
        check(event_field::url_domain, domain);
      } else if (key == "url.domain") {
        if (value.get_string().get(url_domain_) != simdjson::SUCCESS) url_domain_ = {};
        check(event_field::url_domain, value);
      } else if (key == "url.full") {
        if (value.get_string().get(url_full_) != simdjson::SUCCESS) url_full_ = {};
      } else if (key == "url.original") {
        if (value.get_string().get(url_original_) != simdjson::SUCCESS) url_original_ = {};
      }
      return;
    case 't':
      if (key == "tls") {
        check(event_field::tls_client_server_name, child(child(value, "client"), "server_name"));
      } else if (key == "tls.client.server_name") {
        check(event_field::tls_client_server_name, value);
      }
      return;
    case 'f':
    case 'p': {
      bool file = key.front() == 'f';
      std::string_view name = file ? "file" : "process";
      if (key == name) {
        maybe_element hash = child(value, "hash");
        if (!hash) return;
        check(file ? event_field::file_hash_md5 : event_field::process_hash_md5,
              child(hash, "md5"));
        check(file ? event_field::file_hash_sha1 : event_field::process_hash_sha1,
              child(hash, "sha1"));
        check(file ? event_field::file_hash_sha256 : event_field::process_hash_sha256,
              child(hash, "sha256"));
      } else if (key.size() > name.size() + 6 && key.substr(0, name.size()) == name &&
                 key.substr(name.size(), 6) == ".hash.") {
        std::string_view algorithm = key.substr(name.size() + 6);
        if (algorithm == "md5") {
          check(file ? event_field::file_hash_md5 : event_field::process_hash_md5, value);
        } else if (algorithm == "sha1") {
          check(file ? event_field::file_hash_sha1 : event_field::process_hash_sha1, value);
        } else if (algorithm == "sha256") {
          check(file ? event_field::file_hash_sha256 : event_field::process_hash_sha256, value);
        }
      }
      return;
    }
    default: return;
  }
}

void matcher::check(event_field field, const std::optional<simdjson::dom::element>& value) {
  std::string_view text;
  if (!value || value->get_string().get(text) != simdjson::SUCCESS || text.empty()) return;
  switch (field) {
    case event_field::source_ip:
    case event_field::destination_ip: check_ip(field, text, text); break;
    case event_field::destination_domain:
    case event_field::url_domain:
    case event_field::dns_question_name:
    case event_field::tls_client_server_name: check_domain(field, text, text); break;
    case event_field::url_full:
    case event_field::url_original: check_url(field, text); break;
    default: check_hash(field, text); break;
  }
}

bool matcher::check_ip(event_field field, std::string_view text, std::string_view atomic) {
  if (std::uint32_t v4 = 0; parse_dotted_quad(text, v4)) {
    store_.find_v4(v4, [&](indicator_id id) { found(id, field, atomic); });
    return true;
  }
  auto address = parse_ip_address(text);
  if (!address) return false;
  store_.find_ip(*address, [&](indicator_id id) { found(id, field, atomic); });
  return true;
}

void matcher::check_domain(event_field field, std::string_view text, std::string_view atomic) {
  char first = text.front();
  if ((first >= '0' && first <= '9') || first == ':' || first == '[') {
    // A "domain" field holding an address.
    if (check_ip(field, text, atomic)) return;
  }
  domain_scratch_.assign(text);
  for (char& c : domain_scratch_) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!domain_scratch_.empty() && domain_scratch_.back() == '.') domain_scratch_.pop_back();
  for (std::size_t i = 0; i < checked_count_; ++i) {
    if (checked_domains_[i] == domain_scratch_) return;
  }
  if (checked_count_ == checked_domains_.size()) checked_domains_.emplace_back();
  checked_domains_[checked_count_++] = domain_scratch_;
  store_.find_domain(domain_scratch_, [&](indicator_id id) { found(id, field, atomic); });
}

void matcher::check_url(event_field field, std::string_view text) {
  scratch_.clear();
  if (!normalize_url(text, scratch_)) return;
  std::string_view canonical = scratch_;
  store_.find_exact(indicator_type::url, canonical,
                    [&](indicator_id id) { found(id, field, text); });
  std::size_t sep = canonical.find("://");
  store_.find_exact(indicator_type::url, canonical.substr(sep + 3),
                    [&](indicator_id id) { found(id, field, text); });
  // Domain and address indicators against the URL's host, when the event
  // has no url.domain of its own.
  if (url_domain_.empty()) {
    std::string host(url_host(canonical));
    if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
    if (!host.empty()) check_domain(field, host, text);
  }
}

void matcher::check_hash(event_field field, std::string_view text) {
  scratch_.clear();
  auto type = normalize_hash(text, scratch_);
  if (!type) return;
  store_.find_exact(*type, scratch_, [&](indicator_id id) { found(id, field, text); });
}

void matcher::read_pending_time() const {
  if (!time_pending_) return;
  time_pending_ = false;
  if (auto t = time::parse_rfc3339(pending_time_)) time_ = t;
}

void matcher::found(indicator_id id, event_field field, std::string_view atomic) {
  for (const hit& h : hits_) {
    if (h.indicator == id) return;
  }
  hits_.push_back(hit{id, field, atomic});
}

}  // namespace mimamori::intel
