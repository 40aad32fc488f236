#include "sigma/pattern.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include <re2/re2.h>

#include "ndjson/json_text.hpp"

namespace mimamori::sigma {

namespace {

// RE2's DFA budget for a regex: this much per instruction of its program,
// between RE2's default and this limit (see matcher::regex).
constexpr std::int64_t regex_memory_per_instruction = 8 << 10;
constexpr std::int64_t regex_memory_limit = std::int64_t{64} << 20;

bool is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// Decodes UTF-8 to code points; invalid bytes stand for themselves (Latin-1).
std::vector<std::uint32_t> code_points(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_length(lead);
    if (n == 1 || i + n > s.size()) {
      out.push_back(lead);
      ++i;
      continue;
    }
    std::uint32_t cp = lead & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

}  // namespace

std::string parse_sigma_string(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() &&
        (text[i + 1] == '*' || text[i + 1] == '?' || text[i + 1] == '\\')) {
      out.push_back(text[++i]);
    } else if (c == '*') {
      out.push_back(wildcard_any);
    } else if (c == '?') {
      out.push_back(wildcard_one);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool has_wildcards(std::string_view value) {
  return value.find(wildcard_any) != std::string_view::npos ||
         value.find(wildcard_one) != std::string_view::npos;
}

transform_result to_base64(const std::string& value) {
  if (has_wildcards(value)) return {{}, "wildcards in a base64-encoded value"};
  std::string out;
  ndjson::append_base64(out, value);
  return {{out}, {}};
}

transform_result to_base64_offsets(const std::string& value) {
  if (has_wildcards(value)) return {{}, "wildcards in a base64offset-encoded value"};
  // The three encodings of the value at byte offsets 0, 1 and 2 of a longer
  // text, without the characters that depend on its neighbours (pySigma's
  // SigmaBase64OffsetModifier).
  static constexpr std::size_t start[3] = {0, 2, 3};
  static constexpr std::size_t end_trim[3] = {0, 3, 2};
  transform_result r;
  for (std::size_t i = 0; i < 3; ++i) {
    std::string padded(i, ' ');
    padded += value;
    std::string encoded;
    ndjson::append_base64(encoded, padded);
    const std::size_t trim = end_trim[(value.size() + i) % 3];
    if (encoded.size() < start[i] + trim) continue;
    r.values.push_back(encoded.substr(start[i], encoded.size() - start[i] - trim));
  }
  return r;
}

transform_result to_utf16(const std::string& value, bool big_endian, bool bom) {
  // Wildcards stay markers; each character around them is widened.
  std::string out;
  auto put = [&](std::uint16_t unit) {
    const char hi = static_cast<char>(unit >> 8), lo = static_cast<char>(unit & 0xFF);
    if (big_endian) {
      out.push_back(hi);
      out.push_back(lo);
    } else {
      out.push_back(lo);
      out.push_back(hi);
    }
  };
  if (bom) put(0xFEFF);
  for (std::uint32_t cp : code_points(value)) {
    if (cp == static_cast<unsigned char>(wildcard_any) || cp == static_cast<unsigned char>(wildcard_one)) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
      put(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      put(static_cast<std::uint16_t>(cp));
    }
  }
  return {{out}, {}};
}

transform_result windash_variants(const std::string& value) {
  // A dash or slash that starts a word (`\B[-/]\b`) may be written as any
  // of the characters Windows command lines accept as an option dash.
  static const char* const dashes[] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '-' && c != '/') continue;
    const bool word_before = i > 0 && is_word(static_cast<unsigned char>(value[i - 1]));
    const bool word_after = i + 1 < value.size() && is_word(static_cast<unsigned char>(value[i + 1]));
    if (!word_before && word_after) at.push_back(i);
  }
  if (at.size() > 4) return {{}, "windash value with more than 4 dashes"};
  transform_result r;
  std::size_t combinations = 1;
  for (std::size_t k = 0; k < at.size(); ++k) combinations *= 5;
  for (std::size_t n = 0; n < combinations; ++n) {
    std::string out;
    std::size_t pick = n, last = 0;
    for (std::size_t pos : at) {
      out.append(value, last, pos - last);
      out += dashes[pick % 5];
      pick /= 5;
      last = pos + 1;
    }
    out.append(value, last, std::string::npos);
    r.values.push_back(std::move(out));
  }
  return r;
}

std::optional<network> parse_cidr(std::string_view text) {
  network net;
  std::string address(text);
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address = std::string(text.substr(0, slash));
    auto digits = text.substr(slash + 1);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
  }
  if (inet_pton(AF_INET, address.c_str(), net.address.data()) == 1) {
    net.family = 4;
    if (prefix < 0) prefix = 32;
    if (prefix > 32) return std::nullopt;
  } else if (inet_pton(AF_INET6, address.c_str(), net.address.data()) == 1) {
    net.family = 6;
    if (prefix < 0) prefix = 128;
    if (prefix > 128) return std::nullopt;
  } else {
    return std::nullopt;
  }
  net.prefix = prefix;
  return net;
}

bool in_network(const network& net, std::string_view ip) {
  char text[64];
  if (ip.size() >= sizeof text) return false;
  std::memcpy(text, ip.data(), ip.size());
  text[ip.size()] = '\0';
  std::array<std::uint8_t, 16> address{};
  const int af = net.family == 4 ? AF_INET : AF_INET6;
  if (inet_pton(af, text, address.data()) != 1) return false;
  const int full = net.prefix / 8, rest = net.prefix % 8;
  if (std::memcmp(address.data(), net.address.data(), static_cast<std::size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (address[static_cast<std::size_t>(full)] & mask) == (net.address[static_cast<std::size_t>(full)] & mask);
}

void ascii_lower(std::string_view in, std::string& out) {
  out.resize(in.size());
  const std::size_t size = in.size();
  std::size_t i = 0;
  // Eight bytes at a time: a byte's 0x20 bit is set where it is A-Z (seven
  // bits compared, so no carry crosses bytes; bytes >= 0x80 left alone).
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, in.data() + i, 8);
    const std::uint64_t low7 = w & ~highs;
    const std::uint64_t from_a = low7 + (0x80 - 'A') * ones;      // high bit: >= 'A'
    const std::uint64_t past_z = low7 + (0x80 - 'Z' - 1) * ones;  // high bit: > 'Z'
    const std::uint64_t upper = from_a & ~past_z & ~w & highs;
    w |= upper >> 2;
    std::memcpy(out.data() + i, &w, 8);
  }
  for (; i < size; ++i) {
    const char c = in[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
}

bool glob_match(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0;
  std::size_t star = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == wildcard_any) {
      star = pi++;
      star_t = ti;
      continue;
    }
    if (pi < p.size() && p[pi] == wildcard_one) {
      ++pi;
      ti += utf8_length(static_cast<unsigned char>(t[ti]));
      if (ti > t.size()) ti = t.size();
      continue;
    }
    if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
      continue;
    }
    if (star == std::string_view::npos) return false;
    pi = star + 1;
    ti = ++star_t;
  }
  while (pi < p.size() && p[pi] == wildcard_any) ++pi;
  return pi == p.size();
}

matcher matcher::text(const std::string& value, bool cased) {
  matcher m;
  m.cased_ = cased;
  std::string v;
  if (cased) {
    v = value;
  } else {
    ascii_lower(value, v);
  }
  // Leading and trailing runs of `*` make a prefix, suffix or substring
  // test; any other wildcard needs the glob.
  std::size_t begin = 0, end = v.size();
  while (begin < end && v[begin] == wildcard_any) ++begin;
  while (end > begin && v[end - 1] == wildcard_any) --end;
  std::string_view core(v.data() + begin, end - begin);
  if (has_wildcards(core)) {
    m.kind_ = match_kind::glob;
    m.text_ = v;
    return m;
  }
  const bool lead = begin > 0, trail = end < v.size();
  m.text_ = std::string(core);
  m.kind_ = lead && trail ? match_kind::contains
            : lead        ? match_kind::suffix
            : trail       ? match_kind::prefix
                          : match_kind::equals;
  return m;
}

namespace {

// Reads a decimal count at e[i], moving i past it.
std::optional<std::uint32_t> read_count(const std::string& e, std::size_t& i) {
  std::uint32_t value = 0;
  const char* begin = e.data() + i;
  const auto [end, ec] = std::from_chars(begin, e.data() + e.size(), value);
  if (ec != std::errc() || end == begin) return std::nullopt;
  i += static_cast<std::size_t>(end - begin);
  return value;
}

}  // namespace

std::optional<bool> char_run::holds(std::string_view text) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::uint64_t run = 0;  // members in a row up to here
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = bytes[i];
    bool member = false;
    if (c < 0x80) {
      member = ascii[c];
      ++i;
    } else {
      const std::size_t n = ndjson::utf8_sequence(bytes + i, text.size() - i);
      if (n == 0) return std::nullopt;
      member = non_ascii;
      i += n;
    }
    if (member) {
      ++run;
      // Without `$` the first run long enough settles it (with `^`, the
      // first run is the only one that counts: see below).
      if (!at_end && run >= min) return true;
    } else {
      if (at_start) return false;  // the run that begins the text ended short
      run = 0;
    }
  }
  if (!at_end) return false;
  if (at_start && max != 0 && run > max) return false;  // `^x{n,m}$`: the whole text, n to m long
  return run >= min;
}

std::optional<char_run> find_char_run(const std::string& e, bool ignore_case, bool multi_line,
                                      bool dot_all) {
  char_run run;
  std::size_t i = 0;
  if (i < e.size() && e[i] == '^') {
    run.at_start = true;
    ++i;
  }
  bool group = false;
  if (e.compare(i, 3, "(?:") == 0) {
    group = true;
    i += 3;
  } else if (i < e.size() && e[i] == '(') {
    group = true;
    ++i;
  }
  // The atom: `.` or a bracket class of ASCII characters, ranges and the
  // escapes RE2 reads as ASCII only (\d \s \w, control letters, punctuation).
  const std::size_t atom_begin = i;
  bool dot = false, negated = false;
  if (i < e.size() && e[i] == '.') {
    dot = true;
    ++i;
  } else if (i < e.size() && e[i] == '[') {
    ++i;
    if (i < e.size() && e[i] == '^') {
      negated = true;
      ++i;
    }
    if (i < e.size() && e[i] == ']') ++i;  // a first `]` is itself
    while (i < e.size() && e[i] != ']') {
      const auto c = static_cast<unsigned char>(e[i]);
      if (c >= 0x80 || c == '[') return std::nullopt;  // non-ASCII members, [:classes:]
      if (c == '\\') {
        if (i + 1 >= e.size()) return std::nullopt;
        const auto next = static_cast<unsigned char>(e[i + 1]);
        const bool ascii_escape = next != 0 && (std::strchr("dswtnrfv", next) != nullptr ||
                                                (next < 0x80 && std::ispunct(next)));
        if (!ascii_escape) return std::nullopt;
        i += 2;
        continue;
      }
      ++i;
    }
    if (i >= e.size()) return std::nullopt;
    ++i;
  } else {
    return std::nullopt;
  }
  const std::string atom = e.substr(atom_begin, i - atom_begin);
  if (group) {
    if (i >= e.size() || e[i] != ')') return std::nullopt;
    ++i;
  }
  if (i >= e.size() || e[i] != '{') return std::nullopt;
  ++i;
  const auto min = read_count(e, i);
  if (!min || *min == 0) return std::nullopt;
  run.min = *min;
  run.max = *min;
  if (i < e.size() && e[i] == ',') {
    ++i;
    run.max = 0;
    if (i < e.size() && e[i] != '}') {
      const auto max = read_count(e, i);
      if (!max || *max < *min) return std::nullopt;
      run.max = *max;
    }
  }
  if (i >= e.size() || e[i] != '}') return std::nullopt;
  ++i;
  if (i < e.size() && e[i] == '$') {
    run.at_end = true;
    ++i;
  }
  if (i != e.size()) return std::nullopt;
  // (?m) moves `^` and `$` to every line.
  if (multi_line && (run.at_start || run.at_end)) return std::nullopt;

  // Which characters the atom holds, as RE2 reads it with the same flags.
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!ignore_case);
  options.set_dot_nl(dot_all);
  const RE2 one(atom, options);
  if (!one.ok()) return std::nullopt;
  for (unsigned c = 0; c < 128; ++c) {
    const char character = static_cast<char>(c);
    run.ascii[c] = RE2::FullMatch(std::string_view(&character, 1), one);
  }
  run.non_ascii = dot || negated;
  // Case folding ties a few ASCII letters to letters beyond ASCII (k to
  // the Kelvin sign, s to the long s): a class whose letters are not all
  // in or all out is left to RE2 when case is ignored.
  if (ignore_case && !dot) {
    for (unsigned c = 'a'; c <= 'z'; ++c) {
      if (run.ascii[c] != run.non_ascii) return std::nullopt;
    }
  }
  // The class holds every character beyond ASCII or none: checked on a
  // few, from two to four bytes long, the case-folding ones among them.
  for (const char* sample : {"\xc3\xa9", "\xc5\xbf", "\xe2\x84\xaa", "\xe4\xb8\xad", "\xef\xbf\xbd",
                             "\xf0\x9f\x98\x80"}) {
    if (RE2::FullMatch(sample, one) != run.non_ascii) return std::nullopt;
  }
  return run;
}

std::optional<matcher> matcher::regex(const std::string& expression, bool ignore_case,
                                      bool multi_line, bool dot_all, std::string& error) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!ignore_case);
  options.set_dot_nl(dot_all);
  std::string pattern = expression;
  if (multi_line) pattern = "(?m)" + pattern;
  auto re = std::make_shared<RE2>(pattern, options);
  if (!re->ok()) {
    error = re->error();
    return std::nullopt;
  }
  // RE2 searches with a DFA built as it goes, within a memory budget (8 MiB
  // by default); a search that runs out of it falls back to an engine that
  // costs the program's size per byte. A large program (a counted
  // repetition: `.{1000,}` is 8,000 instructions) walks states as large as
  // itself: it gets a budget in proportion (memory is taken only as states
  // are built), or every search of a text longer than its count costs
  // milliseconds (SigmaHQ's long command line rule: 25 ms a search).
  const auto program = static_cast<std::int64_t>(re->ProgramSize());
  const std::int64_t budget = std::clamp<std::int64_t>(program * regex_memory_per_instruction,
                                                       options.max_mem(), regex_memory_limit);
  if (budget > options.max_mem()) {
    options.set_max_mem(budget);
    auto roomier = std::make_shared<RE2>(pattern, options);
    if (roomier->ok()) re = std::move(roomier);
  }
  matcher m;
  m.kind_ = match_kind::regex;
  m.cased_ = true;
  m.text_ = std::string(ignore_case ? "i" : "") + (multi_line ? "m" : "") + (dot_all ? "s" : "") +
            "/" + expression;
  m.regex_ = std::move(re);
  if (auto run = find_char_run(expression, ignore_case, multi_line, dot_all)) {
    m.run_ = std::make_shared<const char_run>(*run);
  }
  return m;
}

matcher matcher::cidr(const network& net) {
  matcher m;
  m.kind_ = match_kind::cidr;
  m.cased_ = true;
  m.network_ = net;
  char text[64] = {};
  inet_ntop(net.family == 4 ? AF_INET : AF_INET6, net.address.data(), text, sizeof text);
  m.text_ = std::string(text) + "/" + std::to_string(net.prefix);
  return m;
}

matcher matcher::number(match_kind comparison, double value) {
  matcher m;
  m.kind_ = comparison;
  m.cased_ = true;
  m.number_ = value;
  return m;
}

bool matcher::matches(std::string_view value, std::string_view lowered) const {
  const std::string_view v = cased_ ? value : lowered;
  switch (kind_) {
    case match_kind::equals: return v == text_;
    case match_kind::prefix: return v.starts_with(text_);
    case match_kind::suffix: return v.ends_with(text_);
    case match_kind::contains: return v.find(text_) != std::string_view::npos;
    case match_kind::glob: return glob_match(text_, v);
    case match_kind::regex:
      if (run_) {
        if (const std::optional<bool> held = run_->holds(value)) return *held;
      }
      return RE2::PartialMatch(value, *regex_);
    case match_kind::cidr: return in_network(network_, value);
    case match_kind::greater:
    case match_kind::greater_equal:
    case match_kind::less:
    case match_kind::less_equal: {
      double number = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc() || p != value.data() + value.size()) return false;
      switch (kind_) {
        case match_kind::greater: return number > number_;
        case match_kind::greater_equal: return number >= number_;
        case match_kind::less: return number < number_;
        default: return number <= number_;
      }
    }
  }
  return false;
}

std::int64_t matcher::regex_memory() const { return regex_ ? regex_->options().max_mem() : 0; }

std::string matcher::key() const {
  std::string k(1, static_cast<char>('A' + static_cast<int>(kind_)));
  k += cased_ ? 'c' : 'i';
  if (kind_ >= match_kind::greater) {
    std::string n;
    ndjson::append_double(n, number_);
    return k + n;
  }
  return k + text_;
}

}  // namespace mimamori::sigma
