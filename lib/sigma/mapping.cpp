#include "sigma/mapping.hpp"

#include <yaml-cpp/yaml.h>

#include "config/yaml_documents.hpp"
#include "sigma/pattern.hpp"

namespace mimamori::sigma {

using config::member;

namespace {

std::string where(const std::string& path, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.line < 0) return path;
  return path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// A scalar or a list of scalars as strings.
bool strings_of(const YAML::Node& node, std::vector<std::string>& out) {
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return true;
  }
  if (!node.IsSequence()) return false;
  for (const auto& item : node) {
    if (!item.IsScalar()) return false;
    out.push_back(item.Scalar());
  }
  return true;
}

}  // namespace

void mapping::load(const std::string& path, std::vector<std::string>& errors) {
  YAML::Node root;
  try {
    root = config::load_file(path);
  } catch (const YAML::BadFile&) {
    errors.push_back(path + ": cannot read the mapping file");
    return;
  } catch (const YAML::Exception& e) {
    errors.push_back(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": " + e.msg);
    return;
  }
  if (!root.IsMap()) {
    errors.push_back(path + ": a mapping file is a YAML map (fields, products, logsources)");
    return;
  }
  for (const auto& section : root) {
    const std::string name = section.first.Scalar();
    const YAML::Node& body = section.second;
    if (name == "fields" || name == "placeholders") {
      if (!body.IsMap()) {
        errors.push_back(where(path, body) + ": '" + name + "' must be a map");
        continue;
      }
      auto& target = name == "fields" ? fields_ : placeholders_;
      for (const auto& entry : body) {
        std::vector<std::string> values;
        if (!strings_of(entry.second, values)) {
          errors.push_back(where(path, entry.second) + ": '" + entry.first.Scalar() +
                           "' must be a string or a list of strings");
          continue;
        }
        target[entry.first.Scalar()] = std::move(values);
      }
    } else if (name == "products") {
      if (!body.IsMap()) {
        errors.push_back(where(path, body) + ": 'products' must be a map");
        continue;
      }
      for (const auto& product : body) {
        product_fields& p = products_[product.first.Scalar()];
        if (!product.second.IsMap()) {
          errors.push_back(where(path, product.second) + ": a product entry must be a map");
          continue;
        }
        if (member(product.second, "prefix")) {
          p.prefixes.clear();
          if (!strings_of(member(product.second, "prefix"), p.prefixes)) {
            errors.push_back(where(path, member(product.second, "prefix")) +
                             ": 'prefix' must be a string or a list of strings");
          }
        }
        if (member(product.second, "spaced_keys")) p.spaced_keys = member(product.second, "spaced_keys").as<bool>(false);
        if (const YAML::Node f = member(product.second, "fields"); f) {
          if (!f.IsMap()) {
            errors.push_back(where(path, f) + ": 'fields' must be a map");
            continue;
          }
          for (const auto& entry : f) {
            std::vector<std::string> values;
            if (!strings_of(entry.second, values)) {
              errors.push_back(where(path, entry.second) + ": '" + entry.first.Scalar() +
                               "' must be a string or a list of strings");
              continue;
            }
            p.fields[entry.first.Scalar()] = std::move(values);
          }
        }
      }
    } else if (name == "logsources") {
      if (!body.IsSequence()) {
        errors.push_back(where(path, body) + ": 'logsources' must be a list");
        continue;
      }
      for (const auto& entry : body) {
        if (!entry.IsMap() || !member(entry, "when") || !member(entry, "when").IsSequence()) {
          errors.push_back(where(path, entry) +
                           ": a logsource entry needs product/category/service and a 'when' list");
          continue;
        }
        logsource source;
        if (member(entry, "product")) source.product = member(entry, "product").Scalar();
        if (member(entry, "category")) source.category = member(entry, "category").Scalar();
        if (member(entry, "service")) source.service = member(entry, "service").Scalar();
        std::vector<conjunction> alternatives;
        bool ok = true;
        for (const auto& alternative : member(entry, "when")) {
          if (!alternative.IsMap()) {
            errors.push_back(where(path, alternative) + ": a 'when' alternative must be a map");
            ok = false;
            break;
          }
          conjunction all;
          for (const auto& test : alternative) {
            field_test t{test.first.Scalar(), {}};
            std::vector<std::string> values;
            if (!strings_of(test.second, values)) {
              errors.push_back(where(path, test.second) + ": '" + t.field +
                               "' must be a string or a list of strings");
              ok = false;
              continue;
            }
            for (const std::string& v : values) {
              std::string lowered;
              ascii_lower(v, lowered);
              t.values.push_back(std::move(lowered));
            }
            all.push_back(std::move(t));
          }
          alternatives.push_back(std::move(all));
        }
        if (ok) logsources_[source.key()] = std::move(alternatives);
      }
    } else {
      errors.push_back(where(path, section.first) + ": unknown section '" + name +
                       "' (fields, products, logsources, placeholders)");
    }
  }
}

std::vector<std::string> mapping::paths(const std::string& product, const std::string& name) const {
  std::vector<std::string> out;
  auto add = [&out](const std::string& p) {
    for (const std::string& have : out) {
      if (have == p) return;
    }
    out.push_back(p);
  };
  if (auto p = products_.find(product); p != products_.end()) {
    if (auto f = p->second.fields.find(name); f != p->second.fields.end()) {
      for (const std::string& path : f->second) add(path);
      return out;
    }
    for (const std::string& prefix : p->second.prefixes) add(prefix + name);
  }
  if (auto f = fields_.find(name); f != fields_.end()) {
    for (const std::string& path : f->second) add(path);
  }
  add(name);
  return out;
}

std::string mapping::spaced_parent(const std::string& product, const std::string& name) const {
  auto p = products_.find(product);
  if (p == products_.end() || !p->second.spaced_keys || p->second.prefixes.empty() ||
      p->second.fields.count(name) != 0 || name.find(' ') != std::string::npos) {
    return {};
  }
  std::string parent = p->second.prefixes.front();
  if (parent.back() == '.') parent.pop_back();
  return parent;
}

std::optional<std::vector<conjunction>> mapping::select(const logsource& source) const {
  if (auto exact = logsources_.find(source.key()); exact != logsources_.end()) return exact->second;
  // A category and a service together: both must hold.
  if (!source.category.empty() && !source.service.empty()) {
    auto c = logsources_.find(logsource{source.product, source.category, ""}.key());
    auto s = logsources_.find(logsource{source.product, "", source.service}.key());
    if (c != logsources_.end() && s != logsources_.end()) {
      std::vector<conjunction> out;
      for (const conjunction& a : c->second) {
        for (const conjunction& b : s->second) {
          conjunction both = a;
          both.insert(both.end(), b.begin(), b.end());
          out.push_back(std::move(both));
        }
      }
      return out;
    }
  }
  return std::nullopt;
}

const std::vector<std::string>* mapping::placeholder(const std::string& name) const {
  auto p = placeholders_.find(name);
  return p == placeholders_.end() ? nullptr : &p->second;
}

}  // namespace mimamori::sigma
