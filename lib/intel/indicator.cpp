#include "intel/indicator.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace mimamori::intel {

namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Dotted-quad IPv4 without leading-zero ambiguity checks beyond range.
bool parse_v4(std::string_view s, std::uint8_t out[4]) {
  int part = 0;
  std::size_t i = 0;
  while (part < 4) {
    if (i >= s.size() || !is_digit(s[i])) return false;
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i])) {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      if (++digits > 3 || value > 255) return false;
      ++i;
    }
    out[part++] = static_cast<std::uint8_t>(value);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

bool parse_v6(std::string_view s, std::uint8_t out[16]) {
  if (s.empty() || s.size() > 45) return false;
  char buffer[64];
  std::memcpy(buffer, s.data(), s.size());
  buffer[s.size()] = '\0';
  return ::inet_pton(AF_INET6, buffer, out) == 1;
}

// An address alone; IPv4 may carry ":port", IPv6 may be "[addr]" or "[addr]:port".
bool parse_address(std::string_view s, ip_prefix& out) {
  std::uint8_t v4[4];
  out.address.fill(0);
  if (s.size() <= 21 && s.find(':') == s.rfind(':')) {
    std::string_view host = s.substr(0, s.find(':'));
    if (host.size() < s.size()) {
      std::string_view port = s.substr(host.size() + 1);
      if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
        return false;
      }
    }
    if (!parse_v4(host, v4)) return false;
    out.address[10] = out.address[11] = 0xff;
    std::memcpy(out.address.data() + 12, v4, 4);
    out.length = 128;
    return true;
  }
  if (!s.empty() && s.front() == '[') {
    std::size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || rest.size() < 2 ||
                          !std::all_of(rest.begin() + 1, rest.end(), is_digit))) {
      return false;
    }
    s = s.substr(1, close - 1);
  }
  // A zone index ("fe80::1%eth0") names an interface, not an address.
  s = s.substr(0, s.find('%'));
  if (!parse_v6(s, out.address.data())) return false;
  out.length = 128;
  return true;
}

}  // namespace

std::string_view ecs_type(indicator_type type, bool ipv4) {
  switch (type) {
    case indicator_type::domain: return "domain-name";
    case indicator_type::ip: return ipv4 ? "ipv4-addr" : "ipv6-addr";
    case indicator_type::url: return "url";
    case indicator_type::md5:
    case indicator_type::sha1:
    case indicator_type::sha256: return "file";
  }
  return "unknown";
}

std::string_view type_name(indicator_type type) {
  switch (type) {
    case indicator_type::domain: return "domain";
    case indicator_type::ip: return "ip";
    case indicator_type::url: return "url";
    case indicator_type::md5: return "md5";
    case indicator_type::sha1: return "sha1";
    case indicator_type::sha256: return "sha256";
  }
  return "unknown";
}

std::optional<indicator_type> parse_type_name(std::string_view name) {
  std::string n;
  for (char c : name) n.push_back(lower(c));
  if (n == "domain" || n == "hostname" || n == "domain-name" || n == "fqdn") {
    return indicator_type::domain;
  }
  if (n == "ip" || n == "ipv4" || n == "ipv6" || n == "cidr" || n == "ipv4-addr" ||
      n == "ipv6-addr") {
    return indicator_type::ip;
  }
  if (n == "url" || n == "uri") return indicator_type::url;
  if (n == "md5" || n == "md5_hash") return indicator_type::md5;
  if (n == "sha1" || n == "sha-1" || n == "sha1_hash") return indicator_type::sha1;
  if (n == "sha256" || n == "sha-256" || n == "sha256_hash") return indicator_type::sha256;
  return std::nullopt;
}

bool ip_prefix::is_v4() const {
  static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return length >= 96 && std::memcmp(address.data(), mapped, 12) == 0;
}

std::string ip_prefix::text() const {
  char buffer[64];
  std::string out;
  if (is_v4()) {
    char* p = buffer;
    auto number = [&p](unsigned n) {
      if (n >= 100) *p++ = static_cast<char>('0' + n / 100);
      if (n >= 10) *p++ = static_cast<char>('0' + n / 10 % 10);
      *p++ = static_cast<char>('0' + n % 10);
    };
    for (int i = 12; i < 16; ++i) {
      number(address[static_cast<std::size_t>(i)]);
      if (i < 15) *p++ = '.';
    }
    if (length < 128) {
      *p++ = '/';
      number(length - 96u);
    }
    out.assign(buffer, p);
    return out;
  }
  // IPv6 as inet_ntop writes it (RFC 5952: lowercase hex without leading
  // zeros, the longest run of two or more zero groups as "::", the first
  // of equal runs; an IPv4 tail for ::a.b.c.d and ::ffff:a.b.c.d), by hand:
  // glibc's formats each group through sprintf, and every IPv6 indicator of
  // a feed is written once at load.
  std::array<unsigned, 8> words{};
  for (std::size_t i = 0; i < 8; ++i) words[i] = (unsigned{address[2 * i]} << 8) | address[2 * i + 1];
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[static_cast<std::size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  char* p = buffer;
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) *p++ = ':';
      continue;
    }
    if (i != 0) *p++ = ':';
    // An embedded IPv4 address: ::a.b.c.d or ::ffff:a.b.c.d.
    if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
      for (int k = 12; k < 16; ++k) {
        const unsigned n = address[static_cast<std::size_t>(k)];
        if (n >= 100) *p++ = static_cast<char>('0' + n / 100);
        if (n >= 10) *p++ = static_cast<char>('0' + n / 10 % 10);
        *p++ = static_cast<char>('0' + n % 10);
        if (k < 15) *p++ = '.';
      }
      break;
    }
    const unsigned w = words[static_cast<std::size_t>(i)];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nibble = (w >> shift) & 0xF;
      if (nibble != 0 || started || shift == 0) {
        *p++ = hex[nibble];
        started = true;
      }
    }
  }
  if (best >= 0 && best + best_len == 8) *p++ = ':';
  out.assign(buffer, p);
  if (length < 128) out += "/" + std::to_string(length);
  return out;
}

void mask(ip_prefix& prefix) {
  for (std::size_t bit = prefix.length; bit < 128; ++bit) {
    prefix.address[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  }
}

std::optional<ip_prefix> parse_ip_address(std::string_view text) {
  ip_prefix out;
  if (!parse_address(trim(text), out)) return std::nullopt;
  return out;
}

bool parse_dotted_quad(std::string_view text, std::uint32_t& out) {
  if (text.size() < 7 || text.size() > 15) return false;
  const char* p = text.data();
  const char* const end = p + text.size();
  auto digit = [&p, end](unsigned& d) {
    if (p == end) return false;
    d = static_cast<unsigned>(static_cast<unsigned char>(*p) - '0');
    return d <= 9;
  };
  std::uint32_t address = 0;
  for (int part = 0; part < 4; ++part) {
    // One to three digits, then '.' (or the end, after the fourth).
    unsigned value = 0, d = 0;
    if (!digit(d)) return false;
    value = d;
    ++p;
    if (digit(d)) {
      value = value * 10 + d;
      ++p;
      if (digit(d)) {
        value = value * 10 + d;
        ++p;
        if (value > 255) return false;
      }
    }
    address = address << 8 | value;
    if (part < 3) {
      if (p == end || *p != '.') return false;
      ++p;
    }
  }
  if (p != end) return false;
  out = address;
  return true;
}

std::optional<ip_prefix> parse_ip_prefix(std::string_view text) {
  text = trim(text);
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return parse_ip_address(text);
  std::string_view bits = text.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), is_digit)) {
    return std::nullopt;
  }
  unsigned length = 0;
  for (char c : bits) length = length * 10 + static_cast<unsigned>(c - '0');
  ip_prefix out;
  std::string_view host = text.substr(0, slash);
  if (host.find(':') != std::string_view::npos) {
    if (!parse_v6(host, out.address.data()) || length > 128) return std::nullopt;
    out.length = static_cast<std::uint8_t>(length);
  } else {
    std::uint8_t v4[4];
    if (!parse_v4(host, v4) || length > 32) return std::nullopt;
    out.address[10] = out.address[11] = 0xff;
    std::memcpy(out.address.data() + 12, v4, 4);
    out.length = static_cast<std::uint8_t>(96 + length);
  }
  mask(out);
  return out;
}

std::optional<std::string> normalize_domain(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  std::size_t label = 0;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (label == 0) return std::nullopt;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_' || u >= 0x80) {
      ++label;
    } else if (c >= 'A' && c <= 'Z') {
      c = lower(c);
      ++label;
    } else {
      return std::nullopt;
    }
    if (label > 63) return std::nullopt;
    out.push_back(c);
  }
  if (label == 0) return std::nullopt;
  return out;
}

bool normalize_url(std::string_view text, std::string& out, bool require_scheme) {
  text = trim(text);
  std::size_t start = out.size();
  std::string_view scheme;
  std::size_t sep = text.find("://");
  std::string_view rest = text;
  if (sep != std::string_view::npos && sep > 0 &&
      std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(sep), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '+' ||
               c == '-' || c == '.';
      })) {
    scheme = text.substr(0, sep);
    rest = text.substr(sep + 3);
  } else if (require_scheme) {
    return false;
  }
  // Authority: up to the first '/', '?' or '#'.
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return false;
      port = authority.substr(close + 2);
    }
  } else if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty() || !std::all_of(port.begin(), port.end(), is_digit) || port.size() > 5) {
    return false;
  }
  for (char c : host) {
    if (c == ' ' || c == '\t' || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  for (char c : scheme) out.push_back(lower(c));
  std::string lowered_scheme = out.substr(start);
  if (!scheme.empty()) out.append("://");
  for (char c : host) out.push_back(lower(c));
  if (!host.empty() && host.back() == '.') out.pop_back();
  while (port.size() > 1 && port.front() == '0') port.remove_prefix(1);
  bool default_port = (lowered_scheme == "http" && port == "80") ||
                      (lowered_scheme == "https" && port == "443") ||
                      (lowered_scheme == "ftp" && port == "21");
  if (!port.empty() && !default_port) {
    out.push_back(':');
    out.append(port);
  }
  tail = tail.substr(0, tail.find('#'));
  if (tail.empty() || tail.front() != '/') out.push_back('/');
  out.append(tail);
  return true;
}

std::string_view url_host(std::string_view url) {
  std::size_t sep = url.find("://");
  if (sep != std::string_view::npos) url.remove_prefix(sep + 3);
  url = url.substr(0, url.find('/'));
  if (!url.empty() && url.front() == '[') return url.substr(0, url.find(']') + 1);
  return url.substr(0, url.rfind(':'));
}

std::optional<indicator_type> normalize_hash(std::string_view text, std::string& out) {
  text = trim(text);
  indicator_type type;
  switch (text.size()) {
    case 32: type = indicator_type::md5; break;
    case 40: type = indicator_type::sha1; break;
    case 64: type = indicator_type::sha256; break;
    default: return std::nullopt;
  }
  // Without branches per character: random hex digits defeat the predictor.
  out.resize(text.size());
  bool valid = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    auto l = static_cast<unsigned char>(c | 0x20);
    bool digit = static_cast<unsigned>(c - '0') < 10;
    bool letter = static_cast<unsigned>(l - 'a') < 6;
    valid &= digit | letter;
    out[i] = static_cast<char>(digit ? c : l);
  }
  if (!valid) {
    out.clear();
    return std::nullopt;
  }
  return type;
}

std::optional<detected> detect(std::string_view token) {
  token = trim(token);
  if (token.empty()) return std::nullopt;
  detected d;
  if (auto ip = parse_ip_prefix(token)) {
    d.type = indicator_type::ip;
    d.ip = *ip;
    d.value = ip->text();
    return d;
  }
  if (token.find("://") != std::string_view::npos) {
    if (!normalize_url(token, d.value)) return std::nullopt;
    d.type = indicator_type::url;
    return d;
  }
  if (auto hash = normalize_hash(token, d.value)) {
    d.type = *hash;
    return d;
  }
  if (std::size_t slash = token.find('/'); slash != std::string_view::npos) {
    // "host/path" without a scheme.
    std::string_view host = token.substr(0, slash);
    std::string_view bare = host.substr(0, host.rfind(':'));
    if (!normalize_domain(bare) && !parse_ip_address(host)) return std::nullopt;
    if (!normalize_url(token, d.value, false)) return std::nullopt;
    d.type = indicator_type::url;
    return d;
  }
  // A domain has a dot and a label that is not all digits at the end.
  if (token.find('.') == std::string_view::npos) return std::nullopt;
  auto domain = normalize_domain(token);
  if (!domain) return std::nullopt;
  std::string_view tld = std::string_view(*domain).substr(domain->rfind('.') + 1);
  if (std::all_of(tld.begin(), tld.end(), is_digit)) return std::nullopt;
  d.type = indicator_type::domain;
  d.value = std::move(*domain);
  return d;
}

std::optional<detected> read_as(indicator_type type, std::string_view token) {
  token = trim(token);
  detected d;
  d.type = type;
  switch (type) {
    case indicator_type::domain: {
      if (parse_ip_prefix(token)) return std::nullopt;  // an address is not a name
      auto domain = normalize_domain(token);
      if (!domain) return std::nullopt;
      d.value = std::move(*domain);
      return d;
    }
    case indicator_type::ip: {
      auto ip = parse_ip_prefix(token);
      if (!ip) return std::nullopt;
      d.ip = *ip;
      d.value = ip->text();
      return d;
    }
    case indicator_type::url:
      if (!normalize_url(token, d.value, token.find("://") != std::string_view::npos)) {
        return std::nullopt;
      }
      return d;
    case indicator_type::md5:
    case indicator_type::sha1:
    case indicator_type::sha256: {
      auto hash = normalize_hash(token, d.value);
      if (!hash || *hash != type) return std::nullopt;
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace mimamori::intel
