#!/usr/bin/env python3
"""logcollect --follow GLOB: new files are picked up, a line waits for its
newline, a deleted file is read to its end, SIGTERM stops it within a second
and a restart carries on where it stopped; --start-at end skips what is there
on a first run.

usage: new_files_and_partial_lines.py LOGCOLLECT
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def records(path):
    out = []
    with open(path, "rb") as f:
        for raw in f:
            out.append(json.loads(raw))
    return out


def originals(path):
    return [(r["log"]["file"]["path"].rsplit("/", 1)[-1], r["event"]["original"])
            for r in records(path)]


def wait_for(cond, seconds=20):
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def count(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


def append(path, text):
    with open(path, "ab") as f:
        f.write(text.encode())


def stop(proc, problems):
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        problems.append("still running 1 s after SIGTERM")
        return None
    if proc.returncode != 128 + signal.SIGTERM:
        problems.append(f"exit status {proc.returncode} after SIGTERM, expected 143")
    return time.monotonic() - sent


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="mimamori-follow-")
    try:
        return run(sys.argv[1], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(lc, work):
    logs = os.path.join(work, "logs")
    os.mkdir(logs)
    state = os.path.join(work, "state")
    out = os.path.join(work, "out.ndjson")
    errs = open(os.path.join(work, "stderr"), "wb")
    problems = []
    argv = [lc, "--follow", os.path.join(logs, "*.log"), "--state-dir", state,
            "--rotate-wait", "0.5", "-q"]

    # A file there before the first run is read from its beginning.
    append(os.path.join(logs, "a.log"), "a1\na2\n")
    append(os.path.join(logs, "ignored.txt"), "not followed\n")
    with open(out, "ab") as o:
        proc = subprocess.Popen(argv, stdout=o, stderr=errs)
    if not wait_for(lambda: count(out) >= 2):
        problems.append("a.log, there before the start, was not read")
    # New files: created in place, and moved in under a matching name.
    append(os.path.join(logs, "b.log"), "b1\nb2\n")
    append(os.path.join(logs, "c.tmp"), "c1\n")
    os.rename(os.path.join(logs, "c.tmp"), os.path.join(logs, "c.log"))
    if not wait_for(lambda: count(out) >= 5):
        problems.append(f"new files not picked up: {originals(out)}")
    # A line without its newline yet, and a file deleted right after its
    # last lines were written: both must come out whole.
    append(os.path.join(logs, "a.log"), "a3\na4-first-half")
    append(os.path.join(logs, "b.log"), "b3\n")
    os.unlink(os.path.join(logs, "b.log"))
    if not wait_for(lambda: count(out) >= 7):
        problems.append(f"lines written before a delete not read: {originals(out)}")
    time.sleep(1.0)  # the half line must not go out, even after a while
    took = stop(proc, problems)

    got = originals(out)
    want = [("a.log", "a1"), ("a.log", "a2"), ("a.log", "a3"), ("b.log", "b1"), ("b.log", "b2"),
            ("b.log", "b3"), ("c.log", "c1")]
    if sorted(got) != sorted(want):
        problems.append(f"first run wrote {sorted(got)}, expected {sorted(want)}")

    # The rest of the line comes while logcollect is stopped; the restart
    # reads it from the checkpoint on, whole, and nothing again.
    append(os.path.join(logs, "a.log"), "-second-half\na5\n")
    with open(out, "ab") as o:
        proc = subprocess.Popen(argv, stdout=o, stderr=errs)
    wait_for(lambda: count(out) >= 9)
    time.sleep(0.5)
    stop(proc, problems)
    got = originals(out)[len(want):]
    want2 = [("a.log", "a4-first-half-second-half"), ("a.log", "a5")]
    if got != want2:
        problems.append(f"after the restart wrote {got}, expected {want2}")
    offsets = [r["log"]["offset"] for r in records(out) if r["log"]["file"]["path"].endswith("a.log")]
    if offsets != [0, 3, 6, 9, 35]:
        problems.append(f"a.log offsets {offsets}, expected [0, 3, 6, 9, 35]")

    # --start-at end on a first run (a fresh state folder): what is there is
    # skipped, what comes is read; files that appear later start at 0.
    out2 = os.path.join(work, "out2.ndjson")
    with open(out2, "ab") as o:
        proc = subprocess.Popen(argv[:4] + [os.path.join(work, "state2"), "--start-at", "end",
                                            "--rotate-wait", "0.5", "-q"], stdout=o, stderr=errs)
    time.sleep(0.5)
    append(os.path.join(logs, "a.log"), "a6\n")
    append(os.path.join(logs, "d.log"), "d1\n")
    wait_for(lambda: count(out2) >= 2)
    time.sleep(0.3)
    stop(proc, problems)
    if sorted(originals(out2)) != [("a.log", "a6"), ("d.log", "d1")]:
        problems.append(f"--start-at end wrote {originals(out2)}, expected a6 and d1")

    errs.close()
    with open(os.path.join(work, "stderr"), "rb") as f:
        err = f.read().decode(errors="replace")
    print(f"{len(originals(out))} records; stopped "
          f"{'in %.0f ms' % (took * 1000) if took is not None else 'late'} after SIGTERM")
    if err.strip():
        print("logcollect stderr:\n" + err)
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
