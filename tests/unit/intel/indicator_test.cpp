#include "intel/indicator.hpp"

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
