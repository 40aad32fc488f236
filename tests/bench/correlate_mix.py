#!/usr/bin/env python3
"""Writes the event mix correlate's Sigma benchmark reads.

  correlate_mix.py --lognorm BIN --syslog LINES --corpus DIR --mib N -o OUT

The mix is what a SOC's correlate sees: Windows events from the corpus
(OTRF security datasets, EVTX-ATTACK-SAMPLES renderings and the SigmaHQ
regression events: Security, Sysmon with its process creations, PowerShell,
System...) and syslog lines (firewall, proxy, sshd from
mimamori-bench-generate), all normalised by lognorm, then interleaved one
Windows event for every syslog event and repeated until OUT holds N MiB.
The same inputs give the same bytes. Prints a one-line description.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path


# The regression events are concatenated JSON documents; the corpus test
# already reads them.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))
from sigma_regression import json_documents  # noqa: E402


def windows_lines(corpus):
    """Every Windows event of the corpus as one compact JSON line, in path order."""
    lines = []
    win = corpus / "windows-events"
    files = sorted((win / "otrf-security-datasets").rglob("*.json"))
    files += sorted((win / "evtx-attack-samples").rglob("*.jsonl"))
    files += sorted((corpus / "sigma" / "SigmaHQ-sigma" / "regression_data").rglob("*.json"))
    for path in files:
        try:
            docs = json_documents(path.read_text(errors="replace"))
        except ValueError as e:
            print(f"correlate_mix: {path}: skipped, not JSON: {e}", file=sys.stderr)
            continue
        for doc in docs:
            if isinstance(doc, dict):
                lines.append(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
    return lines


def normalise(lognorm, lines, fmt=None):
    cmd = [lognorm, "-q", "--now", "2024-05-01T00:00:00Z"]
    if fmt:
        cmd += ["--format", fmt]
    done = subprocess.run(cmd, input="\n".join(lines) + "\n", capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"correlate_mix: {' '.join(cmd)} failed (status {done.returncode}): "
                 f"{done.stderr.strip()[:300]}")
    return [line for line in done.stdout.splitlines() if line]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lognorm", required=True)
    p.add_argument("--syslog", required=True, help="raw syslog lines (mimamori-bench-generate --kind syslog)")
    p.add_argument("--corpus", required=True)
    p.add_argument("--mib", type=int, default=64)
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()

    windows = normalise(a.lognorm, windows_lines(Path(a.corpus)), "windows")
    windows = [w for w in windows if '"pipeline_error"' not in w]
    syslog = normalise(a.lognorm, Path(a.syslog).read_text(errors="replace").splitlines())
    syslog = [s for s in syslog if '"pipeline_error"' not in s]
    if not windows or not syslog:
        sys.exit(f"correlate_mix: no events ({len(windows)} Windows, {len(syslog)} syslog)")
    limit = a.mib << 20
    written = records = 0
    w = s = 0
    with open(a.output, "w", encoding="utf-8") as out:
        while written < limit:
            for line in (windows[w % len(windows)], syslog[s % len(syslog)]):
                out.write(line)
                out.write("\n")
                written += len(line.encode()) + 1
                records += 1
            w += 1
            s += 1
    print(f"{records} events: Windows ({len(windows)} distinct) and syslog ({len(syslog)} distinct) "
          f"one for one, {written >> 20} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
