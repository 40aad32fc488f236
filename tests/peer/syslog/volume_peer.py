#!/usr/bin/env python3
"""Volume: a Python sender against logcollect on 127.0.0.1.

  volume_peer.py BIN_DIR tcp|tls   1,000,000 messages over 4 connections (two
      LF-framed, two octet-counted) arrive exactly once and in order per
      connection (sequence numbers, one source port per connection).
  volume_peer.py BIN_DIR udp       500,000 datagrams while logcollect's output
      is stalled (so the kernel must drop some): received + the drops
      logcollect counted from the kernel == sent, and none twice.
"""
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from syslog_peer import Collector, fail, make_pki, workdir  # noqa: E402

CONNECTIONS = 4
TCP_TOTAL = 1_000_000
UDP_TOTAL = 500_000
CHUNK = 20_000


def message(conn, seq):
    return f"<13>1 2026-11-22T00:00:00Z peer app - - - conn={conn} seq={seq}".encode()


def send_connection(port, conn, count, octets, context, errors):
    try:
        raw = socket.create_connection(("127.0.0.1", port))
        s = context.wrap_socket(raw, server_hostname="localhost") if context else raw
        for start in range(0, count, CHUNK):
            parts = []
            for seq in range(start, min(count, start + CHUNK)):
                m = message(conn, seq)
                parts.append(b"%d %s" % (len(m), m) if octets else m + b"\n")
            s.sendall(b"".join(parts))
        # end our side; logcollect closes once it has read everything
        if context:
            s.shutdown(socket.SHUT_WR)
        else:
            s.shutdown(socket.SHUT_WR)
        try:
            while s.recv(4096):
                pass
        except (ssl.SSLError, OSError):
            pass
        s.close()
    except Exception as e:  # noqa: BLE001 - reported by the main thread
        errors.append(f"connection {conn}: {e!r}")


def stream(bin_dir, mode):
    with workdir() as d:
        args = []
        context = None
        if mode == "tls":
            pki = make_pki(d)
            args = ["--tls", "127.0.0.1:0", "--cert", pki["server.pem"], "--key",
                    pki["server.key"]]
            context = ssl.create_default_context(cafile=pki["ca.pem"])
        else:
            args = ["--tcp", "127.0.0.1:0"]
        c = Collector(bin_dir, args, d, 1)
        port = c.ports[0][1]
        per = TCP_TOTAL // CONNECTIONS
        errors = []
        started = time.monotonic()
        threads = [threading.Thread(target=send_connection,
                                    args=(port, i, per, i % 2 == 1, context, errors))
                   for i in range(CONNECTIONS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sent_in = time.monotonic() - started
        if errors:
            c.stop()
            fail("; ".join(errors))
        err = c.stop()
        data = c.output()
        pattern = re.compile(rb'conn=(\d+) seq=(\d+)"[^\n]*?"offset":\d+,"source":'
                             rb'\{"address":"127\.0\.0\.1:(\d+)"')
        seqs = {i: [] for i in range(CONNECTIONS)}
        ports = {i: set() for i in range(CONNECTIONS)}
        for m in pattern.finditer(data):
            conn = int(m.group(1))
            seqs[conn].append(int(m.group(2)))
            ports[conn].add(m.group(3))
        lines = data.count(b"\n")
        for conn in range(CONNECTIONS):
            if seqs[conn] != list(range(per)):
                got = seqs[conn]
                fail(f"connection {conn}: {len(got)} messages for {per}, first out of order at "
                     f"{next((i for i, s in enumerate(got) if s != i), None)}\n{err}")
            if len(ports[conn]) != 1:
                fail(f"connection {conn}: source ports {ports[conn]}")
        if lines != TCP_TOTAL:
            fail(f"{lines} records for {TCP_TOTAL} messages\n{err}")
        if f"read {TCP_TOTAL}, wrote {TCP_TOTAL}, rejected 0" not in err:
            fail(f"summary: {err}")
    print(f"ok: {TCP_TOTAL} messages over {mode} on {CONNECTIONS} connections, exactly once "
          f"and in order (sent in {sent_in:.1f} s)")


def datagrams(bin_dir):
    argv = [os.path.join(bin_dir, "logcollect"), "--udp", "127.0.0.1:0"]
    with workdir() as d:
        err_path = os.path.join(d, "err.txt")
        with open(err_path, "wb") as err_file:
            # Our end of its stdout is not read while we send: the output stalls,
            # the queue fills, the socket buffer fills, the kernel drops.
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=err_file)
            deadline = time.monotonic() + 15
            port = None
            while port is None and time.monotonic() < deadline:
                with open(err_path) as f:
                    m = re.search(r"udp 127\.0\.0\.1:(\d+): listening", f.read())
                port = int(m.group(1)) if m else None
                time.sleep(0.02)
            if port is None:
                proc.kill()
                fail("logcollect did not start its listener")
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.connect(("127.0.0.1", port))
            sent = 0
            for seq in range(UDP_TOTAL):
                try:
                    s.send(message(0, seq))
                    sent += 1
                except BlockingIOError:
                    pass
            s.close()
            chunks = []
            reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()))
            reader.start()
            time.sleep(1.0)  # let it read what the kernel queued
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                fail("logcollect did not stop within 60 s of SIGTERM")
            reader.join()
        with open(err_path) as f:
            err = f.read()
    if proc.returncode != 128 + signal.SIGTERM:
        fail(f"exit status {proc.returncode}: {err}")
    data = b"".join(chunks)
    seqs = [int(x) for x in re.findall(rb"conn=0 seq=(\d+)", data)]
    received = len(seqs)
    if len(set(seqs)) != received:
        fail("a datagram arrived twice")
    m = re.search(r"udp 127\.0\.0\.1:\d+: (\d+) dropped by the kernel", err)
    dropped = int(m.group(1)) if m else 0
    if received + dropped != sent:
        fail(f"received {received} + dropped {dropped} != sent {sent}\n{err}")
    print(f"ok: {sent} datagrams sent, {received} received, {dropped} dropped and counted")


def main():
    bin_dir, mode = sys.argv[1], sys.argv[2]
    if mode in ("tcp", "tls"):
        stream(bin_dir, mode)
    elif mode == "udp":
        datagrams(bin_dir)
    else:
        fail(f"unknown mode {mode}")


main()
