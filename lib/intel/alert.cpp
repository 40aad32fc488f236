#include "intel/alert.hpp"

#include <array>

#include "event/builder.hpp"
#include "time/format.hpp"

namespace mimamori::intel {

namespace {

int severity_of(int confidence) {
  if (confidence >= 70) return 73;
  if (confidence >= 0 && confidence < 30) return 21;
  return 47;
}

using maybe_element = std::optional<simdjson::dom::element>;

// The event's members an alert copies, in the order it writes them.
constexpr std::array<std::string_view, 10> copied = {
    "source", "destination", "host", "user", "observer", "url", "dns", "tls", "file", "process"};

// The members of the matched event an alert reads, found in one pass over
// its top level (the first member of each name, as at_key finds it).
struct event_members {
  maybe_element timestamp, event, event_original, organization, organization_id;
  std::array<maybe_element, copied.size()> objects;
};

// Where a top-level member of this name goes (nothing for the others).
maybe_element* slot_of(event_members& m, std::string_view key) {
  auto object = [&m, key](std::size_t i) { return key == copied[i] ? &m.objects[i] : nullptr; };
  if (key.empty()) return nullptr;
  switch (key.front()) {
    case '@': return key == "@timestamp" ? &m.timestamp : nullptr;
    case 'e':
      if (key == "event") return &m.event;
      return key == "event.original" ? &m.event_original : nullptr;
    case 'o':
      if (key == "organization") return &m.organization;
      if (key == "organization.id") return &m.organization_id;
      return object(4);
    case 's': return object(0);
    case 'd': return key.size() == 3 ? object(6) : object(1);
    case 'h': return object(2);
    case 'u': return key.size() == 3 ? object(5) : object(3);
    case 't': return object(7);
    case 'f': return object(8);
    case 'p': return object(9);
    default: return nullptr;
  }
}

event_members read_members(const event::record& matched) {
  event_members m;
  simdjson::dom::object root;
  if (matched.root().get_object().get(root) != simdjson::SUCCESS) return m;
  for (const simdjson::dom::key_value_pair member : root) {
    maybe_element* slot = slot_of(m, member.key);
    if (slot != nullptr && !*slot) *slot = member.value;
  }
  return m;
}

// What record::string("parent.name") reads: the member inside the parent
// object when it is there, else the flattened key.
std::optional<std::string_view> nested_string(const maybe_element& parent, std::string_view name,
                                              const maybe_element& flattened) {
  maybe_element found = flattened;
  simdjson::dom::element child;
  if (parent && parent->is_object() && parent->at_key(name).get(child) == simdjson::SUCCESS) {
    found = child;
  }
  std::string_view text;
  if (found && found->get_string().get(text) == simdjson::SUCCESS) return text;
  return std::nullopt;
}

}  // namespace

std::string_view confidence_label(int confidence) {
  if (confidence < 0) return "Not Specified";
  if (confidence == 0) return "None";
  if (confidence < 30) return "Low";
  if (confidence < 70) return "Medium";
  return "High";
}

void append_alert(std::string& out, const store& indicators, const hit& h,
                  const event::record& matched, std::optional<time::timestamp> event_time,
                  const alert_options& options) {
  indicator_view v = indicators.get(h.indicator);
  std::string_view type = ecs_type(v.type, v.ipv4);
  event::builder b(out);
  b.begin_object();

  const event_members members = read_members(matched);
  std::string_view stamp;
  if (members.timestamp && members.timestamp->get_string().get(stamp) == simdjson::SUCCESS) {
    b.field("@timestamp", stamp);
  } else if (event_time) {
    b.key("@timestamp");
    std::string text = time::format_utc_ms(*event_time);
    b.value(std::string_view(text));
  }

  // The members that are the same in every alert are written as one text
  // each (what the builder would write for them).
  b.key("event").begin_object();
  b.raw(R"("kind":"alert","category":["threat"],"type":["indicator"],"dataset":"mimamori.intel")");
  b.field("severity", severity_of(v.confidence));
  if (auto original = nested_string(members.event, "original", members.event_original)) {
    b.field("original", *original);
  } else {
    b.field("original", matched.text());
  }
  b.end_object();

  b.key("rule").begin_object();
  // ecs_type() names are plain ASCII: written as the builder would.
  b.raw(R"("name":"Threat intel match: )");
  out.append(type);
  out.append(R"(","ruleset":"mimamori-intel","category":"threat-intel")");
  b.end_object();

  b.key("threat").begin_object();
  if (!v.feed.empty()) b.key("feed").begin_object().field("name", v.feed).end_object();
  b.key("indicator").begin_object();
  b.field("type", type);
  b.field("name", v.value);
  switch (v.type) {
    case indicator_type::ip:
      // A block indicator names the address it caught.
      b.field("ip", v.value.find('/') == std::string_view::npos ? v.value : h.atomic);
      break;
    case indicator_type::domain:
      b.key("url").begin_object().field("domain", v.value).end_object();
      break;
    case indicator_type::url:
      b.key("url").begin_object().field("full", v.value).end_object();
      break;
    case indicator_type::md5:
    case indicator_type::sha1:
    case indicator_type::sha256:
      b.key("file").begin_object().key("hash").begin_object();
      b.field(type_name(v.type), v.value);
      b.end_object().end_object();
      break;
  }
  if (!v.provider.empty()) b.field("provider", v.provider);
  b.field("confidence", confidence_label(v.confidence));
  if (v.first_seen) {
    std::string text = time::format_utc_ms(*v.first_seen);
    b.field("first_seen", std::string_view(text));
  }
  if (!v.description.empty()) b.field("description", v.description);
  if (!v.reference.empty()) b.field("reference", v.reference);
  b.end_object();  // indicator
  b.key("enrichments").begin_array().begin_object();
  b.key("matched").begin_object();
  b.field("atomic", h.atomic);
  // field_path() names are plain ASCII too.
  out.append(R"(,"field":")");
  out.append(field_path(h.field));
  out.append(R"(","type":"indicator_match_rule")");
  b.end_object().end_object().end_array();
  b.end_object();  // threat

  if (!v.tags.empty()) {
    b.key("tags").begin_array();
    std::string_view tags = v.tags;
    while (!tags.empty()) {
      std::size_t nl = tags.find('\n');
      b.value(tags.substr(0, nl));
      if (nl == std::string_view::npos) break;
      tags.remove_prefix(nl + 1);
    }
    b.end_array();
  }

  b.key("organization").begin_object();
  b.field("id",
          nested_string(members.organization, "id", members.organization_id).value_or("default"));
  b.end_object();

  // simdjson::to_string's writer, kept from alert to alert: its buffer is
  // not allocated and grown afresh for every object copied.
  thread_local simdjson::internal::string_builder<> json;
  for (std::size_t i = 0; i < copied.size(); ++i) {
    const maybe_element& e = members.objects[i];
    if (e && e->is_object()) {
      json.clear();
      json.append(*e);
      b.raw_field(copied[i], json.str());
    }
  }

  bool has_window = v.valid_from || v.valid_until;
  if (options.retro || v.confidence >= 0 || has_window) {
    b.key("mimamori").begin_object();
    if (options.retro) b.field("retro", true);
    if (v.confidence >= 0 || has_window) {
      b.key("indicator").begin_object();
      if (v.confidence >= 0) b.field("confidence", v.confidence);
      if (v.valid_from) {
        std::string text = time::format_utc_ms(*v.valid_from);
        b.field("valid_from", std::string_view(text));
      }
      if (v.valid_until) {
        std::string text = time::format_utc_ms(*v.valid_until);
        b.field("valid_until", std::string_view(text));
      }
      b.end_object();
    }
    b.end_object();
  }
  b.end_object();
}

}  // namespace mimamori::intel
