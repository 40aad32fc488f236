#include "corpus.hpp"

#include <array>
#include <charconv>

namespace mimamori::bench {

namespace {

using sv = std::string_view;

// --- pools -----------------------------------------------------------------

constexpr std::array<sv, 40> domains = {
    "www.google.com",
    "www.youtube.com",
    "i.ytimg.com",
    "fonts.gstatic.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "teams.microsoft.com",
    "update.microsoft.com",
    "api.github.com",
    "github.com",
    "registry.npmjs.org",
    "pypi.org",
    "files.pythonhosted.org",
    "deb.debian.org",
    "security.debian.org",
    "s3.ap-northeast-1.amazonaws.com",
    "cdn.jsdelivr.net",
    "www.yahoo.co.jp",
    "news.yahoo.co.jp",
    "www.nikkei.com",
    "www.rakuten.co.jp",
    "www.amazon.co.jp",
    "slack.com",
    "zoom.us",
    "ocsp.digicert.com",
    "www.bing.com",
    "ja.wikipedia.org",
    "www.wikipedia.org",
    "time.cloudflare.com",
    "dns.google",
    "intranet.example.co.jp",
    "mail.example.co.jp",
    "portal.mimamori.example.jp",
    "cdn.example-cdn.net",
    "telemetry.example-vendor.com",
    "bad-domain.example.net",
    "update.example-av.com",
    "api.openai.com",
    "www.docomo.ne.jp",
    "www.mhlw.go.jp",
};

// Users of the ECS records and proxies; the Japanese names make records
// carry multi-byte UTF-8 as real Japanese tenants do.
constexpr std::array<sv, 20> users = {
    "alice",    "bob",   "carol", "dave",      "eve",    "frank",    "svc-backup",
    "deploy",   "admin", "root",  "田中",      "佐藤",   "鈴木",     "高橋",
    "山田花子", "渡辺",  "伊藤",  "中村 健一", "k.sato", "y.tanaka",
};
constexpr std::array<sv, 12> login_users = {
    "alice",  "bob",      "deploy", "ubuntu",  "root", "admin",
    "k.sato", "y.tanaka", "田中",   "ansible", "git",  "backup",
};
constexpr std::array<sv, 14> invalid_users = {
    "admin",   "test", "oracle",  "guest", "user",    "pi",     "postgres",
    "ftpuser", "git",  "support", "ubnt",  "test123", "テスト", "administrator",
};

struct device {
  sv hostname;
  sv vendor;
  sv product;
  sv serial;
};
constexpr std::array<device, 4> asa_devices = {{
    {"asa-tokyo-01", "Cisco", "ASA", "JAD2345ABCD"},
    {"東京-asa-02", "Cisco", "ASA", "JAD2345ABCE"},
    {"asa-osaka-01", "Cisco", "ASA", "JAD2345ABCF"},
    {"大阪-asa-02", "Cisco", "ASA", "JAD2345ABD0"},
}};
constexpr std::array<device, 4> forti_devices = {{
    {"FGT60F-東京", "Fortinet", "FortiGate", "FGT60FTK21000123"},
    {"FGT100F-HQ", "Fortinet", "FortiGate", "FG100FTK22004567"},
    {"FGT40F-大阪支店", "Fortinet", "FortiGate", "FGT40FTK20011111"},
    {"FGT200F-DC1", "Fortinet", "FortiGate", "FG200FT922009999"},
}};
constexpr std::array<device, 3> pan_devices = {{
    {"pa-3220-tokyo", "Palo Alto Networks", "PAN-OS", "013201001234"},
    {"pa-850-名古屋", "Palo Alto Networks", "PAN-OS", "012801005678"},
    {"pa-vm-aws-01", "Palo Alto Networks", "PAN-OS", "015351000042"},
}};
constexpr std::array<device, 3> linux_gateways = {{
    {"gw-01", "Linux", "iptables", ""},
    {"ゲートウェイ-02", "Linux", "iptables", ""},
    {"edge-router-03", "Linux", "iptables", ""},
}};
constexpr std::array<device, 3> proxies = {{
    {"proxy-01", "Squid", "Squid", ""},
    {"プロキシ-東京", "Squid", "Squid", ""},
    {"proxy-dmz-02", "Squid", "Squid", ""},
}};
constexpr std::array<sv, 5> ssh_hosts = {
    "bastion-01", "踏み台-大阪-01", "web-03", "db-primary", "build-ジェンキンス",
};

constexpr std::array<sv, 8> organizations = {
    "org-0001", "org-0002", "org-0003", "org-0007", "org-0011", "org-0042", "org-0100", "org-1234",
};

constexpr std::array<sv, 8> agents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)",
    "curl/7.88.1",
    "python-requests/2.31.0",
    "Debian APT-HTTP/1.3 (2.6.1)",
};

constexpr std::array<sv, 6> content_types = {
    "text/html", "application/json",         "image/png", "application/javascript",
    "text/css",  "application/octet-stream",
};

constexpr std::array<sv, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::array<sv, 5> asa_teardown_reasons = {"TCP FINs", "TCP FINs", "TCP Reset-I",
                                                    "TCP Reset-O", "SYN Timeout"};
constexpr std::array<sv, 4> pan_end_reasons = {"tcp-fin", "tcp-fin", "aged-out",
                                               "tcp-rst-from-client"};
constexpr std::array<sv, 5> pan_categories = {"computer-and-internet-info", "business-and-economy",
                                              "news", "search-engines",
                                              "content-delivery-networks"};

// A public address for a site, fixed for its index (not for the seed), so
// that a domain resolves to the same address in every corpus.
std::uint32_t site_ip(std::uint32_t site) {
  prng h(0xD1B54A32D192ED03ULL ^ site);
  std::uint32_t v = static_cast<std::uint32_t>(h.next());
  std::uint32_t a = 1 + (v >> 24) % 222;
  if (a == 10 || a == 127 || a == 172 || a == 192 || a == 100 || a == 169) a = 52;
  return (a << 24) | (v & 0x00FFFFFF);
}

// --- appending -------------------------------------------------------------

inline void put(std::string& out, sv text) {
  out.append(text);
}
inline void put(std::string& out, char c) {
  out.push_back(c);
}

inline void num(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

inline void pad(std::string& out, std::uint64_t v, int width, char fill = '0') {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) out.push_back(fill);
  out.append(buf, r.ptr);
}

inline void ip(std::string& out, std::uint32_t a) {
  num(out, a >> 24);
  out.push_back('.');
  num(out, (a >> 16) & 0xFF);
  out.push_back('.');
  num(out, (a >> 8) & 0xFF);
  out.push_back('.');
  num(out, a & 0xFF);
}

constexpr char hex_digits[] = "0123456789abcdef";

inline void hex(std::string& out, std::uint64_t v, int digits) {
  for (int i = digits - 1; i >= 0; --i) out.push_back(hex_digits[(v >> (4 * i)) & 0xF]);
}

constexpr char b64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_random(std::string& out, prng& rng, int chars) {
  for (int i = 0; i < chars; ++i) out.push_back(b64_digits[rng.below(64)]);
}

// JSON string body (no quotes): what a JSON writer does to a syslog line.
void escape(std::string& out, sv text) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\t': out.append("\\t"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      default:
        out.append("\\u00");
        out.push_back(hex_digits[c >> 4]);
        out.push_back(hex_digits[c & 0xF]);
    }
  }
  out.append(text.data() + run, text.size() - run);
}

// "key":"value" and "key":number, with the comma before.
inline void jstr(std::string& out, sv key, sv value) {
  out.push_back('"');
  out.append(key);
  out.append("\":\"");
  out.append(value);
  out.append("\",");
}
inline void jnum(std::string& out, sv key, std::uint64_t value) {
  out.push_back('"');
  out.append(key);
  out.append("\":");
  num(out, value);
  out.push_back(',');
}
inline void jip(std::string& out, sv key, std::uint32_t value) {
  out.push_back('"');
  out.append(key);
  out.append("\":\"");
  ip(out, value);
  out.append("\",");
}
// Replaces a trailing comma by the closing character.
inline void close(std::string& out, char c) {
  if (out.back() == ',') {
    out.back() = c;
  } else {
    out.push_back(c);
  }
}

}  // namespace

std::optional<kind> parse_kind(std::string_view name) {
  if (name == "ecs") return kind::ecs;
  if (name == "firewall") return kind::firewall;
  if (name == "proxy") return kind::proxy;
  if (name == "sshd") return kind::sshd;
  if (name == "mixed") return kind::mixed;
  if (name == "syslog") return kind::syslog;
  return std::nullopt;
}

// What happened on the wire; each line renders one flow in its own format.
struct generator::flow {
  bool inbound = false;  // an outside address reaching in (scans, denied)
  bool tcp = true;
  bool allowed = true;
  std::uint32_t src_ip = 0, dst_ip = 0, nat_ip = 0;
  std::uint32_t src_port = 0, dst_port = 0, nat_port = 0;
  std::uint32_t site = 0;
  std::uint32_t user = 0;
  std::uint32_t org = 0;
  std::uint32_t device = 0;
  std::uint64_t bytes_out = 0, bytes_in = 0;
  std::uint32_t packets_out = 0, packets_in = 0;
  std::uint32_t duration_ms = 0;
  std::uint64_t session = 0;
  // Web traffic.
  bool https = true;
  bool authenticated = false;
  std::uint32_t method = 0;  // 0 GET, 1 POST, 2 CONNECT
  std::uint32_t status = 200;
  std::uint32_t agent = 0;
  std::uint32_t content_type = 0;
  std::uint32_t path_kind = 0;
  std::uint32_t path_n = 0;
  std::uint32_t elapsed_ms = 0;
};

generator::generator(kind k, std::uint64_t seed)
    : kind_(k), rng_(seed * 0x2545F4914F6CDD1DULL + 0x1234567), clock_ms_(1714521600000LL) {
  raw_.reserve(2048);
}

void generator::tick() {
  clock_ms_ += rng_.below(3);
  std::int64_t second = clock_ms_ / 1000;
  if (second != formatted_second_) format_second();
}

// Howard Hinnant's civil_from_days.
void generator::format_second() {
  std::int64_t second = clock_ms_ / 1000;
  formatted_second_ = second;
  std::int64_t days = second / 86400;
  std::int64_t sod = second % 86400;
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  auto h = static_cast<unsigned>(sod / 3600);
  auto mi = static_cast<unsigned>(sod / 60 % 60);
  auto s = static_cast<unsigned>(sod % 60);

  auto two = [](char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  auto four = [&](char* p, std::int64_t v) {
    two(p, static_cast<unsigned>(v / 100));
    two(p + 2, static_cast<unsigned>(v % 100));
  };
  // 2024-05-01T00:00:00
  four(iso_, y);
  iso_[4] = '-';
  two(iso_ + 5, m);
  iso_[7] = '-';
  two(iso_ + 8, d);
  iso_[10] = 'T';
  two(iso_ + 11, h);
  iso_[13] = ':';
  two(iso_ + 14, mi);
  iso_[16] = ':';
  two(iso_ + 17, s);
  // 2024/05/01 00:00:00
  for (int i = 0; i < 19; ++i) slashed_[i] = iso_[i];
  slashed_[4] = slashed_[7] = '/';
  slashed_[10] = ' ';
  // May  1 00:00:00
  sv mon = months[m - 1];
  bsd_[0] = mon[0];
  bsd_[1] = mon[1];
  bsd_[2] = mon[2];
  bsd_[3] = ' ';
  bsd_[4] = d < 10 ? ' ' : static_cast<char>('0' + d / 10);
  bsd_[5] = static_cast<char>('0' + d % 10);
  bsd_[6] = ' ';
  for (int i = 0; i < 8; ++i) bsd_[7 + i] = iso_[11 + i];
}

void generator::make_flow(flow& f) {
  prng& r = rng_;
  f = flow{};
  f.org = r.below(organizations.size());
  f.session = ++session_ + r.below(7);
  f.user = r.below(users.size());
  f.device = r.below(64);
  f.inbound = r.chance(18);
  if (f.inbound) {
    // Scans and brute force from outside, mostly denied.
    f.allowed = r.chance(25);
    f.src_ip = site_ip(1000 + r.below(5000));
    f.src_port = 1024 + r.below(64511);
    f.dst_ip = (10u << 24) | (f.org << 16) | (r.below(4) << 8) | (10 + r.below(20));
    static constexpr std::uint32_t ports[] = {22, 22, 23, 445, 3389, 8080, 443, 1433, 5900, 25};
    f.dst_port = ports[r.below(10)];
    f.tcp = f.dst_port != 5900 || r.chance(50);
    f.nat_ip = f.dst_ip;
    f.nat_port = f.dst_port;
  } else {
    f.allowed = r.chance(94);
    f.src_ip = (10u << 24) | (f.org << 16) | (r.below(32) << 8) | (2 + r.below(250));
    f.src_port = 32768 + r.below(28232);
    f.site = r.below(domains.size());
    f.dst_ip = site_ip(f.site);
    std::uint32_t p = r.below(100);
    f.dst_port = p < 70 ? 443 : p < 85 ? 80 : p < 95 ? 53 : p < 98 ? 123 : 8443;
    f.tcp = f.dst_port != 53 && f.dst_port != 123;
    f.nat_ip = (203u << 24) | (0u << 16) | (113u << 8) | (1 + f.org * 8 + r.below(8));
    f.nat_port = 1024 + r.below(64511);
  }
  bool bulk = r.chance(8);
  f.bytes_out = 60 + r.below(bulk ? 2000000 : 4000);
  f.bytes_in = 60 + r.below(bulk ? 50000000 : 60000);
  f.packets_out = 1 + static_cast<std::uint32_t>(f.bytes_out / 700);
  f.packets_in = 1 + static_cast<std::uint32_t>(f.bytes_in / 1200);
  f.duration_ms = f.allowed ? r.below(bulk ? 900000 : 30000) : 0;
  f.https = f.dst_port == 443 || f.dst_port == 8443;
  f.authenticated = r.chance(40);
  f.method = f.https ? (r.chance(85) ? 2 : 0) : (r.chance(80) ? 0 : 1);
  std::uint32_t s = r.below(100);
  f.status = f.method == 2 ? 200 : s < 80 ? 200 : s < 88 ? 304 : s < 93 ? 302 : s < 97 ? 404 : 503;
  if (!f.allowed) f.status = 403;
  f.agent = r.below(agents.size());
  f.content_type = r.below(content_types.size());
  f.path_kind = r.below(8);
  f.path_n = r.below(100000);
  f.elapsed_ms = r.below(r.chance(10) ? 60000 : 800);
}

// Appends a plausible request path (and query) for a flow.
static void url_path(std::string& out, std::uint32_t kind, std::uint32_t n, prng& r) {
  switch (kind) {
    case 0: put(out, "/"); break;
    case 1:
      put(out, "/api/v1/users/");
      num(out, n);
      put(out, "/sessions");
      break;
    case 2:
      put(out, "/search?q=");
      put(out, n % 3 == 0 ? "%E6%9D%B1%E4%BA%AC+%E5%A4%A9%E6%B0%97" : "weather+tokyo");
      put(out, "&hl=ja&num=");
      num(out, 10 + n % 40);
      break;
    case 3:
      put(out, "/static/js/app.");
      hex(out, r.next(), 16);
      put(out, ".js");
      break;
    case 4:
      put(out, "/images/products/");
      num(out, n);
      put(out, "/thumbnail_400x400.png");
      break;
    case 5: put(out, "/wiki/%E6%9D%B1%E4%BA%AC%E9%83%BD"); break;
    case 6: put(out, "/debian/dists/bookworm-updates/main/binary-amd64/Packages.xz"); break;
    default:
      put(out, "/oauth2/v2.0/authorize?client_id=");
      hex(out, r.next(), 16);
      put(out,
          "&response_type=code&redirect_uri=https%3A%2F%2Fportal.example.co.jp%2Fcallback&state=");
      num(out, n);
      break;
  }
}

void generator::firewall_line(std::string& out, const flow& f, int vendor) {
  prng& r = rng_;
  switch (vendor) {
    case 0: {  // Cisco ASA
      const device& d = asa_devices[f.device % asa_devices.size()];
      sv bsd(bsd_, 15);
      // "May 01 2024 00:00:00": logging timestamp with the year.
      put(out, f.allowed ? "<166>" : "<164>");
      put(out, bsd.substr(0, 4));
      put(out, iso_[8]);
      put(out, iso_[9]);
      put(out, ' ');
      put(out, sv(iso_, 4));
      put(out, bsd.substr(6));
      put(out, ' ');
      put(out, d.hostname);
      put(out, " : ");
      if (!f.allowed) {
        put(out, "%ASA-4-106023: Deny ");
        put(out, f.tcp ? "tcp" : "udp");
        put(out, " src outside:");
        ip(out, f.src_ip);
        put(out, '/');
        num(out, f.src_port);
        put(out, " dst inside:");
        ip(out, f.dst_ip);
        put(out, '/');
        num(out, f.dst_port);
        put(out, " by access-group \"outside_access_in\" [0x");
        hex(out, r.next(), 8);
        put(out, ", 0x0]");
        return;
      }
      bool built = (f.session & 1) == 0;
      sv proto = f.tcp ? "TCP" : "UDP";
      if (built) {
        put(out, f.tcp ? "%ASA-6-302013: Built " : "%ASA-6-302015: Built ");
        put(out, f.inbound ? "inbound " : "outbound ");
      } else {
        put(out, f.tcp ? "%ASA-6-302014: Teardown " : "%ASA-6-302016: Teardown ");
      }
      put(out, proto);
      put(out, " connection ");
      num(out, f.session);
      put(out, " for outside:");
      ip(out, f.inbound ? f.src_ip : f.dst_ip);
      put(out, '/');
      num(out, f.inbound ? f.src_port : f.dst_port);
      if (built) {
        put(out, " (");
        ip(out, f.inbound ? f.src_ip : f.dst_ip);
        put(out, '/');
        num(out, f.inbound ? f.src_port : f.dst_port);
        put(out, ')');
      }
      put(out, " to inside:");
      ip(out, f.inbound ? f.dst_ip : f.src_ip);
      put(out, '/');
      num(out, f.inbound ? f.dst_port : f.src_port);
      if (built) {
        put(out, " (");
        ip(out, f.inbound ? f.dst_ip : f.nat_ip);
        put(out, '/');
        num(out, f.inbound ? f.dst_port : f.nat_port);
        put(out, ')');
        if (f.authenticated && f.tcp) {
          put(out, "(LOCAL\\");
          put(out, login_users[f.user % login_users.size()]);
          put(out, ')');
        }
        return;
      }
      std::uint32_t secs = f.duration_ms / 1000;
      put(out, " duration ");
      num(out, secs / 3600);
      put(out, ':');
      pad(out, secs / 60 % 60, 2);
      put(out, ':');
      pad(out, secs % 60, 2);
      put(out, " bytes ");
      num(out, f.bytes_in + f.bytes_out);
      if (f.tcp) {
        put(out, ' ');
        put(out, asa_teardown_reasons[f.session % asa_teardown_reasons.size()]);
      }
      return;
    }
    case 1: {  // FortiGate, FortiOS 7 traffic log
      const device& d = forti_devices[f.device % forti_devices.size()];
      put(out, "<189>date=");
      put(out, sv(iso_, 10));
      put(out, " time=");
      put(out, sv(iso_ + 11, 8));
      put(out, " devname=\"");
      put(out, d.hostname);
      put(out, "\" devid=\"");
      put(out, d.serial);
      put(out, "\" eventtime=");
      num(out, static_cast<std::uint64_t>(clock_ms_) * 1000000 + r.below(1000000));
      put(out, " tz=\"+0900\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" level=\"");
      put(out, f.allowed ? "notice" : "warning");
      put(out, "\" vd=\"root\" srcip=");
      ip(out, f.src_ip);
      put(out, " srcport=");
      num(out, f.src_port);
      put(out, f.inbound ? " srcintf=\"wan1\" srcintfrole=\"wan\" dstip="
                         : " srcintf=\"internal\" srcintfrole=\"lan\" dstip=");
      ip(out, f.dst_ip);
      put(out, " dstport=");
      num(out, f.dst_port);
      put(out, f.inbound ? " dstintf=\"internal\" dstintfrole=\"lan\""
                         : " dstintf=\"wan1\" dstintfrole=\"wan\"");
      put(out, f.inbound ? " srccountry=\"China\" dstcountry=\"Reserved\""
                         : " srccountry=\"Reserved\" dstcountry=\"Japan\"");
      put(out, " sessionid=");
      num(out, f.session);
      put(out, " proto=");
      num(out, f.tcp ? 6 : 17);
      put(out, " action=\"");
      put(out, f.allowed ? (f.tcp ? "close" : "accept") : "deny");
      put(out, "\" policyid=");
      num(out, f.allowed ? 1 + f.device % 12 : 0);
      put(out, " policytype=\"policy\" poluuid=\"");
      hex(out, r.next(), 8);
      put(out, '-');
      hex(out, r.next(), 4);
      put(out, "-51ee-");
      hex(out, r.next(), 4);
      put(out, '-');
      hex(out, r.next(), 12);
      put(out, "\" policyname=\"");
      put(out, f.allowed ? "LAN-to-WAN 許可" : "Implicit Deny");
      put(out, "\" service=\"");
      put(out, f.dst_port == 443  ? "HTTPS"
               : f.dst_port == 80 ? "HTTP"
               : f.dst_port == 53 ? "DNS"
               : f.dst_port == 22 ? "SSH"
                                  : "tcp/8443");
      put(out, "\" trandisp=\"");
      if (f.inbound) {
        put(out, "noop\"");
      } else {
        put(out, "snat\" transip=");
        ip(out, f.nat_ip);
        put(out, " transport=");
        num(out, f.nat_port);
      }
      put(out, " appcat=\"unscanned\" duration=");
      num(out, f.duration_ms / 1000);
      put(out, " sentbyte=");
      num(out, f.allowed ? f.bytes_out : 0);
      put(out, " rcvdbyte=");
      num(out, f.allowed ? f.bytes_in : 0);
      put(out, " sentpkt=");
      num(out, f.allowed ? f.packets_out : 0);
      put(out, " rcvdpkt=");
      num(out, f.allowed ? f.packets_in : 0);
      if (f.authenticated && !f.inbound) {
        put(out, " user=\"");
        put(out, users[f.user]);
        put(out, "\" group=\"営業部\"");
      }
      return;
    }
    case 2: {  // PAN-OS 10 TRAFFIC, CSV
      const device& d = pan_devices[f.device % pan_devices.size()];
      put(out, "<14>");
      put(out, sv(bsd_, 15));
      put(out, ' ');
      put(out, d.hostname);
      put(out, " 1,");
      put(out, sv(slashed_, 19));
      put(out, ',');
      put(out, d.serial);
      put(out, ",TRAFFIC,");
      put(out, f.allowed ? "end" : "deny");
      put(out, ",2560,");
      put(out, sv(slashed_, 19));
      put(out, ',');
      ip(out, f.src_ip);
      put(out, ',');
      ip(out, f.dst_ip);
      put(out, ',');
      if (f.inbound) {
        put(out, "0.0.0.0,0.0.0.0,");
      } else {
        ip(out, f.nat_ip);
        put(out, ',');
        ip(out, f.dst_ip);
        put(out, ',');
      }
      put(out, f.allowed ? "allow-outbound," : "deny-all,");
      if (f.authenticated && !f.inbound) {
        put(out, "example\\");  // a domain user: a backslash to escape in JSON
        put(out, login_users[f.user % login_users.size()]);
      }
      put(out, ",,");
      put(out, f.dst_port == 443  ? "ssl"
               : f.dst_port == 80 ? "web-browsing"
               : f.dst_port == 53 ? "dns"
               : f.dst_port == 22 ? "ssh"
                                  : "incomplete");
      put(out, ",vsys1,");
      put(out, f.inbound ? "untrust,trust,ethernet1/1,ethernet1/2"
                         : "trust,untrust,ethernet1/2,ethernet1/1");
      put(out, ",default,");
      put(out, sv(slashed_, 19));
      put(out, ',');
      num(out, f.session);
      put(out, ",1,");
      num(out, f.src_port);
      put(out, ',');
      num(out, f.dst_port);
      put(out, ',');
      num(out, f.inbound ? 0 : f.nat_port);
      put(out, ',');
      num(out, f.inbound ? 0 : f.dst_port);
      put(out, ",0x40001c,");
      put(out, f.tcp ? "tcp" : "udp");
      put(out, ',');
      put(out, f.allowed ? "allow" : "deny");
      put(out, ',');
      num(out, f.bytes_in + f.bytes_out);
      put(out, ',');
      num(out, f.bytes_out);
      put(out, ',');
      num(out, f.bytes_in);
      put(out, ',');
      num(out, f.packets_in + f.packets_out);
      put(out, ',');
      put(out, sv(slashed_, 19));
      put(out, ',');
      num(out, f.duration_ms / 1000);
      put(out, ',');
      put(out, pan_categories[f.site % pan_categories.size()]);
      put(out, ",0,");
      num(out, 7000000000ULL + f.session * 3);
      put(out, ",0x0,");
      put(out, f.inbound ? "China,10.0.0.0-10.255.255.255," : "10.0.0.0-10.255.255.255,Japan,");
      put(out, "0,");
      num(out, f.packets_out);
      put(out, ',');
      num(out, f.packets_in);
      put(out, ',');
      put(out, f.allowed ? pan_end_reasons[f.session % pan_end_reasons.size()] : "policy-deny");
      put(out, ",0,0,0,0,,");
      put(out, d.hostname);
      put(out, ",from-policy,,,0,,0,,N/A,0,0,0,0");
      return;
    }
    default: {  // iptables LOG target through the kernel log
      const device& d = linux_gateways[f.device % linux_gateways.size()];
      put(out, "<4>");
      put(out, sv(bsd_, 15));
      put(out, ' ');
      put(out, d.hostname);
      put(out, " kernel: [");
      num(out, static_cast<std::uint64_t>(clock_ms_ / 1000 - 1714000000));
      put(out, '.');
      pad(out, r.below(1000000), 6);
      put(out, f.allowed ? "] ACCEPT-NEW: IN=" : "] DROP-IN: IN=");
      put(out, f.inbound ? "eth0 OUT= MAC=" : "eth1 OUT=eth0 MAC=");
      for (int i = 0; i < 14; ++i) {
        if (i > 0) put(out, ':');
        hex(out, i == 12 ? 0x08 : i == 13 ? 0x00 : (r.next() & 0xFF), 2);
      }
      put(out, " SRC=");
      ip(out, f.src_ip);
      put(out, " DST=");
      ip(out, f.dst_ip);
      put(out, " LEN=");
      num(out, f.tcp ? 60 : 40 + r.below(400));
      put(out, " TOS=0x00 PREC=0x00 TTL=");
      num(out, 40 + r.below(24));
      put(out, " ID=");
      num(out, r.below(65536));
      put(out, f.tcp ? " DF PROTO=TCP SPT=" : " PROTO=UDP SPT=");
      num(out, f.src_port);
      put(out, " DPT=");
      num(out, f.dst_port);
      if (f.tcp) {
        put(out, " WINDOW=");
        num(out, 29200 + r.below(36000));
        put(out, " RES=0x00 SYN URGP=0");
      } else {
        put(out, " LEN=");
        num(out, 20 + r.below(380));
      }
      return;
    }
  }
}

void generator::proxy_line(std::string& out, const flow& f) {
  // %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
  std::int64_t s = clock_ms_ / 1000;
  num(out, static_cast<std::uint64_t>(s));
  put(out, '.');
  pad(out, static_cast<std::uint64_t>(clock_ms_ % 1000), 3);
  put(out, ' ');
  pad(out, f.elapsed_ms, 6, ' ');
  put(out, ' ');
  ip(out, f.src_ip);
  put(out, ' ');
  bool denied = !f.allowed;
  if (denied) {
    put(out, "TCP_DENIED/403 ");
  } else if (f.method == 2) {
    put(out, "TCP_TUNNEL/200 ");
  } else {
    put(out, f.status == 304 ? "TCP_REFRESH_UNMODIFIED/"
                             : (f.session % 3 == 0 ? "TCP_HIT/" : "TCP_MISS/"));
    num(out, f.status);
    put(out, ' ');
  }
  num(out, denied ? 3945 : f.bytes_in);
  put(out, ' ');
  sv domain = domains[f.site];
  if (f.method == 2) {
    put(out, "CONNECT ");
    put(out, domain);
    put(out, ':');
    num(out, f.dst_port == 8443 ? 8443 : 443);
  } else {
    put(out, f.method == 0 ? "GET http://" : "POST http://");
    put(out, domain);
    url_path(out, f.path_kind, f.path_n, rng_);
  }
  put(out, ' ');
  put(out, f.authenticated ? login_users[f.user % login_users.size()] : "-");
  if (denied) {
    put(out, " HIER_NONE/- text/html");
    return;
  }
  put(out, f.session % 3 == 0 && f.method != 2 ? " NONE/- " : " HIER_DIRECT/");
  if (!(f.session % 3 == 0 && f.method != 2)) {
    ip(out, f.dst_ip);
    put(out, ' ');
  }
  put(out, f.method == 2 ? "-" : content_types[f.content_type]);
}

void generator::sshd_line(std::string& out, const flow& f) {
  prng& r = rng_;
  std::uint32_t what = r.below(100);
  put(out, what >= 92 ? "<86>" : "<38>");
  put(out, sv(bsd_, 15));
  put(out, ' ');
  put(out, ssh_hosts[f.device % ssh_hosts.size()]);
  put(out, " sshd[");
  num(out, pid_ + (f.session % 5000));
  put(out, "]: ");
  sv user = login_users[f.user % login_users.size()];
  sv invalid = invalid_users[f.user % invalid_users.size()];
  auto from = [&] {
    put(out, " from ");
    ip(out, f.src_ip);
    put(out, " port ");
    num(out, f.src_port);
  };
  if (what < 20) {
    put(out, "Accepted password for ");
    put(out, user);
    from();
    put(out, " ssh2");
  } else if (what < 35) {
    put(out, "Accepted publickey for ");
    put(out, user);
    from();
    put(out, " ssh2: ED25519 SHA256:");
    base64_random(out, r, 43);
  } else if (what < 55) {
    put(out, "Failed password for ");
    put(out, user);
    from();
    put(out, " ssh2");
  } else if (what < 70) {
    put(out, "Failed password for invalid user ");
    put(out, invalid);
    from();
    put(out, " ssh2");
  } else if (what < 80) {
    put(out, "Invalid user ");
    put(out, invalid);
    from();
  } else if (what < 86) {
    put(out, "Connection closed by authenticating user ");
    put(out, user);
    put(out, ' ');
    ip(out, f.src_ip);
    put(out, " port ");
    num(out, f.src_port);
    put(out, " [preauth]");
  } else if (what < 92) {
    put(out, "Received disconnect from ");
    ip(out, f.src_ip);
    put(out, " port ");
    num(out, f.src_port);
    put(out, ":11: Bye Bye [preauth]");
  } else {
    put(out, "pam_unix(sshd:session): session opened for user ");
    put(out, user);
    put(out, "(uid=");
    num(out, 1000 + f.user % login_users.size());
    put(out, ") by (uid=0)");
  }
}

void generator::ecs_record(std::string& out) {
  flow f;
  make_flow(f);
  prng& r = rng_;
  std::uint32_t what = r.below(100);
  int source = what < 40 ? 0 : what < 82 ? 1 : 2;  // firewall, proxy, sshd
  // ASA and iptables lines are short, FortiGate and PAN-OS ones long.
  std::uint32_t v = r.below(100);
  int vendor = v < 35 ? 0 : v < 55 ? 1 : v < 75 ? 2 : 3;
  if (source == 1 && f.inbound) source = 0;
  if (source == 2) {
    f.inbound = true;
    f.dst_port = 22;
    f.tcp = true;
  }

  raw_.clear();
  switch (source) {
    case 0: firewall_line(raw_, f, vendor); break;
    case 1: proxy_line(raw_, f); break;
    default: sshd_line(raw_, f); break;
  }
  // What the sshd line said, for the ECS fields.
  bool ssh_failed = source == 2 && (raw_.find("Failed") != std::string::npos ||
                                    raw_.find("Invalid") != std::string::npos);
  bool success = source == 2 ? !ssh_failed : f.allowed;

  const device* dev = nullptr;
  switch (source) {
    case 0:
      dev = vendor == 0   ? &asa_devices[f.device % asa_devices.size()]
            : vendor == 1 ? &forti_devices[f.device % forti_devices.size()]
            : vendor == 2 ? &pan_devices[f.device % pan_devices.size()]
                          : &linux_gateways[f.device % linux_gateways.size()];
      break;
    case 1: dev = &proxies[f.device % proxies.size()]; break;
    default: break;
  }

  out.append("{\"@timestamp\":\"");
  out.append(iso_, 19);
  out.push_back('.');
  pad(out, static_cast<std::uint64_t>(clock_ms_ % 1000), 3);
  out.append("Z\",");

  // event
  out.append("\"event\":{\"kind\":\"event\",");
  if (source == 0) {
    out.append("\"category\":[\"network\"],\"type\":[\"connection\",");
    out.append(f.allowed ? "\"end\"]," : "\"denied\"],");
    jstr(out, "action", f.allowed ? "flow_closed" : "flow_dropped");
    static constexpr sv datasets[] = {"cisco_asa.log", "fortinet_fortigate.log", "panw.panos",
                                      "iptables.log"};
    jstr(out, "dataset", datasets[vendor]);
    jstr(out, "module", datasets[vendor].substr(0, datasets[vendor].find('.')));
  } else if (source == 1) {
    out.append("\"category\":[\"web\",\"network\"],\"type\":[\"access\"");
    out.append(f.allowed ? "]," : ",\"denied\"],");
    jstr(out, "action", f.allowed ? (f.method == 2 ? "TCP_TUNNEL" : "TCP_MISS") : "TCP_DENIED");
    jstr(out, "dataset", "squid.access");
    jstr(out, "module", "squid");
  } else {
    out.append("\"category\":[\"authentication\"],\"type\":[\"start\"],");
    jstr(out, "action", "ssh_login");
    jstr(out, "dataset", "system.auth");
    jstr(out, "module", "system");
  }
  jstr(out, "outcome", success ? "success" : "failure");
  jnum(out, "severity", success ? 6 : 4);
  if (f.duration_ms > 0 && source == 0)
    jnum(out, "duration", std::uint64_t{f.duration_ms} * 1000000);
  out.append("\"id\":\"");
  hex(out, r.next(), 16);
  out.append("\",\"original\":\"");
  escape(out, raw_);
  out.append("\"},");

  out.append("\"organization\":{\"id\":\"");
  out.append(organizations[f.org]);
  out.append("\"},");

  if (dev != nullptr) {
    out.append("\"observer\":{");
    jstr(out, "hostname", dev->hostname);
    jstr(out, "vendor", dev->vendor);
    jstr(out, "product", dev->product);
    jstr(out, "type", source == 1 ? "proxy" : "firewall");
    if (!dev->serial.empty()) jstr(out, "serial_number", dev->serial);
    out.append("\"ip\":[\"");
    ip(out, (10u << 24) | (f.org << 16) | 1);
    out.append("\"]},");
  } else {
    out.append("\"host\":{");
    jstr(out, "hostname", ssh_hosts[f.device % ssh_hosts.size()]);
    jstr(out, "name", ssh_hosts[f.device % ssh_hosts.size()]);
    out.append("\"os\":{\"family\":\"debian\",\"kernel\":\"6.1.0-21-amd64\"}},");
    out.append("\"process\":{\"name\":\"sshd\",");
    jnum(out, "pid", pid_ + (f.session % 5000));
    close(out, '}');
    out.push_back(',');
  }

  out.append("\"source\":{");
  jip(out, "ip", f.src_ip);
  jnum(out, "port", f.src_port);
  if (source == 0) {  // a proxy logs the response size only (http.response.bytes)
    jnum(out, "bytes", f.bytes_out);
    jnum(out, "packets", f.packets_out);
  }
  if (!f.inbound && source == 0) {
    out.append("\"nat\":{");
    jip(out, "ip", f.nat_ip);
    jnum(out, "port", f.nat_port);
    close(out, '}');
    out.push_back(',');
  } else if (r.chance(60)) {
    out.append("\"geo\":{\"country_iso_code\":\"CN\",\"country_name\":\"China\"},");
  }
  close(out, '}');
  out.push_back(',');

  out.append("\"destination\":{");
  jip(out, "ip", f.dst_ip);
  jnum(out, "port", f.dst_port);
  if (!f.inbound) {
    jstr(out, "domain", domains[f.site]);
    if (source == 0) {
      jnum(out, "bytes", f.bytes_in);
      jnum(out, "packets", f.packets_in);
    }
    if (f.site >= 30 && f.site < 33) {  // the tenant's own sites
      out.append("\"geo\":{\"country_iso_code\":\"JP\",\"city_name\":\"東京\"},");
    }
  }
  close(out, '}');
  out.push_back(',');

  out.append("\"network\":{");
  jstr(out, "transport", f.tcp ? "tcp" : "udp");
  jstr(out, "direction", f.inbound ? "inbound" : "outbound");
  if (source == 1 || f.https) jstr(out, "protocol", f.https ? "tls" : "http");
  if (source == 0) {
    jnum(out, "bytes", f.bytes_in + f.bytes_out);
    jnum(out, "packets", f.packets_in + f.packets_out);
    out.append("\"community_id\":\"1:");
    base64_random(out, r, 27);
    out.append("=\",");
  }
  close(out, '}');
  out.push_back(',');

  if (source == 1) {
    sv domain = domains[f.site];
    out.append("\"url\":{\"original\":\"");
    std::size_t path_at = 0;
    if (f.method == 2) {
      out.append(domain);
      out.push_back(':');
      num(out, 443);
    } else {
      out.append("http://");
      out.append(domain);
      path_at = out.size();
      url_path(out, f.path_kind, f.path_n, r);
    }
    out.append("\",");
    if (f.method != 2) {
      // Split the path written above into url.path and url.query.
      std::string path_and_query = out.substr(path_at, out.size() - 2 - path_at);
      std::size_t q = path_and_query.find('?');
      out.append("\"path\":\"");
      out.append(sv(path_and_query).substr(0, q));
      out.append("\",");
      if (q != std::string::npos) {
        out.append("\"query\":\"");
        out.append(sv(path_and_query).substr(q + 1));
        out.append("\",");
      }
      jstr(out, "scheme", "http");
    }
    jstr(out, "domain", domain);
    jnum(out, "port", f.method == 2 ? 443 : 80);
    close(out, '}');
    out.push_back(',');
    out.append("\"http\":{\"request\":{");
    jstr(out, "method", f.method == 0 ? "GET" : f.method == 1 ? "POST" : "CONNECT");
    close(out, '}');
    out.append(",\"response\":{");
    jnum(out, "status_code", f.allowed ? f.status : 403);
    jnum(out, "bytes", f.allowed ? f.bytes_in : 3945);
    if (f.method != 2) jstr(out, "mime_type", content_types[f.content_type]);
    close(out, '}');
    out.append("},");
    out.append("\"user_agent\":{\"original\":\"");
    out.append(agents[f.agent]);
    out.append("\"},");
  }

  bool has_user = source == 2 || f.authenticated;
  sv user_name = source == 2 ? (ssh_failed && raw_.find("invalid") != std::string::npos
                                    ? invalid_users[f.user % invalid_users.size()]
                                    : login_users[f.user % login_users.size()])
                             : users[f.user];
  if (has_user) {
    out.append("\"user\":{");
    jstr(out, "name", user_name);
    if (source != 2 && r.chance(50)) jstr(out, "domain", "EXAMPLE");
    close(out, '}');
    out.push_back(',');
  }

  out.append("\"related\":{\"ip\":[\"");
  ip(out, f.src_ip);
  out.append("\",\"");
  ip(out, f.dst_ip);
  out.append("\"]");
  if (has_user) {
    out.append(",\"user\":[\"");
    out.append(user_name);
    out.append("\"]");
  }
  if (source == 1 || (!f.inbound && source == 0)) {
    out.append(",\"hosts\":[\"");
    out.append(domains[f.site]);
    out.append("\"]");
  }
  out.append("},");

  if (source == 0) {
    out.append("\"rule\":{");
    jstr(out, "name", f.allowed ? "LAN-to-WAN" : (vendor == 0 ? "outside_access_in" : "deny-all"));
    jnum(out, "id", f.allowed ? 1 + f.device % 12 : 0);
    close(out, '}');
    out.push_back(',');
  }

  out.append("\"tags\":[\"forwarded\"");
  if (r.chance(30)) out.append(",\"mimamori-relay\"");
  if (!success) out.append(",\"要確認\"");
  out.append("],\"ecs\":{\"version\":\"8.11.0\"}}\n");
}

void generator::next(std::string& out) {
  tick();
  switch (kind_) {
    case kind::ecs: ecs_record(out); return;
    case kind::firewall: {
      flow f;
      make_flow(f);
      firewall_line(out, f, static_cast<int>(rng_.below(4)));
      break;
    }
    case kind::proxy: {
      flow f;
      make_flow(f);
      if (f.inbound) {  // proxies see only the inside
        f.inbound = false;
        f.site = rng_.below(domains.size());
        f.dst_ip = site_ip(f.site);
      }
      proxy_line(out, f);
      break;
    }
    case kind::sshd: {
      flow f;
      make_flow(f);
      sshd_line(out, f);
      break;
    }
    case kind::mixed: {
      flow f;
      make_flow(f);
      std::uint32_t w = rng_.below(100);
      if (w < 50) {
        firewall_line(out, f, static_cast<int>(rng_.below(4)));
      } else if (w < 80 && !f.inbound) {
        proxy_line(out, f);
      } else {
        sshd_line(out, f);
      }
      break;
    }
    case kind::syslog: {
      flow f;
      make_flow(f);
      const std::uint32_t w = rng_.below(100);
      if (w < 35) {
        firewall_line(out, f, 0);  // Cisco ASA
      } else if (w < 55) {
        firewall_line(out, f, 1);  // FortiGate
      } else if (w < 80) {
        if (f.inbound) {  // proxies see only the inside
          f.inbound = false;
          f.site = rng_.below(domains.size());
          f.dst_ip = site_ip(f.site);
        }
        // Squid's access_log syslog:local4.info module: a BSD header, then the line.
        put(out, "<166>");
        put(out, sv(bsd_, 15));
        put(out, ' ');
        put(out, proxies[f.device % proxies.size()].hostname);
        put(out, " squid[");
        num(out, 1200 + f.device % 7);
        put(out, "]: ");
        proxy_line(out, f);
      } else {
        sshd_line(out, f);
      }
      break;
    }
  }
  out.push_back('\n');
}

}  // namespace mimamori::bench
