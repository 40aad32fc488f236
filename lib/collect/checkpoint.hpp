// checkpoint: where each followed file stands, kept across restarts.
//
// A followed file is known by its device and inode (which stay the same
// when logrotate renames it) and by a fingerprint of its first bytes (which
// change when the inode is reused by another file, or when copytruncate
// empties it and new lines arrive). Its offset is the first byte after the
// last whole line that the output has written.
//
// The state is a small text file, replaced atomically (write a temporary
// file, rename it over the old one). It is saved from logcollect's output
// thread around each write of a batch that holds followed lines:
//
//   writing(): before the write, the batch's new positions are saved as
//              *pending*, with where the bytes will land when standard
//              output is a regular file (device, inode, size before, size
//              after);
//   written(): after the write succeeded, they become the positions (saved
//              at once when the output is not a regular file; for a regular
//              file the pending write saved before is settled at restart).
//
// A restart after SIGKILL that finds a pending write decides by looking at
// the output: a regular file that reached the expected size got the batch
// (the new positions hold); one that did not grow did not (the old ones
// hold); one cut inside the batch is cut back to its size before it and the
// old positions hold. No line is lost and none repeated. When the output is
// a pipe nothing can be looked at: the old positions hold, so the lines of
// that one batch may come again (at-least-once), and logcollect says so.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mimamori::collect {

// FNV-1a over the first `length` bytes of a file.
struct fingerprint {
  static constexpr std::uint32_t max_length = 1024;
  std::uint32_t length = 0;
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // the hash of no bytes
  friend bool operator==(const fingerprint&, const fingerprint&) = default;
};

[[nodiscard]] fingerprint fingerprint_of(std::string_view first_bytes);
// The fingerprint of the first `length` bytes of fd (read with pread), or
// nullopt when the file holds fewer or cannot be read.
[[nodiscard]] std::optional<fingerprint> read_fingerprint(int fd, std::uint32_t length);

// Where one followed file stands.
struct file_position {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  collect::fingerprint print;
  std::uint64_t offset = 0;  // first byte not yet delivered
  std::string path;          // where it was last seen
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> key() const { return {dev, ino}; }
};

// Marks are text, one line each, the same lines the state file holds:
//   F <dev> <ino> <fingerprint length> <fingerprint hex> <offset> <path>
//   X <dev> <ino>          (the file is done with: forget it)
void append_position(std::string& out, const file_position& p);
void append_forget(std::string& out, std::uint64_t dev, std::uint64_t ino);

// Where a write to the output lands, when the output is a regular file.
struct output_span {
  bool regular = false;
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t begin = 0;  // its size before the write
  std::uint64_t end = 0;    // its size after
};
[[nodiscard]] output_span output_span_of(int fd, std::uint64_t bytes);

// What the output calls around writing a batch that carries positions
// (batch::keeper, batch::positions).
class position_keeper {
 public:
  virtual ~position_keeper() = default;
  virtual void writing(const std::string& positions, const output_span& at) = 0;
  virtual void written(const std::string& positions) = 0;
};

// What a restart found about the write the last run had under way.
enum class pending_outcome {
  none,         // no write was under way: the positions are exact
  written,      // the output holds the whole batch: its positions hold
  not_written,  // the output does not hold it: the positions before it hold
  cut,          // the output holds part of it: cut back, the positions before it hold
  unknown,      // the output cannot be looked at (a pipe, another file): lines may repeat
};

class checkpoint_store : public position_keeper {
 public:
  explicit checkpoint_store(std::string path);

  // Reads the state file. false when there is none (a first run). Throws
  // std::runtime_error naming the file, line and reason when it cannot be
  // read or makes no sense.
  bool load();
  // Settles a write the last run left pending by looking at output_fd (this
  // run's standard output), which is cut back when the batch was cut.
  // `detail` says what was decided, for stderr.
  pending_outcome settle(int output_fd, std::string& detail);

  // The positions now (copies).
  [[nodiscard]] std::vector<file_position> positions() const;
  [[nodiscard]] std::optional<file_position> find(std::uint64_t dev, std::uint64_t ino) const;
  // Sets or drops one position at once (the follower, on files it finds or
  // gives up at start), without a batch.
  void put(const file_position& p);
  void forget(std::uint64_t dev, std::uint64_t ino);

  // Writes the state file; false (and message()) when it could not. Saves
  // around writes are not fsynced (a killed process loses nothing the kernel
  // holds); `durable` fsyncs the file and its directory (at exit).
  bool save(bool durable = false);
  [[nodiscard]] std::string message() const;
  [[nodiscard]] bool failed() const;
  [[nodiscard]] const std::string& path() const { return path_; }

  void writing(const std::string& positions, const output_span& at) override;
  void written(const std::string& positions) override;

 private:
  void apply(std::string_view marks);  // callers hold mutex_
  bool save_locked(bool durable = false);

  std::string path_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, file_position> files_;
  bool pending_ = false;
  output_span pending_at_;
  std::string pending_marks_;
  std::string text_;  // reused buffer for saves
  std::string message_;
  bool failed_ = false;
};

}  // namespace mimamori::collect
