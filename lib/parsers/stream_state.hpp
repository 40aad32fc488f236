// stream_state: what a parser must remember between the lines of one input
// (one file, one stream, one logcollect source). lognorm keeps one per
// input and hands it to the parsers with each line.
//
// Zeek's TSV logs and W3C/ELFF logs need it: their header lines
// (#separator, #fields, #types...; #Fields:) say what the columns of the rows
// after them are.
#pragma once

#include <string>
#include <vector>

namespace mimamori::parsers {

struct zeek_tsv_header {
  std::string separator = "\t";
  std::string set_separator = ",";
  std::string empty_field = "(empty)";
  std::string unset_field = "-";
  std::string path;                 // #path: conn, dns, http...
  std::vector<std::string> fields;  // #fields: ts, uid, id.orig_h...
  std::vector<std::string> types;   // #types: time, string, addr...
  [[nodiscard]] bool ready() const { return !fields.empty(); }
  void reset() { *this = zeek_tsv_header{}; }
};

struct stream_state {
  zeek_tsv_header zeek;
  // W3C/ELFF proxy logs (ProxySG, ...): the last #Fields: and #Software:.
  std::vector<std::string> w3c_fields;
  std::string w3c_software;
};

}  // namespace mimamori::parsers
