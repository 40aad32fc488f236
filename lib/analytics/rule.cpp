#include "analytics/rule.hpp"

#include <charconv>
#include <cmath>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"

namespace mimamori::analytics {

namespace {

constexpr unsigned bit(kind k) { return 1U << static_cast<unsigned>(k); }

enum class value_kind { duration, count, ratio, bits };

struct parameter_spec {
  const char* name;
  unsigned kinds;
  value_kind type;
  std::int64_t parameters::*duration = nullptr;
  std::size_t parameters::*count = nullptr;
  double parameters::*ratio = nullptr;
};

// Which parameters each type reads.
const parameter_spec parameter_specs[] = {
    {"window", bit(kind::beaconing) | bit(kind::dns_tunnel) | bit(kind::spaced_attempts),
     value_kind::duration, &parameters::window},
    {"min_count", bit(kind::beaconing) | bit(kind::spaced_attempts), value_kind::count, nullptr,
     &parameters::min_count},
    {"min_period", bit(kind::beaconing), value_kind::duration, &parameters::min_period},
    {"max_period", bit(kind::beaconing), value_kind::duration, &parameters::max_period},
    {"max_jitter", bit(kind::beaconing), value_kind::ratio, nullptr, nullptr, &parameters::max_jitter},
    {"burst", bit(kind::beaconing), value_kind::duration, &parameters::burst},
    {"history", bit(kind::beaconing), value_kind::count, nullptr, &parameters::history},
    {"max_pairs", bit(kind::beaconing), value_kind::count, nullptr, &parameters::max_pairs},
    {"min_distinct", bit(kind::dns_tunnel), value_kind::count, nullptr, &parameters::min_distinct},
    {"min_length", bit(kind::dns_tunnel), value_kind::count, nullptr, &parameters::min_length},
    {"min_entropy", bit(kind::dns_tunnel), value_kind::bits, nullptr, nullptr, &parameters::min_entropy},
    {"max_word_share", bit(kind::dns_tunnel), value_kind::ratio, nullptr, nullptr,
     &parameters::max_word_share},
    {"max_domains", bit(kind::dns_tunnel) | bit(kind::rare_domain), value_kind::count, nullptr,
     &parameters::max_domains},
    {"samples", bit(kind::dns_tunnel), value_kind::count, nullptr, &parameters::samples},
    {"learning", bit(kind::rare_domain), value_kind::duration, &parameters::learning},
    {"min_interval", bit(kind::spaced_attempts), value_kind::duration, &parameters::min_interval},
    {"max_sources", bit(kind::spaced_attempts), value_kind::count, nullptr, &parameters::max_sources},
};

const char* const analytics_keys[] = {"type",   "match",  "cancel",  "source",    "destination",
                                      "domain", "ignore", "distinct", "parameters"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

class reader {
 public:
  reader(const std::string& file, const YAML::Node& doc, std::vector<load_problem>& problems)
      : file_(file), doc_(doc), problems_(problems) {}

  bool read(rule& r) {
    r.meta.file = file_;
    r.meta.line = doc_.Mark().line + 1;
    r.meta.id = scalar(doc_["id"], "id");
    r.meta.title = scalar(doc_["title"], "title");
    r.meta.status = scalar(doc_["status"], "status");
    r.meta.description = scalar(doc_["description"], "description");
    r.meta.author = scalar(doc_["author"], "author");
    r.meta.date = scalar(doc_["date"], "date");
    r.meta.modified = scalar(doc_["modified"], "modified");
    r.meta.level = scalar(doc_["level"], "level");
    r.meta.references = list(doc_["references"], "references", false);
    r.meta.tags = list(doc_["tags"], "tags", false);
    if (r.meta.title.empty()) fail(doc_, "bad rule", "the rule has no title");
    if (!r.meta.level.empty()) {
      r.meta.severity = sigma::severity_of_level(r.meta.level);
      if (r.meta.severity == 0) {
        fail(doc_["level"], "bad rule",
             "unknown level '" + r.meta.level +
                 "' (informational, low, medium, high or critical)");
      }
    } else {
      r.meta.severity = sigma::severity_of_level("medium");
    }
    sigma::read_attack_tags(r.meta);

    const YAML::Node a = doc_["analytics"];
    if (!a.IsMap()) {
      fail(a, "bad rule", "analytics must be a map (type, match, fields, parameters)");
      return false;
    }
    for (const auto& entry : a) {
      const std::string key = entry.first.Scalar();
      bool known = false;
      for (const char* k : analytics_keys) known = known || key == k;
      if (!known) {
        fail(entry.first, "bad rule",
             "unknown key 'analytics." + key +
                 "' (type, match, cancel, source, destination, domain, ignore, distinct, parameters)");
      }
    }
    const std::string type = scalar(a["type"], "analytics.type");
    if (type == "beaconing") {
      r.type = kind::beaconing;
      r.params.window = 24 * 3600'000'000'000LL;
    } else if (type == "dns_tunnel") {
      r.type = kind::dns_tunnel;
      r.params.window = 3600'000'000'000LL;
    } else if (type == "rare_domain") {
      r.type = kind::rare_domain;
    } else if (type == "spaced_attempts") {
      r.type = kind::spaced_attempts;
      r.params.window = 2 * 3600'000'000'000LL;
      r.params.min_count = 4;
    } else {
      const std::string types = "beaconing, dns_tunnel, rare_domain or spaced_attempts";
      fail(a["type"] ? a["type"] : a, "unknown analytics type",
           type.empty() ? "analytics.type is missing (" + types + ")"
                        : "unknown analytics type '" + type + "' (" + types + ")");
      return false;
    }
    read_match(a["match"], "match", r.match);
    const bool beacon = r.type == kind::beaconing;
    const bool spaced = r.type == kind::spaced_attempts;
    if (spaced) {
      read_match(a["cancel"], "cancel", r.cancel);
    } else if (a["cancel"].IsDefined()) {
      fail(a["cancel"], "bad rule", "analytics.cancel is not read by this type");
    }
    r.source_fields = fields(a["source"], "source", beacon || spaced,
                             spaced ? std::vector<std::string>{"source.ip"}
                                    : std::vector<std::string>{"source.ip", "host.name"});
    r.destination_fields =
        fields(a["destination"], "destination", beacon,
               {"url.domain", "destination.domain", "dns.question.name", "destination.ip+destination.port"});
    r.distinct_fields = fields(a["distinct"], "distinct", spaced, {});
    r.domain_fields = fields(a["domain"], "domain", !beacon && !spaced,
                             r.type == kind::dns_tunnel
                                 ? std::vector<std::string>{"dns.question.name"}
                                 : std::vector<std::string>{"dns.question.name", "url.domain",
                                                            "destination.domain",
                                                            "tls.client.server_name"});
    for (std::string& name : list(a["ignore"], "analytics.ignore", false)) {
      name = lower(name);
      if (name.starts_with("*.")) name.erase(0, 2);
      if (!name.empty() && name.back() == '.') name.pop_back();
      r.ignore.push_back(name);
    }
    read_parameters(a["parameters"], r);
    check(a, r);
    return ok_;
  }

 private:
  void fail(const YAML::Node& at, const std::string& category, const std::string& reason) {
    const YAML::Mark m = at.IsDefined() ? at.Mark() : doc_.Mark();
    problems_.push_back({file_, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0,
                         id_or_empty(), category, reason});
    ok_ = false;
  }
  std::string id_or_empty() const {
    const YAML::Node id = doc_["id"];
    return id.IsDefined() && id.IsScalar() ? id.Scalar() : std::string();
  }

  std::string scalar(const YAML::Node& n, const std::string& what) {
    if (!n.IsDefined() || n.IsNull()) return {};
    if (!n.IsScalar()) {
      fail(n, "bad rule", what + " must be a single value");
      return {};
    }
    return n.Scalar();
  }

  std::vector<std::string> list(const YAML::Node& n, const std::string& what, bool required) {
    std::vector<std::string> out;
    if (!n.IsDefined() || n.IsNull()) {
      if (required) fail(doc_["analytics"], "bad rule", what + " is missing");
      return out;
    }
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) {
      fail(n, "bad rule", what + " must be a value or a list of values");
      return out;
    }
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        fail(item, "bad rule", what + ": every item must be a single value");
        continue;
      }
      out.push_back(item.Scalar());
    }
    return out;
  }

  std::vector<std::string> fields(const YAML::Node& n, const std::string& name, bool used,
                                  std::vector<std::string> defaults) {
    if (!n.IsDefined() || n.IsNull()) return used ? defaults : std::vector<std::string>{};
    if (!used) {
      fail(n, "bad rule", "analytics." + name + " is not read by this type");
      return {};
    }
    std::vector<std::string> out = list(n, "analytics." + name, false);
    for (const std::string& f : out) {
      if (f.empty() || f.front() == '+' || f.back() == '+' || f.find(' ') != std::string::npos) {
        fail(n, "bad rule", "analytics." + name + ": '" + f + "' is not a field path");
      }
    }
    if (out.empty()) fail(n, "bad rule", "analytics." + name + " names no field");
    return out;
  }

  void read_match(const YAML::Node& n, const std::string& name, std::vector<field_match>& out) {
    if (!n.IsDefined() || n.IsNull()) return;
    if (!n.IsMap()) {
      fail(n, "bad rule", "analytics." + name + " must be a map of field: value or [values]");
      return;
    }
    for (const auto& entry : n) {
      field_match m;
      m.field = entry.first.Scalar();
      for (const std::string& v : list(entry.second, "analytics." + name + "." + m.field, true)) {
        m.values.push_back(lower(v));
      }
      if (m.values.empty()) {
        fail(entry.second, "bad rule", "analytics." + name + "." + m.field + " has no value");
      }
      out.push_back(std::move(m));
    }
  }

  void read_parameters(const YAML::Node& n, rule& r) {
    if (!n.IsDefined() || n.IsNull()) return;
    if (!n.IsMap()) {
      fail(n, "bad rule", "analytics.parameters must be a map");
      return;
    }
    for (const auto& entry : n) {
      const std::string name = entry.first.Scalar();
      const parameter_spec* spec = nullptr;
      for (const parameter_spec& s : parameter_specs) {
        if (name == s.name) spec = &s;
      }
      if (spec == nullptr || (spec->kinds & bit(r.type)) == 0) {
        std::string known;
        for (const parameter_spec& s : parameter_specs) {
          if ((s.kinds & bit(r.type)) == 0) continue;
          known += known.empty() ? "" : ", ";
          known += s.name;
        }
        fail(entry.first, "bad parameter",
             "unknown parameter '" + name + "' for " + kind_name(r.type) + " (" + known + ")");
        continue;
      }
      const std::string text = entry.second.IsScalar() ? entry.second.Scalar() : std::string();
      switch (spec->type) {
        case value_kind::duration: {
          auto d = parse_duration(text);
          if (!d || *d <= 0) {
            fail(entry.second, "bad parameter",
                 name + ": '" + text + "' is not a duration (like 30s, 5m, 2h, 7d)");
          } else {
            r.params.*(spec->duration) = *d;
          }
          break;
        }
        case value_kind::count: {
          std::size_t v = 0;
          auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
          if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
            fail(entry.second, "bad parameter", name + ": '" + text + "' is not a whole number");
          } else {
            r.params.*(spec->count) = v;
          }
          break;
        }
        case value_kind::ratio:
        case value_kind::bits: {
          double v = 0;
          auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
          const double top = spec->type == value_kind::ratio ? 1.0 : 8.0;
          if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
              !std::isfinite(v) || v < 0 || v > top) {
            fail(entry.second, "bad parameter",
                 name + ": '" + text + "' is not a number from 0 to " + (top == 1.0 ? "1" : "8"));
          } else {
            r.params.*(spec->ratio) = v;
          }
          break;
        }
      }
    }
  }

  // Parameters that only make sense together.
  void check(const YAML::Node& a, const rule& r) {
    const YAML::Node at = a["parameters"].IsDefined() ? a["parameters"] : a;
    const parameters& p = r.params;
    if (r.type == kind::beaconing) {
      if (p.min_count < 3) fail(at, "bad parameter", "min_count must be at least 3 (two intervals)");
      if (p.history < p.min_count) fail(at, "bad parameter", "history must be at least min_count");
      if (p.min_period >= p.max_period) fail(at, "bad parameter", "min_period must be below max_period");
      if (p.max_pairs == 0) fail(at, "bad parameter", "max_pairs must be above 0");
    }
    if (r.type == kind::dns_tunnel) {
      if (p.min_distinct < 2) fail(at, "bad parameter", "min_distinct must be at least 2");
      if (p.max_domains == 0) fail(at, "bad parameter", "max_domains must be above 0");
    }
    if (r.type == kind::rare_domain && p.max_domains == 0) {
      fail(at, "bad parameter", "max_domains must be above 0");
    }
    if (r.type == kind::spaced_attempts) {
      if (p.min_count < 2) fail(at, "bad parameter", "min_count must be at least 2 (one interval)");
      if (p.max_sources == 0) fail(at, "bad parameter", "max_sources must be above 0");
      if (r.match.empty()) fail(a, "bad rule", "analytics.match is missing (which events are attempts)");
    }
  }

  const std::string& file_;
  const YAML::Node& doc_;
  std::vector<load_problem>& problems_;
  bool ok_ = true;
};

}  // namespace

const char* kind_name(kind k) {
  switch (k) {
    case kind::beaconing: return "beaconing";
    case kind::dns_tunnel: return "dns_tunnel";
    case kind::rare_domain: return "rare_domain";
    case kind::spaced_attempts: return "spaced_attempts";
  }
  return "?";
}

bool is_analytics_text(std::string_view text) {
  return text.starts_with("analytics:") || text.find("\nanalytics:") != std::string_view::npos;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data() || value < 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::int64_t scale = 0;
  if (unit == "ms") {
    scale = 1'000'000;
  } else if (unit == "s") {
    scale = 1'000'000'000;
  } else if (unit == "m") {
    scale = 60'000'000'000;
  } else if (unit == "h") {
    scale = 3600'000'000'000;
  } else if (unit == "d") {
    scale = 86400'000'000'000;
  } else {
    return std::nullopt;
  }
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(value, scale, &ns)) return std::nullopt;
  return ns;
}

void read_rules(const std::string& text, const std::string& file, std::vector<rule>& rules,
                std::vector<load_problem>& problems) {
  std::vector<YAML::Node> docs;
  try {
    docs = config::load_all_documents(text);
  } catch (const YAML::Exception& e) {
    problems.push_back({file, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax", "YAML: " + e.msg});
    return;
  }
  for (const YAML::Node& doc : docs) {
    if (!doc.IsMap() || !doc["analytics"].IsDefined()) continue;
    try {
      rule r;
      reader rd(file, doc, problems);
      if (rd.read(r)) rules.push_back(std::move(r));
    } catch (const YAML::Exception& e) {
      problems.push_back({file, e.mark.line + 1, e.mark.column + 1, "", "bad rule", "YAML: " + e.msg});
    }
  }
}

}  // namespace mimamori::analytics
