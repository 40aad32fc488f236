#!/usr/bin/env python3
"""Agreement of lognorm with Elastic's expected ECS output (../shared/corpus).

For every pipeline test log of a family lognorm supports (vendor-logs/
elastic-package and vendor-logs/beats, see the corpus MANIFEST.md), runs
lognorm on the log and compares, event by event, the ECS fields both are
meant to produce: addresses, ports, users, action, outcome, category, type,
url, http, process, host and @timestamp. GeoIP/ASN, ingest-time and
vendor-private fields are not compared. A field counts when Elastic's
expected event has it; it agrees when lognorm wrote the same value
(arrays: the same members in any order; times: the same instant).

Prints agreement per dataset and fails when a dataset falls below its
threshold (set from what lognorm reaches, see THRESHOLDS).

  elastic_agreement.py --lognorm PATH [--corpus DIR] [-v]
"""

import argparse
import datetime
import glob
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# dataset -> (glob of test logs under the corpus, lognorm arguments)
FAMILIES = {
    "cisco.asa": ("vendor-logs/elastic-package/false_positives/cisco_asa/data_stream/log/_dev/test/pipeline/test-*.log", []),
    "linux.auth": ("vendor-logs/elastic-package/parallel/system/data_stream/auth/_dev/test/pipeline/test-*.log", []),
    # Plain syslog lines (Filebeat's system/syslog: SUSE ISO stamps, macOS
    # multi-line messages).
    "system.syslog": ("vendor-logs/elastic-package/parallel/system/data_stream/syslog/_dev/test/pipeline/test-*.log", []),
    "apache.access": ("vendor-logs/elastic-package/parallel/apache/data_stream/access/_dev/test/pipeline/test-*.log", ["--format", "apache-access"]),
    "nginx.access": ("vendor-logs/elastic-package/parallel/nginx/data_stream/access/_dev/test/pipeline/test-*.log", ["--format", "nginx-access"]),
    "apache.error": ("vendor-logs/elastic-package/parallel/apache/data_stream/error/_dev/test/pipeline/test-*.log", []),
    "nginx.error": ("vendor-logs/elastic-package/parallel/nginx/data_stream/error/_dev/test/pipeline/test-*.log", []),
    # Winlogbeat records ({"events": [...]} test documents, one per line for lognorm).
    "windows.security": ("vendor-logs/elastic-package/*/system/data_stream/security/_dev/test/pipeline/test-*.json", []),
    # Filebeat's zeek module tests (expected: flat documents with log.offset).
    "zeek": ("vendor-logs/beats/x-pack/filebeat/module/zeek/*/test/*.log", []),
    # Filebeat's fortinet module tests (FortiGate traffic, utm and event
    # logs); the MANIFEST names them, the visible corpus may not hold them.
    "fortinet.firewall": ("vendor-logs/beats/x-pack/filebeat/module/fortinet/*/test/*.log", []),
    # SentinelOne alert export (JSON, one alert per line).
    "sentinel_one.alert": ("vendor-logs/elastic-package/*/*sentinel_one/data_stream/alert/_dev/test/pipeline/test-*.log", []),
}

# Fields compared for a dataset beside COMPARED: what its Elastic pipeline sets.
EXTRA_COMPARED = {
    "apache.error": ["log.level", "message", "process.pid", "process.thread.id", "file.path",
                     "apache.error.module"],
    "nginx.error": ["log.level", "message", "process.pid", "process.thread.id",
                    "nginx.error.connection_id"],
    "fortinet.firewall": [
        "network.protocol", "network.application", "network.packets", "network.iana_number",
        "source.bytes", "source.packets", "destination.bytes", "destination.packets",
        "source.mac", "source.user.group.name", "event.duration", "event.start",
        "rule.id", "rule.name", "rule.uuid", "rule.ruleset", "rule.category",
        "observer.name", "observer.serial_number", "observer.product", "observer.vendor",
        "observer.egress.interface.name", "observer.ingress.interface.name", "log.level",
    ],
    "sentinel_one.alert": [
        "event.id", "event.severity", "rule.id", "rule.name", "rule.description", "message",
        "host.name", "host.id", "host.ip", "host.os.name", "host.os.family", "host.type",
        "observer.version", "observer.serial_number", "process.executable",
        "process.command_line", "process.entity_id", "process.user.name", "process.hash.sha1",
        "process.hash.sha256", "process.hash.md5", "process.start", "process.parent.name",
        "process.parent.pid", "process.parent.executable", "process.parent.command_line",
        "file.hash.sha1", "file.created", "file.mtime", "related.hash", "related.hosts",
    ],
    "windows.security": [
        "host.name", "event.provider", "user.domain", "user.id", "user.effective.id",
        "user.target.name", "user.target.domain", "user.target.id", "user.changes.name",
        "group.name", "group.domain", "group.id",
        "process.executable", "process.command_line", "process.args",
        "process.parent.executable", "process.parent.name", "process.parent.pid",
        "winlog.event_id", "winlog.channel", "winlog.provider_name", "winlog.computer_name",
        "winlog.record_id", "winlog.logon.id", "winlog.logon.type", "winlog.outcome",
        "winlog.process.pid", "winlog.process.thread.id",
        "winlog.event_data.*",
    ],
    "zeek": [
        "event.dataset", "event.id", "network.protocol", "zeek.session_id",
        "dns.answers", "dns.resolved_ip", "dns.response_code", "dns.question.type",
        "http.request.body.bytes", "url.port", "url.username",
        "tls.version_protocol", "tls.cipher", "tls.curve", "tls.established", "tls.resumed",
        "tls.client.server_name", "tls.server.issuer",
        "tls.server.x509.subject.common_name", "tls.server.x509.issuer.common_name",
        "tls.server.x509.issuer.organization", "tls.server.x509.subject.country",
        "rule.name", "rule.description",
    ],
}

# Minimum agreement per dataset, in percent (what lognorm reaches today,
# rounded down; raise it when lognorm improves).
THRESHOLDS = {
    "cisco.asa": 95.0,
    "linux.auth": 95.0,
    "system.syslog": 95.0,
    "apache.access": 95.0,
    "nginx.access": 95.0,
    "apache.error": 95.0,
    "nginx.error": 95.0,
    "windows.security": 95.0,
    "zeek": 95.0,
    "fortinet.firewall": 95.0,
    "sentinel_one.alert": 95.0,
}

COMPARED = [
    "@timestamp",
    "source.ip", "source.port", "source.address", "source.domain",
    "destination.ip", "destination.port", "destination.address", "destination.domain",
    "source.nat.ip", "source.nat.port", "destination.nat.ip", "destination.nat.port",
    "network.transport", "network.direction", "network.bytes",
    "user.name", "user.effective.name", "source.user.name", "user.email",
    "event.action", "event.outcome", "event.category", "event.type", "event.code",
    "url.original", "url.domain", "url.path", "url.query", "url.scheme",
    "http.request.method", "http.response.status_code", "http.response.body.bytes",
    "http.version", "http.request.referrer", "user_agent.original",
    "process.name", "process.pid", "host.hostname",
    "dns.question.name", "tls.version", "file.hash.sha256",
    "related.ip", "related.user",
]


def flatten(doc, prefix="", out=None):
    out = {} if out is None else out
    for key, value in doc.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flatten(value, path + ".", out)
        else:
            out[path] = value
    return out


def instant(text):
    text = text.replace("Z", "+00:00")
    try:
        t = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t.timestamp()


def same(path, want, got):
    if got is None:
        return False
    if path in ("@timestamp", "event.start", "event.end"):
        return abs(instant(want) - instant(got)) < 0.001 if isinstance(instant(want), float) and isinstance(instant(got), float) else want == got
    if path == "http.request.method":
        # Elastic's older nginx pipeline lowercases the method; ECS keeps it as sent.
        return str(want).upper() == str(got).upper()
    if isinstance(want, list):
        return isinstance(got, list) and sorted(map(str, want)) == sorted(map(str, got))
    return str(want) == str(got)


def zone_of(config_dir, log, expected=()):
    """The time zone of the test from its -config.yml (event.timezone), or
    for a Beats module test (no config) the zone Filebeat ran in, which its
    add_locale processor wrote as event.timezone in the +HH:MM form (a zone
    the device sent itself, as FortiGate's tz="-0500", has no colon)."""
    configured = False
    for name in (log.name + "-config.yml", "test-common-config.yml"):
        path = config_dir / name
        if path.exists():
            configured = True
            m = re.search(r'timezone:\s*"?([^"\n]+)"?', path.read_text())
            if m:
                zone = m.group(1).strip()
                m2 = re.fullmatch(r"(?:GMT)?([+-])(\d\d?)(?::?(\d\d))?", zone)
                if m2:
                    return f"{m2.group(1)}{int(m2.group(2)):02d}:{m2.group(3) or '00'}"
                return zone
    if configured:
        return "UTC"  # an elastic-package test without a zone runs in UTC
    for e in expected:
        zone = flatten(e).get("event.timezone")
        if isinstance(zone, str) and re.fullmatch(r"[+-]\d\d:\d\d", zone):
            return zone
    return "UTC"


def first_line_pattern(config_dir, log):
    """The multiline first_line_pattern of the test, if it has one."""
    for name in (log.name + "-config.yml", "test-common-config.yml"):
        path = config_dir / name
        if path.exists():
            m = re.search(r'first_line_pattern:\s*"(.*)"', path.read_text())
            if m:
                return re.compile(m.group(1).encode().decode("unicode_escape"))
    return None


def run_lognorm(lognorm, log, args, now, zone, text=None):
    cmd = [lognorm, "-q", "--now", now, "--tz", zone, *args, "-" if text is not None else str(log)]
    done = subprocess.run(cmd, capture_output=True, text=True, input=text, env={**os.environ, "TZ": "UTC"})
    if done.returncode != 0:
        raise SystemExit(f"elastic_agreement: {' '.join(cmd)}: exit {done.returncode}: {done.stderr.strip()}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="count", default=0)
    a = parser.parse_args()
    corpus = Path(a.corpus)
    if not Path(a.lognorm).exists():
        print(f"elastic_agreement: {a.lognorm}: not built; skipped")
        return 77
    if not corpus.is_dir():
        print(f"elastic_agreement: {corpus}: corpus not found; skipped")
        return 77
    failed = False
    print(f"{'dataset':16} {'events':>7} {'fields':>7} {'agree':>7} {'rate':>7}  threshold")
    for dataset, (pattern, args) in FAMILIES.items():
        logs = sorted(p for p in map(Path, glob.glob(str(corpus / pattern))) if p.suffix == ".log")
        events = fields = agree = 0
        logs += sorted(p for p in map(Path, glob.glob(str(corpus / pattern))) if p.suffix == ".json" and not p.name.endswith("-expected.json"))
        compared = COMPARED + [f for f in EXTRA_COMPARED.get(dataset, []) if f not in COMPARED]
        for log in logs:
            expected_file = Path(str(log) + "-expected.json")
            if not expected_file.exists():
                continue
            expected = json.loads(expected_file.read_text())
            if isinstance(expected, dict):
                expected = expected["expected"]
            text = None
            if log.suffix == ".json":
                # A pipeline test document: its events, one per line.
                text = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in json.loads(log.read_text())["events"])
                lines = text.splitlines()
            else:
                lines = [l for l in log.read_text().splitlines() if l.strip()]
            # Beats' expected documents name the line they came from by its offset.
            if expected and all("log.offset" in flatten(e) for e in expected) and text is None:
                starts, at = {}, 0
                for i, l in enumerate(log.read_bytes().split(b"\n")):
                    starts[at] = i
                    at += len(l) + 1
                firsts_by_offset = [starts.get(flatten(e)["log.offset"]) for e in expected]
                if None not in firsts_by_offset:
                    lines = lines[:max(firsts_by_offset) + 1]
                    expected_lines = firsts_by_offset
                else:
                    expected_lines = None
            else:
                expected_lines = None
            # Elastic's tests join continuation lines (multiline config);
            # lognorm reads lines: compare each event with its first line.
            firsts = list(range(len(lines)))
            pattern = first_line_pattern(log.parent, log)
            if pattern is not None:
                firsts = [i for i, l in enumerate(lines) if pattern.match(l)]
            if expected_lines is not None:
                firsts = expected_lines
            if len(firsts) != len(expected):
                if a.verbose:
                    print(f"  {log.name}: {len(lines)} lines, {len(expected)} events (multi-line): skipped")
                continue
            # The expected events were produced in some year: receive them then.
            years = [e["@timestamp"][:4] for e in expected if "@timestamp" in e]
            now = f"{years[0] if years else '2023'}-06-15T00:00:00Z"
            got = run_lognorm(a.lognorm, log, args, now, zone_of(log.parent, log, expected), text)
            for i, want_doc in enumerate(expected):
                want = flatten(want_doc)
                have = flatten(got[firsts[i]]) if firsts[i] < len(got) else {}
                events += 1
                paths = []
                for path in compared:
                    if path.endswith(".*"):
                        paths += sorted(k for k in want if k.startswith(path[:-1]))
                    else:
                        paths.append(path)
                for path in paths:
                    if path not in want:
                        continue
                    if want[path] == "-":
                        continue  # Elastic keeps "-" (no value) as a value
                    fields += 1
                    if same(path, want[path], have.get(path)):
                        agree += 1
                    elif a.verbose:
                        print(f"  {log.name}:{i + 1}: {path}: want {want[path]!r} got {have.get(path)!r}")
        if not fields:
            print(f"{dataset:16} {events:7} {fields:7} {agree:7}       -  {THRESHOLDS[dataset]:.1f}% (no test with expected output in the corpus)")
            continue
        rate = 100.0 * agree / fields
        threshold = THRESHOLDS[dataset]
        verdict = "ok" if rate >= threshold else "FAIL"
        if rate < threshold:
            failed = True
        print(f"{dataset:16} {events:7} {fields:7} {agree:7} {rate:6.1f}%  {threshold:.1f}% {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
