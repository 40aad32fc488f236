#include "correlate/correlate.hpp"

#include <csignal>
#include <map>
#include <stdexcept>

#include "cli/main.hpp"
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
  for (const std::string& path : paths) {
    try {
      d.rules().load(path, report);
    } catch (const std::runtime_error& e) {
      throw cli::usage_error(std::string("--rules: ") + e.what());
    }
  }
}

std::vector<std::string> rule_paths(const options& o) {
  if (o.check && !o.inputs.empty()) return o.inputs;
  if (!o.rules.empty()) return o.rules;
  return {shipped_rules_dir() + "/sigma"};
}

int check(const options& o, detector& d, cli::io& io) {
  sigma::load_report report;
  load_rules(d, rule_paths(o), report);
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

}  // namespace

std::size_t detector::detect(const event::record& event, std::string& out) {
  if (!is_event(event)) return 0;
  rules_.match(event, hits_);
  for (std::uint32_t hit : hits_) {
    sigma::write_alert(out, rules_.rules()[hit], event);
    out.push_back('\n');
  }
  std::size_t raised = hits_.size();
  if (matcher_) {
    for (const intel::hit& h : matcher_->match(event)) {
      intel::append_alert(out, indicators_, h, event, matcher_->last_time(), {.retro = retro_});
      out.push_back('\n');
      ++raised;
    }
  }
  return raised;
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

int run(options& o, cli::io& io) {
  detector d(load_mapping(o.mappings, io));
  if (o.check) return check(o, d, io);

  sigma::load_report report;
  load_rules(d, rule_paths(o), report);
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

  ndjson::line_writer out(io.out, "<stdout>", o.common.output_buffering());
  pipeline::dead_letter rejects("correlate", out, o.common.dead_letter, io, o.common.verbose);
  pipeline::record_stream records(o.inputs, io, rejects, o.common.strict, "correlate");
  records.lines().on_idle([&out] { out.flush(); });
  std::uint64_t alerts = 0;
  while (records.next()) {
    const event::record& r = records.record();
    if (!o.alerts_only) out.write(records.line().text);
    const std::size_t raised = d.detect(r, out.buffer());
    if (raised > 0) {
      alerts += raised;
      out.end_block(raised);
      out.flush();  // an alert goes out at once
    }
  }
  const bool output_ok = out.close();
  const bool rejects_ok = rejects.close();
  if (!output_ok) cli::print_line(io.err, "correlate: " + out.message());
  if (!rejects_ok) cli::print_line(io.err, "correlate: " + rejects.message());
  const bool broken_pipe = out.status() == ndjson::write_status::broken_pipe;
  if (!o.common.quiet && !broken_pipe) {
    pipeline::run_summary s{records.read() - records.blank(), out.records(), rejects.count(),
                            rejects.destination(), ""};
    s.extra = std::to_string(alerts) + " alerts from " + std::to_string(d.rules().rules().size()) +
              " rules";
    pipeline::print_summary(io, "correlate", s);
  }
  if (broken_pipe) return cli::signal_base + SIGPIPE;
  return pipeline::finish_status(output_ok && rejects_ok, records.lines().failed(),
                                 records.strict_stop());
}

}  // namespace mimamori::correlate
