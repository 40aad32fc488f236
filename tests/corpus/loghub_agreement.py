#!/usr/bin/env python3
"""Agreement of lognorm with loghub's structured logs (../shared/corpus).

vendor-logs/loghub/<System>/<System>_2k.log_structured.csv holds, for each
line of <System>_2k.log, its time columns, its program, its message and the
template loghub's annotators gave it ("Failed password for <*> from <*>
port <*> ssh2"). For the systems whose format lognorm reads (OpenSSH: sshd
syslog; Linux: syslog; Apache: the error log), every line is run through
lognorm and compared where loghub states:

  a time  (the Date/Day/Time or Time columns)  -> @timestamp, read in UTC;
          the logs carry no year, so month, day and time of day are compared
  a source address (a template parameter holding an IP after "from ",
          "rhost=", "[" ...)                    -> source.ip
  a user  (a parameter after "user ", "user=", "for ... from", or a
          literal "user=NAME" in the template)  -> user.name (or
          user.effective.name: "session opened for user X by Y")

Addresses and users are compared on the lines of the programs lognorm's
linux-auth family reads (AUTH_PROGRAMS); times on every line.

Prints the rate per system and field, and fails below the thresholds.

  loghub_agreement.py --lognorm PATH [--corpus DIR] [-v]
"""

import argparse
import csv
import ipaddress
import re
import sys
from collections import defaultdict
from pathlib import Path

from lognorm_run import lognorm_records

# system -> (how to read its time columns, lognorm arguments)
SYSTEMS = {
    "OpenSSH": ("syslog", []),
    "Linux": ("syslog", []),
    "Apache": ("apache", []),
}
AUTH_PROGRAMS = {"sshd", "sshd-session", "sudo", "su", "login", "passwd", "useradd", "groupadd",
                 "userdel", "usermod", "chpasswd", "unix_chkpwd"}
# Minimum agreement in percent per field (what lognorm reaches, rounded
# down; raise it when lognorm improves).
THRESHOLDS = {"@timestamp": 99.0, "source.ip": 95.0, "user.name": 95.0}
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
ADDRESS_BEFORE = ("from ", "rhost=", "[", "connection from ", "by ")
USER_BEFORE = ("user ", "user=", "for user ")


def is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def template_regex(template):
    parts = template.split("<*>")
    return re.compile("^" + "(.*?)".join(re.escape(p) for p in parts) + "$", re.S), parts


def stated(row):
    """(source address, user) the template says the line holds, None when it says none."""
    regex, parts = template_regex(row["EventTemplate"].strip())
    m = regex.match(row["Content"].strip())
    address = user = None
    if m:
        for k, value in enumerate(m.groups()):
            before, after = parts[k], parts[k + 1]
            value = value.strip()
            if not value:
                continue
            if is_ip(value) and before.endswith(ADDRESS_BEFORE):
                address = address or value
            elif not is_ip(value) and (before.endswith(USER_BEFORE) or
                                       (before.endswith("for ") and after.startswith(" from"))):
                user = user or value
    if user is None:
        literal = re.search(r"\buser=([\w.-]+)", row["EventTemplate"])
        if literal and "<*>" not in literal.group(0):
            user = literal.group(1)
    return address, user


def stated_time(row, kind):
    """'MM-DDTHH:MM:SS' (no year) or 'YYYY-MM-DDTHH:MM:SS'."""
    if kind == "syslog":
        month = row.get("Date") if "Day" in row else row.get("Month")
        day = row.get("Day") if "Day" in row else row.get("Date")
        if month not in MONTHS or not day or not day.isdigit():
            return None
        return f"{MONTHS[month]:02d}-{int(day):02d}T{row['Time']}"
    m = re.match(r"\w{3} (\w{3}) +(\d+) (\d\d:\d\d:\d\d) (\d{4})$", row["Time"])
    if not m or m.group(1) not in MONTHS:
        return None
    return f"{m.group(4)}-{MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}T{m.group(3)}"


def program_of(row):
    component = row.get("Component", "")
    # OpenSSH's CSV names the host "Component"; its program is sshd.
    if "Day" in row:
        return "sshd"
    return re.split(r"[(\[ ]", component, maxsplit=1)[0]


def run_lognorm(lognorm, log, args):
    cmd = [lognorm, "-q", "--now", "2005-12-31T23:59:59Z", "--tz", "UTC", *args, str(log)]
    return lognorm_records("loghub_agreement", cmd)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    parser.add_argument("-v", "--verbose", action="store_true")
    a = parser.parse_args()
    root = Path(a.corpus) / "vendor-logs/loghub"
    if not Path(a.lognorm).exists() or not root.is_dir():
        print("loghub_agreement: lognorm or the corpus is missing; skipped")
        return 77
    totals = defaultdict(lambda: [0, 0])
    print(f"{'system':9} {'field':12} {'lines':>6} {'agree':>6} {'rate':>7}")
    for system, (kind, args) in SYSTEMS.items():
        log = root / system / f"{system}_2k.log"
        table = root / system / f"{system}_2k.log_structured.csv"
        if not log.exists() or not table.exists():
            continue
        with table.open(newline="", errors="replace") as f:
            rows = list(csv.DictReader(f))
        got = run_lognorm(a.lognorm, log, args)
        if len(got) != len(rows):
            print(f"loghub_agreement: {system}: {len(rows)} rows, lognorm wrote {len(got)} records")
            return 1
        counts = defaultdict(lambda: [0, 0])
        for row, have in zip(rows, got):
            checks = []
            when = stated_time(row, kind)
            if when:
                stamp = str(have.get("@timestamp", ""))
                checks.append(("@timestamp", when, stamp[5:19] == when if len(when) == 14 else stamp[:19] == when))
            if program_of(row) in AUTH_PROGRAMS:
                address, user = stated(row)
                if address:
                    checks.append(("source.ip", address, have.get("source.ip") == address))
                if user:
                    checks.append(("user.name", user, user in (have.get("user.name"), have.get("user.effective.name"))))
            for field, value, ok in checks:
                counts[field][0] += 1
                counts[field][1] += ok
                if not ok and a.verbose:
                    shown = have.get("@timestamp") if field == "@timestamp" else have.get(field)
                    print(f"  {system}:{row['LineId']}: {field}: want {value!r} got {shown!r} | {row['Content'][:110]}")
        for field, (n, ok) in sorted(counts.items()):
            totals[field][0] += n
            totals[field][1] += ok
            print(f"{system:9} {field:12} {n:6} {ok:6} {100.0 * ok / max(n, 1):6.1f}%")
    failed = not totals
    for field, (n, ok) in sorted(totals.items()):
        rate = 100.0 * ok / max(n, 1)
        threshold = THRESHOLDS[field]
        failed |= rate < threshold
        print(f"{'all':9} {field:12} {n:6} {ok:6} {rate:6.1f}%  threshold {threshold:.1f}% "
              f"{'ok' if rate >= threshold else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
