// ja3: the JA3 fingerprint of a TLS ClientHello (salesforce/ja3).
//
// The string is "SSLVersion,Ciphers,Extensions,EllipticCurves,
// EllipticCurvePointFormats", decimal values joined by '-', GREASE values
// (RFC 8701) left out as the JA3 spec says; the fingerprint is its MD5 in
// lowercase hex (OpenSSL's EVP interface).
#pragma once

#include <string>

#include "pcap/tls.hpp"

namespace mimamori::pcap {

// Writes the JA3 string into `text` and its MD5 (32 hex digits) into `hash`.
void ja3(const tls_client_hello& hello, std::string& text, std::string& hash);

// MD5 of bytes as 32 lowercase hex digits, appended to out.
void append_md5_hex(std::string& out, std::string_view bytes);

}  // namespace mimamori::pcap
