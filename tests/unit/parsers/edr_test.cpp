// Tests for parsers/edr.cpp, on alerts shaped as Microsoft's Graph security
// alert and MDE API alert documentation and SentinelOne's alert export show.
#include <boost/test/unit_test.hpp>

#include "parse_helper.hpp"

using namespace mimamori::parsers;
using testing::run;

BOOST_AUTO_TEST_SUITE(edr_alerts)

BOOST_AUTO_TEST_CASE(defender_graph_alert_with_evidence) {
  const auto r = run(edr(),
                     R"({"id":"da1","severity":"high","detectionSource":"antivirus",)"
                     R"("title":"Hidden file","category":"DefenseEvasion",)"
                     R"("createdDateTime":"2024-10-03T02:58:01.1234567Z","mitreTechniques":["T1564"],)"
                     R"("evidence":[{"@odata.type":"#microsoft.graph.security.deviceEvidence",)"
                     R"("deviceDnsName":"ws-042"},{"@odata.type":"#microsoft.graph.security.processEvidence",)"
                     R"("processId":4780,"processCommandLine":"wscript.exe x.vbs","imageFile":)"
                     R"({"fileName":"wscript.exe","filePath":"C:\\Windows","sha1":"aa"},)"
                     R"("userAccount":{"accountName":"alice"}}]})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.dataset") == "\"microsoft_defender_endpoint.alert\"");
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T02:58:01.123Z\"");
  BOOST_TEST(r.get("event.severity") == "73");
  BOOST_TEST(r.get("rule.name") == "\"Hidden file\"");
  BOOST_TEST(r.get("host.hostname") == "\"ws-042\"");
  BOOST_TEST(r.get("process.pid") == "4780");
  BOOST_TEST(r.get("process.executable") == "\"C:\\\\Windows\\\\wscript.exe\"");
  BOOST_TEST(r.get("process.user.name") == "\"alice\"");
  BOOST_TEST(r.get("threat.technique.id") == "[\"T1564\"]");
  BOOST_TEST(r.get("related.hash") == "[\"aa\"]");
}

BOOST_AUTO_TEST_CASE(defender_api_alert_is_malware_with_file_hashes) {
  const auto r = run(edr(),
                     R"({"alertId":"x","title":"EICAR","severity":"Informational",)"
                     R"("category":"Malware","detectionSource":"WindowsDefenderAv",)"
                     R"("alertCreationTime":"2024-10-03T02:50:00Z","computerDnsName":"ws-7",)"
                     R"("relatedUser":{"userName":"bob","domainName":"CORP"},)"
                     R"("evidence":[{"entityType":"File","sha256":"bb","fileName":"eicar.com"}]})");
  BOOST_TEST(r.get("event.category") == "[\"malware\"]");
  BOOST_TEST(r.get("file.name") == "\"eicar.com\"");
  BOOST_TEST(r.get("file.hash.sha256") == "\"bb\"");
  BOOST_TEST(r.get("user.name") == "\"bob\"");
  BOOST_TEST(r.get("user.domain") == "\"CORP\"");
}

BOOST_AUTO_TEST_CASE(sentinel_one_alert) {
  const auto r = run(edr(),
                     R"({"alertInfo":{"alertId":"199","createdAt":"2024-10-03T02:45:10.250000Z",)"
                     R"("srcIp":"10.0.40.113","dstIp":"198.51.100.12","dstPort":"443"},)"
                     R"("ruleInfo":{"id":"14","name":"Beacon","severity":"Medium"},)"
                     R"("sourceProcessInfo":{"name":"upd.exe","pid":"6120","user":"CORP\\carol"},)"
                     R"("agentDetectionInfo":{"name":"lt-113","osFamily":"windows"}})");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.dataset") == "\"sentinel_one.alert\"");
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T02:45:10.250Z\"");
  BOOST_TEST(r.get("event.id") == "\"199\"");
  BOOST_TEST(r.get("event.severity") == "47");
  BOOST_TEST(r.get("destination.port") == "443");
  BOOST_TEST(r.get("process.pid") == "6120");
  BOOST_TEST(r.get("process.user.name") == "\"CORP\\\\carol\"");
  BOOST_TEST(r.get("host.name") == "\"lt-113\"");
}

BOOST_AUTO_TEST_CASE(broken_json_and_other_objects) {
  BOOST_TEST((run(edr(), R"({"alertInfo":{"x":1},"ruleInfo":{)").what == outcome::broken));
  BOOST_TEST((run(edr(), R"({"event_type":"alert"})").what == outcome::no_match));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(apex_one_cef)

BOOST_AUTO_TEST_CASE(apex_one_keys_on_top_of_cef) {
  const auto r = run(cef(),
                     "CEF:0|Trend Micro|Apex Central|2019|AV:File cleaned|Virus found|3|"
                     "rt=Oct 03 2024 12:00:00 GMT+09:00 act=Clean cs3Label=Virus_Malware_Name "
                     "cs3=Eicar_test_file dhost=ws-9 duser=CORP\\\\dave fname=eicar.com "
                     "fileHash=3395856CE81F2B7382DEE72602F798B642F14140 "
                     "TMCMLogDetectedHost=ws-9 TMCMLogDetectedIP=10.0.70.9");
  BOOST_TEST((r.what == outcome::parsed));
  BOOST_TEST(r.get("event.dataset") == "\"trend_micro.apex_one\"");
  BOOST_TEST(r.get("@timestamp") == "\"2024-10-03T03:00:00.000Z\"");
  BOOST_TEST(r.get("file.hash.sha1") == "\"3395856CE81F2B7382DEE72602F798B642F14140\"");
  BOOST_TEST(!r.has("file.hash.sha256"));
  BOOST_TEST(r.get("rule.name") == "\"Eicar_test_file\"");
  BOOST_TEST(r.get("host.hostname") == "\"ws-9\"");
  BOOST_TEST(r.get("host.ip") == "[\"10.0.70.9\"]");
  BOOST_TEST(r.get("event.category") == "[\"malware\"]");
  BOOST_TEST(r.get("file.name") == "\"eicar.com\"");
}

BOOST_AUTO_TEST_CASE(other_cef_vendors_are_left_alone) {
  const auto r = run(cef(), "CEF:0|Acme|Box|1|100|x|5|fileHash=abc src=10.0.0.1");
  BOOST_TEST(r.get("file.hash.sha256") == "\"abc\"");
  BOOST_TEST(!r.has("event.dataset"));
}

BOOST_AUTO_TEST_SUITE_END()
