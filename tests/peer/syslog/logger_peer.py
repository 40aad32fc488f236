#!/usr/bin/env python3
"""logger (util-linux) sends to logcollect over UDP (IPv4, IPv6), TCP with
LF framing and TCP with octet counting; every message arrives exactly once,
with the sender's address and the input type.

usage: logger_peer.py BIN_DIR
"""
import os
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from syslog_peer import Collector, fail, skip, workdir  # noqa: E402

PER_CASE = 50


def has_ipv6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def main():
    bin_dir = sys.argv[1]
    if shutil.which("logger") is None:
        skip("logger (bsdutils) is not installed")
    ipv6 = has_ipv6()
    with workdir() as d:
        args = ["--line-buffered", "--udp", "127.0.0.1:0", "--tcp", "127.0.0.1:0"]
        if ipv6:
            args += ["--udp", "[::1]:0"]
        c = Collector(bin_dir, args, d, 3 if ipv6 else 2)
        udp4 = [p for k, p in c.ports if k == "udp"][0]
        tcp = c.port("tcp")
        cases = [("udp", ["--udp", "-n", "127.0.0.1", "-P", str(udp4)], "udp", "127.0.0.1"),
                 ("tcp-lf", ["--tcp", "-n", "127.0.0.1", "-P", str(tcp)], "tcp", "127.0.0.1"),
                 ("tcp-octet", ["--tcp", "--octet-count", "-n", "127.0.0.1", "-P", str(tcp)],
                  "tcp", "127.0.0.1"),
                 ("tcp-3164", ["--tcp", "--rfc3164", "-n", "127.0.0.1", "-P", str(tcp)],
                  "tcp", "127.0.0.1")]
        if ipv6:
            udp6 = [p for k, p in c.ports if k == "udp"][1]
            cases.append(("udp6", ["--udp", "-n", "::1", "-P", str(udp6)], "udp", "::1"))
        for name, opts, _, _ in cases:
            lines = os.path.join(d, f"{name}.txt")
            with open(lines, "w") as f:
                for i in range(PER_CASE):
                    f.write(f"logger-peer {name} message {i}\n")
            # -f sends one message per line of the file (one connection for TCP)
            r = subprocess.run(["logger", *opts, "-t", "peer", "-f", lines],
                               capture_output=True, text=True)
            if r.returncode != 0:
                fail(f"logger {name}: {r.stderr.strip()}")
        expected = PER_CASE * len(cases)
        c.wait_for_lines(expected)
        c.stop()
        records = c.records()
        seen = {}
        for rec in records:
            text = rec["event"]["original"]
            key = text[text.index("logger-peer "):] if "logger-peer " in text else text
            seen.setdefault(key, []).append(rec)
        for name, _, kind, ip in cases:
            for i in range(PER_CASE):
                key = f"logger-peer {name} message {i}"
                got = seen.get(key, [])
                if len(got) != 1:
                    fail(f"{key!r} arrived {len(got)} times")
                rec = got[0]
                if rec["input"]["type"] != kind or rec["observer"]["ip"] != ip:
                    fail(f"{key!r}: input {rec['input']} observer {rec['observer']}")
                if not rec["log"]["source"]["address"].rsplit(":", 1)[1].isdigit():
                    fail(f"{key!r}: no sender port in {rec['log']}")
                if rec["organization"]["id"] != "peer-test":
                    fail(f"{key!r}: organization {rec['organization']}")
        if len(records) != expected:
            fail(f"{len(records)} records for {expected} messages")
    print(f"ok: {expected} messages from logger over {', '.join(n for n, *_ in cases)}")


main()
