#!/usr/bin/env python3
"""triage SIGKILLed in the middle of 100,000 alerts, then restarted with
--resume, ends with the same incidents as a run that was never interrupted
(issue 6): nothing lost, nothing counted twice.

usage: sigkill_resume.py TRIAGE_BINARY

The alerts come from tests/bench/triage_alerts.py (intel, EDR with 72-hour
repeats, Sigma). The uninterrupted run and the interrupted one use their own
store; the interrupted one is killed at three moments (read from its store's
checkpoint while it runs) and resumed each time. Compared: every incident's
whole state, the dedup keys, the sequences and the checkpoint; and, in the
output, the last record written for each incident.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALERTS = 100_000
BATCH = 1000
HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parents[1] / "bench" / "triage_alerts.py"


def fail(message):
    print(f"sigkill_resume: {message}", file=sys.stderr)
    sys.exit(1)


def checkpoint(db):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute("SELECT records FROM checkpoints").fetchone()
        finally:
            con.close()
        return row[0] if row else 0
    except sqlite3.Error:
        return 0


def dump(db):
    con = sqlite3.connect(db)
    try:
        incidents = {row[0]: json.loads(row[1]) for row in con.execute("SELECT id, state FROM incidents")}
        dedup = sorted(con.execute("SELECT key, last, incident FROM dedup"))
        sequences = sorted(con.execute("SELECT key, last FROM sequences"))
        checkpoints = sorted(con.execute("SELECT stream, records FROM checkpoints"))
    finally:
        con.close()
    return incidents, dedup, sequences, checkpoints


def last_records(paths):
    last = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                if r.get("event", {}).get("kind") != "incident":
                    continue
                i = r["mimamori"]["incident"]
                if i["id"] not in last or i["version"] >= last[i["id"]]["mimamori"]["incident"]["version"]:
                    last[i["id"]] = r
    return last


def main():
    if len(sys.argv) != 2:
        fail("usage: sigkill_resume.py TRIAGE_BINARY")
    triage = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="mimamori-triage-kill-") as tmp:
        tmp = Path(tmp)
        alerts = tmp / "alerts.ndjson"
        subprocess.run([sys.executable, str(GENERATOR), "--count", str(ALERTS), "-o", str(alerts)],
                       check=True, stdout=subprocess.DEVNULL)
        common = ["-q", "--batch", str(BATCH), "--now", "2026-10-01T12:00:00Z"]

        ref_out = tmp / "ref.ndjson"
        with open(ref_out, "w") as out:
            subprocess.run([triage, *common, "--store", str(tmp / "ref.db"), "--suppressed",
                            str(tmp / "ref-suppressed.ndjson"), str(alerts)], stdout=out, check=True)

        db = tmp / "killed.db"
        outputs = []
        kills = 0
        targets = [ALERTS // 5, ALERTS // 2, ALERTS * 4 // 5]
        for attempt in range(10):
            out_path = tmp / f"killed-{attempt}.ndjson"
            outputs.append(out_path)
            args = [triage, *common, "--store", str(db), "--suppressed",
                    str(tmp / "killed-suppressed.ndjson"), str(alerts)]
            if attempt > 0:
                args.insert(1, "--resume")
            with open(out_path, "w") as out:
                proc = subprocess.Popen(args, stdout=out)
                target = targets[kills] if kills < len(targets) else None
                while proc.poll() is None:
                    if target is not None and checkpoint(db) >= target:
                        proc.send_signal(signal.SIGKILL)
                        proc.wait()
                        kills += 1
                        break
                    time.sleep(0.005)
            if proc.returncode == 0:
                break
            if proc.returncode != -signal.SIGKILL:
                fail(f"triage exited with {proc.returncode}")
        else:
            fail("triage never finished")
        if kills == 0:
            fail("the run finished before it could be killed; nothing was tested")

        ref = dump(tmp / "ref.db")
        got = dump(db)
        if ref[3] != got[3]:
            fail(f"checkpoints differ: {ref[3]} vs {got[3]}")
        if ref[3][0][1] != ALERTS:
            fail(f"the checkpoint is {ref[3][0][1]}, not {ALERTS}")
        if ref[2] != got[2]:
            fail("incident sequences differ")
        if ref[1] != got[1]:
            fail("dedup keys differ")
        if ref[0].keys() != got[0].keys():
            fail(f"incident ids differ: {len(ref[0])} vs {len(got[0])}")
        for id_, state in ref[0].items():
            if state != got[0][id_]:
                diff = {k: (v, got[0][id_].get(k)) for k, v in state.items() if got[0][id_].get(k) != v}
                fail(f"{id_} differs: {json.dumps(diff)[:500]}")
        ref_last = last_records([ref_out])
        got_last = last_records(outputs)
        if ref_last != got_last:
            fail("the last record written for each incident differs")
        ref_suppressed = sum(1 for _ in open(tmp / "ref-suppressed.ndjson"))
        got_lines = {l for l in open(tmp / "killed-suppressed.ndjson")}
        if {l for l in open(tmp / "ref-suppressed.ndjson")} != got_lines:
            fail("suppressed records differ (beyond repeats of a batch written before a kill)")
        alerts_counted = sum(s["alert_count"] + s["suppressed_count"] for s in got[0].values())
        print(f"sigkill_resume: killed {kills} times; {len(got[0])} incidents, {alerts_counted} alerts "
              f"({ref_suppressed} suppressed) identical to the uninterrupted run")


if __name__ == "__main__":
    main()
