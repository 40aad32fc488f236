// The Sigma rule compiler: YAML documents to rules and their node trees
// (ruleset.hpp); loading files and directories.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"
#include "sigma/ruleset.hpp"

namespace mimamori::sigma {

using config::member;

namespace {

struct unsupported_error {
  YAML::Mark mark;
  std::string category;
  std::string reason;
};

[[noreturn]] void refuse(const YAML::Node& at, std::string category, std::string reason) {
  throw unsupported_error{at.Mark(), std::move(category), std::move(reason)};
}

std::string scalar_or_empty(const YAML::Node& n) {
  return n && n.IsScalar() ? n.Scalar() : std::string();
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence()) {
    for (const auto& item : n) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

constexpr const char* known_modifiers[] = {
    "contains", "startswith", "endswith", "all",  "re",     "i",        "m",        "s",
    "cidr",     "base64",     "base64offset", "windash", "wide", "utf16le", "utf16be", "utf16",
    "exists",   "expand",     "fieldref", "gt",   "gte",    "lt",       "lte",      "cased"};

// Condition tokens: words and parentheses.
std::vector<std::string> tokenize(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back(std::move(word));
    word.clear();
  };
  for (char c : text) {
    if (c == '(' || c == ')' || c == '|') {
      flush();
      out.emplace_back(1, c);
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else {
      word.push_back(c);
    }
  }
  flush();
  return out;
}

std::string lower(std::string_view s) {
  std::string out;
  ascii_lower(s, out);
  return out;
}

}  // namespace

// Turns one YAML document into a rule and its node tree, or throws
// unsupported_error naming the node at fault.
class rule_compiler {
 public:
  rule_compiler(ruleset& set, const YAML::Node& doc) : set_(set), doc_(doc) {}

  std::uint32_t compile(rule& r) {
    if (!doc_.IsMap()) refuse(doc_, "not a Sigma rule", "not a Sigma rule: the document is not a map");
    if (member(doc_, "action")) refuse(member(doc_, "action"), "rule collection", "rule collections (action:) are not supported");
    if (member(doc_, "correlation")) {
      refuse(member(doc_, "correlation"), "correlation rule", "correlation rules are not supported yet");
    }
    if (member(doc_, "filter")) refuse(member(doc_, "filter"), "filter rule", "Sigma filters are not supported yet");
    const YAML::Node detection = member(doc_, "detection");
    if (!detection) refuse(doc_, "not a Sigma rule", "not a Sigma rule: no detection");
    if (!detection.IsMap()) refuse(detection, "bad detection", "detection must be a map");
    r.title = scalar_or_empty(member(doc_, "title"));
    if (r.title.empty()) refuse(doc_, "bad rule", "a rule needs a title");
    r.id = scalar_or_empty(member(doc_, "id"));
    r.name = scalar_or_empty(member(doc_, "name"));
    r.status = scalar_or_empty(member(doc_, "status"));
    r.level = scalar_or_empty(member(doc_, "level"));
    r.description = scalar_or_empty(member(doc_, "description"));
    r.author = scalar_or_empty(member(doc_, "author"));
    r.date = scalar_or_empty(member(doc_, "date"));
    r.modified = scalar_or_empty(member(doc_, "modified"));
    r.references = strings(member(doc_, "references"));
    r.tags = strings(member(doc_, "tags"));
    r.severity = severity_of_level(r.level);
    read_attack_tags(r);
    if (const YAML::Node ls = member(doc_, "logsource"); ls && ls.IsMap()) {
      r.source.product = lower(scalar_or_empty(member(ls, "product")));
      r.source.category = lower(scalar_or_empty(member(ls, "category")));
      r.source.service = lower(scalar_or_empty(member(ls, "service")));
    } else {
      refuse(doc_, "bad rule", "a rule needs a logsource map");
    }
    product_ = r.source.product;
    detection_ = detection;
    for (const auto& entry : detection) {
      const std::string name = entry.first.Scalar();
      if (name == "condition" || name == "timeframe") continue;
      names_.push_back(name);
    }
    const YAML::Node condition = member(detection, "condition");
    if (!condition) refuse(detection, "bad detection", "detection has no condition");
    std::vector<std::uint32_t> alternatives;
    std::vector<YAML::Node> conditions;
    if (condition.IsSequence()) {
      for (const auto& c : condition) conditions.push_back(c);
    } else {
      conditions.push_back(condition);
    }
    for (const YAML::Node& c : conditions) {
      if (!c.IsScalar()) refuse(c, "bad condition", "a condition must be a string");
      condition_node_ = c;
      tokens_ = tokenize(c.Scalar());
      at_ = 0;
      if (tokens_.empty()) refuse(c, "bad condition", "empty condition");
      alternatives.push_back(expression());
      if (at_ < tokens_.size()) {
        if (tokens_[at_] == "|") {
          refuse(c, "aggregation in condition",
                 "aggregations in conditions ('| count() ...') are not supported; use a correlation rule");
        }
        refuse(c, "bad condition", "unexpected '" + tokens_[at_] + "' in condition");
      }
    }
    return alternatives.size() == 1 ? alternatives[0] : set_.add_node(ruleset::op::any, alternatives);
  }

 private:
  // expression := term ('or' term)*
  std::uint32_t expression() {
    std::vector<std::uint32_t> terms{conjunction()};
    while (at_ < tokens_.size() && lower(tokens_[at_]) == "or") {
      ++at_;
      terms.push_back(conjunction());
    }
    return terms.size() == 1 ? terms[0] : set_.add_node(ruleset::op::any, terms);
  }
  std::uint32_t conjunction() {
    std::vector<std::uint32_t> factors{negation()};
    while (at_ < tokens_.size() && lower(tokens_[at_]) == "and") {
      ++at_;
      factors.push_back(negation());
    }
    return factors.size() == 1 ? factors[0] : set_.add_node(ruleset::op::all, factors);
  }
  std::uint32_t negation() {
    if (at_ < tokens_.size() && lower(tokens_[at_]) == "not") {
      ++at_;
      return set_.add_node(ruleset::op::none, {negation()});
    }
    return primary();
  }
  std::uint32_t primary() {
    if (at_ >= tokens_.size()) refuse(condition_node_, "bad condition", "condition ends too early");
    const std::string token = tokens_[at_++];
    if (token == "(") {
      const std::uint32_t inner = expression();
      if (at_ >= tokens_.size() || tokens_[at_] != ")") {
        refuse(condition_node_, "bad condition", "missing ')' in condition");
      }
      ++at_;
      return inner;
    }
    if (token == ")" || token == "|") {
      refuse(condition_node_, token == "|" ? "aggregation in condition" : "bad condition",
             "unexpected '" + token + "' in condition");
    }
    const std::string word = lower(token);
    if (at_ < tokens_.size() && lower(tokens_[at_]) == "of") {
      ++at_;
      if (at_ >= tokens_.size()) refuse(condition_node_, "bad condition", "'of' needs a name pattern");
      const std::string target = tokens_[at_++];
      std::vector<std::uint32_t> chosen;
      if (lower(target) == "them") {
        for (const std::string& name : names_) {
          if (!name.starts_with("_")) chosen.push_back(selection(name));
        }
      } else {
        const std::string pattern = parse_sigma_string(target);
        for (const std::string& name : names_) {
          if (glob_match(pattern, name)) chosen.push_back(selection(name));
        }
      }
      if (chosen.empty()) {
        refuse(condition_node_, "bad condition", "no detection name matches '" + target + "'");
      }
      if (word == "all") return set_.add_node(ruleset::op::all, chosen);
      if (word == "1" || word == "any") return set_.add_node(ruleset::op::any, chosen);
      char* end = nullptr;
      const long n = std::strtol(word.c_str(), &end, 10);
      if (end == word.c_str() || *end != '\0' || n < 1) {
        refuse(condition_node_, "bad condition", "'" + token + " of' is not a quantifier");
      }
      return set_.add_node(ruleset::op::at_least, chosen, static_cast<std::uint32_t>(n));
    }
    return selection(token);
  }

  std::uint32_t selection(const std::string& name) {
    if (auto known = selections_.find(name); known != selections_.end()) return known->second;
    const YAML::Node body = detection_[name];
    if (!body || name == "condition" || name == "timeframe") {
      refuse(condition_node_, "bad condition", "condition names '" + name + "', which detection does not define");
    }
    std::uint32_t id = 0;
    if (body.IsMap()) {
      id = field_map(body);
    } else if (body.IsSequence()) {
      std::vector<std::uint32_t> any;
      for (const auto& item : body) {
        if (item.IsMap()) {
          any.push_back(field_map(item));
        } else if (item.IsScalar()) {
          any.push_back(keyword(item));
        } else {
          refuse(item, "bad detection", "a selection list holds maps or values");
        }
      }
      if (any.empty()) refuse(body, "bad detection", "empty selection '" + name + "'");
      id = any.size() == 1 ? any[0] : set_.add_node(ruleset::op::any, any);
    } else if (body.IsScalar()) {
      id = keyword(body);
    } else {
      refuse(body, "bad detection", "empty selection '" + name + "'");
    }
    selections_[name] = id;
    return id;
  }

  std::uint32_t keyword(const YAML::Node& value) {
    std::string v = parse_sigma_string(value.Scalar());
    if (v.empty() || v.front() != wildcard_any) v.insert(v.begin(), wildcard_any);
    if (v.back() != wildcard_any) v.push_back(wildcard_any);
    ruleset::test t;
    t.kind = ruleset::test_kind::keyword;
    t.value = matcher::text(v, false);
    return set_.add_node(ruleset::op::test, {}, set_.intern_test(std::move(t)));
  }

  std::uint32_t field_map(const YAML::Node& map) {
    std::vector<std::uint32_t> all;
    for (const auto& entry : map) all.push_back(field_item(entry.first, entry.second));
    if (all.empty()) refuse(map, "bad detection", "empty field map");
    return all.size() == 1 ? all[0] : set_.add_node(ruleset::op::all, all);
  }

  struct modifiers {
    std::vector<std::string> ordered;  // value transformations, as written
    bool all = false, cased = false, re = false, i = false, m = false, s = false;
    bool cidr = false, exists = false, expand = false, fieldref = false;
    match_kind comparison = match_kind::equals;
    bool compare = false;
  };

  std::uint32_t field_item(const YAML::Node& key, const YAML::Node& value) {
    const std::string spec = key.Scalar();
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
      const std::size_t bar = spec.find('|', start);
      parts.push_back(spec.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    const std::string name = parts[0];
    modifiers mods;
    for (std::size_t k = 1; k < parts.size(); ++k) {
      const std::string mod = lower(parts[k]);
      if (mod == "all") mods.all = true;
      else if (mod == "cased") mods.cased = true;
      else if (mod == "re") mods.re = true;
      else if (mod == "i" || mod == "m" || mod == "s") {
        if (!mods.re) refuse(key, "bad modifier", "modifier '" + mod + "' only follows 're'");
        (mod == "i" ? mods.i : mod == "m" ? mods.m : mods.s) = true;
      } else if (mod == "cidr") mods.cidr = true;
      else if (mod == "exists") mods.exists = true;
      else if (mod == "expand") mods.expand = true;
      else if (mod == "fieldref") mods.fieldref = true;
      else if (mod == "gt" || mod == "gte" || mod == "lt" || mod == "lte") {
        mods.compare = true;
        mods.comparison = mod == "gt" ? match_kind::greater : mod == "gte" ? match_kind::greater_equal
                          : mod == "lt" ? match_kind::less : match_kind::less_equal;
      } else if (mod == "contains" || mod == "startswith" || mod == "endswith" || mod == "base64" ||
                 mod == "base64offset" || mod == "windash" || mod == "wide" || mod == "utf16le" ||
                 mod == "utf16be" || mod == "utf16") {
        mods.ordered.push_back(mod);
      } else {
        std::string hint;
        std::size_t best = 3;
        for (const char* known : known_modifiers) {
          const std::size_t d = edit_distance(mod, known);
          if (d < best) {
            best = d;
            hint = std::string(" (did you mean '") + known + "'?)";
          }
        }
        refuse(key, "unknown modifier", "unknown modifier '" + parts[k] + "'" + hint);
      }
    }
    std::int32_t field = -1;
    if (!name.empty()) {
      field = static_cast<std::int32_t>(
          set_.intern_field(set_.map().paths(product_, name), set_.map().spaced_parent(product_, name)));
    }

    std::vector<YAML::Node> values;
    if (value.IsSequence()) {
      for (const auto& item : value) values.push_back(item);
      if (values.empty()) refuse(value, "bad detection", "'" + spec + "' has an empty value list");
    } else if (value.IsMap()) {
      refuse(value, "bad detection", "'" + spec + "' has a map as its value");
    } else {
      values.push_back(value);
    }
    std::vector<std::uint32_t> per_value;
    for (const YAML::Node& v : values) per_value.push_back(one_value(field, mods, v, spec));
    if (per_value.size() == 1) return per_value[0];
    return set_.add_node(mods.all ? ruleset::op::all : ruleset::op::any, per_value);
  }

  std::uint32_t leaf(ruleset::test t) {
    return set_.add_node(ruleset::op::test, {}, set_.intern_test(std::move(t)));
  }

  std::uint32_t one_value(std::int32_t field, const modifiers& mods, const YAML::Node& v,
                          const std::string& spec) {
    ruleset::test t;
    t.field = field;
    if (field < 0) t.kind = ruleset::test_kind::keyword;
    if (v.IsNull()) {
      if (field < 0) refuse(v, "bad detection", "a keyword cannot be null");
      t.kind = ruleset::test_kind::null;
      return leaf(std::move(t));
    }
    if (!v.IsScalar()) refuse(v, "bad detection", "'" + spec + "' values must be scalars");
    const std::string& text = v.Scalar();
    if (mods.exists) {
      const std::string b = lower(text);
      if (b != "true" && b != "false") refuse(v, "bad modifier", "'exists' takes true or false");
      if (field < 0) refuse(v, "bad modifier", "'exists' needs a field");
      t.kind = b == "true" ? ruleset::test_kind::exists : ruleset::test_kind::missing;
      return leaf(std::move(t));
    }
    if (mods.fieldref) {
      if (field < 0) refuse(v, "bad modifier", "'fieldref' needs a field");
      t.kind = ruleset::test_kind::field_ref;
      t.other = static_cast<std::int32_t>(
          set_.intern_field(set_.map().paths(product_, text), set_.map().spaced_parent(product_, text)));
      std::string shape = "x";
      for (const std::string& mod : mods.ordered) {
        if (mod == "contains") shape = std::string(1, wildcard_any) + shape + wildcard_any;
        else if (mod == "startswith") shape += wildcard_any;
        else if (mod == "endswith") shape.insert(shape.begin(), wildcard_any);
        else refuse(v, "bad modifier", "'" + mod + "' cannot follow 'fieldref'");
      }
      t.value = matcher::text(shape, mods.cased);
      return leaf(std::move(t));
    }
    if (mods.re) {
      std::string error;
      auto m = matcher::regex(text, mods.i, mods.m, mods.s, error);
      if (!m) refuse(v, "regex refused by RE2", "regex refused by RE2: " + error);
      t.value = std::move(*m);
      return leaf(std::move(t));
    }
    if (mods.cidr) {
      auto net = parse_cidr(text);
      if (!net) refuse(v, "bad value", "'" + text + "' is not a CIDR network");
      t.value = matcher::cidr(*net);
      return leaf(std::move(t));
    }
    if (mods.compare) {
      char* end = nullptr;
      const double n = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0') refuse(v, "bad value", "'" + text + "' is not a number");
      t.value = matcher::number(mods.comparison, n);
      return leaf(std::move(t));
    }
    // Strings: placeholders first, then the transformations in order.
    std::vector<std::string> raw{text};
    if (mods.expand) raw = expand(v, text);
    std::vector<std::uint32_t> variants;
    for (const std::string& r : raw) {
      std::vector<std::string> current{parse_sigma_string(r)};
      for (const std::string& mod : mods.ordered) {
        std::vector<std::string> next;
        for (std::string& value : current) {
          transform_result out;
          if (mod == "contains") {
            if (value.empty() || value.front() != wildcard_any) value.insert(value.begin(), wildcard_any);
            if (value.back() != wildcard_any) value.push_back(wildcard_any);
            out.values.push_back(value);
          } else if (mod == "startswith") {
            if (value.empty() || value.back() != wildcard_any) value.push_back(wildcard_any);
            out.values.push_back(value);
          } else if (mod == "endswith") {
            if (value.empty() || value.front() != wildcard_any) value.insert(value.begin(), wildcard_any);
            out.values.push_back(value);
          } else if (mod == "base64") {
            out = to_base64(value);
          } else if (mod == "base64offset") {
            out = to_base64_offsets(value);
          } else if (mod == "windash") {
            out = windash_variants(value);
          } else if (mod == "wide" || mod == "utf16le") {
            out = to_utf16(value, false, false);
          } else if (mod == "utf16be") {
            out = to_utf16(value, true, false);
          } else {  // utf16
            out = to_utf16(value, false, true);
          }
          if (!out.error.empty()) refuse(v, "bad value", out.error);
          for (std::string& o : out.values) next.push_back(std::move(o));
        }
        current = std::move(next);
      }
      for (const std::string& value : current) {
        ruleset::test each = t;
        each.value = matcher::text(value, mods.cased);
        variants.push_back(leaf(std::move(each)));
      }
    }
    if (variants.size() == 1) return variants[0];
    return set_.add_node(ruleset::op::any, variants);
  }

  // %name% placeholders from the mapping's `placeholders`; each value of
  // each placeholder gives one variant.
  std::vector<std::string> expand(const YAML::Node& at, const std::string& text) {
    std::vector<std::string> out{""};
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t open = text.find('%', i);
      const std::size_t close = open == std::string::npos ? std::string::npos : text.find('%', open + 1);
      if (close == std::string::npos) {
        for (std::string& o : out) o += text.substr(i);
        break;
      }
      for (std::string& o : out) o += text.substr(i, open - i);
      const std::string name = text.substr(open + 1, close - open - 1);
      const std::vector<std::string>* values = set_.map().placeholder(name);
      if (values == nullptr || values->empty()) {
        refuse(at, "unresolved placeholder", "placeholder '%" + name + "%' has no values in the mapping");
      }
      std::vector<std::string> next;
      for (const std::string& o : out) {
        for (const std::string& value : *values) next.push_back(o + value);
      }
      out = std::move(next);
      i = close + 1;
    }
    return out;
  }

  ruleset& set_;
  const YAML::Node& doc_;
  YAML::Node detection_;
  YAML::Node condition_node_;
  std::string product_;
  std::vector<std::string> names_;
  std::map<std::string, std::uint32_t> selections_;
  std::vector<std::string> tokens_;
  std::size_t at_ = 0;
};

void ruleset::load(const std::string& path, load_report& report) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string ext = it->path().extension().string();
      if (ext == ".yml" || ext == ".yaml") files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) load_file(f, report);
    return;
  }
  if (!fs::exists(path, ec)) throw std::runtime_error(path + ": no such rule file or directory");
  load_file(path, report);
}

void ruleset::load_file(const std::string& path, load_report& report) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in.is_open()) text << in.rdbuf();
  if (!in.is_open() || in.bad()) {
    ++report.files;
    report.unsupported.push_back({path, 0, 0, "", "unreadable file", "cannot read the rule file"});
    return;
  }
  load_text(text.str(), path, report);
}

void ruleset::load_text(const std::string& text, const std::string& path, load_report& report) {
  ++report.files;
  std::vector<YAML::Node> docs;
  try {
    docs = config::load_all_documents(text);
  } catch (const YAML::Exception& e) {
    report.unsupported.push_back(
        {path, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax", "YAML: " + e.msg});
    return;
  }
  for (const YAML::Node& doc : docs) {
    if (!doc || doc.IsNull()) continue;
    // Correlations and filters: compiled later by sigma/correlation.cpp.
    if (doc.IsMap() && (member(doc, "correlation") || member(doc, "filter"))) {
      meta_.push_back({std::make_shared<const YAML::Node>(doc), path});
      continue;
    }
    load_document(doc, path, report);
  }
}

std::optional<std::uint32_t> ruleset::load_document(const YAML::Node& doc, const std::string& path,
                                                    load_report& report) {
  {
    rule r;
    r.file = path;
    r.line = doc.Mark().line + 1;
    const std::size_t nodes = nodes_.size(), edges = edges_.size();
    try {
      rule_compiler compiler(*this, doc);
      const std::uint32_t root = compiler.compile(r);
      if (!map_.select(r.source)) {
        std::string what = "logsource not mapped:";
        if (!r.source.product.empty()) what += " product=" + r.source.product;
        if (!r.source.category.empty()) what += " category=" + r.source.category;
        if (!r.source.service.empty()) what += " service=" + r.source.service;
        refuse(member(doc, "logsource"), "logsource not mapped", what);
      }
      add_rule(std::move(r), root);
      ++report.loaded;
      return static_cast<std::uint32_t>(rules_.size() - 1);
    } catch (const unsupported_error& e) {
      // The nodes of a refused rule are unreachable; drop them.
      nodes_.resize(nodes);
      edges_.resize(edges);
      std::string id = doc.IsMap() ? scalar_or_empty(member(doc, "id")) : std::string();
      report.unsupported.push_back({path, e.mark.line >= 0 ? e.mark.line + 1 : r.line,
                                    e.mark.column >= 0 ? e.mark.column + 1 : 0, id, e.category,
                                    e.reason});
    } catch (const YAML::Exception& e) {
      nodes_.resize(nodes);
      edges_.resize(edges);
      report.unsupported.push_back({path, e.mark.line + 1, e.mark.column + 1, "", "bad rule",
                                    "YAML: " + e.msg});
    }
  }
  return std::nullopt;
}

}  // namespace mimamori::sigma
