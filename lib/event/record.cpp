#include "event/record.hpp"

namespace mimamori::event {

namespace {

std::optional<simdjson::dom::element> find_in(simdjson::dom::element at, std::string_view path) {
  simdjson::dom::object object;
  if (at.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::element child;
  std::size_t dot = path.find('.');
  if (dot == std::string_view::npos) {
    if (object.at_key(path).get(child) == simdjson::SUCCESS) return child;
    return std::nullopt;
  }
  if (object.at_key(path.substr(0, dot)).get(child) == simdjson::SUCCESS) {
    if (auto found = find_in(child, path.substr(dot + 1))) return found;
  }
  // A flattened key: {"source.ip": ...} or {"source": {"geo.country": ...}}.
  if (object.at_key(path).get(child) == simdjson::SUCCESS) return child;
  return std::nullopt;
}

}  // namespace

std::optional<simdjson::dom::element> record::find(std::string_view path) const {
  return find_in(root_, path);
}

std::optional<std::string_view> record::string(std::string_view path) const {
  auto e = find(path);
  std::string_view v;
  if (e && e->get_string().get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::optional<std::int64_t> record::integer(std::string_view path) const {
  auto e = find(path);
  std::int64_t v = 0;
  if (e && e->get_int64().get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::optional<double> record::number(std::string_view path) const {
  auto e = find(path);
  double v = 0;
  if (e && e->get_double().get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::optional<bool> record::boolean(std::string_view path) const {
  auto e = find(path);
  bool v = false;
  if (e && e->get_bool().get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::string_view describe(parse_error error) {
  switch (error) {
    case parse_error::none: return "ok";
    case parse_error::not_json: return "not JSON";
    case parse_error::not_object: return "JSON but not an object";
    case parse_error::invalid_utf8: return "invalid UTF-8";
    case parse_error::too_large: return "record too large to parse";
  }
  return "unknown error";
}

parse_error parser::finish(std::string_view text, simdjson::error_code code,
                           simdjson::dom::element root) {
  parse_error error = parse_error::none;
  switch (code) {
    case simdjson::SUCCESS:
      if (root.type() != simdjson::dom::element_type::OBJECT) error = parse_error::not_object;
      break;
    case simdjson::UTF8_ERROR: error = parse_error::invalid_utf8; break;
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
    case simdjson::DEPTH_ERROR: error = parse_error::too_large; break;
    default: error = parse_error::not_json; break;
  }
  if (error == parse_error::none) {
    record_ = record(text, root);
    message_ = {};
  } else {
    record_ = record();
    message_ = error == parse_error::not_json ? std::string_view(simdjson::error_message(code))
                                              : describe(error);
  }
  return error;
}

parse_error parser::parse(std::string_view line) {
  simdjson::dom::element root;
  auto code = parser_.parse(line.data(), line.size(), false).get(root);
  return finish(line, code, root);
}

parse_error parser::parse_copy(std::string_view text) {
  simdjson::dom::element root;
  auto code = parser_.parse(text.data(), text.size(), true).get(root);
  return finish(text, code, root);
}

}  // namespace mimamori::event
