// plain_list: one indicator per line, its type told by its shape.
#include <array>
#include <cstdint>
#include <cstring>
#include <tuple>

#include "intel/feed_parsers.hpp"

namespace mimamori::intel::detail {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string shown(std::string_view value) {
  if (value.size() > 80) return std::string(value.substr(0, 77)) + "...";
  return std::string(value);
}

// The first token and what follows it.
// What a byte is to split_token: part of a token, a blank, a separator
// (',', ';', '|'), or ':' (a URL's "://" may follow).
enum class byte_kind : std::uint8_t { token, blank, separator, colon };
constexpr std::array<byte_kind, 256> byte_kinds = [] {
  std::array<byte_kind, 256> kinds{};
  kinds[' '] = kinds['\t'] = byte_kind::blank;
  kinds[','] = kinds[';'] = kinds['|'] = byte_kind::separator;
  kinds[':'] = byte_kind::colon;
  return kinds;
}();

// One pass over the line (a feed has a million of them): the token ends at
// a blank, or at ',', ';' or '|' unless it is a URL (a "://" before any of
// those), whose query may hold them.
std::pair<std::string_view, std::string_view> split_token(std::string_view line) {
  std::size_t end = 0;
  bool url = false;
  const std::size_t size = line.size();
  for (;;) {
    while (end < size && byte_kinds[static_cast<unsigned char>(line[end])] == byte_kind::token)
      ++end;
    if (end == size) break;
    const byte_kind kind = byte_kinds[static_cast<unsigned char>(line[end])];
    if (kind == byte_kind::blank || (kind == byte_kind::separator && !url)) break;
    if (kind == byte_kind::colon && end + 2 < size && line[end + 1] == '/' && line[end + 2] == '/')
      url = true;
    ++end;
  }
  std::string_view rest = line.substr(end);
  while (!rest.empty() && (is_space(rest.front()) || rest.front() == ',' || rest.front() == ';' ||
                           rest.front() == '|' || rest.front() == '#')) {
    rest.remove_prefix(1);
  }
  return {line.substr(0, end), trim(rest)};
}

bool is_sinkhole(std::string_view token) {
  return token == "0.0.0.0" || token == "127.0.0.1" || token == "::" || token == "::1";
}

std::uint32_t v4_of(const ip_prefix& p) {
  return (std::uint32_t{p.address[12]} << 24) | (std::uint32_t{p.address[13]} << 16) |
         (std::uint32_t{p.address[14]} << 8) | p.address[15];
}

// The fewest CIDR blocks that cover first..last (IPv4).
template <typename Emit>
void range_to_blocks(std::uint32_t first, std::uint32_t last, Emit&& emit) {
  std::uint64_t at = first;
  while (at <= last) {
    int size = 32;
    while (size > 0) {
      std::uint64_t block = std::uint64_t{1} << (33 - size);
      if ((at & (block - 1)) != 0 || at + block - 1 > last) break;
      --size;
    }
    emit(static_cast<std::uint32_t>(at), size);
    at += std::uint64_t{1} << (32 - size);
  }
}

}  // namespace

void read_plain(line_source& lines, sink& out) {
  std::string_view raw;
  std::uint64_t number = 0;
  std::string last_description;
  std::uint32_t current = 0;
  bool have_context = false;
  auto context_for = [&](std::string_view description) {
    if (!have_context || description != last_description) {
      context c;
      c.description = description;
      current = out.context_id(std::move(c));
      last_description = description;
      have_context = true;
    }
    return current;
  };

  while (lines(raw, number)) {
    std::string_view line = trim(raw);
    if (number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '!' ||
        line.substr(0, 2) == "//") {
      continue;
    }
    auto [token, rest] = split_token(line);

    if (out.options().type) {
      auto value = read_as(*out.options().type, token);
      if (!value) {
        out.bad(number, "not a " + std::string(type_name(*out.options().type)) + ": '" +
                            shown(token) + "'");
        continue;
      }
      out.add(*value, context_for(rest), std::nullopt);
      continue;
    }

    auto value = detect(token);
    if (value && value->type == indicator_type::ip && !rest.empty()) {
      auto [second, after] = split_token(rest);
      if (second == "-") std::tie(second, after) = split_token(after);
      // "0.0.0.0 evil.example": a hosts-file line blocking a domain.
      if (is_sinkhole(token)) {
        if (auto domain = detect(second); domain && domain->type == indicator_type::domain) {
          out.add(*domain, context_for(after), std::nullopt);
          continue;
        }
      }
      // "first last ..." or "first - last": an address range.
      auto end = parse_ip_address(second);
      if (end && value->ip.length == 128 && value->ip.is_v4() && end->is_v4()) {
        std::uint32_t first = v4_of(value->ip), last = v4_of(*end);
        if (last < first) {
          out.bad(number, "range ends before it starts: '" + shown(line) + "'");
          continue;
        }
        std::uint32_t ctx = context_for(after);
        range_to_blocks(first, last, [&](std::uint32_t start, int size) {
          detected block;
          block.type = indicator_type::ip;
          block.ip.address[10] = block.ip.address[11] = 0xff;
          block.ip.address[12] = static_cast<std::uint8_t>(start >> 24);
          block.ip.address[13] = static_cast<std::uint8_t>(start >> 16);
          block.ip.address[14] = static_cast<std::uint8_t>(start >> 8);
          block.ip.address[15] = static_cast<std::uint8_t>(start);
          block.ip.length = static_cast<std::uint8_t>(96 + size);
          block.value = block.ip.text();
          out.add(block, ctx, std::nullopt);
        });
        continue;
      }
    }
    if (!value) {
      out.bad(number, "cannot tell the indicator type of '" + shown(token) + "'");
      continue;
    }
    out.add(*value, context_for(rest), std::nullopt);
  }
}

}  // namespace mimamori::intel::detail
