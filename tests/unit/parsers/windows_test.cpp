// Tests for parsers/windows.cpp: the four JSON shapes and the ECS mapping of
// the Security and Sysmon event ids.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::detect;
using testing::run;

BOOST_AUTO_TEST_SUITE(windows_events)

BOOST_AUTO_TEST_CASE(evtx_dump_shape_logon_maps_the_target_user) {
  const auto r = run(
      windows_event(),
      R"({"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},)"
      R"("System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing",)"
      R"("Guid":"{54849625-5478-4994-A5BA-3E3B0328C30D}"}},"EventID":4624,"Version":2,"Level":0,)"
      R"("Task":12544,"Keywords":"0x8020000000000000","TimeCreated":{"#attributes":)"
      R"({"SystemTime":"2024-10-03T03:00:01.123456Z"}},"EventRecordID":9001,"Execution":)"
      R"({"#attributes":{"ProcessID":652,"ThreadID":4100}},"Channel":"Security","Computer":)"
      R"("dc01.corp.example"},"EventData":{"SubjectUserName":"DC01$","TargetUserSid":"S-1-5-21-1-2-3-1104",)"
      R"("TargetUserName":"alice","TargetDomainName":"CORP","TargetLogonId":"0x1a2b3c","LogonType":10,)"
      R"("WorkstationName":"WS17","ProcessId":"0x3e8","ProcessName":"C:\\Windows\\System32\\svchost.exe",)"
      R"("IpAddress":"192.0.2.44","IpPort":"51515"}}})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:01.123Z\"");
  BOOST_TEST(r.get("event.dataset") == "\"windows.security\"");
  BOOST_TEST(r.get("event.code") == "\"4624\"");
  BOOST_TEST(r.get("winlog.event_id") == "\"4624\"");
  BOOST_TEST(r.get("winlog.record_id") == "\"9001\"");
  BOOST_TEST(r.get("winlog.process.pid") == "652");
  BOOST_TEST(r.get("winlog.provider_name") == "\"Microsoft-Windows-Security-Auditing\"");
  BOOST_TEST(r.get("host.name") == "\"dc01.corp.example\"");
  BOOST_TEST(r.get("event.action") == "\"logged-in\"");
  BOOST_TEST(r.get("event.category") == "[\"authentication\"]");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("user.domain") == "\"CORP\"");
  BOOST_TEST(r.get("user.id") == "\"S-1-5-21-1-2-3-1104\"");
  BOOST_TEST(r.get("winlog.logon.type") == "\"RemoteInteractive\"");
  BOOST_TEST(r.get("winlog.logon.id") == "\"0x1a2b3c\"");
  BOOST_TEST(r.get("source.ip") == "\"192.0.2.44\"");
  BOOST_TEST(r.get("source.port") == "51515");
  BOOST_TEST(r.get("source.domain") == "\"WS17\"");
  BOOST_TEST(r.get("process.pid") == "1000");
  BOOST_TEST(r.get("process.name") == "\"svchost.exe\"");
  BOOST_TEST(r.get("related.user") == "[\"alice\",\"DC01$\"]");
  // The event's own names and values, as strings, for Sigma.
  BOOST_TEST(r.get("winlog.event_data.LogonType") == "\"10\"");
  BOOST_TEST(r.get("winlog.event_data.TargetUserName") == "\"alice\"");
}

BOOST_AUTO_TEST_CASE(python_evtx_and_chainsaw_attribute_forms) {
  // python-evtx: attributes as plain members, EventID as #text, a UTC time
  // without a zone.
  const auto p = run(
      windows_event(),
      R"({"Event":{"System":{"Provider":{"Name":"Microsoft-Windows-Security-Auditing"},)"
      R"("EventID":{"Qualifiers":"","#text":"5145"},"TimeCreated":{"SystemTime":)"
      R"("2019-02-16 17:54:26.956251"},"EventRecordID":"237285","Execution":{"ProcessID":"528",)"
      R"("ThreadID":"548"},"Channel":"Security","Computer":"PC01.example.corp"},"EventData":)"
      R"({"SubjectUserName":"IEUser","SubjectDomainName":"PC01","IpAddress":"10.0.2.16",)"
      R"("IpPort":"59492","ShareName":"\\\\*\\ADMIN$","ShareLocalPath":"\\??\\C:\\Windows",)"
      R"("RelativeTargetName":"PSEXESVC.exe"}}})");
  BOOST_TEST((p.what == outcome::parsed));
  BOOST_TEST(p.get("@timestamp") == "\"2019-02-16T17:54:26.956Z\"");
  BOOST_TEST(p.get("winlog.event_id") == "\"5145\"");
  BOOST_TEST(p.get("event.action") == "\"network-share-object-access-checked\"");
  BOOST_TEST(p.get("user.name") == "\"IEUser\"");
  BOOST_TEST(p.get("source.ip") == "\"10.0.2.16\"");
  BOOST_TEST(p.get("winlog.event_data.ShareName") == "\"\\\\\\\\*\\\\ADMIN$\"");
  BOOST_TEST(p.get("winlog.process.thread.id") == "548");
  // evtx_dump --separate-json-attributes (Chainsaw): Provider_attributes...
  const auto c = run(
      windows_event(),
      R"({"Event_attributes":{"xmlns":"x"},"Event":{"System":{"Provider_attributes":)"
      R"({"Name":"Microsoft-Windows-Security-Auditing"},"EventID":4634,"TimeCreated_attributes":)"
      R"({"SystemTime":"2022-10-11T19:26:52.154080Z"},"Channel":"Security","Computer":"WS1"},)"
      R"("EventData":{"TargetUserName":"bob","TargetLogonId":"0x99","LogonType":3}}})");
  BOOST_TEST(c.get("event.provider") == "\"Microsoft-Windows-Security-Auditing\"");
  BOOST_TEST(c.get("@timestamp") == "\"2022-10-11T19:26:52.154Z\"");
  BOOST_TEST(c.get("event.action") == "\"logged-out\"");
  BOOST_TEST(c.get("event.type") == "[\"end\"]");
  BOOST_TEST(c.get("winlog.logon.type") == "\"Network\"");
}

BOOST_AUTO_TEST_CASE(winlogbeat_process_creation) {
  const auto r = run(
      windows_event(),
      R"({"@timestamp":"2024-01-01T00:00:00.000Z","event":{"kind":"event","code":4688},)"
      R"("winlog":{"record_id":5010,"provider_name":"Microsoft-Windows-Security-Auditing",)"
      R"("computer_name":"vagrant","keywords":["Audit Success"],"time_created":)"
      R"("2019-11-14T17:10:15.151Z","channel":"Security","event_id":4688,"process":{"pid":4,)"
      R"("thread":{"id":5076}},"event_data":{"SubjectUserName":"vagrant","SubjectDomainName":)"
      R"("VAGRANT","SubjectUserSid":"S-1-5-21-9-1000","SubjectLogonId":"0x274a2","NewProcessId":)"
      R"("0x11cc","ProcessId":"0x122c","CommandLine":"\"C:\\Windows\\system32\\wevtutil.exe\" cl Security",)"
      R"("NewProcessName":"C:\\Windows\\System32\\wevtutil.exe","ParentProcessName":)"
      R"("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe","TargetUserSid":"S-1-0-0"}}})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2019-11-14T17:10:15.151Z\"");
  BOOST_TEST(r.get("winlog.record_id") == "\"5010\"");
  BOOST_TEST(r.get("event.action") == "\"created-process\"");
  BOOST_TEST(r.get("process.pid") == "4556");
  BOOST_TEST(r.get("process.parent.pid") == "4652");
  BOOST_TEST(r.get("process.name") == "\"wevtutil.exe\"");
  BOOST_TEST(r.get("process.parent.name") == "\"powershell.exe\"");
  BOOST_TEST(r.get("process.args") ==
             "[\"\\\"C:\\\\Windows\\\\system32\\\\wevtutil.exe\\\"\",\"cl\",\"Security\"]");
  BOOST_TEST(r.get("user.name") == "\"vagrant\"");
  BOOST_TEST(r.get("user.effective.id") == "\"S-1-0-0\"");
  BOOST_TEST(r.get("winlog.logon.id") == "\"0x274a2\"");
  BOOST_TEST(r.get("event.outcome") == "\"success\"");
}

BOOST_AUTO_TEST_CASE(nxlog_flat_sysmon_process_create) {
  const auto r = run(
      windows_event(),
      R"({"EventTime":"2024-10-03 12:00:00","Hostname":"ws1.corp.example","Keywords":-9223372036854775808,)"
      R"("EventType":"INFO","SeverityValue":2,"Severity":"INFO","EventID":1,"SourceName":)"
      R"("Microsoft-Windows-Sysmon","RecordNumber":77,"ExecutionProcessID":3000,"ThreadID":4000,)"
      R"("Channel":"Microsoft-Windows-Sysmon/Operational","Domain":"NT AUTHORITY","AccountName":"SYSTEM",)"
      R"("Message":"Process Create:","ProcessGuid":"{a-b}","ProcessId":"4242","Image":)"
      R"("C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd.exe /c whoami","User":"CORP\\alice",)"
      R"("ParentImage":"C:\\Windows\\explorer.exe","ParentProcessId":"1000","Hashes":)"
      R"("MD5=AABB,SHA256=CCDD,IMPHASH=EEFF","EventReceivedTime":"2024-10-03 12:00:01"})",
      *mimamori::time::zone::locate("Asia/Tokyo"));
  BOOST_TEST((r.what == outcome::parsed));
  // EventTime is the agent's local time.
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("event.dataset") == "\"windows.sysmon_operational\"");
  BOOST_TEST(r.get("event.action") == "\"process-created\"");
  BOOST_TEST(r.get("winlog.event_data.Image") == "\"C:\\\\Windows\\\\System32\\\\cmd.exe\"");
  BOOST_TEST(r.get("winlog.event_data.CommandLine") == "\"cmd.exe /c whoami\"");
  BOOST_TEST(!r.has("winlog.event_data.Hostname"));  // NXLog's own, not the event's
  BOOST_TEST(!r.has("winlog.event_data.EventReceivedTime"));
  BOOST_TEST(r.get("winlog.process.pid") == "3000");
  BOOST_TEST(r.get("process.pid") == "4242");
  BOOST_TEST(r.get("process.parent.name") == "\"explorer.exe\"");
  BOOST_TEST(r.get("process.hash.md5") == "\"aabb\"");
  BOOST_TEST(r.get("process.hash.sha256") == "\"ccdd\"");
  BOOST_TEST(r.get("process.pe.imphash") == "\"eeff\"");
  BOOST_TEST(r.get("related.hash") == "[\"aabb\",\"ccdd\"]");
  BOOST_TEST(r.get("user.name") == "\"alice\"");
  BOOST_TEST(r.get("user.domain") == "\"CORP\"");
  BOOST_TEST(r.get("message") == "\"Process Create:\"");
}

BOOST_AUTO_TEST_CASE(evtxecmd_payload_and_unnamed_data) {
  const auto r = run(
      windows_event(),
      R"({"PayloadData1":"Target: CORP\\bob","Computer":"dc01","Payload":"{\"EventData\":{\"Data\":)"
      R"([{\"@Name\":\"TargetUserName\",\"#text\":\"bob\"},{\"@Name\":\"TargetDomainName\",)"
      R"(\"#text\":\"CORP\"},{\"@Name\":\"Status\",\"#text\":\"0x18\"},{\"@Name\":\"IpAddress\",)"
      R"(\"#text\":\"::ffff:198.51.100.9\"}]}}","Channel":"Security","Provider":)"
      R"("Microsoft-Windows-Security-Auditing","EventId":4771,"EventRecordId":"12","ProcessId":620,)"
      R"("ThreadId":700,"Keywords":"Audit Failure","TimeCreated":"2024-10-03T03:00:00.1234567+00:00"})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.123Z\"");
  BOOST_TEST(r.get("winlog.event_data.Status") == "\"0x18\"");
  BOOST_TEST(r.get("event.action") == "\"kerberos-preauth-failed\"");
  BOOST_TEST(r.get("event.outcome") == "\"failure\"");
  BOOST_TEST(r.get("user.name") == "\"bob\"");
  BOOST_TEST(r.get("source.ip") == "\"198.51.100.9\"");
  // Unnamed <Data> elements are param1, param2... as Winlogbeat names them.
  const auto u =
      run(windows_event(),
          R"({"Event":{"System":{"Provider":{"#attributes":{"Name":"Service Control Manager"}},)"
          R"("EventID":7036,"Channel":"System","Computer":"h"},"EventData":{"Data":)"
          R"({"#text":["Windows Update","running"]}}}})");
  BOOST_TEST(u.get("event.dataset") == "\"windows.system\"");
  BOOST_TEST(u.get("winlog.event_data.param1") == "\"Windows Update\"");
  BOOST_TEST(u.get("winlog.event_data.param2") == "\"running\"");
  // ... and the list winlog.event_data.Data, which Sigma's classic
  // PowerShell rules read as `Data`.
  BOOST_TEST(u.get("winlog.event_data.Data") == R"(["Windows Update","running"])");
  // A Winlogbeat event names them param1... itself; a named Data stays.
  const auto w = run(windows_event(),
                     R"({"winlog":{"channel":"Windows PowerShell","event_id":600,"provider_name":)"
                     R"("PowerShell","event_data":{"param1":"Registry","param2":"Started",)"
                     R"("param3":"ProviderName=Registry HostApplication=powershell Set-MpPreference"}}})");
  BOOST_TEST(w.get("winlog.event_data.Data") ==
             R"(["Registry","Started","ProviderName=Registry HostApplication=powershell Set-MpPreference"])");
  const auto named =
      run(windows_event(),
          R"({"winlog":{"channel":"System","event_id":1,"provider_name":"X","event_data":)"
          R"({"param1":"a","Data":"b"}}})");
  BOOST_TEST(named.get("winlog.event_data.Data") == "\"b\"");
}

BOOST_AUTO_TEST_CASE(sysmon_network_dns_registry_and_file) {
  auto sysmon = [](int id, const std::string& data) {
    return run(
        windows_event(),
        R"({"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},)"
        R"("EventID":)" +
            std::to_string(id) +
            R"(,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws1"},)"
            R"("EventData":{"Image":"C:\\Tools\\a.exe","ProcessId":7,)" +
            data + "}}}");
  };
  const auto net =
      sysmon(3, R"("Protocol":"tcp","Initiated":"true","SourceIsIpv6":"false",)"
                R"("SourceIp":"10.0.0.5","SourcePort":"50000","DestinationIp":)"
                R"("203.0.113.80","DestinationPort":"443","DestinationHostname":"x.example")");
  BOOST_TEST(net.get("source.ip") == "\"10.0.0.5\"");
  BOOST_TEST(net.get("destination.port") == "443");
  BOOST_TEST(net.get("destination.domain") == "\"x.example\"");
  BOOST_TEST(net.get("network.direction") == "\"egress\"");
  BOOST_TEST(net.get("network.transport") == "\"tcp\"");
  BOOST_TEST(net.get("process.name") == "\"a.exe\"");
  const auto dns = sysmon(22, R"("QueryName":"evil.example","QueryStatus":"0","QueryResults":)"
                              R"("type:  5 cdn.example;::ffff:198.51.100.1;")");
  BOOST_TEST(dns.get("dns.question.name") == "\"evil.example\"");
  BOOST_TEST(dns.get("dns.resolved_ip") == "[\"198.51.100.1\"]");
  BOOST_TEST(
      dns.get("dns.answers") ==
      "[{\"data\":\"cdn.example\",\"type\":\"CNAME\"},{\"data\":\"198.51.100.1\",\"type\":\"A\"}]");
  const auto reg = sysmon(13, R"("EventType":"SetValue","TargetObject":)"
                              R"("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\evil",)"
                              R"("Details":"C:\\evil.exe")");
  BOOST_TEST(reg.get("registry.hive") == "\"HKLM\"");
  BOOST_TEST(reg.get("registry.value") == "\"evil\"");
  BOOST_TEST(reg.get("registry.key") ==
             "\"SOFTWARE\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\"");
  BOOST_TEST(reg.get("event.category") == "[\"registry\"]");
  const auto file = sysmon(11, R"("TargetFilename":"C:\\Users\\a\\x.ps1")");
  BOOST_TEST(file.get("file.name") == "\"x.ps1\"");
  BOOST_TEST(file.get("file.extension") == "\"ps1\"");
  BOOST_TEST(file.get("event.type") == "[\"creation\"]");
  const auto dll =
      sysmon(7, R"("ImageLoaded":"C:\\Windows\\System32\\dbghelp.dll","Signed":"true",)"
                R"("Hashes":"SHA1=AA,MD5=BB")");
  BOOST_TEST(dll.get("dll.name") == "\"dbghelp.dll\"");
  BOOST_TEST(dll.get("dll.hash.sha1") == "\"aa\"");
  BOOST_TEST(dll.get("file.code_signature.signed") == "true");
}

BOOST_AUTO_TEST_CASE(account_management_targets_and_groups) {
  auto security = [](int id, const std::string& data) {
    return run(
        windows_event(),
        R"({"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing"}},)"
        R"("EventID":)" +
            std::to_string(id) +
            R"(,"Channel":"Security","Computer":"dc01"},"EventData":{"SubjectUserName":"admin",)"
            R"("SubjectDomainName":"CORP","SubjectUserSid":"S-1-5-21-500",)" +
            data + "}}}");
  };
  const auto renamed = security(4781, R"("OldTargetUserName":"old","NewTargetUserName":"new")");
  BOOST_TEST(renamed.get("user.target.name") == "\"old\"");
  BOOST_TEST(renamed.get("user.changes.name") == "\"new\"");
  const auto member = security(4732, R"("MemberName":"CN=Jane Doe,OU=Staff,DC=corp","MemberSid":)"
                                     R"("S-1-5-21-77","TargetUserName":"Administrators",)"
                                     R"("TargetDomainName":"Builtin","TargetSid":"S-1-5-32-544")");
  BOOST_TEST(member.get("event.action") == "\"added-member-to-group\"");
  BOOST_TEST(member.get("group.name") == "\"Administrators\"");
  BOOST_TEST(member.get("user.target.name") == "\"Jane Doe\"");
  BOOST_TEST(member.get("user.target.id") == "\"S-1-5-21-77\"");
  BOOST_TEST(member.get("user.name") == "\"admin\"");
  const auto created = security(4720, R"("TargetUserName":"eve","TargetSid":"S-1-5-21-1200")");
  BOOST_TEST(created.get("event.type") == "[\"user\",\"creation\"]");
  BOOST_TEST(created.get("related.user") == "[\"admin\",\"eve\"]");
}

BOOST_AUTO_TEST_CASE(declines_other_json_and_rejects_an_event_without_id) {
  BOOST_TEST((run(windows_event(), R"({"event_type":"alert","src_ip":"10.0.0.1"})").what ==
              outcome::no_match));
  BOOST_TEST(
      (run(windows_event(), "Oct  3 03:00:00 host EventID 4624 text").what == outcome::no_match));
  // JSON that mentions EventID but is no shape of a Windows event.
  BOOST_TEST((run(windows_event(), R"({"EventID":4624})").what == outcome::no_match));
  const auto r =
      run(windows_event(), R"({"Event":{"System":{"Channel":"Security","Computer":"h"}}})");
  BOOST_TEST((r.what == outcome::broken));
  BOOST_TEST(detect(R"({"Event":{"System":{"EventID":1,"Channel":"Security"}}})") == "windows");
}

BOOST_AUTO_TEST_SUITE_END()
