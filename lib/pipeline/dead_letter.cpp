#include "pipeline/dead_letter.hpp"

#include "cli/main.hpp"
#include "event/builder.hpp"
#include "ndjson/json_text.hpp"
#include "time/format.hpp"

namespace mimamori::pipeline {

namespace {
constexpr std::uint64_t reports_shown = 10;  // per run on stderr, unless -v
}

void write_pipeline_error(std::string& out, std::string_view tool, std::string_view original,
                          const ndjson::position& where, std::string_view type,
                          std::string_view message, std::string_view timestamp) {
  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", timestamp);
  b.key("event").begin_object();
  b.field("kind", "pipeline_error").field("original", original).field("created", timestamp);
  b.end_object();
  b.key("error").begin_object().field("type", type).field("message", message).end_object();
  b.key("log").begin_object();
  if (where.file != "<stdin>") b.key("file").begin_object().field("path", where.file).end_object();
  b.field("offset", where.offset).end_object();
  b.key("mimamori").begin_object();
  b.field("tool", tool);
  b.key("input").begin_object().field("name", where.file).field("line", where.line).end_object();
  if (!ndjson::is_valid_utf8(original)) {
    b.key("original_base64");
    out.push_back('"');
    ndjson::append_base64(out, original);
    out.push_back('"');
  }
  b.end_object();
  b.end_object();
}

dead_letter::dead_letter(std::string tool, ndjson::line_writer& out, const std::string& file,
                         const cli::io& io, int verbose)
    : tool_(std::move(tool)), out_(&out), io_(io), verbose_(verbose) {
  if (!file.empty()) {
    file_ = std::make_unique<ndjson::line_writer>(ndjson::line_writer::open_append(file), file,
                                                  ndjson::buffering::block);
    file_->take_ownership();
  }
}

void dead_letter::reject(std::string_view original, const ndjson::position& where,
                         std::string_view type, std::string_view message) {
  ++count_;
  if (count_ <= reports_shown || verbose_ > 0) {
    std::string line = tool_;
    line += ": ";
    line += where.file;
    line += ":" + std::to_string(where.line) + ": ";
    line += message;
    cli::print_line(io_.err, line);
  }
  ndjson::line_writer& sink = file_ ? *file_ : *out_;
  std::string stamp;
  time::append_utc_ms(stamp, io_.clock.now());
  write_pipeline_error(sink.buffer(), tool_, original, where, type, message, stamp);
  sink.end_record();
}

void dead_letter::add(std::string_view records, std::uint64_t count) {
  count_ += count;
  ndjson::line_writer& sink = file_ ? *file_ : *out_;
  sink.buffer().append(records);
  sink.end_block(count);
}

std::string dead_letter::destination() const {
  return file_ ? "to " + file_->name() : "as pipeline_error records";
}

bool dead_letter::close() { return file_ ? file_->close() : true; }

std::string dead_letter::message() const { return file_ ? file_->message() : std::string(); }

}  // namespace mimamori::pipeline
