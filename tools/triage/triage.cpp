#include "triage/triage.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>

#include "cli/main.hpp"
#include "incident/store.hpp"
#include "ndjson/writer.hpp"
#include "pipeline/dead_letter.hpp"
#include "pipeline/streams.hpp"
#include "time/parse_any.hpp"
#include "time/zone.hpp"

namespace mimamori::triage {

namespace {

bool is_alert(const event::record& r) {
  auto kind = r.string("event.kind");
  return kind && *kind == "alert";
}

std::string stream_key(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return "-";
  std::string key;
  for (const std::string& i : inputs) {
    if (!key.empty()) key += '\n';
    key += i;
  }
  return key;
}

bool ends_in_a_piece_of_line(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;  // /dev/null, a pipe
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file || file.tellg() <= 0) return false;
  file.seekg(-1, std::ios::end);
  char last = '\n';
  file.get(last);
  return file && last != '\n';
}

}  // namespace

incident::engine_options engine_options_from(const options& o) {
  incident::engine_options e;
  e.profile = *incident::find_profile(o.profile);
  auto gap = incident::parse_duration(o.group_gap);
  if (!gap || gap->count() <= 0) {
    throw cli::usage_error("--group-gap: '" + o.group_gap + "' is not a span such as 30m, 24h or 7d");
  }
  e.group_gap = *gap;
  if (o.no_dedup) {
    e.dedup.clear();
  } else if (!o.dedup.empty()) {
    e.dedup.clear();
    for (const std::string& spec : o.dedup) {
      auto rule = incident::parse_dedup_rule(spec);
      if (!rule) {
        throw cli::usage_error("--dedup: '" + spec +
                               "' is not FIELD[|ALT],FIELD...:WINDOW (e.g. host.name,file.hash.sha256:72h)");
      }
      e.dedup.push_back(std::move(*rule));
    }
  }
  for (const std::string& spec : o.tuning) {
    auto t = incident::parse_tuning(spec);
    if (!t) throw cli::usage_error("--tuning: '" + spec + "' is not ORG:DAYS or ORG:DAYS:START");
    e.tuning.push_back(std::move(*t));
  }
  if (!e.calendar.set_hours(o.business_hours)) {
    throw cli::usage_error("--business-hours: '" + o.business_hours + "' is not HH:MM-HH:MM");
  }
  auto zone = time::zone::locate(o.business_tz);
  if (!zone) throw cli::usage_error("--business-tz: unknown zone '" + o.business_tz + "'");
  // The calendar works in one offset: the zone's offset now (Japan has no DST).
  e.calendar.utc_offset = static_cast<std::int32_t>(zone->offset_at(time::timestamp{}).count());
  e.calendar.jp_holidays = !o.no_jp_holidays;
  for (const std::string& day : o.days_off) {
    auto t = time::parse_any(day, time::timestamp{}, time::zone::utc());
    if (!t) throw cli::usage_error("--day-off: '" + day + "' is not a date");
    e.calendar.extra_days_off.insert(t->seconds() / 86400);
  }
  e.grey_business_days = o.grey_days;
  return e;
}

int run(options& o, cli::io& io) {
  if (o.list_cmd->parsed() || o.show_cmd->parsed() || o.set_cmd->parsed() ||
      o.exceptions_cmd->parsed() || o.stats_cmd->parsed() || o.timers_cmd->parsed() ||
      o.holidays_cmd->parsed()) {
    return run_command(o, io);
  }
  return run_stream(o, io);
}

int run_stream(options& o, cli::io& io) {
  incident::engine engine(engine_options_from(o));
  if (!o.assets.empty()) {
    std::vector<std::string> errors;
    engine.assets().load(o.assets, errors);
    if (!errors.empty()) {
      for (std::size_t i = 1; i < errors.size(); ++i) cli::print_line(io.err, "triage: " + errors[i]);
      throw cli::usage_error("--assets: " + errors.front());
    }
  }
  incident::store store(o.store);
  for (const std::string& file : o.exception_files) {
    std::vector<std::string> errors;
    auto entries = incident::load_exceptions_yaml(file, io.clock.now(), errors);
    if (!errors.empty()) {
      for (std::size_t i = 1; i < errors.size(); ++i) cli::print_line(io.err, "triage: " + errors[i]);
      throw cli::usage_error("--exceptions: " + errors.front());
    }
    for (const auto& e : entries) store.add_exception(e);
  }
  store.load(engine);
  engine.before_timers = [&] { store.refresh(engine); };
  const std::string key = stream_key(o.inputs);
  const std::uint64_t skip = o.resume ? store.checkpoint(key) : 0;

  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  std::unique_ptr<ndjson::line_writer> suppressed_file;
  if (!o.suppressed.empty()) {
    try {
      suppressed_file = std::make_unique<ndjson::line_writer>(
          ndjson::line_writer::open_append(o.suppressed), o.suppressed, ndjson::buffering::block);
    } catch (const std::runtime_error& e) {
      throw cli::usage_error(std::string("--suppressed: ") + e.what());
    }
    suppressed_file->take_ownership();
    // A run killed in the middle of a write leaves a piece of a line; its
    // batch is written again after a restart. End the piece so the next
    // record starts on a line of its own.
    if (ends_in_a_piece_of_line(o.suppressed)) suppressed_file->buffer().push_back('\n');
  }
  ndjson::line_writer& suppressed = suppressed_file ? *suppressed_file : out;
  pipeline::dead_letter rejects("triage", out, o.common.dead_letter, io, o.common.verbose);
  pipeline::line_stream lines(o.inputs, io, "triage");
  event::parser parser;
  std::uint64_t consumed = 0;
  std::uint64_t blank = 0;
  std::uint64_t since_save = 0;
  bool strict_stop = false;
  std::string side;  // suppressed records when they go to their own file

  auto save = [&](std::optional<time::timestamp> now) {
    out.end_block(engine.flush(out.buffer()));
    time::timestamp timer_now = engine.state().watermark;
    if (now && *now > timer_now) timer_now = *now;
    if (engine.next_timer() <= timer_now) store.refresh(engine);
    out.end_block(engine.run_timers(timer_now, out.buffer()));
    const bool ok = out.flush() & suppressed.flush();
    if (!ok) return false;  // nothing saved: a restart does this batch again
    store.save(engine, key, consumed, o.profile);
    engine.evict();
    since_save = 0;
    return true;
  };
  lines.on_idle([&] {
    if (since_save > 0) save(std::nullopt);
  });

  while (lines.next()) {
    ++consumed;
    if (consumed <= skip) continue;
    ++since_save;
    const ndjson::line& l = lines.line();
    if (l.text.find_first_not_of(" \t\r") == std::string_view::npos) {
      ++blank;
    } else if (l.truncated) {
      rejects.reject(l.text, l.where, "too_long", "line too long; its first bytes are kept");
      if (o.common.strict) strict_stop = true;
    } else if (event::parse_error error = parser.parse(l.text); error != event::parse_error::none) {
      rejects.reject(l.text, l.where,
                     error == event::parse_error::not_object     ? "not_object"
                     : error == event::parse_error::invalid_utf8 ? "invalid_utf8"
                     : error == event::parse_error::too_large    ? "too_large"
                                                                  : "not_json",
                     parser.message());
      if (o.common.strict) strict_stop = true;
    } else if (is_alert(parser.current())) {
      std::string& target = suppressed_file ? side : out.buffer();
      auto w = engine.process(parser.current(), out.buffer(), target);
      if (suppressed_file) {
        suppressed.buffer().append(side);
        side.clear();
        suppressed.end_block(w.suppressed);
        out.end_block(w.incidents);
      } else {
        out.end_block(w.incidents + w.suppressed);
      }
      if (w.incidents > 0 && out.line_buffered()) out.flush();
    } else {
      engine.observe(parser.current());
      out.write(l.text);
    }
    if (strict_stop) {
      lines.stop();
      break;
    }
    if (consumed % o.batch == 0 && !save(std::nullopt)) break;
    if (!out.ok()) break;
  }
  const bool saved = !out.ok() || save(io.clock.pinned() ? std::optional(io.clock.now()) : std::nullopt);
  const bool output_ok = out.close();
  const bool suppressed_ok = !suppressed_file || suppressed_file->close();
  const bool rejects_ok = rejects.close();
  if (!output_ok) cli::print_line(io.err, "triage: " + out.message());
  if (!suppressed_ok) cli::print_line(io.err, "triage: " + suppressed_file->message());
  if (!rejects_ok) cli::print_line(io.err, "triage: " + rejects.message());
  const bool broken_pipe = out.status() == ndjson::write_status::broken_pipe;
  if (!o.common.quiet && !broken_pipe) {
    const auto& c = engine.counts();
    pipeline::run_summary s{consumed - std::min(consumed, skip) - blank, out.records(), rejects.count(),
                            rejects.destination(), ""};
    s.extra = std::to_string(c.alerts) + " alerts, " + std::to_string(c.incidents_new) +
              " new incidents, " + std::to_string(c.suppressed_by_exception) +
              " suppressed by exceptions, " + std::to_string(c.suppressed_by_dedup) + " by dedup";
    if (skip > 0) s.extra += ", resumed after " + std::to_string(std::min(skip, consumed)) + " records";
    pipeline::print_summary(io, "triage", s);
  }
  if (broken_pipe) return cli::signal_base + SIGPIPE;
  return pipeline::finish_status(output_ok && suppressed_ok && rejects_ok && saved, lines.failed(),
                                 strict_stop);
}

}  // namespace mimamori::triage
