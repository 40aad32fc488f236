#include "event/patch.hpp"

#include <algorithm>
#include <cstring>

#include "ndjson/json_text.hpp"

namespace mimamori::event {

namespace {

const char* skip_space(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  return p;
}

// p is at the opening quote; returns past the closing quote. Jumps from
// quote to quote with memchr; a quote preceded by an odd number of
// backslashes is escaped.
const char* skip_string(const char* p, const char* end) {
  const char* from = p + 1;
  while (from < end) {
    const auto* q = static_cast<const char*>(std::memchr(from, '"', static_cast<std::size_t>(end - from)));
    if (q == nullptr) return end;
    std::size_t backslashes = 0;
    for (const char* b = q - 1; b > p && *b == '\\'; --b) ++backslashes;
    if (backslashes % 2 == 0) return q + 1;
    from = q + 1;
  }
  return end;
}

// p is at the first byte of a value; returns past its last byte.
const char* skip_value(const char* p, const char* end) {
  if (p >= end) return end;
  if (*p == '"') return skip_string(p, end);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p < end) {
      char c = *p;
      if (c == '"') {
        p = skip_string(p, end);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return p + 1;
      }
      ++p;
    }
    return end;
  }
  while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
         *p != '\n' && *p != '\r') {
    ++p;
  }
  return p;
}

bool is_object(const char* begin, const char* end) {
  begin = skip_space(begin, end);
  return begin < end && *begin == '{';
}

}  // namespace

void patch::clear() {
  arena_.clear();
  ops_.clear();
}

void patch::add(std::string_view path, bool removes) {
  op o{};
  o.path_begin = static_cast<std::uint32_t>(arena_.size());
  arena_.append(path);
  o.path_end = static_cast<std::uint32_t>(arena_.size());
  o.value_begin = o.value_end = o.path_end;
  o.removes = removes;
  ops_.push_back(o);
}

void patch::end_value() { ops_.back().value_end = static_cast<std::uint32_t>(arena_.size()); }

void patch::set_string(std::string_view path, std::string_view value) {
  add(path, false);
  ndjson::append_string(arena_, value);
  end_value();
}

void patch::set_int(std::string_view path, std::int64_t value) {
  add(path, false);
  ndjson::append_int(arena_, value);
  end_value();
}

void patch::set_double(std::string_view path, double value) {
  add(path, false);
  ndjson::append_double(arena_, value);
  end_value();
}

void patch::set_bool(std::string_view path, bool value) {
  add(path, false);
  arena_.append(value ? "true" : "false");
  end_value();
}

void patch::set_raw(std::string_view path, std::string_view json) {
  add(path, false);
  arena_.append(json);
  end_value();
}

void patch::remove(std::string_view path) { add(path, true); }

std::size_t patch::segments(const op& o) const {
  std::string_view path(arena_.data() + o.path_begin, o.path_end - o.path_begin);
  return static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) + 1;
}

std::string_view patch::segment(const op& o, std::size_t depth) const {
  std::string_view path(arena_.data() + o.path_begin, o.path_end - o.path_begin);
  for (std::size_t i = 0; i < depth; ++i) {
    std::size_t dot = path.find('.');
    if (dot == std::string_view::npos) return {};
    path.remove_prefix(dot + 1);
  }
  return path.substr(0, path.find('.'));
}

void patch::apply(std::string_view original, std::string& out) const {
  if (ops_.empty()) {
    out.append(original);
    return;
  }
  // One scratch list per depth, sized before recursing so that no list moves.
  std::size_t depth = 0;
  for (const op& o : ops_) depth = std::max(depth, segments(o));
  if (scratch_.size() < depth + 2) scratch_.resize(depth + 2);
  auto& all = scratch_[0];
  all.clear();
  for (std::uint32_t i = 0; i < ops_.size(); ++i) all.push_back(i);
  apply_object(original, all, 0, out);
}

// Writes `"key":value` where value is the base (the original member's text,
// or a value set by a patch) with the patch's deeper changes applied.
void patch::write_member(std::string_view key, const char* base_begin, const char* base_end,
                         const std::vector<std::uint32_t>& ops, std::size_t depth,
                         std::string& out, bool new_key) const {
  out.push_back('"');
  // Keys of the original are JSON text already; keys the patch adds are not.
  if (new_key) {
    ndjson::append_escaped(out, key);
  } else {
    out.append(key);
  }
  out.append("\":");
  if (ops.empty()) {
    out.append(base_begin, base_end);
  } else if (base_begin != nullptr && is_object(base_begin, base_end)) {
    apply_object(std::string_view(base_begin, static_cast<std::size_t>(base_end - base_begin)),
                 ops, depth + 1, out);
  } else {
    apply_object("{}", ops, depth + 1, out);
  }
}

void patch::apply_object(std::string_view object, const std::vector<std::uint32_t>& ops,
                         std::size_t depth, std::string& out) const {
  auto& mine = scratch_[depth + 1];  // the ops that touch one key, at this depth

  // Which ops have been placed on a member of the original object.
  std::vector<bool> placed(ops.size(), false);

  // Gathers the ops on `key` and reduces them: the last op that ends at this
  // key gives the base; the deeper ops after it are applied onto the base.
  auto gather = [&](std::string_view key, const op** leaf) {
    mine.clear();
    *leaf = nullptr;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const op& o = ops_[ops[i]];
      if (segment(o, depth) != key) continue;
      placed[i] = true;
      if (segments(o) == depth + 1) {
        *leaf = &o;
        mine.clear();
      } else {
        mine.push_back(ops[i]);
      }
    }
  };

  const char* p = object.data();
  const char* end = p + object.size();
  p = skip_space(p, end);
  ++p;  // '{'
  out.push_back('{');
  bool first = true;
  auto comma = [&] {
    if (!first) out.push_back(',');
    first = false;
  };

  for (;;) {
    p = skip_space(p, end);
    if (p >= end || *p == '}') break;
    if (*p == ',') {
      ++p;
      continue;
    }
    const char* key_begin = p;
    const char* key_end = skip_string(p, end);
    std::string_view key(key_begin + 1, static_cast<std::size_t>(key_end - key_begin - 2));
    p = skip_space(key_end, end);
    ++p;  // ':'
    p = skip_space(p, end);
    const char* value_begin = p;
    const char* value_end = skip_value(p, end);
    p = value_end;

    const op* leaf = nullptr;
    gather(key, &leaf);
    if (leaf == nullptr && mine.empty()) {
      comma();
      out.append(key_begin, value_end);
      continue;
    }
    if (leaf != nullptr && leaf->removes && mine.empty()) continue;
    std::vector<std::uint32_t> deeper(mine);
    comma();
    if (leaf != nullptr && !leaf->removes) {
      write_member(key, arena_.data() + leaf->value_begin, arena_.data() + leaf->value_end,
                   deeper, depth, out);
    } else if (leaf != nullptr) {
      write_member(key, nullptr, nullptr, deeper, depth, out);
    } else {
      write_member(key, value_begin, value_end, deeper, depth, out);
    }
  }

  // Keys the object did not have, in the order the patch first names them.
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (placed[i]) continue;
    std::string_view key = segment(ops_[ops[i]], depth);
    const op* leaf = nullptr;
    gather(key, &leaf);
    bool sets_deeper = std::any_of(mine.begin(), mine.end(),
                                   [&](std::uint32_t k) { return !ops_[k].removes; });
    if ((leaf == nullptr || leaf->removes) && !sets_deeper) continue;  // nothing to create
    std::vector<std::uint32_t> deeper(mine);
    comma();
    if (leaf != nullptr && !leaf->removes) {
      write_member(key, arena_.data() + leaf->value_begin, arena_.data() + leaf->value_end,
                   deeper, depth, out, true);
    } else {
      write_member(key, nullptr, nullptr, deeper, depth, out, true);
    }
  }
  out.push_back('}');
}

}  // namespace mimamori::event
