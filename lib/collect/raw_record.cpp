#include "collect/raw_record.hpp"

#include <charconv>

#include "event/builder.hpp"
#include "ndjson/json_text.hpp"
#include "time/format.hpp"

namespace mimamori::collect {

void append_raw_record(std::string& out, const source_tags& tags, const received& r) {
  char stamp[time::utc_ms_length];
  time::write_utc_ms(stamp, r.when);
  std::string_view when(stamp, sizeof stamp);

  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", when);
  b.key("event").begin_object().field("original", r.text).field("created", when).end_object();
  b.key("input").begin_object().field("type", r.input_type).end_object();
  if (!r.file_path.empty() || r.has_offset || !r.peer_ip.empty()) {
    b.key("log").begin_object();
    if (!r.file_path.empty()) b.key("file").begin_object().field("path", r.file_path).end_object();
    if (r.has_offset) b.field("offset", r.offset);
    if (!r.peer_ip.empty()) {
      // "addr:port", IPv6 as "[addr]:port"; through the builder so that
      // the comma before the next member is written
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
      b.key("source").begin_object().field("address", std::string_view(address, n));
      b.end_object();
    }
    b.end_object();
  }
  if (!tags.observer_hostname.empty() || !tags.observer_vendor.empty() ||
      !tags.observer_product.empty() || !tags.observer_type.empty() || !r.peer_ip.empty()) {
    b.key("observer").begin_object();
    if (!tags.observer_hostname.empty()) b.field("hostname", tags.observer_hostname);
    if (!r.peer_ip.empty()) b.field("ip", r.peer_ip);
    if (!tags.observer_vendor.empty()) b.field("vendor", tags.observer_vendor);
    if (!tags.observer_product.empty()) b.field("product", tags.observer_product);
    if (!tags.observer_type.empty()) b.field("type", tags.observer_type);
    b.end_object();
  }
  b.key("organization").begin_object().field("id", tags.organization).end_object();
  if (r.truncated) b.key("tags").begin_array().value("truncated").end_array();
  if (!ndjson::is_valid_utf8(r.text)) {
    b.key("mimamori").begin_object().key("original_base64");
    out.push_back('"');
    ndjson::append_base64(out, r.text);
    out.push_back('"');
    b.end_object();
  }
  b.end_object();
}

}  // namespace mimamori::collect
