#include "archive/layout.hpp"

#include "time/civil.hpp"
#include "time/format.hpp"

namespace mimamori::archive {

namespace {

bool plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void append_two_digits(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

std::string org_directory(std::string_view organization) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(organization.size());
  for (std::size_t i = 0; i < organization.size(); ++i) {
    auto c = static_cast<unsigned char>(organization[i]);
    if (plain(c) && !(i == 0 && c == '.')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
  if (out.empty()) out = "%";  // an empty id still gets a directory of its own
  return out;
}

std::string org_from_directory(std::string_view directory) {
  if (directory == "%") return {};
  std::string out;
  for (std::size_t i = 0; i < directory.size(); ++i) {
    if (directory[i] == '%' && i + 2 < directory.size()) {
      int hi = hex_value(directory[i + 1]);
      int lo = hex_value(directory[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(directory[i]);
  }
  return out;
}

std::string hour_file_path(std::string_view organization, std::int64_t hour) {
  std::int64_t days = hour >= 0 ? hour / 24 : (hour - 23) / 24;
  auto hour_of_day = static_cast<unsigned>(hour - days * 24);
  time::civil_date d = time::civil_from_days(days);
  std::string out = org_directory(organization);
  out.push_back('/');
  if (d.year < 0) out.push_back('-');
  std::string year = std::to_string(d.year < 0 ? -d.year : d.year);
  out.append(year.size() < 4 ? 4 - year.size() : 0, '0');
  out.append(year);
  out.push_back('/');
  append_two_digits(out, d.month);
  out.push_back('/');
  append_two_digits(out, d.day);
  out.push_back('/');
  append_two_digits(out, hour_of_day);
  out.append(hour_file_suffix);
  return out;
}

std::string hour_text(std::int64_t hour) {
  return time::format_utc_ms(hour_start(hour));
}

}  // namespace mimamori::archive
