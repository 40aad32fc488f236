// registry: the built-in parsers in detection order.
#include "parsers/parser.hpp"

namespace mimamori::parsers {

const parser& mikrotik();  // parsers/mikrotik.cpp

const std::vector<const parser*>& all() {
  // Order: cheap and specific checks first (%ASA- near the start, the
  // program name of auth lines, CEF:, a JSON object, FortiGate's date=...
  // logid=), then the shapes recognised by their layout. Zeek goes before
  // Squid: both start rows with an epoch time.
  static const std::vector<const parser*> parsers = {
      &cisco_asa(),         &linux_auth(),   &systemd(),     &cef(),          &suricata_eve(),
      &edr(),               &windows_event(),
      &mikrotik(),  // cheap: a first lowercase word that is a RouterOS topic list
      &zeek(),
      &sophos_xg(),  // before FortiGate: SFOS lines open with date= and carry log_id=
      &fortigate(),
      &panos(),             &juniper_srx(),  &snort(),       &auditd(),       &checkpoint(),
      &w3c_proxy(),
      &iis_access(),  // after w3c_proxy, which reads rows under a #Fields: header
      &pfsense_filterlog(), &squid_access(), &http_access(), &iptables(),
      &cisco_ios(),  // a '%' tag after parts Cisco writes: after the shapes above
      &generic_json(),  // last: a JSON object no parser above knows
  };
  return parsers;
}

const parser* find(std::string_view name) {
  for (const parser* p : all()) {
    if (p->name() == name) return p;
  }
  if (nginx_access().name() == name) return &nginx_access();
  return nullptr;
}

}  // namespace mimamori::parsers
