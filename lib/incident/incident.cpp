#include "incident/incident.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "event/builder.hpp"
#include "time/format.hpp"

namespace mimamori::incident {

namespace {

// What happened, per rule family, in English and Japanese. Placeholders:
// {entity} {rule} {count} {first} {last} {indicators}.
struct summary_template {
  std::string_view family;
  std::string_view en;
  std::string_view ja;
};

constexpr summary_template templates[] = {
    {"threat-intel",
     "{entity} communicated {count} times with destinations listed in threat intelligence "
     "({indicators}) between {first} and {last}.",
     "{entity} が脅威インテリジェンスに掲載された宛先（{indicators}）と {first} から {last} "
     "までに {count} 回通信しました。"},
    {"command-and-control",
     "{entity} contacted a command-and-control server ({indicators}) {count} times between "
     "{first} and {last}: it is probably infected.",
     "{entity} が C&C サーバ（{indicators}）と {first} から {last} までに {count} "
     "回通信しました。感染している可能性があります。"},
    {"credential-access",
     "Attempts to obtain credentials on {entity}: {rule} ({count} alerts, {first} to {last}).",
     "{entity} で認証情報の窃取を狙う活動を検知しました: {rule}（{count} 件、{first} 〜 {last}）。"},
    {"initial-access",
     "Possible intrusion into {entity}: {rule} ({count} alerts, {first} to {last}).",
     "{entity} への侵入の可能性があります: {rule}（{count} 件、{first} 〜 {last}）。"},
    {"malware",
     "Malware was detected on {entity}: {rule} ({count} alerts, {first} to {last}).",
     "{entity} でマルウェアを検知しました: {rule}（{count} 件、{first} 〜 {last}）。"},
    {"execution",
     "Suspicious program execution on {entity}: {rule} ({count} alerts, {first} to {last}).",
     "{entity} で不審なプログラムの実行を検知しました: {rule}（{count} 件、{first} 〜 {last}）。"},
    {"", "{rule} on {entity}: {count} alerts between {first} and {last}.",
     "{entity} で「{rule}」を検知しました（{count} 件、{first} 〜 {last}）。"},
};

// ATT&CK enterprise tactics in kill-chain order.
constexpr std::array<std::string_view, 14> kill_chain = {
    "reconnaissance",    "resource-development", "initial-access",   "execution",
    "persistence",       "privilege-escalation", "defense-evasion",  "credential-access",
    "discovery",         "lateral-movement",     "collection",       "command-and-control",
    "exfiltration",      "impact"};

std::string slug(std::string_view name) {
  std::string s;
  for (char c : name) {
    if (c == ' ' || c == '_') {
      s.push_back('-');
    } else {
      s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return s;
}

std::string join(const std::vector<std::string>& list, std::string_view sep, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < list.size() && i < max; ++i) {
    if (i > 0) out += sep;
    out += list[i];
  }
  if (list.size() > max) out += std::string(sep) + "...";
  return out;
}

std::string minute_text(time::timestamp t) {
  std::string s = time::format_utc_ms(t);  // 2024-10-03T03:00:00.000Z
  return s.substr(0, 10) + " " + s.substr(11, 5) + " UTC";
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

void string_array(event::builder& b, std::string_view name, const std::vector<std::string>& list) {
  b.key(name).begin_array();
  for (const std::string& s : list) b.value(std::string_view(s));
  b.end_array();
}

void time_field(event::builder& b, std::string_view name, time::timestamp t) {
  char text[time::utc_ms_length];
  time::write_utc_ms(text, t);
  b.field(name, std::string_view(text, sizeof text));
}

}  // namespace

bool add_unique(std::vector<std::string>& list, std::string_view value, std::size_t cap) {
  if (value.empty() || list.size() >= cap) return false;
  if (std::find(list.begin(), list.end(), value) != list.end()) return false;
  list.emplace_back(value);
  return true;
}

std::string make_id(std::string_view org, int year, std::uint64_t sequence) {
  std::string id;
  for (char c : org) {
    id.push_back(std::isalnum(static_cast<unsigned char>(c))
                     ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                     : '-');
  }
  std::string number = std::to_string(sequence);
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  return id + "-" + std::to_string(year) + "-" + number;
}

std::string incident::title() const {
  std::string t = rules.empty() ? family : rules.front();
  if (rules.size() > 1) t += " (+" + std::to_string(rules.size() - 1) + " rules)";
  return t + " on " + entity;
}

std::string incident::stage() const {
  int best = -1;
  for (const std::string& t : tactics) {
    const std::string s = slug(t);
    for (std::size_t i = 0; i < kill_chain.size(); ++i) {
      if (kill_chain[i] == s && static_cast<int>(i) > best) best = static_cast<int>(i);
    }
  }
  return best < 0 ? std::string() : std::string(kill_chain[static_cast<std::size_t>(best)]);
}

std::string incident::summary(std::string_view language) const {
  const summary_template* chosen = &templates[std::size(templates) - 1];
  for (const summary_template& t : templates) {
    if (t.family == family) {
      chosen = &t;
      break;
    }
  }
  const bool ja = language == "ja";
  std::string s(ja ? chosen->ja : chosen->en);
  replace_all(s, "{entity}", entity);
  replace_all(s, "{rule}", rules.empty() ? family : rules.front());
  replace_all(s, "{count}", std::to_string(alert_count));
  replace_all(s, "{first}", minute_text(first_seen));
  replace_all(s, "{last}", minute_text(last_seen));
  replace_all(s, "{indicators}", join(indicators, ", ", 5));
  if (facts.failures_before_success > 0) {
    const std::string n = std::to_string(facts.failures_before_success);
    s += ja ? " " + n + " 回の失敗の後にログインが成功しています。"
            : " A login succeeded after " + n + " failed attempts.";
  }
  if (facts.succeeded == 0 && facts.allowed > 0) {
    s += ja ? " 通信は遮断されずに許可されていました。" : " The connections were allowed, not blocked.";
  } else if (facts.allowed == 0 && facts.blocked > 0) {
    s += ja ? " 通信は遮断されていました。" : " The connections were blocked.";
  }
  if (facts.process_ran && !facts.prevented) {
    s += ja ? " プログラムは実行されました。" : " The program ran.";
  } else if (facts.prevented) {
    s += ja ? " 実行は防止されました。" : " Its execution was prevented.";
  }
  if (!facts.end_of_support.empty()) {
    s += ja ? " この端末はサポート終了の " + facts.end_of_support + " で動いています。"
            : " The host runs " + facts.end_of_support + ", which is past its end of support.";
  }
  return s;
}

void write_record(std::string& out, const incident& i, const record_options& options) {
  event::builder b(out);
  b.begin_object();
  time_field(b, "@timestamp", i.last_seen);
  b.key("event").begin_object();
  b.field("kind", "incident");
  b.key("category").begin_array().value("intrusion_detection").end_array();
  b.key("type").begin_array().value(options.created ? "creation" : "change").end_array();
  b.field("dataset", "mimamori.triage");
  b.field("severity", i.score);
  time_field(b, "start", i.first_seen);
  time_field(b, "end", i.last_seen);
  b.end_object();
  b.key("organization").begin_object().field("id", std::string_view(i.org)).end_object();

  b.key("mimamori").begin_object().key("incident").begin_object();
  b.field("id", std::string_view(i.id));
  b.field("version", i.version);
  b.field("severity", std::string_view(i.label));
  b.field("profile", options.profile);
  if (!i.verdict.empty()) b.field("verdict", std::string_view(i.verdict));
  b.field("status", std::string_view(i.status));
  b.field("family", std::string_view(i.family));
  b.field("title", std::string_view(i.title()));
  const std::string en = i.summary("en");
  const std::string ja = i.summary("ja");
  b.key("summary").begin_object();
  b.field("en", std::string_view(en));
  b.field("ja", std::string_view(ja));
  b.end_object();
  string_array(b, "hosts", i.hosts);
  string_array(b, "users", i.users);
  b.field("alert_count", i.alert_count);
  b.field("suppressed_count", i.suppressed_count);
  time_field(b, "first_seen", i.first_seen);
  time_field(b, "last_seen", i.last_seen);
  string_array(b, "rules", i.rules);
  string_array(b, "indicators", i.indicators);
  string_array(b, "tactics", i.tactics);
  if (std::string stage = i.stage(); !stage.empty()) b.field("stage", std::string_view(stage));
  b.key("reasons").begin_array();
  for (const reason& r : i.reasons) {
    b.begin_object();
    b.field("step", std::string_view(r.step));
    b.field("delta", r.delta);
    b.field("text", std::string_view(r.text));
    b.end_object();
  }
  b.end_array();
  b.key("recommended").begin_object();
  string_array(b, "block_domains", i.recommended.block_domains);
  string_array(b, "block_urls", i.recommended.block_urls);
  string_array(b, "block_ips", i.recommended.block_ips);
  string_array(b, "block_signatures", i.recommended.block_signatures);
  string_array(b, "isolate_hosts", i.recommended.isolate_hosts);
  b.end_object();
  // Tuning incidents and white verdicts are not notified; the lowest level
  // goes into the daily digest.
  if (i.status == "tuning" || i.verdict == "white" || i.status == "closed") {
    b.field("delivery", "none");
  } else if (auto delay = deadline_delay(i.level)) {
    b.field("delivery", "immediate");
    time_field(b, "deadline", i.level_since + *delay);
  } else {
    b.field("delivery", "digest");
  }
  if (i.grey_due && i.verdict == "grey" && !i.replied) time_field(b, "verdict_due", *i.grey_due);
  string_array(b, "evidence", i.evidence);
  b.end_object().end_object();
  b.end_object();
}

nlohmann::json to_json(const incident& i) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const reason& r : i.reasons) reasons.push_back({{"step", r.step}, {"delta", r.delta}, {"text", r.text}});
  const evidence_facts& f = i.facts;
  nlohmann::json j = {
      {"id", i.id},
      {"org", i.org},
      {"family", i.family},
      {"entity", i.entity},
      {"group_key", i.group_key},
      {"version", i.version},
      {"status", i.status},
      {"verdict", i.verdict},
      {"endpoint", i.endpoint},
      {"score", i.score},
      {"level", i.level},
      {"label", i.label},
      {"first_seen", i.first_seen.ns},
      {"last_seen", i.last_seen.ns},
      {"level_since", i.level_since.ns},
      {"replied", i.replied},
      {"alert_count", i.alert_count},
      {"suppressed_count", i.suppressed_count},
      {"rules", i.rules},
      {"hosts", i.hosts},
      {"users", i.users},
      {"indicators", i.indicators},
      {"tactics", i.tactics},
      {"evidence", i.evidence},
      {"recommended",
       {{"block_domains", i.recommended.block_domains},
        {"block_urls", i.recommended.block_urls},
        {"block_ips", i.recommended.block_ips},
        {"block_signatures", i.recommended.block_signatures},
        {"isolate_hosts", i.recommended.isolate_hosts}}},
      {"facts",
       {{"base", f.base},
        {"base_rule", f.base_rule},
        {"confidence", f.confidence},
        {"alerts", f.alerts},
        {"allowed", f.allowed},
        {"blocked", f.blocked},
        {"succeeded", f.succeeded},
        {"failures_before_success", f.failures_before_success},
        {"process_ran", f.process_ran},
        {"prevented", f.prevented},
        {"criticality", f.criticality},
        {"asset", f.asset},
        {"end_of_support", f.end_of_support},
        {"spread_hosts", f.spread_hosts}}},
      {"reasons", reasons},
      {"analyst_revision", i.analyst_revision},
      {"entity_is_user", i.entity_is_user},
  };
  if (i.grey_due) j["grey_due"] = i.grey_due->ns;
  return j;
}

incident from_json(const nlohmann::json& j) {
  incident i;
  i.id = j.value("id", "");
  i.org = j.value("org", "");
  i.family = j.value("family", "");
  i.entity = j.value("entity", "");
  i.group_key = j.value("group_key", "");
  i.version = j.value("version", std::uint64_t{0});
  i.status = j.value("status", "new");
  i.verdict = j.value("verdict", "");
  i.endpoint = j.value("endpoint", false);
  i.score = j.value("score", 0);
  i.level = j.value("level", 3);
  i.label = j.value("label", "");
  i.first_seen.ns = j.value("first_seen", std::int64_t{0});
  i.last_seen.ns = j.value("last_seen", std::int64_t{0});
  i.level_since.ns = j.value("level_since", std::int64_t{0});
  if (j.contains("grey_due")) i.grey_due = time::timestamp{j["grey_due"].get<std::int64_t>()};
  i.replied = j.value("replied", false);
  i.alert_count = j.value("alert_count", std::uint64_t{0});
  i.suppressed_count = j.value("suppressed_count", std::uint64_t{0});
  auto list = [&j](const char* name) {
    return j.contains(name) ? j[name].get<std::vector<std::string>>() : std::vector<std::string>{};
  };
  i.rules = list("rules");
  i.hosts = list("hosts");
  i.users = list("users");
  i.indicators = list("indicators");
  i.tactics = list("tactics");
  i.evidence = list("evidence");
  if (j.contains("recommended")) {
    const auto& r = j["recommended"];
    auto rl = [&r](const char* name) {
      return r.contains(name) ? r[name].get<std::vector<std::string>>() : std::vector<std::string>{};
    };
    i.recommended.block_domains = rl("block_domains");
    i.recommended.block_urls = rl("block_urls");
    i.recommended.block_ips = rl("block_ips");
    i.recommended.block_signatures = rl("block_signatures");
    i.recommended.isolate_hosts = rl("isolate_hosts");
  }
  if (j.contains("facts")) {
    const auto& f = j["facts"];
    i.facts.base = f.value("base", -1);
    i.facts.base_rule = f.value("base_rule", "");
    i.facts.confidence = f.value("confidence", -1);
    i.facts.alerts = f.value("alerts", std::uint64_t{0});
    i.facts.allowed = f.value("allowed", std::uint64_t{0});
    i.facts.blocked = f.value("blocked", std::uint64_t{0});
    i.facts.succeeded = f.value("succeeded", std::uint64_t{0});
    i.facts.failures_before_success = f.value("failures_before_success", std::uint64_t{0});
    i.facts.process_ran = f.value("process_ran", false);
    i.facts.prevented = f.value("prevented", false);
    i.facts.criticality = f.value("criticality", "");
    i.facts.asset = f.value("asset", "");
    i.facts.end_of_support = f.value("end_of_support", "");
    i.facts.spread_hosts = f.value("spread_hosts", std::uint64_t{1});
  }
  if (j.contains("reasons")) {
    for (const auto& r : j["reasons"]) {
      i.reasons.push_back({r.value("step", ""), r.value("delta", 0), r.value("text", "")});
    }
  }
  i.analyst_revision = j.value("analyst_revision", std::uint64_t{0});
  i.entity_is_user = j.value("entity_is_user", false);
  return i;
}

}  // namespace mimamori::incident
