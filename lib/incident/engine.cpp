#include "incident/engine.hpp"

#include <algorithm>
#include <cctype>

#include "event/builder.hpp"
#include "time/format.hpp"
#include "time/parse_any.hpp"
#include "time/rfc3339.hpp"
#include "time/zone.hpp"

namespace mimamori::incident {

namespace {

constexpr std::size_t max_failure_keys = 100000;  // bound on that memory
constexpr std::size_t max_evidence_bytes = 4096;

std::string_view str(const event::record& r, std::string_view path) {
  return r.string(path).value_or(std::string_view{});
}

// A string, or the first string of an array.
std::string_view first_string(const event::record& r, std::string_view path) {
  auto e = r.find(path);
  if (!e) return {};
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) return s;
  simdjson::dom::array a;
  if (e->get_array().get(a) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : a) {
      if (item.get_string().get(s) == simdjson::SUCCESS) return s;
    }
  }
  return {};
}

template <typename Visit>
void each_string(const event::record& r, std::string_view path, Visit visit) {
  auto e = r.find(path);
  if (!e) return;
  std::string_view s;
  if (e->get_string().get(s) == simdjson::SUCCESS) {
    visit(s);
    return;
  }
  simdjson::dom::array a;
  if (e->get_array().get(a) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : a) {
      if (item.get_string().get(s) == simdjson::SUCCESS) visit(s);
    }
  }
}

bool has_word(const event::record& r, std::string_view path, std::string_view word) {
  bool found = false;
  each_string(r, path, [&](std::string_view s) { found = found || s == word; });
  return found;
}

bool icontains(std::string_view text, std::string_view needle) {
  return std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != text.end();
}

std::string slug(std::string_view name) {
  std::string s;
  for (char c : name) {
    s.push_back(c == ' ' || c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return s;
}

bool is_private_ipv4(std::string_view ip) {
  auto starts = [ip](std::string_view p) { return ip.starts_with(p); };
  if (starts("10.") || starts("192.168.") || starts("127.") || starts("169.254.")) return true;
  if (starts("172.")) {
    int second = 0;
    for (std::size_t i = 4; i < ip.size() && ip[i] != '.'; ++i) second = second * 10 + (ip[i] - '0');
    return second >= 16 && second <= 31;
  }
  return false;
}

// What one event or alert says about success.
struct outcome_facts {
  int network = 0;   // 1 allowed, -1 blocked
  bool auth = false;
  int outcome = 0;   // 1 success, -1 failure
  bool prevented = false;
};

outcome_facts classify(const event::record& r) {
  outcome_facts f;
  const std::string_view outcome = str(r, "event.outcome");
  f.outcome = outcome == "success" ? 1 : outcome == "failure" ? -1 : 0;
  f.auth = has_word(r, "event.category", "authentication");
  const std::string_view action = str(r, "event.action");
  const bool denied = has_word(r, "event.type", "denied") || icontains(action, "deny") ||
                      icontains(action, "denied") || icontains(action, "block") ||
                      icontains(action, "drop") || icontains(action, "reject");
  f.prevented = denied || icontains(action, "quarantin") || icontains(action, "prevent") ||
                has_word(r, "event.type", "deletion");
  const bool network = has_word(r, "event.category", "network") || has_word(r, "event.category", "web");
  if (denied) {
    f.network = -1;
  } else if (has_word(r, "event.type", "allowed") && !f.auth) {
    f.network = 1;
  } else if (network && f.outcome == 1) {
    auto status = r.integer("http.response.status_code");
    f.network = (!status || *status < 400) ? 1 : -1;
  } else if (network && f.outcome == -1) {
    f.network = -1;
  }
  return f;
}

void write_suppressed(std::string& out, const event::record& alert, std::string_view org,
                      time::timestamp when, bool has_time, std::string_view by,
                      const exception_entry* e, std::string_view dedup_key,
                      std::string_view incident_id, std::string_view window) {
  event::builder b(out);
  b.begin_object();
  if (has_time) {
    char text[time::utc_ms_length];
    time::write_utc_ms(text, when);
    b.field("@timestamp", std::string_view(text, sizeof text));
  }
  b.key("event").begin_object();
  b.field("kind", "event");
  b.field("dataset", "mimamori.suppressed");
  b.field("action", "suppressed");
  b.field("reason", by == "exception" ? "exception list" : "duplicate within the dedup window");
  b.end_object();
  b.key("organization").begin_object().field("id", org).end_object();
  if (auto name = alert.string("rule.name")) {
    b.key("rule").begin_object();
    if (auto id = alert.string("rule.id")) b.field("id", *id);
    b.field("name", *name);
    b.end_object();
  }
  b.key("mimamori").begin_object().key("suppressed").begin_object();
  b.field("by", by);
  if (e != nullptr) {
    b.key("exception").begin_object();
    b.field("id", e->id);
    b.field("kind", kind_name(e->kind));
    b.field("value", std::string_view(e->value));
    b.field("owner", std::string_view(e->owner));
    b.field("reason", std::string_view(e->reason));
    if (!e->ticket.empty()) b.field("ticket", std::string_view(e->ticket));
    b.field("hits", e->hits);
    b.end_object();
  }
  if (!dedup_key.empty()) b.field("key", dedup_key);
  if (!window.empty()) b.field("window", window);
  if (!incident_id.empty()) b.field("incident", incident_id);
  b.raw_field("alert", alert.text());
  b.end_object().end_object();
  b.end_object();
  out.push_back('\n');
}

// A change that is written at once (more than counts).
struct shape {
  std::string label;
  std::string verdict;
  std::string status;
  std::size_t sizes[9] = {};
  explicit shape(const incident& i)
      : label(i.label), verdict(i.verdict), status(i.status),
        sizes{i.hosts.size(), i.users.size(), i.indicators.size(), i.tactics.size(),
              i.recommended.block_domains.size(), i.recommended.block_urls.size(),
              i.recommended.block_ips.size(), i.recommended.block_signatures.size(),
              i.recommended.isolate_hosts.size()} {}
  bool operator==(const shape& o) const {
    return label == o.label && verdict == o.verdict && status == o.status &&
           std::equal(std::begin(sizes), std::end(sizes), std::begin(o.sizes));
  }
};

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9' || n > 1'000'000'000) return std::nullopt;
    n = n * 10 + (text[i] - '0');
  }
  switch (text.back()) {
    case 's': return std::chrono::seconds(n);
    case 'm': return std::chrono::minutes(n);
    case 'h': return std::chrono::hours(n);
    case 'd': return std::chrono::hours(24 * n);
    default: return std::nullopt;
  }
}

std::optional<dedup_rule> parse_dedup_rule(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto window = parse_duration(text.substr(colon + 1));
  if (!window || window->count() <= 0) return std::nullopt;
  dedup_rule rule;
  rule.window = *window;
  rule.text = std::string(text);
  std::string_view keys = text.substr(0, colon);
  while (!keys.empty()) {
    const std::size_t comma = keys.find(',');
    std::string_view key = keys.substr(0, comma);
    keys = comma == std::string_view::npos ? std::string_view{} : keys.substr(comma + 1);
    std::vector<std::string> alternatives;
    while (!key.empty()) {
      const std::size_t bar = key.find('|');
      std::string_view field = key.substr(0, bar);
      key = bar == std::string_view::npos ? std::string_view{} : key.substr(bar + 1);
      if (field.empty()) return std::nullopt;
      alternatives.emplace_back(field);
    }
    if (alternatives.empty()) return std::nullopt;
    rule.fields.push_back(std::move(alternatives));
  }
  if (rule.fields.empty()) return std::nullopt;
  return rule;
}

dedup_rule default_dedup_rule() {
  return *parse_dedup_rule(
      "host.name|host.hostname|host.ip,file.hash.sha256|file.hash.sha1|file.hash.md5:72h");
}

std::optional<tuning_period> parse_tuning(std::string_view text) {
  const std::size_t first = text.find(':');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  tuning_period t;
  t.org = std::string(text.substr(0, first));
  std::string_view rest = text.substr(first + 1);
  const std::size_t second = rest.find(':');
  std::string_view days = rest.substr(0, second);
  if (days.empty() || days.size() > 4) return std::nullopt;
  t.days = 0;
  for (char c : days) {
    if (c < '0' || c > '9') return std::nullopt;
    t.days = t.days * 10 + (c - '0');
  }
  if (second != std::string_view::npos) {
    auto start = time::parse_any(rest.substr(second + 1), time::timestamp{}, time::zone::utc());
    if (!start) return std::nullopt;
    t.start = *start;
  }
  return t;
}

incident* engine_state::add(std::unique_ptr<incident> i) {
  incident* p = i.get();
  incidents.push_back(std::move(i));
  by_id[p->id] = p;
  if (p->status != "closed") by_group[p->group_key] = p;
  return p;
}

void engine_state::mark(incident* i) {
  if (!i->dirty) {
    i->dirty = true;
    dirty.push_back(i);
  }
}

void engine::observe(const event::record& r) {
  event_context& c = state_.context;
  auto original = r.string("event.original");
  if (!original && !c.valid) return;
  c.last_changed = true;
  c.valid = original.has_value();
  if (!c.valid) {
    c.original.clear();
    return;
  }
  c.original.assign(*original);
  const outcome_facts facts = classify(r);
  c.network = facts.network;
  c.auth = facts.auth;
  c.outcome = facts.outcome;
  c.prevented = facts.prevented;
  c.failures_before = 0;
  if (!facts.auth || facts.outcome == 0) return;
  auto stamp = r.string("@timestamp");
  auto when = stamp ? time::parse_rfc3339(*stamp) : std::nullopt;
  if (!when) return;
  std::string key(str(r, "organization.id"));
  key += '\x1f';
  std::string_view host = str(r, "host.name");
  key += host.empty() ? str(r, "host.hostname") : host;
  key += '\x1f';
  key += str(r, "source.ip");
  if (facts.outcome < 0) {
    if (c.auth_failures.size() >= max_failure_keys) {
      c.auth_failures.clear();
      c.changed_failures.clear();
      c.failures_cleared = true;
    }
    auto& f = c.auth_failures[key];
    if (f.count > 0 && *when - f.last > failure_window) f.count = 0;
    ++f.count;
    f.last = *when;
    c.changed_failures.push_back(std::move(key));
  } else if (auto it = c.auth_failures.find(key); it != c.auth_failures.end()) {
    if (*when - it->second.last <= failure_window) c.failures_before = it->second.count;
    c.auth_failures.erase(it);
    c.changed_failures.push_back(std::move(key));
  }
}

void engine::explain(incident& i) {
  compute_score(i.facts, i.reasons);
  // A grey verdict the timer turned white keeps its due time; an analyst's
  // verdict clears it.
  if (i.verdict == "white" && i.grey_due && !i.replied) {
    i.reasons.push_back({"verdict", 0,
                         "grey with no reply by " + time::format_utc_ms(*i.grey_due) +
                             ": treated as white"});
  }
}

void engine::rate(incident& i, time::timestamp at) {
  evidence_facts& f = i.facts;
  f.alerts = i.alert_count;
  if (!assets_.empty()) {
    const asset* a = assets_.find(i.org, i.entity);
    for (std::size_t k = 0; a == nullptr && k < i.hosts.size(); ++k) a = assets_.find(i.org, i.hosts[k]);
    if (a != nullptr) {
      f.criticality = a->criticality;
      f.asset = a->hostname.empty() ? (a->address.empty() ? a->mac : a->address) : a->hostname;
      if (std::string eos = end_of_support(*a, at); !eos.empty()) f.end_of_support = eos;
    }
  }
  i.score = score_only(f);
  const int level = level_of(options_.profile, i.score);
  if (i.label.empty() || level != i.level) {
    i.level = level;
    i.level_since = at;
  }
  if (i.label != options_.profile.labels[i.level]) i.label = std::string(options_.profile.labels[i.level]);
  if (i.endpoint && !i.replied && i.verdict != "white") {
    if (i.score >= 70) {
      i.verdict = "black";
      i.grey_due.reset();
    } else if (i.verdict != "black") {
      i.verdict = "grey";
      if (!i.grey_due) {
        i.grey_due = options_.calendar.add_business_days(at, options_.grey_business_days);
        timers_.emplace(*i.grey_due, i.id);
      }
    }
  }
  const bool worked = f.allowed > 0 || f.succeeded > 0 || (f.process_ran && !f.prevented) ||
                      i.verdict == "black";
  if (i.level <= 1 && worked && !i.entity_is_user) add_unique(i.recommended.isolate_hosts, i.entity);
}

void engine::explain_dirty() {
  for (incident* i : state_.dirty) explain(*i);
}

void engine::write(incident& i, bool created, std::string& out) {
  ++i.version;
  explain(i);
  write_record(out, i, {options_.profile.name, created});
  out.push_back('\n');
  i.pending_write = false;
  state_.mark(&i);
  ++counts_.records;
}

engine::written engine::process(const event::record& alert, std::string& out, std::string& suppressed) {
  written w;
  ++counts_.alerts;
  const std::string_view org = alert.string("organization.id").value_or("default");
  auto stamp = alert.string("@timestamp");
  std::optional<time::timestamp> parsed = stamp ? time::parse_rfc3339(*stamp) : std::nullopt;
  const bool has_time = parsed.has_value();
  const time::timestamp when =
      parsed ? *parsed : (state_.watermark == time::timestamp::min() ? time::timestamp{} : state_.watermark);
  if (when > state_.watermark) state_.watermark = when;
  // Timers the watermark has passed fire before this alert is applied.
  if (!timers_.empty() && state_.watermark >= timers_.begin()->first) {
    if (before_timers) before_timers();
    w.incidents += run_timers(state_.watermark, out);
  }

  // Who is affected: a host the alert names (not the network device that
  // logged it), else the internal side of the connection, else the user.
  const std::string_view observer_type = str(alert, "observer.type");
  const bool network_device = observer_type == "firewall" || observer_type == "proxy" ||
                              observer_type == "ids" || observer_type == "ips" ||
                              observer_type == "router" || observer_type == "waf" ||
                              observer_type == "dns" || observer_type == "utm";
  std::string_view matched_field;
  {
    auto e = alert.find("threat.enrichments");
    simdjson::dom::array a;
    if (e && e->get_array().get(a) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : a) {
        std::string_view s;
        if (item.at_pointer("/matched/field").get_string().get(s) == simdjson::SUCCESS) {
          matched_field = s;
          break;
        }
      }
    }
  }
  std::string_view host = str(alert, "host.name");
  if (host.empty()) host = str(alert, "host.hostname");
  if (host.empty()) host = first_string(alert, "host.ip");
  if (network_device) host = {};
  const std::string_view user = str(alert, "user.name");
  std::string_view entity = host;
  if (entity.empty()) {
    entity = matched_field.starts_with("source.") ? str(alert, "destination.ip") : str(alert, "source.ip");
    if (entity.empty()) entity = str(alert, "destination.ip");
  }
  const bool entity_is_user = entity.empty() && !user.empty();
  if (entity_is_user) entity = user;
  if (entity.empty()) entity = "unknown";

  // The rule family the alert belongs to.
  const std::string_view rule_name = str(alert, "rule.name");
  const std::string_view ruleset = str(alert, "rule.ruleset");
  std::string family(str(alert, "rule.category"));
  if (family.empty() && has_word(alert, "event.category", "malware")) family = "malware";
  std::vector<std::string>& tactics = tactics_;
  tactics.clear();
  each_string(alert, "threat.tactic.name", [&](std::string_view t) { add_unique(tactics, t); });
  const bool outbound_intel = ruleset == "mimamori-intel" &&
                              (matched_field.starts_with("destination.") ||
                               matched_field.starts_with("url.") || matched_field.starts_with("dns."));
  if (outbound_intel) add_unique(tactics, "Command and Control");
  if (family.empty() && !tactics.empty()) family = slug(tactics.front());
  if (family.empty()) family = ruleset.empty() ? std::string(str(alert, "event.module")) : std::string(ruleset);
  if (family.empty()) family = "other";

  std::string& group_key = group_key_;
  group_key.assign(org);
  group_key += '\x1f';
  group_key += family;
  group_key += '\x1f';
  group_key += entity;
  incident* open = nullptr;
  if (auto it = state_.by_group.find(group_key); it != state_.by_group.end()) {
    incident* i = it->second;
    if (i->status != "closed" && when <= i->last_seen + options_.group_gap &&
        when + options_.group_gap >= i->first_seen) {
      open = i;
    }
  }

  // 1. The exception list.
  if (exception_entry* e = state_.exceptions.match(org, when, alert)) {
    ++e->hits;
    ++e->new_hits;
    ++counts_.suppressed_by_exception;
    if (open != nullptr) {
      ++open->suppressed_count;
      open->pending_write = true;
      pending_.push_back(open);
      state_.mark(open);
    }
    write_suppressed(suppressed, alert, org, when, has_time, "exception", e, {},
                     open != nullptr ? std::string_view(open->id) : std::string_view{}, {});
    w.suppressed = 1;
    return w;
  }

  // 2. Dedup.
  std::vector<std::string>& dedup_keys = dedup_keys_;
  dedup_keys.clear();
  for (std::size_t r = 0; r < options_.dedup.size(); ++r) {
    const dedup_rule& rule = options_.dedup[r];
    std::string key(org);
    key += '\x1f';
    key += static_cast<char>('0' + r % 10);
    bool complete = true;
    for (const auto& alternatives : rule.fields) {
      std::string_view value;
      for (const std::string& field : alternatives) {
        value = first_string(alert, field);
        if (!value.empty()) break;
      }
      if (value.empty()) {
        complete = false;
        break;
      }
      key += '\x1f';
      key += value;
    }
    if (!complete) continue;
    if (auto it = state_.dedup.find(key); it != state_.dedup.end()) {
      const auto gap = when > it->second.last ? when - it->second.last : it->second.last - when;
      if (gap < rule.window) {
        ++counts_.suppressed_by_dedup;
        incident* target = nullptr;
        if (auto found = state_.by_id.find(it->second.incident); found != state_.by_id.end()) {
          target = found->second;
          ++target->suppressed_count;
          target->pending_write = true;
          pending_.push_back(target);
          state_.mark(target);
        }
        std::string shown = key;
        std::replace(shown.begin(), shown.end(), '\x1f', ' ');
        write_suppressed(suppressed, alert, org, when, has_time, "dedup", nullptr, shown,
                         it->second.incident, rule.text.substr(rule.text.rfind(':') + 1));
        w.suppressed = 1;
        return w;
      }
    }
    dedup_keys.push_back(std::move(key));
  }

  // 3. Group.
  bool created = false;
  if (open == nullptr) {
    auto i = std::make_unique<incident>();
    i->org = std::string(org);
    i->family = family;
    i->entity = std::string(entity);
    i->entity_is_user = entity_is_user;
    i->group_key = group_key;
    const int year = time::civil_from_utc(when).year;
    std::string seq_key = i->org + '\x1f' + std::to_string(year);
    const std::uint64_t number = ++state_.sequences[seq_key];
    state_.dirty_sequences.push_back(seq_key);
    i->id = make_id(org, year, number);
    i->first_seen = when;
    i->last_seen = when;
    auto first = state_.org_first_seen.find(i->org);
    if (first == state_.org_first_seen.end()) {
      first = state_.org_first_seen.emplace(i->org, when).first;
      state_.dirty_orgs.push_back(i->org);
    }
    for (const tuning_period& t : options_.tuning) {
      if (t.org != org) continue;
      const time::timestamp start = t.start.value_or(first->second);
      if (when >= start && when < start + std::chrono::hours(24 * t.days)) i->status = "tuning";
    }
    open = state_.add(std::move(i));
    created = true;
    ++counts_.incidents_new;
  }
  incident& i = *open;
  const shape before(i);
  for (std::string& key : dedup_keys) {
    dedup_state& d = state_.dedup[key];
    d.last = when;
    if (d.incident != i.id) d.incident = i.id;
    state_.dirty_dedup.push_back(std::move(key));
  }

  // 4. Facts.
  ++i.alert_count;
  if (when < i.first_seen) i.first_seen = when;
  if (when > i.last_seen) i.last_seen = when;
  add_unique(i.rules, rule_name.empty() ? std::string_view(family) : rule_name);
  if (!entity_is_user) add_unique(i.hosts, entity);
  if (!host.empty()) add_unique(i.hosts, host);
  if (!user.empty()) add_unique(i.users, user);
  for (const std::string& t : tactics) add_unique(i.tactics, t);
  if (i.evidence.size() < max_evidence) {
    auto original = alert.string("event.original");
    if (original) add_unique(i.evidence, original->substr(0, max_evidence_bytes), max_evidence);
  }
  const std::string_view indicator = str(alert, "threat.indicator.name");
  const std::string_view indicator_type = str(alert, "threat.indicator.type");
  bool new_indicator = add_unique(i.indicators, indicator);
  std::string_view hash = str(alert, "file.hash.sha256");
  if (hash.empty()) hash = str(alert, "file.hash.sha1");
  if (hash.empty()) hash = str(alert, "file.hash.md5");
  if (!hash.empty()) new_indicator = add_unique(i.indicators, hash) || new_indicator;

  evidence_facts& f = i.facts;
  int base = -1;
  if (auto s = alert.integer("event.severity")) {
    // CEF keeps its device severity, 0-10, in event.severity (as Elastic's
    // cef integration does): on the 0-100 scale it is ten times that.
    const std::int64_t scaled = *s <= 10 && alert.has("cef.version") ? *s * 10 : *s;
    base = static_cast<int>(std::clamp<std::int64_t>(scaled, 0, 100));
  } else if (auto d = alert.number("event.severity")) {
    base = static_cast<int>(std::clamp(*d, 0.0, 100.0));
  } else {
    base = score_of_rule_level(str(alert, "rule.level"));
  }
  if (base > f.base) {
    f.base = base;
    f.base_rule = std::string(rule_name.empty() ? family : rule_name);
  }
  int confidence = -1;
  if (auto c = alert.integer("mimamori.indicator.confidence")) {
    confidence = static_cast<int>(*c);
  } else {
    const std::string_view label = str(alert, "threat.indicator.confidence");
    confidence = label == "High" ? 80 : label == "Medium" ? 50 : label == "Low" ? 15 : label == "None" ? 0 : -1;
  }
  f.confidence = std::max(f.confidence, confidence);

  outcome_facts o = classify(alert);
  const event_context& c = state_.context;
  std::uint64_t failures_before = 0;
  if (c.valid) {
    auto original = alert.string("event.original");
    if (original && *original == c.original) {
      if (o.network == 0) o.network = c.network;
      if (o.outcome == 0) o.outcome = c.outcome;
      o.auth = o.auth || c.auth;
      o.prevented = o.prevented || c.prevented;
      failures_before = c.failures_before;
    }
  }
  if (o.network > 0) ++f.allowed;
  if (o.network < 0) ++f.blocked;
  if (o.auth && o.outcome > 0) ++f.succeeded;
  f.failures_before_success = std::max(f.failures_before_success, failures_before);

  const bool endpoint = observer_type == "edr" || observer_type == "endpoint" ||
                        observer_type == "epp" || observer_type == "antivirus" ||
                        observer_type == "xdr" || family == "malware" || !hash.empty();
  if (endpoint) {
    i.endpoint = true;
    if (o.prevented) f.prevented = true;
    if (alert.has("process.executable") || alert.has("process.command_line") ||
        alert.has("process.pid")) {
      if (!o.prevented) f.process_ran = true;
    }
  }
  std::string_view os = str(alert, "host.os.full");
  if (os.empty()) os = str(alert, "host.os.name");
  if (!os.empty() && f.end_of_support.empty()) f.end_of_support = end_of_support_os(os, when);

  // Recommended blocks.
  recommended_actions& rec = i.recommended;
  if (indicator_type == "domain-name") add_unique(rec.block_domains, indicator);
  if (indicator_type == "url") add_unique(rec.block_urls, indicator);
  if (indicator_type == "ipv4-addr" || indicator_type == "ipv6-addr") {
    std::string_view ip = str(alert, "threat.indicator.ip");
    add_unique(rec.block_ips, ip.empty() ? indicator : ip);
  }
  if (outbound_intel) {
    // A listed address reached by name: the name is worth blocking too.
    const std::string_view domain = str(alert, "url.domain");
    if (!domain.empty() && domain != str(alert, "destination.ip") &&
        (indicator_type == "ipv4-addr" || indicator_type == "ipv6-addr" || indicator_type == "url")) {
      add_unique(rec.block_domains, domain);
    }
  }
  if (o.auth || family == "credential-access" || family == "initial-access") {
    const std::string_view src = str(alert, "source.ip");
    if (!src.empty() && src.find(':') == std::string_view::npos && !is_private_ipv4(src) &&
        (o.outcome > 0 || failures_before > 0 || family == "credential-access")) {
      add_unique(rec.block_ips, src);
    }
  }
  const std::string_view module = str(alert, "event.module");
  const bool ids = observer_type == "ids" || observer_type == "ips" || observer_type == "utm" ||
                   module == "suricata" || module == "snort" ||
                   (has_word(alert, "event.category", "intrusion_detection") && !ruleset.empty() &&
                    ruleset != "sigma" && !ruleset.starts_with("mimamori"));
  if (ids && !rule_name.empty()) add_unique(rec.block_signatures, rule_name);

  // Spread: the same indicator (or, without one, the same rule) on several hosts.
  std::vector<std::string>& spread_keys = spread_keys_;
  spread_keys.clear();
  if (!indicator.empty()) spread_keys.emplace_back(indicator);
  if (!hash.empty()) spread_keys.emplace_back(hash);
  if (spread_keys.empty() && !rule_name.empty()) spread_keys.emplace_back("rule:").append(rule_name);
  std::vector<incident*> widened;
  std::uint64_t spread_now = 1;  // hosts of the most widespread key of this alert
  for (const std::string& k : spread_keys) {
    spread_key_.assign(org).append(1, '\x1f').append(k);
    auto found = spread_.find(spread_key_);
    if (found == spread_.end()) found = spread_.emplace(spread_key_, spread_entry{}).first;
    auto& hosts = found->second.hosts;
    auto& holders = found->second.holders;
    if (holders.size() < 16 && (holders.empty() || holders.back() != i.id) &&
        std::find(holders.begin(), holders.end(), i.id) == holders.end()) {
      holders.push_back(i.id);
    }
    if (hosts.size() < 1000 && !hosts.contains(std::string(entity))) {
      hosts.emplace(entity);
    } else {
      spread_now = std::max<std::uint64_t>(spread_now, hosts.size());
      continue;
    }
    spread_now = std::max<std::uint64_t>(spread_now, hosts.size());
    // The score counts up to 4 hosts: only then can other incidents change.
    if (hosts.size() > 1 && hosts.size() <= 4) {
      for (const std::string& id : holders) {
        auto other = state_.by_id.find(id);
        if (other == state_.by_id.end() || other->second == &i || other->second->status == "closed") continue;
        other->second->facts.spread_hosts =
            std::max<std::uint64_t>(other->second->facts.spread_hosts, hosts.size());
        if (std::find(widened.begin(), widened.end(), other->second) == widened.end()) {
          widened.push_back(other->second);
        }
      }
    }
  }
  // Host sets only grow, so the incident's spread is the largest seen.
  i.facts.spread_hosts = std::max(i.facts.spread_hosts, spread_now);

  rate(i, when);
  if (created || !(shape(i) == before)) {
    write(i, created, out);
    ++w.incidents;
  } else {
    i.pending_write = true;
    pending_.push_back(&i);
    state_.mark(&i);
  }
  for (incident* other : widened) {
    const shape was(*other);
    rate(*other, when);
    if (!(shape(*other) == was)) {
      write(*other, false, out);
      ++w.incidents;
    } else {
      state_.mark(other);
    }
  }
  return w;
}

std::uint64_t engine::flush(std::string& out) {
  std::uint64_t n = 0;
  for (incident* i : pending_) {
    if (i->pending_write) {
      write(*i, false, out);
      ++n;
    }
  }
  pending_.clear();
  return n;
}

std::uint64_t engine::run_timers(time::timestamp now, std::string& out) {
  std::uint64_t n = 0;
  // In due order, then by id: the same order after a restart.
  while (!timers_.empty() && timers_.begin()->first <= now) {
    const auto node = timers_.extract(timers_.begin());
    auto found = state_.by_id.find(node.value().second);
    if (found == state_.by_id.end()) continue;
    incident& i = *found->second;
    // Answered, closed or re-armed since: not this timer.
    if (i.verdict != "grey" || i.replied || !i.grey_due || *i.grey_due != node.value().first) continue;
    state_.history.push_back({i.id, *i.grey_due, "triage", "verdict", "grey", "white",
                              "no reply within " + std::to_string(options_.grey_business_days) +
                                  " business days"});
    i.verdict = "white";
    write(i, false, out);
    ++n;
  }
  return n;
}

std::chrono::nanoseconds engine::horizon() const {
  std::chrono::nanoseconds h = options_.group_gap;
  for (const dedup_rule& r : options_.dedup) h = std::max(h, r.window);
  return h;
}

void engine::loaded() {
  spread_.clear();
  timers_.clear();
  for (const auto& i : state_.incidents) {
    if (i->verdict == "grey" && !i->replied && i->grey_due) timers_.emplace(*i->grey_due, i->id);
    if (i->status == "closed") continue;
    std::vector<std::string> keys = i->indicators;
    if (keys.empty()) {
      for (const std::string& r : i->rules) keys.push_back("rule:" + r);
    }
    for (const std::string& k : keys) {
      spread_entry& e = spread_[i->org + '\x1f' + k];
      if (e.hosts.size() < 1000) e.hosts.insert(i->entity);
      if (e.holders.size() < 16) e.holders.push_back(i->id);
    }
  }
}

void engine::evict() {
  const std::chrono::nanoseconds horizon = this->horizon();
  if (state_.watermark == time::timestamp::min()) return;
  auto& list = state_.incidents;
  auto keep_end = std::stable_partition(list.begin(), list.end(), [&](const std::unique_ptr<incident>& i) {
    if (i->dirty || i->pending_write) return true;
    if (i->verdict == "grey" && !i->replied && i->grey_due) return true;  // its timer is running
    return i->last_seen + horizon >= state_.watermark && i->status != "closed";
  });
  for (auto it = keep_end; it != list.end(); ++it) {
    incident* i = it->get();
    if (auto g = state_.by_group.find(i->group_key); g != state_.by_group.end() && g->second == i) {
      state_.by_group.erase(g);
    }
    state_.by_id.erase(i->id);
  }
  list.erase(keep_end, list.end());
  for (auto it = state_.dedup.begin(); it != state_.dedup.end();) {
    if (it->second.last + horizon < state_.watermark) {
      it = state_.dedup.erase(it);
    } else {
      ++it;
    }
  }
  // Failed logins too old to count before a success (the store drops the
  // same ones when it saves).
  auto& failures = state_.context.auth_failures;
  for (auto it = failures.begin(); it != failures.end();) {
    if (it->second.last + failure_window < state_.watermark) {
      it = failures.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace mimamori::incident
