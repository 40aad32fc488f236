#!/usr/bin/env python3
"""A tool waiting on an idle stdin stops within a second of SIGTERM/SIGINT,
with every record it had read written out, and exits 128+N.

usage: stop_on_signal.py TOOL [ARGS...]
The tool is fed three lines on a pipe that then stays open and idle.
"""
import os
import select
import signal
import subprocess
import sys
import time

LINES = [b"first line", b"second line", b"third line"]


def check(argv, signum):
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdin.write(b"\n".join(LINES) + b"\n")
    proc.stdin.flush()
    # Let the tool read the lines and settle into its blocking read. Output is
    # block-buffered into our pipe, so nothing need have arrived yet.
    time.sleep(0.5)
    if proc.poll() is not None:
        return f"exited early with {proc.returncode}: {proc.stderr.read().decode()}"
    sent = time.monotonic()
    proc.send_signal(signum)
    try:
        proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"still running 1 s after {signal.Signals(signum).name}"
    took = time.monotonic() - sent
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    proc.stdin.close()
    records = [line for line in out.split("\n") if line]
    problems = []
    if proc.returncode != 128 + signum:
        problems.append(f"exit status {proc.returncode}, expected {128 + signum}")
    if len(records) != len(LINES):
        problems.append(f"{len(records)} records written, expected {len(LINES)}:\n{out}")
    for line, record in zip(LINES, records):
        if line.decode() not in record:
            problems.append(f"record lost or changed: {record}")
    if "read 3" not in err:
        problems.append(f"no summary of 3 lines read on stderr: {err!r}")
    print(f"{signal.Signals(signum).name}: stopped in {took * 1000:.0f} ms, "
          f"status {proc.returncode}, {len(records)} records")
    return "\n".join(problems)


def check_live(argv):
    """A line written to a live input comes out while the input stays open."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        proc.stdin.write(b"live line\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 10.0)
        if not ready:
            return "a line on a live input did not come out while the input stayed open"
        first = proc.stdout.readline().decode()
        if "live line" not in first:
            return f"unexpected first record: {first!r}"
        print("live input: the line came out while the input stayed open")
        return ""
    finally:
        proc.kill()
        proc.wait()


def main():
    argv = sys.argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    failures = [p for p in (check_live(argv), check(argv, signal.SIGTERM),
                            check(argv, signal.SIGINT)) if p]
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
