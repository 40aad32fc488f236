#include "collect/raw_record.hpp"

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
      b.key("source").begin_object().key("address");
      out.push_back('"');
      if (r.peer_ip.find(':') != std::string_view::npos) {  // IPv6: [addr]:port
        out.push_back('[');
        out.append(r.peer_ip);
        out.push_back(']');
      } else {
        out.append(r.peer_ip);
      }
      out.push_back(':');
      ndjson::append_uint(out, r.peer_port);
      out.push_back('"');
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
