#include "collect/raw_record.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

#include "ndjson/json_text.hpp"
#include "time/format.hpp"

namespace mimamori::collect {

namespace {

// Records arrive many to a millisecond: its text is written once per thread.
struct stamp_cache {
  std::int64_t ms = std::numeric_limits<std::int64_t>::min();
  char text[time::utc_ms_length]{};
};

std::string_view receive_stamp(time::timestamp when) {
  thread_local stamp_cache cache;
  std::int64_t ms = when.millis();
  if (ms != cache.ms) {
    time::write_utc_ms(cache.text, when);
    cache.ms = ms;
  }
  return {cache.text, sizeof cache.text};
}

}  // namespace

// Written member by member rather than through event::builder: this runs
// for every message logcollect receives, and the keys are known. The bytes
// are the builder's (compact, members in this order); the golden cases in
// tests/cli/logcollect hold them.
void append_raw_record(std::string& out, const source_tags& tags, const received& r) {
  std::string_view when = receive_stamp(r.when);
  out.append(R"({"@timestamp":")");
  out.append(when);
  out.append(R"(","event":{"original":")");
  bool valid_utf8 = ndjson::append_escaped_checking(out, r.text);
  out.append(R"(","created":")");
  out.append(when);
  out.append(R"("},"input":{"type":)");
  ndjson::append_string(out, r.input_type);
  out.push_back('}');
  if (!r.file_path.empty() || r.has_offset || !r.peer_ip.empty()) {
    out.append(R"(,"log":{)");
    bool first = true;
    if (!r.file_path.empty()) {
      out.append(R"("file":{"path":)");
      ndjson::append_string(out, r.file_path);
      out.push_back('}');
      first = false;
    }
    if (r.has_offset) {
      out.append(first ? R"("offset":)" : R"(,"offset":)");
      ndjson::append_uint(out, r.offset);
      first = false;
    }
    if (!r.peer_ip.empty()) {
      // "addr:port", IPv6 as "[addr]:port"
      char address[64];
      std::size_t n = 0;
      bool v6 = r.peer_ip.find(':') != std::string_view::npos;
      std::string_view ip = r.peer_ip.substr(0, sizeof address - 10);
      if (v6) address[n++] = '[';
      ip.copy(address + n, ip.size());
      n += ip.size();
      if (v6) address[n++] = ']';
      address[n++] = ':';
      auto port = std::to_chars(address + n, address + sizeof address, r.peer_port);
      n = static_cast<std::size_t>(port.ptr - address);
      out.append(first ? R"("source":{"address":)" : R"(,"source":{"address":)");
      ndjson::append_string(out, std::string_view(address, n));
      out.push_back('}');
    }
    out.push_back('}');
  }
  if (!tags.observer_hostname.empty() || !tags.observer_vendor.empty() ||
      !tags.observer_product.empty() || !tags.observer_type.empty() || !r.peer_ip.empty()) {
    out.append(R"(,"observer":{)");
    bool first = true;
    auto member = [&](std::string_view key, std::string_view value) {
      if (value.empty()) return;
      if (!first) out.push_back(',');
      first = false;
      out.push_back('"');
      out.append(key);
      out.append("\":");
      ndjson::append_string(out, value);
    };
    member("hostname", tags.observer_hostname);
    member("ip", r.peer_ip);
    member("vendor", tags.observer_vendor);
    member("product", tags.observer_product);
    member("type", tags.observer_type);
    out.push_back('}');
  }
  out.append(R"(,"organization":{"id":)");
  ndjson::append_string(out, tags.organization);
  out.push_back('}');
  if (r.truncated) out.append(R"(,"tags":["truncated"])");
  if (!valid_utf8) {
    out.append(R"(,"mimamori":{"original_base64":")");
    ndjson::append_base64(out, r.text);
    out.append(R"("})");
  }
  out.push_back('}');
}

}  // namespace mimamori::collect
