#!/usr/bin/env python3
"""rsyslog forwards to logcollect with omfwd: over UDP, over TCP with LF
framing and with octet counting, and over TLS (the ossl netstream driver,
rsyslog-openssl) with a client certificate that logcollect checks against
its --client-ca. Messages enter rsyslog on a Unix socket of its own
(imuxsock, from `logger -u`); every one arrives exactly once on each path.

usage: rsyslog_peer.py BIN_DIR
"""
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from syslog_peer import Collector, fail, make_pki, skip, workdir  # noqa: E402

MESSAGES = 200


def find_module_dir():
    for d in ("/usr/lib/x86_64-linux-gnu/rsyslog", "/usr/lib/aarch64-linux-gnu/rsyslog",
              "/usr/lib/rsyslog"):
        if os.path.exists(os.path.join(d, "omfwd.so")) or os.path.exists(
                os.path.join(d, "imuxsock.so")):
            return d
    return None


def main():
    bin_dir = sys.argv[1]
    rsyslogd = shutil.which("rsyslogd") or ("/usr/sbin/rsyslogd"
                                            if os.path.exists("/usr/sbin/rsyslogd") else None)
    if rsyslogd is None:
        skip("rsyslogd is not installed (Debian package rsyslog)")
    modules = find_module_dir()
    tls = modules is not None and os.path.exists(os.path.join(modules, "lmnsd_ossl.so"))
    with workdir() as d:
        pki = make_pki(d) if tls else {}
        args = ["--line-buffered", "--udp", "127.0.0.1:0", "--tcp", "127.0.0.1:0"]
        if tls:
            args += ["--tls", "127.0.0.1:0", "--cert", pki["server.pem"], "--key",
                     pki["server.key"], "--client-ca", pki["ca.pem"]]
        c = Collector(bin_dir, args, d, 3 if tls else 2)
        paths = {"udp": ("udp", c.port("udp")), "tcp-lf": ("tcp", c.port("tcp")),
                 "tcp-octet": ("tcp", c.port("tcp"))}
        if tls:
            paths["tls"] = ("tls", c.port("tls"))
        sock = os.path.join(d, "in.sock")
        conf = os.path.join(d, "rsyslog.conf")
        spool = os.path.join(d, "spool")
        os.mkdir(spool)
        with open(conf, "w") as f:
            f.write(f'global(workDirectory="{spool}"\n')
            if tls:
                f.write(f'  defaultNetstreamDriverCAFile="{pki["ca.pem"]}"\n'
                        f'  defaultNetstreamDriverCertFile="{pki["client.pem"]}"\n'
                        f'  defaultNetstreamDriverKeyFile="{pki["client.key"]}"\n')
            f.write(')\n')
            f.write('module(load="imuxsock" SysSock.Use="off")\n')
            f.write(f'input(type="imuxsock" Socket="{sock}" RateLimit.Interval="0")\n')
            f.write(f'action(type="omfwd" target="127.0.0.1" port="{paths["udp"][1]}" '
                    'protocol="udp")\n')
            f.write(f'action(type="omfwd" target="127.0.0.1" port="{paths["tcp-lf"][1]}" '
                    'protocol="tcp")\n')
            f.write(f'action(type="omfwd" target="127.0.0.1" port="{paths["tcp-octet"][1]}" '
                    'protocol="tcp" TCP_Framing="octet-counted")\n')
            if tls:
                f.write(f'action(type="omfwd" target="127.0.0.1" port="{paths["tls"][1]}" '
                        'protocol="tcp" StreamDriver="ossl" StreamDriverMode="1" '
                        'StreamDriverAuthMode="x509/name" '
                        'StreamDriverPermittedPeers="localhost")\n')
        pidfile = os.path.join(d, "rsyslogd.pid")
        rs = subprocess.Popen([rsyslogd, "-n", "-f", conf, "-i", pidfile],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not os.path.exists(sock) and time.monotonic() < deadline:
            if rs.poll() is not None:
                fail(f"rsyslogd exited: {rs.stdout.read().decode(errors='replace')}")
            time.sleep(0.05)
        if not os.path.exists(sock):
            rs.kill()
            fail("rsyslogd did not open its socket")
        lines = os.path.join(d, "lines.txt")
        with open(lines, "w") as f:
            for i in range(MESSAGES):
                f.write(f"rsyslog-peer message {i}\n")
        r = subprocess.run(["logger", "-u", sock, "-t", "peer", "-f", lines],
                           capture_output=True, text=True)
        if r.returncode != 0:
            rs.kill()
            fail(f"logger -u: {r.stderr.strip()}")
        # tcp-lf and tcp-octet share one port: both paths arrive there
        expected = MESSAGES * len(paths)
        c.wait_for_lines(expected)
        rs.send_signal(signal.SIGTERM)
        try:
            rs_out = rs.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            rs.kill()
            rs_out = rs.communicate()[0].decode(errors="replace")
        err = c.stop()
        records = c.records()
        by_type = {}
        for rec in records:
            text = rec["event"]["original"]
            if "rsyslog-peer message " not in text:
                continue
            n = int(text.rsplit(" ", 1)[1])
            by_type.setdefault(rec["input"]["type"], []).append(n)
        want = {"udp": 1, "tcp": 2, "tls": 1 if tls else 0}
        for kind, times in want.items():
            got = sorted(by_type.get(kind, []))
            expect = sorted(list(range(MESSAGES)) * times)
            if got != expect:
                missing = set(range(MESSAGES)) - set(got)
                fail(f"{kind}: {len(got)} messages for {len(expect)} sent; missing "
                     f"{sorted(missing)[:10]}...\nlogcollect: {err}\nrsyslogd: {rs_out}")
        if any(rec["event"].get("kind") == "pipeline_error" for rec in records):
            fail(f"rejects in the output: {err}")
    print(f"ok: {MESSAGES} messages from rsyslog omfwd over "
          f"{', '.join(paths)}{'' if tls else ' (no TLS: rsyslog-openssl missing)'}")


main()
