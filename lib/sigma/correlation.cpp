#include "sigma/correlation.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <unordered_map>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"
#include "ndjson/json_text.hpp"
#include "sigma/alert.hpp"
#include "sigma/pattern.hpp"
#include "time/format.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::sigma {

using config::member;

namespace {

// A problem in one correlation or filter document.
struct refusal {
  YAML::Mark mark;
  std::string category;
  std::string reason;
};

[[noreturn]] void refuse(const YAML::Node& at, std::string category, std::string reason) {
  throw refusal{at.Mark(), std::move(category), std::move(reason)};
}

std::string scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : std::string(); }

std::vector<std::string> scalars(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) out.push_back(n.Scalar());
  if (n.IsSequence()) {
    for (const auto& item : n) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  }
  return out;
}

void report_refusal(load_report& report, const std::string& file, const YAML::Node& doc,
                    const refusal& r) {
  const YAML::Mark at = r.mark.line >= 0 ? r.mark : doc.Mark();
  report.unsupported.push_back({file, at.line >= 0 ? at.line + 1 : 0,
                                at.column >= 0 ? at.column + 1 : 0,
                                doc.IsMap() ? scalar(member(doc, "id")) : std::string(), r.category,
                                r.reason});
}

// The text of a scalar JSON value (strings as they are, numbers and
// booleans as JSON writes them); nullopt for objects, arrays and null.
std::optional<std::string> scalar_text(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: return std::string(e.get_string().value_unsafe());
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE:
    case simdjson::dom::element_type::BOOL: return simdjson::minify(e);
    default: return std::nullopt;
  }
}

std::optional<std::string> first_of(const event::record& event,
                                         const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (auto e = event.find(p)) {
      if (auto text = scalar_text(*e)) return text;
    }
  }
  return std::nullopt;
}

void fnv(std::uint64_t& h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= 0xff;
  h *= 1099511628211ULL;
}

std::string utc(std::int64_t ns) { return time::format_utc_ms(time::timestamp{ns}); }

// Dotted group-by names written back as ECS objects in the alert, when they
// belong to one of these (the objects triage groups by).
constexpr std::string_view ecs_objects[] = {"source", "destination", "client", "server", "user",
                                            "host",   "url",         "dns",    "process", "file"};

struct json_tree {
  std::map<std::string, json_tree> children;
  std::optional<std::string> value;
  void put(std::string_view path, const std::string& v) {
    const auto dot = path.find('.');
    json_tree& child = children[std::string(path.substr(0, dot))];
    if (dot == std::string_view::npos) {
      if (child.children.empty()) child.value = v;
    } else if (!child.value) {
      child.put(path.substr(dot + 1), v);
    }
  }
  void write(event::builder& b) const {
    for (const auto& [name, child] : children) {
      if (child.value) {
        b.field(name, *child.value);
      } else {
        b.key(name).begin_object();
        child.write(b);
        b.end_object();
      }
    }
  }
};

}  // namespace

std::optional<std::int64_t> parse_timespan(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return std::nullopt;
  }
  std::int64_t n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > 100'000'000) return std::nullopt;
  }
  return n * unit * 1'000'000'000;
}

std::string_view name_of(correlation_type t) {
  switch (t) {
    case correlation_type::event_count: return "event_count";
    case correlation_type::value_count: return "value_count";
    case correlation_type::temporal: return "temporal";
    case correlation_type::temporal_ordered: return "temporal_ordered";
  }
  return "";
}

bool correlation_rule::holds(std::int64_t count) const {
  for (const auto& [op, v] : condition) {
    bool ok = false;
    switch (op) {
      case compare::gt: ok = count > v; break;
      case compare::gte: ok = count >= v; break;
      case compare::lt: ok = count < v; break;
      case compare::lte: ok = count <= v; break;
      case compare::eq: ok = count == v; break;
      case compare::neq: ok = count != v; break;
    }
    if (!ok) return false;
  }
  return true;
}

correlation_engine::correlation_engine(ruleset& rules, load_report& report,
                                       correlation_settings settings)
    : rules_(rules), settings_(settings) {
  const auto& docs = rules_.meta_documents();
  compile_filters(docs, report);
  silent_.resize(rules_.rules().size(), 0);
  filters_of_.resize(rules_.rules().size());
  for (std::uint32_t f : filter_rules_) silent_[f] = 1;
  compile_correlations(docs, report);
}

bool correlation_engine::alerts_on_its_own(std::uint32_t index) const {
  return index >= silent_.size() || silent_[index] == 0;
}

// ---- loading ----

namespace {

// Every rule (not filter) with this id or name.
std::vector<std::uint32_t> find_rules(const std::vector<rule>& rules, std::size_t count,
                                      const std::string& ref) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (rules[i].id == ref || (!rules[i].name.empty() && rules[i].name == ref)) out.push_back(i);
  }
  return out;
}

}  // namespace

void correlation_engine::compile_filters(const std::vector<ruleset::meta_document>& docs,
                                         load_report& report) {
  const std::size_t plain_rules = rules_.rules().size();
  std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> targets;
  for (const auto& m : docs) {
    const YAML::Node& doc = *m.doc;
    if (!member(doc, "filter") || member(doc, "correlation")) continue;
    try {
      const YAML::Node filter = member(doc, "filter");
      if (!filter.IsMap()) refuse(filter, "bad filter", "filter must be a map");
      const std::vector<std::string> refs = scalars(member(filter, "rules"));
      if (refs.empty()) refuse(filter, "bad filter", "a filter needs `rules:`, the rules it applies to");
      const YAML::Node ls = member(doc, "logsource");
      if (!ls || !ls.IsMap()) refuse(doc, "bad filter", "a filter needs a logsource map");
      if (!member(filter, "condition")) refuse(filter, "bad filter", "a filter needs a condition");
      // The filter's detection, compiled as a hidden rule that must hold
      // together with each rule it names (Sigma filters: `rule and filter`).
      YAML::Node detection(YAML::NodeType::Map);
      for (const auto& member : filter) {
        if (member.first.Scalar() != "rules") detection[member.first.Scalar()] = member.second;
      }
      YAML::Node synthetic(YAML::NodeType::Map);
      synthetic["title"] = member(doc, "title") ? scalar(member(doc, "title")) : std::string("filter");
      if (member(doc, "id")) synthetic["id"] = member(doc, "id");
      synthetic["logsource"] = ls;
      synthetic["detection"] = detection;
      std::vector<std::uint32_t> applies;
      std::string source_product, source_category, source_service;
      ascii_lower(scalar(member(ls, "product")), source_product);
      ascii_lower(scalar(member(ls, "category")), source_category);
      ascii_lower(scalar(member(ls, "service")), source_service);
      for (const std::string& ref : refs) {
        const auto found = find_rules(rules_.rules(), plain_rules, ref);
        if (found.empty()) {
          report.unsupported.push_back({m.file, member(filter, "rules").Mark().line + 1,
                                        member(filter, "rules").Mark().column + 1, scalar(member(doc, "id")),
                                        "filter of an unknown rule",
                                        "filter names rule '" + ref + "', which is not loaded"});
        }
        for (std::uint32_t r : found) {
          const logsource& s = rules_.rules()[r].source;
          // A filter applies to the rules of its logsource (as pySigma does).
          if ((!source_product.empty() && source_product != s.product) ||
              (!source_category.empty() && source_category != s.category) ||
              (!source_service.empty() && source_service != s.service)) {
            continue;
          }
          applies.push_back(r);
        }
      }
      const auto index = rules_.load_document(synthetic, m.file, report);
      if (!index) continue;
      filter_rules_.push_back(*index);
      targets.emplace_back(*index, std::move(applies));
    } catch (const refusal& r) {
      report_refusal(report, m.file, doc, r);
    } catch (const YAML::Exception& e) {
      report.unsupported.push_back(
          {m.file, e.mark.line + 1, e.mark.column + 1, "", "bad filter", "YAML: " + e.msg});
    }
  }
  filters_of_.assign(rules_.rules().size(), {});
  for (const auto& [f, applies] : targets) {
    for (std::uint32_t r : applies) filters_of_[r].push_back(f);
  }
}

void correlation_engine::compile_correlations(const std::vector<ruleset::meta_document>& docs,
                                              load_report& report) {
  struct draft {
    const ruleset::meta_document* m = nullptr;
    correlation_rule c;
    std::vector<std::string> refs;
    std::vector<std::int64_t> ref_target;  // >= 0: rule; < 0: -(draft + 1)
    YAML::Node aliases;
    bool ok = true;
    int visit = 0;
  };
  std::vector<draft> drafts;
  std::unordered_map<std::string, std::size_t> draft_by_ref;
  const std::size_t plain_rules = rules_.rules().size();
  for (const auto& m : docs) {
    const YAML::Node& doc = *m.doc;
    if (!member(doc, "correlation")) continue;
    draft d;
    d.m = &m;
    try {
      const YAML::Node corr = member(doc, "correlation");
      if (!corr.IsMap()) refuse(corr, "bad correlation", "correlation must be a map");
      rule& meta = d.c.meta;
      meta.title = scalar(member(doc, "title"));
      if (meta.title.empty()) refuse(doc, "bad correlation", "a correlation rule needs a title");
      meta.id = scalar(member(doc, "id"));
      meta.name = scalar(member(doc, "name"));
      meta.status = scalar(member(doc, "status"));
      meta.level = scalar(member(doc, "level"));
      meta.description = scalar(member(doc, "description"));
      meta.author = scalar(member(doc, "author"));
      meta.date = scalar(member(doc, "date"));
      meta.modified = scalar(member(doc, "modified"));
      meta.references = scalars(member(doc, "references"));
      meta.tags = scalars(member(doc, "tags"));
      meta.severity = severity_of_level(meta.level);
      meta.file = m.file;
      meta.line = doc.Mark().line + 1;
      read_attack_tags(meta);

      const std::string type = scalar(member(corr, "type"));
      if (type == "event_count") {
        d.c.type = correlation_type::event_count;
      } else if (type == "value_count") {
        d.c.type = correlation_type::value_count;
      } else if (type == "temporal") {
        d.c.type = correlation_type::temporal;
      } else if (type == "temporal_ordered") {
        d.c.type = correlation_type::temporal_ordered;
      } else if (type == "value_sum" || type == "value_avg" || type == "value_percentile") {
        refuse(member(corr, "type"), "correlation type not supported",
               "correlation type '" + type + "' is not supported");
      } else {
        refuse(member(corr, "type") ? member(corr, "type") : corr, "bad correlation",
               type.empty() ? std::string("a correlation needs a type")
                            : "unknown correlation type '" + type + "'");
      }
      d.refs = scalars(member(corr, "rules"));
      if (d.refs.empty()) refuse(corr, "bad correlation", "a correlation needs `rules:`");
      const YAML::Node group = member(corr, "group-by");
      if (group && !group.IsSequence() && !group.IsScalar()) {
        refuse(group, "bad correlation", "group-by must be a list of fields");
      }
      d.c.group_by = scalars(group);
      d.c.timespan_text = scalar(member(corr, "timespan"));
      const auto span = parse_timespan(d.c.timespan_text);
      if (!span || *span <= 0) {
        refuse(member(corr, "timespan") ? member(corr, "timespan") : corr, "bad correlation",
               d.c.timespan_text.empty()
                   ? std::string("a correlation needs a timespan")
                   : "timespan '" + d.c.timespan_text + "' is not a number and s, m, h or d");
      }
      d.c.timespan = *span;
      const YAML::Node condition = member(corr, "condition");
      if (condition) {
        if (!condition.IsMap()) refuse(condition, "bad correlation", "condition must be a map");
        for (const auto& member : condition) {
          const std::string op = member.first.Scalar();
          if (op == "field") {
            d.c.value_field = scalar(member.second);
            continue;
          }
          correlation_rule::compare cmp;
          if (op == "gt") {
            cmp = correlation_rule::compare::gt;
          } else if (op == "gte") {
            cmp = correlation_rule::compare::gte;
          } else if (op == "lt") {
            cmp = correlation_rule::compare::lt;
          } else if (op == "lte") {
            cmp = correlation_rule::compare::lte;
          } else if (op == "eq") {
            cmp = correlation_rule::compare::eq;
          } else if (op == "neq") {
            cmp = correlation_rule::compare::neq;
          } else {
            refuse(member.first, "bad correlation", "unknown condition operator '" + op + "'");
          }
          std::int64_t value = 0;
          try {
            value = member.second.as<std::int64_t>();
          } catch (const YAML::Exception&) {
            refuse(member.second, "bad correlation", "condition '" + op + "' needs a whole number");
          }
          d.c.condition.emplace_back(cmp, value);
        }
      }
      const bool temporal = d.c.type == correlation_type::temporal ||
                            d.c.type == correlation_type::temporal_ordered;
      if (d.c.condition.empty()) {
        if (!temporal) refuse(corr, "bad correlation", "a correlation needs a condition");
        d.c.condition.emplace_back(correlation_rule::compare::gte,
                                   static_cast<std::int64_t>(d.refs.size()));
      }
      if (d.c.type == correlation_type::value_count && d.c.value_field.empty()) {
        refuse(condition, "bad correlation", "value_count needs `field:` in its condition");
      }
      d.c.sliding = std::all_of(d.c.condition.begin(), d.c.condition.end(), [](const auto& c) {
        return c.first == correlation_rule::compare::gt || c.first == correlation_rule::compare::gte;
      });
      if (const YAML::Node g = member(corr, "generate"); g) {
        try {
          d.c.generate = g.as<bool>();
        } catch (const YAML::Exception&) {
          refuse(g, "bad correlation", "generate must be true or false");
        }
      }
      if (const YAML::Node aliases = member(corr, "aliases"); aliases) {
        if (!aliases.IsMap()) refuse(aliases, "bad correlation", "aliases must be a map");
        d.aliases = aliases;
      }
    } catch (const refusal& r) {
      report_refusal(report, m.file, doc, r);
      d.ok = false;
    } catch (const YAML::Exception& e) {
      report.unsupported.push_back(
          {m.file, e.mark.line + 1, e.mark.column + 1, "", "bad correlation", "YAML: " + e.msg});
      d.ok = false;
    }
    if (!d.ok) continue;
    const std::size_t at = drafts.size();
    if (!d.c.meta.id.empty()) draft_by_ref.emplace(d.c.meta.id, at);
    if (!d.c.meta.name.empty()) draft_by_ref.emplace(d.c.meta.name, at);
    drafts.push_back(std::move(d));
  }

  // References: correlations first (by id or name), then rules.
  auto fail = [&](draft& d, const std::string& category, const std::string& reason) {
    if (!d.ok) return;
    d.ok = false;
    const YAML::Node& doc = *d.m->doc;
    const YAML::Mark at = member(member(doc, "correlation"), "rules").Mark();
    report.unsupported.push_back({d.m->file, at.line + 1, at.column + 1, d.c.meta.id, category, reason});
  };
  for (draft& d : drafts) {
    for (const std::string& ref : d.refs) {
      if (auto it = draft_by_ref.find(ref); it != draft_by_ref.end()) {
        d.ref_target.push_back(-static_cast<std::int64_t>(it->second) - 1);
        continue;
      }
      const auto found = find_rules(rules_.rules(), plain_rules, ref);
      if (found.empty()) {
        fail(d, "correlation of an unknown rule",
             "correlation names rule '" + ref + "', which is not loaded");
        break;
      }
      d.ref_target.push_back(found.front());
    }
  }
  // Cycles and correlations of refused correlations are refused too.
  std::function<bool(std::size_t)> usable = [&](std::size_t i) -> bool {
    draft& d = drafts[i];
    if (d.visit == 2) return d.ok;
    if (d.visit == 1) {
      fail(d, "correlation cycle", "correlation refers to itself through '" + d.c.meta.title + "'");
      return false;
    }
    d.visit = 1;
    if (d.ok) {
      for (std::size_t k = 0; k < d.ref_target.size(); ++k) {
        if (d.ref_target[k] >= 0) continue;
        const auto child = static_cast<std::size_t>(-d.ref_target[k] - 1);
        if (!usable(child)) {
          fail(d, "correlation of a refused correlation",
               "correlation names '" + d.refs[k] + "', which was not loaded");
          break;
        }
      }
    }
    d.visit = 2;
    return d.ok;
  };
  for (std::size_t i = 0; i < drafts.size(); ++i) usable(i);

  std::vector<std::int64_t> final_index(drafts.size(), -1);
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    if (!drafts[i].ok) continue;
    final_index[i] = static_cast<std::int64_t>(correlations_.size());
    correlations_.push_back(drafts[i].c);
    ++report.loaded;
  }
  listeners_.assign(rules_.rules().size(), {});
  parents_.assign(correlations_.size(), {});
  correlation_silent_.assign(correlations_.size(), 0);
  std::vector<std::uint8_t> rule_generated(rules_.rules().size(), 0);
  std::vector<std::uint8_t> correlation_generated(correlations_.size(), 0);
  const mapping& map = rules_.map();
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    if (final_index[i] < 0) continue;
    const auto ci = static_cast<std::uint32_t>(final_index[i]);
    correlation_rule& c = correlations_[ci];
    const draft& d = drafts[i];
    for (std::size_t k = 0; k < d.refs.size(); ++k) {
      correlation_rule::input in;
      const auto input_index = static_cast<std::uint32_t>(c.inputs.size());
      // The field an input has for a group-by name (or the value field).
      auto field_of = [&](const std::string& name) {
        if (d.aliases.IsMap()) {
          const YAML::Node alias = d.aliases[name];
          if (alias && alias.IsMap()) {
            std::string own = scalar(alias[d.refs[k]]);
            if (own.empty() && in.correlation) own = scalar(alias[correlations_[in.index].meta.id]);
            if (own.empty() && !in.correlation) {
              const rule& r = rules_.rules()[in.index];
              own = scalar(alias[r.name]);
              if (own.empty()) own = scalar(alias[r.id]);
            }
            if (!own.empty()) return own;
          }
        }
        return name;
      };
      if (d.ref_target[k] < 0) {
        in.correlation = true;
        in.index = static_cast<std::uint32_t>(final_index[static_cast<std::size_t>(-d.ref_target[k] - 1)]);
        parents_[in.index].emplace_back(ci, input_index);
        if (c.generate) correlation_generated[in.index] = 1;
        correlation_silent_[in.index] = 1;
        const auto& child_groups = correlations_[in.index].group_by;
        auto position = [&](const std::string& name) {
          const std::string own = field_of(name);
          for (std::size_t p = 0; p < child_groups.size(); ++p) {
            if (child_groups[p] == own) return static_cast<int>(p);
          }
          return -1;
        };
        std::vector<int> positions;
        for (const std::string& g : c.group_by) positions.push_back(position(g));
        c.group_positions.push_back(std::move(positions));
        c.group_paths.emplace_back();
        c.value_positions.push_back(c.value_field.empty() ? -1 : position(c.value_field));
        c.value_paths.emplace_back();
      } else {
        in.index = static_cast<std::uint32_t>(d.ref_target[k]);
        listeners_[in.index].emplace_back(ci, input_index);
        if (c.generate) rule_generated[in.index] = 1;
        silent_[in.index] = 1;
        const std::string& product = rules_.rules()[in.index].source.product;
        std::vector<std::vector<std::string>> paths;
        for (const std::string& g : c.group_by) paths.push_back(map.paths(product, field_of(g)));
        c.group_paths.push_back(std::move(paths));
        c.group_positions.emplace_back();
        c.value_paths.push_back(c.value_field.empty() ? std::vector<std::string>{}
                                                      : map.paths(product, field_of(c.value_field)));
        c.value_positions.push_back(-1);
      }
      c.inputs.push_back(in);
    }
  }
  for (std::size_t r = 0; r < rule_generated.size(); ++r) {
    if (rule_generated[r]) silent_[r] = 0;
  }
  for (std::size_t r = 0; r < correlation_generated.size(); ++r) {
    if (correlation_generated[r]) correlation_silent_[r] = 0;
  }
  for (std::uint32_t f : filter_rules_) silent_[f] = 1;
}

// ---- matching ----

std::size_t correlation_engine::process(const event::record& event, std::vector<std::uint32_t>& hits,
                                        std::string& out) {
  std::size_t written = 0;
  kept_.clear();
  std::optional<std::int64_t> when;
  bool timed = false;
  auto event_time = [&]() -> std::optional<std::int64_t> {
    if (!timed) {
      timed = true;
      if (auto stamp = event.string("@timestamp")) {
        // Events in a row often share their time: the last one's is kept.
        if (*stamp != last_stamp_) {
          last_stamp_.assign(*stamp);
          last_when_.reset();
          if (auto t = time::parse_rfc3339(*stamp)) last_when_ = t->ns;
        }
        when = last_when_;
      }
    }
    return when;
  };
  for (std::uint32_t r : hits) {
    if (r >= silent_.size()) {
      kept_.push_back(r);
      continue;
    }
    bool pass = true;
    for (std::uint32_t f : filters_of_[r]) {
      if (!std::binary_search(hits.begin(), hits.end(), f)) {
        pass = false;
        break;
      }
    }
    if (!pass) {
      ++stats_.filtered;
      continue;
    }
    if (!listeners_[r].empty()) {
      const auto t = event_time();
      if (!t) {
        ++stats_.untimed;
      } else if (max_time_ && *t < *max_time_ - settings_.lateness) {
        ++stats_.late;
      } else {
        const std::string_view org = event.string("organization.id").value_or("default");
        for (const auto& [ci, input] : listeners_[r]) {
          const correlation_rule& c = correlations_[ci];
          std::vector<std::string> key;
          key.reserve(c.group_by.size() + 1);
          key.emplace_back(org);
          bool complete = true;
          for (const auto& paths : c.group_paths[input]) {
            auto v = first_of(event, paths);
            if (!v) {
              complete = false;
              break;
            }
            key.push_back(std::move(*v));
          }
          if (!complete) continue;
          entry e;
          e.time = *t;
          e.input = input;
          if (!c.value_paths[input].empty()) {
            if (auto v = first_of(event, c.value_paths[input])) {
              e.has_value = true;
              e.value = std::move(*v);
            }
          }
          if (auto id = event.string("event.id")) e.ids.emplace_back(*id);
          if (settings_.evidence > 0) {
            auto original = event.string("event.original");
            e.original = original ? *original : event.text();
          }
          hold(ci, std::move(key), std::move(e));
        }
      }
    }
    if (silent_[r] == 0) kept_.push_back(r);
  }
  hits.swap(kept_);
  if (!correlations_.empty()) {
    if (const auto t = event_time(); t && (!max_time_ || *t > *max_time_)) max_time_ = *t;
    if (max_time_) drain(*max_time_ - settings_.lateness, out, written);
  }
  return written;
}

void correlation_engine::hold(std::uint32_t correlation, std::vector<std::string> key, entry e) {
  e.seq = ++seq_;
  const held_ref ref{e.time, e.seq, 0};
  pending_item item{correlation, std::move(key), std::move(e)};
  std::uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    held_items_[slot] = std::move(item);
  } else {
    slot = static_cast<std::uint32_t>(held_items_.size());
    held_items_.push_back(std::move(item));
  }
  pending_.push_back(ref);
  pending_.back().slot = slot;
  std::push_heap(pending_.begin(), pending_.end(), later);
}

void correlation_engine::drain(std::int64_t up_to, std::string& out, std::size_t& written) {
  while (!pending_.empty() && pending_.front().time <= up_to) {
    std::pop_heap(pending_.begin(), pending_.end(), later);
    const std::uint32_t slot = pending_.back().slot;
    pending_.pop_back();
    // Moved out first: apply() may hold new occurrences (for correlations of
    // correlations), which may reuse the slot or grow held_items_.
    pending_item p = std::move(held_items_[slot]);
    free_slots_.push_back(slot);
    close_before(p.e.time, out, written);
    apply(p.correlation, std::move(p.key), std::move(p.e), out, written);
  }
  close_before(up_to, out, written);
}

void correlation_engine::close_before(std::int64_t time, std::string& out, std::size_t& written) {
  while (!closing_.empty() && closing_.begin()->time < time) {
    close(closing_.begin()->group, out, written);
  }
}

void correlation_engine::touch(std::map<group_key, group_state>::iterator g, std::int64_t time) {
  group_state& s = g->second;
  if (!by_age_live_) {
    // No eviction yet: the order is built when the first one is due.
    s.last = std::max(s.last, time);
    s.touched = ++seq_;
    return;
  }
  // The set's node is moved to its new place, not freed and allocated again.
  auto node = by_age_.extract({s.last, s.touched, &g->first});
  s.last = std::max(s.last, time);
  s.touched = ++seq_;
  if (node.empty()) {
    by_age_.emplace(s.last, s.touched, &g->first);
  } else {
    node.value() = {s.last, s.touched, &g->first};
    by_age_.insert(std::move(node));
  }
}

void correlation_engine::erase(std::map<group_key, group_state>::iterator g) {
  group_state& s = g->second;
  if (by_age_live_) by_age_.erase({s.last, s.touched, &g->first});
  closing_.erase(closing_ref{s.end, s.created, g});
  groups_.erase(g);
}

void correlation_engine::drop(group_state& g) {
  const entry& e = g.entries.front();
  if (e.has_value) {
    auto v = g.values.find(e.value);
    if (v != g.values.end() && --v->second == 0) g.values.erase(v);
  }
  g.entries.pop_front();
}

void correlation_engine::apply(std::uint32_t correlation, std::vector<std::string>&& key, entry e,
                               std::string& out, std::size_t& written) {
  const correlation_rule& c = correlations_[correlation];
  auto [it, created] = groups_.try_emplace(group_key{correlation, std::move(key)});
  group_state& g = it->second;
  if (created) {
    g.created = ++seq_;
    g.last = e.time;
    // Tumbling windows close `timespan` after their first event; sliding
    // ones expire `timespan` after their newest (close() moves the time on
    // when events came since, so feeding a group costs no set update).
    g.end = e.time + c.timespan;
    closing_.insert(closing_ref{g.end, g.created, it});
    if (settings_.max_groups > 0 && groups_.size() > settings_.max_groups) {
      if (!by_age_live_) {
        // The order of every group but the one just made (touch() below
        // adds it), from the times each group keeps.
        for (auto other = groups_.begin(); other != groups_.end(); ++other) {
          if (other != it) by_age_.emplace(other->second.last, other->second.touched, &other->first);
        }
        by_age_live_ = true;
      }
      auto oldest = by_age_.begin();
      if (oldest != by_age_.end()) {
        erase(groups_.find(*std::get<2>(*oldest)));
        ++stats_.evicted;
      }
    }
  }
  touch(it, e.time);
  if (g.originals < settings_.evidence && !e.original.empty()) {
    ++g.originals;
  } else {
    e.original.clear();
    e.original.shrink_to_fit();
  }
  if (e.has_value) ++g.values[e.value];
  const auto after = std::upper_bound(g.entries.begin(), g.entries.end(), e,
                                      [](const entry& a, const entry& b) {
                                        return a.time < b.time || (a.time == b.time && a.seq < b.seq);
                                      });
  g.entries.insert(after, std::move(e));
  if (!c.sliding) return;
  const std::int64_t newest = g.entries.back().time;
  while (!g.entries.empty() && g.entries.front().time < newest - c.timespan) drop(g);
  const std::int64_t count = measure(c, g);
  if (c.holds(count)) {
    fire(correlation, it->first.second, g, out, written);
    erase(it);
  }
}

void correlation_engine::close(std::map<group_key, group_state>::iterator g, std::string& out,
                               std::size_t& written) {
  const correlation_rule& c = correlations_[g->first.first];
  if (c.sliding && !g->second.entries.empty()) {
    // Expired only when no event came within `timespan` of the newest.
    group_state& s = g->second;
    const std::int64_t expiry = s.entries.back().time + c.timespan;
    if (expiry > s.end) {
      auto node = closing_.extract(closing_ref{s.end, s.created, g});
      s.end = expiry;
      if (node.empty()) {
        closing_.insert(closing_ref{s.end, s.created, g});
      } else {
        node.value() = closing_ref{s.end, s.created, g};
        closing_.insert(std::move(node));
      }
      return;
    }
  }
  // A sliding window was judged at each event; closing only expires it.
  if (!c.sliding && !g->second.entries.empty() && c.holds(measure(c, g->second))) {
    const std::vector<std::string> key = g->first.second;
    fire(g->first.first, key, g->second, out, written);
  }
  erase(g);
}

std::int64_t correlation_engine::measure(const correlation_rule& c, const group_state& g) const {
  switch (c.type) {
    case correlation_type::event_count: return static_cast<std::int64_t>(g.entries.size());
    case correlation_type::value_count: return static_cast<std::int64_t>(g.values.size());
    case correlation_type::temporal: {
      std::vector<std::uint8_t> seen(c.inputs.size(), 0);
      std::int64_t n = 0;
      for (const entry& e : g.entries) {
        if (!seen[e.input]) {
          seen[e.input] = 1;
          ++n;
        }
      }
      return n;
    }
    case correlation_type::temporal_ordered: {
      std::uint32_t next = 0;
      for (const entry& e : g.entries) {
        if (e.input == next && ++next == c.inputs.size()) break;
      }
      return next;
    }
  }
  return 0;
}

void correlation_engine::fire(std::uint32_t correlation, const std::vector<std::string>& key,
                              const group_state& g, std::string& out, std::size_t& written) {
  const correlation_rule& c = correlations_[correlation];
  const std::int64_t at = g.entries.back().time;
  const std::int64_t count = measure(c, g);
  for (const auto& [parent, input] : parents_[correlation]) {
    const correlation_rule& p = correlations_[parent];
    std::vector<std::string> parent_key{key.front()};
    bool complete = true;
    for (int position : p.group_positions[input]) {
      if (position < 0) {
        complete = false;
        break;
      }
      parent_key.push_back(key[static_cast<std::size_t>(position) + 1]);
    }
    if (!complete) continue;
    entry e;
    e.time = at;
    e.input = input;
    if (const int v = p.value_positions[input]; v >= 0) {
      e.has_value = true;
      e.value = key[static_cast<std::size_t>(v) + 1];
    }
    for (const entry& from : g.entries) {
      e.ids.insert(e.ids.end(), from.ids.begin(), from.ids.end());
      if (e.original.empty() && !from.original.empty()) e.original = from.original;
    }
    hold(parent, std::move(parent_key), std::move(e));
  }
  if (correlation_silent_[correlation]) return;
  write_alert(out, c, key, g, at, count);
  out.push_back('\n');
  ++written;
  ++stats_.alerts;
}

void correlation_engine::write_alert(std::string& out, const correlation_rule& c,
                                     const std::vector<std::string>& key, const group_state& g,
                                     std::int64_t at, std::int64_t count) const {
  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", utc(at));
  b.key("event").begin_object();
  b.field("kind", "alert");
  b.field("module", "sigma");
  b.key("category").begin_array().value("intrusion_detection").end_array();
  b.field("severity", c.meta.severity);
  b.field("start", utc(g.entries.front().time));
  b.field("end", utc(g.entries.back().time));
  b.end_object();
  sigma::write_rule(b, c.meta);
  b.key("organization").begin_object().field("id", key.front()).end_object();
  json_tree ecs;
  for (std::size_t k = 0; k < c.group_by.size(); ++k) {
    const std::string& name = c.group_by[k];
    const auto dot = name.find('.');
    if (dot == std::string::npos) continue;
    const std::string_view head = std::string_view(name).substr(0, dot);
    if (std::find(std::begin(ecs_objects), std::end(ecs_objects), head) == std::end(ecs_objects)) {
      continue;
    }
    ecs.put(name, key[k + 1]);
  }
  ecs.write(b);
  b.key("mimamori").begin_object().key("correlation").begin_object();
  b.field("type", name_of(c.type));
  b.field("timespan", c.timespan_text);
  b.key("group_by").begin_object();
  for (std::size_t k = 0; k < c.group_by.size(); ++k) b.field(c.group_by[k], key[k + 1]);
  b.end_object();
  b.field("count", count);
  b.field("events", static_cast<std::int64_t>(g.entries.size()));
  b.field("first", utc(g.entries.front().time));
  b.field("last", utc(g.entries.back().time));
  b.key("event_ids").begin_array();
  for (const entry& e : g.entries) {
    for (const std::string& id : e.ids) b.value(id);
  }
  b.end_array();
  b.key("evidence").begin_array();
  for (const entry& e : g.entries) {
    if (!e.original.empty()) b.value(e.original);
  }
  b.end_array();
  b.end_object().end_object();
  b.end_object();
}

std::size_t correlation_engine::finish(std::string& out) {
  std::size_t written = 0;
  drain(std::numeric_limits<std::int64_t>::max(), out, written);
  while (!closing_.empty()) close(closing_.begin()->group, out, written);
  return written;
}

// ---- state ----

std::string correlation_engine::fingerprint() const {
  std::uint64_t h = 14695981039346656037ULL;
  fnv(h, std::to_string(correlations_.size()));
  for (const correlation_rule& c : correlations_) {
    fnv(h, c.meta.id);
    fnv(h, c.meta.title);
    fnv(h, name_of(c.type));
    fnv(h, c.timespan_text);
    fnv(h, c.value_field);
    for (const std::string& g : c.group_by) fnv(h, g);
    for (const auto& [op, v] : c.condition) fnv(h, std::to_string(static_cast<int>(op)) + ":" + std::to_string(v));
    for (const auto& in : c.inputs) {
      fnv(h, in.correlation ? correlations_[in.index].meta.title
                            : rules_.rules()[in.index].id + "/" + rules_.rules()[in.index].title);
    }
  }
  std::string out;
  static constexpr char hex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(hex[(h >> shift) & 0xF]);
  return out;
}

namespace {

void write_entry(event::builder& b, std::int64_t time, std::uint64_t seq, std::uint32_t input,
                 bool has_value, const std::string& value, const std::vector<std::string>& ids,
                 const std::string& original) {
  b.begin_object();
  b.field("t", time).field("s", seq).field("i", static_cast<std::int64_t>(input));
  if (has_value) b.field("v", value);
  b.key("ids").begin_array();
  for (const std::string& id : ids) b.value(id);
  b.end_array();
  if (!original.empty()) b.field("o", original);
  b.end_object();
}

void write_key(event::builder& b, const std::vector<std::string>& key) {
  b.key("key").begin_array();
  for (const std::string& k : key) b.value(k);
  b.end_array();
}

}  // namespace

void correlation_engine::save(event::builder& b) const {
  b.field("version", 1);
  b.field("fingerprint", fingerprint());
  if (max_time_) b.field("max_time", *max_time_);
  b.field("seq", seq_);
  b.key("groups").begin_array();
  for (const auto& [k, g] : groups_) {
    b.begin_object();
    b.field("c", static_cast<std::int64_t>(k.first));
    write_key(b, k.second);
    b.field("end", g.end).field("last", g.last).field("created", g.created);
    b.field("touched", g.touched).field("originals", static_cast<std::uint64_t>(g.originals));
    b.key("entries").begin_array();
    for (const entry& e : g.entries) {
      write_entry(b, e.time, e.seq, e.input, e.has_value, e.value, e.ids, e.original);
    }
    b.end_array();
    b.end_object();
  }
  b.end_array();
  b.key("pending").begin_array();
  std::vector<held_ref> held = pending_;
  std::sort(held.begin(), held.end(), [](const held_ref& x, const held_ref& y) { return later(y, x); });
  for (const held_ref& ref : held) {
    const pending_item& p = held_items_[ref.slot];
    b.begin_object();
    b.field("c", static_cast<std::int64_t>(p.correlation));
    write_key(b, p.key);
    b.key("e");
    write_entry(b, p.e.time, p.e.seq, p.e.input, p.e.has_value, p.e.value, p.e.ids, p.e.original);
    b.end_object();
  }
  b.end_array();
}

namespace {

bool read_strings(simdjson::dom::element e, std::vector<std::string>& out) {
  simdjson::dom::array items;
  if (e.get_array().get(items) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element item : items) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) return false;
    out.emplace_back(s);
  }
  return true;
}

}  // namespace

bool correlation_engine::restore(simdjson::dom::element section, std::string& error) {
  auto bad = [&](const std::string& what) {
    error = "sigma.correlation: " + what;
    return false;
  };
  std::int64_t version = 0;
  if (section["version"].get_int64().get(version) != simdjson::SUCCESS || version != 1) {
    return bad("unknown section version");
  }
  std::string_view print;
  if (section["fingerprint"].get_string().get(print) != simdjson::SUCCESS) return bad("no fingerprint");
  if (print != fingerprint()) {
    return bad("saved for other correlation rules (fingerprint " + std::string(print) + ", these rules " +
               fingerprint() + ")");
  }
  groups_.clear();
  by_age_.clear();
  by_age_live_ = false;
  closing_.clear();
  pending_.clear();
  held_items_.clear();
  free_slots_.clear();
  max_time_.reset();
  std::int64_t max_time = 0;
  if (section["max_time"].get_int64().get(max_time) == simdjson::SUCCESS) max_time_ = max_time;
  if (section["seq"].get_uint64().get(seq_) != simdjson::SUCCESS) return bad("no seq");

  auto read_entry = [&](simdjson::dom::element o, std::uint32_t correlation, entry& e) {
    std::int64_t input = 0;
    if (o["t"].get_int64().get(e.time) != simdjson::SUCCESS ||
        o["s"].get_uint64().get(e.seq) != simdjson::SUCCESS ||
        o["i"].get_int64().get(input) != simdjson::SUCCESS || input < 0 ||
        static_cast<std::size_t>(input) >= correlations_[correlation].inputs.size()) {
      return false;
    }
    e.input = static_cast<std::uint32_t>(input);
    std::string_view s;
    if (o["v"].get_string().get(s) == simdjson::SUCCESS) {
      e.has_value = true;
      e.value = s;
    }
    simdjson::dom::element ids;
    if (o["ids"].get(ids) != simdjson::SUCCESS || !read_strings(ids, e.ids)) return false;
    if (o["o"].get_string().get(s) == simdjson::SUCCESS) e.original = s;
    return true;
  };
  auto read_head = [&](simdjson::dom::element o, std::uint32_t& correlation,
                       std::vector<std::string>& key) {
    std::int64_t c = 0;
    if (o["c"].get_int64().get(c) != simdjson::SUCCESS || c < 0 ||
        static_cast<std::size_t>(c) >= correlations_.size()) {
      return false;
    }
    correlation = static_cast<std::uint32_t>(c);
    simdjson::dom::element k;
    return o["key"].get(k) == simdjson::SUCCESS && read_strings(k, key) &&
           key.size() == correlations_[correlation].group_by.size() + 1;
  };

  simdjson::dom::array groups;
  if (section["groups"].get_array().get(groups) != simdjson::SUCCESS) return bad("no groups");
  std::size_t n = 0;
  for (simdjson::dom::element o : groups) {
    ++n;
    std::uint32_t c = 0;
    std::vector<std::string> key;
    if (!read_head(o, c, key)) return bad("group " + std::to_string(n) + ": bad correlation or key");
    auto [it, added] = groups_.try_emplace(group_key{c, std::move(key)});
    if (!added) return bad("group " + std::to_string(n) + ": repeated");
    group_state& g = it->second;
    std::uint64_t originals = 0;
    if (o["end"].get_int64().get(g.end) != simdjson::SUCCESS ||
        o["last"].get_int64().get(g.last) != simdjson::SUCCESS ||
        o["created"].get_uint64().get(g.created) != simdjson::SUCCESS ||
        o["touched"].get_uint64().get(g.touched) != simdjson::SUCCESS ||
        o["originals"].get_uint64().get(originals) != simdjson::SUCCESS) {
      return bad("group " + std::to_string(n) + ": missing times");
    }
    g.originals = originals;
    simdjson::dom::array entries;
    if (o["entries"].get_array().get(entries) != simdjson::SUCCESS) {
      return bad("group " + std::to_string(n) + ": no entries");
    }
    for (simdjson::dom::element item : entries) {
      entry e;
      if (!read_entry(item, c, e)) return bad("group " + std::to_string(n) + ": bad entry");
      if (e.has_value) ++g.values[e.value];
      g.entries.push_back(std::move(e));
    }
    closing_.insert(closing_ref{g.end, g.created, it});
  }
  simdjson::dom::array pending;
  if (section["pending"].get_array().get(pending) != simdjson::SUCCESS) return bad("no pending");
  n = 0;
  for (simdjson::dom::element o : pending) {
    ++n;
    pending_item p;
    simdjson::dom::element e;
    if (!read_head(o, p.correlation, p.key) || o["e"].get(e) != simdjson::SUCCESS ||
        !read_entry(e, p.correlation, p.e)) {
      return bad("held occurrence " + std::to_string(n) + ": bad record");
    }
    pending_.push_back({p.e.time, p.e.seq, static_cast<std::uint32_t>(held_items_.size())});
    held_items_.push_back(std::move(p));
  }
  std::make_heap(pending_.begin(), pending_.end(), later);
  return true;
}

}  // namespace mimamori::sigma
