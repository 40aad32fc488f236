#!/usr/bin/env python3
"""How many Wazuh ruleset test lines of the vendors lognorm supports it parses.

vendor-logs/wazuh-4.14.9/ruleset/testing/tests/*.ini hold raw log lines
(`log N pass = LINE`) that Wazuh's decoders must read. For the files of
vendors lognorm supports, every line should come out parsed: neither tagged
"unparsed" nor rejected. Prints the rate per file and fails below 98% overall.

  wazuh_parse_rate.py --lognorm PATH [--corpus DIR] [-v]
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

# Test files of vendors lognorm supports.
SUPPORTED = ["sshd", "sudo", "cisco_ftd", "pix", "fortigate", "iptables", "pfsense", "squid_rules",
             "paloalto", "junos", "auditd", "audit_scp", "sophos_fw", "dropbear",
             "web_rules",  # Apache access and IIS W3C lines
             # Windows eventchannel JSON (Wazuh's shape) and the OSSEC WinEvtLog text
             "win_security", "win-generic_rules", "powershell", "sysmon", "sysmon_eid_7",
             "sysmon_eid_10", "sysmon_eid_11", "sysmon_eid_13"]
THRESHOLD = 98.0
LINE = re.compile(r"^log \d+ (?:pass|fail) = (.*)$")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="store_true")
    a = parser.parse_args()
    tests = Path(a.corpus) / "vendor-logs/wazuh-4.14.9/ruleset/testing/tests"
    if not Path(a.lognorm).exists() or not tests.is_dir():
        print("wazuh_parse_rate: lognorm or the corpus is missing; skipped")
        return 77
    total = parsed = 0
    print(f"{'file':14} {'lines':>6} {'parsed':>7} {'rate':>7}")
    for name in SUPPORTED:
        path = tests / f"{name}.ini"
        if not path.exists():
            continue
        lines = [m.group(1) for m in map(LINE.match, path.read_text(errors="replace").splitlines()) if m]
        done = subprocess.run([a.lognorm, "-q", "--now", "2024-10-03T03:00:00Z"],
                              input="\n".join(lines) + "\n", capture_output=True, text=True)
        ok = 0
        for line in done.stdout.splitlines():
            record = json.loads(line)
            kind = record.get("event", {}).get("kind")
            # A device's detection (PAN-OS THREAT, FortiGate ips...) is an alert.
            if kind in ("event", "alert") and "unparsed" not in record.get("tags", []):
                ok += 1
            elif a.verbose:
                print(f"  {name}: {record.get('event', {}).get('original', '')[:160]}")
        total += len(lines)
        parsed += ok
        print(f"{name:14} {len(lines):6} {ok:7} {100.0 * ok / max(len(lines), 1):6.1f}%")
    rate = 100.0 * parsed / max(total, 1)
    print(f"{'all':14} {total:6} {parsed:7} {rate:6.1f}%  threshold {THRESHOLD:.1f}%")
    return 0 if rate >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
