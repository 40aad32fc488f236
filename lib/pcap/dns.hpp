// dns: a DNS message (RFC 1035) parsed for its questions and answers.
//
// Names are decompressed with a bound on pointer hops, so a loop or a
// forward pointer cannot hang the parser. Answer data is written as text
// for the common types (A, AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV); other
// types keep name, type, class and TTL without data. The message object is
// reused from packet to packet: its strings keep their capacity.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mimamori::pcap {

struct dns_record {
  std::string name;
  std::uint16_t type = 0;
  std::uint16_t klass = 0;
  std::uint32_t ttl = 0;
  std::string data;  // text form; empty for types we do not render
  bool has_data = false;
};

struct dns_message {
  std::uint16_t id = 0;
  bool response = false;
  std::uint8_t opcode = 0;
  std::uint8_t rcode = 0;
  std::uint16_t flags = 0;            // the header's flag bits (AA TC RD RA AD CD)
  std::vector<dns_record> questions;  // usually one
  std::vector<dns_record> answers;
  std::size_t question_count = 0;  // used entries of questions
  std::size_t answer_count = 0;    // used entries of answers
  std::string scratch;             // reused while rendering data
};

enum class dns_status { ok, malformed };

// Parses a message. On malformed input the fields read so far are kept
// (questions/answers parsed before the damage), so callers may still
// report what was there.
dns_status parse_dns(std::span<const std::uint8_t> message, dns_message& out);

// "A", "AAAA", ... or the number as text ("TYPE65534" form is not used: "65534").
[[nodiscard]] std::string_view dns_type_name(std::uint16_t type, std::string& scratch);
[[nodiscard]] std::string_view dns_class_name(std::uint16_t klass, std::string& scratch);
[[nodiscard]] std::string_view dns_rcode_name(std::uint8_t rcode, std::string& scratch);
[[nodiscard]] std::string_view dns_opcode_name(std::uint8_t opcode, std::string& scratch);

}  // namespace mimamori::pcap
