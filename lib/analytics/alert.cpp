#include "analytics/alert.hpp"

#include <cmath>

#include "time/format.hpp"

namespace mimamori::analytics {

namespace {

void string_list(event::builder& b, std::string_view name, const std::vector<std::string>& values) {
  b.key(name).begin_array();
  for (const std::string& v : values) b.value(v);
  b.end_array();
}

void time_field(event::builder& b, std::string_view name, time::timestamp t) {
  char text[time::utc_ms_length];
  time::write_utc_ms(text, t);
  b.field(name, std::string_view(text, sizeof text));
}

constexpr std::string_view copied_objects[] = {"host", "user", "source", "destination",
                                               "url",  "dns",  "tls"};

}  // namespace

double rounded(double value) { return std::round(value * 1000.0) / 1000.0; }

void write_alert(std::string& out, const rule& r, const event::record& trigger,
                 const alert_summary& s, const std::function<void(event::builder&)>& details) {
  const sigma::rule& m = r.meta;
  event::builder b(out);
  b.begin_object();
  if (auto stamp = trigger.string("@timestamp")) {
    b.field("@timestamp", *stamp);
  } else {
    time_field(b, "@timestamp", s.last);
  }
  b.field("message", std::string_view(s.message));

  b.key("event").begin_object();
  b.field("kind", "alert");
  b.field("module", "analytics");
  b.field("dataset", "mimamori.analytics");
  b.key("category").begin_array();
  if (r.type != kind::rare_domain) b.value("intrusion_detection");
  b.value("network");
  b.end_array();
  b.key("type").begin_array().value("indicator").end_array();
  b.field("severity", m.severity);
  time_field(b, "start", s.first);
  time_field(b, "end", s.last);
  if (auto original = trigger.string("event.original")) b.field("original", *original);
  b.end_object();

  b.key("rule").begin_object();
  if (!m.id.empty()) b.field("id", m.id);
  b.field("name", m.title);
  if (!m.description.empty()) b.field("description", m.description);
  if (!m.references.empty()) b.field("reference", m.references.front());
  b.field("ruleset", "mimamori-analytics");
  b.field("category", kind_name(r.type));
  if (!m.modified.empty()) {
    b.field("version", m.modified);
  } else if (!m.date.empty()) {
    b.field("version", m.date);
  }
  if (!m.author.empty()) b.field("author", m.author);
  if (!m.level.empty()) b.field("level", m.level);
  b.end_object();

  if (!m.tactic_ids.empty() || !m.techniques.empty()) {
    b.key("threat").begin_object();
    b.field("framework", "MITRE ATT&CK");
    if (!m.tactic_ids.empty()) {
      b.key("tactic").begin_object();
      string_list(b, "id", m.tactic_ids);
      string_list(b, "name", m.tactic_names);
      b.end_object();
    }
    if (!m.techniques.empty()) {
      b.key("technique").begin_object();
      string_list(b, "id", m.techniques);
      if (!m.subtechniques.empty()) {
        b.key("subtechnique").begin_object();
        string_list(b, "id", m.subtechniques);
        b.end_object();
      }
      b.end_object();
    }
    b.end_object();
  }

  b.key("organization").begin_object().field("id", s.organization).end_object();

  simdjson::dom::object root;
  if (trigger.root().get_object().get(root) == simdjson::SUCCESS) {
    for (std::string_view name : copied_objects) {
      simdjson::dom::element e;
      if (root.at_key(name).get(e) == simdjson::SUCCESS &&
          e.type() == simdjson::dom::element_type::OBJECT) {
        b.raw_field(name, simdjson::minify(e));
      }
    }
  }

  b.key("mimamori").begin_object().key("analytics").begin_object();
  b.field("type", kind_name(r.type));
  b.key("group").begin_array();
  for (const auto& [field, value] : s.group) {
    b.begin_object().field("field", field).field("value", value).end_object();
  }
  b.end_array();
  b.field("count", s.count);
  time_field(b, "first", s.first);
  time_field(b, "last", s.last);
  if (details) details(b);
  b.end_object().end_object();
  b.end_object();
  out.push_back('\n');
}

}  // namespace mimamori::analytics
