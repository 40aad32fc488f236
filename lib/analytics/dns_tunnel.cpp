// dns_tunnel: many distinct long, random-looking names under one domain.
//
// A name is suspicious when the part left of its registered domain (dots
// not counted) is at least `min_length` characters long, its Shannon
// entropy is at least `min_entropy` bits per character, and at most
// `max_word_share` of its adjacent letter pairs are common in English words:
// encoded data (base32/base64/hex, as iodine, dnscat2 and DNS exfiltration
// put there) rather than the words of a long descriptive host name, whose
// entropy alone can be as high. Per (organisation, registered domain) the
// distinct suspicious names are counted in a window that opens at the first
// one and lasts `window`; at `min_distinct` the rule fires once for that
// window. Distinct names are kept as 64-bit hashes, at most min_distinct per
// domain; at most `max_domains` domains are tracked (the least recently seen
// go first, counted).
#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "analytics/alert.hpp"
#include "analytics/detector.hpp"
#include "analytics/domain.hpp"
#include "analytics/fields.hpp"
#include "ndjson/json_text.hpp"

namespace mimamori::analytics {

namespace {

struct domain_state {
  std::int64_t window_start = 0;
  std::int64_t first = 0, last = 0;
  std::uint64_t queries = 0;  // suspicious queries in the window
  std::vector<std::uint64_t> names;  // hashes of the distinct suspicious names, sorted
  std::vector<std::string> samples;  // the first few names
  std::vector<std::string> sources;  // the first few sources
  double max_entropy = 0;
  std::size_t max_length = 0;
  bool alerted = false;
};

void add_sample(std::vector<std::string>& list, std::string_view value, std::size_t limit) {
  if (list.size() >= limit) return;
  if (std::find(list.begin(), list.end(), value) != list.end()) return;
  list.emplace_back(value);
}

class dns_tunnel final : public detector {
 public:
  explicit dns_tunnel(const rule& r) : detector(r), suffixes_(suffix_list::shipped()) {}

  std::size_t process(const event_context& e, std::string& out) override {
    auto field = first_field(e.event, rule_.domain_fields, buffer_);
    if (!field) return 0;
    if (!normalise_name(field->value, name_)) return 0;
    const std::string* name = &name_;
    auto registered = suffixes_.registered_domain(*name);
    if (!registered || registered->size() >= name->size()) return 0;
    if (is_ignored(*name, rule_.ignore)) return 0;
    const std::string_view sub = std::string_view(*name).substr(0, name->size() - registered->size() - 1);
    std::size_t length = 0;
    for (char c : sub) length += c != '.';
    const parameters& q = rule_.params;
    if (length < q.min_length) return 0;
    const double entropy = shannon_entropy(sub);
    if (entropy < q.min_entropy) return 0;
    if (word_bigram_share(sub) > q.max_word_share) return 0;

    key_.assign(e.organization);
    key_.push_back('\x1f');
    key_.append(*registered);
    auto it = domains_.find(key_);
    if (it == domains_.end()) {
      if (domains_.size() >= q.max_domains) evict();
      it = domains_.emplace(key_, domain_state{}).first;
      open_window(it->second, e.time.ns);
    }
    domain_state& d = it->second;
    if (e.time.ns >= shifted(d.window_start, q.window)) open_window(d, e.time.ns);
    if (e.time.ns < shifted(d.window_start, -q.window)) {
      ++counters_.late;  // older than a window before the open one
      return 0;
    }
    ++d.queries;
    d.first = std::min(d.first, e.time.ns);
    d.last = std::max(d.last, e.time.ns);
    d.max_entropy = std::max(d.max_entropy, entropy);
    d.max_length = std::max(d.max_length, length);
    if (d.alerted) return 0;
    const std::uint64_t h = stable_hash(*name);
    auto pos = std::lower_bound(d.names.begin(), d.names.end(), h);
    if (pos != d.names.end() && *pos == h) return 0;
    d.names.insert(pos, h);
    add_sample(d.samples, *name, q.samples);
    std::string source_buffer;
    static const std::vector<std::string> source_fields = {"source.ip", "client.ip", "host.name"};
    if (auto source = first_field(e.event, source_fields, source_buffer)) {
      add_sample(d.sources, source->value, q.samples);
    }
    if (d.names.size() < q.min_distinct) return 0;

    d.alerted = true;
    ++counters_.alerts;
    alert_summary s;
    s.organization = e.organization;
    s.group = {{"registered_domain", *registered}};
    s.count = d.queries;
    s.first = time::timestamp{d.first};
    s.last = time::timestamp{d.last};
    s.message = std::to_string(d.names.size()) + " distinct long random-looking names under " +
                std::string(*registered) + " (up to " + std::to_string(d.max_length) +
                " characters, entropy up to " + format(d.max_entropy) + " bits per character)";
    write_alert(out, rule_, e.event, s, [&](event::builder& b) {
      b.field("registered_domain", *registered);
      b.field("distinct", static_cast<std::uint64_t>(d.names.size()));
      b.field("max_length", static_cast<std::uint64_t>(d.max_length));
      b.field("max_entropy", rounded(d.max_entropy));
      b.key("samples").begin_array();
      for (const std::string& n : d.samples) b.value(n);
      b.end_array();
      b.key("sources").begin_array();
      for (const std::string& n : d.sources) b.value(n);
      b.end_array();
    });
    d.names.clear();  // the window has alerted: its names are no longer needed
    d.names.shrink_to_fit();
    return 1;
  }

  void save(nlohmann::json& state) const override {
    std::vector<const std::pair<const std::string, domain_state>*> sorted;
    for (const auto& entry : domains_) sorted.push_back(&entry);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
    nlohmann::json list = nlohmann::json::array();
    for (const auto* entry : sorted) {
      const domain_state& d = entry->second;
      list.push_back({{"key", entry->first},
                      {"window_start", d.window_start},
                      {"first", d.first},
                      {"last", d.last},
                      {"queries", d.queries},
                      {"names", d.names},
                      {"samples", d.samples},
                      {"sources", d.sources},
                      {"max_entropy", d.max_entropy},
                      {"max_length", d.max_length},
                      {"alerted", d.alerted}});
    }
    state = {{"type", "dns_tunnel"}, {"domains", std::move(list)}};
  }

  void restore(const nlohmann::json& state) override {
    domains_.clear();
    if (!state.is_object() || state.value("type", "") != "dns_tunnel" || !state.contains("domains") ||
        !state["domains"].is_array()) {
      throw std::runtime_error("not the state of a dns_tunnel rule");
    }
    try {
      for (const auto& item : state["domains"]) {
        domain_state d;
        d.window_start = item.at("window_start").get<std::int64_t>();
        d.first = item.at("first").get<std::int64_t>();
        d.last = item.at("last").get<std::int64_t>();
        d.queries = item.at("queries").get<std::uint64_t>();
        d.names = item.at("names").get<std::vector<std::uint64_t>>();
        std::sort(d.names.begin(), d.names.end());
        d.samples = item.at("samples").get<std::vector<std::string>>();
        d.sources = item.at("sources").get<std::vector<std::string>>();
        d.max_entropy = item.at("max_entropy").get<double>();
        d.max_length = item.at("max_length").get<std::size_t>();
        d.alerted = item.at("alerted").get<bool>();
        domains_[item.at("key").get<std::string>()] = std::move(d);
      }
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(std::string("dns_tunnel state: ") + e.what());
    }
  }

 private:
  static std::string format(double v) {
    std::string s;
    ndjson::append_double(s, rounded(v));
    return s;
  }

  static void open_window(domain_state& d, std::int64_t t) {
    d = domain_state{};
    d.window_start = t;
    d.first = t;
    d.last = t;
  }

  // The least recently seen quarter of the domains goes (ties by key).
  void evict() {
    std::vector<std::pair<std::int64_t, const std::string*>> by_age;
    for (const auto& [key, d] : domains_) by_age.emplace_back(d.last, &key);
    std::sort(by_age.begin(), by_age.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : *a.second < *b.second;
    });
    const std::size_t drop = std::max<std::size_t>(1, by_age.size() / 4);
    std::vector<std::string> doomed;
    for (std::size_t i = 0; i < drop; ++i) doomed.push_back(*by_age[i].second);
    for (const std::string& k : doomed) domains_.erase(k);
    counters_.evicted += doomed.size();
  }

  const suffix_list& suffixes_;
  std::unordered_map<std::string, domain_state> domains_;
  std::string key_, buffer_, name_;
};

}  // namespace

std::unique_ptr<detector> make_dns_tunnel(const rule& r) { return std::make_unique<dns_tunnel>(r); }

}  // namespace mimamori::analytics
