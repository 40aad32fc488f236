#include "correlate/correlate.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include <sys/resource.h>

#include "cli/main.hpp"
#include "cli/signals.hpp"
#include "correlate/state.hpp"
#include "ndjson/writer.hpp"
#include "pipeline/dead_letter.hpp"
#include "pipeline/streams.hpp"
#include "sigma/alert.hpp"

namespace mimamori::correlate {

namespace {

// Only events are matched: alerts, incidents and errors pass through.
bool is_event(const event::record& r) {
  auto kind = r.string("event.kind");
  return !kind || *kind == "event";
}

std::string location(const sigma::unsupported_rule& u) {
  std::string s = u.file;
  if (u.line > 0) s += ":" + std::to_string(u.line);
  if (u.column > 0) s += ":" + std::to_string(u.column);
  return s;
}

void load_rules(detector& d, const std::vector<std::string>& paths, sigma::load_report& report) {
  analytics::load_report behavioural;
  for (const std::string& path : paths) {
    try {
      d.rules().load(path, report);
      d.analytics().load(path, behavioural);
    } catch (const std::runtime_error& e) {
      throw cli::usage_error(std::string("--rules: ") + e.what());
    }
  }
  // Analytics files (a top-level `analytics:`) are not Sigma rules: the
  // Sigma loader's word on them is dropped, the analytics loader's kept.
  std::erase_if(report.unsupported, [&](const sigma::unsupported_rule& u) {
    return u.category == "not a Sigma rule" && d.analytics().is_rule_file(u.file);
  });
  report.loaded += behavioural.loaded;
  for (analytics::load_problem& p : behavioural.problems) {
    report.unsupported.push_back({std::move(p.file), p.line, p.column, std::move(p.id),
                                  std::move(p.category), std::move(p.reason)});
  }
}

std::vector<std::string> rule_paths(const options& o) {
  if (o.check && !o.inputs.empty()) return o.inputs;
  if (!o.rules.empty()) return o.rules;
  return {shipped_rules_dir() + "/sigma", shipped_rules_dir() + "/analytics"};
}

int check(const options& o, detector& d, cli::io& io) {
  sigma::load_report report;
  load_rules(d, rule_paths(o), report);
  d.finish_rules(report, {});
  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  out.write("files: " + std::to_string(report.files));
  out.write("loaded: " + std::to_string(report.loaded));
  out.write("unsupported: " + std::to_string(report.unsupported.size()));
  std::map<std::string, std::size_t> by_reason;
  for (const auto& u : report.unsupported) ++by_reason[u.category];
  for (const auto& [reason, count] : by_reason) {
    out.write("  " + std::to_string(count) + " " + reason);
  }
  for (const auto& u : report.unsupported) {
    out.write(location(u) + ": " + (u.id.empty() ? std::string("(no id)") : u.id) + ": " + u.reason);
  }
  if (!out.close()) {
    cli::print_line(io.err, "correlate: " + out.message());
    return out.status() == ndjson::write_status::broken_pipe ? cli::signal_base + SIGPIPE
                                                              : cli::failure;
  }
  return cli::success;
}

std::int64_t duration_option(const char* flag, const std::string& text) {
  const auto ns = sigma::parse_timespan(text);
  if (!ns) {
    throw cli::usage_error(std::string(flag) + ": '" + text +
                           "' is not a duration (a whole number and s, m, h or d: 30s, 5m)");
  }
  return *ns;
}

sigma::correlation_settings correlation_settings(const options& o) {
  sigma::correlation_settings s;
  s.lateness = duration_option("--lateness", o.lateness);
  s.evidence = o.evidence;
  s.max_groups = o.max_state;
  return s;
}

}  // namespace

std::size_t detector::detect(const event::record& event, std::string& out) {
  if (intel_only()) {
    // Indicators alone: most events meet none, and only the records that
    // do need to be events (alerts and errors pass unmatched).
    const std::vector<intel::hit>& found = matcher_->match(event);
    return found.empty() || !is_event(event) ? 0 : write_intel_alerts(found, event, out);
  }
  if (!is_event(event)) return 0;
  rules_.match(event, hits_);
  std::size_t correlated = 0;
  if (correlation_ && !correlation_->empty()) {
    // Drops filtered hits and those of rules that only feed correlations.
    correlation_out_.clear();
    correlated = correlation_->process(event, hits_, correlation_out_);
  }
  for (std::uint32_t hit : hits_) {
    sigma::write_alert(out, rules_.rules()[hit], event);
    out.push_back('\n');
  }
  std::size_t raised = hits_.size() + correlated;
  if (correlated > 0) out += correlation_out_;
  if (matcher_) raised += write_intel_alerts(matcher_->match(event), event, out);
  raised += analytics_.detect(event, out);
  return raised;
}

std::size_t detector::write_intel_alerts(const std::vector<intel::hit>& found, const event::record& event,
                                         std::string& out) {
  for (const intel::hit& h : found) {
    intel::append_alert(out, indicators_, h, event, matcher_->last_time(), {.retro = retro_});
    out.push_back('\n');
  }
  return found.size();
}

sigma::mapping load_mapping(const std::vector<std::string>& extra, const cli::io& io) {
  sigma::mapping map;
  std::vector<std::string> errors;
  map.load(shipped_rules_dir() + "/mappings/ecs.yml", errors);
  for (const std::string& file : extra) map.load(file, errors);
  if (!errors.empty()) {
    for (std::size_t i = 1; i < errors.size(); ++i) cli::print_line(io.err, "correlate: " + errors[i]);
    throw cli::usage_error(errors.front());
  }
  return map;
}

// The detector of the last run(), never freed: the process ends when run()
// returns and the kernel takes the heap back at once, where freeing the rule
// set block by block (its YAML trees, literal tables, windows) cost about 8%
// of loading the 100 threshold rules of `make bench` (with glibc's malloc).
// Reachable from here, it is not a leak to leak checkers.
namespace {
detector* last_detector = nullptr;

// The CPU time (user + system) this process has used so far.
double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

// -v's line on where the CPU time went: loading (rules, feeds, and the
// tables the first event makes the matchers build) against the lines
// after the first event. Both come from one run, so a benchmark reads the
// rate after loading without subtracting a second run's figure.
std::string cpu_line(double at_first, double at_end, std::uint64_t after_first) {
  char text[200];
  const double rest = at_end - at_first;
  std::snprintf(text, sizeof text,
                "correlate: CPU %.3f s loading and the first event, %.3f s for the %llu lines after it",
                at_first, rest, static_cast<unsigned long long>(after_first));
  std::string line = text;
  if (rest > 0 && after_first > 0) {
    std::snprintf(text, sizeof text, " (%.0f lines/s)", static_cast<double>(after_first) / rest);
    line += text;
  }
  return line;
}
}  // namespace

int run(options& o, cli::io& io) {
  delete last_detector;
  last_detector = nullptr;
  last_detector = new detector(load_mapping(o.mappings, io));
  detector& d = *last_detector;
  if (o.check) return check(o, d, io);

  sigma::load_report report;
  load_rules(d, rule_paths(o), report);
  d.finish_rules(report, correlation_settings(o));
  if (!report.unsupported.empty() && !o.common.quiet) {
    if (o.common.verbose > 0) {
      for (const auto& u : report.unsupported) {
        cli::print_line(io.err, "correlate: " + location(u) + ": " +
                                    (u.id.empty() ? std::string("(no id)") : u.id) +
                                    ": skipped: " + u.reason);
      }
    }
    cli::print_line(io.err, "correlate: loaded " + std::to_string(report.loaded) + " rules, skipped " +
                                std::to_string(report.unsupported.size()) +
                                " unsupported (--check or -v lists them)");
  }

  if (!o.intel.empty()) {
    for (const std::string& spec : o.intel) {
      intel::load_report r = d.load_intel(spec);
      if (!o.common.quiet) {
        for (const std::string& m : r.messages) cli::print_line(io.err, "correlate: " + m);
      }
      if (!r.ok()) throw cli::usage_error(r.error);
      if (o.common.verbose > 0) cli::print_line(io.err, "correlate: " + r.summary());
    }
    d.finish_intel(o.retro);
  }

  // ---- --state: the sections of the stateful engines ----
  // Each engine that keeps windows across restarts adds one section here
  // (name, save, restore); the state file holds one line per section.
  std::vector<state_section> sections;
  if (sigma::correlation_engine* c = d.correlation(); c != nullptr && !c->correlations().empty()) {
    sections.push_back({"sigma.correlation", [c](event::builder& b) { c->save(b); },
                        [c](simdjson::dom::element e, std::string& error) {
                          return c->restore(e, error);
                        }});
  }
  if (analytics::engine* a = &d.analytics(); a->size() > 0) {
    sections.push_back(
        {"analytics",
         [a](event::builder& b) {
           nlohmann::json rules;
           a->save(rules);
           b.raw_field("rules", rules.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
         },
         [a](simdjson::dom::element e, std::string& error) {
           try {
             a->restore(nlohmann::json::parse(simdjson::to_string(e)).at("rules"));
             return true;
           } catch (const std::exception& x) {
             error = x.what();
             return false;
           }
         }});
  }
  // ---- end of sections ----
  std::optional<state_file> state;
  std::uint64_t skip = 0;
  std::chrono::steady_clock::duration state_every{};
  if (!o.state.empty()) {
    state.emplace(o.state, o.inputs);
    try {
      skip = state->restore(sections);
    } catch (const std::runtime_error& e) {
      throw cli::usage_error(std::string("--state: ") + e.what());
    }
    state_every = std::chrono::nanoseconds(duration_option("--state-interval", o.state_interval));
  }

  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  pipeline::dead_letter rejects("correlate", out, o.common.dead_letter, io, o.common.verbose);
  pipeline::record_stream records(o.inputs, io, rejects, o.common.strict, "correlate");
  auto next_save = std::chrono::steady_clock::now() + state_every;
  bool state_failed = false;
  // Writes the state for the lines read so far, after the output they gave.
  auto save_state = [&] {
    if (!state || state_failed || !out.flush()) return;
    std::string error;
    if (!state->save(sections, records.read(), error)) {
      cli::print_line(io.err, "correlate: --state: " + error);
      state_failed = true;
    }
    next_save = std::chrono::steady_clock::now() + state_every;
  };
  records.lines().on_idle([&] {
    out.flush();
    if (state && std::chrono::steady_clock::now() >= next_save) save_state();
  });
  std::uint64_t skipped = 0;
  while (skipped < skip && records.lines().next()) ++skipped;
  if (skipped > 0 && o.common.verbose > 0) {
    cli::print_line(io.err, "correlate: --state: skipped " + std::to_string(skipped) +
                                " lines read before the restart");
  }
  std::uint64_t alerts = 0;
  // An alert goes out within 256 input lines, or at once when the input
  // pauses (on_idle above), not in a write of its own: a replay that
  // raises an alert every few events would otherwise spend its time in
  // write(2).
  std::optional<std::uint64_t> alert_held;  // the line that raised the oldest unwritten alert
  const bool timed = o.common.verbose > 0 && !o.common.quiet;
  double cpu_at_first = -1;  // -v: CPU seconds used when the first event was done
  std::uint64_t read_at_first = 0;
  while (records.next()) {
    const event::record& r = records.record();
    if (!o.alerts_only) out.write(records.line().text);
    const std::size_t raised = d.detect(r, out.buffer());
    if (raised > 0) {
      alerts += raised;
      out.end_block(raised);
      if (!alert_held) alert_held = records.read();
    }
    if (alert_held && records.read() - *alert_held >= 256) {
      out.flush();
      alert_held.reset();
    }
    if (state && (records.read() & 255) == 0 && std::chrono::steady_clock::now() >= next_save) {
      save_state();
    }
    if (timed && cpu_at_first < 0) {
      cpu_at_first = cpu_seconds();
      read_at_first = records.read();
    }
  }
  // The end of the input closes the windows; so does a stop by signal
  // without --state (nothing held is lost); with --state they are kept
  // for the restart.
  if (!state || (!records.lines().stopped() && !cli::stop_requested())) {
    const std::size_t raised = d.finish(out.buffer());
    if (raised > 0) {
      alerts += raised;
      out.end_block(raised);
    }
  }
  if (state) save_state();
  const bool output_ok = out.close();
  const bool rejects_ok = rejects.close();
  if (!output_ok) cli::print_line(io.err, "correlate: " + out.message());
  if (!rejects_ok) cli::print_line(io.err, "correlate: " + rejects.message());
  const bool broken_pipe = out.status() == ndjson::write_status::broken_pipe;
  if (!o.common.quiet && !broken_pipe) {
    pipeline::run_summary s{records.read() - records.blank(), out.records(), rejects.count(),
                            rejects.destination(), ""};
    s.extra = std::to_string(alerts) + " alerts from " +
              std::to_string(d.rules().rules().size() + d.analytics().size()) + " rules";
    if (const sigma::correlation_engine* c = d.correlation(); c != nullptr && !c->empty()) {
      const sigma::correlation_stats& st = c->stats();
      s.extra += ", " + std::to_string(st.alerts) + " from correlations; " +
                 std::to_string(st.late) + " late, " + std::to_string(st.untimed) + " without time, " +
                 std::to_string(st.evicted) + " windows evicted, " + std::to_string(c->open_groups()) +
                 " open, " + std::to_string(st.filtered) + " filtered";
      if (st.evicted > 0) {
        cli::print_line(io.err, "correlate: --max-state " + std::to_string(o.max_state) + ": evicted " +
                                    std::to_string(st.evicted) + " correlation windows");
      }
    }
    pipeline::print_summary(io, "correlate", s);
    if (timed && cpu_at_first >= 0) {
      cli::print_line(io.err, cpu_line(cpu_at_first, cpu_seconds(), records.read() - read_at_first));
    }
  }
  if (broken_pipe) return cli::signal_base + SIGPIPE;
  return pipeline::finish_status(output_ok && rejects_ok && !state_failed, records.lines().failed(),
                                 records.strict_stop());
}

}  // namespace mimamori::correlate
