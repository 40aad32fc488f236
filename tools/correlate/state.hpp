// state: correlate's --state file, the open windows of its stateful engines
// and how far into the input they are.
//
// NDJSON, one object per line:
//
//   {"format":"mimamori-correlate-state","version":1,"inputs":["a.ndjson"],"lines":1200}
//   {"section":"sigma.correlation", ...the engine's own members...}
//   {"section":"...", ...}                  one line per stateful engine
//
// `lines` counts the input lines (blank and bad ones too) whose effects are
// in the output: a restart on the same named inputs skips that many; on
// other inputs, or on stdin, it skips nothing and only the windows carry
// over. The file is replaced atomically (a temporary file beside it,
// fsync, rename, fsync of the directory), so a crash leaves the old state
// or the new one. Each engine registers a section (name, save, restore); a
// section of the file that no engine claims, a version from elsewhere or a
// section that does not fit (another rule set) is an error naming the file
// and line.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <simdjson.h>

#include "event/builder.hpp"

namespace mimamori::correlate {

struct state_section {
  std::string name;  // "sigma.correlation"
  std::function<void(event::builder&)> save;  // writes the members after "section"
  std::function<bool(simdjson::dom::element, std::string&)> restore;  // false + message on error
};

class state_file {
 public:
  state_file(std::string path, std::vector<std::string> inputs);

  // Restores the sections from the file, if it exists; returns how many
  // input lines to skip. Throws std::runtime_error("FILE:LINE: reason").
  std::uint64_t restore(const std::vector<state_section>& sections);
  // Writes the state atomically; false with `error` set when it could not.
  bool save(const std::vector<state_section>& sections, std::uint64_t lines, std::string& error);

  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> inputs_;
};

}  // namespace mimamori::correlate
