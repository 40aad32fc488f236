#!/usr/bin/env python3
"""Do the SigmaHQ regression events fire the rules they were written for?

sigma/SigmaHQ-sigma/regression_data/<...>/<rule>/ holds info.yml (the rule
id that must fire: rule_metadata[].id; the event file: regression_tests_info
[].path, an .evtx whose JSON rendering sits beside it as .json, one or more
concatenated Event objects) for each case. All events go through correlate
at once with the whole SigmaHQ rule set (rules, rules-emerging-threats,
rules-threat-hunting, rules-placeholder); each event carries its case in
event.id, which alerts copy, so every alert is traced back to its case.

Events reach correlate in Winlogbeat's shape (winlog.channel, winlog.event_id,
winlog.provider_name, winlog.computer_name, winlog.event_data.*). When
`lognorm --list-formats` names a Windows parser, the rendered events go
through lognorm first; until then this script does that conversion itself
(only here, for the test): Event.System -> winlog.*, Event.EventData (or the
one object in Event.UserData) -> winlog.event_data.

A case counts as supported when correlate --check loads its rule. Prints the
rate over supported cases, each failure with the event's channel/id and the
rule's logsource, and the other rules that fired on the cases; fails below
THRESHOLD.

  sigma_regression.py --correlate PATH [--lognorm PATH] [--corpus DIR] [-v]
"""

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

THRESHOLD = 97.0
RULE_DIRS = ["rules", "rules-emerging-threats", "rules-threat-hunting", "rules-placeholder"]


def json_documents(text):
    decoder = json.JSONDecoder()
    at, out = 0, []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return out
        doc, at = decoder.raw_decode(text, at)
        out.append(doc)


def attribute(node, name):
    if isinstance(node, dict):
        return node.get("#attributes", {}).get(name)
    return None


def winlogbeat_shape(doc):
    """The rendered evtx Event as Winlogbeat would write it (the fields Sigma reads)."""
    event = doc.get("Event", doc)
    system = event.get("System", {})
    data = event.get("EventData")
    if not isinstance(data, dict):
        user_data = event.get("UserData")
        data = {}
        if isinstance(user_data, dict):
            for inner in user_data.values():
                if isinstance(inner, dict):
                    data.update({k: v for k, v in inner.items() if k != "#attributes"})
    event_id = system.get("EventID")
    if isinstance(event_id, dict):
        event_id = event_id.get("#text")
    winlog = {
        "channel": system.get("Channel"),
        "event_id": str(event_id),
        "provider_name": attribute(system.get("Provider"), "Name"),
        "computer_name": system.get("Computer"),
        "record_id": system.get("EventRecordID"),
        "event_data": {k: v for k, v in (data or {}).items() if k != "#attributes"},
    }
    stamp = attribute(system.get("TimeCreated"), "SystemTime")
    record = {"@timestamp": stamp, "event": {"kind": "event"}, "winlog": winlog}
    return record


def load_cases(regression):
    cases = []
    for info in sorted(regression.rglob("info.yml")):
        meta = yaml.safe_load(info.read_text())
        rule_ids = [m["id"] for m in meta.get("rule_metadata", []) if "id" in m]
        events = []
        tests = meta.get("regression_tests_info") or []
        paths = [Path(str(t.get("path", ""))) for t in tests]
        if not paths:
            # A case whose info.yml lists no test (the raw-log cases of
            # network devices): the event files beside it, named by the rule.
            paths = sorted(p for p in info.parent.iterdir() if p.suffix in (".evtx", ".raw"))
        for path in paths:
            rendered = info.parent / (path.stem + ".json")
            raw = info.parent / (path.stem + ".raw")
            if rendered.exists():
                events.extend(json_documents(rendered.read_text()))
            elif raw.exists():
                # Log lines as the device sent them: for lognorm to read.
                events.extend(l for l in raw.read_text(errors="replace").splitlines() if l.strip())
        cases.append({"dir": info.parent, "rules": rule_ids, "events": events})
    return cases


def loaded_rules(correlate, rule_paths):
    """Rule ids correlate loads, and the unsupported ones with their reasons."""
    done = subprocess.run([correlate, "--check", *rule_paths], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sigma_regression: correlate --check failed: {done.stderr.strip()}")
    unsupported = {}
    for line in done.stdout.splitlines():
        m = re.match(r"^\S+?:\d+(?::\d+)?: ([0-9a-fA-F-]{36}): (.*)$", line)
        if m:
            unsupported[m.group(1)] = m.group(2)
    return unsupported


def rule_logsources(rule_paths, wanted):
    """Title and logsource of the rules with these ids (only those files are parsed)."""
    out = {}
    id_line = re.compile(r"^id:\s*['\"]?([0-9a-fA-F-]{36})", re.M)
    for d in rule_paths:
        for path in Path(d).rglob("*.yml"):
            text = path.read_text(errors="replace")
            if not any(m.group(1) in wanted for m in id_line.finditer(text)):
                continue
            try:
                for doc in yaml.safe_load_all(text):
                    if isinstance(doc, dict) and doc.get("id") in wanted:
                        out[doc["id"]] = (doc.get("title", ""), doc.get("logsource", {}))
            except yaml.YAMLError:
                pass
    return out


def lognorm_has_windows(lognorm):
    if not lognorm or not Path(lognorm).exists():
        return False
    done = subprocess.run([lognorm, "--list-formats"], capture_output=True, text=True)
    return any(re.search(r"win", line.split()[0] if line.split() else "", re.I)
               for line in done.stdout.splitlines())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--correlate", required=True)
    parser.add_argument("--lognorm")
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="store_true")
    a = parser.parse_args()
    sigma = Path(a.corpus) / "sigma" / "SigmaHQ-sigma"
    regression = sigma / "regression_data"
    if not Path(a.correlate).exists() or not regression.is_dir():
        print("sigma_regression: correlate or the corpus is missing; skipped")
        return 77
    rule_paths = [str(sigma / d) for d in RULE_DIRS if (sigma / d).is_dir()]
    unsupported = loaded_rules(a.correlate, rule_paths)
    cases = load_cases(regression)

    # One stream: every event tagged with its case number in event.id.
    via_lognorm = lognorm_has_windows(a.lognorm)
    lines = []
    for number, case in enumerate(cases):
        for k, doc in enumerate(case["events"]):
            if isinstance(doc, str):
                lines.append(doc)  # a raw line: lognorm reads it as it is
            elif via_lognorm:
                lines.append(json.dumps(doc, separators=(",", ":")))
            else:
                record = winlogbeat_shape(doc)
                record["event"]["id"] = f"case-{number}-{k}"
                lines.append(json.dumps(record, separators=(",", ":")))
    stream = "\n".join(lines) + "\n"
    has_raw = any(isinstance(doc, str) for case in cases for doc in case["events"])
    if has_raw and not via_lognorm and a.lognorm and Path(a.lognorm).exists():
        via_lognorm = True  # raw lines need lognorm whatever it knows of Windows
    if via_lognorm:
        done = subprocess.run([a.lognorm, "-q", "--now", "2024-10-03T03:00:00Z"], input=stream,
                              capture_output=True, text=True)
        out = done.stdout.splitlines()
        if done.returncode != 0 or len(out) != len(lines):
            print(f"sigma_regression: lognorm gave {len(out)} records for {len(lines)} events "
                  f"(status {done.returncode}): {done.stderr.strip()[:300]}")
            return 1
        normalized = []
        at = 0
        for number, case in enumerate(cases):
            for k in range(len(case["events"])):
                record = json.loads(out[at])
                record.setdefault("event", {})["id"] = f"case-{number}-{k}"
                normalized.append(json.dumps(record, separators=(",", ":")))
                at += 1
        stream = "\n".join(normalized) + "\n"
    done = subprocess.run([a.correlate, "-q", "--alerts-only", *[f"--rules={p}" for p in rule_paths]],
                          input=stream, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr)
        return 1
    fired = collections.defaultdict(set)
    for line in done.stdout.splitlines():
        alert = json.loads(line)
        for event_id in alert.get("mimamori", {}).get("alert", {}).get("event_ids", []):
            number = int(event_id.split("-")[1])
            fired[number].add(alert["rule"].get("id"))

    supported = passed = 0
    skipped, failed = [], []
    others = collections.Counter()
    for number, case in enumerate(cases):
        want = case["rules"]
        name = case["dir"].relative_to(regression)
        if not case["events"]:
            skipped.append((name, "no JSON rendering or raw log of the event"))
            continue
        if not via_lognorm and any(isinstance(doc, str) for doc in case["events"]):
            skipped.append((name, "a raw log line, and no lognorm to read it"))
            continue
        reasons = [unsupported[r] for r in want if r in unsupported]
        if reasons:
            skipped.append((name, reasons[0]))
            continue
        supported += 1
        if any(r in fired[number] for r in want):
            passed += 1
        else:
            failed.append((name, want[0], case["events"][0]))
        for r in fired[number] - set(want):
            others[r] += 1
    titles = rule_logsources(rule_paths, {f[1] for f in failed} | (set(others) if a.verbose else set()))
    failures = []
    for name, rule_id, event in failed:
        first = winlogbeat_shape(event)["winlog"] if isinstance(event, dict) else {
            "channel": "raw log line", "event_id": "-"}
        title, logsource = titles.get(rule_id, ("?", {}))
        failures.append((name, rule_id, title, logsource, first["channel"], first["event_id"]))

    rate = 100.0 * passed / max(supported, 1)
    print(f"cases: {len(cases)}, supported: {supported}, named rule fired: {passed} ({rate:.1f}%), "
          f"threshold {THRESHOLD:.1f}%; events {'via lognorm' if via_lognorm else 'converted by this script'}")
    print(f"skipped ({len(skipped)}):")
    for name, why in skipped:
        print(f"  {name}: {why}")
    print(f"failures ({len(failures)}):")
    for name, rule_id, title, logsource, channel, event_id in failures:
        print(f"  {name}: rule {rule_id} '{title}' {logsource} did not fire "
              f"(event: channel {channel}, id {event_id})")
    print(f"other rules firing on the cases: {sum(others.values())} alerts from {len(others)} rules")
    if a.verbose:
        for r, n in others.most_common():
            print(f"  {n:3} {r} {titles.get(r, ('?',))[0]}")
    return 0 if rate >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
