// matcher: which indicators an event touches.
//
// One pass over the record's top-level members picks the fields below (in
// nested ECS objects or as flattened "a.b" keys); each value is normalised
// the way the store's values were and looked up in the store's hash
// indexes, so the cost per event depends on the event (its fields, the
// labels of its domains, the prefix lengths present), not on the number of
// indicators. Hits are kept only when the indicator is valid at the event's
// own @timestamp, and one indicator is reported once per event (the first
// field that matched).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/record.hpp"
#include "intel/store.hpp"
#include "time/timestamp.hpp"

namespace mimamori::intel {

enum class event_field : std::uint8_t {
  source_ip,
  destination_ip,
  destination_domain,
  url_domain,
  url_full,
  url_original,
  dns_question_name,
  tls_client_server_name,
  file_hash_md5,
  file_hash_sha1,
  file_hash_sha256,
  process_hash_md5,
  process_hash_sha1,
  process_hash_sha256,
};

// The ECS path of a field ("destination.domain").
[[nodiscard]] std::string_view field_path(event_field field);

struct hit {
  indicator_id indicator = 0;
  event_field field = event_field::source_ip;
  std::string_view atomic;  // the event's value that matched, as the event wrote it
};

class matcher {
 public:
  explicit matcher(const store& indicators) : store_(indicators) {}

  // The hits of one record at its own @timestamp (RFC 3339; a record
  // without one is matched against every indicator, whatever its validity
  // window). The views point into the record and into the store; valid until
  // the next call.
  const std::vector<hit>& match(const event::record& record);
  // As above, at a time the caller already read (or none).
  const std::vector<hit>& match(const event::record& record, std::optional<time::timestamp> at);

  // The @timestamp of the last record matched, when it had a readable one;
  // read from the record on the first call when nothing hit, so call it
  // while the record is still there.
  [[nodiscard]] std::optional<time::timestamp> last_time() const {
    read_pending_time();
    return time_;
  }

 private:
  void visit(std::string_view key, simdjson::dom::element value);
  void check(event_field field, const std::optional<simdjson::dom::element>& value);
  // `atomic` is what a hit reports (a view into the record); `text` what is
  // looked up.
  void check_domain(event_field field, std::string_view text, std::string_view atomic);
  // Whether `text` is an IP address (then looked up as one).
  bool check_ip(event_field field, std::string_view text, std::string_view atomic);
  void check_url(event_field field, std::string_view text);
  void check_hash(event_field field, std::string_view text);
  void found(indicator_id id, event_field field, std::string_view atomic);
  // Parses the @timestamp text kept by visit(), when there is one: the
  // time is read only when it is needed (a hit, or last_time()).
  void read_pending_time() const;

  const store& store_;
  std::vector<hit> hits_;
  mutable std::optional<time::timestamp> time_;
  bool read_time_ = false;
  // The record's @timestamp text, not parsed yet (a view into the record).
  mutable std::string_view pending_time_;
  mutable bool time_pending_ = false;
  std::string scratch_, domain_scratch_, rebuilt_;
  // Domains already looked up for this record (destination.domain, url.domain
  // and dns.question.name often hold the same name).
  std::vector<std::string> checked_domains_;
  std::size_t checked_count_ = 0;
  // url.domain / url.original kept to rebuild a URL when url.full is missing.
  std::string_view url_domain_, url_original_, url_scheme_, url_full_;
  std::int64_t url_port_ = 0;
};

}  // namespace mimamori::intel
