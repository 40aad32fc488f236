// scan: shared scanners.
#include "parsers/scan.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace mimamori::parsers {

std::optional<std::int64_t> to_int(std::string_view t) {
  if (t.empty() || t.size() > 18) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (t[0] == '-' || t[0] == '+') {
    negative = t[0] == '-';
    i = 1;
    if (t.size() == 1) return std::nullopt;
  }
  std::int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return std::nullopt;
    v = v * 10 + (t[i] - '0');
  }
  return negative ? -v : v;
}

namespace {

bool is_ipv4(std::string_view t) {
  int parts = 0;
  std::size_t i = 0;
  while (i < t.size()) {
    int value = 0, digits = 0;
    while (i < t.size() && is_digit(t[i])) {
      value = value * 10 + (t[i] - '0');
      if (++digits > 3) return false;
      ++i;
    }
    if (digits == 0 || value > 255) return false;
    ++parts;
    if (i == t.size()) break;
    if (t[i] != '.' || parts == 4) return false;
    ++i;
    if (i == t.size()) return false;
  }
  return parts == 4;
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_ipv6(std::string_view t) {
  if (const std::size_t zone = t.find('%'); zone != std::string_view::npos) t = t.substr(0, zone);
  if (t.size() < 2 || t.size() > 45) return false;
  int groups = 0, run = 0;
  bool double_colon = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (is_hex(c)) {
      if (++run > 4) return false;
    } else if (c == ':') {
      if (run > 0) ++groups;
      run = 0;
      if (i + 1 < t.size() && t[i + 1] == ':') {
        if (double_colon) return false;
        double_colon = true;
        ++i;
      } else if (i == 0 || i + 1 == t.size()) {
        return false;
      }
    } else if (c == '.') {
      // An embedded IPv4 tail: the rest from the last group's start.
      const std::size_t start = t.rfind(':', i);
      return start != std::string_view::npos && is_ipv4(t.substr(start + 1)) &&
             (double_colon || groups == 6);
    } else {
      return false;
    }
  }
  if (run > 0) ++groups;
  return double_colon ? groups < 8 : groups == 8;
}

}  // namespace

bool is_ip(std::string_view t) {
  if (t.empty()) return false;
  return t.find(':') != std::string_view::npos ? is_ipv6(t) : is_ipv4(t);
}

std::string_view take_until(std::string_view& s, char d) {
  const std::size_t at = s.find(d);
  std::string_view head = s.substr(0, at);
  s = at == std::string_view::npos ? std::string_view{} : s.substr(at + 1);
  return head;
}

bool consume(std::string_view& s, std::string_view prefix) {
  if (!starts_with(s, prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

bool next_kv(std::string_view text, std::size_t& pos, kv_pair& out) {
  const char* t = text.data();
  const std::size_t size = text.size();
  for (;;) {
    while (pos < size && (t[pos] == ' ' || t[pos] == '\t' || t[pos] == ',')) ++pos;
    if (pos >= size) return false;
    // The key: up to '='; a blank first means a stray word, skipped.
    std::size_t eq = pos;
    while (eq < size && t[eq] != '=' && t[eq] != ' ') ++eq;
    if (eq == size) {
      // No '=' after this word; one may still follow a stray word.
      if (static_cast<const void*>(std::memchr(t + pos, '=', size - pos)) == nullptr) return false;
      pos = eq;
      continue;
    }
    if (t[eq] == ' ') {
      if (static_cast<const void*>(std::memchr(t + eq, '=', size - eq)) == nullptr) return false;
      pos = eq;
      continue;
    }
    out.key = text.substr(pos, eq - pos);
    std::size_t i = eq + 1;
    if (i < size && t[i] == '"') {
      const std::size_t start = i + 1;
      // The closing quote; a backslash escapes the character after it.
      const void* q = start < size ? std::memchr(t + start, '"', size - start) : nullptr;
      const std::size_t close = q ? static_cast<std::size_t>(static_cast<const char*>(q) - t) : size;
      if (std::memchr(t + start, '\\', close - start) == nullptr) {
        i = close;
      } else {
        for (i = start; i < size && t[i] != '"'; ++i) {
          if (t[i] == '\\') ++i;
        }
      }
      out.value = text.substr(start, std::min(i, size) - start);
      out.quoted = true;
      pos = i + 1;
    } else {
      const std::size_t start = i;
      while (i < size && t[i] != ' ' && t[i] != '\t') ++i;
      out.value = text.substr(start, i - start);
      out.quoted = false;
      pos = i;
    }
    return true;
  }
}

void set_endpoint(fields& out, std::string_view prefix, std::string_view ip,
                  std::string_view port) {
  // Paths are literals of the families; build them from a small table.
  struct paths {
    std::string_view prefix, ip, port;
  };
  static constexpr paths table[] = {
      {"source", "source.ip", "source.port"},
      {"destination", "destination.ip", "destination.port"},
      {"source.nat", "source.nat.ip", "source.nat.port"},
      {"destination.nat", "destination.nat.ip", "destination.nat.port"},
      {"client", "client.ip", "client.port"},
      {"server", "server.ip", "server.port"},
  };
  for (const auto& p : table) {
    if (p.prefix != prefix) continue;
    if (is_ip(ip)) {
      out.set(p.ip, ip);
      out.add("related.ip", ip);
    }
    if (auto n = to_int(port); n && *n >= 0 && *n <= 65535) out.set_int(p.port, *n);
    return;
  }
}

void set_lower(fields& out, std::string_view path, std::string_view value) {
  char buffer[64];
  if (value.size() > sizeof buffer) {
    out.set(path, value);
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    buffer[i] = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
  }
  out.set_copy(path, std::string_view(buffer, value.size()));
}

bool split_ip_port(std::string_view text, char sep, std::string_view& ip, std::string_view& port) {
  const std::size_t at = text.rfind(sep);
  if (at == std::string_view::npos) return false;
  ip = text.substr(0, at);
  port = text.substr(at + 1);
  return true;
}

void set_url(fields& out, std::string_view url) {
  if (url.empty() || url == "-") return;
  out.set("url.original", url);
  std::string_view rest = url;
  const std::size_t scheme = rest.find("://");
  if (scheme != std::string_view::npos) {
    out.set("url.scheme", rest.substr(0, scheme));
    rest = rest.substr(scheme + 3);
  }
  const std::size_t path = rest.find('/');
  std::string_view host = rest.substr(0, path);
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos &&
                                                 host.find(']') == std::string_view::npos &&
                                                 host.find(':') == colon) {
    if (auto p = to_int(host.substr(colon + 1))) out.set_int("url.port", *p);
    host = host.substr(0, colon);
  }
  if (!host.empty()) out.set("url.domain", host);
  if (path != std::string_view::npos) {
    std::string_view p = rest.substr(path);
    const std::size_t q = p.find('?');
    if (q != std::string_view::npos) {
      out.set("url.query", p.substr(q + 1));
      p = p.substr(0, q);
    }
    out.set("url.path", p);
  }
}

}  // namespace mimamori::parsers
