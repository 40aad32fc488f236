#!/usr/bin/env python3
"""triage SIGKILLed in the middle of 100,000 alerts, then restarted with
--resume, ends with the same incidents as a run that was never interrupted
(issue 6): nothing lost, nothing counted twice.

usage: sigkill_resume.py TRIAGE_BINARY

The alerts come from tests/bench/triage_alerts.py (intel, EDR with 72-hour
repeats, Sigma). Between them go the events correlate passes on before its
alerts: each proxy request before its intel alert (allowed or blocked), each
accepted SSH login before its alert, and failed SSH logins from the same
sources before that. What triage reads from those events (connections
allowed, logins that succeeded after failures) lives in its memory between
an event and its alert, and across batches for the failures: the store must
keep it, or a resumed run rates incidents differently. A checkpoint falls
between an event and its alert on purpose (every batch ends on an event).

The uninterrupted run and the interrupted one use their own store; the
interrupted one is killed at three moments (read from its store's
checkpoint while it runs) and resumed each time. Compared: every incident's
whole state (its facts, reasons and evidence included), the dedup keys, the
sequences, the saved failed logins and the checkpoint; and, in the output,
the last record written for each incident.
"""
import json
import os
import random
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


def with_events(alerts_path, out_path):
    """Puts before the alerts the events they came from, and failed logins;
    each batch of BATCH records ends on an event whose alert is the next
    record. Returns the number of records."""
    rnd = random.Random(6)
    out = []

    def event(alert, **fields):
        e = {"@timestamp": alert["@timestamp"], "organization": alert["organization"],
             "event": {"kind": "event", **fields.pop("event")}}
        e.update(fields)
        return e

    with open(alerts_path) as f:
        for line in f:
            a = json.loads(line)
            original = a["event"]["original"]
            group = []
            if a.get("observer", {}).get("type") == "proxy":
                allowed = rnd.random() < 0.7
                group.append(event(a, event={"category": ["web"], "outcome": "success" if allowed else "failure",
                                             "original": original},
                                   source=a["source"], url=a["url"],
                                   http={"response": {"status_code": 200 if allowed else 403}}))
            elif a.get("user", {}).get("name") == "root":
                host = a["host"]["hostname"]
                src = a["source"]["ip"]
                if rnd.random() < 0.8:
                    for _ in range(rnd.randrange(1, 4)):
                        group.append(event(a, event={"category": ["authentication"], "outcome": "failure",
                                                     "original": "%s %s sshd[1]: Failed password for root from %s"
                                                                 % (a["@timestamp"], host, src)},
                                           host={"hostname": host}, source={"ip": src}))
                group.append(event(a, event={"category": ["authentication"], "outcome": "success",
                                             "original": original},
                                   host={"hostname": host}, source={"ip": src}))
            if group and (len(out) + len(group) + 1) % BATCH == 0:
                # The batch would end on this alert: a harmless event first,
                # so it ends on the alert's own event instead.
                out.append(event(a, event={"category": ["process"], "original": "filler %d" % len(out)}))
            out.extend(group)
            out.append(a)
    with open(out_path, "w") as f:
        for r in out:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")
    return len(out)


def dump(db):
    con = sqlite3.connect(db)
    try:
        incidents = {row[0]: json.loads(row[1]) for row in con.execute("SELECT id, state FROM incidents")}
        dedup = sorted(con.execute("SELECT key, last, incident FROM dedup"))
        sequences = sorted(con.execute("SELECT key, last FROM sequences"))
        checkpoints = sorted(con.execute("SELECT stream, records FROM checkpoints"))
        failures = sorted(con.execute("SELECT key, count, last FROM auth_failures"))
    finally:
        con.close()
    return incidents, dedup, sequences, checkpoints, failures


def last_records(paths):
    last = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                if not line.endswith("\n"):
                    continue  # the last line of a killed run, cut short; its batch is done again
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
        alerts_only = tmp / "alerts-only.ndjson"
        subprocess.run([sys.executable, str(GENERATOR), "--count", str(ALERTS), "-o", str(alerts_only)],
                       check=True, stdout=subprocess.DEVNULL)
        alerts = tmp / "records.ndjson"
        records = with_events(alerts_only, alerts)
        common = ["-q", "--batch", str(BATCH), "--now", "2026-10-01T12:00:00Z"]

        ref_out = tmp / "ref.ndjson"
        with open(ref_out, "w") as out:
            subprocess.run([triage, *common, "--store", str(tmp / "ref.db"), "--suppressed",
                            str(tmp / "ref-suppressed.ndjson"), str(alerts)], stdout=out, check=True)

        db = tmp / "killed.db"
        outputs = []
        kills = 0
        targets = [records // 5, records // 2, records * 4 // 5]
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
        if ref[3][0][1] != records:
            fail(f"the checkpoint is {ref[3][0][1]}, not {records}")
        # The events must have mattered, or nothing was tested.
        after_failures = sum(s["facts"]["failures_before_success"] > 0 for s in ref[0].values())
        allowed = sum(s["facts"]["allowed"] for s in ref[0].values())
        if after_failures == 0 or allowed == 0:
            fail(f"no incident rated from its events ({after_failures} logins after failures, "
                 f"{allowed} allowed connections); nothing was tested")
        if ref[4] != got[4]:
            fail(f"saved failed logins differ: {len(ref[4])} vs {len(got[4])} keys")
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
        ref_lines = {l for l in open(tmp / "ref-suppressed.ndjson")}
        got_lines = set()
        for line in open(tmp / "killed-suppressed.ndjson"):
            try:
                json.loads(line)
            except ValueError:
                # A write cut by the kill: ended with a newline by the next
                # run, and a piece of a record written again in full.
                if not any(r.startswith(line.rstrip("\n")) for r in ref_lines):
                    fail(f"a broken suppressed line that is no piece of a record: {line[:200]}")
                continue
            got_lines.add(line)
        if ref_lines != got_lines:
            fail("suppressed records differ (beyond repeats of a batch written before a kill)")
        alerts_counted = sum(s["alert_count"] + s["suppressed_count"] for s in got[0].values())
        print(f"sigkill_resume: killed {kills} times; {len(got[0])} incidents, {alerts_counted} alerts "
              f"({ref_suppressed} suppressed), {records - ALERTS} events, {after_failures} incidents "
              f"with logins after failures, {allowed} allowed connections: identical to the "
              f"uninterrupted run")


if __name__ == "__main__":
    main()
