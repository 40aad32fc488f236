// fuzz: mimamori_tool_lognorm
// The normalizer as a whole on arbitrary lines (syslog, key=value, CEF, the
// JSON path of Suricata EVE and logcollect records): no crash, and each line
// gives one valid JSON object on one line, or a rejection with a reason.
// Lines that are valid UTF-8 keep their text whole in event.original, as a
// plain line and inside a logcollect raw record. One normalizer serves every
// input, as in a long run, so its remembered record shapes are exercised too.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "lognorm/lognorm.hpp"
#include "ndjson/json_text.hpp"

using namespace mimamori;

namespace {

lognorm::normalizer& shared_normalizer() {
  static lognorm::normalizer n([] {
    lognorm::normalizer_settings s;
    s.organization = "fuzz";
    s.tz = time::zone::utc();
    return s;
  }());
  return n;
}

// Runs one line; returns the record, or nothing when it was rejected.
bool normalize(std::string_view line, std::string& out, lognorm::normalizer::result& r) {
  std::string padded(line);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  out.clear();
  r = shared_normalizer().process(std::string_view(padded.data(), line.size()),
                                  {"<fuzz>", 1, 0}, time::timestamp::from_seconds(1727924400),
                                  out, nullptr);
  if (r == lognorm::normalizer::result::rejected) {
    if (shared_normalizer().last_reason().empty() || shared_normalizer().last_parser() == nullptr) {
      std::abort();
    }
    return false;
  }
  return r != lognorm::normalizer::result::blank;
}

void check_record(std::string_view record, std::string_view original, bool check_original) {
  if (record.find('\n') != std::string_view::npos) std::abort();  // one line per record
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(record.data(), record.size()).get(doc) != simdjson::SUCCESS ||
      !doc.is_object()) {
    std::abort();
  }
  if (!check_original) return;
  std::string_view text;
  if (doc.at_pointer("/event/original").get(text) != simdjson::SUCCESS || text != original) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  // One line: lognorm's reader splits at newlines.
  if (line.find('\n') != std::string_view::npos) line = line.substr(0, line.find('\n'));
  const bool utf8 = simdjson::validate_utf8(line.data(), line.size());
  std::string out;
  lognorm::normalizer::result r;
  if (normalize(line, out, r)) {
    const bool raw_text = r == lognorm::normalizer::result::event ||
                          r == lognorm::normalizer::result::unparsed;
    // A JSON object with its own event.original (a logcollect record) keeps that one.
    check_record(out, line, utf8 && raw_text && line.find("\"original\"") == std::string_view::npos);
  }
  // The same text as logcollect hands it on.
  std::string wrapped = R"({"@timestamp":"2024-10-03T03:00:00.000Z","event":{"original":)";
  ndjson::append_string(wrapped, line);
  wrapped += R"(},"organization":{"id":"acme"}})";
  if (normalize(wrapped, out, r)) {
    const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    check_record(out, line, utf8 && !blank);
  }
  return 0;
}
