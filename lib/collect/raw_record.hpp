// raw_record: the record logcollect writes for each message it receives.
//
//   {"@timestamp":"<received>","event":{"original":"<message>","created":"<received>"},
//    "input":{"type":"udp"},"log":{"source":{"address":"192.0.2.10:514"}},
//    "observer":{"ip":"192.0.2.10",...},"organization":{"id":"acme"}}
//
// Headers stay raw: lognorm parses them. Bytes that are not UTF-8 are
// replaced in event.original and kept exactly in mimamori.original_base64.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "time/timestamp.hpp"

namespace mimamori::collect {

// What a source says about every record it produces (from flags or config).
struct source_tags {
  std::string organization = "default";
  std::string observer_hostname;
  std::string observer_vendor;
  std::string observer_product;
  std::string observer_type;
};

struct received {
  std::string_view text;             // the message, without its framing
  time::timestamp when;              // receive time
  std::string_view input_type;       // udp tcp tls file stdin pcap replay
  std::string_view file_path;        // files: the path (log.file.path)
  std::uint64_t offset = 0;          // files and streams: byte offset (log.offset)
  bool has_offset = false;
  std::string_view peer_ip;          // network: the sender (observer.ip)
  std::uint16_t peer_port = 0;       // network: its port (log.source.address)
  bool truncated = false;            // cut at the size limit (tags: truncated)
};

void append_raw_record(std::string& out, const source_tags& tags, const received& r);

}  // namespace mimamori::collect
