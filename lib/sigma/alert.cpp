#include "sigma/alert.hpp"

#include "event/builder.hpp"

namespace mimamori::sigma {

namespace {

void string_list(event::builder& b, std::string_view name, const std::vector<std::string>& values) {
  b.key(name).begin_array();
  for (const std::string& v : values) b.value(v);
  b.end_array();
}

// The event's own objects that say who and what: kept so that triage can
// group alerts without going back to the events.
constexpr std::string_view copied_objects[] = {"host", "user", "source", "destination",
                                               "process", "file", "url", "dns"};

}  // namespace

void write_rule(event::builder& b, const rule& r) {
  b.key("rule").begin_object();
  if (!r.id.empty()) b.field("id", r.id);
  b.field("name", r.title);
  if (!r.description.empty()) b.field("description", r.description);
  if (!r.references.empty()) b.field("reference", r.references.front());
  b.field("ruleset", "sigma");
  if (!r.modified.empty()) {
    b.field("version", r.modified);
  } else if (!r.date.empty()) {
    b.field("version", r.date);
  }
  if (!r.author.empty()) b.field("author", r.author);
  if (!r.level.empty()) b.field("level", r.level);
  b.end_object();

  if (!r.tactic_ids.empty() || !r.techniques.empty()) {
    b.key("threat").begin_object();
    b.field("framework", "MITRE ATT&CK");
    if (!r.tactic_ids.empty()) {
      b.key("tactic").begin_object();
      string_list(b, "id", r.tactic_ids);
      string_list(b, "name", r.tactic_names);
      b.end_object();
    }
    if (!r.techniques.empty()) {
      b.key("technique").begin_object();
      string_list(b, "id", r.techniques);
      if (!r.subtechniques.empty()) {
        b.key("subtechnique").begin_object();
        string_list(b, "id", r.subtechniques);
        b.end_object();
      }
      b.end_object();
    }
    b.end_object();
  }
}

void write_alert(std::string& out, const rule& r, const event::record& matched) {
  event::builder b(out);
  b.begin_object();
  if (auto stamp = matched.string("@timestamp")) b.field("@timestamp", *stamp);
  b.key("event").begin_object();
  b.field("kind", "alert");
  b.field("module", "sigma");
  b.key("category").begin_array().value("intrusion_detection").end_array();
  b.field("severity", r.severity);
  if (auto original = matched.string("event.original")) b.field("original", *original);
  b.end_object();

  write_rule(b, r);

  std::string_view organization = "default";
  if (auto id = matched.string("organization.id")) organization = *id;
  b.key("organization").begin_object().field("id", organization).end_object();

  simdjson::dom::object root;
  if (matched.root().get_object().get(root) == simdjson::SUCCESS) {
    for (std::string_view name : copied_objects) {
      simdjson::dom::element e;
      if (root.at_key(name).get(e) == simdjson::SUCCESS &&
          e.type() == simdjson::dom::element_type::OBJECT) {
        b.raw_field(name, simdjson::minify(e));
      }
    }
  }

  if (auto id = matched.string("event.id")) {
    b.key("mimamori").begin_object().key("alert").begin_object();
    b.key("event_ids").begin_array().value(*id).end_array();
    b.end_object().end_object();
  }
  b.end_object();
}

}  // namespace mimamori::sigma
