// field_index: the fields a rule set reads, found in one event with one pass
// over each object on their paths.
//
// A rule set reads hundreds of dotted paths (winlog.event_data.Image,
// winlog.user_data.Image, process.executable...), most of them absent from
// a given event. event::record::find walks from the root for each one and
// compares the wanted key with each key of each object on the way, so an
// event with a dozen keys under winlog.event_data costs a few thousand key
// comparisons per rule set. Here the paths are interned once into a tree of
// their components; for an event, each object on some path is walked once
// ("expanded"): every member whose key is a child of the tree is noted, the
// first occurrence of a key winning as simdjson's at_key finds it. A path
// is then a few array reads.
//
// find() returns exactly what event::record::find returns, flattened keys
// included ({"winlog.event_data.Image": ...} or {"winlog": {"event_data.Image":
// ...}}): where the nested route fails, a level's object is asked for the
// rest of the path as one key, and only if that object holds a key with a
// dot at all (noted while expanding it), which is rare, so the usual cost
// of an absent path is nothing beyond the expansions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

namespace mimamori::sigma {

class field_index {
 public:
  field_index();
  // Interns a dotted path; returns its id (the same id for the same path).
  // Between events only: reset() comes before the next find().
  std::uint32_t add(std::string_view path);
  [[nodiscard]] std::size_t size() const { return paths_.size(); }

  // Starts an event: what was found for the previous one is forgotten.
  // `root` must stay valid until the next reset().
  void reset(simdjson::dom::element root);
  // What event::record(text, root).find(path) returns for path `id`.
  std::optional<simdjson::dom::element> find(std::uint32_t id);
  // Whether find(id) is an object holding a key with a space in it.
  bool has_spaced_key(std::uint32_t id);

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr std::uint32_t none = 0xFFFFFFFF;
  struct slot {
    std::uint32_t tag = 0;  // the child's name's hash >> 32
    std::uint32_t child = none;
  };
  struct node {
    std::uint32_t parent = 0;
    std::string name;
    // The name's words as inspect() reads them (every byte of a name up to
    // 16 bytes long): a key is compared with the name through them, and
    // only a longer name's middle byte by byte.
    std::uint64_t name_a = 0, name_b = 0;
    std::vector<std::uint32_t> children;
    // The children by name: open addressing on inspect()'s hash, a power
    // of two long, `none` where free (built by reset() after add()); the
    // hash's top half beside each child spares comparing most names that
    // are not the child's.
    std::vector<slot> table;
    // Per event (valid when generation == the index's generation).
    std::uint32_t generation = 0;
    std::uint32_t expanded = 0;  // the generation it was expanded in
    bool present = false;
    bool dotted = false;  // expanded: some key holds a '.'
    bool spaced = false;  // expanded: some key holds a ' '
    simdjson::dom::element element;
  };
  struct path {
    std::string text;
    std::vector<std::uint32_t> nodes;   // one per component
    std::vector<std::uint32_t> starts;  // where each component starts in text
  };

  // What expand() needs of each key, from one read of it.
  struct key_facts {
    std::uint64_t hash = 0;
    std::uint64_t a = 0, b = 0;  // the words the hash is made of
    bool dot = false;    // it holds a '.'
    bool space = false;  // it holds a ' '
  };
  static key_facts inspect(std::string_view key);
  // n's child named `name` (whose inspect() facts are `facts`), or none.
  [[nodiscard]] std::uint32_t child(const node& n, std::string_view name,
                                    const key_facts& facts) const;
  void build_tables();
  node& resolve(std::uint32_t id);
  void expand(node& n);
  std::optional<simdjson::dom::element> find_from(const path& p, std::size_t level);
  // The node find(id) returns the element of, when it comes by the nested
  // route (no flattened key on the way); nullopt otherwise.
  std::optional<std::uint32_t> nested_node(std::uint32_t id);

  std::vector<node> nodes_;
  std::vector<path> paths_;
  std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> path_ids_;
  std::uint32_t generation_ = 0;
  bool tables_ready_ = true;
};

}  // namespace mimamori::sigma
