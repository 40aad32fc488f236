#include "pcap/http.hpp"

#include <array>

namespace mimamori::pcap {

namespace {

constexpr std::array<std::string_view, 10> methods = {"GET ",    "POST ",    "HEAD ",    "PUT ",
                                                      "DELETE ", "OPTIONS ", "CONNECT ", "PATCH ",
                                                      "TRACE ",  "PROPFIND "};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

bool looks_like_http_request(std::string_view start) {
  for (std::string_view m : methods) {
    std::size_t n = std::min(m.size(), start.size());
    if (start.substr(0, n) == m.substr(0, n)) return true;
  }
  return false;
}

http_status parse_http_request(std::string_view stream, http_request& out) {
  out = http_request{};
  // Empty lines before a request are ignored (RFC 9112 2.2), as servers do.
  std::size_t skipped = 0;
  while (skipped < stream.size() && (stream[skipped] == '\r' || stream[skipped] == '\n')) {
    ++skipped;
  }
  std::string_view s = stream.substr(skipped);
  if (!looks_like_http_request(s)) return http_status::not_http;
  std::size_t line_end = s.find('\n');
  if (line_end == std::string_view::npos) return http_status::need_more;
  std::string_view line = s.substr(0, line_end);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return http_status::not_http;
  out.method = line.substr(0, sp1);
  std::string_view rest = line.substr(sp1 + 1);
  std::size_t sp2 = rest.rfind(' ');
  if (sp2 == std::string_view::npos) {
    out.target = rest;
    // HTTP/0.9 ("GET /path") has no headers; a request line without a
    // version that headers follow is read with them, as libhtp does.
    if (line_end + 1 == s.size()) {
      out.version = "0.9";
      out.head_length = skipped + line_end + 1;
      return http_status::ok;
    }
  } else {
    out.target = rest.substr(0, sp2);
    std::string_view version = rest.substr(sp2 + 1);
    if (version.substr(0, 5) != "HTTP/") return http_status::not_http;
    out.version = version.substr(5);
  }

  // Headers up to the blank line.
  std::size_t at = line_end + 1;
  while (true) {
    std::size_t end = s.find('\n', at);
    if (end == std::string_view::npos) return http_status::need_more;
    std::string_view header = s.substr(at, end - at);
    if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
    at = end + 1;
    if (header.empty()) break;
    std::size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = header.substr(0, colon);
    std::string_view value = trim(header.substr(colon + 1));
    if (equals_ignoring_case(name, "host")) {
      if (out.host.empty()) out.host = value;
    } else if (equals_ignoring_case(name, "user-agent")) {
      out.user_agent = value;
    } else if (equals_ignoring_case(name, "referer")) {
      out.referrer = value;
    } else if (equals_ignoring_case(name, "content-length")) {
      std::uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9' || n > (1ULL << 40)) break;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      out.content_length = n;
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      out.chunked = value.find("chunked") != std::string_view::npos;
    }
  }
  out.head_length = skipped + at;
  return http_status::ok;
}

}  // namespace mimamori::pcap
