// micro_ndjson: Google Benchmark figures for the hot functions of lib/ndjson
// and lib/event, on the 1 KB ECS records of the benchmark corpus.
//
//   build/bench/mimamori-bench-micro [--benchmark_filter=Parse]
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "event/patch.hpp"
#include "event/record.hpp"
#include "ndjson/input.hpp"
#include "ndjson/json_text.hpp"
#include "ndjson/reader.hpp"

namespace {

using namespace mimamori;

struct corpus {
  std::string text;                              // all records, one a line
  std::vector<simdjson::padded_string> records;  // each without "\n", padded
  std::size_t typical = 0;                       // the record closest to 1 KB

  corpus() {
    bench::generator gen(bench::kind::ecs, 1);
    std::string line;
    std::size_t best = ~std::size_t{0};
    for (int i = 0; i < 4096; ++i) {
      line.clear();
      gen.next(line);
      text += line;
      line.pop_back();
      std::size_t distance = line.size() > 1024 ? line.size() - 1024 : 1024 - line.size();
      if (distance < best) {
        best = distance;
        typical = records.size();
      }
      records.emplace_back(line);
    }
  }
  [[nodiscard]] std::string_view one() const {
    return {records[typical].data(), records[typical].size()};
  }
};

const corpus& data() {
  static const corpus c;
  return c;
}

// --- line splitting ----------------------------------------------------------

void BM_LineReader(benchmark::State& state) {
  const std::string& text = data().text;
  int fd = memfd_create("corpus", MFD_CLOEXEC);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    state.SkipWithError("memfd_create");
    return;
  }
  std::uint64_t lines = 0;
  for (auto _ : state) {
    ::lseek(fd, 0, SEEK_SET);
    ndjson::line_reader reader(std::make_unique<ndjson::input>(fd, "corpus", false));
    ndjson::line line;
    while (reader.next(line)) {
      benchmark::DoNotOptimize(line.text.data());
      ++lines;
    }
  }
  ::close(fd);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(lines));
}
BENCHMARK(BM_LineReader)->Unit(benchmark::kMicrosecond);

// --- parsing -----------------------------------------------------------------

void BM_ParseOne(benchmark::State& state) {
  std::string_view one = data().one();
  event::parser parser;
  for (auto _ : state) {
    auto e = parser.parse(one);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * one.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(std::to_string(one.size()) + " B record");
}
BENCHMARK(BM_ParseOne);

// Different records each time, so branch predictors cannot learn one.
void BM_ParseMany(benchmark::State& state) {
  const auto& records = data().records;
  event::parser parser;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& r = records[i];
    auto e = parser.parse(std::string_view(r.data(), r.size()));
    benchmark::DoNotOptimize(e);
    bytes += r.size();
    if (++i == records.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseMany);

// --- lookups -----------------------------------------------------------------

void lookup(benchmark::State& state, std::string_view path) {
  event::parser parser;
  if (parser.parse(data().one()) != event::parse_error::none) {
    state.SkipWithError("parse");
    return;
  }
  const event::record& r = parser.current();
  for (auto _ : state) {
    auto v = r.string(path);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
void BM_StringSourceIp(benchmark::State& state) {
  lookup(state, "source.ip");
}
void BM_StringUserAgent(benchmark::State& state) {
  lookup(state, "user_agent.original");
}
void BM_StringMissing(benchmark::State& state) {
  lookup(state, "threat.indicator.ip");
}
BENCHMARK(BM_StringSourceIp);
BENCHMARK(BM_StringUserAgent);
BENCHMARK(BM_StringMissing);

// --- escaping ----------------------------------------------------------------

void escape(benchmark::State& state, std::string_view text) {
  std::string out;
  out.reserve(4096);
  for (auto _ : state) {
    out.clear();
    ndjson::append_string(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
void BM_AppendStringAscii(benchmark::State& state) {
  escape(state,
         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/124.0.0.0 Safari/537.36");
}
// A FortiGate line as event.original holds it: quotes to escape, some UTF-8.
void BM_AppendStringSyslog(benchmark::State& state) {
  escape(state,
         "<189>date=2024-05-01 time=00:00:01 devname=\"FGT60F-東京\" devid=\"FGT60FTK21000123\" "
         "eventtime=1714521601123456789 tz=\"+0900\" logid=\"0000000013\" type=\"traffic\" "
         "subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=10.3.7.21 srcport=51234 "
         "srcintf=\"internal\" srcintfrole=\"lan\" dstip=93.184.216.34 dstport=443 "
         "dstintf=\"wan1\" dstintfrole=\"wan\" srccountry=\"Reserved\" dstcountry=\"Japan\" "
         "sessionid=123456 proto=6 action=\"close\" policyid=1 policytype=\"policy\" "
         "service=\"HTTPS\" trandisp=\"snat\" transip=203.0.113.5 transport=40001 "
         "duration=12 sentbyte=1234 rcvdbyte=5678 sentpkt=12 rcvdpkt=10");
}
void BM_AppendStringJapanese(benchmark::State& state) {
  escape(state, "東京都千代田区の本社ファイアウォールで拒否された通信（要確認）：山田花子");
}
BENCHMARK(BM_AppendStringAscii);
BENCHMARK(BM_AppendStringSyslog);
BENCHMARK(BM_AppendStringJapanese);

// --- patching ----------------------------------------------------------------

void BM_PatchApply(benchmark::State& state) {
  std::string_view one = data().one();
  event::patch p;
  p.set_string("event.kind", "alert");
  p.set_string("threat.indicator.ip", "93.184.216.34");
  p.set_raw("threat.indicator.provider", "\"mimamori-ti\"");
  p.remove("event.ingested");
  std::string out;
  out.reserve(4096);
  for (auto _ : state) {
    out.clear();
    p.apply(one, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * one.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PatchApply);

// --- the round trip without I/O -------------------------------------------------

// Parse and copy every record of the corpus into an output buffer: the
// CPU part of mimamori-bench-roundtrip, without the reads and writes.
void BM_RoundTripInMemory(benchmark::State& state) {
  const auto& records = data().records;
  event::parser parser;
  std::string out;
  out.reserve(8 << 20);
  std::size_t bytes = 0;
  for (const auto& r : records) bytes += r.size() + 1;
  for (auto _ : state) {
    out.clear();
    for (const auto& r : records) {
      std::string_view text(r.data(), r.size());
      if (parser.parse(text) == event::parse_error::none) {
        out.append(text);
        out.push_back('\n');
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records.size()));
}
BENCHMARK(BM_RoundTripInMemory)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
