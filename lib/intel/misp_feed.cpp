// misp_feed: MISP events ({"Event": {...}}, a bare event, a search response
// {"response": [{"Event": ...}]}, a list of those), single attributes, and
// the event files of a MISP feed. Attributes are read from Event.Attribute
// and Event.Object[].Attribute.
#include <vector>

#include "intel/feed_parsers.hpp"

namespace mimamori::intel::detail {

namespace {

std::string_view string_of(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get_string().get(s) == simdjson::SUCCESS) return s;
  return {};
}

// to_ids and deleted come as booleans, "1"/"0" or 1/0.
std::optional<bool> flag_of(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::element v;
  if (e[key].get(v) != simdjson::SUCCESS) return std::nullopt;
  bool b = false;
  if (v.get_bool().get(b) == simdjson::SUCCESS) return b;
  std::int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) return i != 0;
  std::string_view s;
  if (v.get_string().get(s) == simdjson::SUCCESS) return s == "1" || s == "true";
  return std::nullopt;
}

// MISP attribute types to the indicator types; for compound types, which
// half holds what.
struct attribute_map {
  std::string_view misp;
  std::optional<indicator_type> first, second;
};

constexpr attribute_map attribute_types[] = {
    {"domain", indicator_type::domain, std::nullopt},
    {"hostname", indicator_type::domain, std::nullopt},
    {"ip-src", indicator_type::ip, std::nullopt},
    {"ip-dst", indicator_type::ip, std::nullopt},
    {"url", indicator_type::url, std::nullopt},
    {"md5", indicator_type::md5, std::nullopt},
    {"sha1", indicator_type::sha1, std::nullopt},
    {"sha256", indicator_type::sha256, std::nullopt},
    {"domain|ip", indicator_type::domain, indicator_type::ip},
    {"hostname|port", indicator_type::domain, std::nullopt},
    {"ip-src|port", indicator_type::ip, std::nullopt},
    {"ip-dst|port", indicator_type::ip, std::nullopt},
    {"filename|md5", std::nullopt, indicator_type::md5},
    {"filename|sha1", std::nullopt, indicator_type::sha1},
    {"filename|sha256", std::nullopt, indicator_type::sha256},
    {"malware-sample", std::nullopt, indicator_type::md5},
};

// estimative-language:confidence-in-analytic-judgment="high" and the
// misp:confidence-level taxonomy, as a 0-100 number.
int confidence_of_tag(std::string_view tag) {
  if (tag.find("confidence") == std::string_view::npos) return -1;
  if (tag.find("\"high\"") != std::string_view::npos ||
      tag.find("completely-confident") != std::string_view::npos) {
    return 85;
  }
  if (tag.find("\"moderate\"") != std::string_view::npos ||
      tag.find("usually-confident") != std::string_view::npos ||
      tag.find("fairly-confident") != std::string_view::npos) {
    return 50;
  }
  if (tag.find("\"low\"") != std::string_view::npos ||
      tag.find("rarely-confident") != std::string_view::npos ||
      tag.find("unconfident") != std::string_view::npos) {
    return 15;
  }
  return -1;
}

void tags_of(simdjson::dom::element e, std::vector<std::string>& tags, int& confidence) {
  simdjson::dom::array array;
  if (e["Tag"].get_array().get(array) != simdjson::SUCCESS) return;
  for (auto t : array) {
    std::string_view name = string_of(t, "name");
    if (name.empty()) continue;
    tags.emplace_back(name);
    if (int c = confidence_of_tag(name); c >= 0) confidence = c;
  }
}

class misp_reader {
 public:
  explicit misp_reader(sink& out) : out_(out) {}

  void event(simdjson::dom::element e) {
    ++events_;
    event_context_ = context{};
    event_context_.description = string_of(e, "info");
    simdjson::dom::element orgc;
    if (e["Orgc"].get(orgc) == simdjson::SUCCESS) event_context_.provider = string_of(orgc, "name");
    tags_of(e, event_context_.tags, event_context_.confidence);
    event_uuid_ = string_of(e, "uuid");
    simdjson::dom::array array;
    if (e["Attribute"].get_array().get(array) == simdjson::SUCCESS) {
      for (auto a : array) attribute(a);
    }
    if (e["Object"].get_array().get(array) == simdjson::SUCCESS) {
      for (auto o : array) {
        if (flag_of(o, "deleted").value_or(false)) continue;
        simdjson::dom::array attributes;
        if (o["Attribute"].get_array().get(attributes) == simdjson::SUCCESS) {
          for (auto a : attributes) attribute(a);
        }
      }
    }
  }

  void attribute(simdjson::dom::element a) {
    std::string_view type = string_of(a, "type");
    std::string_view value = string_of(a, "value");
    if (type.empty() || value.empty()) {
      out_.bad(0, "attribute " + where(a) + "has no type or value");
      return;
    }
    const attribute_map* map = nullptr;
    for (const auto& m : attribute_types) {
      if (m.misp == type) map = &m;
    }
    if (map == nullptr) {
      out_.skipped();  // text, filename, regkey...: not something to match on
      return;
    }
    if (flag_of(a, "deleted").value_or(false)) {
      out_.skipped();
      return;
    }
    if (!out_.options().misp_all_attributes && !flag_of(a, "to_ids").value_or(true)) {
      out_.skipped();
      return;
    }
    context c = event_context_;
    std::string_view comment = string_of(a, "comment");
    if (!comment.empty()) c.description = comment;
    tags_of(a, c.tags, c.confidence);
    std::optional<time::timestamp> first;
    std::string_view seen = string_of(a, "first_seen");
    if (!seen.empty()) first = parse_feed_time(seen);
    if (!first) {
      std::string_view stamp = string_of(a, "timestamp");
      if (!stamp.empty()) first = parse_feed_time(stamp);
    }
    std::uint32_t ctx = out_.context_id(std::move(c));

    auto [left, right] = split_pipe(value);
    auto one = [&](std::optional<indicator_type> t, std::string_view part) {
      if (!t) return;
      // "ip-dst|port" values are "192.0.2.1|443"; a bare part is what counts.
      auto v = read_as(*t, part);
      if (!v) {
        out_.bad(0, "attribute " + where(a) + "value '" + std::string(part) + "' is not a valid " +
                        std::string(type));
        return;
      }
      out_.add(*v, ctx, first);
    };
    if (map->first) one(map->first, type.find('|') == std::string_view::npos ? value : left);
    if (map->second) one(map->second, right.empty() ? value : right);
  }

  void any(simdjson::dom::element root) {
    simdjson::dom::element inner;
    simdjson::dom::array array;
    if (root.get_array().get(array) == simdjson::SUCCESS) {
      for (auto item : array) any(item);
      return;
    }
    if (root.type() != simdjson::dom::element_type::OBJECT) return;
    if (root["Event"].get(inner) == simdjson::SUCCESS) {
      event(inner);
    } else if (root["response"].get(inner) == simdjson::SUCCESS) {
      any(inner);
    } else if (root["Attribute"].get(inner) == simdjson::SUCCESS &&
               inner.type() == simdjson::dom::element_type::OBJECT) {
      any(inner);  // {"Attribute": {...}} from the attributes API
    } else if (root["Attribute"].get(inner) == simdjson::SUCCESS ||
               root["Object"].get(inner) == simdjson::SUCCESS ||
               root["info"].get(inner) == simdjson::SUCCESS) {
      event(root);
    } else if (root["type"].get(inner) == simdjson::SUCCESS &&
               root["value"].get(inner) == simdjson::SUCCESS) {
      event_context_ = context{};
      attribute(root);
    }
  }

  [[nodiscard]] std::size_t events() const { return events_; }

 private:
  std::string where(simdjson::dom::element a) const {
    std::string_view uuid = string_of(a, "uuid");
    if (uuid.empty()) return {};
    return std::string(uuid) + " ";
  }

  sink& out_;
  context event_context_;
  std::string_view event_uuid_;
  std::size_t events_ = 0;
};

}  // namespace

void read_misp(simdjson::dom::element root, sink& out) {
  misp_reader reader(out);
  reader.any(root);
}

}  // namespace mimamori::intel::detail
