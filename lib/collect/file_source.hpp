// file_source: files named on the command line and stdin, read once.
//
// `.zst` and `.gz` are read as they are (ndjson::input). A file that cannot
// be opened, or breaks off, is reported and the next one read.
#pragma once

#include <string>
#include <vector>

#include "collect/source.hpp"

namespace mimamori::collect {

class file_source : public source {
 public:
  file_source(std::vector<std::string> paths, source_tags tags)
      : source(std::move(tags)), paths_(std::move(paths)) {}

  [[nodiscard]] std::string describe() const override;
  bool run(batch_queue& out, const cli::io& io) override;
  // Empty lines carry no message: they are counted, not turned into records.
  [[nodiscard]] std::uint64_t empty_lines() const { return empty_lines_; }

 private:
  std::vector<std::string> paths_;
  std::atomic<std::uint64_t> empty_lines_{0};
};

}  // namespace mimamori::collect
