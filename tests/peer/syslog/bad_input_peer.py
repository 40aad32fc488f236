#!/usr/bin/env python3
"""Bad input over TCP and TLS: wrong octet counts (too short, too long),
10 MiB messages (LF and octet-counted), NUL bytes (LF and octet-counted),
peers that connect and send nothing or half a frame and stay connected
through the shutdown, a thousand connections opened and dropped one after
another and a thousand held open at once, TLS clients without a
certificate, with one from another CA, and speaking plain text. Each gets a
clear message naming the peer, nothing that could be kept is lost,
logcollect neither crashes nor grows without bound, gives back every
descriptor, stops promptly, and good messages still arrive.

Then logcollect with a limit of 64 descriptors and 150 peers at once: it
says once that it cannot accept, waits for connections to close, and every
peer's message arrives exactly once.

usage: bad_input_peer.py BIN_DIR
"""
import os
import socket
import ssl
import sys
import time

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
        base_fds = c.settled_fds(2)

        idle = [connect(tcp), connect(tls)]  # connect, send nothing, stay
        # half a frame, then silence until logcollect stops: kept at the stop
        cut_line, cut_frame = connect(tcp), connect(tcp)
        cut_line.sendall(b"<13>a line cut by the shutdown")
        cut_frame.sendall(b"100 <13>a frame cut by the shutdown")
        staying = idle + [cut_line, cut_frame]
        send_and_close(tcp, oc(b"<13>before") + b"5 <13>hello world" +
                       oc(b"<13>after the wrong count"))
        big = b"<13>" + b"x" * TEN_MIB
        send_and_close(tcp, big + b"\n<13>after a 10 MiB line\n")
        send_and_close(tcp, oc(big) + oc(b"<13>after a 10 MiB frame"))
        send_and_close(tcp, b"<13>with \x00 NUL \x00 bytes\n")
        send_and_close(tcp, oc(b"<13>octet \x00 counted \x00 NUL"))
        send_and_close(tcp, b"200 <13>a frame shorter than its count")  # count too long
        for i in range(1000):
            s = connect(tcp)
            if i % 100 == 0:
                s.sendall(b"<13>dropped after sending %d" % i)  # no LF: kept at close
            s.close()
        for i in range(1000):
            connect(tls).close()
        crowd = [connect(tcp) for _ in range(1000)]  # a thousand at once
        send_and_close(tcp, b"<13>while a thousand are open\n")
        for s in crowd:
            s.close()

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
        # every dropped connection's descriptor given back; only these stay
        fds = c.wait_for_fds(base_fds + len(staying))
        if fds > base_fds + len(staying):
            fail(f"{fds} descriptors open, {base_fds} at start and {len(staying)} peers connected")
        started = time.monotonic()
        err = c.stop()  # with the silent peers still connected
        stopping = time.monotonic() - started
        for s in staying:
            s.close()
        if stopping > 5:
            fail(f"peers that send nothing held up the stop for {stopping:.1f} s")
        if os.environ.get("SHOW_STDERR"):
            print(err)
        records = c.records()
        originals = [r["event"]["original"] for r in records]
        kept = {
            "<13>before": 1, "<13>after the wrong count": 1, "<13>after a 10 MiB line": 1,
            "<13>after a 10 MiB frame": 1, "<13>with \x00 NUL \x00 bytes": 1,
            "<13>octet \x00 counted \x00 NUL": 1, "<13>while a thousand are open": 1,
            "<13>still working": 1, "<13>from a client client": 1,
            "<13>a line cut by the shutdown": 1,
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
        partial = sorted(r["event"]["original"] for r in rejects
                         if r["error"]["type"] == "partial_frame")
        if partial != ["<13>a frame cut by the shutdown", "<13>a frame shorter than its count"]:
            fail(f"frames cut short: {partial}")
        truncated = [r for r in records if "truncated" in r.get("tags", [])]
        if len(truncated) != 2 or any(len(r["event"]["original"]) != 1 << 20 for r in truncated):
            fail(f"10 MiB messages: {[len(r['event']['original']) for r in truncated]}")
        for needle in ("wrong octet count", "over the limit of 1048576 bytes",
                       "connection closed inside an octet-counted frame: 34 of 200 bytes",
                       "connection closed inside an octet-counted frame: 31 of 100 bytes",
                       f"handshake with 127.0.0.1:{no_cert_port} failed",
                       f"handshake with 127.0.0.1:{stranger_port} failed",
                       f"handshake with 127.0.0.1:{plain_port} failed",
                       "tcp client 127.0.0.1:"):
            if needle not in err:
                fail(f"no {needle!r} on stderr:\n{err}")
        if err.count("handshake with") != 3:
            fail(f"connections that sent nothing reported as TLS failures:\n{err}")
        if peak > 128 * 1024:
            fail(f"peak memory {peak} KiB")
    fd_limit = out_of_descriptors(bin_dir)
    print(f"ok: bad input kept or reported, peak memory {peak // 1024} MiB, {fds} descriptors "
          f"at the end ({base_fds} at start), stopped in {stopping:.2f} s; {fd_limit}")


def out_of_descriptors(bin_dir, peers=150, limit=64):
    """More peers at once than logcollect has descriptors for."""
    with workdir() as d:
        c = Collector(bin_dir, ["--tcp", "127.0.0.1:0"], d, 1, max_fds=limit)
        tcp = c.port("tcp")
        crowd = []
        for i in range(peers):  # past the limit they wait in the listen backlog
            s = connect(tcp)
            s.sendall(b"<13>peer %d of the crowd\n" % i)
            crowd.append(s)
        time.sleep(0.5)
        for s in crowd:
            s.close()
        send_and_close(tcp, b"<13>after the crowd\n")
        err = c.stop()
        originals = [r["event"]["original"] for r in c.records()]
        for i in range(peers):
            if originals.count(f"<13>peer {i} of the crowd") != 1:
                fail(f"peer {i} of the crowd arrived {originals.count(f'<13>peer {i} of the crowd')}"
                     f" times\n{err}")
        if originals.count("<13>after the crowd") != 1:
            fail(f"nothing arrived after the crowd\n{err}")
        waits = err.count("cannot accept: Too many open files")
        if waits == 0 or "waiting for one to close" not in err:
            fail(f"no word of the descriptor limit on stderr:\n{err}")
        if waits > 1:
            fail(f"the descriptor limit reported {waits} times:\n{err}")
    return f"{peers} peers at once with {limit} descriptors all arrived"


main()
