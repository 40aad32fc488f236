// windows: Windows event log records as JSON, one object per line, in the
// shapes the common shippers and converters write:
//
//   Winlogbeat       {"winlog":{"event_id":4624,"channel":..,"event_data":{..}},..}
//   NXLog            {"EventID":4624,"Channel":..,"Hostname":..,"TargetUserName":..}
//                    (the event's data are top-level members beside NXLog's own)
//   EvtxECmd         {"EventId":4624,"Channel":..,"Computer":..,"Payload":"{\"EventData\":..}"}
//   evtx_dump, Chainsaw, Hayabusa, python-evtx
//                    {"Event":{"System":{..,"Provider":{"#attributes":{"Name":..}}},
//                              "EventData":{..}}}
//   Wazuh agent      {"win":{"system":{"eventID":"4624","channel":..},
//                            "eventdata":{"targetUserName":..}}}
//   OSSEC agent      2014 Dec 20 09:29:47 WinEvtLog: CHANNEL: LEVEL(ID): PROVIDER: ...
//
// Every shape becomes the same record: the event's own data under
// winlog.event_data.<Name> with the names Windows gives them (Sigma rules
// are written against those), the System part under winlog.* as Winlogbeat
// names it, and the ECS fields Elastic's security and sysmon pipelines set
// for the event ids that matter. event.dataset is windows.<channel> as
// Winlogbeat names channels: windows.security, windows.sysmon_operational,
// windows.powershell, windows.powershell_operational, windows.system...
#include <expat.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>

#include "ndjson/json_text.hpp"
#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "time/format.hpp"
#include "time/rfc3164.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

using simdjson::dom::element;

// One event, whatever shape it came in: views into the JSON parser's
// buffers or into `numbers` (values that were JSON numbers).
struct win_event {
  std::string_view event_id, channel, provider, provider_guid, computer, record_id;
  std::string_view level, task, opcode, keywords, version, user_sid, message;
  std::string_view time_text;  // SystemTime or its equivalent
  bool time_is_utc = true;     // NXLog's EventTime is the agent's local time
  std::optional<std::int64_t> pid, tid;
  std::vector<std::string_view> keyword_names;                      // Winlogbeat's "Audit Success"
  std::string_view outcome_word;                                    // Winlogbeat's winlog.outcome
  std::vector<std::pair<std::string_view, std::string_view>> data;  // EventData
  std::vector<std::pair<std::string_view, element>> complex_data;   // arrays/objects
  std::vector<std::pair<std::string_view, std::string_view>> user_data;  // UserData
  std::deque<std::string> numbers;

  // Keeps the buffers: one event after another allocates nothing new.
  void clear() {
    event_id = channel = provider = provider_guid = computer = record_id = {};
    level = task = opcode = keywords = version = user_sid = message = time_text = {};
    outcome_word = {};
    time_is_utc = true;
    pid.reset();
    tid.reset();
    keyword_names.clear();
    data.clear();
    complex_data.clear();
    user_data.clear();
    numbers.clear();
  }
  [[nodiscard]] std::string_view get(std::string_view name) const {
    for (const auto& [k, v] : data) {
      if (k == name) return v;
    }
    return {};
  }
  // A value that says something: not empty and not Windows' "-".
  [[nodiscard]] std::string_view value(std::string_view name) const {
    const std::string_view v = get(name);
    return v == "-" ? std::string_view{} : v;
  }
};

// By value: iterating a temporary simdjson_result's value would dangle.
simdjson::dom::object members_of(element e) {
  simdjson::dom::object o;
  if (e.get(o) != simdjson::SUCCESS) return {};  // callers check the type first
  return o;
}
simdjson::dom::array items_of(element e) {
  simdjson::dom::array a;
  if (e.get(a) != simdjson::SUCCESS) return {};
  return a;
}

std::optional<element> member(element e, std::string_view key) {
  element v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

// A scalar as text; numbers are formatted into ev.numbers. Empty for null,
// objects and arrays (an object with "#text" gives its text).
std::string_view text_of(element e, win_event& ev) {
  switch (e.type()) {
    case simdjson::dom::element_type::STRING: return e.get_string().value_unsafe();
    case simdjson::dom::element_type::INT64:
      ev.numbers.push_back(std::to_string(e.get_int64().value_unsafe()));
      return ev.numbers.back();
    case simdjson::dom::element_type::UINT64:
      ev.numbers.push_back(std::to_string(e.get_uint64().value_unsafe()));
      return ev.numbers.back();
    case simdjson::dom::element_type::DOUBLE: {
      char buffer[32];
      auto r = std::to_chars(buffer, buffer + sizeof buffer, e.get_double().value_unsafe());
      ev.numbers.emplace_back(buffer, r.ptr);
      return ev.numbers.back();
    }
    case simdjson::dom::element_type::BOOL: return e.get_bool().value_unsafe() ? "true" : "false";
    case simdjson::dom::element_type::OBJECT:
      if (auto t = member(e, "#text")) {
        if (!t->is_object() && !t->is_array()) return text_of(*t, ev);
      }
      return {};
    default: return {};
  }
}

std::string_view text_member(element e, std::string_view key, win_event& ev) {
  if (auto v = member(e, key)) return text_of(*v, ev);
  return {};
}

// An XML attribute as evtx_dump writes it ({"#attributes":{"Name":..}}) or
// as python-evtx does (the attribute as a plain member).
std::string_view attribute(element e, std::string_view key, win_event& ev) {
  if (auto a = member(e, "#attributes")) {
    if (auto v = member(*a, key)) return text_of(*v, ev);
  }
  return text_member(e, key, ev);
}

// The same for an element of System: "Provider":{"#attributes":{"Name":..}},
// "Provider":{"Name":..}, or "Provider_attributes":{"Name":..} (evtx_dump
// --separate-json-attributes, as Chainsaw writes it).
std::string_view child_attribute(element system, std::string_view child, std::string_view key,
                                 win_event& ev) {
  char name[48];
  if (child.size() + 11 < sizeof name) {
    std::memcpy(name, child.data(), child.size());
    std::memcpy(name + child.size(), "_attributes", 11);
    if (auto a = member(system, std::string_view(name, child.size() + 11))) {
      if (auto v = member(*a, key)) return text_of(*v, ev);
    }
  }
  if (auto c = member(system, child)) return attribute(*c, key, ev);
  return {};
}

// EventData (or Winlogbeat's event_data, EvtxECmd's Payload EventData):
// named values as members, or <Data Name="..">..</Data> rendered as an
// array of {"@Name"|"#attributes":{"Name"}, "#text"}, or unnamed Data
// (param1, param2... as Winlogbeat names them).
void read_data(element data, win_event& ev,
               std::vector<std::pair<std::string_view, std::string_view>>& into) {
  if (!data.is_object()) return;
  for (auto [key, value] : members_of(data)) {
    if (key == "#attributes" || key == "xmlns" || key.ends_with("_attributes")) continue;
    if (key == "Data" && (value.is_array() || value.is_object())) {
      auto one = [&](element item, std::size_t index) {
        std::string_view name;
        if (item.is_object()) {
          name = text_member(item, "@Name", ev);
          if (name.empty()) name = attribute(item, "Name", ev);
        }
        std::string_view text = text_of(item, ev);
        if (item.is_object()) {
          if (auto t = member(item, "#text"); t && t->is_array()) {
            std::size_t i = 0;
            for (element part : items_of(*t)) {
              ev.numbers.push_back("param" + std::to_string(++i));
              const std::string_view param = ev.numbers.back();
              const std::string_view part_text = text_of(part, ev);
              into.emplace_back(param, part_text);
            }
            return;
          }
        }
        if (name.empty()) {
          ev.numbers.push_back("param" + std::to_string(index + 1));
          name = ev.numbers.back();
        }
        into.emplace_back(name, text);
      };
      if (value.is_array()) {
        std::size_t i = 0;
        for (element item : items_of(value)) one(item, i++);
      } else {
        one(value, 0);
      }
      continue;
    }
    if (value.is_null()) continue;
    if (value.is_array() || (value.is_object() && !member(value, "#text"))) {
      if (&into == &ev.data) ev.complex_data.emplace_back(key, value);
      continue;
    }
    into.emplace_back(key, text_of(value, ev));
  }
}

// Event.System (evtx_dump, Chainsaw, Hayabusa, python-evtx).
bool read_evtx_shape(element root, win_event& ev) {
  auto event = member(root, "Event");
  if (!event) return false;
  auto system = member(*event, "System");
  if (!system) return false;
  ev.provider = child_attribute(*system, "Provider", "Name", ev);
  ev.provider_guid = child_attribute(*system, "Provider", "Guid", ev);
  ev.event_id = text_member(*system, "EventID", ev);
  ev.version = text_member(*system, "Version", ev);
  ev.level = text_member(*system, "Level", ev);
  ev.task = text_member(*system, "Task", ev);
  ev.opcode = text_member(*system, "Opcode", ev);
  ev.keywords = text_member(*system, "Keywords", ev);
  ev.time_text = child_attribute(*system, "TimeCreated", "SystemTime", ev);
  ev.record_id = text_member(*system, "EventRecordID", ev);
  ev.pid = to_int(child_attribute(*system, "Execution", "ProcessID", ev));
  ev.tid = to_int(child_attribute(*system, "Execution", "ThreadID", ev));
  ev.channel = text_member(*system, "Channel", ev);
  ev.computer = text_member(*system, "Computer", ev);
  ev.user_sid = child_attribute(*system, "Security", "UserID", ev);
  if (auto d = member(*event, "EventData")) read_data(*d, ev, ev.data);
  if (auto u = member(*event, "UserData"); u && u->is_object()) {
    // <UserData><LogFileCleared xmlns=..>..</LogFileCleared></UserData>
    for (auto [key, value] : members_of(*u)) {
      if (key != "#attributes") read_data(value, ev, ev.user_data);
    }
  }
  return true;
}

// Winlogbeat: winlog.* as it writes them.
bool read_winlogbeat_shape(element root, win_event& ev) {
  auto w = member(root, "winlog");
  if (!w || !w->is_object()) return false;
  ev.event_id = text_member(*w, "event_id", ev);
  ev.channel = text_member(*w, "channel", ev);
  ev.provider = text_member(*w, "provider_name", ev);
  ev.provider_guid = text_member(*w, "provider_guid", ev);
  ev.computer = text_member(*w, "computer_name", ev);
  ev.record_id = text_member(*w, "record_id", ev);
  ev.level = text_member(*w, "level", ev);
  ev.task = text_member(*w, "task", ev);
  ev.opcode = text_member(*w, "opcode", ev);
  ev.version = text_member(*w, "version", ev);
  ev.outcome_word = text_member(*w, "outcome", ev);
  if (auto u = member(*w, "user")) ev.user_sid = text_member(*u, "identifier", ev);
  if (auto k = member(*w, "keywords"); k && k->is_array()) {
    for (element word : items_of(*k)) {
      const std::string_view t = text_of(word, ev);
      if (!t.empty()) ev.keyword_names.push_back(t);
    }
  }
  if (auto p = member(*w, "process")) {
    ev.pid = to_int(text_member(*p, "pid", ev));
    if (auto t = member(*p, "thread")) ev.tid = to_int(text_member(*t, "id", ev));
  }
  ev.time_text = text_member(*w, "time_created", ev);
  if (ev.time_text.empty()) ev.time_text = text_member(root, "@timestamp", ev);
  if (auto d = member(*w, "event_data")) read_data(*d, ev, ev.data);
  if (auto d = member(*w, "user_data")) read_data(*d, ev, ev.user_data);
  ev.message = text_member(root, "message", ev);
  return !ev.event_id.empty();
}

// NXLog's own members (im_msvistalog) and what Logstash adds on the way;
// every other top-level member is the event's data.
bool nxlog_own(std::string_view key) {
  static constexpr std::string_view own[] = {
      "EventTime",
      "EventReceivedTime",
      "Hostname",
      "Keywords",
      "EventType",
      "SeverityValue",
      "Severity",
      "EventID",
      "SourceName",
      "ProviderGuid",
      "Version",
      "Task",
      "OpcodeValue",
      "Opcode",
      "RecordNumber",
      "ActivityID",
      "RelatedActivityID",
      "ThreadID",
      "Channel",
      "Domain",
      "AccountName",
      "UserID",
      "AccountType",
      "Category",
      "Message",
      "SourceModuleName",
      "SourceModuleType",
      "Level",
      "TimeCreated",
      "@timestamp",
      "@version",
      "host",
      "tags",
      "port",
      "type",
      "ExecutionProcessID",
      "ExecutionThreadID",
      "EventTimeWritten",
      "MessageSourceAddress",
      "Payload",
  };
  for (std::string_view k : own) {
    if (k == key) return true;
  }
  return false;
}

bool read_nxlog_shape(element root, win_event& ev) {
  ev.event_id = text_member(root, "EventID", ev);
  ev.channel = text_member(root, "Channel", ev);
  ev.provider = text_member(root, "SourceName", ev);
  ev.computer = text_member(root, "Hostname", ev);
  if (ev.event_id.empty() || (ev.channel.empty() && ev.provider.empty()) || ev.computer.empty())
    return false;
  ev.provider_guid = text_member(root, "ProviderGuid", ev);
  ev.record_id = text_member(root, "RecordNumber", ev);
  ev.version = text_member(root, "Version", ev);
  ev.task = text_member(root, "Task", ev);
  ev.opcode = text_member(root, "Opcode", ev);
  ev.level = text_member(root, "Severity", ev);
  ev.keywords = text_member(root, "Keywords", ev);
  ev.user_sid = text_member(root, "UserID", ev);
  ev.message = text_member(root, "Message", ev);
  ev.pid = to_int(text_member(root, "ExecutionProcessID", ev));
  ev.tid = to_int(text_member(root, "ThreadID", ev));
  const std::string_view type = text_member(root, "EventType", ev);
  if (type == "AUDIT_SUCCESS") ev.outcome_word = "success";
  if (type == "AUDIT_FAILURE") ev.outcome_word = "failure";
  // Logstash's @timestamp and TimeCreated are UTC; EventTime is local.
  ev.time_text = text_member(root, "TimeCreated", ev);
  if (ev.time_text.empty()) ev.time_text = text_member(root, "@timestamp", ev);
  if (ev.time_text.empty()) {
    ev.time_text = text_member(root, "EventTime", ev);
    ev.time_is_utc = false;
  }
  for (auto [key, value] : members_of(root)) {
    if (nxlog_own(key) || value.is_null()) continue;
    if (value.is_array() || value.is_object()) {
      ev.complex_data.emplace_back(key, value);
      continue;
    }
    ev.data.emplace_back(key, text_of(value, ev));
  }
  return true;
}

// EvtxECmd: its own columns, and the event's XML as JSON in "Payload".
bool read_evtxecmd_shape(element root, win_event& ev, simdjson::dom::parser& payload_parser) {
  ev.event_id = text_member(root, "EventId", ev);
  if (ev.event_id.empty()) return false;
  ev.channel = text_member(root, "Channel", ev);
  ev.provider = text_member(root, "Provider", ev);
  ev.computer = text_member(root, "Computer", ev);
  ev.record_id = text_member(root, "EventRecordId", ev);
  ev.level = text_member(root, "Level", ev);
  ev.keywords = text_member(root, "Keywords", ev);
  ev.time_text = text_member(root, "TimeCreated", ev);
  ev.pid = to_int(text_member(root, "ProcessId", ev));
  ev.tid = to_int(text_member(root, "ThreadId", ev));
  ev.user_sid = text_member(root, "UserId", ev);
  const std::string_view payload = text_member(root, "Payload", ev);
  element p;
  if (!payload.empty() &&
      payload_parser.parse(payload.data(), payload.size()).get(p) == simdjson::SUCCESS) {
    if (auto d = member(p, "EventData")) read_data(*d, ev, ev.data);
    if (auto u = member(p, "UserData"); u && u->is_object()) {
      for (auto [key, value] : members_of(*u)) read_data(value, ev, ev.user_data);
    }
  }
  return !ev.channel.empty() || !ev.provider.empty();
}

// Wazuh's agent (eventchannel): {"win":{"system":{..},"eventdata":{..}}},
// every name with its first letter lowered ("eventID", "targetUserName"):
// the event's data get the names Windows gives them back.
bool read_wazuh_shape(element root, win_event& ev) {
  auto w = member(root, "win");
  if (!w || !w->is_object()) return false;
  auto system = member(*w, "system");
  if (!system || !system->is_object()) return false;
  ev.event_id = text_member(*system, "eventID", ev);
  ev.channel = text_member(*system, "channel", ev);
  ev.provider = text_member(*system, "providerName", ev);
  ev.provider_guid = text_member(*system, "providerGuid", ev);
  ev.computer = text_member(*system, "computer", ev);
  ev.record_id = text_member(*system, "eventRecordID", ev);
  ev.level = text_member(*system, "level", ev);
  ev.task = text_member(*system, "task", ev);
  ev.opcode = text_member(*system, "opcode", ev);
  ev.keywords = text_member(*system, "keywords", ev);
  ev.version = text_member(*system, "version", ev);
  ev.time_text = text_member(*system, "systemTime", ev);
  ev.pid = to_int(text_member(*system, "processID", ev));
  ev.tid = to_int(text_member(*system, "threadID", ev));
  ev.user_sid = text_member(*system, "securityUserID", ev);
  const std::string_view severity = text_member(*system, "severityValue", ev);
  if (severity == "AUDIT_SUCCESS") ev.keyword_names.push_back("Audit Success");
  if (severity == "AUDIT_FAILURE") ev.keyword_names.push_back("Audit Failure");
  // The rendered message, which the agent wraps in quotes of its own.
  std::string_view message = text_member(*system, "message", ev);
  if (message.size() >= 2 && message.front() == '"' && message.back() == '"')
    message = message.substr(1, message.size() - 2);
  ev.message = message;
  if (auto d = member(*w, "eventdata"); d && d->is_object()) {
    for (auto [key, value] : members_of(*d)) {
      if (key.empty() || value.is_null() || value.is_array() || value.is_object()) continue;
      std::string name(key);
      if (name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
      ev.numbers.push_back(std::move(name));
      const std::string_view kept = ev.numbers.back();
      ev.data.emplace_back(kept, text_of(value, ev));
    }
  }
  return !ev.event_id.empty();
}

// ---- the event's XML -------------------------------------------------------

// <Event xmlns=".."><System>..</System><EventData><Data Name="..">..</Data>
// </EventData></Event> on one line, as Windows renders an event
// (wevtutil qe /f:xml, Windows Event Forwarding, CrowdSec's and Splunk's
// XmlWinEventLog, Get-WinEvent .ToXml()). Read with expat; every text and
// attribute value is kept in ev.numbers (the views in ev point there).
class xml_event_reader {
 public:
  explicit xml_event_reader(win_event& ev) : ev_(ev) {}

  // False when the text is not well-formed XML or not an <Event>; then
  // error() says why, and where.
  bool read(std::string_view text) {
    XML_Parser parser = XML_ParserCreate("UTF-8");
    if (parser == nullptr) return false;
    XML_SetUserData(parser, this);
    XML_SetElementHandler(parser, &xml_event_reader::on_start, &xml_event_reader::on_end);
    XML_SetCharacterDataHandler(parser, &xml_event_reader::on_text);
    const bool ok = text.size() < (1U << 30) &&
                    XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) ==
                        XML_STATUS_OK;
    if (!ok) {
      error_ = "Windows event XML is not well-formed: ";
      error_ += XML_ErrorString(XML_GetErrorCode(parser));
      error_ += " at column " + std::to_string(XML_GetCurrentColumnNumber(parser) + 1);
    } else if (!saw_event_) {
      error_ = "Windows event XML: the root element is not <Event>";
    }
    XML_ParserFree(parser);
    return ok && saw_event_;
  }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  static std::string_view local(const XML_Char* name) {
    std::string_view n(name);
    const std::size_t colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
  }
  std::string_view keep(std::string_view text) {
    ev_.numbers.emplace_back(text);
    return ev_.numbers.back();
  }
  std::string_view attribute(const XML_Char** attributes, std::string_view name) {
    for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
      if (local(attributes[i]) == name) return keep(attributes[i + 1]);
    }
    return {};
  }
  [[nodiscard]] bool under(std::size_t depth, std::string_view name) const {
    return stack_.size() > depth && stack_[depth] == name;
  }

  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
    static_cast<xml_event_reader*>(self)->start(local(name), attributes);
  }
  static void XMLCALL on_end(void* self, const XML_Char*) {
    static_cast<xml_event_reader*>(self)->end();
  }
  static void XMLCALL on_text(void* self, const XML_Char* text, int length) {
    auto* r = static_cast<xml_event_reader*>(self);
    if (length > 0) r->text_.append(text, static_cast<std::size_t>(length));
  }

  void start(std::string_view name, const XML_Char** attributes) {
    text_.clear();
    stack_.emplace_back(name);
    const std::size_t depth = stack_.size();
    if (depth == 1) {
      saw_event_ = name == "Event";
      return;
    }
    if (depth == 3 && under(1, "System")) {
      if (name == "Provider") {
        ev_.provider = attribute(attributes, "Name");
        if (ev_.provider.empty()) ev_.provider = attribute(attributes, "EventSourceName");
        ev_.provider_guid = attribute(attributes, "Guid");
      } else if (name == "TimeCreated") {
        ev_.time_text = attribute(attributes, "SystemTime");
      } else if (name == "Execution") {
        ev_.pid = to_int(attribute(attributes, "ProcessID"));
        ev_.tid = to_int(attribute(attributes, "ThreadID"));
      } else if (name == "Security") {
        ev_.user_sid = attribute(attributes, "UserID");
      }
    } else if (depth == 3 && under(1, "EventData") && name == "Data") {
      data_name_ = attribute(attributes, "Name");
    }
  }

  void end() {
    if (stack_.empty()) return;
    const std::size_t depth = stack_.size();
    const std::string_view name = stack_.back();
    if (depth == 3 && under(1, "System")) {
      const std::string_view value = keep(text_);
      if (name == "EventID") ev_.event_id = value;
      else if (name == "Version") ev_.version = value;
      else if (name == "Level") ev_.level = value;
      else if (name == "Task") ev_.task = value;
      else if (name == "Opcode") ev_.opcode = value;
      else if (name == "Keywords") ev_.keywords = value;
      else if (name == "EventRecordID") ev_.record_id = value;
      else if (name == "Channel") ev_.channel = value;
      else if (name == "Computer") ev_.computer = value;
    } else if (depth == 3 && under(1, "EventData") && name == "Data") {
      std::string_view key = data_name_;
      if (key.empty()) key = keep("param" + std::to_string(++unnamed_));
      ev_.data.emplace_back(key, keep(text_));
      data_name_ = {};
    } else if (depth == 4 && under(1, "UserData")) {
      // <UserData><LogFileCleared xmlns=..><SubjectUserName>..</..></..></UserData>
      ev_.user_data.emplace_back(keep(name), keep(text_));
    } else if (depth == 3 && under(1, "RenderingInfo") && name == "Message") {
      ev_.message = keep(text_);
    }
    text_.clear();
    stack_.pop_back();
  }

  win_event& ev_;
  std::vector<std::string> stack_;
  std::string text_;
  std::string_view data_name_;
  std::size_t unnamed_ = 0;
  bool saw_event_ = false;
  std::string error_;
};

// ---- OSSEC's text form ------------------------------------------------------

// The OSSEC agent's (and Wazuh's before eventchannel) one-line rendering:
//   2014 Dec 20 09:29:47 WinEvtLog: CHANNEL: LEVEL(ID): PROVIDER: USER: DOMAIN: COMPUTER: MESSAGE
// The stamp is the agent's local time. Sysmon writes its message as
// "Title:  Name: value  Name: value ..." (two blanks between pairs): those
// are the event's data; other messages are kept as text.
bool read_winevtlog_text(std::string_view text, win_event& ev) {
  const std::size_t tag = text.find(" WinEvtLog: ");
  if (tag == std::string_view::npos || tag > 40) return false;
  const std::string_view stamp = text.substr(0, tag);  // "2014 Dec 20 09:29:47"
  std::string_view s = text.substr(tag + 12);
  auto part = [&] {
    const std::size_t sep = s.find(": ");
    std::string_view p = s.substr(0, sep);
    s = sep == std::string_view::npos ? std::string_view{} : s.substr(sep + 2);
    return p;
  };
  ev.channel = part();
  const std::string_view level = part();  // INFORMATION(1), AUDIT_FAILURE(4625)
  const std::size_t open = level.find('('), close = level.find(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return false;
  ev.event_id = level.substr(open + 1, close - open - 1);
  const std::string_view word = level.substr(0, open);
  if (word == "AUDIT_SUCCESS") ev.keyword_names.push_back("Audit Success");
  if (word == "AUDIT_FAILURE") ev.keyword_names.push_back("Audit Failure");
  ev.provider = part();
  part();  // the user, "(no user)" or SYSTEM
  part();  // its domain
  ev.computer = part();
  ev.message = s;
  // "2014 Dec 20 09:29:47" as ISO in the agent's zone.
  if (stamp.size() >= 20 && stamp[4] == ' ' && stamp[8] == ' ') {
    if (const unsigned month = time::month_number(stamp.substr(5, 3)); month != 0) {
      char iso[32];
      const int n = std::snprintf(iso, sizeof iso, "%.4s-%02u-%.2sT%.8s", stamp.data(), month,
                                  stamp.data() + 9, stamp.data() + 12);
      ev.numbers.emplace_back(iso, static_cast<std::size_t>(n));
      ev.time_text = ev.numbers.back();
      ev.time_is_utc = false;
    }
  }
  if (ev.channel == "Microsoft-Windows-Sysmon/Operational") {
    std::string_view rest = ev.message;
    rest = rest.substr(std::min(rest.size(), rest.find(":  ") + 3));  // after "Process Create:"
    while (!rest.empty()) {
      const std::size_t next = rest.find("  ");
      std::string_view pair = rest.substr(0, next);
      rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 2);
      const std::size_t colon = pair.find(": ");
      if (colon == std::string_view::npos || colon == 0) continue;
      const std::string_view key = pair.substr(0, colon);
      if (key.find(' ') != std::string_view::npos) continue;
      ev.data.emplace_back(key, pair.substr(colon + 2));
    }
  }
  return !ev.event_id.empty();
}

// ---- values ----------------------------------------------------------------

// "0x11cc" (Security writes process ids in hex) or "4556".
std::optional<std::int64_t> number_of(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::int64_t v = 0;
    auto r = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
    if (r.ec == std::errc() && r.ptr == text.data() + text.size()) return v;
    return std::nullopt;
  }
  return to_int(text);
}

std::string_view base_name(std::string_view path) {
  const std::size_t at = path.find_last_of("\\/");
  return at == std::string_view::npos ? path : path.substr(at + 1);
}

void set_value(fields& out, std::string_view path, std::string_view v) {
  if (!v.empty() && v != "-") out.set_copy(path, v);
}
void set_number(fields& out, std::string_view path, std::string_view v) {
  if (auto n = number_of(v)) out.set_int(path, *n);
}
void add_user(fields& out, std::string_view name) {
  if (!name.empty() && name != "-") out.add_copy("related.user", name);
}
void set_ip(fields& out, std::string_view prefix_ip, std::string_view v) {
  // "::ffff:10.0.0.1" is how Windows writes IPv4 peers of IPv6 sockets.
  if (starts_with(v, "::ffff:") && v.find('.') != std::string_view::npos) v.remove_prefix(7);
  if (!is_ip(v)) return;
  out.set_copy(prefix_ip, v);
  out.add_copy("related.ip", v);
}

// The image path as process.executable and its base name as process.name.
void set_executable(fields& out, std::string_view exe_path, std::string_view name_path,
                    std::string_view v) {
  if (v.empty() || v == "-") return;
  out.set_copy(exe_path, v);
  out.set_copy(name_path, base_name(v));
}

// Splits a command line as CommandLineToArgvW does (quotes group, \" is a
// quote), keeping each argument as written (Elastic keeps the quotes).
void set_args(fields& out, std::string_view path, std::string_view line) {
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    const std::size_t start = i;
    bool quoted = false;
    for (; i < line.size(); ++i) {
      if (line[i] == '"') quoted = !quoted;
      if (!quoted && (line[i] == ' ' || line[i] == '\t')) break;
    }
    out.add_copy(path, line.substr(start, i - start));
  }
}

// "SHA1=..,MD5=..,SHA256=..,IMPHASH=.." (Sysmon's Hashes) as <prefix>.hash.*.
void set_hashes(fields& out, std::string_view hashes, bool file, bool dll) {
  std::size_t pos = 0;
  while (pos < hashes.size()) {
    std::size_t end = hashes.find(',', pos);
    if (end == std::string_view::npos) end = hashes.size();
    const std::string_view item = hashes.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view algo = item.substr(0, eq), digest = item.substr(eq + 1);
    if (digest.empty()) continue;
    char lower[64];
    const std::size_t n = std::min(digest.size(), sizeof lower);
    for (std::size_t k = 0; k < n; ++k) {
      const char c = digest[k];
      lower[k] = c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
    }
    const std::string_view value(lower, n);
    struct name {
      std::string_view algo, process, file, dll;
    };
    static constexpr name names[] = {
        {"MD5", "process.hash.md5", "file.hash.md5", "dll.hash.md5"},
        {"SHA1", "process.hash.sha1", "file.hash.sha1", "dll.hash.sha1"},
        {"SHA256", "process.hash.sha256", "file.hash.sha256", "dll.hash.sha256"},
        {"IMPHASH", "process.pe.imphash", "file.pe.imphash", "dll.pe.imphash"},
    };
    for (const name& nm : names) {
      if (nm.algo != algo) continue;
      if (dll) out.set_copy(nm.dll, value);
      out.set_copy(file ? nm.file : nm.process, value);
      if (algo != "IMPHASH") out.add_copy("related.hash", value);
    }
  }
}

// "DOMAIN\user" (Sysmon's User) as user.domain and user.name.
void set_domain_user(fields& out, std::string_view v) {
  if (v.empty() || v == "-") return;
  const std::size_t at = v.find('\\');
  const std::string_view name = at == std::string_view::npos ? v : v.substr(at + 1);
  if (at != std::string_view::npos) out.set_copy("user.domain", v.substr(0, at));
  out.set_copy("user.name", name);
  add_user(out, name);
}

void set_time(fields& out, std::string_view path, std::string_view text, bool utc,
              const time::zone& tz) {
  if (text.empty()) return;
  // python-evtx writes "2019-02-16 17:54:26.956251" (UTC, no zone).
  auto t = time::scan_local_iso(text, utc ? time::zone::utc() : tz);
  if (!t) return;
  char buffer[32];
  time::write_utc_ms(buffer, t->value);
  out.set_copy(path, std::string_view(buffer, time::utc_ms_length));
}

// ---- the event ids ----------------------------------------------------------

struct security_event {
  int id;
  std::string_view action, category, type1, type2;
  enum class who : std::uint8_t {
    subject,
    target,
    subject_and_target_user,
    subject_and_group,
    subject_and_member
  } actor;
};

using who = security_event::who;

// As Elastic's Windows security pipeline names them.
constexpr security_event security_events[] = {
    {1102, "audit-log-cleared", "iam", "admin", "change", who::subject},
    {4624, "logged-in", "authentication", "start", "", who::target},
    {4625, "logon-failed", "authentication", "start", "", who::target},
    {4634, "logged-out", "authentication", "end", "", who::target},
    {4647, "logged-out", "authentication", "end", "", who::target},
    {4648, "logged-in-explicit", "authentication", "start", "", who::subject},
    {4672, "logged-in-special", "iam", "admin", "", who::subject},
    {4688, "created-process", "process", "start", "", who::subject},
    {4689, "exited-process", "process", "end", "", who::subject},
    {4697, "service-installed", "iam", "admin", "change", who::subject},
    {4698, "scheduled-task-created", "iam", "admin", "creation", who::subject},
    {4699, "scheduled-task-deleted", "iam", "admin", "deletion", who::subject},
    {4700, "scheduled-task-enabled", "iam", "admin", "change", who::subject},
    {4701, "scheduled-task-disabled", "iam", "admin", "change", who::subject},
    {4702, "scheduled-task-updated", "iam", "admin", "change", who::subject},
    {4719, "changed-audit-config", "iam", "admin", "change", who::subject},
    {4720, "added-user-account", "iam", "user", "creation", who::subject_and_target_user},
    {4722, "enabled-user-account", "iam", "user", "change", who::subject_and_target_user},
    {4723, "changed-password", "iam", "user", "change", who::subject_and_target_user},
    {4724, "reset-password", "iam", "user", "change", who::subject_and_target_user},
    {4725, "disabled-user-account", "iam", "user", "deletion", who::subject_and_target_user},
    {4726, "deleted-user-account", "iam", "user", "deletion", who::subject_and_target_user},
    {4727, "added-group-account", "iam", "group", "creation", who::subject_and_group},
    {4728, "added-member-to-group", "iam", "group", "change", who::subject_and_member},
    {4729, "removed-member-from-group", "iam", "group", "change", who::subject_and_member},
    {4730, "deleted-group-account", "iam", "group", "deletion", who::subject_and_group},
    {4731, "added-group-account", "iam", "group", "creation", who::subject_and_group},
    {4732, "added-member-to-group", "iam", "group", "change", who::subject_and_member},
    {4733, "removed-member-from-group", "iam", "group", "change", who::subject_and_member},
    {4734, "deleted-group-account", "iam", "group", "deletion", who::subject_and_group},
    {4735, "modified-group-account", "iam", "group", "change", who::subject_and_group},
    {4737, "modified-group-account", "iam", "group", "change", who::subject_and_group},
    {4738, "modified-user-account", "iam", "user", "change", who::subject_and_target_user},
    {4740, "locked-out-user-account", "iam", "user", "change", who::subject_and_target_user},
    {4741, "added-computer-account", "iam", "user", "creation", who::subject_and_target_user},
    {4742, "changed-computer-account", "iam", "user", "change", who::subject_and_target_user},
    {4743, "deleted-computer-account", "iam", "user", "deletion", who::subject_and_target_user},
    {4744, "added-distribution-group-account", "iam", "group", "creation", who::subject_and_group},
    {4745, "changed-distribution-group-account", "iam", "group", "change", who::subject_and_group},
    {4746, "added-member-to-distribution-group", "iam", "group", "change", who::subject_and_member},
    {4747, "removed-member-from-distribution-group", "iam", "group", "change",
     who::subject_and_member},
    {4748, "deleted-distribution-group-account", "iam", "group", "deletion",
     who::subject_and_group},
    {4749, "added-distribution-group-account", "iam", "group", "creation", who::subject_and_group},
    {4750, "changed-distribution-group-account", "iam", "group", "change", who::subject_and_group},
    {4751, "added-member-to-distribution-group", "iam", "group", "change", who::subject_and_member},
    {4752, "removed-member-from-distribution-group", "iam", "group", "change",
     who::subject_and_member},
    {4753, "deleted-distribution-group-account", "iam", "group", "deletion",
     who::subject_and_group},
    {4754, "added-group-account", "iam", "group", "creation", who::subject_and_group},
    {4755, "modified-group-account", "iam", "group", "change", who::subject_and_group},
    {4756, "added-member-to-group", "iam", "group", "change", who::subject_and_member},
    {4757, "removed-member-from-group", "iam", "group", "change", who::subject_and_member},
    {4758, "deleted-group-account", "iam", "group", "deletion", who::subject_and_group},
    {4759, "added-distribution-group-account", "iam", "group", "creation", who::subject_and_group},
    {4760, "changed-distribution-group-account", "iam", "group", "change", who::subject_and_group},
    {4761, "added-member-to-distribution-group", "iam", "group", "change", who::subject_and_member},
    {4762, "removed-member-from-distribution-group", "iam", "group", "change",
     who::subject_and_member},
    {4763, "deleted-distribution-group-account", "iam", "group", "deletion",
     who::subject_and_group},
    {4764, "type-changed-group-account", "iam", "group", "change", who::subject_and_group},
    {4767, "unlocked-user-account", "iam", "user", "change", who::subject_and_target_user},
    {4768, "kerberos-authentication-ticket-requested", "authentication", "start", "", who::target},
    {4769, "kerberos-service-ticket-requested", "authentication", "start", "", who::target},
    {4770, "kerberos-service-ticket-renewed", "authentication", "start", "", who::target},
    {4771, "kerberos-preauth-failed", "authentication", "start", "", who::target},
    {4776, "credential-validated", "authentication", "start", "", who::target},
    {4778, "session-reconnected", "authentication", "start", "", who::subject},
    {4779, "session-disconnected", "authentication", "end", "", who::subject},
    {4781, "renamed-user-account", "iam", "user", "change", who::subject_and_target_user},
    {4798, "group-membership-enumerated", "iam", "user", "info", who::subject_and_target_user},
    {4799, "user-member-enumerated", "iam", "group", "info", who::subject_and_group},
    {5140, "network-share-object-accessed", "network", "info", "access", who::subject},
    {5145, "network-share-object-access-checked", "network", "info", "access", who::subject},
};

const security_event* security_event_of(int id) {
  for (const security_event& e : security_events) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::string_view logon_type_name(std::string_view type) {
  static constexpr std::string_view names[] = {"System",
                                               "",
                                               "Interactive",
                                               "Network",
                                               "Batch",
                                               "Service",
                                               "",
                                               "Unlock",
                                               "NetworkCleartext",
                                               "NewCredentials",
                                               "RemoteInteractive",
                                               "CachedInteractive",
                                               "CachedRemoteInteractive",
                                               "CachedUnlock"};
  auto n = to_int(type);
  if (!n || *n < 0 || *n >= std::int64_t(std::size(names))) return {};
  return names[*n];
}


// ---- codes in words, as Elastic's security pipeline adds them -------------

// %%1541-style access codes of an access list ("%%1541 %%4416").
void add_access_list_words(fields& out, std::string_view list) {
  static constexpr std::pair<int, std::string_view> names[] = {
      {1537, "DELETE"}, {1538, "READ_CONTROL"}, {1539, "WRITE_DAC"}, {1540, "WRITE_OWNER"},
      {1541, "SYNCHRONIZE"}, {1542, "ACCESS_SYS_SEC"}, {4416, "ReadData (or ListDirectory)"},
      {4417, "WriteData (or AddFile)"},
      {4418, "AppendData (or AddSubdirectory or CreatePipeInstance)"}, {4419, "ReadEA"},
      {4420, "WriteEA"}, {4421, "Execute/Traverse"}, {4422, "DeleteChild"},
      {4423, "ReadAttributes"}, {4424, "WriteAttributes"}};
  while (!list.empty()) {
    std::string_view code = take_until(list, ' ');
    if (!consume(code, "%%")) continue;
    const auto n = to_int(code);
    for (const auto& [number, name] : names) {
      if (n && *n == number) out.add("winlog.event_data.AccessListDescription", name);
    }
  }
}

// An access mask's bits, in the names of directory-service rights (as
// Elastic decodes 5140 and 5145 masks).
void add_access_mask_words(fields& out, std::string_view mask) {
  static constexpr std::pair<std::uint32_t, std::string_view> bits[] = {
      {0x1, "Create Child"}, {0x2, "Delete Child"}, {0x4, "List Contents"}, {0x8, "SELF"},
      {0x10, "Read Property"}, {0x20, "Write Property"}, {0x40, "Delete Tree"},
      {0x80, "List Object"}, {0x100, "Control Access"}, {0x10000, "DELETE"},
      {0x20000, "READ_CONTROL"}, {0x40000, "WRITE_DAC"}, {0x80000, "WRITE_OWNER"},
      {0x100000, "SYNCHRONIZE"}, {0x1000000, "ADS_RIGHT_ACCESS_SYSTEM_SECURITY"},
      {0x10000000, "ADS_RIGHT_GENERIC_ALL"}, {0x20000000, "ADS_RIGHT_GENERIC_EXECUTE"},
      {0x40000000, "ADS_RIGHT_GENERIC_WRITE"}, {0x80000000, "ADS_RIGHT_GENERIC_READ"}};
  const auto value = number_of(mask);
  if (!value || *value < 0) return;
  for (const auto& [bit, name] : bits) {
    if ((static_cast<std::uint64_t>(*value) & bit) != 0)
      out.add("winlog.event_data.AccessMaskDescription", name);
  }
}

// Kerberos events (4768-4773): the result code, the ticket's encryption
// type and its options in words.
void add_kerberos_words(fields& out, const win_event& ev) {
  static constexpr std::pair<int, std::string_view> errors[] = {
      {0x0, "KDC_ERR_NONE"}, {0x1, "KDC_ERR_NAME_EXP"}, {0x2, "KDC_ERR_SERVICE_EXP"},
      {0x3, "KDC_ERR_BAD_PVNO"}, {0x4, "KDC_ERR_C_OLD_MAST_KVNO"},
      {0x5, "KDC_ERR_S_OLD_MAST_KVNO"}, {0x6, "KDC_ERR_C_PRINCIPAL_UNKNOWN"},
      {0x7, "KDC_ERR_S_PRINCIPAL_UNKNOWN"}, {0x8, "KDC_ERR_PRINCIPAL_NOT_UNIQUE"},
      {0x9, "KDC_ERR_NULL_KEY"}, {0xA, "KDC_ERR_CANNOT_POSTDATE"}, {0xB, "KDC_ERR_NEVER_VALID"},
      {0xC, "KDC_ERR_POLICY"}, {0xD, "KDC_ERR_BADOPTION"}, {0xE, "KDC_ERR_ETYPE_NOTSUPP"},
      {0xF, "KDC_ERR_SUMTYPE_NOSUPP"}, {0x10, "KDC_ERR_PADATA_TYPE_NOSUPP"},
      {0x11, "KDC_ERR_TRTYPE_NO_SUPP"}, {0x12, "KDC_ERR_CLIENT_REVOKED"},
      {0x13, "KDC_ERR_SERVICE_REVOKED"}, {0x14, "KDC_ERR_TGT_REVOKED"},
      {0x15, "KDC_ERR_CLIENT_NOTYET"}, {0x16, "KDC_ERR_SERVICE_NOTYET"},
      {0x17, "KDC_ERR_KEY_EXPIRED"}, {0x18, "KDC_ERR_PREAUTH_FAILED"},
      {0x19, "KDC_ERR_PREAUTH_REQUIRED"}, {0x1A, "KDC_ERR_SERVER_NOMATCH"},
      {0x1B, "KDC_ERR_MUST_USE_USER2USER"}, {0x1F, "KRB_AP_ERR_BAD_INTEGRITY"},
      {0x20, "KRB_AP_ERR_TKT_EXPIRED"}, {0x21, "KRB_AP_ERR_TKT_NYV"},
      {0x22, "KRB_AP_ERR_REPEAT"}, {0x23, "KRB_AP_ERR_NOT_US"}, {0x24, "KRB_AP_ERR_BADMATCH"},
      {0x25, "KRB_AP_ERR_SKEW"}, {0x26, "KRB_AP_ERR_BADADDR"}, {0x27, "KRB_AP_ERR_BADVERSION"},
      {0x28, "KRB_AP_ERR_MSG_TYPE"}, {0x29, "KRB_AP_ERR_MODIFIED"},
      {0x2A, "KRB_AP_ERR_BADORDER"}, {0x2C, "KRB_AP_ERR_BADKEYVER"},
      {0x2D, "KRB_AP_ERR_NOKEY"}, {0x2E, "KRB_AP_ERR_MUT_FAIL"},
      {0x2F, "KRB_AP_ERR_BADDIRECTION"}, {0x30, "KRB_AP_ERR_METHOD"},
      {0x31, "KRB_AP_ERR_BADSEQ"}, {0x32, "KRB_AP_ERR_INAPP_CKSUM"},
      {0x33, "KRB_AP_PATH_NOT_ACCEPTED"}, {0x34, "KRB_ERR_RESPONSE_TOO_BIG"},
      {0x3C, "KRB_ERR_GENERIC"}, {0x3D, "KRB_ERR_FIELD_TOOLONG"},
      {0x3E, "KDC_ERR_CLIENT_NOT_TRUSTED"}, {0x3F, "KDC_ERR_KDC_NOT_TRUSTED"},
      {0x40, "KDC_ERR_INVALID_SIG"}, {0x41, "KDC_ERR_KEY_TOO_WEAK"},
      {0x42, "KRB_AP_ERR_USER_TO_USER_REQUIRED"}, {0x43, "KRB_AP_ERR_NO_TGT"},
      {0x44, "KDC_ERR_WRONG_REALM"}};
  static constexpr std::pair<int, std::string_view> encryptions[] = {
      {0x1, "DES-CBC-CRC"}, {0x3, "DES-CBC-MD5"}, {0x11, "AES128-CTS-HMAC-SHA1-96"},
      {0x12, "AES256-CTS-HMAC-SHA1-96"}, {0x17, "RC4-HMAC"}, {0x18, "RC4-HMAC-EXP"}};
  // Ticket option bits, the first (0x80000000) being bit 0 (RFC 4120).
  static constexpr std::pair<std::uint32_t, std::string_view> options[] = {
      {0x40000000, "Forwardable"}, {0x20000000, "Forwarded"}, {0x10000000, "Proxiable"},
      {0x08000000, "Proxy"}, {0x04000000, "Allow-postdate"}, {0x02000000, "Postdated"},
      {0x01000000, "Invalid"}, {0x00800000, "Renewable"}, {0x00400000, "Initial"},
      {0x00200000, "Pre-authent"}, {0x00100000, "Opt-hardware-auth"},
      {0x00080000, "Transited-policy-checked"}, {0x00040000, "Ok-as-delegate"},
      {0x00020000, "Request-anonymous"}, {0x00010000, "Name-canonicalize"},
      {0x00000020, "Disable-transited-check"}, {0x00000010, "Renewable-ok"},
      {0x00000008, "Enc-tkt-in-skey"}, {0x00000002, "Renew"}, {0x00000001, "Validate"}};
  if (const auto status = number_of(ev.value("Status"))) {
    for (const auto& [code, name] : errors) {
      if (*status == code) out.set("winlog.event_data.StatusDescription", name);
    }
  }
  const std::string_view etype = ev.value("TicketEncryptionType");
  if (const auto n = number_of(etype)) {
    if (*n == 0xFFFFFFFF) out.set("winlog.event_data.TicketEncryptionTypeDescription", "FAIL");
    for (const auto& [code, name] : encryptions) {
      if (*n == code) out.set("winlog.event_data.TicketEncryptionTypeDescription", name);
    }
  }
  if (const auto n = number_of(ev.value("TicketOptions")); n && *n >= 0) {
    for (const auto& [bit, name] : options) {
      if ((static_cast<std::uint64_t>(*n) & bit) != 0)
        out.add("winlog.event_data.TicketOptionsDescription", name);
    }
  }
}

void map_subject(fields& out, const win_event& ev) {
  set_value(out, "user.name", ev.value("SubjectUserName"));
  set_value(out, "user.domain", ev.value("SubjectDomainName"));
  set_value(out, "user.id", ev.value("SubjectUserSid"));
  add_user(out, ev.value("SubjectUserName"));
}

void map_security(fields& out, const win_event& ev, int id) {
  const security_event* e = security_event_of(id);
  if (e == nullptr) return;
  out.set("event.action", e->action);
  out.add("event.category", e->category);
  out.add("event.type", e->type1);
  out.add("event.type", e->type2);
  switch (e->actor) {
    case who::subject: map_subject(out, ev); break;
    case who::target: {
      // A Kerberos principal ("at_adm@TEST.SAAS") is the user at the realm
      // TargetDomainName names: its name part, as Elastic keeps it.
      std::string_view target = ev.value("TargetUserName");
      if (const std::size_t at = target.find('@'); at != std::string_view::npos && at > 0 &&
          !ev.value("TargetDomainName").empty())
        target = target.substr(0, at);
      set_value(out, "user.name", target);
      set_value(out, "user.domain", ev.value("TargetDomainName"));
      set_value(out, "user.id", ev.value("TargetUserSid"));
      if (!out.has("user.id")) set_value(out, "user.id", ev.value("TargetSid"));
      add_user(out, target);
      // The account that asked for a logon that failed is not one it names
      // (Elastic leaves the subject of 4625 out of related.user).
      if (id != 4625) add_user(out, ev.value("SubjectUserName"));
      break;
    }
    case who::subject_and_target_user:
      map_subject(out, ev);
      if (id == 4781) {
        // As Elastic: the account by its old name, changed to the new one.
        set_value(out, "user.target.name", ev.value("OldTargetUserName"));
        set_value(out, "user.changes.name", ev.value("NewTargetUserName"));
        add_user(out, ev.value("OldTargetUserName"));
        add_user(out, ev.value("NewTargetUserName"));
      } else {
        set_value(out, "user.target.name", ev.value("TargetUserName"));
        add_user(out, ev.value("TargetUserName"));
      }
      set_value(out, "user.target.domain", ev.value("TargetDomainName"));
      set_value(out, "user.target.id", ev.value("TargetSid"));
      break;
    case who::subject_and_group:
    case who::subject_and_member:
      map_subject(out, ev);
      set_value(out, "group.name", ev.value("TargetUserName"));
      set_value(out, "group.domain", ev.value("TargetDomainName"));
      set_value(out, "group.id", ev.value("TargetSid"));
      if (e->actor == who::subject_and_member) {
        set_value(out, "user.target.id", ev.value("MemberSid"));
        // MemberName is a DN: "CN=Jane,OU=Staff,DC=corp,DC=local".
        std::string_view member_name = ev.value("MemberName");
        if (starts_with(member_name, "CN=") || starts_with(member_name, "cn=")) {
          member_name.remove_prefix(3);
          std::size_t end = 0;
          while (end < member_name.size() && member_name[end] != ',') {
            end += member_name[end] == '\\' ? 2 : 1;
          }
          const std::string_view dn = ev.value("MemberName");
          member_name = member_name.substr(0, std::min(end, member_name.size()));
          set_value(out, "user.target.name", member_name);
          add_user(out, member_name);
          // The member's domain: the DN's last DC= component, as Elastic has it.
          std::size_t dc = dn.rfind(",DC=");
          if (dc == std::string_view::npos) dc = dn.rfind(",dc=");
          if (dc != std::string_view::npos) set_value(out, "user.target.domain", dn.substr(dc + 4));
        }
      }
      break;
  }
  // The logon session, as Elastic's pipeline has it: the subject's when
  // the event names one (for 4624, the session that asked for the logon),
  // else the target's (a logoff's). The new session of a 4624 stays in
  // winlog.event_data.TargetLogonId.
  if (!ev.value("SubjectLogonId").empty())
    set_value(out, "winlog.logon.id", ev.value("SubjectLogonId"));
  else
    set_value(out, "winlog.logon.id", ev.value("TargetLogonId"));
  if (const std::string_view type = logon_type_name(ev.value("LogonType")); !type.empty())
    out.set("winlog.logon.type", type);

  // Where a logon came from.
  set_ip(out, "source.ip", ev.value("IpAddress"));
  if (out.has("source.ip")) {
    // Port 0 too: Windows writes it for logons it saw no port of, and
    // Elastic keeps it.
    if (auto port = to_int(ev.value("IpPort")); port && *port >= 0 && *port <= 65535)
      out.set_int("source.port", *port);
  }
  const std::string_view workstation = ev.value("WorkstationName");
  if (!workstation.empty()) out.set_copy("source.domain", workstation);
  if (id == 4776) set_value(out, "source.domain", ev.value("Workstation"));

  if (id == 4688) {
    set_executable(out, "process.executable", "process.name", ev.value("NewProcessName"));
    set_number(out, "process.pid", ev.value("NewProcessId"));
    const std::string_view line = ev.value("CommandLine");
    if (!line.empty()) {
      out.set_copy("process.command_line", line);
      set_args(out, "process.args", line);
    }
    set_executable(out, "process.parent.executable", "process.parent.name",
                   ev.value("ParentProcessName"));
    set_number(out, "process.parent.pid", ev.value("ProcessId"));
    set_value(out, "user.effective.id", ev.value("TargetUserSid"));
    set_value(out, "user.effective.name", ev.value("TargetUserName"));
    set_value(out, "user.effective.domain", ev.value("TargetDomainName"));
  } else {
    set_executable(out, "process.executable", "process.name", ev.value("ProcessName"));
    set_number(out, "process.pid", ev.value("ProcessId"));
  }
  if (id == 4648) {
    set_value(out, "user.effective.name", ev.value("TargetUserName"));
    set_value(out, "user.effective.domain", ev.value("TargetDomainName"));
    add_user(out, ev.value("TargetUserName"));
    set_value(out, "destination.domain", ev.value("TargetServerName"));
  }
  if (id == 4769) set_value(out, "service.name", ev.value("ServiceName"));
  if (id == 5140 || id == 5145) {
    out.add("event.category", "file");
    set_value(out, "file.path", ev.value("ShareLocalPath"));
    set_value(out, "file.target_path", ev.value("RelativeTargetName"));
    // The access codes in words, beside the codes Sigma rules match.
    add_access_list_words(out, ev.value("AccessList"));
    add_access_mask_words(out, ev.value("AccessMask"));
  }
  if (id == 4768 || id == 4769 || id == 4770 || id == 4771 || id == 4772 || id == 4773)
    add_kerberos_words(out, ev);
  if (id == 1102) {
    // The clearing account is in UserData.
    for (const auto& [k, v] : ev.user_data) {
      if (k == "SubjectUserName") {
        set_value(out, "user.name", v);
        add_user(out, v);
      } else if (k == "SubjectDomainName") {
        set_value(out, "user.domain", v);
      } else if (k == "SubjectUserSid") {
        set_value(out, "user.id", v);
      } else if (k == "SubjectLogonId") {
        set_value(out, "winlog.logon.id", v);
      }
    }
  }

  // Failures: the audit keyword says, and Kerberos' status codes.
  if (id == 4625 || id == 4771) out.set("event.outcome", "failure");
  if (id == 4768 || id == 4769 || id == 4776) {
    const std::string_view status = ev.value("Status");
    if (!status.empty())
      out.set("event.outcome", status == "0x0" || status == "0" ? "success" : "failure");
  }
}

struct sysmon_event {
  int id;
  std::string_view action, category, type;
};
constexpr sysmon_event sysmon_events[] = {
    {1, "process-created", "process", "start"},
    {2, "file-creation-time-changed", "file", "change"},
    {3, "network-connection-detected", "network", "connection"},
    {4, "sysmon-service-state-changed", "process", "change"},
    {5, "process-terminated", "process", "end"},
    {6, "driver-loaded", "driver", "start"},
    {7, "image-loaded", "process", "change"},
    {8, "remote-thread-created", "process", "change"},
    {9, "raw-access-read", "file", "access"},
    {10, "process-accessed", "process", "access"},
    {11, "file-created", "file", "creation"},
    {12, "registry-object-added-or-deleted", "registry", "change"},
    {13, "registry-value-set", "registry", "change"},
    {14, "registry-object-renamed", "registry", "change"},
    {15, "file-stream-created", "file", "creation"},
    {16, "sysmon-config-changed", "configuration", "change"},
    {17, "pipe-created", "file", "creation"},
    {18, "pipe-connected", "file", "access"},
    {19, "wmi-event-filter-activity", "process", "change"},
    {20, "wmi-event-consumer-activity", "process", "change"},
    {21, "wmi-event-consumer-to-filter-activity", "process", "change"},
    {22, "dns-query", "network", "protocol"},
    {23, "file-deleted", "file", "deletion"},
    {24, "clipboard-changed", "process", "change"},
    {25, "process-tampering", "process", "change"},
    {26, "file-deleted-detected", "file", "deletion"},
    {27, "file-block-executable", "file", "denied"},
    {28, "file-block-shredding", "file", "denied"},
    {29, "file-executable-detected", "file", "creation"},
};

void set_file(fields& out, std::string_view path) {
  if (path.empty() || path == "-") return;
  out.set_copy("file.path", path);
  const std::string_view name = base_name(path);
  out.set_copy("file.name", name);
  if (name.size() < path.size())
    out.set_copy("file.directory", path.substr(0, path.size() - name.size() - 1));
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < name.size())
    out.set_copy("file.extension", name.substr(dot + 1));
}

// "HKLM\SOFTWARE\...\Run\Value" or "\REGISTRY\MACHINE\..." as registry.*.
void set_registry(fields& out, std::string_view target) {
  if (target.empty() || target == "-") return;
  out.set_copy("registry.path", target);
  std::string_view rest = target;
  std::string_view hive;
  struct alias {
    std::string_view prefix, hive;
  };
  static constexpr alias aliases[] = {
      {"HKLM\\", "HKLM"},
      {"HKU\\", "HKEY_USERS"},
      {"HKCU\\", "HKCU"},
      {"HKCR\\", "HKCR"},
      {"\\REGISTRY\\MACHINE\\", "HKLM"},
      {"\\REGISTRY\\USER\\", "HKEY_USERS"},
      {"HKEY_LOCAL_MACHINE\\", "HKLM"},
      {"HKEY_USERS\\", "HKEY_USERS"},
      {"HKEY_CURRENT_USER\\", "HKCU"},
  };
  for (const alias& a : aliases) {
    if (starts_with(rest, a.prefix)) {
      hive = a.hive;
      rest.remove_prefix(a.prefix.size());
      break;
    }
  }
  if (!hive.empty()) out.set("registry.hive", hive);
  const std::size_t last = rest.rfind('\\');
  if (last != std::string_view::npos) {
    out.set_copy("registry.key", rest.substr(0, last));
    out.set_copy("registry.value", rest.substr(last + 1));
  } else if (!rest.empty()) {
    out.set_copy("registry.key", rest);
  }
}

// Sysmon 22's QueryResults: "type:  5 cdn.example.net;::ffff:93.184.216.34;".
void set_dns_answers(fields& out, std::string_view results) {
  if (results.empty() || results == "-") return;
  std::string answers = "[";
  std::size_t pos = 0;
  while (pos < results.size()) {
    std::size_t end = results.find(';', pos);
    if (end == std::string_view::npos) end = results.size();
    std::string_view item = results.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.empty()) continue;
    std::string_view type;
    if (starts_with(item, "type:")) {
      item.remove_prefix(5);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      const std::size_t sp = item.find(' ');
      const std::string_view code = item.substr(0, sp);
      item = sp == std::string_view::npos ? std::string_view{} : item.substr(sp + 1);
      type = code == "5"    ? "CNAME"
             : code == "12" ? "PTR"
             : code == "15" ? "MX"
             : code == "16" ? "TXT"
             : code == "33" ? "SRV"
                            : code;
    }
    if (starts_with(item, "::ffff:") && item.find('.') != std::string_view::npos)
      item.remove_prefix(7);
    if (item.empty()) continue;
    if (is_ip(item)) {
      out.add_copy("dns.resolved_ip", item);
      out.add_copy("related.ip", item);
      if (type.empty()) type = item.find(':') == std::string_view::npos ? "A" : "AAAA";
    }
    if (answers.size() > 1) answers.push_back(',');
    answers += "{\"data\":";
    ndjson::append_string(answers, item);
    if (!type.empty()) {
      answers += ",\"type\":";
      ndjson::append_string(answers, type);
    }
    answers.push_back('}');
  }
  answers.push_back(']');
  if (answers.size() > 2) out.set_raw("dns.answers", answers);
}

void map_sysmon(fields& out, const win_event& ev, int id) {
  const sysmon_event* e = nullptr;
  for (const sysmon_event& s : sysmon_events) {
    if (s.id == id) e = &s;
  }
  if (e == nullptr) return;
  out.set("event.action", e->action);
  out.add("event.category", e->category);
  out.add("event.type", e->type);
  if (id == 3 || id == 22) out.add("event.type", id == 3 ? "start" : "info");
  if (id == 7) out.add("event.category", "library");

  // The acting process (8 and 10: the source of the access).
  const bool access = id == 8 || id == 10;
  set_value(out, "process.entity_id", ev.value(access ? "SourceProcessGuid" : "ProcessGuid"));
  set_number(out, "process.pid", ev.value(access ? "SourceProcessId" : "ProcessId"));
  set_executable(out, "process.executable", "process.name",
                 ev.value(access ? "SourceImage" : "Image"));
  if (auto tid = number_of(ev.value(access ? "SourceThreadId" : "ThreadId")))
    out.set_int("process.thread.id", *tid);
  set_domain_user(out, ev.value(access ? "SourceUser" : "User"));
  set_value(out, "winlog.logon.id", ev.value("LogonId"));
  set_value(out, "rule.name", ev.value("RuleName"));

  switch (id) {
    case 1: {
      const std::string_view line = ev.value("CommandLine");
      if (!line.empty()) {
        out.set_copy("process.command_line", line);
        set_args(out, "process.args", line);
      }
      set_value(out, "process.working_directory", ev.value("CurrentDirectory"));
      set_value(out, "process.pe.original_file_name", ev.value("OriginalFileName"));
      set_value(out, "process.pe.description", ev.value("Description"));
      set_value(out, "process.pe.product", ev.value("Product"));
      set_value(out, "process.pe.company", ev.value("Company"));
      set_value(out, "process.pe.file_version", ev.value("FileVersion"));
      set_value(out, "process.parent.entity_id", ev.value("ParentProcessGuid"));
      set_number(out, "process.parent.pid", ev.value("ParentProcessId"));
      set_executable(out, "process.parent.executable", "process.parent.name",
                     ev.value("ParentImage"));
      const std::string_view parent_line = ev.value("ParentCommandLine");
      if (!parent_line.empty()) {
        out.set_copy("process.parent.command_line", parent_line);
        set_args(out, "process.parent.args", parent_line);
      }
      set_hashes(out, ev.value("Hashes"), false, false);
      break;
    }
    case 3: {
      set_ip(out, "source.ip", ev.value("SourceIp"));
      set_number(out, "source.port", ev.value("SourcePort"));
      set_value(out, "source.domain", ev.value("SourceHostname"));
      set_ip(out, "destination.ip", ev.value("DestinationIp"));
      set_number(out, "destination.port", ev.value("DestinationPort"));
      set_value(out, "destination.domain", ev.value("DestinationHostname"));
      const std::string_view proto = ev.value("Protocol");
      if (!proto.empty()) set_lower(out, "network.transport", proto);
      const std::string_view initiated = ev.value("Initiated");
      if (initiated == "true") out.set("network.direction", "egress");
      if (initiated == "false") out.set("network.direction", "ingress");
      const std::string_view v6 = ev.value("SourceIsIpv6");
      if (v6 == "true") out.set("network.type", "ipv6");
      if (v6 == "false") out.set("network.type", "ipv4");
      break;
    }
    case 6:
    case 7: {
      const std::string_view loaded = ev.value("ImageLoaded");
      set_file(out, loaded);
      if (id == 7 && !loaded.empty()) {
        out.set_copy("dll.path", loaded);
        out.set_copy("dll.name", base_name(loaded));
        set_value(out, "dll.pe.original_file_name", ev.value("OriginalFileName"));
        set_value(out, "dll.pe.description", ev.value("Description"));
        set_value(out, "dll.pe.product", ev.value("Product"));
        set_value(out, "dll.pe.company", ev.value("Company"));
        set_value(out, "dll.pe.file_version", ev.value("FileVersion"));
      }
      set_value(out, "file.pe.original_file_name", ev.value("OriginalFileName"));
      set_hashes(out, ev.value("Hashes"), true, id == 7);
      const std::string_view signed_ = ev.value("Signed");
      if (signed_ == "true" || signed_ == "false") {
        out.set_bool("file.code_signature.signed", signed_ == "true");
        if (id == 7) out.set_bool("dll.code_signature.signed", signed_ == "true");
      }
      set_value(out, "file.code_signature.subject_name", ev.value("Signature"));
      set_value(out, "file.code_signature.status", ev.value("SignatureStatus"));
      if (id == 7) {
        set_value(out, "dll.code_signature.subject_name", ev.value("Signature"));
        set_value(out, "dll.code_signature.status", ev.value("SignatureStatus"));
      }
      break;
    }
    case 2:
    case 11:
    case 15:
    case 23:
    case 26:
    case 27:
    case 28:
    case 29:
      set_file(out, ev.value("TargetFilename"));
      set_hashes(out, ev.value(id == 15 ? "Hash" : "Hashes"), true, false);
      break;
    case 12:
    case 13:
    case 14: {
      set_registry(out, ev.value("TargetObject"));
      const std::string_view details = ev.value("Details");
      if (!details.empty()) {
        out.add_copy("registry.data.strings", details);
        if (starts_with(details, "DWORD"))
          out.set("registry.data.type", "SZ_DWORD");
        else if (starts_with(details, "QWORD"))
          out.set("registry.data.type", "SZ_QWORD");
        else if (starts_with(details, "Binary Data"))
          out.set("registry.data.type", "REG_BINARY");
        else
          out.set("registry.data.type", "SZ");
      }
      break;
    }
    case 17:
    case 18: set_value(out, "file.name", ev.value("PipeName")); break;
    case 22: {
      out.add("event.category", "network");
      out.set("network.protocol", "dns");
      set_value(out, "dns.question.name", ev.value("QueryName"));
      set_dns_answers(out, ev.value("QueryResults"));
      break;
    }
    default: break;
  }
}

// "Microsoft-Windows-Sysmon/Operational" → windows.sysmon_operational.
void set_dataset(fields& out, std::string_view channel) {
  if (channel == "Windows PowerShell") {
    out.set("event.dataset", "windows.powershell");
    return;
  }
  std::string name = "windows.";
  std::string_view c = channel;
  consume(c, "Microsoft-Windows-");
  bool gap = false;
  for (char ch : c) {
    const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    const bool upper = ch >= 'A' && ch <= 'Z';
    if (alnum || upper) {
      if (gap && name.size() > 8) name.push_back('_');
      gap = false;
      name.push_back(upper ? char(ch - 'A' + 'a') : ch);
    } else {
      gap = true;
    }
  }
  if (name.size() == 8) name += "unknown";
  out.set_copy("event.dataset", name);
}

class windows_parser final : public parser {
 public:
  std::string_view name() const override { return "windows"; }
  std::string_view dataset() const override { return "windows"; }
  std::string_view description() const override {
    return "Windows events: JSON of Winlogbeat, NXLog, EvtxECmd, evtx_dump/Chainsaw/Hayabusa, "
           "Wazuh eventchannel; the event XML";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view text = line.header.message;
    thread_local win_event ev;
    if (const std::size_t tag = text.substr(0, 48).find(" WinEvtLog: ");
        tag != std::string_view::npos) {
      ev.clear();
      if (!read_winevtlog_text(text, ev))
        return {outcome::broken, "OSSEC WinEvtLog line without LEVEL(ID)"};
    } else if (starts_with(text, "<Event") || starts_with(text, "<?xml")) {
      // The event's XML rendering.
      if (text.find("<System>") == std::string_view::npos) return {};
      ev.clear();
      xml_event_reader reader(ev);
      if (!reader.read(text)) {
        thread_local std::string why;  // the reason outlives this call
        why = reader.error();
        return {outcome::broken, why};
      }
    } else {
      if (text.empty() || text[0] != '{') return {};
      // Cheap checks first: one of the shapes' own member names.
      const bool maybe = text.find("\"winlog\"") != std::string_view::npos ||
                         text.find("\"System\"") != std::string_view::npos ||
                         text.find("\"EventID\"") != std::string_view::npos ||
                         text.find("\"EventId\"") != std::string_view::npos ||
                         text.find("\"win\"") != std::string_view::npos;
      if (!maybe) return {};
      thread_local simdjson::dom::parser json;
      thread_local simdjson::dom::parser payload_json;
      element root;
      if (json.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS ||
          !root.is_object()) {
        // A shape's unmistakable start, but not JSON: a record cut short.
        if (starts_with(text, "{\"Event\":{") || starts_with(text, "{\"Event_attributes\"") ||
            text.find("\"winlog\":{") != std::string_view::npos)
          return {outcome::broken, "Windows event record is not a JSON object"};
        return {};  // not JSON: some other format mentions the words
      }
      ev.clear();
      const bool read = read_evtx_shape(root, ev) || read_winlogbeat_shape(root, ev) ||
                        read_evtxecmd_shape(root, ev, payload_json) ||
                        read_wazuh_shape(root, ev) || read_nxlog_shape(root, ev);
      if (!read) return {};
    }
    const auto id = to_int(ev.event_id);
    if (!id || *id < 0 || *id > 65535)
      return {outcome::broken, "Windows event without an event id"};
    if (ev.channel.empty() && ev.provider.empty())
      return {outcome::broken, "Windows event without a channel or provider"};

    // The System part, as Winlogbeat names it.
    set_time(out, "@timestamp", ev.time_text, ev.time_is_utc, line.tz);
    out.set_copy("winlog.event_id", ev.event_id);
    out.set_copy("event.code", ev.event_id);
    set_value(out, "winlog.channel", ev.channel);
    set_value(out, "winlog.provider_name", ev.provider);
    set_value(out, "event.provider", ev.provider);
    set_value(out, "winlog.provider_guid", ev.provider_guid);
    set_value(out, "winlog.computer_name", ev.computer);
    set_value(out, "host.name", ev.computer);
    set_value(out, "winlog.record_id", ev.record_id);
    set_value(out, "winlog.task", ev.task);
    set_value(out, "winlog.opcode", ev.opcode);
    set_value(out, "winlog.level", ev.level);
    set_value(out, "winlog.user.identifier", ev.user_sid);
    if (auto v = to_int(ev.version)) out.set_int("winlog.version", *v);
    if (ev.pid) out.set_int("winlog.process.pid", *ev.pid);
    if (ev.tid) out.set_int("winlog.process.thread.id", *ev.tid);
    set_value(out, "message", ev.message);
    for (std::string_view k : ev.keyword_names) out.add_copy("winlog.keywords", k);
    // Audit Success 0x8020000000000000, Audit Failure 0x8010000000000000.
    std::string_view outcome_word = ev.outcome_word;
    if (outcome_word.empty()) {
      for (std::string_view k : ev.keyword_names) {
        if (k == "Audit Success") outcome_word = "success";
        if (k == "Audit Failure") outcome_word = "failure";
      }
    }
    // EvtxECmd names the keywords ("Audit success").
    if (outcome_word.empty() && (ev.keywords.find("Audit Success") != std::string_view::npos ||
                                 ev.keywords.find("Audit success") != std::string_view::npos))
      outcome_word = "success";
    if (outcome_word.empty() && (ev.keywords.find("Audit Failure") != std::string_view::npos ||
                                 ev.keywords.find("Audit failure") != std::string_view::npos))
      outcome_word = "failure";
    if (outcome_word.empty() && ev.keywords.size() >= 5 && starts_with(ev.keywords, "0x80")) {
      if (ev.keywords[4] == '2') outcome_word = "success";
      if (ev.keywords[4] == '1') outcome_word = "failure";
    }
    if (outcome_word == "success" || outcome_word == "failure") {
      out.set_copy("winlog.outcome", outcome_word);
      out.set_copy("event.outcome", outcome_word);
      out.add_copy("winlog.keywords",
                   outcome_word == "success" ? "Audit Success" : "Audit Failure");
    }
    set_dataset(out, ev.channel.empty() ? ev.provider : ev.channel);

    // The event's own data, names as Windows gives them.
    for (const auto& [k, v] : ev.data) {
      if (!k.empty()) out.set_dynamic("winlog.event_data.", k, v, true);
    }
    // Arrays and objects (rare: the shippers flatten them) as their JSON text.
    for (const auto& [k, v] : ev.complex_data) {
      if (!k.empty()) out.set_dynamic("winlog.event_data.", k, simdjson::minify(v), true);
    }
    // Unnamed <Data> values (param1, param2... as Winlogbeat names them) are
    // also the list winlog.event_data.Data: Sigma's Windows PowerShell
    // (classic) rules read `Data`, the event's unnamed texts, as
    // evtx renders them.
    {
      // (number, text) of each paramN, in one pass; none when Data is named.
      std::vector<std::pair<unsigned, std::string_view>> unnamed;
      bool named = false;
      for (const auto& [k, v] : ev.data) {
        named = named || k == "Data";
        unsigned n = 0;
        if (k.size() > 5 && k.starts_with("param") &&
            std::from_chars(k.data() + 5, k.data() + k.size(), n).ptr == k.data() + k.size()) {
          unnamed.emplace_back(n, v);
        }
      }
      if (!named) {
        std::sort(unnamed.begin(), unnamed.end());
        for (std::size_t i = 0; i < unnamed.size() && unnamed[i].first == i + 1; ++i) {
          out.add_copy("winlog.event_data.Data", unnamed[i].second);
        }
      }
    }
    for (const auto& [k, v] : ev.user_data) {
      if (!k.empty()) out.set_dynamic("winlog.user_data.", k, v, true);
    }

    out.set("observer.vendor", "Microsoft");
    out.set("observer.product", "Windows");
    out.set("observer.type", "host");
    if (ev.provider == "Microsoft-Windows-Sysmon" ||
        ev.channel == "Microsoft-Windows-Sysmon/Operational") {
      map_sysmon(out, ev, int(*id));
    } else if (ev.provider == "Microsoft-Windows-Security-Auditing" ||
               ev.provider == "Microsoft-Windows-Eventlog" || ev.channel == "Security") {
      map_security(out, ev, int(*id));
    }
    if (!out.has("event.category")) {
      out.add("event.type", "info");
    }
    return {outcome::parsed, {}};
  }
};

}  // namespace

const parser& windows_event() {
  static const windows_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
