#include "analytics/domain.hpp"

#include <boost/test/unit_test.hpp>

using namespace mimamori::analytics;

BOOST_AUTO_TEST_SUITE(analytics_domain)

BOOST_AUTO_TEST_CASE(registered_domain_follows_the_list_rules) {
  suffix_list l;
  for (const char* r : {"com", "jp", "co.jp", "*.kawasaki.jp", "!city.kawasaki.jp", "cloudfront.net", "net"}) {
    l.add_rule(r);
  }
  BOOST_TEST(*l.registered_domain("www.example.com") == "example.com");
  BOOST_TEST(*l.registered_domain("a.b.example.co.jp") == "example.co.jp");
  BOOST_TEST(*l.registered_domain("www.foo.kawasaki.jp") == "www.foo.kawasaki.jp");
  BOOST_TEST(*l.registered_domain("www.city.kawasaki.jp") == "city.kawasaki.jp");
  BOOST_TEST(*l.registered_domain("d1234.cloudfront.net") == "d1234.cloudfront.net");
  BOOST_TEST(*l.registered_domain("x.y.unlisted") == "y.unlisted");
  BOOST_TEST(!l.registered_domain("co.jp"));
  BOOST_TEST(!l.registered_domain("com"));
}

BOOST_AUTO_TEST_CASE(empty_list_takes_the_last_two_labels) {
  suffix_list l;
  BOOST_TEST(*l.registered_domain("a.b.example.co.jp") == "co.jp");
  BOOST_TEST(!l.registered_domain("localhost"));
}

BOOST_AUTO_TEST_CASE(shipped_list_is_debians) {
  const suffix_list& l = suffix_list::shipped();
  BOOST_REQUIRE_MESSAGE(l.loaded(), "publicsuffix is not installed (scripts/bootstrap)");
  BOOST_TEST(*l.registered_domain("mail.example.co.uk") == "example.co.uk");
  BOOST_TEST(*l.registered_domain("a.b.yahoo.co.jp") == "yahoo.co.jp");
}

BOOST_AUTO_TEST_CASE(names_are_normalised_and_addresses_refused) {
  BOOST_TEST(*normalise_name("WWW.Example.COM.") == "www.example.com");
  BOOST_TEST(!normalise_name("203.0.113.9"));
  BOOST_TEST(!normalise_name("2001:db8::1"));
  BOOST_TEST(!normalise_name("example.com:8080"));
  BOOST_TEST(!normalise_name("localhost"));
  BOOST_TEST(!normalise_name("a..b"));
  BOOST_TEST(!normalise_name(""));
}

BOOST_AUTO_TEST_CASE(entropy_is_bits_per_character) {
  BOOST_TEST(shannon_entropy("aaaa") == 0.0);
  BOOST_TEST(shannon_entropy("abab") == 1.0);
  BOOST_TEST(shannon_entropy("ab.cd") == 2.0);  // dots are not counted
  BOOST_TEST(shannon_entropy("") == 0.0);
}

BOOST_AUTO_TEST_CASE(stable_hash_is_fnv1a) {
  BOOST_TEST(stable_hash("") == 14695981039346656037ULL);
  BOOST_TEST(stable_hash("a") == 0xaf63dc4c8601ec8cULL);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(analytics_words)

BOOST_AUTO_TEST_CASE(names_people_choose_are_made_of_common_bigrams) {
  BOOST_TEST(word_bigram_share("host-0001-workstation-build-server.corp") > 0.4);
  BOOST_TEST(word_bigram_share("mail-relay-internet-gateway") > 0.3);
  BOOST_TEST(word_bigram_share("mzxw6ytboi3dkmrvgq2tsnbvhe4tgmbs") < 0.2);  // base32
  BOOST_TEST(word_bigram_share("9f86d081884c7d659a2feaa0c55ad015") == 0.0);  // hex: few letter pairs
  BOOST_TEST(word_bigram_share("") == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
