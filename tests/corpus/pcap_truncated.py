#!/usr/bin/env python3
"""A truncated capture file: logcollect names the file and the byte offset
where it breaks off, keeps the records of every packet before it, ends its
open flows, and exits 1.

Uses a real capture from the corpus (suricata-verify bug-78-uricontent: one
HTTP request over 13 packets), cut inside its last packet and inside its
file header.

  pcap_truncated.py --logcollect PATH [--corpus DIR]
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path


def record_offsets(data):
    """Byte offsets of each packet record of a classic pcap file."""
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    at = 24
    offsets = []
    while at + 16 <= len(data):
        offsets.append(at)
        caplen = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        at += 16 + caplen
    return offsets


def run(logcollect, path):
    p = subprocess.run([logcollect, "--now", "2024-01-01T00:00:00Z", "--pcap", path],
                       capture_output=True, timeout=30)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logcollect", required=True)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    a = ap.parse_args()
    source = Path(a.corpus) / "pcap/suricata-verify/tests/bug-78-uricontent/input.pcap"
    if not source.exists():
        print("pcap_truncated: SKIP: %s not in the corpus" % source)
        return 77
    data = source.read_bytes()
    offsets = record_offsets(data)
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        cut = os.path.join(tmp, "cut.pcap")
        last = offsets[-1]
        Path(cut).write_bytes(data[:last + 16 + 10])  # 10 bytes into the last packet
        status, out, err = run(a.logcollect, cut)
        records = [json.loads(l) for l in out.splitlines()]
        datasets = [r["event"]["dataset"] for r in records]
        if status != 1:
            failures.append("exit status %d, expected 1" % status)
        if cut not in err or ("at byte %d" % last) not in err:
            failures.append("stderr does not name %s and byte %d: %r" % (cut, last, err))
        if "pcap.http" not in datasets:
            failures.append("the HTTP request before the cut was lost: %s" % datasets)
        flows = [r for r in records if r["event"]["dataset"] == "pcap.flow"]
        if len(flows) != 1 or flows[0]["source"]["packets"] + flows[0]["destination"]["packets"] != len(offsets) - 1:
            failures.append("the flow summary does not count the %d packets before the cut: %s"
                            % (len(offsets) - 1, flows))
        print("cut inside the last packet: status %d; stderr: %s" % (status, err.strip().splitlines()[0]))

        header = os.path.join(tmp, "header.pcap")
        Path(header).write_bytes(data[:10])
        status, out, err = run(a.logcollect, header)
        if status == 0 or header not in err or out:
            failures.append("a cut file header: status %d, stderr %r, stdout %r" % (status, err, out))
        print("cut inside the file header: status %d; stderr: %s" % (status, err.strip()))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
