#!/usr/bin/env python3
"""Agreement of lognorm with the CrowdSec hub parser tests (../shared/corpus).

vendor-logs/crowdsec-hub/tests/<test>/ holds a log (config.yaml: log_file)
and parser.assert: what each CrowdSec parser stage made of every line
(`results["s01-parse"]["crowdsecurity/sshd-logs"][3].Evt.Meta["source_ip"]
== "1.2.3.4"`). For the tests whose chain holds a parser of a format lognorm
supports (PARSERS), lognorm runs over the log and, line by line, where
CrowdSec states a source address (Meta source_ip), a user (Meta
target_user, username, user) or a time (Enriched MarshaledTime), and for
web logs the status, method and user agent, lognorm must say the same in
source.ip, user.name, @timestamp and the http fields (META).

An assert entry is tied to its log line by the message CrowdSec parsed
(Parsed["message"]): the n-th entry with a message is the n-th line holding
it. CrowdSec writes year-less syslog times without a year ("-07-08T22:25:10Z");
those are compared without the year.

Prints the agreement per test and per parser, and fails when a parser's
rate or the overall rate falls below its threshold.

  crowdsec_parsers.py --lognorm PATH [--corpus DIR] [-v]
"""

import argparse
import datetime
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from lognorm_run import lognorm_records

# CrowdSec parser -> the lognorm dataset(s) meant to read its lines.
PARSERS = {
    "crowdsecurity/sshd-logs": "linux.auth",
    "crowdsecurity/sshd-success-logs": "linux.auth",
    "crowdsecurity/nginx-logs": "http access",
    "crowdsecurity/apache2-logs": "http access",
    "crowdsecurity/nginx-proxy-manager-logs": "http access",
    "crowdsecurity/iptables-logs": "iptables",
    "firewallservices/pf-logs": "pf",
    "crowdsecurity/pfsense-filterlog": "pf",
    "crowdsecurity/auditd-logs": "auditd",
    "crowdsecurity/suricata-logs": "suricata",
    "crowdsecurity/suricata-evelogs": "suricata",
    "crowdsecurity/suricata-fastlogs": "suricata",
    "crowdsecurity/traefik-logs": "http access",
    "crowdsecurity/modsecurity": "http error",
    "aderumier/proxmox-iptables-logs": "iptables",
    "crowdsecurity/cef-logs": "cef",
    "crowdsecurity/palo-alto-threat-log": "panos",
}

# Minimum agreement in percent, per lognorm dataset and overall (what
# lognorm reaches, rounded down; raise it when lognorm improves).
# linux.auth: a UniFi line repeating its hostname in the envelope.
THRESHOLDS = {
    "linux.auth": 95.0,
    "http access": 95.0,
    "iptables": 95.0,
    "pf": 95.0,
    "auditd": 95.0,
    "suricata": 95.0,
    "cef": 95.0,
    "panos": 95.0,
}
OVERALL_THRESHOLD = 95.0

# What CrowdSec states (Meta keys, the first present wins) -> the ECS field lognorm writes.
META = {
    "source.ip": ("source_ip",),
    "user.name": ("target_user", "username", "user"),
    "http.response.status_code": ("http_status",),
    "http.request.method": ("http_verb",),
    "user_agent.original": ("http_user_agent",),
}
ENTRY = re.compile(r'^results\["([^"]*)"\]\["([^"]*)"\]\[(\d+)\]\.(.*)$')
FIELD = re.compile(r'^Evt\.(Parsed|Meta|Enriched)\["([^"]+)"\] == (".*")$')
SUCCESS = re.compile(r"^Success == (true|false)$")


def go_string(text):
    """A Go-quoted string ("a\\"b") as Python text."""
    try:
        return json.loads(text)
    except ValueError:
        return text[1:-1]


def parser_of(name):
    """The hub name of a parser path ('./parsers/s01-parse/crowdsecurity/x.yaml')."""
    m = re.search(r"([\w.-]+)/([\w.-]+?)(?:\.yaml)?$", name.strip().strip('"'))
    return f"{m.group(1)}/{m.group(2)}" if m else name


def read_config(path):
    """log_file and the parser chain of a test's config.yaml (a flat YAML)."""
    log_file, chain, section = None, [], None
    for raw in path.read_text().splitlines():
        line = raw.split(" #")[0].rstrip()
        if re.match(r"^\w", line):
            key, _, value = line.partition(":")
            section = key
            if key == "log_file":
                log_file = value.strip().strip('"')
        elif section == "parsers" and line.strip().startswith("- "):
            chain.append(parser_of(line.strip()[2:]))
    return log_file, chain


def read_asserts(path):
    """{(stage, parser): {index: {"success": bool, "Parsed": {}, "Meta": {}, "Enriched": {}}}}"""
    entries = defaultdict(lambda: defaultdict(lambda: {"success": None, "Parsed": {}, "Meta": {}, "Enriched": {}}))
    for line in path.read_text(errors="replace").splitlines():
        m = ENTRY.match(line)
        if not m:
            continue
        stage, parser, index, rest = m.group(1), m.group(2), int(m.group(3)), m.group(4)
        entry = entries[(stage, parser)][index]
        if (s := SUCCESS.match(rest)):
            entry["success"] = s.group(1) == "true"
        elif (f := FIELD.match(rest)):
            entry[f.group(1)][f.group(2)] = go_string(f.group(3))
    return entries


def stated_facts(entries, lines):
    """Per log line: what CrowdSec's stages finally said (source_ip, user, time), and which parsers read it."""
    facts = [dict() for _ in lines]
    parsers_of = [set() for _ in lines]
    stages = sorted({stage for stage, _ in entries if stage != "success"})
    for stage in stages:
        for (st, parser), by_index in entries.items():
            if st != stage:
                continue
            seen = defaultdict(int)  # message -> entries so far
            for index in sorted(by_index):
                entry = by_index[index]
                message = entry["Parsed"].get("message")
                if message is None:
                    continue
                n = seen[message]
                seen[message] += 1
                needle = message.strip()
                holding = [i for i, l in enumerate(lines) if needle in l]
                if n >= len(holding) or not entry["success"]:
                    continue
                at = holding[n]
                parsers_of[at].add(parser)
                meta = entry["Meta"]
                for field, keys in META.items():
                    value = next((meta[k] for k in keys if meta.get(k)), None)
                    if value is not None and value != "-":  # "-": CrowdSec keeps "no value" as a value
                        facts[at][field] = value
                if entry["Enriched"].get("MarshaledTime"):
                    facts[at]["@timestamp"] = entry["Enriched"]["MarshaledTime"]
    return facts, parsers_of


def instant(text):
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    except ValueError:
        return None


def same(field, want, got):
    if got is None:
        return False
    if field == "@timestamp":
        if want.startswith("-"):
            # Year-less syslog time: compare month, day and time of day.
            return isinstance(got, str) and got[4:19] == want[:15]
        w, g = instant(want), instant(got)
        return w is not None and g is not None and abs((w - g).total_seconds()) < 0.001
    if field == "source.ip":
        return str(got).lower() == str(want).lower()
    return str(got) == str(want)


def run_lognorm(lognorm, lines, now):
    return lognorm_records("crowdsec_parsers", [lognorm, "-q", "--now", now, "--tz", "UTC", "-"], lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="count", default=0)
    a = parser.parse_args()
    tests = Path(a.corpus) / "vendor-logs/crowdsec-hub/tests"
    if not Path(a.lognorm).exists() or not tests.is_dir():
        print("crowdsec_parsers: lognorm or the corpus is missing; skipped")
        return 77
    per_dataset = defaultdict(lambda: [0, 0])
    per_field = defaultdict(lambda: [0, 0])
    print(f"{'test':34} {'dataset':12} {'lines':>5} {'fields':>6} {'agree':>6} {'rate':>7}")
    for test in sorted(p for p in tests.iterdir() if (p / "parser.assert").exists()):
        log_file, chain = read_config(test / "config.yaml")
        datasets = {PARSERS[p] for p in chain if p in PARSERS}
        if not log_file or not (test / log_file).exists():
            continue
        entries = read_asserts(test / "parser.assert")
        # A test without our parser in its config may still name one in its asserts.
        datasets |= {PARSERS[p] for _, p in entries if p in PARSERS}
        if not datasets:
            continue
        lines = (test / log_file).read_text(errors="replace").splitlines()
        facts, parsers_of = stated_facts(entries, lines)
        years = [f["@timestamp"][:4] for f in facts if f.get("@timestamp", "-")[0] != "-"]
        now = f"{max(years) if years else '2024'}-12-31T23:59:59Z"
        got = run_lognorm(a.lognorm, lines, now)
        fields = agree = 0
        for i, want in enumerate(facts):
            ours = [PARSERS[p] for p in parsers_of[i] if p in PARSERS]
            if not ours:
                continue  # a line of a format lognorm does not read
            have = got[i] if i < len(got) else {}
            for field, value in want.items():
                fields += 1
                per_field[field][0] += 1
                per_dataset[ours[0]][0] += 1
                if same(field, value, have.get(field)):
                    agree += 1
                    per_field[field][1] += 1
                    per_dataset[ours[0]][1] += 1
                elif a.verbose:
                    print(f"  {test.name}:{i + 1}: {field}: want {value!r} got {have.get(field)!r}"
                          + (f"  | {lines[i][:140]}" if a.verbose > 1 else ""))
        if fields:
            print(f"{test.name:34} {','.join(sorted(datasets)):12} {len(lines):5} {fields:6} {agree:6} "
                  f"{100.0 * agree / fields:6.1f}%")
    failed = False
    print()
    print(f"{'dataset':16} {'fields':>6} {'agree':>6} {'rate':>7}  threshold")
    total = [0, 0]
    for dataset, (n, ok) in sorted(per_dataset.items()):
        rate = 100.0 * ok / n if n else 0.0
        threshold = THRESHOLDS.get(dataset, OVERALL_THRESHOLD)
        verdict = "ok" if rate >= threshold else "FAIL"
        failed |= rate < threshold
        total[0] += n
        total[1] += ok
        print(f"{dataset:16} {n:6} {ok:6} {rate:6.1f}%  {threshold:.1f}% {verdict}")
    for field, (n, ok) in sorted(per_field.items()):
        print(f"{'  ' + field:16} {n:6} {ok:6} {100.0 * ok / max(n, 1):6.1f}%")
    rate = 100.0 * total[1] / max(total[0], 1)
    failed |= rate < OVERALL_THRESHOLD or total[0] == 0
    print(f"{'all':16} {total[0]:6} {total[1]:6} {rate:6.1f}%  {OVERALL_THRESHOLD:.1f}% "
          f"{'FAIL' if rate < OVERALL_THRESHOLD else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
