#include "intel/alert.hpp"

#include "event/builder.hpp"
#include "time/format.hpp"

namespace mimamori::intel {

namespace {

int severity_of(int confidence) {
  if (confidence >= 70) return 73;
  if (confidence >= 0 && confidence < 30) return 21;
  return 47;
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

  if (auto stamp = matched.string("@timestamp")) {
    b.field("@timestamp", *stamp);
  } else if (event_time) {
    b.key("@timestamp");
    std::string text = time::format_utc_ms(*event_time);
    b.value(std::string_view(text));
  }

  b.key("event").begin_object();
  b.field("kind", "alert");
  b.key("category").begin_array().value("threat").end_array();
  b.key("type").begin_array().value("indicator").end_array();
  b.field("dataset", "mimamori.intel");
  b.field("severity", severity_of(v.confidence));
  if (auto original = matched.string("event.original")) {
    b.field("original", *original);
  } else {
    b.field("original", matched.text());
  }
  b.end_object();

  b.key("rule").begin_object();
  std::string name = "Threat intel match: ";
  name += type;
  b.field("name", std::string_view(name));
  b.field("ruleset", "mimamori-intel");
  b.field("category", "threat-intel");
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
  b.field("field", field_path(h.field));
  b.field("type", "indicator_match_rule");
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
  b.field("id", matched.string("organization.id").value_or("default"));
  b.end_object();

  simdjson::dom::object root;
  if (matched.root().get_object().get(root) == simdjson::SUCCESS) {
    // simdjson::to_string's writer, kept from alert to alert: its buffer
    // is not allocated and grown afresh for every object copied.
    thread_local simdjson::internal::string_builder<> json;
    for (std::string_view key : {"source", "destination", "host", "user", "observer", "url", "dns",
                                 "tls", "file", "process"}) {
      simdjson::dom::element e;
      if (root.at_key(key).get(e) == simdjson::SUCCESS && e.is_object()) {
        json.clear();
        json.append(e);
        b.raw_field(key, json.str());
      }
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
