#include "pipeline/streams.hpp"

#include "cli/exit_status.hpp"
#include "cli/main.hpp"
#include "cli/signals.hpp"

namespace mimamori::pipeline {

line_stream::line_stream(std::vector<std::string> inputs, const cli::io& io, std::string tool)
    : inputs_(std::move(inputs)), io_(io), tool_(std::move(tool)) {
  if (inputs_.empty()) inputs_.emplace_back("-");
}

bool line_stream::open_next() {
  while (next_input_ < inputs_.size()) {
    const std::string& path = inputs_[next_input_++];
    try {
      std::unique_ptr<ndjson::input> in;
      if (path == "-") {
        in = std::make_unique<ndjson::input>(io_.in, "<stdin>", false, cli::stop_signal());
      } else {
        in = ndjson::input::open(path, cli::stop_signal());
      }
      if (idle_) in->on_idle(idle_);
      reader_ = std::make_unique<ndjson::line_reader>(std::move(in));
      return true;
    } catch (const std::exception& e) {
      cli::print_line(io_.err, tool_ + ": " + e.what());
      failed_ = true;
    }
  }
  return false;
}

bool line_stream::next() {
  for (;;) {
    if (stopped_) return false;
    if (!reader_ && !open_next()) return false;
    if (reader_->next(line_)) {
      ++lines_;
      bytes_ += line_.text.size() + 1;
      return true;
    }
    switch (reader_->status()) {
      case ndjson::read_status::interrupted: stopped_ = true; return false;
      case ndjson::read_status::error:
        cli::print_line(io_.err, tool_ + ": " + reader_->message());
        failed_ = true;
        break;
      case ndjson::read_status::ok:
      case ndjson::read_status::end: break;
    }
    reader_.reset();
  }
}

record_stream::record_stream(std::vector<std::string> inputs, const cli::io& io,
                             dead_letter& rejects, bool strict, std::string tool)
    : lines_(std::move(inputs), io, std::move(tool)), rejects_(rejects), strict_(strict) {}

bool record_stream::next() {
  while (lines_.next()) {
    const ndjson::line& l = lines_.line();
    std::string_view text = l.text;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) {
      ++blank_;
      continue;
    }
    if (l.truncated) {
      rejects_.reject(text, l.where, "too_long", "line too long; its first bytes are kept");
    } else {
      event::parse_error error = parser_.parse(text);
      if (error == event::parse_error::none) return true;
      std::string message(parser_.message());
      rejects_.reject(text, l.where, error == event::parse_error::not_object ? "not_object"
                                     : error == event::parse_error::invalid_utf8 ? "invalid_utf8"
                                     : error == event::parse_error::too_large    ? "too_large"
                                                                                  : "not_json",
                      message);
    }
    if (strict_) {
      strict_stop_ = true;
      lines_.stop();
      return false;
    }
  }
  return false;
}

void print_summary(const cli::io& io, const std::string& tool, const run_summary& s) {
  std::string line = tool + ": read " + std::to_string(s.read) + ", wrote " +
                     std::to_string(s.written) + ", rejected " + std::to_string(s.rejected);
  if (s.rejected > 0 && !s.rejected_to.empty()) line += " (" + s.rejected_to + ")";
  if (!s.extra.empty()) line += "; " + s.extra;
  cli::print_line(io.err, line);
}

int finish_status(bool output_ok, bool input_failed, bool strict_stop) {
  if (!output_ok || input_failed) return cli::failure;
  if (strict_stop) return cli::bad_record;
  return cli::success;
}

}  // namespace mimamori::pipeline
