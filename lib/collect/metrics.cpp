#include "collect/metrics.hpp"

#include "event/builder.hpp"
#include "time/format.hpp"

namespace mimamori::collect {

void append_metric_record(std::string& out, source& s, time::timestamp now) {
  char stamp[time::utc_ms_length];
  time::write_utc_ms(stamp, now);
  std::string_view when(stamp, sizeof stamp);
  const source_counters& c = s.counters();
  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", when);
  b.key("event").begin_object();
  b.field("kind", "metric").field("dataset", "mimamori.logcollect").field("created", when);
  b.end_object();
  b.key("mimamori").begin_object().field("source", s.describe());
  b.key("metrics").begin_object();
  b.field("received", c.received.load()).field("bytes", c.bytes.load());
  b.field("rejected", c.rejected.load()).field("dropped", c.dropped.load());
  b.field("rotated", c.rotated.load()).field("reconnects", c.reconnects.load());
  b.end_object().end_object();
  b.key("organization").begin_object().field("id", s.tags().organization).end_object();
  b.end_object();
  out.push_back('\n');
}

std::string metric_summary(source& s) {
  const source_counters& c = s.counters();
  return s.describe() + ": received " + std::to_string(c.received.load()) + " (" +
         std::to_string(c.bytes.load()) + " bytes), rejected " +
         std::to_string(c.rejected.load()) + ", dropped " + std::to_string(c.dropped.load()) +
         ", rotated " + std::to_string(c.rotated.load()) + ", connections " +
         std::to_string(c.reconnects.load());
}

}  // namespace mimamori::collect
