#include "pcap/dns.hpp"

#include <arpa/inet.h>

namespace mimamori::pcap {

namespace {

constexpr std::size_t max_records = 64;  // parsed per section; more are skipped

std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

void append_label_char(std::string& out, std::uint8_t c) {
  // Printable bytes as they are, dots inside labels and others as \DDD
  // (RFC 4343 presentation form), so a name is never ambiguous.
  if (c == '.' || c == '\\') {
    out.push_back('\\');
    out.push_back(static_cast<char>(c));
  } else if (c > 0x20 && c < 0x7f) {
    out.push_back(static_cast<char>(c));
  } else {
    out.push_back('\\');
    out.push_back(static_cast<char>('0' + c / 100));
    out.push_back(static_cast<char>('0' + c / 10 % 10));
    out.push_back(static_cast<char>('0' + c % 10));
  }
}

// Reads a possibly compressed name at `at`; `next` becomes the offset after
// the name in the original position. false on a bad name.
bool read_name(std::span<const std::uint8_t> m, std::size_t at, std::string& out,
               std::size_t& next) {
  out.clear();
  bool jumped = false;
  int hops = 0;
  std::size_t length = 0;
  while (true) {
    if (at >= m.size()) return false;
    std::uint8_t len = m[at];
    if ((len & 0xc0) == 0xc0) {
      if (at + 1 >= m.size() || ++hops > 32) return false;
      if (!jumped) next = at + 2;
      jumped = true;
      at = static_cast<std::size_t>(len & 0x3f) << 8 | m[at + 1];
      continue;
    }
    if ((len & 0xc0) != 0) return false;  // extended label types: not used
    if (len == 0) {
      if (!jumped) next = at + 1;
      if (out.empty()) out.push_back('.');  // the root
      return true;
    }
    if (at + 1 + len > m.size()) return false;
    length += len + 1;
    if (length > 255) return false;
    if (!out.empty()) out.push_back('.');
    for (std::size_t i = 0; i < len; ++i) append_label_char(out, m[at + 1 + i]);
    at += 1 + len;
  }
}

void append_uint(std::string& out, std::uint64_t v) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(digits[--n]);
}

void render_data(std::span<const std::uint8_t> m, std::size_t at, std::size_t length, dns_record& r,
                 std::string& scratch) {
  r.data.clear();
  r.has_data = false;
  std::span<const std::uint8_t> d = m.subspan(at, length);
  std::size_t next = 0;
  switch (r.type) {
    case 1:  // A
      if (length != 4) return;
      {
        char text[INET_ADDRSTRLEN];
        if (inet_ntop(AF_INET, d.data(), text, sizeof text) == nullptr) return;
        r.data = text;
      }
      break;
    case 28:  // AAAA
      if (length != 16) return;
      {
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, d.data(), text, sizeof text) == nullptr) return;
        r.data = text;
      }
      break;
    case 2:   // NS
    case 5:   // CNAME
    case 12:  // PTR
    case 39:  // DNAME
      if (!read_name(m, at, r.data, next)) return;
      break;
    case 15:  // MX: preference, exchange
      if (length < 3 || !read_name(m, at + 2, scratch, next)) return;
      append_uint(r.data, be16(d.data()));
      r.data.push_back(' ');
      r.data.append(scratch);
      break;
    case 33:  // SRV: priority weight port target
      if (length < 7 || !read_name(m, at + 6, scratch, next)) return;
      append_uint(r.data, be16(d.data()));
      r.data.push_back(' ');
      append_uint(r.data, be16(d.data() + 2));
      r.data.push_back(' ');
      append_uint(r.data, be16(d.data() + 4));
      r.data.push_back(' ');
      r.data.append(scratch);
      break;
    case 6: {  // SOA: mname rname serial refresh retry expire minimum
      if (!read_name(m, at, r.data, next)) return;
      if (!read_name(m, next, scratch, next)) return;
      r.data.push_back(' ');
      r.data.append(scratch);
      if (next + 20 > at + length) return;
      for (int i = 0; i < 5; ++i) {
        r.data.push_back(' ');
        append_uint(r.data, be32(&m[next + 4 * static_cast<std::size_t>(i)]));
      }
      break;
    }
    case 16: {  // TXT: character-strings, joined without separator
      std::size_t i = 0;
      while (i < d.size()) {
        std::size_t n = d[i];
        if (i + 1 + n > d.size()) return;
        r.data.append(reinterpret_cast<const char*>(d.data() + i + 1), n);
        i += 1 + n;
      }
      break;
    }
    default: return;
  }
  r.has_data = true;
}

}  // namespace

dns_status parse_dns(std::span<const std::uint8_t> m, dns_message& out) {
  out.question_count = 0;
  out.answer_count = 0;
  if (m.size() < 12) return dns_status::malformed;
  out.id = be16(&m[0]);
  std::uint16_t bits = be16(&m[2]);
  out.response = (bits & 0x8000) != 0;
  out.opcode = static_cast<std::uint8_t>((bits >> 11) & 0x0f);
  out.rcode = static_cast<std::uint8_t>(bits & 0x0f);
  out.flags = bits & 0x07f0;
  std::size_t qd = be16(&m[4]);
  std::size_t an = be16(&m[6]);
  std::size_t at = 12;
  for (std::size_t i = 0; i < qd; ++i) {
    if (out.questions.size() <= out.question_count) out.questions.emplace_back();
    dns_record& q = out.questions[out.question_count];
    std::size_t next = 0;
    if (!read_name(m, at, q.name, next) || next + 4 > m.size()) return dns_status::malformed;
    q.type = be16(&m[next]);
    q.klass = be16(&m[next + 2]);
    q.ttl = 0;
    q.data.clear();
    q.has_data = false;
    at = next + 4;
    if (out.question_count < max_records) ++out.question_count;
  }
  for (std::size_t i = 0; i < an; ++i) {
    if (out.answers.size() <= out.answer_count) out.answers.emplace_back();
    dns_record& r = out.answers[out.answer_count];
    std::size_t next = 0;
    if (!read_name(m, at, r.name, next) || next + 10 > m.size()) return dns_status::malformed;
    r.type = be16(&m[next]);
    r.klass = be16(&m[next + 2]);
    r.ttl = be32(&m[next + 4]);
    std::size_t length = be16(&m[next + 8]);
    at = next + 10;
    if (at + length > m.size()) return dns_status::malformed;
    render_data(m, at, length, r, out.scratch);
    at += length;
    if (out.answer_count < max_records) ++out.answer_count;
  }
  return dns_status::ok;
}

std::string_view dns_type_name(std::uint16_t type, std::string& scratch) {
  switch (type) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 13: return "HINFO";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
    case 29: return "LOC";
    case 33: return "SRV";
    case 35: return "NAPTR";
    case 39: return "DNAME";
    case 41: return "OPT";
    case 43: return "DS";
    case 44: return "SSHFP";
    case 46: return "RRSIG";
    case 47: return "NSEC";
    case 48: return "DNSKEY";
    case 50: return "NSEC3";
    case 52: return "TLSA";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 99: return "SPF";
    case 249: return "TKEY";
    case 250: return "TSIG";
    case 251: return "IXFR";
    case 252: return "AXFR";
    case 255: return "ANY";
    case 257: return "CAA";
    default:
      scratch.clear();
      append_uint(scratch, type);
      return scratch;
  }
}

std::string_view dns_class_name(std::uint16_t klass, std::string& scratch) {
  switch (klass & 0x7fff) {  // the top bit is mDNS's unicast-response / cache-flush bit
    case 1: return "IN";
    case 3: return "CH";
    case 4: return "HS";
    case 254: return "NONE";
    case 255: return "ANY";
    default:
      scratch.clear();
      append_uint(scratch, klass);
      return scratch;
  }
}

std::string_view dns_rcode_name(std::uint8_t rcode, std::string& scratch) {
  static constexpr std::string_view names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
                                               "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
                                               "NXRRSET", "NOTAUTH", "NOTZONE"};
  if (rcode < std::size(names)) return names[rcode];
  scratch.clear();
  append_uint(scratch, rcode);
  return scratch;
}

std::string_view dns_opcode_name(std::uint8_t opcode, std::string& scratch) {
  switch (opcode) {
    case 0: return "QUERY";
    case 1: return "IQUERY";
    case 2: return "STATUS";
    case 4: return "NOTIFY";
    case 5: return "UPDATE";
    default:
      scratch.clear();
      append_uint(scratch, opcode);
      return scratch;
  }
}

}  // namespace mimamori::pcap
