#!/usr/bin/env python3
"""Bad input over TCP and TLS: a wrong octet count, 10 MiB messages (LF and
octet-counted), NUL bytes, a peer that connects and sends nothing, a
thousand connections opened and dropped, TLS clients without a certificate,
with one from another CA, and speaking plain text. Each gets a clear
message naming the peer, nothing that could be kept is lost, logcollect
neither crashes nor grows without bound, and good messages still arrive.

usage: bad_input_peer.py BIN_DIR
"""
import os
import socket
import ssl
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from syslog_peer import Collector, fail, make_pki, workdir  # noqa: E402

TEN_MIB = 10 * 1024 * 1024


def connect(port):
    return socket.create_connection(("127.0.0.1", port))


def send_and_close(port, data):
    s = connect(port)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    while s.recv(4096):  # logcollect closes once it has read it all
        pass
    s.close()
    return s


def oc(m):
    return b"%d %s" % (len(m), m)


def tls_client(port, pki, cert=None):
    ctx = ssl.create_default_context(cafile=pki["ca.pem"])
    if cert:
        ctx.load_cert_chain(pki[f"{cert}.pem"], pki[f"{cert}.key"])
    raw = connect(port)
    local = raw.getsockname()[1]
    try:
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        # TLS 1.3: a refused client certificate shows on the first read
        s.sendall(b"<13>from a client " + str(cert).encode() + b"\n")
        s.shutdown(socket.SHUT_WR)
        while s.recv(4096):
            pass
        s.close()
        return local, True
    except (ssl.SSLError, OSError):
        raw.close()
        return local, False


def main():
    bin_dir = sys.argv[1]
    with workdir() as d:
        pki = make_pki(d)
        c = Collector(bin_dir, ["--tcp", "127.0.0.1:0", "--tls", "127.0.0.1:0", "--cert",
                                pki["server.pem"], "--key", pki["server.key"], "--client-ca",
                                pki["ca.pem"]], d, 2)
        tcp, tls = c.port("tcp"), c.port("tls")

        idle = [connect(tcp), connect(tls)]  # connect, send nothing, stay
        send_and_close(tcp, oc(b"<13>before") + b"5 <13>hello world" +
                       oc(b"<13>after the wrong count"))
        big = b"<13>" + b"x" * TEN_MIB
        send_and_close(tcp, big + b"\n<13>after a 10 MiB line\n")
        send_and_close(tcp, oc(big) + oc(b"<13>after a 10 MiB frame"))
        send_and_close(tcp, b"<13>with \x00 NUL \x00 bytes\n")
        for i in range(1000):
            s = connect(tcp)
            if i % 100 == 0:
                s.sendall(b"<13>dropped after sending %d" % i)  # no LF: kept at close
            s.close()
        for i in range(1000):
            connect(tls).close()

        no_cert_port, no_cert_ok = tls_client(tls, pki)
        stranger_port, stranger_ok = tls_client(tls, pki, "stranger")
        good_port, good_ok = tls_client(tls, pki, "client")
        plain = connect(tls)
        plain_port = plain.getsockname()[1]
        plain.sendall(b"<13>plain text to a TLS port\n")
        try:
            while plain.recv(4096):
                pass
        except OSError:
            pass
        plain.close()
        if no_cert_ok or stranger_ok or not good_ok:
            fail(f"TLS clients: no cert {no_cert_ok}, other CA {stranger_ok}, good {good_ok}")

        send_and_close(tcp, b"<13>still working\n")
        peak = c.peak_memory_kib()
        for s in idle:
            s.close()
        err = c.stop()
        if os.environ.get("SHOW_STDERR"):
            print(err)
        records = c.records()
        originals = [r["event"]["original"] for r in records]
        kept = {
            "<13>before": 1, "<13>after the wrong count": 1, "<13>after a 10 MiB line": 1,
            "<13>after a 10 MiB frame": 1, "<13>with \x00 NUL \x00 bytes": 1,
            "<13>still working": 1, "<13>from a client client": 1,
        }
        for i in range(0, 1000, 100):
            kept[f"<13>dropped after sending {i}"] = 1
        for text, n in kept.items():
            if originals.count(text) != n:
                fail(f"{text!r} arrived {originals.count(text)} times\n{err}")
        rejects = [r for r in records if r["event"].get("kind") == "pipeline_error"]
        bad = [r for r in rejects if r["error"]["type"] == "bad_frame"]
        if len(bad) != 1 or bad[0]["event"]["original"] != "ello world":
            fail(f"wrong octet count: {bad}")
        truncated = [r for r in records if "truncated" in r.get("tags", [])]
        if len(truncated) != 2 or any(len(r["event"]["original"]) != 1 << 20 for r in truncated):
            fail(f"10 MiB messages: {[len(r['event']['original']) for r in truncated]}")
        for needle in ("wrong octet count", "over the limit of 1048576 bytes",
                       f"handshake with 127.0.0.1:{no_cert_port} failed",
                       f"handshake with 127.0.0.1:{stranger_port} failed",
                       f"handshake with 127.0.0.1:{plain_port} failed",
                       "tcp client 127.0.0.1:"):
            if needle not in err:
                fail(f"no {needle!r} on stderr:\n{err}")
        if err.count("handshake with") != 3:
            fail(f"connections that sent nothing reported as TLS failures:\n{err}")
        if peak > 400 * 1024:
            fail(f"peak memory {peak} KiB")
    print(f"ok: bad input kept or reported, peak memory {peak // 1024} MiB")


main()
