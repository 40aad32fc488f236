#!/usr/bin/env python3
"""Replaying the same events twice, and once stopped by SIGTERM and restarted
with --state, gives byte-identical alerts (issue 5).

Runs correlate with the rules of ../correlation_windows over generated
events (out of order within the lateness, so held hits are in the state):
  full     one run over a file, with --state;
  again    the same without --state;
  fifo     a named FIFO: SIGTERM after part of the input, then a restart on
           the same name that is given the whole input again (it skips the
           lines the state says were done);
  stdin    a pipe: SIGTERM after part, then a restart given the lines the
           state's header says were not done.
Prints the alerts of `full` on stdout; each other run must equal them.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASE = Path(__file__).resolve().parent
RULES = CASE.parent / "correlation_windows"
ARGS = ["correlate", "-q", "--alerts-only", "--now", "2024-10-03T12:00:00Z",
        "--mapping", str(RULES / "mapping.yml"), "--rules", str(RULES / "rules.yml"),
        "--lateness", "1m", "--evidence", "2", "--state-interval", "0s"]


def events():
    rng = random.Random(7)
    out = []
    base = 1727931600  # 2024-10-03T05:00:00Z
    for i in range(3000):
        t = base + i * 2 + rng.randint(-25, 25)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".000Z"
        r = {"@timestamp": stamp, "event": {"kind": "event", "dataset": "test", "id": f"e{i}"},
             "organization": {"id": rng.choice(["a", "b"])}}
        kind = rng.random()
        if kind < 0.5:
            r["event"].update(action="login", outcome="failure")
            r["source"] = {"ip": f"10.0.0.{rng.randint(1, 40)}"}
        elif kind < 0.7:
            r["event"]["action"] = "heartbeat"
            r["host"] = {"name": f"h{rng.randint(1, 12)}"}
        elif kind < 0.8:
            r["http"] = {"response": {"status_code": 500}}
            r["source"] = {"ip": f"10.9.9.{rng.randint(1, 5)}"}
            r["destination"] = {"ip": f"10.1.1.{rng.randint(1, 5)}"}
        elif kind < 0.9:
            r["event"]["action"] = "connect"
            r["source"] = {"ip": f"10.1.1.{rng.randint(1, 5)}"}
            r["destination"] = {"ip": f"10.9.9.{rng.randint(1, 5)}"}
        else:
            r["process"] = {"name": "vssadmin.exe"}
            r["user"] = {"name": rng.choice(["svc_backup", "mallory"])}
        out.append(json.dumps(r, separators=(",", ":")) + "\n")
    return out


def stopped_run(args, feed, first):
    """Starts correlate, feeds it `first` lines, stops it with SIGTERM; returns its output."""
    proc = subprocess.Popen(args, stdin=subprocess.PIPE if feed is None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    writer = proc.stdin if feed is None else open(feed, "w")
    writer.write("".join(first).encode() if feed is None else "".join(first))
    writer.flush()
    # With --state-interval 0s the state is saved whenever correlate waits
    # for input: stop it once it has read all it was given.
    state = Path(args[args.index("--state") + 1])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if state.is_file() and state_lines(state) == len(first):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    # Its input stays open until it has stopped: the stop, not an end of
    # input, must be what ends this run.
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait(timeout=30)
    writer.close()
    if proc.returncode != 128 + signal.SIGTERM:
        sys.exit(f"restart.py: stopped run: status {proc.returncode}: {err.decode()}")
    return out


def finish_run(args, feed, lines):
    proc = subprocess.Popen(args, stdin=subprocess.PIPE if feed is None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if feed is None:
        out, err = proc.communicate("".join(lines).encode(), timeout=60)
    else:
        with open(feed, "w") as w:
            w.write("".join(lines))
        out, err = proc.communicate(timeout=60)
    if proc.returncode != 0:
        sys.exit(f"restart.py: restarted run: status {proc.returncode}: {err.decode()}")
    return out


def state_lines(path):
    try:
        with open(path) as f:
            return json.loads(f.readline())["lines"]
    except (OSError, ValueError, KeyError):
        return -1


def main():
    lines = events()
    tmp = Path(tempfile.mkdtemp(dir=os.environ.get("TMPDIR")))
    data = tmp / "events.ndjson"
    data.write_text("".join(lines))
    full = subprocess.run(ARGS + ["--state", str(tmp / "full.state"), str(data)],
                          capture_output=True, check=True).stdout
    again = subprocess.run(ARGS + [str(data)], capture_output=True, check=True).stdout
    if not full or full != again:
        sys.exit("restart.py: two runs over the same events differ (or gave no alerts)")

    cut = len(lines) * 3 // 5
    fifo = tmp / "events.fifo"
    os.mkfifo(fifo)
    state = tmp / "fifo.state"
    first = stopped_run(ARGS + ["--state", str(state), str(fifo)], fifo, lines[:cut])
    done = state_lines(state)
    if done != cut:
        sys.exit(f"restart.py: the state says {done} lines were done, of {cut} given")
    second = finish_run(ARGS + ["--state", str(state), str(fifo)], fifo, lines)
    if first + second != full:
        sys.exit("restart.py: fifo: the alerts of the stopped and restarted runs differ from one run's")

    state = tmp / "stdin.state"
    first = stopped_run(ARGS + ["--state", str(state)], None, lines[:cut])
    done = state_lines(state)
    second = finish_run(ARGS + ["--state", str(state)], None, lines[done:])
    if first + second != full:
        sys.exit("restart.py: stdin: the alerts of the stopped and restarted runs differ from one run's")
    if not first or not second:
        sys.exit("restart.py: the stop did not fall between alerts; move the cut")
    sys.stdout.buffer.write(full)


if __name__ == "__main__":
    main()
