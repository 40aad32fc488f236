#include "pcap/tls.hpp"

namespace mimamori::pcap {

namespace {

constexpr std::size_t max_handshake = 64 * 1024;

std::uint16_t be16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// A reader over a byte range that refuses to go past its end.
class cursor {
 public:
  explicit cursor(std::string_view s) : s_(s) {}
  bool u8(std::uint8_t& v) {
    if (s_.size() < 1) return false;
    v = static_cast<std::uint8_t>(s_[0]);
    s_.remove_prefix(1);
    return true;
  }
  bool u16(std::uint16_t& v) {
    if (s_.size() < 2) return false;
    v = be16(bytes(s_));
    s_.remove_prefix(2);
    return true;
  }
  bool take(std::size_t n, std::string_view& v) {
    if (s_.size() < n) return false;
    v = s_.substr(0, n);
    s_.remove_prefix(n);
    return true;
  }
  [[nodiscard]] bool empty() const { return s_.empty(); }

 private:
  std::string_view s_;
};

bool parse_hello_body(std::string_view body, tls_client_hello& out) {
  cursor c(body);
  std::string_view skip;
  std::uint8_t n8 = 0;
  std::uint16_t n16 = 0;
  if (!c.u16(out.legacy_version) || !c.take(32, skip)) return false;
  if (!c.u8(n8) || !c.take(n8, skip)) return false;  // session id
  std::string_view list;
  if (!c.u16(n16) || !c.take(n16, list)) return false;
  for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
    out.cipher_suites.push_back(be16(bytes(list) + i));
  }
  if (!c.u8(n8) || !c.take(n8, skip)) return false;  // compression methods
  if (c.empty()) return true;                        // no extensions
  std::string_view extensions;
  if (!c.u16(n16) || !c.take(n16, extensions)) return false;
  cursor e(extensions);
  while (!e.empty()) {
    std::uint16_t type = 0;
    std::string_view data;
    if (!e.u16(type) || !e.u16(n16) || !e.take(n16, data)) return false;
    out.extensions.push_back(type);
    cursor d(data);
    switch (type) {
      case 0: {  // server_name: list of (type, name); host_name is type 0
        std::string_view names;
        if (!d.u16(n16) || !d.take(n16, names)) break;
        cursor nc(names);
        std::uint8_t kind = 0;
        std::string_view name;
        while (nc.u8(kind) && nc.u16(n16) && nc.take(n16, name)) {
          if (kind == 0) {
            out.server_name.assign(name);
            break;
          }
        }
        break;
      }
      case 10: {  // supported_groups
        std::string_view groups;
        if (!d.u16(n16) || !d.take(n16, groups)) break;
        for (std::size_t i = 0; i + 1 < groups.size(); i += 2) {
          out.supported_groups.push_back(be16(bytes(groups) + i));
        }
        break;
      }
      case 11: {  // ec_point_formats
        std::string_view formats;
        if (!d.u8(n8) || !d.take(n8, formats)) break;
        for (char f : formats) out.ec_point_formats.push_back(static_cast<std::uint8_t>(f));
        break;
      }
      case 43: {  // supported_versions
        std::string_view versions;
        if (!d.u8(n8) || !d.take(n8, versions)) break;
        for (std::size_t i = 0; i + 1 < versions.size(); i += 2) {
          out.supported_versions.push_back(be16(bytes(versions) + i));
        }
        break;
      }
      default: break;
    }
  }
  return true;
}

}  // namespace

bool looks_like_tls(std::string_view s) {
  if (s.empty()) return true;
  if (static_cast<unsigned char>(s[0]) != 0x16) return false;
  if (s.size() >= 2 && static_cast<unsigned char>(s[1]) != 0x03) return false;
  return true;
}

tls_status parse_client_hello(std::string_view stream, tls_client_hello& out) {
  out.cipher_suites.clear();
  out.extensions.clear();
  out.supported_groups.clear();
  out.ec_point_formats.clear();
  out.supported_versions.clear();
  out.server_name.clear();
  out.handshake.clear();
  out.legacy_version = 0;
  if (!looks_like_tls(stream)) return tls_status::not_tls;
  // Join handshake fragments until the ClientHello's length is there.
  std::string_view rest = stream;
  while (true) {
    if (rest.size() < 5) return tls_status::need_more;
    const unsigned char* h = bytes(rest);
    if (h[0] != 0x16 || h[1] != 0x03) return tls_status::not_tls;
    std::size_t length = be16(h + 3);
    if (length == 0 || length > 18432) return tls_status::not_tls;
    if (rest.size() < 5 + length) {
      // Take what there is, then wait: the hello may be complete already
      // only once the record is; keep it simple and wait for the record.
      return tls_status::need_more;
    }
    out.handshake.append(rest.substr(5, length));
    rest.remove_prefix(5 + length);
    if (out.handshake.size() >= 4) {
      const unsigned char* m = bytes(out.handshake);
      if (m[0] != 0x01) return tls_status::not_tls;  // not a ClientHello
      std::size_t body =
          static_cast<std::size_t>(m[1]) << 16 | static_cast<std::size_t>(m[2]) << 8 | m[3];
      if (body > max_handshake) return tls_status::not_tls;
      if (out.handshake.size() >= 4 + body) {
        std::string_view hello(out.handshake.data() + 4, body);
        return parse_hello_body(hello, out) ? tls_status::ok : tls_status::not_tls;
      }
    }
    if (out.handshake.size() > max_handshake) return tls_status::not_tls;
  }
}

std::uint16_t tls_client_hello::highest_version() const {
  std::uint16_t best = 0;
  for (std::uint16_t v : supported_versions) {
    if (!is_grease(v) && v > best && (v >> 8) == 0x03) best = v;
  }
  return best != 0 ? best : legacy_version;
}

std::string_view tls_version_text(std::uint16_t version) {
  switch (version) {
    case 0x0300: return "3.0";
    case 0x0301: return "1.0";
    case 0x0302: return "1.1";
    case 0x0303: return "1.2";
    case 0x0304: return "1.3";
    default: return "";
  }
}

std::string_view tls_version_protocol(std::uint16_t version) {
  return version == 0x0300 ? "ssl" : "tls";
}

}  // namespace mimamori::pcap
