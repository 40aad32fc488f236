#include "archive/index.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <stdexcept>

#include "archive/layout.hpp"
#include "time/format.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::archive {

namespace {

constexpr const char* schema = R"(
CREATE TABLE IF NOT EXISTS hour_files (
  organization TEXT NOT NULL,
  hour INTEGER NOT NULL,
  path TEXT NOT NULL,
  records INTEGER NOT NULL,
  first_time TEXT,
  last_time TEXT,
  compressed_bytes INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  frames INTEGER NOT NULL,
  in_order INTEGER NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (organization, hour));
)";

constexpr const char* columns =
    "organization, hour, path, records, first_time, last_time, compressed_bytes, raw_bytes, "
    "frames, in_order, state";

class statement {
 public:
  explicit statement(sqlite3_stmt* st) : st_(st) {}
  ~statement() { sqlite3_finalize(st_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  sqlite3_stmt* get() const { return st_; }

 private:
  sqlite3_stmt* st_;
};

time::timestamp read_time(sqlite3_stmt* st, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, column));
  if (text == nullptr) return {};
  auto t = time::parse_rfc3339(text);
  return t ? *t : time::timestamp{};
}

}  // namespace

index::index(const std::string& dir, bool read_only) : path_(dir + "/" + std::string(index_name)) {
  if (read_only && ::access(path_.c_str(), F_OK) != 0)
    throw std::runtime_error(dir + ": not an archive (" + std::string(index_name) + " is missing)");
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (sqlite3_open_v2(path_.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error(path_ + ": " + why);
  }
  sqlite3_busy_timeout(db_, 5000);
  if (!read_only) {
    if (!exec("PRAGMA journal_mode=WAL") || !exec("PRAGMA synchronous=NORMAL") || !exec(schema)) {
      std::string why = message_;
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error(why);
    }
  }
}

index::~index() {
  sqlite3_close(db_);
}

bool index::failed(const char* what) {
  message_ = path_ + ": " + what + ": " + sqlite3_errmsg(db_);
  return false;
}

bool index::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    message_ = path_ + ": " + (error != nullptr ? error : "sqlite error");
    sqlite3_free(error);
    return false;
  }
  return true;
}

sqlite3_stmt* index::prepare(const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
    failed("prepare");
    return nullptr;
  }
  return st;
}

bool index::put(const hour_file& f) {
  std::string sql = std::string("INSERT OR REPLACE INTO hour_files (") + columns +
                    ") VALUES (?,?,?,?,?,?,?,?,?,?,?)";
  statement st(prepare(sql.c_str()));
  if (st.get() == nullptr) return false;
  std::string first = f.records > 0 ? time::format_utc_ms(f.first_time) : std::string();
  std::string last = f.records > 0 ? time::format_utc_ms(f.last_time) : std::string();
  sqlite3_bind_text(st.get(), 1, f.organization.data(), static_cast<int>(f.organization.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.get(), 2, f.hour);
  sqlite3_bind_text(st.get(), 3, f.path.data(), static_cast<int>(f.path.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.get(), 4, static_cast<sqlite3_int64>(f.records));
  if (f.records > 0) {
    sqlite3_bind_text(st.get(), 5, first.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st.get(), 6, last.c_str(), -1, SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(st.get(), 5);
    sqlite3_bind_null(st.get(), 6);
  }
  sqlite3_bind_int64(st.get(), 7, static_cast<sqlite3_int64>(f.compressed_bytes));
  sqlite3_bind_int64(st.get(), 8, static_cast<sqlite3_int64>(f.raw_bytes));
  sqlite3_bind_int64(st.get(), 9, static_cast<sqlite3_int64>(f.frames));
  sqlite3_bind_int(st.get(), 10, f.in_order ? 1 : 0);
  sqlite3_bind_text(st.get(), 11, f.open ? "open" : "closed", -1, SQLITE_STATIC);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return failed("update");
  return true;
}

bool index::remove(const std::string& organization, std::int64_t hour) {
  statement st(prepare("DELETE FROM hour_files WHERE organization = ? AND hour = ?"));
  if (st.get() == nullptr) return false;
  sqlite3_bind_text(st.get(), 1, organization.data(), static_cast<int>(organization.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(st.get(), 2, hour);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return failed("delete");
  return true;
}

std::vector<hour_file> index::query(sqlite3_stmt* st) {
  std::vector<hour_file> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    hour_file f;
    f.organization = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    f.hour = sqlite3_column_int64(st, 1);
    f.path = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    f.records = static_cast<std::uint64_t>(sqlite3_column_int64(st, 3));
    f.first_time = read_time(st, 4);
    f.last_time = read_time(st, 5);
    f.compressed_bytes = static_cast<std::uint64_t>(sqlite3_column_int64(st, 6));
    f.raw_bytes = static_cast<std::uint64_t>(sqlite3_column_int64(st, 7));
    f.frames = static_cast<std::uint64_t>(sqlite3_column_int64(st, 8));
    f.in_order = sqlite3_column_int(st, 9) != 0;
    const auto* state = reinterpret_cast<const char*>(sqlite3_column_text(st, 10));
    f.open = state != nullptr && std::string_view(state) == "open";
    out.push_back(std::move(f));
  }
  if (rc != SQLITE_DONE) failed("query");
  return out;
}

std::optional<hour_file> index::get(const std::string& organization, std::int64_t hour) {
  auto rows = list(organization, hour, hour);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<hour_file> index::list(const std::string& organization, std::int64_t first_hour,
                                   std::int64_t last_hour) {
  std::string sql =
      std::string("SELECT ") + columns + " FROM hour_files WHERE hour BETWEEN ? AND ?" +
      (organization.empty() ? "" : " AND organization = ?") + " ORDER BY organization, hour";
  statement st(prepare(sql.c_str()));
  if (st.get() == nullptr) return {};
  sqlite3_bind_int64(st.get(), 1, first_hour);
  sqlite3_bind_int64(st.get(), 2, last_hour);
  if (!organization.empty())
    sqlite3_bind_text(st.get(), 3, organization.data(), static_cast<int>(organization.size()),
                      SQLITE_TRANSIENT);
  return query(st.get());
}

std::vector<hour_file> index::open_files() {
  std::string sql = std::string("SELECT ") + columns +
                    " FROM hour_files WHERE state = 'open' ORDER BY organization, hour";
  statement st(prepare(sql.c_str()));
  if (st.get() == nullptr) return {};
  return query(st.get());
}

std::optional<time::timestamp> index::newest() {
  statement st(prepare("SELECT max(last_time) FROM hour_files"));
  if (st.get() == nullptr) return std::nullopt;
  if (sqlite3_step(st.get()) != SQLITE_ROW || sqlite3_column_type(st.get(), 0) == SQLITE_NULL)
    return std::nullopt;
  return read_time(st.get(), 0);
}

}  // namespace mimamori::archive
