#include "analytics/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "analytics/fields.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::analytics {

engine::~engine() = default;

void engine::load(const std::string& path, load_report& report) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string ext = it->path().extension().string();
      if (ext == ".yml" || ext == ".yaml") files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::exists(path, ec)) {
    files.push_back(path);
  } else {
    throw std::runtime_error(path + ": no such rule file or directory");
  }
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in.is_open()) continue;  // the Sigma loader reports unreadable files
    std::ostringstream text;
    text << in.rdbuf();
    load_text(text.str(), f, report);
  }
}

void engine::load_text(const std::string& text, const std::string& name, load_report& report) {
  if (!is_analytics_text(text)) return;
  std::vector<rule> rules;
  const std::size_t problems = report.problems.size();
  read_rules(text, name, rules, report.problems);
  if (rules.empty() && report.problems.size() == problems) return;  // "analytics:" was not a key
  files_.insert(name);
  ++report.files;
  for (rule& r : rules) {
    const bool duplicate = std::any_of(detectors_.begin(), detectors_.end(), [&](const auto& d) {
      return d->definition().key() == r.key();
    });
    if (duplicate) {
      // Saved state is keyed by rule: two rules cannot share a key.
      report.problems.push_back({name, r.meta.line, 1, r.meta.id, "duplicate rule",
                                 "another analytics rule has the id (or title) '" + r.key() + "'"});
      continue;
    }
    rules_.push_back(std::make_unique<rule>(std::move(r)));
    const rule& kept = *rules_.back();
    switch (kept.type) {
      case kind::beaconing: detectors_.push_back(make_beaconing(kept)); break;
      case kind::dns_tunnel: detectors_.push_back(make_dns_tunnel(kept)); break;
      case kind::rare_domain: detectors_.push_back(make_rare_domain(kept)); break;
      case kind::spaced_attempts: detectors_.push_back(make_spaced_attempts(kept)); break;
    }
    ++report.loaded;
  }
}

std::size_t engine::detect(const event::record& e, std::string& out) {
  if (detectors_.empty()) return 0;
  auto stamp = e.string("@timestamp");
  std::optional<time::timestamp> t;
  if (stamp) t = time::parse_rfc3339(*stamp);
  if (!t) {
    ++untimed_;
    return 0;
  }
  const event_context context{e, e.string("organization.id").value_or("default"), *t};
  std::size_t raised = 0;
  for (const auto& d : detectors_) {
    const rule& r = d->definition();
    auto all = [&e](const std::vector<field_match>& matches) {
      return std::all_of(matches.begin(), matches.end(), [&e](const field_match& m) {
        return field_equals_any(e, m.field, m.values);
      });
    };
    if (!r.cancel.empty() && all(r.cancel)) {
      d->cancel(context);
    } else if (all(r.match)) {
      raised += d->process(context, out);
    }
  }
  return raised;
}

void engine::save(nlohmann::json& state) const {
  state = nlohmann::json::object();
  for (const auto& d : detectors_) {
    nlohmann::json one;
    d->save(one);
    state[d->definition().key()] = std::move(one);
  }
}

void engine::restore(const nlohmann::json& state) {
  if (!state.is_object()) throw std::runtime_error("analytics state: not a JSON object");
  for (const auto& d : detectors_) {
    const std::string& key = d->definition().key();
    auto it = state.find(key);
    if (it == state.end()) continue;
    try {
      d->restore(*it);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("analytics state of rule '" + key + "': " + e.what());
    }
  }
}

detector_counters engine::counters() const {
  detector_counters total;
  for (const auto& d : detectors_) {
    total.alerts += d->counters().alerts;
    total.evicted += d->counters().evicted;
    total.late += d->counters().late;
  }
  return total;
}

}  // namespace mimamori::analytics
