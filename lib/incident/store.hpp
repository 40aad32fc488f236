// store: the incident state in one SQLite file (WAL), shared by the stream
// and the analyst commands.
//
// Tables: incidents (one row per incident: the columns the commands filter
// on, and the whole state as JSON), auth_failures (failed logins counted
// before a success), history (who changed what, when, and
// notes), exceptions (with their hit counters), dedup (key -> last reported
// alert), sequences (the last incident number per organization and year),
// organizations (first alert, for tuning periods), changes (analyst edits
// and fired timers the stream has not seen yet), checkpoints (input records
// consumed per input) and meta (the profile, the watermark, the last event
// seen).
//
// The stream saves everything that changed since the last save *and* the
// count of input records consumed, in one transaction (save()), after
// writing the records that batch produced to its output. A SIGKILL at any
// moment therefore leaves the store at the end of some batch: a restart
// with --resume skips exactly the records that batch had consumed and
// produces the same incidents. (Records of a batch written before a kill
// can be written again after the restart; each carries
// mimamori.incident.version, so a consumer keeps the highest version.)
//
// Readers (list, show, stats) may run while the stream writes (WAL);
// writers wait for each other (busy timeout).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "incident/engine.hpp"
#include "incident/exception_list.hpp"
#include "incident/incident.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mimamori::incident {

struct list_filter {
  std::string org;
  std::string status;
  std::string severity;  // a label (any case), or a number: score >= it
  std::optional<time::timestamp> since;  // last seen at or after
  std::optional<time::timestamp> until;  // first seen before
};

struct incident_row {
  std::string id;
  std::string org;
  std::string status;
  std::string verdict;
  std::string label;
  int score = 0;
  std::string family;
  std::string entity;
  time::timestamp first_seen;
  time::timestamp last_seen;
  std::uint64_t alert_count = 0;
  std::uint64_t suppressed_count = 0;
  std::string title;
  std::string block;  // the first recommended action, in words
};

class store {
 public:
  // Opens or creates the store; an empty path is a store in memory.
  // Throws std::runtime_error("PATH: why").
  explicit store(const std::string& path);
  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }

  // Loads open incidents, sequences, dedup keys, organizations and exceptions.
  void load(engine& e);
  // Takes the status and verdict changes other writers saved since the
  // last save or refresh (before timers fire).
  void refresh(engine& e);
  // Records consumed from `stream` by earlier runs.
  [[nodiscard]] std::uint64_t checkpoint(const std::string& stream);
  // Saves what changed and the checkpoint in one transaction.
  void save(engine& e, const std::string& stream, std::uint64_t consumed, std::string_view profile);
  // The same without a checkpoint when `stream` is null; the incidents in
  // `changes` are also announced to a stream running on the store (its next
  // save takes their status and verdict).
  void save(engine& e, const std::string* stream, std::uint64_t consumed, std::string_view profile,
            const std::vector<std::string>& changes);

  // Exceptions. add() inserts, or updates the entry with the same
  // organization, kind and value (keeping its hits); returns its id.
  std::int64_t add_exception(const exception_entry& e);
  [[nodiscard]] std::vector<exception_entry> exceptions(std::string_view org);
  bool remove_exception(std::int64_t id);

  // Analyst commands.
  [[nodiscard]] std::vector<incident_row> list(const list_filter& f);
  [[nodiscard]] std::optional<incident> get(std::string_view id);
  [[nodiscard]] std::vector<history_entry> history(std::string_view id);
  // Sets status or verdict (field "status"/"verdict"), or adds a note
  // (field "note"); kept in the history. Throws std::runtime_error when the
  // incident does not exist.
  void set(std::string_view id, std::string_view field, std::string_view value, std::string_view by,
           time::timestamp at);
  [[nodiscard]] std::string profile();

 private:
  void exec(const char* sql);
  sqlite3_stmt* prepare(const char* sql);
  [[noreturn]] void fail(const std::string& what);
  void apply_changes(engine& e);
  void save_context(engine_state& s, const std::vector<std::string>& changes);
  void load_exceptions(engine& e);
  std::int64_t meta_int(const char* key);

  std::string path_;
  sqlite3* db_ = nullptr;
  std::int64_t seen_change_ = 0;
  std::int64_t exceptions_rev_ = 0;
};

}  // namespace mimamori::incident
