#!/usr/bin/env python3
"""Writes the same 100 threshold rules for SEC and for correlate.

  sec_rules.py --syslog LINES --out DIR [--count 100] [--window 60] [--threshold 5]

Reads the raw syslog corpus (mimamori-bench-generate --kind syslog: Cisco
ASA, FortiGate, Squid and sshd lines) and picks the values rules of a SOC
would watch, most frequent first: the users of failed sshd passwords, the
destination ports of ASA denies (106023), the domains of Squid's
TCP_DENIED requests and the destination addresses of FortiGate denies. For
each value it writes

  DIR/sec.conf      a SingleWithThreshold rule: THRESHOLD matching lines
                    from one source address within WINDOW seconds
  DIR/sigma/*.yml   the same as Sigma: a base rule over the fields lognorm
                    gives those lines, and an event_count correlation rule on
                    it (group-by source.ip, timespan WINDOW s, gte THRESHOLD)

so SEC reads the raw lines and correlate the same lines after lognorm. The
same corpus gives the same files. Prints a one-line description.
"""

import argparse
import collections
import re
import sys
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("5b0e8a8e-3f0c-4c55-9d1a-6d696d616d6f")

SSHD = re.compile(r"sshd\[\d+\]: Failed password for (?:invalid user )?(\S+) from \S+ port ")
ASA = re.compile(r"%ASA-\d-106023: Deny \S+ src \S+?:[^/\s]+/\d+ dst \S+?:[^/\s]+/(\d+) ")
FORTIGATE = re.compile(r' dstip=(\S+) .*action="deny"')
SQUID = re.compile(r"squid\[\d+\]: \S+\s+\d+ \S+ TCP_DENIED/\d+ \d+ \S+ (?:[a-z]+://)?([^/:\s]+)[:/\s]")


def perl_quote(text):
    """A regex matching text literally (Perl's \\Q...\\E, without relying on it)."""
    return "".join(c if c.isalnum() or ord(c) > 127 else "\\" + c for c in text)


def yaml_quote(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--syslog", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--window", type=int, default=60)
    p.add_argument("--threshold", type=int, default=5)
    a = p.parse_args()

    users, ports, domains, denied = (collections.Counter() for _ in range(4))
    with open(a.syslog, encoding="utf-8", errors="replace") as f:
        for line in f:
            if m := SSHD.search(line):
                users[m.group(1)] += 1
            elif m := ASA.search(line):
                ports[m.group(1)] += 1
            elif m := SQUID.search(line):
                domains[m.group(1)] += 1
            elif "devname=" in line and (m := FORTIGATE.search(line)):
                denied[m.group(1)] += 1

    def ranked(counter):
        return [v for v, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

    # Round robin over the three kinds, so 100 rules mix them while values last.
    pools = [("ssh", ranked(users)), ("asa", ranked(ports)), ("squid", ranked(domains)),
             ("fortigate", ranked(denied))]
    picked = []
    at = 0
    while len(picked) < a.count and any(at < len(pool) for _, pool in pools):
        for kind, pool in pools:
            if at < len(pool) and len(picked) < a.count:
                picked.append((kind, pool[at]))
        at += 1
    if len(picked) < a.count:
        sys.exit(f"sec_rules: only {len(picked)} distinct values in {a.syslog}, {a.count} wanted")

    out = Path(a.out)
    (out / "sigma").mkdir(parents=True, exist_ok=True)
    sec, sigma = [], []
    for n, (kind, value) in enumerate(picked):
        name = f"bench_{kind}_{n:03d}"
        if kind == "ssh":
            pattern = (r"sshd\[\d+\]: Failed password for (?:invalid user )?" + perl_quote(value) +
                       r" from (\S+) port ")
            what = f"failed sshd passwords for {value}"
            logsource = "  product: linux\n  service: sshd\n"
            selection = (f"    system.auth.ssh.event: Failed\n    system.auth.ssh.method: password\n"
                         f"    user.name: {yaml_quote(value)}\n")
        elif kind == "asa":
            pattern = (r"%ASA-\d-106023: Deny \S+ src \S+?:([^/\s]+)/\d+ dst \S+?:[^/\s]+/" + value + " ")
            what = f"ASA denies to port {value}"
            logsource = "  category: firewall\n"
            selection = f"    event.dataset: cisco.asa\n    event.code: '106023'\n    destination.port: {value}\n"
        elif kind == "fortigate":
            pattern = r"srcip=(\S+) .*? dstip=" + perl_quote(value) + r' .*? action="deny"'
            what = f"FortiGate denies to {value}"
            logsource = "  category: firewall\n"
            selection = (f"    event.dataset: fortinet.fortigate\n    event.action: deny\n"
                         f"    destination.ip: {yaml_quote(value)}\n")
        else:
            pattern = (r"squid\[\d+\]: \S+\s+\d+ (\S+) TCP_DENIED/\d+ \d+ \S+ (?:[a-z]+://)?" +
                       perl_quote(value) + r"[:/\s]")
            what = f"Squid TCP_DENIED requests for {value}"
            logsource = "  category: proxy\n"
            selection = f"    squid.cache_status: TCP_DENIED\n    destination.domain: {yaml_quote(value)}\n"
        sec.append(f"# {n}: {what}\ntype=SingleWithThreshold\nptype=RegExp\npattern={pattern}\n"
                   f"desc={name} $1\naction=write - {name} $1\nwindow={a.window}\nthresh={a.threshold}\n")
        base_id = uuid.uuid5(NAMESPACE, name)
        sigma.append(
            f"title: {what}\nname: {name}\nid: {base_id}\nstatus: test\nlogsource:\n{logsource}"
            f"detection:\n  selection:\n{selection}  condition: selection\nlevel: low\n"
            f"---\n"
            f"title: {a.threshold} or more {what} from one source in {a.window} s\n"
            f"id: {uuid.uuid5(NAMESPACE, name + '_threshold')}\nstatus: test\n"
            f"correlation:\n  type: event_count\n  rules:\n    - {name}\n  group-by:\n    - source.ip\n"
            f"  timespan: {a.window}s\n  condition:\n    gte: {a.threshold}\nlevel: medium\n")
    (out / "sec.conf").write_text("\n".join(sec), encoding="utf-8")
    (out / "sigma" / "bench_thresholds.yml").write_text("---\n".join(sigma), encoding="utf-8")
    kinds = collections.Counter(k for k, _ in picked)
    print(f"{len(picked)} rules ({kinds['ssh']} sshd users, {kinds['asa']} ASA deny ports, "
          f"{kinds['squid']} Squid denied domains, {kinds['fortigate']} FortiGate denied addresses), window {a.window} s, threshold {a.threshold}, in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
