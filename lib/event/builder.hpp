// builder: writes a new JSON object straight into an output buffer.
//
//   event::builder b(out);
//   b.begin_object();
//   b.key("event").begin_object().field("kind", "event").end_object();
//   b.end_object();
//
// Commas are placed for you; strings are escaped and invalid UTF-8 is
// replaced (ndjson/json_text.hpp). Nothing is allocated beyond the buffer.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ndjson/json_text.hpp"

namespace mimamori::event {

class builder {
 public:
  explicit builder(std::string& out) : out_(out) {}

  builder& begin_object() {
    separate();
    out_.push_back('{');
    push();
    return *this;
  }
  builder& end_object() {
    out_.push_back('}');
    --depth_;
    return *this;
  }
  builder& begin_array() {
    separate();
    out_.push_back('[');
    push();
    return *this;
  }
  builder& end_array() {
    out_.push_back(']');
    --depth_;
    return *this;
  }
  builder& key(std::string_view name) {
    separate();
    if (!append_plain(name, ":")) {
      ndjson::append_string(out_, name);
      out_.push_back(':');
    }
    after_key_ = true;
    return *this;
  }
  builder& value(std::string_view text) {
    separate();
    if (!append_plain(text, "")) ndjson::append_string(out_, text);
    return *this;
  }
  builder& value(const char* text) { return value(std::string_view(text)); }
  builder& value(std::int64_t number) {
    separate();
    ndjson::append_int(out_, number);
    return *this;
  }
  builder& value(std::uint64_t number) {
    separate();
    ndjson::append_uint(out_, number);
    return *this;
  }
  builder& value(int number) { return value(static_cast<std::int64_t>(number)); }
  builder& value(double number) {
    separate();
    ndjson::append_double(out_, number);
    return *this;
  }
  builder& value(bool flag) {
    separate();
    out_.append(flag ? "true" : "false");
    return *this;
  }
  // A value that is JSON text already.
  builder& raw(std::string_view json) {
    separate();
    out_.append(json);
    return *this;
  }
  template <typename Value>
  builder& field(std::string_view name, Value v) {
    key(name);
    return value(v);
  }
  builder& raw_field(std::string_view name, std::string_view json) {
    key(name);
    return raw(json);
  }

  std::string& out() { return out_; }

 private:
  // Writes the comma that goes before a member or element, unless this is
  // the value of a key or the first item of its container.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0 && out_.back() != '{' && out_.back() != '[') out_.push_back(',');
  }
  void push() { ++depth_; }
  // Short printable ASCII without '"' or '\\' (keys, most values) is
  // written in one step, as append_string would write it; returns false,
  // writing nothing, for any other text.
  bool append_plain(std::string_view text, std::string_view suffix) {
    if (text.size() > 48) return false;
    for (char c : text) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') return false;
    }
    const std::size_t at = out_.size();
    out_.resize(at + text.size() + 2 + suffix.size());
    char* d = out_.data() + at;
    d[0] = '"';
    if (!text.empty()) std::memcpy(d + 1, text.data(), text.size());
    d[text.size() + 1] = '"';
    if (!suffix.empty()) std::memcpy(d + text.size() + 2, suffix.data(), suffix.size());
    return true;
  }

  std::string& out_;
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace mimamori::event
