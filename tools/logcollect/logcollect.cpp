#include "logcollect/logcollect.hpp"

#include "event/builder.hpp"
#include "ndjson/json_text.hpp"
#include "ndjson/writer.hpp"
#include "pipeline/dead_letter.hpp"
#include "pipeline/streams.hpp"
#include "time/format.hpp"

namespace mimamori::logcollect {

void write_raw_record(std::string& out, const options& o, std::string_view text,
                      const ndjson::position& where, std::string_view input_type,
                      time::timestamp received, bool truncated) {
  char stamp[time::utc_ms_length];
  time::write_utc_ms(stamp, received);
  std::string_view when(stamp, sizeof stamp);

  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", when);
  b.key("event").begin_object().field("original", text).field("created", when).end_object();
  b.key("input").begin_object().field("type", input_type).end_object();
  b.key("log").begin_object();
  if (input_type == "file") b.key("file").begin_object().field("path", where.file).end_object();
  b.field("offset", where.offset).end_object();
  if (!o.observer_hostname.empty() || !o.observer_vendor.empty() || !o.observer_product.empty() ||
      !o.observer_type.empty()) {
    b.key("observer").begin_object();
    if (!o.observer_hostname.empty()) b.field("hostname", o.observer_hostname);
    if (!o.observer_vendor.empty()) b.field("vendor", o.observer_vendor);
    if (!o.observer_product.empty()) b.field("product", o.observer_product);
    if (!o.observer_type.empty()) b.field("type", o.observer_type);
    b.end_object();
  }
  b.key("organization").begin_object().field("id", o.organization).end_object();
  if (truncated) b.key("tags").begin_array().value("truncated").end_array();
  if (!ndjson::is_valid_utf8(text)) {
    // event.original had its invalid bytes replaced; keep the exact ones.
    b.key("mimamori").begin_object().key("original_base64");
    out.push_back('"');
    ndjson::append_base64(out, text);
    out.push_back('"');
    b.end_object();
  }
  b.end_object();
}

int run(options& o, cli::io& io) {
  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  pipeline::dead_letter rejects("logcollect", out, o.common.dead_letter, io, o.common.verbose);
  pipeline::line_stream lines(o.inputs, io, "logcollect");
  std::uint64_t blank = 0;
  std::uint64_t truncated = 0;

  while (lines.next()) {
    const ndjson::line& l = lines.line();
    if (l.text.empty()) {  // an empty line carries no message
      ++blank;
      continue;
    }
    if (l.truncated) {
      ++truncated;
      rejects.reject(l.text.substr(0, 256), l.where, "too_long",
                     "line too long: its first bytes went on as a record tagged truncated");
    }
    std::string_view type = l.where.file == "<stdin>" ? "stdin" : "file";
    write_raw_record(out.buffer(), o, l.text, l.where, type, io.clock.now(), l.truncated);
    out.end_record();
    if (!out.ok()) break;
  }

  bool output_ok = out.close() && rejects.close();
  if (out.status() == ndjson::write_status::broken_pipe) return 128 + SIGPIPE;
  if (!output_ok) {
    cli::print_line(io.err, "logcollect: " + (out.ok() ? rejects.message() : out.message()));
  }
  if (!o.common.quiet) {
    pipeline::run_summary s{lines.lines(), out.records_written(), rejects.count(),
                           rejects.destination(), ""};
    if (blank > 0) s.extra = std::to_string(blank) + " empty lines skipped";
    pipeline::print_summary(io, "logcollect", s);
  }
  return pipeline::finish_status(output_ok, lines.failed(), false);
}

}  // namespace mimamori::logcollect
