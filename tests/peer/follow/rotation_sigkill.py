#!/usr/bin/env python3
"""logcollect --follow across rotations and SIGKILLs: every line exactly once.

usage: rotation_sigkill.py LOGCOLLECT

A writer (a thread here, writing with os.write like a daemon would) appends
200,000 numbered lines to logs/app.log, in bursts that end in the middle of
a line. The file is rotated three times as logrotate would: by rename (with
the writer still appending to the old file for a while, as a daemon does
until it reopens), by copytruncate, and by rename again. logcollect follows
logs/app.log with its output appended to a regular file and is SIGKILLed
three times with a pause; twice it stays down while a rotation happens. At the end it is
stopped with SIGTERM. Five more SIGKILLs, each followed by an immediate
restart, land wherever they land. Every number must be in the output exactly once, each
record whole (no partial line went out), and the checkpoint must have
carried the restarts.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

TOTAL = 200_000
BURST = 250
PAYLOAD = "user=alice action=login src=192.0.2.10 msg=\"it works\""
LINE_RE = re.compile(r"^(\d{7}) " + re.escape(PAYLOAD) + r"$")
# Rotations at these line numbers (rename, copytruncate, rename).
ROTATIONS = {50_000: "rename", 100_000: "copytruncate", 150_000: "rename"}
# logcollect is killed when the writer passes the first number and restarted
# when it passes the second: the last two outages each span a rotation.
# The others are a kill and an immediate restart, which may land anywhere,
# also between a write and its checkpoint.
OUTAGES = [(20_000, 24_000), (35_000, 35_000), (62_000, 62_000), (80_000, 80_000),
           (95_000, 108_000), (125_000, 125_000), (145_000, 158_000), (175_000, 175_000)]
LATE_LINES = 600  # lines the writer still appends to a file renamed away


class Output:
    """Counts the records logcollect has written so far, reading only what is new."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.count = 0
        self.lock = threading.Lock()

    def records(self):
        with self.lock:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
            self.offset += len(data)
            self.count += data.count(b"\n")
            return self.count


class Writer(threading.Thread):
    def __init__(self, logs, output):
        super().__init__(daemon=True)
        self.logs = logs
        self.path = os.path.join(logs, "app.log")
        self.output = output
        self.written = 0
        self.file_start = 0  # the first line of what app.log holds now
        self.error = None

    def seen(self):
        """logcollect has written a line of what app.log holds now."""
        return self.output.records() > self.file_start

    def wait_seen(self):
        # Rotations come hours apart in life; here a slow build (a sanitizer)
        # must still have seen a file before it is rotated, since lines of a
        # file copytruncated before anyone looked at it are lost by nature.
        deadline = time.monotonic() + 20
        while not self.seen() and time.monotonic() < deadline:
            time.sleep(0.005)

    def shift(self):
        for n in (3, 2, 1):
            src = f"{self.path}.{n}"
            if os.path.exists(src):
                os.rename(src, f"{self.path}.{n + 1}")

    def run(self):
        try:
            self.write_all()
        except Exception as e:  # reported by the main thread
            self.error = e

    def write_all(self):
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        carry = b""  # the unfinished end of the last burst
        n = 0
        while n < TOTAL:
            kind = ROTATIONS.get(n)
            if kind:
                self.wait_seen()
            if kind == "rename":
                self.shift()
                os.rename(self.path, self.path + ".1")
                # The daemon has not reopened yet: more lines go to the old file.
                late = b"".join(line(i) for i in range(n, n + LATE_LINES))
                os.write(fd, carry + late)
                carry = b""
                n += LATE_LINES
                self.written = n
                time.sleep(0.05)
                os.close(fd)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                self.file_start = n
            elif kind == "copytruncate":
                # logrotate copies, then truncates; nothing is written between.
                if carry:
                    os.write(fd, carry)
                    carry = b""
                self.shift()
                shutil.copyfile(self.path, self.path + ".1")
                os.truncate(self.path, 0)
                self.file_start = n
            end = min(n + BURST, TOTAL)
            nxt = min(ROTATIONS.keys() - {k for k in ROTATIONS if k <= n}, default=TOTAL)
            end = min(end, nxt)
            data = carry + b"".join(line(i) for i in range(n, end))
            cut = len(data) - 17 if end < TOTAL and end != nxt else len(data)
            os.write(fd, data[:cut])
            carry = data[cut:]
            n = end
            self.written = n
            time.sleep(0.002)
        if carry:
            os.write(fd, carry)
        os.close(fd)
        self.written = TOTAL


def line(i):
    return f"{i:07d} {PAYLOAD}\n".encode()


def start(lc, logs, state, out_path, log):
    out = open(out_path, "ab")
    proc = subprocess.Popen(
        [lc, "--follow", os.path.join(logs, "app.log"), "--state-dir", state,
         "--poll-interval", "0.2", "--rotate-wait", "2", "-q"],
        stdout=out, stderr=log)
    out.close()
    return proc


def wait_for(cond, deadline):
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lc = sys.argv[1]
    work = tempfile.mkdtemp(prefix="mimamori-follow-")
    try:
        return run(lc, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(lc, work):
    logs = os.path.join(work, "logs")
    state = os.path.join(work, "state")
    os.mkdir(logs)
    out_path = os.path.join(work, "out.ndjson")
    log = open(os.path.join(work, "stderr"), "wb")
    deadline = time.monotonic() + 60
    problems = []

    proc = start(lc, logs, state, out_path, log)
    output = Output(out_path)
    writer = Writer(logs, output)
    time.sleep(0.2)  # logcollect is up and watching before the first line
    writer.start()
    for kill_at, restart_at in OUTAGES:
        # Killed once it has seen the file being written (see wait_seen).
        if not wait_for(lambda: (writer.written >= kill_at and writer.seen()) or writer.error,
                        deadline):
            problems.append(f"writer stuck at {writer.written}")
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        wait_for(lambda: writer.written >= restart_at or writer.error, deadline)
        proc = start(lc, logs, state, out_path, log)
    writer.join(timeout=max(1, deadline - time.monotonic()))
    if writer.error:
        problems.append(f"writer failed: {writer.error!r}")

    wait_for(lambda: output.records() >= TOTAL or proc.poll() is not None, deadline)
    time.sleep(0.3)  # anything extra (a repeat) would show now
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=1.0)
        took = time.monotonic() - sent
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        took = None
        problems.append("still running 1 s after SIGTERM")
    if proc.returncode not in (128 + signal.SIGTERM, -signal.SIGKILL):
        problems.append(f"exit status {proc.returncode} after SIGTERM, expected 143")
    log.close()

    seen = {}
    bad = []
    with open(out_path, "rb") as f:
        for raw in f:
            try:
                rec = json.loads(raw)
                m = LINE_RE.match(rec["event"]["original"])
            except (ValueError, KeyError, TypeError):
                m = None
            if not m:
                bad.append(raw[:200])
                continue
            n = int(m.group(1))
            seen[n] = seen.get(n, 0) + 1
    missing = [n for n in range(TOTAL) if n not in seen]
    repeated = sorted(n for n, c in seen.items() if c > 1)
    if bad:
        problems.append(f"{len(bad)} records that are not a whole line, first: {bad[:3]}")
    if missing:
        problems.append(f"{len(missing)} lines lost, first: {missing[:10]}")
    if repeated:
        problems.append(f"{len(repeated)} lines repeated, first: {repeated[:10]}")
    with open(os.path.join(work, "stderr"), "rb") as f:
        err = f.read().decode(errors="replace")
    print(f"{TOTAL} lines written, 3 rotations, {len(OUTAGES)} SIGKILLs; "
          f"{sum(seen.values())} records out, {len(missing)} lost, {len(repeated)} repeated; "
          f"stopped {'in %.0f ms' % (took * 1000) if took is not None else 'late'} after SIGTERM")
    if err.strip():
        print("logcollect stderr:\n" + err)
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
