#include "analytics/fields.hpp"

#include "ndjson/json_text.hpp"

namespace mimamori::analytics {

namespace {

// A scalar element's text; numbers are written into `buffer`.
std::optional<std::string_view> scalar_text(simdjson::dom::element e, std::string& buffer) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: return e.get_string().value_unsafe();
    case simdjson::dom::element_type::INT64:
      buffer.clear();
      ndjson::append_int(buffer, e.get_int64().value_unsafe());
      return std::string_view(buffer);
    case simdjson::dom::element_type::UINT64:
      buffer.clear();
      ndjson::append_uint(buffer, e.get_uint64().value_unsafe());
      return std::string_view(buffer);
    default: return std::nullopt;
  }
}

bool equals_lowered(std::string_view text, std::string_view lowered) {
  if (text.size() != lowered.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lowered[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> field_text(const event::record& e, std::string_view path,
                                           std::string& buffer) {
  const std::size_t plus = path.find('+');
  if (plus == std::string_view::npos) {
    auto element = e.find(path);
    if (!element) return std::nullopt;
    return scalar_text(*element, buffer);
  }
  std::string part;
  auto first = e.find(path.substr(0, plus));
  auto second = e.find(path.substr(plus + 1));
  if (!first || !second) return std::nullopt;
  auto a = scalar_text(*first, part);
  if (!a || a->empty()) return std::nullopt;
  std::string joined(*a);
  auto b = scalar_text(*second, part);
  if (!b || b->empty()) return std::nullopt;
  joined.push_back(':');
  joined.append(*b);
  buffer = std::move(joined);
  return std::string_view(buffer);
}

std::optional<found_field> first_field(const event::record& e, const std::vector<std::string>& paths,
                                       std::string& buffer) {
  for (const std::string& p : paths) {
    auto v = field_text(e, p, buffer);
    if (v && !v->empty()) return found_field{p, *v};
  }
  return std::nullopt;
}

bool field_equals_any(const event::record& e, const std::string& path,
                      const std::vector<std::string>& lowered) {
  auto element = e.find(path);
  if (!element) return false;
  std::string buffer;
  auto test = [&](simdjson::dom::element x) {
    auto text = scalar_text(x, buffer);
    if (!text) return false;
    for (const std::string& v : lowered) {
      if (equals_lowered(*text, v)) return true;
    }
    return false;
  };
  simdjson::dom::array items;
  if (element->get_array().get(items) == simdjson::SUCCESS) {
    for (simdjson::dom::element x : items) {
      if (test(x)) return true;
    }
    return false;
  }
  return test(*element);
}

bool is_ignored(std::string_view name, const std::vector<std::string>& ignored) {
  for (const std::string& i : ignored) {
    if (name == i) return true;
    if (name.size() > i.size() && name.ends_with(i) && name[name.size() - i.size() - 1] == '.') return true;
  }
  return false;
}

}  // namespace mimamori::analytics
