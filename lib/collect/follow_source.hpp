// follow_source: `--follow PATH|GLOB`, tail -F done right.
//
// Every name matching a pattern is followed by its inode. New matches are
// picked up (inotify on the folders wakes the loop; a rescan every poll
// interval is the safety net). A file renamed away (logrotate's default) or
// deleted keeps its descriptor open and is read to its end, also when it
// still grows, until it has been quiet for rotate_wait; then its last line,
// if it has no newline, goes on as it is. A file that shrinks below our
// offset, or whose first bytes change, was truncated (copytruncate): the
// unread rest is taken from the copy beside it (a file in the same folder
// that starts with the same bytes), then the file is read from its start.
// A line without its newline yet waits until it is complete.
//
// Offsets, inodes and fingerprints live in a checkpoint_store in the state
// folder; the output saves them around each write (checkpoint.hpp), so a
// restart, also after SIGKILL, resumes where the output stopped.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collect/checkpoint.hpp"
#include "collect/source.hpp"

namespace mimamori::collect {

struct follow_options {
  std::vector<std::string> patterns;  // paths or glob(7) patterns
  std::string state_dir;              // where the checkpoint lives (created)
  bool start_at_end = false;          // first run only: files already there start at their end
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds rotate_wait{5000};
  std::size_t max_line = std::size_t{16} << 20;  // longer lines go on in pieces, tagged truncated
};

// The state folder used when --state-dir is not given: /var/lib/mimamori
// for root, else $XDG_STATE_HOME/mimamori (~/.local/state/mimamori).
[[nodiscard]] std::string default_state_dir();

class follow_source : public source {
 public:
  follow_source(follow_options options, source_tags tags);
  ~follow_source() override;

  // Creates and locks the state folder, loads the checkpoint and settles a
  // write the last run left under way (which may cut back io.out: see
  // checkpoint.hpp). Throws std::runtime_error when the state cannot be used.
  void prepare(const cli::io& io);
  // Saves the checkpoint durably (fsync) after the output has ended; false if
  // the checkpoint could not be saved at some point (said on stderr).
  bool finish(const cli::io& io);

  [[nodiscard]] std::string describe() const override;
  bool run(batch_queue& out, const cli::io& io) override;

  [[nodiscard]] std::uint64_t empty_lines() const { return empty_lines_; }

 private:
  struct followed;
  using key = std::pair<std::uint64_t, std::uint64_t>;

  void scan(bool starting);
  followed* track(const std::string& path, int fd, std::uint64_t dev, std::uint64_t ino,
                  bool matched);
  void resume(followed& f, const file_position& p);
  bool read(followed& f, bool& more);
  bool take(followed& f, const char* data, std::size_t n);
  bool truncated(followed& f);
  bool read_copy(followed& f, bool& copied);
  void emit(followed& f, std::string_view text, std::uint64_t offset, bool truncated);
  bool push();
  void finish_file(followed& f);
  void watch_dir(const std::string& dir);
  void note(const std::string& text) const;

  follow_options options_;
  checkpoint_store store_;
  int lock_fd_ = -1;
  int inotify_fd_ = -1;
  bool first_run_ = false;
  std::uint64_t generation_ = 0;  // of scans
  std::map<key, std::unique_ptr<followed>> files_;
  std::map<std::string, int> watched_dirs_;
  std::set<std::string> unreadable_;  // reported once
  std::string forgets_;               // X marks for the next batch
  std::unique_ptr<char[]> buffer_;
  batch batch_;
  batch_queue* out_ = nullptr;
  const cli::io* io_ = nullptr;
  std::atomic<std::uint64_t> empty_lines_{0};
};

}  // namespace mimamori::collect
