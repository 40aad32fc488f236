#include "pcap/ja3.hpp"

#include <openssl/evp.h>

namespace mimamori::pcap {

namespace {

void append_uint(std::string& out, unsigned v) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(digits[--n]);
}

template <typename Values>
void append_list(std::string& out, const Values& values, bool skip_grease) {
  bool first = true;
  for (auto v : values) {
    if (skip_grease && is_grease(static_cast<std::uint16_t>(v))) continue;
    if (!first) out.push_back('-');
    first = false;
    append_uint(out, v);
  }
}

}  // namespace

void append_md5_hex(std::string& out, std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr) != 1) return;
  static constexpr char hex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0x0f]);
  }
}

void ja3(const tls_client_hello& hello, std::string& text, std::string& hash) {
  text.clear();
  hash.clear();
  append_uint(text, hello.legacy_version);
  text.push_back(',');
  append_list(text, hello.cipher_suites, true);
  text.push_back(',');
  append_list(text, hello.extensions, true);
  text.push_back(',');
  append_list(text, hello.supported_groups, true);
  text.push_back(',');
  append_list(text, hello.ec_point_formats, false);
  append_md5_hex(hash, text);
}

}  // namespace mimamori::pcap
