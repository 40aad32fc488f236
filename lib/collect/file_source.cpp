#include "collect/file_source.hpp"

#include "pipeline/streams.hpp"

namespace mimamori::collect {

std::string file_source::describe() const {
  if (paths_.empty() || (paths_.size() == 1 && paths_[0] == "-")) return "stdin";
  return "files";
}

bool file_source::run(batch_queue& out, const cli::io& io) {
  pipeline::line_stream lines(paths_, io, "logcollect");
  batch b;
  bool output_gone = false;
  // A live input (a pipe, a terminal) passes on what it holds before it waits.
  lines.on_idle([&] { output_gone = output_gone || !flush(b, out); });
  while (lines.next()) {
    const ndjson::line& l = lines.line();
    if (l.text.empty()) {
      ++empty_lines_;
      continue;
    }
    bool from_stdin = l.where.file == "<stdin>";
    if (l.truncated) {
      reject(b, io, l.text.substr(0, 256), l.where, "too_long",
             "line too long: its first bytes went on as a record tagged truncated");
    }
    received r;
    r.text = l.text;
    r.when = io.clock.now();
    r.input_type = from_stdin ? "stdin" : "file";
    if (!from_stdin) r.file_path = l.where.file;
    r.offset = l.where.offset;
    r.has_offset = true;
    r.truncated = l.truncated;
    append_raw_record(b.records, tags_, r);
    b.records.push_back('\n');
    ++b.record_count;
    ++counters_.received;
    counters_.bytes += l.text.size();
    if (output_gone || (b.full() && !out.push(b))) return false;
  }
  if (!flush(b, out)) return false;
  return !lines.failed();
}

}  // namespace mimamori::collect
