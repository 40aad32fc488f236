// replay_source: an archive played back (--replay DIR --from T --to T).
//
// Emits one organization's archived records in @timestamp order
// (archive::range_reader), byte for byte as they were archived, so a replay
// feeds the rest of the pipeline exactly what the live run fed it: CI
// regression runs compare outputs byte for byte. As fast as possible, or with
// `speed` > 0 keeping the gaps between the records' times divided by speed
// (slept in real time; a stop request ends the wait at once).
#pragma once

#include <memory>
#include <string>

#include "archive/range_reader.hpp"
#include "collect/source.hpp"
#include "time/timestamp.hpp"

namespace mimamori::collect {

struct replay_options {
  std::string dir;
  std::string organization;
  time::timestamp from;  // inclusive
  time::timestamp to;    // exclusive
  double speed = 0;      // 0: as fast as possible
};

class replay_source : public source {
 public:
  // Opens the archive's index: throws std::runtime_error when it cannot.
  replay_source(replay_options options, source_tags tags);

  [[nodiscard]] std::string describe() const override;
  bool run(batch_queue& out, const cli::io& io) override;

 private:
  replay_options options_;
  std::unique_ptr<archive::range_reader> reader_;
};

}  // namespace mimamori::collect
