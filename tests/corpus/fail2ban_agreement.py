#!/usr/bin/env python3
"""Agreement of lognorm with fail2ban's annotated filter test logs (../shared/corpus).

vendor-logs/fail2ban/logs/<filter> are fail2ban's test logs: before a log
line, `# failJSON: {"time": "...", "match": true, "host": "1.2.3.4",
"user": "..."}` states what fail2ban's filter finds in it. For the filters
of formats lognorm reads (SUPPORTED: sshd, PAM, SELinux audit, Apache and
Nginx access and error logs, Squid, Traefik), every line marked as matching
is run through lognorm and compared where fail2ban states it:

  host -> source.ip (or source.address / source.domain for a name)
  user -> user.name
  time -> @timestamp, read as wall-clock time in Europe/Zurich (the zone
          fail2ban's tests run in); a line whose stamp has no year (BSD
          syslog) is compared without the year.

Prints the rate per filter and per field, and fails below THRESHOLD overall.

  fail2ban_agreement.py --lognorm PATH [--corpus DIR] [-v]
"""

import argparse
import datetime
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from lognorm_run import lognorm_records

# fail2ban filters whose log format lognorm reads (those absent from the corpus are skipped).
SUPPORTED = [
    "sshd", "sshd-ddos", "dropbear", "selinux-ssh", "pam-generic", "sudo",
    "apache-auth", "apache-badbots", "apache-botsearch", "apache-fakegooglebot",
    "apache-modsecurity", "apache-nohome", "apache-noscript", "apache-overflows",
    "apache-pass", "apache-shellshock", "php-url-fopen",
    "nginx-http-auth", "nginx-botsearch", "nginx-bad-request", "nginx-limit-req",
    "nginx-forbidden", "squid", "traefik-auth",
]
# Minimum agreement in percent over all compared fields (what lognorm
# reaches, rounded down; raise it when lognorm improves).
THRESHOLD = 96.0
ZONE = ZoneInfo("Europe/Zurich")
FAILJSON = re.compile(r"^#\s*failJSON:\s*(\{.*\})\s*$")


def annotated_lines(path):
    """(failJSON, log line) pairs of a fail2ban test log."""
    pairs, pending = [], None
    for raw in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        m = FAILJSON.match(raw)
        if m:
            try:
                pending = json.loads(m.group(1))
            except ValueError:
                pending = None
            continue
        if raw.startswith("#") or not raw.strip():
            continue
        if pending is not None:
            pairs.append((pending, raw))
        pending = None
    return pairs


def local_wall_clock(stamp):
    """lognorm's UTC @timestamp as Zurich wall-clock time 'YYYY-MM-DDTHH:MM:SS'."""
    try:
        t = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return t.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M:%S")


def same_time(want, got, line):
    want = want[:19]
    have = local_wall_clock(got)
    if have is None:
        return False
    if have == want:
        return True
    # A stamp without a year (BSD syslog): fail2ban guesses one, so does lognorm.
    return want[:4] not in line and have[4:] == want[4:]


def run_lognorm(lognorm, lines):
    # fail2ban's tests run with the clock at 2005-08-14 and TZ Europe/Zurich.
    cmd = [lognorm, "-q", "--now", "2005-08-14T12:00:00Z", "--tz", "Europe/Zurich", "-"]
    return lognorm_records("fail2ban_agreement", cmd, lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="store_true")
    a = parser.parse_args()
    logs = Path(a.corpus) / "vendor-logs/fail2ban/logs"
    if not Path(a.lognorm).exists() or not logs.is_dir():
        print("fail2ban_agreement: lognorm or the corpus is missing; skipped")
        return 77
    per_field = defaultdict(lambda: [0, 0])
    total = [0, 0]
    print(f"{'filter':22} {'lines':>5} {'fields':>6} {'agree':>6} {'rate':>7}")
    for name in SUPPORTED:
        path = logs / name
        if not path.is_file():
            continue
        pairs = [(want, line) for want, line in annotated_lines(path) if want.get("match")]
        if not pairs:
            continue
        got = run_lognorm(a.lognorm, [line for _, line in pairs])
        fields = agree = 0
        for (want, line), have in zip(pairs, got):
            checks = []
            if want.get("host"):
                host = str(want["host"])
                checks.append(("source.ip", host, host in (have.get("source.ip"), have.get("source.address"),
                                                          have.get("source.domain"))))
            if want.get("user"):
                checks.append(("user.name", want["user"], have.get("user.name") == want["user"]))
            if want.get("time"):
                checks.append(("@timestamp", want["time"], same_time(want["time"], have.get("@timestamp"), line)))
            for field, value, ok in checks:
                fields += 1
                per_field[field][0] += 1
                if ok:
                    agree += 1
                    per_field[field][1] += 1
                elif a.verbose:
                    shown = have.get("source.ip") if field == "source.ip" else have.get(field)
                    print(f"  {name}: {field}: want {value!r} got {shown!r} | {line[:150]}")
        total[0] += fields
        total[1] += agree
        print(f"{name:22} {len(pairs):5} {fields:6} {agree:6} {100.0 * agree / max(fields, 1):6.1f}%")
    for field, (n, ok) in sorted(per_field.items()):
        print(f"{'  ' + field:22} {'':5} {n:6} {ok:6} {100.0 * ok / max(n, 1):6.1f}%")
    rate = 100.0 * total[1] / max(total[0], 1)
    print(f"{'all':22} {'':5} {total[0]:6} {total[1]:6} {rate:6.1f}%  threshold {THRESHOLD:.1f}%")
    return 0 if total[0] and rate >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
