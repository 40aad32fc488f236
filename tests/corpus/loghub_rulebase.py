#!/usr/bin/env python3
"""A device lognorm has no parser for, read through a user rulebase only.

rules/lognorm/proxifier.yml maps the Proxifier connection log; loghub's
vendor-logs/loghub/Proxifier/Proxifier_2k.log_structured.csv states, for
every line of Proxifier_2k.log, its time ("10.30 16:49:06"), the program and
the content, whose first "host:port" is where the connection went. lognorm
with the rulebase must parse each line with one of its rules and agree on
the time (month, day, clock), process.name (the program less its " *64"
mark) and destination.address/port. Prints the rate per check and fails
below 99%.

  loghub_rulebase.py --lognorm PATH [--corpus DIR] [--rules FILE] [-v]
"""

import argparse
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

THRESHOLD = 99.0
HOST_PORT = re.compile(r"^(\S+?):(\d+) ")


def main():
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser()
    parser.add_argument("--lognorm", required=True)
    parser.add_argument("--corpus", default=str(root.parent / "shared" / "corpus"))
    parser.add_argument("--rules", default=str(root / "rules" / "lognorm" / "proxifier.yml"))
    parser.add_argument("-v", "--verbose", action="store_true")
    a = parser.parse_args()
    base = Path(a.corpus) / "vendor-logs/loghub/Proxifier"
    log, structured = base / "Proxifier_2k.log", base / "Proxifier_2k.log_structured.csv"
    if not Path(a.lognorm).exists() or not log.exists() or not structured.exists():
        print("loghub_rulebase: lognorm or the corpus is missing; skipped")
        return 77
    # The sample is from a year lognorm must infer: receive it in November 2016.
    run = subprocess.run([a.lognorm, "-q", "--now", "2016-11-01T00:00:00Z", "--rules", a.rules,
                          str(log)], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        print(f"loghub_rulebase: lognorm failed ({run.returncode}): {run.stderr.strip()}")
        return 1
    records = [json.loads(line) for line in run.stdout.splitlines()]
    with structured.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if len(records) != len(rows):
        print(f"loghub_rulebase: {len(records)} records for {len(rows)} lines")
        return 1
    counts = {"parsed by the rulebase": [0, 0], "time": [0, 0], "process.name": [0, 0],
              "destination": [0, 0]}

    def check(name, ok, row, got):
        counts[name][1] += 1
        counts[name][0] += ok
        if not ok and a.verbose:
            print(f"  line {row['LineId']} {name}: got {got!r}")

    for row, rec in zip(rows, records):
        event = rec.get("event", {})
        check("parsed by the rulebase", event.get("dataset") == "proxifier.connection", row,
              event.get("dataset"))
        month_day, clock = row["Time"].split(" ")
        month, day = month_day.split(".")
        stamp = rec.get("@timestamp", "")
        check("time", stamp[5:19] == f"{month}-{day}T{clock}", row, stamp)
        program = row["Program"].removesuffix(" *64")
        check("process.name", rec.get("process", {}).get("name") == program, row,
              rec.get("process"))
        m = HOST_PORT.match(row["Content"])
        if m:
            dest = rec.get("destination", {})
            check("destination", (dest.get("address"), dest.get("port")) ==
                  (m.group(1), int(m.group(2))), row, dest)
    failed = False
    print(f"{'check':24} {'agree':>6} {'of':>6} {'rate':>7}")
    for name, (ok, total) in counts.items():
        rate = 100.0 * ok / total if total else 0.0
        print(f"{name:24} {ok:6} {total:6} {rate:6.1f}%")
        failed |= rate < THRESHOLD
    if failed:
        print(f"loghub_rulebase: below {THRESHOLD}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
