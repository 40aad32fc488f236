#include "lognorm/lognorm.hpp"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <exception>

#include "cli/exit_status.hpp"
#include "cli/main.hpp"
#include "ndjson/writer.hpp"
#include "parsers/scan.hpp"
#include "pipeline/streams.hpp"
#include "time/format.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::lognorm {

normalizer::normalizer(normalizer_settings settings) : settings_(std::move(settings)) {}

normalizer::result normalizer::process(std::string_view line, const ndjson::position& where,
                                       time::timestamp now, std::string& out,
                                       pipeline::dead_letter* rejects) {
  last_ = nullptr;
  reason_ = {};
  if (trace_) misses_.clear();
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return result::blank;
  if (line[0] == '{' && json_.parse(line) == event::parse_error::none) {
    const event::record& rec = json_.current();
    // Winlogbeat's records carry event.kind but are raw events still (its
    // ECS mapping is done by Elastic's ingest pipelines): parse them.
    const bool winlogbeat = rec.has("winlog") && !rec.has("event.dataset");
    if (rec.has("event.kind") && !winlogbeat) {
      out.append(line);
      return result::passed;
    }
    auto original = rec.string("event.original");
    if (original && !winlogbeat) {
      const auto source = rec.string("log.file.path");
      current_ = &stream_of(where.file, source ? *source : std::string_view{});
      time::timestamp received = now;
      if (auto stamp = rec.string("@timestamp")) {
        if (auto t = time::parse_rfc3339(*stamp)) received = *t;
      }
      const auto org = rec.string("organization.id");
      fields_.padded_source({});
      const result r =
          normalize(*original, received, org ? *org : settings_.organization, where, rejects, line);
      if (r == result::rejected) return r;
      if (org) fields_.remove("organization.id");
      patch_.clear();
      // Keys read from the line are escaped by event::patch (found by lognorm_fuzz).
      fields_.each_json(scratch_,
                        [&](std::string_view path, std::string_view json) { patch_.set_raw(path, json); });
      patch_.apply(line, out);
      return r;
    }
    // Any other JSON object is a log line of its own (Suricata EVE...).
  }
  current_ = &stream_of(where.file, {});
  // The line is padded (see process() in the header): values that are views
  // of it are written 16 bytes at a time.
  fields_.padded_source(line);
  const result r = normalize(line, now, settings_.organization, where, rejects, line);
  if (r == result::rejected) return r;
  fields_.set("event.original", line);
  out.push_back('{');
  fields_.write_members(out, true);
  out.push_back('}');
  return r;
}

parsers::stream_state& normalizer::stream_of(std::string_view input, std::string_view source) {
  auto matches = [&](const std::string& key) {
    return key.size() == input.size() + 1 + source.size() &&
           key.compare(0, input.size(), input) == 0 &&
           key.compare(input.size() + 1, source.size(), source) == 0;
  };
  if (stream_ < streams_.size() && matches(streams_[stream_].first))
    return streams_[stream_].second;
  for (stream_ = 0; stream_ < streams_.size(); ++stream_) {
    if (matches(streams_[stream_].first)) return streams_[stream_].second;
  }
  std::string key(input);
  key.push_back('\0');
  key.append(source);
  streams_.emplace_back(std::move(key), parsers::stream_state{});
  stream_ = streams_.size() - 1;
  return streams_.back().second;
}

normalizer::result normalizer::normalize(std::string_view original, time::timestamp received,
                                         std::string_view organization,
                                         const ndjson::position& where,
                                         pipeline::dead_letter* rejects,
                                         std::string_view whole_line) {
  fields_.clear();
  syslog::parse_header(original, {received, settings_.tz}, header_);
  const parsers::line_context context{original, header_, received, settings_.tz, current_};
  parsers::parse_result res;
  const parsers::parser* matched = nullptr;
  // Parsers report bad input as values; this catch is a safety net so that
  // a bug in one (an out-of-range substr) rejects the line, not the run.
  try {
    if (settings_.format != nullptr) {
      matched = settings_.format;
      res = settings_.format->parse(context, fields_);
    } else {
      if (settings_.rules) {
        for (const parsers::parser* p : settings_.rules->rules()) {
          matched = p;
          res = p->parse(context, fields_);
          if (res.what != parsers::outcome::no_match) break;
          if (trace_) misses_.push_back({p, settings_.rules->why_not(*p, context)});
          matched = nullptr;
          fields_.clear();
        }
      }
      for (const parsers::parser* p : parsers::all()) {
        if (matched != nullptr) break;  // a user rule took the line
        matched = p;
        res = p->parse(context, fields_);
        if (res.what != parsers::outcome::no_match) break;
        matched = nullptr;
        fields_.clear();
      }
    }
  } catch (const std::exception&) {
    res = {parsers::outcome::broken, "internal parser error (please report this line)"};
  }
  if (res.what == parsers::outcome::broken) {
    last_ = matched;
    reason_ = res.reason;
    if (rejects != nullptr) {
      std::string message(matched->name());
      message += ": ";
      message += res.reason;
      rejects->reject(whole_line, where, "parse_error", message);
    }
    return result::rejected;
  }
  const bool parsed = res.what == parsers::outcome::parsed;
  if (!parsed) fields_.clear();
  // The parser read a line of a format without a syslog envelope: what the
  // envelope reader thought it saw there (a host, a program) is not so.
  if (parsed && res.no_envelope) header_ = syslog::header{.message = original};
  if (parsed && res.no_program) header_.app_name = header_.procid = {};
  // One UTF-8 check for the whole line; every value is a piece of it.
  fields_.trust_utf8(simdjson::validate_utf8(original.data(), original.size()));
  last_ = parsed ? matched : nullptr;

  // The envelope, where the parser did not say better.
  if (!fields_.has("@timestamp")) {
    time::write_utc_ms(stamp_, header_.has_time ? header_.time : received);
    fields_.set("@timestamp", std::string_view(stamp_, time::utc_ms_length));
  }
  // event, unless the parser said the device raised an alert (event.kind
  // alert: a Zeek notice, a Suricata or Snort alert, an EDR detection).
  if (!fields_.has("event.kind")) fields_.set("event.kind", "event");
  fields_.set("organization.id", organization);
  if (parsed) {
    // A parser may name a finer dataset itself (squid.access from the
    // combined format, leef.log).
    if (!fields_.has("event.dataset")) fields_.set("event.dataset", matched->dataset());
  } else {
    fields_.add("tags", "unparsed");
    fields_.set("message", header_.message);
  }
  if (!header_.hostname.empty() && !fields_.has("host.hostname")) {
    fields_.set("host.hostname", header_.hostname);
  }
  if (!header_.app_name.empty() && !fields_.has("process.name")) {
    fields_.set("process.name", header_.app_name);
  }
  if (!header_.procid.empty() && !fields_.has("process.pid")) {
    if (auto pid = parsers::to_int(header_.procid); pid && *pid >= 0) {
      fields_.set_int("process.pid", *pid);
    }
  }
  if (header_.priority >= 0) {
    fields_.set_int("log.syslog.priority", header_.priority);
    fields_.set_int("log.syslog.facility.code", header_.facility());
    fields_.set("log.syslog.facility.name", syslog::facility_name(header_.facility()));
    fields_.set_int("log.syslog.severity.code", header_.severity());
    fields_.set("log.syslog.severity.name", syslog::severity_name(header_.severity()));
  }
  if (!header_.msgid.empty()) fields_.set("log.syslog.msgid", header_.msgid);
  // RFC 5424 structured data: log.syslog.structured_data.<SD-ID>.<name>
  if (!header_.structured_data.empty()) {
    std::size_t pos = 0;
    syslog::sd_param param;
    while (syslog::next_sd_param(header_.structured_data, pos, param)) {
      scratch_.assign(param.sd_id);
      scratch_.push_back('.');
      scratch_.append(param.name);
      if (param.value.find('\\') == std::string_view::npos) {
        fields_.set_dynamic("log.syslog.structured_data.", scratch_, param.value, false);
        continue;
      }
      std::string value;  // \" \\ \] stand for the character itself
      for (std::size_t i = 0; i < param.value.size(); ++i) {
        if (param.value[i] == '\\' && i + 1 < param.value.size()) ++i;
        value.push_back(param.value[i]);
      }
      fields_.set_dynamic("log.syslog.structured_data.", scratch_, value, true);
    }
  }
  return parsed ? result::event : result::unparsed;
}

namespace {

struct dataset_counts {
  std::vector<std::pair<std::string, std::uint64_t>> rows;
  void count(std::string_view name) {
    for (auto& row : rows) {
      if (row.first == name) {
        ++row.second;
        return;
      }
    }
    rows.emplace_back(name, 1);
  }
  void print(const cli::io& io) {
    std::sort(rows.begin(), rows.end());
    for (const auto& [name, n] : rows) {
      cli::print_line(io.err, "lognorm: " + std::string(name) + " " + std::to_string(n));
    }
  }
};

// Every rulebase problem is printed, "lognorm: file:line:column: why"; the
// last one ends the run (exit status 2).
std::shared_ptr<const parsers::rulebase> load_rules(const options& o, const cli::io& io) {
  if (o.rules.empty()) return nullptr;
  auto rules = std::make_shared<parsers::rulebase>();
  std::vector<std::string> problems;
  for (const std::string& path : o.rules) rules->load_file(path, problems);
  if (!problems.empty()) {
    for (std::size_t i = 0; i + 1 < problems.size(); ++i)
      cli::print_line(io.err, "lognorm: " + problems[i]);
    throw cli::usage_error(problems.back());
  }
  return rules;
}

normalizer_settings settings_of(const options& o, const cli::io& io) {
  normalizer_settings s;
  s.organization = o.organization;
  s.rules = load_rules(o, io);
  if (!o.format.empty()) {
    if (s.rules) s.format = s.rules->find(o.format);
    if (s.format == nullptr) s.format = parsers::find(o.format);
    if (s.format == nullptr) {
      throw cli::usage_error("--format: unknown format '" + o.format +
                             "' (lognorm --list-formats names them)");
    }
  }
  auto zone = time::zone::locate(o.tz);
  if (!zone) throw cli::usage_error("--tz: unknown time zone '" + o.tz + "'");
  s.tz = *zone;
  return s;
}

int list_formats(const options& o, const cli::io& io) {
  const auto rules = load_rules(o, io);
  ndjson::line_writer out(io.out);
  std::vector<const parsers::parser*> all;
  if (rules) all = rules->rules();  // tried first
  all.insert(all.end(), parsers::all().begin(), parsers::all().end());
  all.push_back(&parsers::nginx_access());
  for (const parsers::parser* p : all) {
    std::string line(p->name());
    line.resize(std::max<std::size_t>(line.size() + 1, 20), ' ');
    line += p->dataset();
    line.resize(std::max<std::size_t>(line.size() + 1, 40), ' ');
    line += p->description();
    out.write(line);
  }
  return out.close() ? cli::success : cli::failure;
}

int explain(const options& o, cli::io& io) {
  const normalizer_settings settings = settings_of(o, io);
  normalizer n(settings);
  n.trace_rules(true);
  ndjson::line_writer out(io.out, "<stdout>", ndjson::buffering::line);
  std::string padded, record;
  std::uint64_t number = 0;
  for (const std::string& line : o.inputs) {
    ++number;
    padded.assign(line);
    padded.append(simdjson::SIMDJSON_PADDING, '\0');
    record.clear();
    const auto r = n.process(std::string_view(padded.data(), line.size()),
                             {"<argument>", number, 0}, io.clock.now(), record, nullptr);
    out.write("line " + std::to_string(number) + ": " + line);
    // The user rules tried before the one that took the line (or all of
    // them): like fail2ban-regex, say why each did not match.
    for (const auto& miss : n.near_misses()) {
      out.write("  tried rule " + std::string(miss.rule->name()) + " (" +
                settings.rules->origin(*miss.rule) + "): " + miss.why);
    }
    switch (r) {
      case normalizer::result::blank: out.write("  blank: nothing to parse"); continue;
      case normalizer::result::passed: out.write("  passed through: already normalised"); continue;
      case normalizer::result::rejected:
        out.write("  rejected by " + std::string(n.last_parser()->name()) + ": " +
                  std::string(n.last_reason()));
        continue;
      case normalizer::result::unparsed: out.write("  parser: none (tags: unparsed)"); break;
      case normalizer::result::event: {
        const parsers::parser* p = n.last_parser();
        const std::string origin =
            settings.rules ? settings.rules->origin(*p) : std::string();
        if (!origin.empty()) {
          out.write("  rule: " + std::string(p->name()) + " (" + std::string(p->dataset()) +
                    ") from " + origin);
        } else {
          out.write("  parser: " + std::string(p->name()) + " (" + std::string(p->dataset()) +
                    ")");
        }
        break;
      }
    }
    std::string scratch;
    n.last_fields().each_json(scratch, [&](std::string_view path, std::string_view json) {
      out.write("  " + std::string(path) + " = " + std::string(json));
    });
  }
  return out.close() ? cli::success : cli::failure;
}

}  // namespace

int run(options& o, cli::io& io) {
  if (o.list_formats) return list_formats(o, io);
  if (o.explain) return explain(o, io);
  normalizer n(settings_of(o, io));
  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  pipeline::dead_letter rejects("lognorm", out, o.common.dead_letter, io, o.common.verbose);
  pipeline::line_stream lines(o.inputs, io, "lognorm");
  // Before waiting for more input, hand on what is buffered: a live feed's
  // events come out while the feed stays open.
  // The receive time is read from the clock again after every wait for
  // input and every 64 lines: lines that were waiting in one buffer came in
  // before it was read, and share a reading (a clock call per line cost
  // more than a percent of the run).
  constexpr std::uint64_t clock_lines = 64;
  std::uint64_t clock_age = clock_lines;
  lines.on_idle([&out, &clock_age] {
    out.flush();
    clock_age = clock_lines;
  });
  dataset_counts counts;
  std::uint64_t events = 0, unparsed = 0, passed = 0, blank = 0;
  bool strict_stop = false;
  time::timestamp now = io.clock.now();
  while (lines.next()) {
    const ndjson::line& l = lines.line();
    if (++clock_age >= clock_lines && !io.clock.pinned()) {
      now = io.clock.now();
      clock_age = 0;
    }
    const auto r = n.process(l.text, l.where, now, out.buffer(), &rejects);
    switch (r) {
      case normalizer::result::blank: ++blank; continue;
      case normalizer::result::rejected:
        if (o.stats) counts.count("(rejected)");
        if (o.common.strict) {
          strict_stop = true;
          lines.stop();
        }
        continue;
      case normalizer::result::event:
        ++events;
        if (o.stats) counts.count(n.last_dataset());
        break;
      case normalizer::result::unparsed:
        ++unparsed;
        if (o.stats) counts.count("(unparsed)");
        break;
      case normalizer::result::passed:
        ++passed;
        if (o.stats) counts.count("(passed through)");
        break;
    }
    out.end_record();
  }
  const bool output_ok = out.close();
  const bool rejects_ok = rejects.close();
  if (!output_ok) cli::print_line(io.err, "lognorm: " + out.message());
  if (!rejects_ok) cli::print_line(io.err, "lognorm: " + rejects.message());
  const bool broken_pipe = out.status() == ndjson::write_status::broken_pipe;
  // --stats is asked for: it prints even with -q, which silences the summary.
  if (o.stats && !broken_pipe) counts.print(io);
  if (!o.common.quiet && !broken_pipe) {
    pipeline::run_summary s{lines.lines() - blank, out.records(), rejects.count(),
                            rejects.destination(), ""};
    s.written = events + unparsed + passed;
    s.extra = std::to_string(events) + " parsed, " + std::to_string(unparsed) + " unparsed, " +
              std::to_string(passed) + " passed through";
    pipeline::print_summary(io, "lognorm", s);
  }
  if (broken_pipe) return cli::signal_base + SIGPIPE;
  return pipeline::finish_status(output_ok && rejects_ok, lines.failed(), strict_stop);
}

}  // namespace mimamori::lognorm
