#include "incident/store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace mimamori::incident {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS incidents (
  id TEXT PRIMARY KEY, org TEXT NOT NULL, status TEXT NOT NULL, verdict TEXT NOT NULL,
  label TEXT NOT NULL, score INTEGER NOT NULL, family TEXT NOT NULL, entity TEXT NOT NULL,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, alert_count INTEGER NOT NULL,
  suppressed_count INTEGER NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS incidents_org_time ON incidents(org, first_seen);
CREATE TABLE IF NOT EXISTS history (
  n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL,
  field TEXT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_id ON history(id);
CREATE TABLE IF NOT EXISTS exceptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, org TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
  owner TEXT NOT NULL, reason TEXT NOT NULL, ticket TEXT NOT NULL, created INTEGER NOT NULL,
  expires INTEGER, hits INTEGER NOT NULL DEFAULT 0, UNIQUE(org, kind, value));
CREATE TABLE IF NOT EXISTS dedup (key TEXT PRIMARY KEY, last INTEGER NOT NULL, incident TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sequences (key TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (org TEXT PRIMARY KEY, first_seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS changes (n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS auth_failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (stream TEXT PRIMARY KEY, records INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

class statement {
 public:
  explicit statement(sqlite3_stmt* st) : st_(st) {}
  ~statement() { sqlite3_finalize(st_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  sqlite3_stmt* get() const { return st_; }
  statement& text(int at, std::string_view s) {
    sqlite3_bind_text(st_, at, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& integer(int at, std::int64_t v) {
    sqlite3_bind_int64(st_, at, v);
    return *this;
  }
  statement& null(int at) {
    sqlite3_bind_null(st_, at);
    return *this;
  }
  bool row() { return sqlite3_step(st_) == SQLITE_ROW; }
  int step() { return sqlite3_step(st_); }
  void reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  std::string column_text(int at) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, at));
    return p == nullptr ? std::string() : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, at)));
  }
  std::int64_t column_int(int at) const { return sqlite3_column_int64(st_, at); }
  bool column_null(int at) const { return sqlite3_column_type(st_, at) == SQLITE_NULL; }

 private:
  sqlite3_stmt* st_;
};

std::string first_action(const incident& i) {
  const recommended_actions& r = i.recommended;
  if (!r.isolate_hosts.empty()) return "isolate " + r.isolate_hosts.front();
  if (!r.block_domains.empty()) return "block " + r.block_domains.front();
  if (!r.block_urls.empty()) return "block " + r.block_urls.front();
  if (!r.block_ips.empty()) return "block " + r.block_ips.front();
  if (!r.block_signatures.empty()) return "block signature " + r.block_signatures.front();
  return "review";
}

exception_entry read_exception(const statement& st) {
  exception_entry e;
  e.id = st.column_int(0);
  e.org = st.column_text(1);
  e.kind = kind_from_name(st.column_text(2)).value_or(exception_kind::match);
  e.value = st.column_text(3);
  e.owner = st.column_text(4);
  e.reason = st.column_text(5);
  e.ticket = st.column_text(6);
  e.created = time::timestamp{st.column_int(7)};
  if (!st.column_null(8)) e.expires = time::timestamp{st.column_int(8)};
  e.hits = static_cast<std::uint64_t>(st.column_int(9));
  return e;
}

}  // namespace

store::store(const std::string& path) : path_(path.empty() ? ":memory:" : path) {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error(path_ + ": cannot open the store: " + why);
  }
  sqlite3_busy_timeout(db_, 10000);
  if (!path.empty()) exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec(schema);
  statement st(prepare("SELECT COALESCE(MAX(n), 0) FROM changes"));
  if (st.row()) seen_change_ = st.column_int(0);
}

store::~store() { sqlite3_close(db_); }

void store::fail(const std::string& what) {
  throw std::runtime_error(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

void store::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(path_ + ": " + why);
  }
}

sqlite3_stmt* store::prepare(const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail("cannot prepare a query");
  return st;
}

std::int64_t store::meta_int(const char* key) {
  statement st(prepare("SELECT value FROM meta WHERE key = ?"));
  st.text(1, key);
  return st.row() ? std::stoll(st.column_text(0)) : 0;
}

std::string store::profile() {
  statement st(prepare("SELECT value FROM meta WHERE key = 'profile'"));
  return st.row() ? st.column_text(0) : std::string("mss");
}

void store::load_exceptions(engine& e) {
  exception_list& list = e.state().exceptions;
  list.entries().clear();
  statement st(prepare("SELECT id, org, kind, value, owner, reason, ticket, created, expires, hits "
                       "FROM exceptions ORDER BY id"));
  while (st.row()) list.add(read_exception(st));
  exceptions_rev_ = meta_int("exceptions_rev");
}

void store::load(engine& e) {
  engine_state& s = e.state();
  {
    statement st(prepare("SELECT state FROM incidents WHERE status != 'closed' ORDER BY first_seen, id"));
    while (st.row()) {
      nlohmann::json j = nlohmann::json::parse(st.column_text(0), nullptr, false);
      if (j.is_discarded()) fail("an incident's state is not JSON");
      auto i = std::make_unique<incident>(from_json(j));
      if (i->last_seen > s.watermark) s.watermark = i->last_seen;
      s.add(std::move(i));
    }
  }
  {
    statement st(prepare("SELECT key, last FROM sequences"));
    while (st.row()) s.sequences[st.column_text(0)] = static_cast<std::uint64_t>(st.column_int(1));
  }
  {
    statement st(prepare("SELECT key, last, incident FROM dedup"));
    while (st.row()) s.dedup[st.column_text(0)] = {time::timestamp{st.column_int(1)}, st.column_text(2)};
  }
  {
    statement st(prepare("SELECT org, first_seen FROM organizations"));
    while (st.row()) s.org_first_seen[st.column_text(0)] = time::timestamp{st.column_int(1)};
  }
  {
    statement st(prepare("SELECT key, count, last FROM auth_failures"));
    while (st.row()) {
      s.context.auth_failures[st.column_text(0)] = {static_cast<std::uint64_t>(st.column_int(1)),
                                                    time::timestamp{st.column_int(2)}};
    }
  }
  {
    statement st(prepare("SELECT key, value FROM meta WHERE key IN ('watermark', 'last_event')"));
    while (st.row()) {
      const std::string key = st.column_text(0);
      if (key == "watermark") {
        s.watermark = std::max(s.watermark, time::timestamp{std::stoll(st.column_text(1))});
        continue;
      }
      nlohmann::json j = nlohmann::json::parse(st.column_text(1), nullptr, false);
      if (j.is_discarded() || !j.is_object()) fail("the saved event context is not JSON");
      event_context& c = s.context;
      c.valid = j.value("valid", false);
      c.original = j.value("original", "");
      c.network = j.value("network", 0);
      c.auth = j.value("auth", false);
      c.outcome = j.value("outcome", 0);
      c.prevented = j.value("prevented", false);
      c.failures_before = j.value("failures_before", std::uint64_t{0});
    }
  }
  load_exceptions(e);
  e.loaded();
  e.evict();
}

std::uint64_t store::checkpoint(const std::string& stream) {
  statement st(prepare("SELECT records FROM checkpoints WHERE stream = ?"));
  st.text(1, stream);
  return st.row() ? static_cast<std::uint64_t>(st.column_int(0)) : 0;
}

void store::refresh(engine& e) {
  exec("BEGIN");
  try {
    apply_changes(e);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void store::apply_changes(engine& e) {
  statement st(prepare("SELECT c.n, i.state FROM changes c JOIN incidents i ON i.id = c.id "
                       "WHERE c.n > ? ORDER BY c.n"));
  st.integer(1, seen_change_);
  while (st.row()) {
    seen_change_ = std::max(seen_change_, st.column_int(0));
    nlohmann::json j = nlohmann::json::parse(st.column_text(1), nullptr, false);
    if (j.is_discarded()) continue;
    auto it = e.state().by_id.find(j.value("id", ""));
    if (it == e.state().by_id.end()) continue;
    incident& i = *it->second;
    i.status = j.value("status", i.status);
    i.verdict = j.value("verdict", i.verdict);
    i.replied = j.value("replied", i.replied);
    i.analyst_revision = j.value("analyst_revision", i.analyst_revision);
    if (j.contains("grey_due")) {
      i.grey_due = time::timestamp{j["grey_due"].get<std::int64_t>()};
    } else {
      i.grey_due.reset();
    }
    if (i.status == "closed") {
      if (auto g = e.state().by_group.find(i.group_key); g != e.state().by_group.end() && g->second == &i) {
        e.state().by_group.erase(g);
      }
    }
    e.state().mark(&i);
  }
}

void store::save_context(engine_state& s, const std::vector<std::string>& changes) {
  event_context& c = s.context;
  if (c.failures_cleared) exec("DELETE FROM auth_failures");
  {
    statement up(prepare("INSERT INTO auth_failures (key, count, last) VALUES (?,?,?) ON CONFLICT(key) "
                         "DO UPDATE SET count=excluded.count, last=excluded.last"));
    statement rm(prepare("DELETE FROM auth_failures WHERE key = ?"));
    std::sort(c.changed_failures.begin(), c.changed_failures.end());
    c.changed_failures.erase(std::unique(c.changed_failures.begin(), c.changed_failures.end()),
                             c.changed_failures.end());
    for (const std::string& key : c.changed_failures) {
      auto it = c.auth_failures.find(key);
      if (it == c.auth_failures.end()) {
        rm.text(1, key);
        if (rm.step() != SQLITE_DONE) fail("cannot save the failed logins");
        rm.reset();
        continue;
      }
      up.text(1, key).integer(2, static_cast<std::int64_t>(it->second.count)).integer(3, it->second.last.ns);
      if (up.step() != SQLITE_DONE) fail("cannot save the failed logins");
      up.reset();
    }
  }
  statement meta(prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"));
  if (s.watermark != time::timestamp::min()) {
    // engine::evict() drops the same failures from memory after the save.
    statement prune(prepare("DELETE FROM auth_failures WHERE last < ?"));
    prune.integer(1, (s.watermark - failure_window).ns);
    if (prune.step() != SQLITE_DONE) fail("cannot prune the failed logins");
    meta.text(1, "watermark").text(2, std::to_string(s.watermark.ns));
    if (meta.step() != SQLITE_DONE) fail("cannot save the watermark");
    meta.reset();
  }
  if (c.last_changed) {
    const nlohmann::json j = {{"valid", c.valid},         {"original", c.original},
                              {"network", c.network},     {"auth", c.auth},
                              {"outcome", c.outcome},     {"prevented", c.prevented},
                              {"failures_before", c.failures_before}};
    meta.text(1, "last_event").text(2, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (meta.step() != SQLITE_DONE) fail("cannot save the event context");
    meta.reset();
  }
  // Incidents changed outside a stream (`triage timers`): a running stream
  // takes them from the changes table.
  statement change(prepare("INSERT INTO changes (id) VALUES (?)"));
  for (const std::string& id : changes) {
    change.text(1, id);
    if (change.step() != SQLITE_DONE) fail("cannot record a change");
    change.reset();
  }
}

void store::save(engine& e, const std::string& stream, std::uint64_t consumed, std::string_view profile) {
  save(e, &stream, consumed, profile, {});
}

void store::save(engine& e, const std::string* stream, std::uint64_t consumed, std::string_view profile,
                 const std::vector<std::string>& changes) {
  engine_state& s = e.state();
  exec("BEGIN IMMEDIATE");
  try {
    apply_changes(e);
    e.explain_dirty();
    {
      statement st(prepare(
          "INSERT INTO incidents (id, org, status, verdict, label, score, family, entity, first_seen, "
          "last_seen, alert_count, suppressed_count, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
          "ON CONFLICT(id) DO UPDATE SET status=excluded.status, verdict=excluded.verdict, "
          "label=excluded.label, score=excluded.score, first_seen=excluded.first_seen, "
          "last_seen=excluded.last_seen, alert_count=excluded.alert_count, "
          "suppressed_count=excluded.suppressed_count, state=excluded.state"));
      for (incident* i : s.dirty) {
        const std::string state = to_json(*i).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        st.text(1, i->id).text(2, i->org).text(3, i->status).text(4, i->verdict).text(5, i->label);
        st.integer(6, i->score).text(7, i->family).text(8, i->entity).integer(9, i->first_seen.ns);
        st.integer(10, i->last_seen.ns).integer(11, static_cast<std::int64_t>(i->alert_count));
        st.integer(12, static_cast<std::int64_t>(i->suppressed_count)).text(13, state);
        if (st.step() != SQLITE_DONE) fail("cannot save incident " + i->id);
        st.reset();
      }
    }
    {
      statement st(prepare("INSERT INTO history (id, at, by, field, old, new, note) VALUES (?,?,?,?,?,?,?)"));
      for (const history_entry& h : s.history) {
        st.text(1, h.id).integer(2, h.at.ns).text(3, h.by).text(4, h.field).text(5, h.old_value);
        st.text(6, h.new_value).text(7, h.note);
        if (st.step() != SQLITE_DONE) fail("cannot save history");
        st.reset();
      }
    }
    {
      statement st(prepare("INSERT INTO dedup (key, last, incident) VALUES (?,?,?) ON CONFLICT(key) "
                           "DO UPDATE SET last=excluded.last, incident=excluded.incident"));
      std::sort(s.dirty_dedup.begin(), s.dirty_dedup.end());
      s.dirty_dedup.erase(std::unique(s.dirty_dedup.begin(), s.dirty_dedup.end()), s.dirty_dedup.end());
      for (const std::string& key : s.dirty_dedup) {
        auto it = s.dedup.find(key);
        if (it == s.dedup.end()) continue;
        st.text(1, key).integer(2, it->second.last.ns).text(3, it->second.incident);
        if (st.step() != SQLITE_DONE) fail("cannot save a dedup key");
        st.reset();
      }
      if (s.watermark != time::timestamp::min()) {
        statement prune(prepare("DELETE FROM dedup WHERE last < ?"));
        prune.integer(1, (s.watermark - e.horizon()).ns);
        if (prune.step() != SQLITE_DONE) fail("cannot prune dedup keys");
      }
    }
    {
      statement st(prepare("INSERT INTO sequences (key, last) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET last=excluded.last"));
      for (const std::string& key : s.dirty_sequences) {
        st.text(1, key).integer(2, static_cast<std::int64_t>(s.sequences[key]));
        if (st.step() != SQLITE_DONE) fail("cannot save a sequence");
        st.reset();
      }
    }
    {
      statement st(prepare("INSERT OR IGNORE INTO organizations (org, first_seen) VALUES (?,?)"));
      for (const std::string& org : s.dirty_orgs) {
        st.text(1, org).integer(2, s.org_first_seen[org].ns);
        if (st.step() != SQLITE_DONE) fail("cannot save an organization");
        st.reset();
      }
    }
    {
      statement st(prepare("UPDATE exceptions SET hits = hits + ? WHERE id = ?"));
      for (exception_entry& x : s.exceptions.entries()) {
        if (x.new_hits == 0) continue;
        // The store adds the hits since the last save, so counts from
        // other writers are kept.
        st.integer(1, static_cast<std::int64_t>(x.new_hits)).integer(2, x.id);
        if (st.step() != SQLITE_DONE) fail("cannot save exception hits");
        st.reset();
      }
    }
    save_context(s, changes);
    if (stream != nullptr) {
      statement st(prepare("INSERT INTO checkpoints (stream, records) VALUES (?,?) ON CONFLICT(stream) "
                           "DO UPDATE SET records=excluded.records"));
      st.text(1, *stream).integer(2, static_cast<std::int64_t>(consumed));
      if (st.step() != SQLITE_DONE) fail("cannot save the checkpoint");
    }
    {
      statement st(prepare("INSERT INTO meta (key, value) VALUES ('profile', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"));
      st.text(1, profile);
      if (st.step() != SQLITE_DONE) fail("cannot save the profile");
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  for (incident* i : s.dirty) i->dirty = false;
  s.dirty.clear();
  s.history.clear();
  s.dirty_dedup.clear();
  s.dirty_sequences.clear();
  s.dirty_orgs.clear();
  s.context.changed_failures.clear();
  s.context.failures_cleared = false;
  s.context.last_changed = false;
  for (exception_entry& x : s.exceptions.entries()) x.new_hits = 0;
  if (meta_int("exceptions_rev") != exceptions_rev_) load_exceptions(e);
}

std::int64_t store::add_exception(const exception_entry& e) {
  exec("BEGIN IMMEDIATE");
  try {
    statement st(prepare(
        "INSERT INTO exceptions (org, kind, value, owner, reason, ticket, created, expires) "
        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(org, kind, value) DO UPDATE SET owner=excluded.owner, "
        "reason=excluded.reason, ticket=excluded.ticket, expires=excluded.expires RETURNING id"));
    st.text(1, e.org).text(2, kind_name(e.kind)).text(3, e.value).text(4, e.owner).text(5, e.reason);
    st.text(6, e.ticket).integer(7, e.created.ns);
    if (e.expires) {
      st.integer(8, e.expires->ns);
    } else {
      st.null(8);
    }
    if (!st.row()) fail("cannot add the exception");
    const std::int64_t id = st.column_int(0);
    st.reset();
    exec("INSERT INTO meta (key, value) VALUES ('exceptions_rev', '1') ON CONFLICT(key) "
         "DO UPDATE SET value = CAST(value AS INTEGER) + 1");
    exec("COMMIT");
    return id;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<exception_entry> store::exceptions(std::string_view org) {
  std::vector<exception_entry> out;
  statement st(prepare("SELECT id, org, kind, value, owner, reason, ticket, created, expires, hits "
                       "FROM exceptions WHERE ? = '' OR org = ? ORDER BY id"));
  st.text(1, org).text(2, org);
  while (st.row()) out.push_back(read_exception(st));
  return out;
}

bool store::remove_exception(std::int64_t id) {
  statement st(prepare("DELETE FROM exceptions WHERE id = ?"));
  st.integer(1, id);
  if (st.step() != SQLITE_DONE) fail("cannot remove the exception");
  const bool removed = sqlite3_changes(db_) > 0;
  if (removed) {
    exec("INSERT INTO meta (key, value) VALUES ('exceptions_rev', '1') ON CONFLICT(key) "
         "DO UPDATE SET value = CAST(value AS INTEGER) + 1");
  }
  return removed;
}

std::vector<incident_row> store::list(const list_filter& f) {
  std::vector<incident_row> out;
  statement st(prepare("SELECT state FROM incidents WHERE (?1 = '' OR org = ?1) AND (?2 = '' OR status = ?2) "
                       "AND last_seen >= ?3 AND first_seen < ?4 ORDER BY first_seen, id"));
  st.text(1, f.org).text(2, f.status);
  st.integer(3, f.since ? f.since->ns : INT64_MIN).integer(4, f.until ? f.until->ns : INT64_MAX);
  int min_score = -1;
  std::string label;
  if (!f.severity.empty()) {
    if (std::all_of(f.severity.begin(), f.severity.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      min_score = std::stoi(f.severity.substr(0, 3));
    } else {
      label = f.severity;
      std::transform(label.begin(), label.end(), label.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    }
  }
  while (st.row()) {
    nlohmann::json j = nlohmann::json::parse(st.column_text(0), nullptr, false);
    if (j.is_discarded()) continue;
    incident i = from_json(j);
    if (min_score >= 0 && i.score < min_score) continue;
    if (!label.empty()) {
      std::string l = i.label;
      std::transform(l.begin(), l.end(), l.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
      if (l != label) continue;
    }
    out.push_back({i.id, i.org, i.status, i.verdict, i.label, i.score, i.family, i.entity, i.first_seen,
                   i.last_seen, i.alert_count, i.suppressed_count, i.title(), first_action(i)});
  }
  return out;
}

std::optional<incident> store::get(std::string_view id) {
  statement st(prepare("SELECT state FROM incidents WHERE id = ?"));
  st.text(1, id);
  if (!st.row()) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(st.column_text(0), nullptr, false);
  if (j.is_discarded()) fail("the state of " + std::string(id) + " is not JSON");
  return from_json(j);
}

std::vector<history_entry> store::history(std::string_view id) {
  std::vector<history_entry> out;
  statement st(prepare("SELECT id, at, by, field, old, new, note FROM history WHERE id = ? ORDER BY n"));
  st.text(1, id);
  while (st.row()) {
    out.push_back({st.column_text(0), time::timestamp{st.column_int(1)}, st.column_text(2),
                   st.column_text(3), st.column_text(4), st.column_text(5), st.column_text(6)});
  }
  return out;
}

void store::set(std::string_view id, std::string_view field, std::string_view value, std::string_view by,
                time::timestamp at) {
  exec("BEGIN IMMEDIATE");
  try {
    std::optional<incident> found = get(id);
    if (!found) throw std::runtime_error(std::string(id) + ": no such incident in " + path_);
    incident& i = *found;
    std::string old_value;
    std::string note;
    if (field == "status") {
      old_value = i.status;
      i.status = std::string(value);
    } else if (field == "verdict") {
      old_value = i.verdict;
      i.verdict = std::string(value);
      i.grey_due.reset();
    } else {
      note = std::string(value);
    }
    i.replied = true;  // someone answered: the grey timer stops
    ++i.analyst_revision;
    const std::string state = to_json(i).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    statement up(prepare("UPDATE incidents SET status = ?, verdict = ?, state = ? WHERE id = ?"));
    up.text(1, i.status).text(2, i.verdict).text(3, state).text(4, id);
    if (up.step() != SQLITE_DONE) fail("cannot update " + std::string(id));
    statement h(prepare("INSERT INTO history (id, at, by, field, old, new, note) VALUES (?,?,?,?,?,?,?)"));
    h.text(1, id).integer(2, at.ns).text(3, by).text(4, field).text(5, old_value);
    h.text(6, field == "note" ? std::string_view("") : value).text(7, note);
    if (h.step() != SQLITE_DONE) fail("cannot add history");
    statement c(prepare("INSERT INTO changes (id) VALUES (?)"));
    c.text(1, id);
    if (c.step() != SQLITE_DONE) fail("cannot record the change");
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace mimamori::incident
