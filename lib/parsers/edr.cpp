// edr: endpoint alerts as JSON, one object per line.
//   Microsoft Defender for Endpoint: the Graph security alert (alerts_v2,
//     "evidence" entities with "@odata.type") and the MDE API alert
//     ("alertCreationTime", "computerDnsName", evidence with "entityType").
//     Dataset microsoft_defender_endpoint.alert.
//   SentinelOne: the threat/alert export ("alertInfo", "ruleInfo",
//     "sourceProcessInfo", "agentDetectionInfo"...). Dataset sentinel_one.alert.
// (Trend Micro Apex One sends CEF: see cef.cpp.) ECS names follow Elastic's
// m365_defender and sentinel_one integrations; severity on the 0-100 scale
// Elastic uses for them (Low 21, Medium 47, High 73, Critical 99).
#include <simdjson.h>

#include <string>

#include "parsers/parser.hpp"
#include "parsers/scan.hpp"
#include "parsers/vendor_common.hpp"
#include "time/rfc3339.hpp"

namespace mimamori::parsers {
namespace {

using simdjson::dom::element;
using namespace vendor;

std::string_view str(element e, std::string_view key) {
  std::string_view v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS) return v;
  return {};
}
std::optional<element> obj(element e, std::string_view key) {
  element v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS && v.is_object()) return v;
  return std::nullopt;
}
std::optional<simdjson::dom::array> arr(element e, std::string_view key) {
  simdjson::dom::array v;
  if (e.is_object() && e[key].get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}
void set_str(fields& out, std::string_view path, element e, std::string_view key) {
  const std::string_view v = str(e, key);
  if (!v.empty()) out.set_copy(path, v);
}
void set_time_of(fields& out, std::string_view path, element e, std::string_view key,
                 const time::zone& tz) {
  const std::string_view v = str(e, key);
  if (v.empty()) return;
  if (auto t = time::scan_local_iso(v, tz)) set_time(out, path, t->value);
}
// A number sent as a number or as a string.
void set_int_of(fields& out, std::string_view path, element e, std::string_view key) {
  std::int64_t n = 0;
  if (e.is_object() && e[key].get(n) == simdjson::SUCCESS) {
    out.set_int(path, n);
    return;
  }
  if (auto v = to_int(str(e, key))) out.set_int(path, *v);
}
void set_hash(fields& out, std::string_view path, element e, std::string_view key) {
  const std::string_view v = str(e, key);
  if (v.empty()) return;
  out.set_copy(path, v);
  out.add_copy("related.hash", v);
}
void set_ip_of(fields& out, std::string_view path, element e, std::string_view key) {
  const std::string_view v = str(e, key);
  if (!is_ip(v)) return;
  out.set_copy(path, v);
  out.add_copy("related.ip", v);
}
std::int64_t severity_score(std::string_view word) {
  if (iequals(word, "critical")) return 99;
  if (iequals(word, "high")) return 73;
  if (iequals(word, "medium")) return 47;
  if (iequals(word, "low")) return 21;
  if (iequals(word, "informational") || iequals(word, "info")) return 21;
  return 0;
}

void sentinel_process(fields& out, element p, bool parent) {
  const std::string_view pre = parent ? "process.parent." : "process.";
  // Paths are built at run time: set_dynamic copies them.
  auto put = [&](std::string_view leaf, std::string_view key) {
    const std::string_view v = str(p, key);
    if (!v.empty()) out.set_dynamic(pre, leaf, v, true);
  };
  put("name", "name");
  put("command_line", "commandline");
  put("executable", "filePath");
  put("entity_id", "uniqueId");
  put("user.name", "user");
  put("code_signature.signing_id", "fileSignerIdentity");
  put("hash.md5", "fileHashMd5");
  put("hash.sha1", "fileHashSha1");
  put("hash.sha256", "fileHashSha256");
  for (std::string_view k : {"fileHashMd5", "fileHashSha1", "fileHashSha256"}) {
    const std::string_view v = str(p, k);
    if (!v.empty()) out.add_copy("related.hash", v);
  }
  const std::string_view user = str(p, "user");
  if (!user.empty()) out.add_copy("related.user", user);
  if (auto pid = to_int(str(p, "pid")))
    out.set_int(parent ? "process.parent.pid" : "process.pid", *pid);
  const std::string_view start = str(p, "pidStarttime");
  if (!start.empty()) {
    if (auto t = time::scan_local_iso(start, time::zone::utc())) {
      char buffer[32];
      time::write_utc_ms(buffer, t->value);
      out.set_dynamic(pre, "start", std::string_view(buffer, time::utc_ms_length), true);
    }
  }
}

class edr_parser final : public parser {
 public:
  std::string_view name() const override { return "edr"; }
  std::string_view dataset() const override { return "edr.alert"; }
  std::string_view description() const override {
    return "EDR alerts as JSON: Microsoft Defender for Endpoint (Graph and API alerts), "
           "SentinelOne";
  }
  parse_result parse(const line_context& line, fields& out) const override {
    const std::string_view text = line.header.message;
    if (text.empty() || text[0] != '{') return {};
    const bool s1 = text.find("\"alertInfo\"") != std::string_view::npos &&
                    (text.find("\"ruleInfo\"") != std::string_view::npos ||
                     text.find("\"agentDetectionInfo\"") != std::string_view::npos);
    const bool mde = !s1 && (text.find("\"detectionSource\"") != std::string_view::npos ||
                             text.find("\"alertCreationTime\"") != std::string_view::npos) &&
                     (text.find("\"evidence\"") != std::string_view::npos ||
                      text.find("\"computerDnsName\"") != std::string_view::npos ||
                      text.find("\"serviceSource\"") != std::string_view::npos);
    if (!s1 && !mde) return {};
    thread_local simdjson::dom::parser json;
    element root;
    if (json.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS || !root.is_object())
      return {outcome::broken, "EDR alert is not a JSON object"};
    out.set("observer.type", "edr");
    out.add("event.type", "info");
    out.set("event.kind", "alert");  // the EDR agent raised it
    if (s1)
      sentinel_one(out, root, line);
    else
      defender(out, root, line);
    return {outcome::parsed, {}};
  }

 private:
  static void sentinel_one(fields& out, element root, const line_context& line) {
    out.set("event.dataset", "sentinel_one.alert");
    out.set("observer.vendor", "SentinelOne");
    out.set("observer.product", "Singularity");
    out.add("event.category", "malware");
    if (auto a = obj(root, "alertInfo")) {
      set_time_of(out, "@timestamp", *a, "createdAt", line.tz);
      set_str(out, "event.id", *a, "alertId");
      set_ip_of(out, "source.ip", *a, "srcIp");
      set_ip_of(out, "destination.ip", *a, "dstIp");
      set_int_of(out, "source.port", *a, "srcPort");
      set_int_of(out, "destination.port", *a, "dstPort");
      set_str(out, "dns.question.name", *a, "dnsRequest");
      set_str(out, "registry.path", *a, "registryPath");
      set_str(out, "registry.key", *a, "registryKeyPath");
      set_str(out, "registry.value", *a, "registryValue");
      set_str(out, "dll.path", *a, "modulePath");
      set_str(out, "dll.hash.sha1", *a, "moduleSha1");
      set_str(out, "sentinel_one.alert.analyst_verdict", *a, "analystVerdict");
      set_str(out, "sentinel_one.alert.incident_status", *a, "incidentStatus");
      set_str(out, "sentinel_one.alert.event_type", *a, "eventType");
      set_str(out, "sentinel_one.alert.hit_type", *a, "hitType");
      const std::string_view machine = str(*a, "srcMachineIp");
      if (is_ip(machine)) {
        out.add_copy("host.ip", machine);
        out.add_copy("related.ip", machine);
      }
      const std::string_view login = str(*a, "loginsUserName");
      if (!login.empty()) {
        out.set_copy("user.name", login);
        out.add_copy("related.user", login);
      }
      set_str(out, "user.domain", *a, "loginAccountDomain");
    }
    if (auto r = obj(root, "ruleInfo")) {
      set_str(out, "rule.id", *r, "id");
      set_str(out, "rule.name", *r, "name");
      set_str(out, "message", *r, "name");
      set_str(out, "rule.description", *r, "description");
      if (auto s = severity_score(str(*r, "severity")); s > 0) out.set_int("event.severity", s);
    }
    if (auto p = obj(root, "sourceProcessInfo")) sentinel_process(out, *p, false);
    if (auto p = obj(root, "sourceParentProcessInfo")) sentinel_process(out, *p, true);
    if (auto t = obj(root, "targetProcessInfo")) {
      set_time_of(out, "file.created", *t, "tgtFileCreatedAt", line.tz);
      set_time_of(out, "file.mtime", *t, "tgtFileModifiedAt", line.tz);
      set_str(out, "file.path", *t, "tgtFilePath");
      set_hash(out, "file.hash.sha1", *t, "tgtFileHashSha1");
      set_hash(out, "file.hash.sha256", *t, "tgtFileHashSha256");
    }
    if (auto d = obj(root, "agentDetectionInfo")) {
      set_str(out, "host.name", *d, "name");
      set_str(out, "host.os.family", *d, "osFamily");
      set_str(out, "host.os.name", *d, "osName");
      set_str(out, "host.os.version", *d, "osRevision");
      set_str(out, "host.type", *d, "machineType");
      set_str(out, "observer.serial_number", *d, "uuid");
      set_str(out, "observer.version", *d, "version");
      const std::string_view host = str(*d, "name");
      if (!host.empty()) out.add_copy("related.hosts", host);
    }
    if (auto r = obj(root, "agentRealtimeInfo")) {
      set_str(out, "host.id", *r, "id");
      set_str(out, "host.os.type", *r, "os");
    }
    if (auto c = obj(root, "containerInfo")) {
      set_str(out, "container.id", *c, "id");
      set_str(out, "container.name", *c, "name");
      set_str(out, "container.image.name", *c, "image");
    }
    if (auto k = obj(root, "kubernetesInfo")) {
      set_str(out, "orchestrator.cluster.name", *k, "cluster");
      set_str(out, "orchestrator.namespace", *k, "namespace");
    }
  }

  static void defender(fields& out, element root, const line_context& line) {
    out.set("event.dataset", "microsoft_defender_endpoint.alert");
    out.set("observer.vendor", "Microsoft");
    out.set("observer.product", "Defender for Endpoint");
    set_str(out, "event.id", root, "id");
    set_str(out, "rule.name", root, "title");
    set_str(out, "message", root, "title");
    set_str(out, "rule.description", root, "description");
    set_str(out, "rule.id", root, "detectorId");
    set_str(out, "event.provider", root, "detectionSource");
    set_str(out, "microsoft.defender.status", root, "status");
    set_str(out, "microsoft.defender.category", root, "category");
    set_str(out, "microsoft.defender.incident_id", root, "incidentId");
    set_str(out, "microsoft.defender.threat_family", root, "threatFamilyName");
    set_str(out, "event.url", root, "alertWebUrl");
    set_time_of(out, "@timestamp", root, "createdDateTime", line.tz);
    set_time_of(out, "@timestamp", root, "alertCreationTime", line.tz);
    set_time_of(out, "event.start", root, "firstActivityDateTime", line.tz);
    set_time_of(out, "event.start", root, "firstEventTime", line.tz);
    set_time_of(out, "event.end", root, "lastActivityDateTime", line.tz);
    set_time_of(out, "event.end", root, "lastEventTime", line.tz);
    if (auto s = severity_score(str(root, "severity")); s > 0) out.set_int("event.severity", s);
    set_str(out, "host.hostname", root, "computerDnsName");
    set_str(out, "host.id", root, "machineId");
    const std::string_view category = str(root, "category");
    out.add("event.category", icontains(category, "malware") || icontains(category, "ransom")
                                  ? "malware"
                                  : "intrusion_detection");
    if (auto techniques = arr(root, "mitreTechniques")) {
      for (element t : *techniques) {
        std::string_view id;
        if (t.get(id) == simdjson::SUCCESS) out.add_copy("threat.technique.id", id);
      }
    }
    if (auto user = obj(root, "relatedUser")) {
      const std::string_view name = str(*user, "userName");
      if (!name.empty()) {
        out.set_copy("user.name", name);
        out.add_copy("related.user", name);
      }
      set_str(out, "user.domain", *user, "domainName");
    }
    auto evidence = arr(root, "evidence");
    if (!evidence) return;
    for (element e : *evidence) {
      std::string_view type = str(e, "@odata.type");
      if (type.empty()) type = str(e, "entityType");
      const std::size_t dot = type.rfind('.');
      if (dot != std::string_view::npos) type = type.substr(dot + 1);
      if (icontains(type, "device")) {
        set_str(out, "host.hostname", e, "deviceDnsName");
        set_str(out, "host.id", e, "mdeDeviceId");
        const std::string_view host = str(e, "deviceDnsName");
        if (!host.empty()) out.add_copy("related.hosts", host);
      } else if (icontains(type, "process")) {
        set_int_of(out, "process.pid", e, "processId");
        set_str(out, "process.command_line", e, "processCommandLine");
        set_int_of(out, "process.parent.pid", e, "parentProcessId");
        if (auto image = obj(e, "imageFile")) {
          set_str(out, "process.name", *image, "fileName");
          set_hash(out, "process.hash.sha1", *image, "sha1");
          set_hash(out, "process.hash.sha256", *image, "sha256");
          const std::string_view dir = str(*image, "filePath"), file = str(*image, "fileName");
          if (!dir.empty() && !file.empty()) {
            std::string full(dir);
            if (full.back() != '\\' && full.back() != '/') full.push_back('\\');
            full.append(file);
            out.set_copy("process.executable", full);
          }
        }
        if (auto account = obj(e, "userAccount")) {
          const std::string_view name = str(*account, "accountName");
          if (!name.empty()) {
            out.set_copy("process.user.name", name);
            out.add_copy("related.user", name);
          }
        }
      } else if (icontains(type, "file")) {
        element details = e;
        if (auto d = obj(e, "fileDetails")) details = *d;
        set_str(out, "file.name", details, "fileName");
        set_str(out, "file.directory", details, "filePath");
        set_hash(out, "file.hash.sha1", details, "sha1");
        set_hash(out, "file.hash.sha256", details, "sha256");
      } else if (icontains(type, "user")) {
        element account = e;
        if (auto a = obj(e, "userAccount")) account = *a;
        const std::string_view name = str(account, "accountName");
        if (!name.empty()) {
          out.set_copy("user.name", name);
          out.add_copy("related.user", name);
        }
        set_str(out, "user.domain", account, "domainName");
      } else if (icontains(type, "ip")) {
        set_ip_of(out, "destination.ip", e, "ipAddress");
      } else if (icontains(type, "url")) {
        const std::string_view url = str(e, "url");
        if (!url.empty()) {
          out.set_copy("url.original", url);
          out.set_copy("url.full", url);
        }
      }
    }
  }
};

}  // namespace

const parser& edr() {
  static const edr_parser instance;
  return instance;
}

}  // namespace mimamori::parsers
