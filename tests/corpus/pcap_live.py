#!/usr/bin/env python3
"""Live capture on the loopback interface (needs root or CAP_NET_RAW).

Starts a DNS server (UDP), an HTTP server and a TLS listener on 127.0.0.1,
runs `logcollect --pcap lo --bpf ...` and, as a client, makes a DNS query,
an HTTP request and a TLS handshake with SNI. Checks that the DNS, HTTP and
TLS records arrive with the organization and observer tags, then sends
SIGTERM and checks that logcollect stops, ends its open flows (flow records
written) and exits 128+15. Exits 77 (skipped) when not root.

  pcap_live.py --logcollect PATH
"""

import argparse
import http.server
import json
import os
import signal
import socket
import socketserver
import ssl
import struct
import subprocess
import sys
import threading
import time


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def dns_query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", 1, 1)


def dns_server(sock, stop):
    """Answers every query with 192.0.2.1 (TTL 60)."""
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            q, peer = sock.recvfrom(512)
        except socket.timeout:
            continue
        r = bytearray(q)
        r[2] |= 0x80
        r[3] = 0x80
        r[6:8] = b"\x00\x01"
        r += b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([192, 0, 2, 1])
        sock.sendto(bytes(r), peer)


class quiet_handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def tls_listener(sock, stop):
    """Accepts and closes: the ClientHello is all the test needs to see."""
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            c, _ = sock.accept()
        except socket.timeout:
            continue
        c.settimeout(2)
        try:
            c.recv(4096)
        except OSError:
            pass
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logcollect", required=True)
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("pcap_live: SKIP: live capture needs root (CAP_NET_RAW)")
        return 77
    stop = threading.Event()
    dns_port = free_port(socket.SOCK_DGRAM)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", dns_port))
    threading.Thread(target=dns_server, args=(udp, stop), daemon=True).start()
    httpd = socketserver.TCPServer(("127.0.0.1", 0), quiet_handler)
    http_port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    tls_sock = socket.socket()
    tls_sock.bind(("127.0.0.1", 0))
    tls_sock.listen(8)
    tls_port = tls_sock.getsockname()[1]
    threading.Thread(target=tls_listener, args=(tls_sock, stop), daemon=True).start()

    # The client sends its DNS queries from port 5353 (mDNS's port), so the
    # analyzer reads them as DNS whatever port the test server has.
    client_dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_dns.bind(("127.0.0.1", 5353 if port_free(5353) else 0))
    if client_dns.getsockname()[1] != 5353:
        print("pcap_live: SKIP: UDP port 5353 on 127.0.0.1 is taken")
        return 77

    bpf = "host 127.0.0.1 and (port %d or port %d or port %d)" % (dns_port, http_port, tls_port)
    proc = subprocess.Popen([a.logcollect, "--org", "acme", "--observer-hostname", "sensor-lo",
                             "--line-buffered", "--pcap", "lo", "--bpf", bpf],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    records = []
    lock = threading.Lock()

    def reader():
        for line in proc.stdout:
            with lock:
                records.append(json.loads(line))

    threading.Thread(target=reader, daemon=True).start()

    def seen(pred):
        with lock:
            return [r for r in records if pred(r)]

    def wait_for(pred, seconds=15, poke=None):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if seen(pred):
                return True
            if poke:
                poke()
            time.sleep(0.2)
        return False

    failures = []
    try:
        # Capture is running once a probe query shows up.
        ready = wait_for(lambda r: r.get("dns", {}).get("question", {}).get("name") == "ready.test",
                         poke=lambda: client_dns.sendto(dns_query("ready.test", 1), ("127.0.0.1", dns_port)))
        if not ready:
            failures.append("no DNS record for the probe query: capture never started")
        else:
            client_dns.sendto(dns_query("www.live.test", 77), ("127.0.0.1", dns_port))
            c = socket.create_connection(("127.0.0.1", http_port))
            c.sendall(b"GET /live?x=1 HTTP/1.1\r\nHost: live.test\r\nUser-Agent: pcap-live/1\r\n"
                      b"Connection: close\r\n\r\n")
            while c.recv(4096):
                pass
            c.close()
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            try:
                with ctx.wrap_socket(socket.create_connection(("127.0.0.1", tls_port)),
                                     server_hostname="sni.live.test"):
                    pass
            except (ssl.SSLError, OSError):
                pass  # the listener closes without answering
            checks = [
                ("DNS answer for www.live.test",
                 lambda r: r.get("dns", {}).get("type") == "answer"
                 and r["dns"]["question"]["name"] == "www.live.test"
                 and r["dns"].get("resolved_ip") == ["192.0.2.1"]),
                ("HTTP request GET /live?x=1 for live.test",
                 lambda r: r.get("url", {}).get("original") == "/live?x=1"
                 and r["url"].get("domain") == "live.test"
                 and r.get("user_agent", {}).get("original") == "pcap-live/1"),
                ("TLS ClientHello for sni.live.test",
                 lambda r: r.get("tls", {}).get("client", {}).get("server_name") == "sni.live.test"
                 and len(r["tls"]["client"].get("ja3", "")) == 32),
            ]
            for what, pred in checks:
                if not wait_for(pred):
                    failures.append("missing: " + what)
                else:
                    r = seen(pred)[0]
                    if r.get("organization", {}).get("id") != "acme" or \
                            r.get("observer", {}).get("hostname") != "sensor-lo" or \
                            r.get("observer", {}).get("ingress", {}).get("interface", {}).get("name") != "lo":
                        failures.append("tags missing on " + what + ": " + json.dumps(r))
                    print("ok   " + what)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = proc.wait()
            failures.append("logcollect did not stop on SIGTERM")
        stop.set()
        httpd.shutdown()
    time.sleep(0.3)  # the reader thread drains the pipe
    err = proc.stderr.read().decode()
    if status != 128 + signal.SIGTERM:
        failures.append("exit status %d, expected 143; stderr: %s" % (status, err))
    if not seen(lambda r: r["event"]["dataset"] == "pcap.flow"):
        failures.append("no flow records after SIGTERM (open flows must end)")
    print("stderr: " + err.strip().replace("\n", " | "))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


def port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
