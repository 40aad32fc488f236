#include "intel/store.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace mimamori::intel {

namespace {

constexpr std::int64_t unknown_time = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t open_end = std::numeric_limits<std::int64_t>::max();

using detail::mix;

std::uint64_t fnv(std::uint64_t h, const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  // Eight bytes at a time, then the rest.
  while (size >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * 0x100000001b3ULL;
    h ^= h >> 29;
    p += 8;
    size -= 8;
  }
  while (size-- > 0) h = (h ^ *p++) * 0x100000001b3ULL;
  return h;
}

// Open addressing with linear probing, filled to at most 60%: the filters
// in front keep most absent keys from probing at all.
std::size_t table_size(std::size_t count) {
  std::size_t size = 16;
  while (size * 3 < count * 5) size <<= 1;
  return size;
}

}  // namespace

std::uint64_t store::hash_key(indicator_type type, std::string_view value) {
  return mix(
      fnv(0xcbf29ce484222325ULL ^ static_cast<std::uint64_t>(type), value.data(), value.size()));
}

std::uint64_t store::hash_ip(const std::uint8_t* address, std::uint8_t length) {
  static constexpr std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (length >= 96 && std::memcmp(address, mapped, 12) == 0) {
    return hash_v4(detail::load_v4(address), length);
  }
  return detail::mix(fnv(0x84222325cbf29ce4ULL ^ length, address, 16));
}

void store::bitmap::size_for(std::size_t keys) {
  std::size_t bits = 512;
  while (bits < keys * 8) bits <<= 1;
  words.assign(bits / 64, 0);
  mask = bits - 1;
}

std::uint32_t store::intern(std::string_view text) {
  if (text.empty()) return 0;
  if (strings_.empty()) strings_.push_back('\0');  // offset 0: the empty string
  auto [it, inserted] =
      string_ids_.try_emplace(std::string(text), static_cast<std::uint32_t>(strings_.size()));
  if (inserted) {
    strings_.append(text);
    strings_.push_back('\0');
  }
  return it->second;
}

std::string_view store::string_at(std::uint32_t offset) const {
  if (offset == 0 || offset >= strings_.size()) return {};
  return {strings_.data() + offset};
}

std::uint32_t store::add_context(const context& c) {
  std::string tags;
  for (const auto& t : c.tags) {
    if (t.empty()) continue;
    if (!tags.empty()) tags.push_back('\n');
    for (char ch : t) tags.push_back(ch == '\n' || ch == '\0' ? ' ' : ch);
  }
  packed_context p{};
  p.feed = intern(c.feed);
  p.provider = intern(c.provider);
  p.description = intern(c.description);
  p.reference = intern(c.reference);
  p.tags = intern(tags);
  p.confidence = c.confidence;
  p.valid_from = c.valid_from ? c.valid_from->ns : unknown_time;
  p.valid_until = c.valid_until ? c.valid_until->ns : open_end;
  std::string key(reinterpret_cast<const char*>(&p), sizeof p);
  auto [it, inserted] =
      context_ids_.try_emplace(std::move(key), static_cast<std::uint32_t>(contexts_.size()));
  if (inserted) contexts_.push_back(p);
  return it->second;
}

bool store::add(const detected& value, std::uint32_t context_id,
                std::optional<time::timestamp> first_seen) {
  if (value.value.size() > 0xffff || context_id >= contexts_.size()) return false;
  if (values_.size() + value.value.size() + 3 > std::numeric_limits<std::uint32_t>::max()) {
    return false;
  }
  entry e{};
  e.first_seen = first_seen ? first_seen->ns : unknown_time;
  e.value = static_cast<std::uint32_t>(values_.size());
  e.context = context_id;
  values_.push_back(static_cast<char>(value.type));
  values_.push_back(static_cast<char>(value.value.size() & 0xff));
  values_.push_back(static_cast<char>(value.value.size() >> 8));
  values_.append(value.value);
  entries_.push_back(e);
  return true;
}

void store::add_warninglist(warninglist list) {
  warninglists_.push_back(std::move(list));
}

std::string_view store::value_of(const entry& e) const {
  const char* p = values_.data() + e.value;
  std::size_t size = static_cast<unsigned char>(p[1]) |
                     (static_cast<std::size_t>(static_cast<unsigned char>(p[2])) << 8);
  return {p + 3, size};
}

bool store::warned(const entry& e, const std::optional<ip_prefix>& ip) {
  indicator_type type = type_of(e);
  std::string_view value = value_of(e);
  for (std::size_t i = 0; i < warninglists_.size(); ++i) {
    if (warninglists_[i].covers(type, value, ip)) {
      ++warned_[i].second;
      return true;
    }
  }
  return false;
}

void store::finalize() {
  warned_.clear();
  for (const auto& w : warninglists_) warned_.emplace_back(w.name(), 0);
  duplicates_ = 0;
  indexed_ = 0;

  std::size_t ip_count = 0;
  for (const entry& e : entries_) ip_count += type_of(e) == indicator_type::ip ? 1 : 0;
  strings_index_.assign(table_size(entries_.size() - ip_count), slot{0, 0});
  ip_index_.assign(table_size(ip_count), slot{0, 0});
  strings_mask_ = strings_index_.size() - 1;
  strings_filter_.size_for(entries_.size() - ip_count);
  ip_mask_ = ip_index_.size() - 1;
  std::size_t lengths[2][129] = {};
  std::vector<std::uint64_t> filter_keys[2];  // per family: hash << 8 | length
  std::vector<std::uint64_t> v4_blocks;       // per IPv4 indicator: /24 first << 32 | count

  // In batches: hash a batch and prefetch its slots, then insert it, so the
  // cache misses of a batch overlap instead of following one another.
  struct pending {
    std::uint64_t h = 0;
    std::optional<ip_prefix> ip;
    bool skip = false;
  };
  constexpr std::size_t batch = 32;
  std::array<pending, batch> work;
  for (std::size_t base = 0; base < entries_.size(); base += batch) {
    std::size_t count = std::min(batch, entries_.size() - base);
    for (std::size_t k = 0; k < count; ++k) {
      const entry& e = entries_[base + k];
      pending& p = work[k];
      p.skip = false;
      p.ip.reset();
      if (type_of(e) == indicator_type::ip) {
        p.ip = parse_ip_prefix(value_of(e));
        if (!p.ip) {
          p.skip = true;  // cannot happen for values the loaders wrote
          continue;
        }
        p.h = hash_ip(p.ip->address.data(), p.ip->length);
        __builtin_prefetch(&ip_index_[p.h & ip_mask_], 1);
      } else {
        p.h = hash_key(type_of(e), value_of(e));
        __builtin_prefetch(&strings_index_[p.h & strings_mask_], 1);
        __builtin_prefetch(&strings_filter_.words[(filter_hash(p.h) & strings_filter_.mask) >> 6],
                           1);
      }
    }
    for (std::size_t k = 0; k < count; ++k) {
      std::size_t id = base + k;
      const pending& p = work[k];
      if (p.skip) continue;
      const entry& e = entries_[id];
      indicator_type type = type_of(e);
      std::string_view value = value_of(e);
      const std::optional<ip_prefix>& ip = p.ip;
      std::uint64_t h = p.h;
      if (!warninglists_.empty() && warned(e, ip)) continue;

      auto& table = ip ? ip_index_ : strings_index_;
      std::uint64_t mask = ip ? ip_mask_ : strings_mask_;
      auto tag = static_cast<std::uint32_t>(h >> 32);
      bool duplicate = false;
      std::uint64_t i = h & mask;
      for (; table[i].id != 0; i = (i + 1) & mask) {
        if (table[i].tag != tag) continue;
        const entry& other = entries_[table[i].id - 1];
        if (other.context == e.context && type_of(other) == type && value_of(other) == value) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) {
        ++duplicates_;
        continue;
      }
      table[i] = slot{tag, static_cast<std::uint32_t>(id + 1)};
      ++indexed_;
      if (ip) {
        bool v4 = ip->is_v4();
        ++lengths[v4 ? 1 : 0][ip->length];
        std::uint8_t limit = filter_bits(v4);
        std::uint64_t fh = h;
        if (ip->length > limit) {
          std::uint8_t cut[16];
          detail::cut(ip->address.data(), limit, cut);
          fh = hash_ip(cut, ip->length);
        }
        filter_keys[v4 ? 1 : 0].push_back(filter_hash(fh) << 8 | ip->length);
        if (v4) {
          // The /24 blocks it covers: one for /24 and longer, 2^(24-n) for /n.
          const unsigned bits = ip->length - 96u;
          const std::uint32_t masked =
              bits == 0 ? 0 : detail::load_v4(ip->address.data()) & (~0u << (32 - bits));
          const std::uint64_t blocks = bits >= 24 ? 1 : std::uint64_t{1} << (24 - bits);
          v4_blocks.push_back(std::uint64_t{masked >> 8} << 32 | (blocks - 1));
        }
      } else {
        strings_filter_.set(filter_hash(h));
      }
    }
  }
  for (int family = 0; family < 2; ++family) {
    ip_lengths_[family].clear();
    std::size_t slot_of[129] = {};
    for (int length = 128; length >= 0; --length) {
      if (lengths[family][length] == 0) continue;
      slot_of[length] = ip_lengths_[family].size();
      ip_lengths_[family].push_back({static_cast<std::uint8_t>(length), bitmap{}});
      ip_lengths_[family].back().filter.size_for(lengths[family][length]);
    }
    // The filter hash lost its top 8 bits to the length; it only needs the low ones.
    for (std::uint64_t key : filter_keys[family]) {
      ip_lengths_[family][slot_of[key & 0xff]].filter.set(key >> 8);
    }
  }
  v4_gate_.clear();
  if (v4_blocks.size() >= v4_gate_from) {
    v4_gate_.assign((std::size_t{1} << 24) / 64, 0);
    for (std::uint64_t b : v4_blocks) {
      const std::uint64_t first = b >> 32;
      const std::uint64_t last = first + (b & 0xffffffffu);
      for (std::uint64_t block = first; block <= last;) {
        if ((block & 63) == 0 && last - block >= 63) {
          v4_gate_[block >> 6] = ~std::uint64_t{0};
          block += 64;
        } else {
          v4_gate_[block >> 6] |= std::uint64_t{1} << (block & 63);
          ++block;
        }
      }
    }
  }
  // The lookup maps are only needed while loading.
  context_ids_ = {};
  string_ids_ = {};
}

indicator_view store::get(indicator_id id) const {
  const entry& e = entries_[id];
  const packed_context& c = contexts_[e.context];
  indicator_view v;
  v.id = id;
  v.type = type_of(e);
  v.value = value_of(e);
  v.ipv4 = v.type == indicator_type::ip && v.value.find(':') == std::string_view::npos;
  v.feed = string_at(c.feed);
  v.provider = string_at(c.provider);
  v.description = string_at(c.description);
  v.reference = string_at(c.reference);
  v.tags = string_at(c.tags);
  v.confidence = c.confidence;
  if (e.first_seen != unknown_time) v.first_seen = time::timestamp{e.first_seen};
  if (c.valid_from != unknown_time) v.valid_from = time::timestamp{c.valid_from};
  if (c.valid_until != open_end) v.valid_until = time::timestamp{c.valid_until};
  return v;
}

bool store::valid_at(indicator_id id, std::optional<time::timestamp> time) const {
  if (!time) return true;
  const packed_context& c = contexts_[entries_[id].context];
  // STIX: valid_from inclusive, valid_until exclusive.
  return time->ns >= c.valid_from && time->ns < c.valid_until;
}

std::size_t store::memory_bytes() const {
  return entries_.capacity() * sizeof(entry) + values_.capacity() +
         contexts_.capacity() * sizeof(packed_context) + strings_.capacity() +
         (strings_index_.capacity() + ip_index_.capacity()) * sizeof(slot) +
         strings_filter_.words.capacity() * 8 + v4_gate_.capacity() * 8 + [this] {
           std::size_t bytes = 0;
           for (const auto& family : ip_lengths_) {
             for (const auto& p : family) bytes += p.filter.words.capacity() * 8;
           }
           return bytes;
         }();
}

}  // namespace mimamori::intel
