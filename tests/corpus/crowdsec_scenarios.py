#!/usr/bin/env python3
"""Do the shipped Sigma correlation rules raise the alerts CrowdSec's hub tests expect?

vendor-logs/crowdsec-hub/tests/<case>/ holds config.yaml (the log file and
the scenarios under test), the log, and scenario.assert, the expectations of
CrowdSec's own test runner:

    "35.188.49.176" in results[0].Overflow.GetSources()
    results[0].Overflow.Alert.GetScenario() == "crowdsecurity/ssh-bf"

For every case that tests a scenario mimamori ships a rule for (SCENARIOS),
the log goes through `lognorm | correlate --alerts-only` with the shipped
rules, and the (rule, source.ip) pairs of the correlation and analytics
alerts are
compared with the (scenario, address) pairs expected. A pair expected and
found agrees; one expected and missing is a miss; an alert of a mapped rule
that no expectation names is a false positive. Prints each case and the
agreement, TP / (TP + misses + false positives); fails below THRESHOLD.

  crowdsec_scenarios.py --lognorm PATH --correlate PATH [--corpus DIR] [-v]

Exit status: 0 at or above the threshold, 1 below, 77 when the corpus is
not there.
"""

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

# Measured 2026-11-30: 9 cases, 11 of 11 alerts agree, no miss, no false
# positive (100%): ssh-bf, opnsense-sshd, sshd_banner_exchange (SSH rules),
# iptables, pf and MikroTik port scans, mikrotik-bf (network device login
# brute force), nginx-http-generic-bf (HTTP brute force), windows-bf
# (Windows logon brute force, events as XML). One miss would be 91.7%.
THRESHOLD = 0.95
NOW = "2026-12-31T00:00:00Z"  # the year for syslog stamps that have none

# CrowdSec scenario -> the shipped rule (rule.name) that does its job.
SCENARIOS = {
    "crowdsecurity/ssh-bf": "SSH Password Brute Force",
    "crowdsecurity/ssh-bf_user-enum": "SSH User Enumeration",
    "crowdsecurity/ssh-slow-bf": "SSH Slow Password Brute Force",
    "crowdsecurity/ssh-slow-bf_user-enum": "SSH Slow User Enumeration",
    # failures spaced ten minutes or more apart, without a success between
    "crowdsecurity/ssh-time-based-bf": "SSH Password Guessing Spread Over Time",
    "crowdsecurity/ssh-time-based-bf_user-enum": "SSH User Enumeration Spread Over Time",
    "crowdsecurity/iptables-scan-multi_ports": "Port Scan From One Address",
    "firewallservices/pf-scan-multi_ports": "Port Scan From One Address",
    "a1ad/mikrotik-scan-multi_ports": "Port Scan From One Address",
    "a1ad/mikrotik-bf": "Network Device Password Brute Force",
    "crowdsecurity/windows-bf": "Windows Logon Password Brute Force",
    "crowdsecurity/http-generic-bf": "HTTP Password Brute Force",
    "LePresidente/http-generic-401-bf": "HTTP Password Brute Force",
    "LePresidente/http-generic-403-bf": "HTTP Password Brute Force",
}

# A scenario file that holds more than one scenario.
ALSO = {
    "crowdsecurity/ssh-bf": {"crowdsecurity/ssh-bf_user-enum"},
    "crowdsecurity/ssh-slow-bf": {"crowdsecurity/ssh-slow-bf_user-enum"},
    "crowdsecurity/ssh-time-based-bf": {"crowdsecurity/ssh-time-based-bf_user-enum"},
    "crowdsecurity/http-generic-bf": {"LePresidente/http-generic-401-bf",
                                      "LePresidente/http-generic-403-bf"},
}

SOURCE = re.compile(r'^"([^"]+)" in results\[(\d+)\]\.Overflow\.GetSources\(\)')
SCENARIO = re.compile(r'^results\[(\d+)\]\.Overflow\.Alert\.GetScenario\(\) == "([^"]+)"')


def scenario_name(entry):
    """'crowdsecurity/ssh-bf', './scenarios/a1ad/x.yaml' or 'scenarios/a1ad/x.yaml' -> 'a1ad/x'."""
    entry = entry.strip()
    for prefix in ("./scenarios/", "scenarios/"):
        if entry.startswith(prefix):
            entry = entry[len(prefix):]
    return entry[:-5] if entry.endswith(".yaml") else entry


def expectations(case):
    """{(scenario, address)} from scenario.assert, or None when it has none."""
    path = case / "scenario.assert"
    if not path.is_file():
        return None
    sources, scenarios = collections.defaultdict(set), {}
    for line in path.read_text(errors="replace").splitlines():
        line = line.strip()
        if m := SOURCE.match(line):
            sources[int(m.group(2))].add(m.group(1))
        elif m := SCENARIO.match(line):
            scenarios[int(m.group(1))] = m.group(2)
    return {(scenarios[i], ip) for i, ips in sources.items() if i in scenarios for ip in ips}


def alerts(case, log, lognorm, correlate):
    events = subprocess.run([lognorm, "-q", "--now", NOW, str(log)], capture_output=True, check=True)
    out = subprocess.run([correlate, "-q", "--alerts-only"], input=events.stdout,
                         capture_output=True, check=True)
    found = set()
    for line in out.stdout.decode().splitlines():
        record = json.loads(line)
        # Sigma correlation rules and analytics rules (ssh-time-based-bf)
        if not {"correlation", "analytics"} & record.get("mimamori", {}).keys():
            continue
        ip = record.get("source", {}).get("ip")
        found.add((record["rule"]["name"], ip))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--correlate", required=True)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared/corpus"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    tests = Path(args.corpus) / "vendor-logs/crowdsec-hub/tests"
    if not tests.is_dir():
        print(f"crowdsec_scenarios: {tests}: no CrowdSec hub tests; skipped")
        return 77
    shipped = set(SCENARIOS.values())
    tp = misses = false_positives = cases = 0
    for case in sorted(p for p in tests.iterdir() if (p / "config.yaml").is_file()):
        config = yaml.safe_load((case / "config.yaml").read_text())
        tested = {scenario_name(s) for s in config.get("scenarios") or [] if s}
        tested |= {also for s in list(tested) for also in ALSO.get(s, ())}
        mapped = tested & SCENARIOS.keys()
        expected_all = expectations(case)
        if not mapped or expected_all is None or not config.get("log_file"):
            continue
        log = case / config["log_file"]
        if not log.is_file():
            continue
        cases += 1
        expected = {(SCENARIOS[s], ip) for s, ip in expected_all if s in mapped}
        rules = {SCENARIOS[s] for s in mapped}
        found = {(rule, ip) for rule, ip in alerts(case, log, args.lognorm, args.correlate)
                 if rule in shipped}
        hit, missed = expected & found, expected - found
        # Alerts of rules this case does not test are not judged.
        extra = {(rule, ip) for rule, ip in found - expected if rule in rules}
        tp += len(hit)
        misses += len(missed)
        false_positives += len(extra)
        status = "ok" if not missed and not extra else "DIFFERS"
        print(f"{case.name}: {status}: expected {len(expected)}, found {len(hit)}"
              + (f", missed {sorted(missed)}" if missed else "")
              + (f", extra {sorted(extra)}" if extra else ""))
    total = tp + misses + false_positives
    if cases == 0 or total == 0:
        print("crowdsec_scenarios: no case tests a scenario mimamori ships a rule for")
        return 1
    agreement = tp / total
    print(f"crowdsec_scenarios: {cases} cases, {tp} alerts agree, {misses} missed, "
          f"{false_positives} false positives: agreement {agreement:.1%} (threshold {THRESHOLD:.0%})")
    return 0 if agreement >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
