// tls_server: the OpenSSL side of syslog over TLS (RFC 5425).
//
// One context per listener: the server certificate chain and key, TLS 1.2
// or later, and with a CA file the clients must present a certificate it
// signed. Loading problems are configuration errors naming the file.
#pragma once

#include <string>

struct ssl_ctx_st;
struct ssl_st;

namespace mimamori::collect {

struct tls_settings {
  std::string certificate;  // PEM, the server's chain
  std::string key;          // PEM
  std::string client_ca;    // PEM; empty: clients are not asked for a certificate
};

class tls_server {
 public:
  // Throws cli::usage_error naming the file and the reason.
  explicit tls_server(const tls_settings& settings);
  ~tls_server();
  tls_server(const tls_server&) = delete;
  tls_server& operator=(const tls_server&) = delete;

  // A server session on a connected socket (nullptr if OpenSSL failed).
  [[nodiscard]] ssl_st* accept(int fd) const;
  [[nodiscard]] bool checks_clients() const { return checks_clients_; }

  // The reason of the last OpenSSL failure on this thread (clears the queue).
  static std::string last_error();

 private:
  ssl_ctx_st* context_ = nullptr;
  bool checks_clients_ = false;
};

}  // namespace mimamori::collect
