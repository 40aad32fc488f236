// event_writer: the ECS records a capture produces, one compact JSON line
// each (without the newline), written straight into the output buffer.
//
//   pcap.dns   dns.{type,id,op_code,header_flags,response_code,question,
//              answers,resolved_ip}
//   pcap.http  http.request.{method,referrer}, http.version, url.{original,
//              path,query,domain,port}, user_agent.original
//   pcap.tls   tls.client.{server_name,ja3}, tls.{version,version_protocol},
//              mimamori.tls.client.ja3_string
//   pcap.flow  source/destination.{bytes,packets}, event.{start,end,
//              duration,reason}, network.{bytes,packets}
//
// Every record has @timestamp (the packet's time; for a flow, its last
// packet), event.{kind: event, category: [network], dataset, created},
// source/destination ip and port, network.{transport,type,iana_number,
// community_id,vlan}, related.ip, input.type pcap, organization.id and the
// observer fields of the source's tags.
#pragma once

#include <string>
#include <string_view>

#include "pcap/decoder.hpp"
#include "pcap/dns.hpp"
#include "pcap/flow_table.hpp"
#include "pcap/http.hpp"
#include "pcap/tls.hpp"
#include "time/timestamp.hpp"

namespace mimamori::pcap {

struct record_tags {
  std::string organization = "default";
  std::string observer_hostname;
  std::string observer_vendor;
  std::string observer_product;
  std::string observer_type;
  std::string interface;  // live capture: observer.ingress.interface.name
  std::string file;       // capture file: log.file.path
};

// Who talks to whom in a protocol record.
struct endpoints {
  const address* src = nullptr;
  const address* dst = nullptr;
  std::uint8_t protocol = 0;
  bool has_ports = false;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint16_t vlan = 0;
  std::uint16_t inner_vlan = 0;
};

class event_writer {
 public:
  explicit event_writer(record_tags tags) : tags_(std::move(tags)) {}
  // event.created of the records that follow (the clock, pinned by --now).
  void set_created(time::timestamp when) { created_ = when; }

  void dns(std::string& out, time::timestamp when, const endpoints& e, const dns_message& m);
  void http(std::string& out, time::timestamp when, const endpoints& e, const http_request& r);
  void tls(std::string& out, time::timestamp when, const endpoints& e,
           const tls_client_hello& hello, std::string_view ja3_text, std::string_view ja3_hash);
  void flow(std::string& out, const pcap::flow& f, std::string_view reason);

 private:
  record_tags tags_;
  time::timestamp created_;
  std::string scratch_;
  std::string scratch2_;
};

}  // namespace mimamori::pcap
