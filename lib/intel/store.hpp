// store: every loaded indicator, packed, and the hash indexes that find
// them. intel.hpp tells the whole story; this is the storage half.
//
// An indicator is 16 bytes (first seen, the offset of its canonical value in
// one byte arena, the id of its context) plus its value text; the context
// (feed, provider, description, tags, reference, confidence, validity
// window) is shared by every indicator that has the same one, so a feed of a
// million lines holds a handful of contexts. Values are indexed in two
// open-addressing tables of 8-byte slots: one keyed by (type, canonical
// text) for domains, URLs and hashes, one keyed by (address, prefix length)
// for IP addresses and CIDR blocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "intel/indicator.hpp"
#include "intel/warninglist.hpp"
#include "time/timestamp.hpp"

namespace mimamori::intel {

namespace detail {
// splitmix64's finaliser: the last step of every hash here.
inline std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}
inline std::uint32_t load_v4(const std::uint8_t* address) {
  return (std::uint32_t{address[12]} << 24) | (std::uint32_t{address[13]} << 16) |
         (std::uint32_t{address[14]} << 8) | address[15];
}
}  // namespace detail

using indicator_id = std::uint32_t;

// What a feed says about an indicator besides its value.
struct context {
  std::string feed;         // threat.feed.name
  std::string provider;     // threat.indicator.provider (the reporting organisation)
  std::string description;  // threat.indicator.description
  std::string reference;    // threat.indicator.reference (a URL)
  std::vector<std::string> tags;
  int confidence = -1;  // 0-100, -1 when the feed does not say
  std::optional<time::timestamp> valid_from, valid_until;
};

// One indicator as read back from the store; views into the store.
struct indicator_view {
  indicator_id id = 0;
  indicator_type type = indicator_type::domain;
  std::string_view value;  // canonical text (ip: "192.0.2.1", "192.0.2.0/24")
  bool ipv4 = false;       // for type ip
  std::string_view feed, provider, description, reference;
  std::string_view tags;  // tags joined by '\n'; empty when none
  int confidence = -1;
  std::optional<time::timestamp> first_seen, valid_from, valid_until;
};

class store {
 public:
  store() = default;

  // --- building (before finalize) ---------------------------------------
  // Registers a context and returns its id; the same context twice gets the
  // same id.
  std::uint32_t add_context(const context& c);
  // Adds one indicator under a context. `value` must be canonical for its
  // type (indicator.hpp: detect(), read_as()). Values over 65535 bytes are
  // refused (false).
  bool add(const detected& value, std::uint32_t context_id,
           std::optional<time::timestamp> first_seen = std::nullopt);
  // Known-benign values: indicators they cover are dropped by finalize().
  void add_warninglist(warninglist list);

  // Applies the warninglists, drops exact duplicates (same value and
  // context) and builds the indexes. Further add() calls need another
  // finalize().
  void finalize();

  // --- reading -------------------------------------------------------------
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  // Indicators indexed by the last finalize() (without the dropped ones).
  [[nodiscard]] std::size_t indexed() const { return indexed_; }
  [[nodiscard]] std::size_t duplicates() const { return duplicates_; }
  // Indicators each warninglist dropped, by list name.
  [[nodiscard]] const std::vector<std::pair<std::string, std::size_t>>& warned() const {
    return warned_;
  }
  [[nodiscard]] indicator_view get(indicator_id id) const;
  // Whether the indicator is valid at `time` (always, when time is unknown).
  [[nodiscard]] bool valid_at(indicator_id id, std::optional<time::timestamp> time) const;
  // Bytes held by the store's own arrays (not counting allocator overhead).
  [[nodiscard]] std::size_t memory_bytes() const;

  // Calls found(id) for every indicator whose key is exactly (type, value);
  // value canonical. For domains, see find_domain.
  template <typename Found>
  void find_exact(indicator_type type, std::string_view value, Found&& found) const;
  // Every domain indicator equal to `domain` or to one of its parent
  // domains (canonical `domain`).
  template <typename Found>
  void find_domain(std::string_view domain, Found&& found) const;
  // Every IP indicator (address or block) that contains `address`.
  template <typename Found>
  void find_ip(const ip_prefix& address, Found&& found) const;
  // The same for an IPv4 address given as a number (parse_dotted_quad).
  template <typename Found>
  void find_v4(std::uint32_t address, Found&& found) const;

 private:
  // Calls found(id) for each IP indicator in the slots of hash `h` whose
  // stored prefix satisfies same(prefix): a slot's tag is only 32 bits of
  // the 64-bit hash over the masked address and its length, so the stored
  // text is the judge.
  template <typename Same, typename Found>
  void probe_ip(std::uint64_t h, Same&& same, Found&& found) const;

  struct entry {
    std::int64_t first_seen;  // INT64_MIN: unknown
    std::uint32_t value;      // offset in values_: [type][len lo][len hi][bytes]
    std::uint32_t context;
  };
  struct packed_context {
    std::uint32_t feed, provider, description, reference, tags;  // offsets in strings_
    int confidence;
    std::int64_t valid_from, valid_until;  // INT64_MIN / INT64_MAX when open
  };
  struct slot {
    std::uint32_t tag;  // upper bits of the hash
    std::uint32_t id;   // indicator id + 1; 0 is empty
  };

  [[nodiscard]] indicator_type type_of(const entry& e) const {
    return static_cast<indicator_type>(values_[e.value]);
  }
  [[nodiscard]] std::string_view value_of(const entry& e) const;
  [[nodiscard]] std::string_view string_at(std::uint32_t offset) const;
  std::uint32_t intern(std::string_view text);

  static std::uint64_t hash_key(indicator_type type, std::string_view value);
  static std::uint64_t hash_ip(const std::uint8_t* address, std::uint8_t length);
  // hash_ip of an IPv4 block, from the masked address as a number.
  static std::uint64_t hash_v4(std::uint32_t masked, std::uint8_t length) {
    return detail::mix((std::uint64_t{masked} << 8 | length) ^ 0x84222325cbf29ce4ULL);
  }
  bool warned(const entry& e, const std::optional<ip_prefix>& ip);

  std::vector<entry> entries_;
  std::string values_;
  std::vector<packed_context> contexts_;
  std::string strings_;  // NUL-terminated strings
  std::unordered_map<std::string, std::uint32_t> context_ids_;
  std::unordered_map<std::string, std::uint32_t> string_ids_;
  std::vector<warninglist> warninglists_;
  std::vector<std::pair<std::string, std::size_t>> warned_;
  std::vector<bool> dropped_;

  std::vector<slot> strings_index_, ip_index_;
  std::uint64_t strings_mask_ = 0, ip_mask_ = 0;

  // Filters in front of the tables, one bit per key and about eight bits
  // per key, so that most lookups of keys that are not there (nearly all of
  // them) stop in a small bitmap instead of a cache miss in a table.
  struct bitmap {
    std::vector<std::uint64_t> words;
    std::uint64_t mask = 0;  // bits - 1
    void size_for(std::size_t keys);
    void set(std::uint64_t h) { words[(h & mask) >> 6] |= std::uint64_t{1} << (h & 63); }
    [[nodiscard]] bool test(std::uint64_t h) const {
      return (words[(h & mask) >> 6] >> (h & 63)) & 1;
    }
  };
  // Per prefix length present (longest first), for IPv6 [0] and IPv4 [1]:
  // the filter is keyed by the address cut to at most filter_bits(family).
  struct prefix_length {
    std::uint8_t length;
    bitmap filter;
  };
  static constexpr std::uint8_t filter_bits(bool v4) { return v4 ? 96 + 24 : 48; }
  static std::uint64_t filter_hash(std::uint64_t h) { return (h << 23) | (h >> 41); }
  bitmap strings_filter_;
  std::vector<prefix_length> ip_lengths_[2];
  // One bit per IPv4 /24: set when some IPv4 indicator (address or block)
  // covers an address in it. An address whose /24 is clear meets no IPv4
  // indicator, so one lookup here replaces a filter test per prefix length
  // (a feed of blocks has many). Built for large IPv4 sets only (2 MiB).
  static constexpr std::size_t v4_gate_from = 4096;  // IPv4 indicators
  std::vector<std::uint64_t> v4_gate_;
  [[nodiscard]] bool v4_gate_open(std::uint32_t address) const {
    return v4_gate_.empty() || ((v4_gate_[address >> 14] >> ((address >> 8) & 63)) & 1) != 0;
  }
  std::size_t indexed_ = 0, duplicates_ = 0;
};

// ---------------------------------------------------------------------------

template <typename Found>
void store::find_exact(indicator_type type, std::string_view value, Found&& found) const {
  if (strings_index_.empty()) return;
  std::uint64_t h = hash_key(type, value);
  if (!strings_filter_.test(filter_hash(h))) return;
  auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::uint64_t i = h & strings_mask_;; i = (i + 1) & strings_mask_) {
    const slot& s = strings_index_[i];
    if (s.id == 0) return;
    if (s.tag != tag) continue;
    const entry& e = entries_[s.id - 1];
    if (type_of(e) == type && value_of(e) == value) found(s.id - 1);
  }
}

template <typename Found>
void store::find_domain(std::string_view domain, Found&& found) const {
  while (!domain.empty()) {
    find_exact(indicator_type::domain, domain, found);
    std::size_t dot = domain.find('.');
    if (dot == std::string_view::npos) return;
    domain.remove_prefix(dot + 1);
  }
}

namespace detail {
// The address cut to `length` bits.
inline void cut(const std::uint8_t* address, std::uint8_t length, std::uint8_t* out) {
  std::size_t full = length / 8;
  std::size_t i = 0;
  for (; i < full; ++i) out[i] = address[i];
  if (i < 16) {
    out[i] = static_cast<std::uint8_t>(address[i] & (0xff00u >> (length % 8)));
    for (++i; i < 16; ++i) out[i] = 0;
  }
}
}  // namespace detail

template <typename Found>
void store::find_v4(std::uint32_t a, Found&& found) const {
  if (ip_index_.empty() || !v4_gate_open(a)) return;
  constexpr std::uint8_t limit = filter_bits(true);
  // IPv4 as a number: no byte arrays on the hot path.
  for (const prefix_length& p : ip_lengths_[1]) {
    std::uint8_t length = p.length;
    unsigned bits = length - 96u;
    std::uint32_t m = bits == 0 ? 0 : a & (~0u << (32 - bits));
    std::uint64_t h = hash_v4(m, length);
    std::uint64_t fh = length <= limit ? h : hash_v4(a & (~0u << (128 - limit)), length);
    if (!p.filter.test(filter_hash(fh))) continue;
    probe_ip(
        h,
        [&](const ip_prefix& stored) {
          return stored.length == length && stored.is_v4() &&
                 detail::load_v4(stored.address.data()) == m;
        },
        found);
  }
}

template <typename Found>
void store::find_ip(const ip_prefix& address, Found&& found) const {
  if (ip_index_.empty()) return;
  if (address.is_v4()) {
    find_v4(detail::load_v4(address.address.data()), found);
    return;
  }
  constexpr std::uint8_t limit = filter_bits(false);
  std::uint8_t masked[16];
  for (const prefix_length& p : ip_lengths_[0]) {
    std::uint8_t length = p.length;
    std::uint64_t h;
    if (length <= limit) {
      detail::cut(address.address.data(), length, masked);
      h = hash_ip(masked, length);
      if (!p.filter.test(filter_hash(h))) continue;
    } else {
      detail::cut(address.address.data(), limit, masked);
      if (!p.filter.test(filter_hash(hash_ip(masked, length)))) continue;
      detail::cut(address.address.data(), length, masked);
      h = hash_ip(masked, length);
    }
    probe_ip(
        h,
        [&](const ip_prefix& stored) {
          return stored.length == length && std::equal(masked, masked + 16, stored.address.begin());
        },
        found);
  }
}

template <typename Same, typename Found>
void store::probe_ip(std::uint64_t h, Same&& same, Found&& found) const {
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::uint64_t k = h & ip_mask_;; k = (k + 1) & ip_mask_) {
    const slot& s = ip_index_[k];
    if (s.id == 0) break;
    if (s.tag != tag) continue;
    const auto stored = parse_ip_prefix(value_of(entries_[s.id - 1]));
    if (stored && same(*stored)) found(s.id - 1);
  }
}

}  // namespace mimamori::intel
