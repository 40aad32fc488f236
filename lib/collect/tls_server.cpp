#include "collect/tls_server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "cli/main.hpp"

namespace mimamori::collect {

std::string tls_server::last_error() {
  std::string reason;
  while (unsigned long e = ERR_get_error()) {  // the first is the root cause
    if (reason.empty()) {
      char text[256];
      ERR_error_string_n(e, text, sizeof text);
      const char* why = ERR_reason_error_string(e);
      reason = why != nullptr ? why : text;
    }
  }
  return reason.empty() ? "unknown TLS error" : reason;
}

tls_server::tls_server(const tls_settings& settings) {
  context_ = SSL_CTX_new(TLS_server_method());
  if (context_ == nullptr) throw cli::usage_error("tls: " + last_error());
  auto fail = [&](const std::string& what) {
    std::string message = what + ": " + last_error();
    SSL_CTX_free(context_);
    context_ = nullptr;
    throw cli::usage_error(message);
  };
  for (auto [flag, path] :
       {std::pair{"--cert ", &settings.certificate}, std::pair{"--key ", &settings.key},
        std::pair{"--client-ca ", &settings.client_ca}}) {
    if (!path->empty() && ::access(path->c_str(), R_OK) != 0) {
      std::string message = flag + *path + ": " + std::strerror(errno);
      SSL_CTX_free(context_);
      context_ = nullptr;
      throw cli::usage_error(message);
    }
  }
  SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION);
  SSL_CTX_set_options(context_, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(context_, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_session_cache_mode(context_, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(context_, 0);  // we never write after the handshake
  if (SSL_CTX_use_certificate_chain_file(context_, settings.certificate.c_str()) != 1) {
    fail("--cert " + settings.certificate);
  }
  if (SSL_CTX_use_PrivateKey_file(context_, settings.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    fail("--key " + settings.key);
  }
  if (SSL_CTX_check_private_key(context_) != 1) {
    fail("--key " + settings.key + ": does not match --cert " + settings.certificate);
  }
  if (!settings.client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(context_, settings.client_ca.c_str(), nullptr) != 1) {
      fail("--client-ca " + settings.client_ca);
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(settings.client_ca.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(context_, names);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    checks_clients_ = true;
  }
  ERR_clear_error();
}

tls_server::~tls_server() {
  if (context_ != nullptr) SSL_CTX_free(context_);
}

ssl_st* tls_server::accept(int fd) const {
  SSL* ssl = SSL_new(context_);
  if (ssl == nullptr) return nullptr;
  if (SSL_set_fd(ssl, fd) != 1) {
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return ssl;
}

}  // namespace mimamori::collect
