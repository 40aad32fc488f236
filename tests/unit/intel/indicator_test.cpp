#include "intel/indicator.hpp"

#include <arpa/inet.h>

#include <cstdint>
#include <random>
#include <string>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

using namespace mimamori;
namespace bdata = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(intel_indicator)

namespace {
std::string url(std::string_view text, bool require_scheme = true) {
  std::string out;
  if (!intel::normalize_url(text, out, require_scheme)) return "<not a url>";
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(urls_are_normalised_to_one_form) {
  BOOST_TEST(url("HTTP://Evil.Example:80") == "http://evil.example/");
  BOOST_TEST(url("https://EVIL.example:443/A/b?Q=1#frag") == "https://evil.example/A/b?Q=1");
  BOOST_TEST(url("http://evil.example:8080/x") == "http://evil.example:8080/x");
  BOOST_TEST(url("https://evil.example:80/") == "https://evil.example:80/");
  BOOST_TEST(url("http://user:pw@Evil.Example./x") == "http://evil.example/x");
  BOOST_TEST(url("http://[2001:DB8::1]:80/x") == "http://[2001:db8::1]/x");
  BOOST_TEST(url("http://115.55.244.160:41619/Mozi.m") == "http://115.55.244.160:41619/Mozi.m");
  BOOST_TEST(url("evil.example/path", false) == "evil.example/path");
  BOOST_TEST(url("evil.example/path") == "<not a url>");
  BOOST_TEST(url("http:///nohost") == "<not a url>");
  BOOST_TEST(url("http://bad host/") == "<not a url>");
}

BOOST_AUTO_TEST_CASE(url_host_is_the_authority_without_port) {
  BOOST_TEST(intel::url_host("http://a.b:81/x") == "a.b");
  BOOST_TEST(intel::url_host("a.b/x") == "a.b");
  BOOST_TEST(intel::url_host("http://[::1]:80/") == "[::1]");
}

BOOST_AUTO_TEST_CASE(domains_are_lowercased_and_validated) {
  BOOST_TEST(intel::normalize_domain("Evil.Example.").value() == "evil.example");
  BOOST_TEST(!intel::normalize_domain("a..b"));
  BOOST_TEST(!intel::normalize_domain("domain autuo.xicp.net"));
  BOOST_TEST(!intel::normalize_domain(""));
  BOOST_TEST(!intel::normalize_domain("."));
  BOOST_TEST(intel::normalize_domain("_dmarc.x-y.example").value() == "_dmarc.x-y.example");
}

BOOST_AUTO_TEST_CASE(addresses_and_blocks_parse_in_one_128_bit_space) {
  auto v4 = intel::parse_ip_prefix("192.0.2.7");
  BOOST_REQUIRE(v4);
  BOOST_TEST(v4->is_v4());
  BOOST_TEST(v4->length == 128);
  BOOST_TEST(v4->text() == "192.0.2.7");

  auto block = intel::parse_ip_prefix("192.0.2.77/24");  // host bits cleared
  BOOST_REQUIRE(block);
  BOOST_TEST(block->length == 96 + 24);
  BOOST_TEST(block->text() == "192.0.2.0/24");

  auto v6 = intel::parse_ip_prefix("2001:DB8:0:0::1/32");
  BOOST_REQUIRE(v6);
  BOOST_TEST(!v6->is_v4());
  BOOST_TEST(v6->text() == "2001:db8::/32");

  BOOST_TEST(intel::parse_ip_address("192.0.2.1:443")->text() == "192.0.2.1");
  BOOST_TEST(intel::parse_ip_address("[2001:db8::1]:443")->text() == "2001:db8::1");
  BOOST_TEST(!intel::parse_ip_address("192.0.2.1/24"));
  BOOST_TEST(!intel::parse_ip_prefix("192.0.2.1/33"));
  BOOST_TEST(!intel::parse_ip_prefix("2001:db8::/129"));
  BOOST_TEST(!intel::parse_ip_prefix("256.1.1.1"));
  BOOST_TEST(!intel::parse_ip_prefix("1.2.3"));
  BOOST_TEST(!intel::parse_ip_prefix("1.2.3.4.5"));
}

namespace {
// What parse_ip_address reads a text as, when it is an IPv4 address.
std::optional<std::uint32_t> slow_v4(std::string_view text) {
  auto ip = intel::parse_ip_address(text);
  if (!ip || !ip->is_v4()) return std::nullopt;
  return std::uint32_t{ip->address[12]} << 24 | std::uint32_t{ip->address[13]} << 16 |
         std::uint32_t{ip->address[14]} << 8 | ip->address[15];
}
std::optional<std::uint32_t> fast_v4(std::string_view text) {
  std::uint32_t out = 0;
  if (!intel::parse_dotted_quad(text, out)) return std::nullopt;
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_dotted_quad_fast_path_reads_what_parse_ip_address_reads) {
  BOOST_TEST(fast_v4("192.0.2.1").value() == 0xc0000201u);
  BOOST_TEST(fast_v4("0.0.0.0").value() == 0u);
  BOOST_TEST(fast_v4("255.255.255.255").value() == 0xffffffffu);
  BOOST_TEST(fast_v4("010.001.02.3").value() == 0x0a010203u);  // leading zeros are decimal
  // Not dotted quads: refused here, whatever parse_ip_address says of them.
  for (std::string_view text :
       {"",           "1.2.3",      "1.2.3.",    "1.2.3.4.",  ".1.2.3.4",       "1..2.3",
        "1.2.3.4.5",  "256.1.1.1",  "1.2.3.256", "1.2.3.999", "0001.2.3.4",     "1.2.3.0004",
        "1.2.3.4:80", " 1.2.3.4",   "1.2.3.4 ",  "1.2.3.4\t", "::ffff:1.2.3.4", "[1.2.3.4]",
        "1.2.3.4/32", "1.2.3.a",    "a.b.c.d",   "1,2,3,4",   "1.2.3.-4",       "+1.2.3.4",
        "1.2.3.4\n",  "1234.1.1.1", "1.2.3.4444"}) {
    BOOST_TEST(!fast_v4(text), text);
  }
  // ... of which parse_ip_address reads these (the slow path stays theirs).
  BOOST_TEST(slow_v4("1.2.3.4:80").value() == 0x01020304u);
  BOOST_TEST(slow_v4(" 1.2.3.4").value() == 0x01020304u);
  BOOST_TEST(slow_v4("::ffff:1.2.3.4").value() == 0x01020304u);

  // Random texts of digits and dots (and a few other bytes): whatever the
  // fast path reads, parse_ip_address reads as the same address, and of
  // digits and dots alone they read the same texts.
  std::mt19937 random(20261130);
  const std::string alphabet = "0123456789.......:/ xf";
  std::size_t accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      // Near a dotted quad: four numbers, with leading zeros now and then.
      for (int part = 0; part < 4; ++part) {
        if (part > 0) text.push_back('.');
        unsigned n = random() % 300;
        if (random() % 8 == 0) text.push_back('0');
        text += std::to_string(n);
      }
      if (random() % 8 == 0) text.push_back('.');
      if (random() % 8 == 0) text.erase(random() % text.size(), 1);
    } else {
      std::size_t size = random() % 18;
      for (std::size_t k = 0; k < size; ++k) text.push_back(alphabet[random() % alphabet.size()]);
    }
    const auto fast = fast_v4(text);
    const auto slow = slow_v4(text);
    if (fast) {
      ++accepted;
      BOOST_TEST((slow && *slow == *fast), text);
    } else if (text.find_first_not_of("0123456789.") == std::string::npos) {
      BOOST_TEST(!slow, text);
    }
  }
  BOOST_TEST(accepted > 20000u);  // the near-quads did reach the fast path
}

BOOST_AUTO_TEST_CASE(ipv6_text_is_what_inet_ntop_writes) {
  // text() formats IPv6 by hand; it must write what inet_ntop writes (the
  // canonical form indicators and alerts carry), on the usual shapes and on
  // random addresses with runs of zero groups.
  auto inet = [](const intel::ip_prefix& ip) {
    char buffer[64];
    ::inet_ntop(AF_INET6, ip.address.data(), buffer, sizeof buffer);
    return std::string(buffer);
  };
  for (std::string_view text : {"::", "::1", "2001:db8::1", "2001:db8:0:0:1::1", "fe80::1:0:0:1",
                                "1::", "1:0:0:1:0:0:0:1", "::1.2.3.4", "::0.1.0.2",
                                "2001:db8:85a3::8a2e:370:7334", "ff02::fb", "0:0:1::"}) {
    const auto ip = intel::parse_ip_address(text);
    BOOST_TEST_REQUIRE(ip.has_value(), text);
    if (ip->is_v4()) continue;
    BOOST_TEST(ip->text() == inet(*ip), text);
  }
  std::mt19937 random(20261201);
  for (int i = 0; i < 100000; ++i) {
    intel::ip_prefix ip;
    ip.length = 128;
    for (std::size_t w = 0; w < 8; ++w) {
      // Zero groups half the time, small and large values otherwise.
      const unsigned pick = random() % 4;
      const unsigned value = pick < 2 ? 0 : pick == 2 ? random() % 16 : random() % 65536;
      ip.address[2 * w] = static_cast<std::uint8_t>(value >> 8);
      ip.address[2 * w + 1] = static_cast<std::uint8_t>(value);
    }
    if (ip.is_v4()) continue;
    BOOST_TEST(ip.text() == inet(ip));
  }
}

BOOST_AUTO_TEST_CASE(hashes_are_typed_by_length) {
  std::string out;
  BOOST_TEST((intel::normalize_hash("D41D8CD98F00B204E9800998ECF8427E", out) ==
              intel::indicator_type::md5));
  BOOST_TEST(out == "d41d8cd98f00b204e9800998ecf8427e");
  BOOST_TEST((intel::normalize_hash(std::string(40, 'a'), out) == intel::indicator_type::sha1));
  BOOST_TEST((intel::normalize_hash(std::string(64, 'F'), out) == intel::indicator_type::sha256));
  BOOST_TEST(!intel::normalize_hash(std::string(63, 'a'), out));
  BOOST_TEST(!intel::normalize_hash(std::string(31, 'a') + "g", out));
}

struct shape {
  const char* token;
  const char* type;  // type_name, or "" when not an indicator
  const char* value;
};
std::ostream& operator<<(std::ostream& os, const shape& s) {
  return os << s.token;
}

const shape shapes[] = {
    {"192.0.2.1", "ip", "192.0.2.1"},
    {"1.4.0.0/17", "ip", "1.4.0.0/17"},
    {"2a06:e480::/29", "ip", "2a06:e480::/29"},
    {"http://x4z9arb.cn/4712/", "url", "http://x4z9arb.cn/4712/"},
    {"example.com/malwarehere/", "url", "example.com/malwarehere/"},
    {"Evil.Example", "domain", "evil.example"},
    {"d41d8cd98f00b204e9800998ecf8427e", "md5", "d41d8cd98f00b204e9800998ecf8427e"},
    {"localhost", "", ""},
    {"1.2.3", "", ""},
    {"AS260", "", ""},
    {"not a value", "", ""},
    {"http://www..example.com/phishing", "url", "http://www..example.com/phishing"},
};

BOOST_DATA_TEST_CASE(detect_tells_the_type_by_shape, bdata::make(shapes), s) {
  auto d = intel::detect(s.token);
  if (std::string_view(s.type).empty()) {
    BOOST_TEST(!d);
  } else {
    BOOST_REQUIRE(d);
    BOOST_TEST(intel::type_name(d->type) == s.type);
    BOOST_TEST(d->value == s.value);
  }
}

BOOST_AUTO_TEST_SUITE_END()
