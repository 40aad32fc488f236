// mapping: from Sigma's taxonomy to the fields of mimamori's events.
//
// A mapping file (YAML; rules/mappings/ecs.yml ships, users add their own
// with later files overriding earlier entries) says
//
//   fields:              Sigma field -> ECS paths, tried in order
//     Image: [process.executable]
//   products:            per product: where its own field names live
//     windows:
//       prefix: [winlog.event_data., winlog.user_data.]   # `Image` is first winlog.event_data.Image
//       spaced_keys: true             # SourceName also finds "Source Name"
//       fields: {EventID: [winlog.event_id, event.code]}   # not under the prefix
//   logsources:          which events a rule's logsource selects: any of the
//     - product: windows #   `when` alternatives, each a set of field tests
//       category: process_creation
//       when:
//         - {winlog.channel: Microsoft-Windows-Sysmon/Operational, winlog.event_id: 1}
//   placeholders:        values for |expand's %name%
//     Admins_Workstations: [ADMIN-PC1]
//
// A test's value is a string or a list (any of them, ASCII case ignored);
// the value "*" asks only that the field exists.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mimamori::sigma {

struct logsource {
  std::string product, category, service;
  [[nodiscard]] std::string key() const { return product + "/" + category + "/" + service; }
};

struct field_test {
  std::string field;
  std::vector<std::string> values;  // lowercase; {"*"}: the field exists
};
using conjunction = std::vector<field_test>;

struct product_fields {
  std::vector<std::string> prefixes;  // tried in order
  bool spaced_keys = false;  // keys under prefix may hold spaces Sigma's names leave out
  std::map<std::string, std::vector<std::string>> fields;
};

class mapping {
 public:
  // Reads one mapping file on top of what is loaded; each problem is added
  // to `errors` as "file:line:column: what".
  void load(const std::string& path, std::vector<std::string>& errors);

  // The event paths where a rule of `product` finds the Sigma field `name`,
  // in the order they are tried.
  [[nodiscard]] std::vector<std::string> paths(const std::string& product,
                                               const std::string& name) const;
  // When a field of `product` is also to be found under the product's prefix
  // as a key written with spaces ("Source Name" for SourceName): the prefix
  // object's path ("winlog.event_data"); empty otherwise.
  [[nodiscard]] std::string spaced_parent(const std::string& product, const std::string& name) const;
  // The alternatives that select a logsource's events; nullopt if unmapped.
  [[nodiscard]] std::optional<std::vector<conjunction>> select(const logsource& source) const;
  [[nodiscard]] const std::vector<std::string>* placeholder(const std::string& name) const;
  [[nodiscard]] std::size_t logsource_count() const { return logsources_.size(); }

 private:
  std::map<std::string, std::vector<std::string>> fields_;
  std::map<std::string, product_fields> products_;
  std::map<std::string, std::vector<conjunction>> logsources_;
  std::map<std::string, std::vector<std::string>> placeholders_;
};

}  // namespace mimamori::sigma
