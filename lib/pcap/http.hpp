// http: an HTTP/1.x request head (request line and headers).
//
// parse_http_request looks at the start of a client's byte stream and says
// whether it holds a complete request head, needs more bytes, or is not
// HTTP. The parsed parts point into the buffer.
#pragma once

#include <cstdint>
#include <string_view>

namespace mimamori::pcap {

struct http_request {
  std::string_view method;
  std::string_view target;   // the request-target as sent (url.original)
  std::string_view version;  // "1.1"
  std::string_view host;
  std::string_view user_agent;
  std::string_view referrer;
  std::uint64_t content_length = 0;
  bool chunked = false;
  std::size_t head_length = 0;  // bytes up to and including the blank line
};

enum class http_status { ok, need_more, not_http };

http_status parse_http_request(std::string_view stream, http_request& out);

// true if the stream may start an HTTP request (a known method and a space,
// or a prefix of one): used to decide whether to keep a flow's bytes.
[[nodiscard]] bool looks_like_http_request(std::string_view start);

}  // namespace mimamori::pcap
