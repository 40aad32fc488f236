#include "config/yaml_documents.hpp"

#include <yaml.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace mimamori::config {
namespace detail {
struct node_access;
// A key compared with the keys of a map without copying them.
struct key_view {
  std::string_view text;
  bool operator==(const key_view& other) const { return text == other.text; }
};
}  // namespace detail
}  // namespace mimamori::config

// How yaml-cpp's map lookup reads a key of a map as a key_view: as it reads
// it as a std::string (a scalar node only), by reference.
template <>
struct YAML::convert<mimamori::config::detail::key_view> {
  static bool decode(const Node& node, mimamori::config::detail::key_view& out) {
    if (!node.IsScalar()) return false;
    out.text = node.Scalar();
    return true;
  }
};

// YAML::Node's constructor from a detail::node is private; yaml-cpp's own
// loader (NodeBuilder) and its as_if<> conversions are its friends. This
// specialisation of as_if for a type of ours is the one door through which
// a tree built here gets the marks yaml-cpp's loader would give it, and
// through which member() looks a key up as the const operator[] does.
template <>
struct YAML::as_if<mimamori::config::detail::node_access, void> {
  static Node wrap(YAML::detail::node& node, const YAML::detail::shared_memory_holder& memory) {
    return Node(node, memory);
  }
  // Node::operator[](key) const, step by step.
  static Node member(const Node& node, std::string_view key) {
    node.EnsureNodeExists();
    if (node.Type() == NodeType::Scalar) return node[std::string(key)];  // BadSubscript, as yaml-cpp
    YAML::detail::node* value = static_cast<const YAML::detail::node&>(*node.m_pNode)
                                    .get(mimamori::config::detail::key_view{key}, node.m_pMemory);
    if (value == nullptr) return Node(Node::ZombieNode, std::string(key));
    return Node(*value, node.m_pMemory);
  }
};

namespace mimamori::config {
namespace {

using access = YAML::as_if<detail::node_access, void>;

YAML::Mark mark_of(const yaml_mark_t& m) {
  YAML::Mark mark;
  mark.pos = static_cast<int>(m.index);
  mark.line = static_cast<int>(m.line);
  mark.column = static_cast<int>(m.column);
  return mark;
}

// The mark of a byte offset (libyaml's reader errors give only that).
YAML::Mark mark_at(std::string_view text, std::size_t offset) {
  YAML::Mark mark;
  mark.pos = static_cast<int>(offset);
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++mark.line;
      mark.column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++mark.column;  // a character, not a byte, as libyaml counts
    }
  }
  return mark;
}

bool null_text(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// One libyaml parser over a text, owned.
class event_source {
 public:
  explicit event_source(std::string_view text) : text_(text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~event_source() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  event_source(const event_source&) = delete;
  event_source& operator=(const event_source&) = delete;

  // The next event (valid until the next call), or YAML::ParserException.
  const yaml_event_t& next() {
    if (has_event_) {
      yaml_event_delete(&event_);
      has_event_ = false;
    }
    if (yaml_parser_parse(&parser_, &event_) == 0) throw error();
    has_event_ = true;
    return event_;
  }

 private:
  YAML::ParserException error() const {
    std::string what = parser_.problem != nullptr ? parser_.problem : "not valid YAML";
    if (parser_.error == YAML_READER_ERROR) {
      return YAML::ParserException(mark_at(text_, parser_.problem_offset), what);
    }
    const yaml_mark_t& at = parser_.problem_mark;
    if (char_at(at) == ',' && (parser_.context == nullptr ||
                               !std::string_view(parser_.context).starts_with("while parsing a flow"))) {
      // A stray ',': libyaml says only that no node or key is there.
      return YAML::ParserException(mark_of(at), "',' outside a flow collection ([...] or {...})");
    }
    if (parser_.context != nullptr &&
        (parser_.context_mark.line != at.line || parser_.context_mark.column != at.column)) {
      what += std::string(" (") + parser_.context + " that starts at line " +
              std::to_string(parser_.context_mark.line + 1) + ", column " +
              std::to_string(parser_.context_mark.column + 1) + ")";
    }
    return YAML::ParserException(mark_of(at), what);
  }

  // The byte at a mark (libyaml counts columns in characters), or '\0'.
  char char_at(const yaml_mark_t& m) const {
    std::size_t at = 0;
    for (std::size_t line = 0; line < m.line; ++line) {
      at = text_.find('\n', at);
      if (at == std::string_view::npos) return '\0';
      ++at;
    }
    for (std::size_t column = 0; at < text_.size(); ++at) {
      if ((static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) continue;
      if (column++ == m.column) return text_[at];
    }
    return '\0';
  }

  std::string_view text_;
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool has_event_ = false;
};

// Builds one document from its events as yaml-cpp's NodeBuilder does.
class document_builder {
 public:
  // Reads the events after DOCUMENT-START up to DOCUMENT-END.
  YAML::Node build(event_source& events) {
    for (;;) {
      const yaml_event_t& e = events.next();
      switch (e.type) {
        case YAML_DOCUMENT_END_EVENT:
          if (root_ == nullptr) return YAML::Node();
          return access::wrap(*root_, memory_);
        case YAML_SCALAR_EVENT: {
          const auto& s = e.data.scalar;
          const std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
          const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
          YAML::detail::node& n = push(e.start_mark);
          if (s.tag == nullptr && plain && null_text(value)) {
            n.set_null();
          } else {
            n.set_scalar(std::string(value));
            n.set_tag(tag_of(s.tag, plain ? "?" : "!"));
          }
          anchor(s.anchor, n);
          pop();
          break;
        }
        case YAML_SEQUENCE_START_EVENT: {
          const auto& q = e.data.sequence_start;
          open(e.start_mark, YAML::NodeType::Sequence, tag_of(q.tag, "?"),
               q.style == YAML_FLOW_SEQUENCE_STYLE, q.anchor);
          break;
        }
        case YAML_MAPPING_START_EVENT: {
          const auto& m = e.data.mapping_start;
          open(e.start_mark, YAML::NodeType::Map, tag_of(m.tag, "?"),
               m.style == YAML_FLOW_MAPPING_STYLE, m.anchor);
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          close();
          break;
        case YAML_ALIAS_EVENT: {
          const std::string name(reinterpret_cast<const char*>(e.data.alias.anchor));
          const auto it = anchors_.find(name);
          if (it == anchors_.end()) {
            throw YAML::ParserException(
                mark_of(e.start_mark),
                "alias *" + name +
                    (open_anchors_.contains(name) ? " refers to a collection that contains it"
                                                  : " refers to no anchor before it"));
          }
          // Each alias repeats the whole anchored node for whoever walks
          // the tree: a few lines of nested aliases could make a walk of
          // billions of nodes.
          aliased_ += it->second.size;
          if (aliased_ > yaml_max_aliased_nodes) {
            throw YAML::ParserException(mark_of(e.start_mark),
                                        "aliases repeat more than " +
                                            std::to_string(yaml_max_aliased_nodes) + " nodes");
          }
          attach(*it->second.node);
          stack_.back().size = it->second.size;
          pop();
          break;
        }
        default:
          throw YAML::ParserException(mark_of(e.start_mark), "unexpected YAML event");
      }
    }
  }

 private:
  static std::string tag_of(const yaml_char_t* tag, const char* none) {
    return tag != nullptr ? std::string(reinterpret_cast<const char*>(tag)) : std::string(none);
  }

  YAML::detail::node& push(const yaml_mark_t& mark) {
    YAML::detail::node& n = memory_->create_node();
    n.set_mark(mark_of(mark));
    attach(n);
    return n;
  }
  // As NodeBuilder::Push(node): a node under a map is its key first, then
  // its value.
  void attach(YAML::detail::node& n) {
    const bool needs_key = !stack_.empty() && stack_.back().node->type() == YAML::NodeType::Map &&
                           keys_.size() < map_depth_;
    stack_.push_back({&n, {}, 1});
    if (needs_key) keys_.push_back({&n, false});
  }
  void open(const yaml_mark_t& mark, YAML::NodeType::value type, const std::string& tag, bool flow,
            const yaml_char_t* anchor_name) {
    if (static_cast<int>(stack_.size()) >= yaml_max_depth) {
      throw YAML::ParserException(mark_of(mark), "collections nested more than " +
                                                     std::to_string(yaml_max_depth) + " deep");
    }
    YAML::detail::node& n = push(mark);
    n.set_type(type);
    n.set_tag(tag);
    n.set_style(flow ? YAML::EmitterStyle::Flow : YAML::EmitterStyle::Block);
    if (type == YAML::NodeType::Map) ++map_depth_;
    if (anchor_name != nullptr) {
      // Registered when the collection closes: an alias inside it would
      // make a cycle, which the walkers of these trees cannot follow.
      stack_.back().anchor = reinterpret_cast<const char*>(anchor_name);
      open_anchors_.insert(stack_.back().anchor);
    }
  }
  void close() {
    if (stack_.back().node->type() == YAML::NodeType::Map) --map_depth_;
    if (!stack_.back().anchor.empty()) {
      open_anchors_.erase(open_anchors_.find(stack_.back().anchor));
      anchors_[stack_.back().anchor] = {stack_.back().node, stack_.back().size};
    }
    pop();
  }
  void anchor(const yaml_char_t* name, YAML::detail::node& n) {
    if (name != nullptr) anchors_[reinterpret_cast<const char*>(name)] = {&n, 1};
  }
  // As NodeBuilder::Pop(): the finished node joins its collection.
  void pop() {
    if (stack_.size() == 1) {
      root_ = stack_.front().node;
      stack_.pop_back();
      return;
    }
    YAML::detail::node& n = *stack_.back().node;
    const std::uint64_t size = stack_.back().size;
    stack_.pop_back();
    stack_.back().size += size;  // not past yaml_max_aliased_nodes + the text's own nodes
    YAML::detail::node& collection = *stack_.back().node;
    if (collection.type() == YAML::NodeType::Sequence) {
      collection.push_back(n, memory_);
    } else {
      auto& [key, has_value] = keys_.back();
      if (has_value) {
        collection.insert(*key, n, memory_);
        keys_.pop_back();
      } else {
        has_value = true;
      }
    }
  }

  struct open_node {
    YAML::detail::node* node;
    std::string anchor;     // a collection's anchor ("" for none), registered at its end
    std::uint64_t size = 1;  // nodes a walk of it visits, through aliases too
  };
  struct anchored {
    YAML::detail::node* node;
    std::uint64_t size;
  };
  YAML::detail::shared_memory_holder memory_ = std::make_shared<YAML::detail::memory_holder>();
  YAML::detail::node* root_ = nullptr;
  std::vector<open_node> stack_;
  std::vector<std::pair<YAML::detail::node*, bool>> keys_;  // a key, and whether its value began
  std::size_t map_depth_ = 0;
  std::unordered_map<std::string, anchored> anchors_;
  std::uint64_t aliased_ = 0;  // nodes repeated through aliases
  std::unordered_multiset<std::string> open_anchors_;
};

// The documents of `text`, at most `limit` of them.
std::vector<YAML::Node> load(std::string_view text, std::size_t limit) {
  std::vector<YAML::Node> docs;
  event_source events(text);
  for (;;) {
    const yaml_event_t& e = events.next();
    if (e.type == YAML_STREAM_END_EVENT) break;
    if (e.type != YAML_DOCUMENT_START_EVENT) continue;  // STREAM-START
    docs.push_back(document_builder().build(events));
    if (docs.size() == limit) break;
  }
  return docs;
}

}  // namespace

std::vector<YAML::Node> load_all_documents(std::string_view text) {
  return load(text, static_cast<std::size_t>(-1));
}

YAML::Node load_document(std::string_view text) {
  std::vector<YAML::Node> docs = load(text, 1);
  return docs.empty() ? YAML::Node() : docs.front();
}

YAML::Node load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw YAML::BadFile(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw YAML::BadFile(path);
  return load_document(text.str());
}

YAML::Node member(const YAML::Node& node, std::string_view key) { return access::member(node, key); }

}  // namespace mimamori::config
