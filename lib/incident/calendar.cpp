#include "incident/calendar.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mimamori::incident {

namespace {

// 0 = Sunday .. 6 = Saturday.
unsigned weekday(std::int64_t days) {
  return static_cast<unsigned>(((days % 7) + 7 + 4) % 7);
}

unsigned weekday_of(int year, unsigned month, unsigned day) {
  return weekday(time::days_from_civil(year, month, day));
}

// The n-th Monday of a month.
unsigned nth_monday(int year, unsigned month, unsigned n) {
  const unsigned first = weekday_of(year, month, 1);
  const unsigned first_monday = 1 + (8 - first) % 7;
  return first_monday + 7 * (n - 1);
}

// Holidays named by the law itself, before substitute and citizens' days.
std::string_view statutory(int year, unsigned m, unsigned d) {
  if (year < 1949) return {};
  if (m == 1) {
    if (d == 1) return "元日";
    if (year >= 2000 ? d == nth_monday(year, 1, 2) : d == 15) return "成人の日";
  }
  if (m == 2) {
    if (d == 11 && year >= 1967) return "建国記念の日";
    if (d == 23 && year >= 2020) return "天皇誕生日";
  }
  if (m == 3 && d == vernal_equinox_day(year)) return "春分の日";
  if (m == 4 && d == 29) return year >= 2007 ? "昭和の日" : (year >= 1989 ? "みどりの日" : "天皇誕生日");
  if (m == 5) {
    if (d == 3) return "憲法記念日";
    if (d == 4 && year >= 2007) return "みどりの日";
    if (d == 5) return "こどもの日";
  }
  if (year == 2019) {  // the accession of the Emperor
    if (m == 5 && d == 1) return "即位の日";
    if (m == 10 && d == 22) return "即位礼正殿の儀の行われる日";
  }
  // Marine Day, Sports Day and Mountain Day moved for the Tokyo Olympics.
  if (year == 2020) {
    if (m == 7 && d == 23) return "海の日";
    if (m == 7 && d == 24) return "スポーツの日";
    if (m == 8 && d == 10) return "山の日";
  } else if (year == 2021) {
    if (m == 7 && d == 22) return "海の日";
    if (m == 7 && d == 23) return "スポーツの日";
    if (m == 8 && d == 8) return "山の日";
  } else {
    if (m == 7 && year >= 1996) {
      if (year >= 2003 ? d == nth_monday(year, 7, 3) : d == 20) return "海の日";
    }
    if (m == 8 && d == 11 && year >= 2016) return "山の日";
    if (m == 10 && year >= 1966) {
      if (year >= 2000 ? d == nth_monday(year, 10, 2) : d == 10) {
        return year >= 2020 ? "スポーツの日" : "体育の日";
      }
    }
  }
  if (m == 9) {
    if (year >= 1966 && (year >= 2003 ? d == nth_monday(year, 9, 3) : d == 15)) return "敬老の日";
    if (d == autumnal_equinox_day(year)) return "秋分の日";
  }
  if (m == 11) {
    if (d == 3) return "文化の日";
    if (d == 23) return "勤労感謝の日";
  }
  if (m == 12 && d == 23 && year >= 1989 && year <= 2018) return "天皇誕生日";
  return {};
}

bool statutory_on(std::int64_t days) {
  time::civil_date c = time::civil_from_days(days);
  return !statutory(c.year, c.month, c.day).empty();
}

}  // namespace

unsigned vernal_equinox_day(int year) {
  const double y = year - 1980;
  return static_cast<unsigned>(std::floor(20.8431 + 0.242194 * y - std::floor(y / 4)));
}

unsigned autumnal_equinox_day(int year) {
  const double y = year - 1980;
  return static_cast<unsigned>(std::floor(23.2488 + 0.242194 * y - std::floor(y / 4)));
}

std::string_view jp_holiday(int year, unsigned month, unsigned day) {
  if (std::string_view name = statutory(year, month, day); !name.empty()) return name;
  const std::int64_t days = time::days_from_civil(year, month, day);
  // 振替休日 (since 1973-04-12): after a holiday on a Sunday, the first day
  // that is not a holiday; since 2007 the run of holidays may be longer.
  if (days >= time::days_from_civil(1973, 4, 12)) {
    std::int64_t d = days - 1;
    while (statutory_on(d)) {
      if (weekday(d) == 0) return "振替休日";
      if (year < 2007) break;
      --d;
    }
  }
  // 国民の休日 (since 1985-12-27): a day between two holidays, not a Sunday.
  if (days >= time::days_from_civil(1985, 12, 27) && weekday(days) != 0 &&
      statutory_on(days - 1) && statutory_on(days + 1)) {
    return "国民の休日";
  }
  return {};
}

bool business_calendar::set_hours(std::string_view range) {
  auto minute_of = [](std::string_view t, int& out) {
    if (t.size() != 5 || t[2] != ':') return false;
    for (std::size_t i : {0, 1, 3, 4}) {
      if (t[i] < '0' || t[i] > '9') return false;
    }
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
    out = h * 60 + m;
    return true;
  };
  const std::size_t dash = range.find('-');
  if (dash == std::string_view::npos) return false;
  int start = 0;
  int end = 0;
  if (!minute_of(range.substr(0, dash), start) || !minute_of(range.substr(dash + 1), end) ||
      end <= start) {
    return false;
  }
  day_start_minute = start;
  day_end_minute = end;
  return true;
}

bool business_calendar::is_business_day(std::int64_t local_day) const {
  if (extra_workdays.contains(local_day)) return true;
  if (extra_days_off.contains(local_day)) return false;
  const unsigned wd = weekday(local_day);
  if (wd == 0 || wd == 6) return false;
  if (jp_holidays) {
    time::civil_date c = time::civil_from_days(local_day);
    if (is_jp_holiday(c.year, c.month, c.day)) return false;
  }
  return true;
}

time::timestamp business_calendar::add_business_minutes(time::timestamp start,
                                                        std::int64_t minutes) const {
  constexpr std::int64_t ns_per_minute = 60'000'000'000;
  constexpr std::int64_t ns_per_day = 86400 * 1'000'000'000LL;
  const std::int64_t local = start.ns + static_cast<std::int64_t>(utc_offset) * 1'000'000'000LL;
  std::int64_t day = local >= 0 ? local / ns_per_day : (local - ns_per_day + 1) / ns_per_day;
  std::int64_t in_day = local - day * ns_per_day;  // ns since local midnight
  std::int64_t left = minutes * ns_per_minute;
  const std::int64_t open = day_start_minute * ns_per_minute;
  const std::int64_t close = day_end_minute * ns_per_minute;
  // Walk day by day (a few thousand iterations at most for any sane span).
  for (int guard = 0; guard < 200000; ++guard) {
    if (is_business_day(day)) {
      const std::int64_t from = std::clamp(in_day, open, close);
      const std::int64_t room = close - from;
      if (left <= room) {
        return time::timestamp{day * ns_per_day + from + left -
                               static_cast<std::int64_t>(utc_offset) * 1'000'000'000LL};
      }
      left -= room;
    }
    ++day;
    in_day = 0;
  }
  return time::timestamp::max();
}

}  // namespace mimamori::incident
