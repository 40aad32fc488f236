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
    "apache.access": ("vendor-logs/elastic-package/parallel/apache/data_stream/access/_dev/test/pipeline/test-*.log", ["--format", "apache-access"]),
    "nginx.access": ("vendor-logs/elastic-package/parallel/nginx/data_stream/access/_dev/test/pipeline/test-*.log", ["--format", "nginx-access"]),
}

# Minimum agreement per dataset, in percent (what lognorm reaches today,
# rounded down; raise it when lognorm improves).
THRESHOLDS = {
    "cisco.asa": 95.0,
    "linux.auth": 95.0,
    "apache.access": 95.0,
    "nginx.access": 95.0,
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
    if path == "@timestamp":
        return abs(instant(want) - instant(got)) < 0.001 if isinstance(instant(want), float) and isinstance(instant(got), float) else want == got
    if path == "http.request.method":
        # Elastic's older nginx pipeline lowercases the method; ECS keeps it as sent.
        return str(want).upper() == str(got).upper()
    if isinstance(want, list):
        return isinstance(got, list) and sorted(map(str, want)) == sorted(map(str, got))
    return str(want) == str(got)


def zone_of(config_dir, log):
    """The time zone of the test from its -config.yml (event.timezone)."""
    for name in (log.name + "-config.yml", "test-common-config.yml"):
        path = config_dir / name
        if path.exists():
            m = re.search(r'timezone:\s*"?([^"\n]+)"?', path.read_text())
            if m:
                zone = m.group(1).strip()
                m2 = re.fullmatch(r"(?:GMT)?([+-])(\d\d):?(\d\d)", zone)
                if m2:
                    return f"{m2.group(1)}{m2.group(2)}:{m2.group(3)}"
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


def run_lognorm(lognorm, log, args, now, zone):
    cmd = [lognorm, "-q", "--now", now, "--tz", zone, *args, str(log)]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "TZ": "UTC"})
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
        for log in logs:
            expected_file = Path(str(log) + "-expected.json")
            if not expected_file.exists():
                continue
            expected = json.loads(expected_file.read_text())["expected"]
            lines = [l for l in log.read_text().splitlines() if l.strip()]
            # Elastic's tests join continuation lines (multiline config);
            # lognorm reads lines: compare each event with its first line.
            firsts = list(range(len(lines)))
            pattern = first_line_pattern(log.parent, log)
            if pattern is not None:
                firsts = [i for i, l in enumerate(lines) if pattern.match(l)]
            if len(firsts) != len(expected):
                if a.verbose:
                    print(f"  {log.name}: {len(lines)} lines, {len(expected)} events (multi-line): skipped")
                continue
            # The expected events were produced in some year: receive them then.
            years = [e["@timestamp"][:4] for e in expected if "@timestamp" in e]
            now = f"{years[0] if years else '2023'}-06-15T00:00:00Z"
            got = run_lognorm(a.lognorm, log, args, now, zone_of(log.parent, log))
            for i, want_doc in enumerate(expected):
                want = flatten(want_doc)
                have = flatten(got[firsts[i]]) if firsts[i] < len(got) else {}
                events += 1
                for path in COMPARED:
                    if path not in want:
                        continue
                    if want[path] == "-":
                        continue  # Elastic keeps "-" (no value) as a value
                    fields += 1
                    if same(path, want[path], have.get(path)):
                        agree += 1
                    elif a.verbose:
                        print(f"  {log.name}:{i + 1}: {path}: want {want[path]!r} got {have.get(path)!r}")
        rate = 100.0 * agree / fields if fields else 0.0
        threshold = THRESHOLDS[dataset]
        verdict = "ok" if rate >= threshold else "FAIL"
        if rate < threshold:
            failed = True
        print(f"{dataset:16} {events:7} {fields:7} {agree:7} {rate:6.1f}%  {threshold:.1f}% {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
