#!/usr/bin/env python3
"""Run golden cases: tests/cli/<tool>/<case>/ (STYLE.md, "Tests").

A case folder holds
  cmd              shell text, run as `bash -o pipefail -c` in the case folder
  input            fed on stdin (optional; otherwise stdin is /dev/null)
  expected.ndjson  expected stdout, byte for byte
  expected.stderr  expected stderr, byte for byte (optional; ignored if absent)
  exit-code        expected exit status (optional; default 0)
  env              KEY=VALUE lines added to the environment (optional;
                   $CASE, $SRC, $CORPUS, $TMPDIR are expanded in values)
  timeout          seconds (optional; default 60)
  labels           extra CTest labels, e.g. `peer` or `slow` (read by CMake)

The command sees TZ=UTC, LC_ALL=C, the build's bin dir first on PATH,
$CASE (the case dir), $SRC (the repo root), $CORPUS (../shared/corpus beside
the repo) and $TMPDIR (a fresh scratch dir, removed afterwards: write state
there, never into the case folder). MIMAMORI_* variables of the caller are
removed so a developer's settings cannot leak in. Tools pin time with --now
in cmd.

  run_case.py [--update] --bin BINDIR CASEDIR...   (a dir without cmd: every case under it)
  run_case.py --list CASEDIR...

Exit status: 0 all cases passed (or were updated), 1 a case failed, 2 usage.
--update rewrites expected.ndjson, expected.stderr (if it existed or stderr
is not empty) and exit-code (kept only if not 0); review with `git diff`.
"""

import argparse
import difflib
import os
import shutil
import signal
import string
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 60
MAX_DIFF_LINES = 80
MAX_LINE_CHARS = 2000


def find_cases(paths):
    cases = []
    for p in map(Path, paths):
        if (p / "cmd").is_file():
            cases.append(p)
        elif p.is_dir():
            cases.extend(sorted(c.parent for c in p.rglob("cmd") if c.is_file()))
        else:
            raise SystemExit(f"run_case.py: {p}: not a case folder (no cmd)")
    return [c.resolve() for c in cases]


def case_name(case):
    return f"{case.parent.name}/{case.name}"


def read_optional(path, default=None):
    return path.read_bytes() if path.is_file() else default


def case_env(case, bindir, corpus, tmpdir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIMAMORI_")}
    env.update(
        PATH=f"{bindir}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
        TZ="UTC",
        LC_ALL="C",
        CASE=str(case),
        SRC=str(SRC),
        CORPUS=str(corpus),
        TMPDIR=str(tmpdir),
    )
    env_file = case / "env"
    if env_file.is_file():
        for n, line in enumerate(env_file.read_text().splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, eq, value = line.partition("=")
            if not eq or not key:
                raise SystemExit(f"run_case.py: {env_file}:{n}: expected KEY=VALUE")
            env[key] = string.Template(value).safe_substitute(env)
    return env


def run(case, bindir, corpus):
    """Run one case; return (stdout, stderr, exit status or None on timeout, timeout)."""
    timeout = int((read_optional(case / "timeout") or b"%d" % DEFAULT_TIMEOUT).strip())
    cmd = (case / "cmd").read_text()
    stdin_path = case / "input"
    with tempfile.TemporaryDirectory(prefix="mimamori-case-") as tmpdir:
        env = case_env(case, bindir, corpus, tmpdir)
        with open(stdin_path if stdin_path.is_file() else os.devnull, "rb") as stdin:
            # Own session, so a timeout kills the whole pipeline, not just bash.
            proc = subprocess.Popen(
                ["bash", "-o", "pipefail", "-c", cmd], cwd=case, env=env, stdin=stdin,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            try:
                out, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                out, err = proc.communicate()
                return out, err, None, timeout
    status = proc.returncode
    return out, err, (128 - status if status < 0 else status), timeout


def render(data):
    """Lines of text for a diff; the bytes stay visible whatever they are."""
    lines = data.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    shown = []
    for line in lines:
        body = line.rstrip("\n").replace("\r", "\\r")
        if len(body) > MAX_LINE_CHARS:
            body = body[:MAX_LINE_CHARS] + f"... ({len(body) - MAX_LINE_CHARS} more chars)"
        shown.append(body + "\n" if line.endswith("\n") else body + "\n\\ No newline at end of file\n")
    return shown


def print_diff(what, expected, actual, out):
    diff = list(difflib.unified_diff(render(expected), render(actual),
                                     f"expected {what}", f"actual {what}"))
    if not diff:  # differences that rendering hid
        at = next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b),
                  min(len(expected), len(actual)))
        diff = [f"{what} differs at byte {at}\n"]
    out.writelines(diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        out.write(f"... ({len(diff) - MAX_DIFF_LINES} more diff lines)\n")


def check(case, bindir, corpus, out):
    """Return True when the case passes; print what differs otherwise."""
    name = case_name(case)
    stdout, stderr, status, timeout = run(case, bindir, corpus)
    want_stdout = read_optional(case / "expected.ndjson")
    want_stderr = read_optional(case / "expected.stderr")
    want_status = int((read_optional(case / "exit-code") or b"0").strip())

    failures = []
    if status is None:
        failures.append(f"timed out after {timeout} s")
    if want_stdout is None:
        failures.append("no expected.ndjson (run with --update to create it)")
    elif stdout != want_stdout:
        failures.append("stdout differs")
    if want_stderr is not None and stderr != want_stderr:
        failures.append("stderr differs")
    if status is not None and status != want_status:
        failures.append(f"exit status {status}, expected {want_status}")
    if not failures:
        out.write(f"PASS {name}\n")
        return True

    out.write(f"FAIL {name}: {'; '.join(failures)}\n")
    out.write(f"  cmd: {(case / 'cmd').read_text().strip()}\n")
    out.write(f"  case: {case}\n")
    if want_stdout is not None and stdout != want_stdout:
        print_diff("stdout", want_stdout, stdout, out)
    if want_stderr is not None and stderr != want_stderr:
        print_diff("stderr", want_stderr, stderr, out)
    elif want_stderr is None and stderr:
        tail = render(stderr)
        out.write("stderr (last lines):\n" + "".join("  " + l for l in tail[-20:]))
    if status == 127:
        out.write(f"  hint: a command was not found; is the tool built into {bindir}?\n")
    return False


def update(case, bindir, corpus, out):
    name = case_name(case)
    stdout, stderr, status, timeout = run(case, bindir, corpus)
    if status is None:
        out.write(f"FAIL {name}: timed out after {timeout} s; nothing written\n")
        return False
    if status == 127:
        out.write(f"FAIL {name}: a command was not found (is the tool built into {bindir}?);"
                  " nothing written\n" + "".join("  " + l for l in render(stderr)[-5:]))
        return False
    changed = []

    def write(fname, data):
        path = case / fname
        if read_optional(path) != data:
            path.write_bytes(data)
            changed.append(fname)

    write("expected.ndjson", stdout)
    if (case / "expected.stderr").is_file() or stderr:
        write("expected.stderr", stderr)
    if status != 0:
        write("exit-code", b"%d\n" % status)
    elif (case / "exit-code").is_file():
        (case / "exit-code").unlink()
        changed.append("exit-code (removed)")
    out.write(f"{'UPDATED' if changed else 'SAME'} {name}"
              f"{': ' + ', '.join(changed) if changed else ''}\n")
    return True


def main():
    ap = argparse.ArgumentParser(description="Run mimamori golden cases (tests/cli/<tool>/<case>/).")
    ap.add_argument("--bin", help="the build's bin dir, put first on PATH")
    ap.add_argument("--update", action="store_true", help="rewrite expectations from current output")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--corpus", default=str(SRC.parent / "shared" / "corpus"),
                    help="value of $CORPUS (default: ../shared/corpus beside the repo)")
    ap.add_argument("cases", nargs="+", metavar="CASEDIR")
    args = ap.parse_args()

    cases = find_cases(args.cases)
    if args.list:
        for case in cases:
            print(case_name(case))
        return 0
    if not args.bin:
        ap.error("--bin BINDIR is required")
    if not cases:
        print("run_case.py: no cases found", file=sys.stderr)
        return 2
    if shutil.which("bash") is None:
        print("run_case.py: bash not found", file=sys.stderr)
        return 2
    bindir = Path(args.bin).resolve()
    if not bindir.is_dir():
        print(f"run_case.py: warning: {bindir}: no such directory", file=sys.stderr)

    step = update if args.update else check
    results = [step(case, bindir, Path(args.corpus), sys.stdout) for case in cases]
    if len(results) > 1:
        print(f"{results.count(True)} of {len(results)} cases "
              f"{'updated or unchanged' if args.update else 'passed'}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
