#include "archive/stats.hpp"

#include <algorithm>

#include "archive/layout.hpp"
#include "event/builder.hpp"
#include "time/format.hpp"

namespace mimamori::archive {

std::vector<period_count> count_records(index& idx, const std::string& organization,
                                        time::timestamp from, time::timestamp to, period by) {
  std::vector<period_count> out;
  if (!(from < to)) return out;
  auto rows =
      idx.list(organization, hour_of(from), hour_of(time::timestamp::from_nanos(to.ns - 1)));
  int hours = by == period::day ? 24 : 1;
  for (const hour_file& f : rows) {
    std::int64_t first = f.hour;
    if (by == period::day) first = (f.hour >= 0 ? f.hour / 24 : (f.hour - 23) / 24) * 24;
    if (out.empty() || out.back().organization != f.organization ||
        out.back().first_hour != first) {
      period_count c;
      c.organization = f.organization;
      c.first_hour = first;
      c.hours = hours;
      out.push_back(std::move(c));
    }
    period_count& c = out.back();
    if (f.records > 0) {
      if (c.records == 0) {
        c.first_time = f.first_time;
        c.last_time = f.last_time;
      } else {
        c.first_time = std::min(c.first_time, f.first_time);
        c.last_time = std::max(c.last_time, f.last_time);
      }
    }
    ++c.files;
    c.records += f.records;
    c.compressed_bytes += f.compressed_bytes;
    c.raw_bytes += f.raw_bytes;
    c.open = c.open || f.open;
  }
  return out;
}

void append_count_record(std::string& out, const period_count& c) {
  std::string start = hour_text(c.first_hour);
  std::string end = hour_text(c.first_hour + c.hours);
  event::builder b(out);
  b.begin_object();
  b.field("@timestamp", start);
  b.key("event")
      .begin_object()
      .field("kind", "metric")
      .field("dataset", "mimamori.archive")
      .end_object();
  b.key("organization").begin_object().field("id", c.organization).end_object();
  b.key("mimamori").begin_object().key("archive").begin_object();
  b.field("period", c.hours == 24 ? "day" : "hour");
  b.field("start", start);
  b.field("end", end);
  b.field("files", c.files);
  b.field("records", c.records);
  b.field("compressed_bytes", c.compressed_bytes);
  b.field("raw_bytes", c.raw_bytes);
  if (c.records > 0) {
    b.field("first", time::format_utc_ms(c.first_time));
    b.field("last", time::format_utc_ms(c.last_time));
  }
  b.field("open", c.open);
  b.end_object().end_object();
  b.end_object();
}

}  // namespace mimamori::archive
