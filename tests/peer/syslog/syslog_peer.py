"""Shared by the syslog peer tests: start logcollect with network listeners
on free ports of 127.0.0.1 (port 0; the ports are read back from its
"listening" lines), stop it with SIGTERM, read its records; make a small
PKI with the openssl command for the TLS cases."""
import atexit
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time

LISTENING = re.compile(r"^logcollect: (udp|tcp|tls) (\S+):(\d+): listening$", re.M)


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def skip(message):
    print(f"SKIP: {message}")
    sys.exit(0)


class Collector:
    """logcollect running with `args`; stdout to a file, stderr to a file."""

    def __init__(self, bin_dir, args, workdir, expect_listeners, max_fds=None):
        self.out_path = os.path.join(workdir, "out.ndjson")
        self.err_path = os.path.join(workdir, "err.txt")
        self.out = open(self.out_path, "wb")
        self.err = open(self.err_path, "wb")
        argv = [os.path.join(bin_dir, "logcollect"), "--org", "peer-test"] + args
        limit = None
        if max_fds is not None:  # a descriptor limit of its own (RLIMIT_NOFILE)
            limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (max_fds, max_fds))
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.out,
                                     stderr=self.err, preexec_fn=limit)
        atexit.register(self._kill_if_running)  # a failed check ends the test with sys.exit
        self.ports = []  # (kind, port) in the order logcollect reports them
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            found = LISTENING.findall(self.stderr())
            if len(found) >= expect_listeners:
                self.ports = [(kind, int(port)) for kind, _, port in found]
                return
            if self.proc.poll() is not None:
                fail(f"logcollect exited with {self.proc.returncode}: {self.stderr()}")
            time.sleep(0.02)
        self.proc.kill()
        fail(f"logcollect did not start its listeners: {self.stderr()}")

    def _kill_if_running(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def port(self, kind, index=0):
        return [p for k, p in self.ports if k == kind][index]

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode(errors="replace")

    def output(self):
        with open(self.out_path, "rb") as f:
            return f.read()

    def wait_for_lines(self, count, timeout=30):
        """With --line-buffered: until `count` records are out (or timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.output().count(b"\n") >= count:
                return True
            time.sleep(0.05)
        return False

    def open_fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def settled_fds(self, stream_listeners, timeout=15):
        """Descriptors once each TCP/TLS listener's thread has its epoll set."""
        fd_dir = f"/proc/{self.proc.pid}/fd"
        deadline = time.monotonic() + timeout
        while True:
            links = []
            for name in os.listdir(fd_dir):
                try:
                    links.append(os.readlink(os.path.join(fd_dir, name)))
                except FileNotFoundError:
                    pass
            epolls = sum(1 for link in links if link == "anon_inode:[eventpoll]")
            if epolls >= stream_listeners or time.monotonic() > deadline:
                return len(links)
            time.sleep(0.02)

    def wait_for_fds(self, at_most, timeout=15):
        """Until logcollect holds at most `at_most` descriptors; the last count."""
        deadline = time.monotonic() + timeout
        while True:
            n = self.open_fds()
            if n <= at_most or time.monotonic() > deadline:
                return n
            time.sleep(0.05)

    def peak_memory_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        """SIGTERM; returns (records as dicts, stderr). Fails unless 128+15."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail("logcollect did not stop within 60 s of SIGTERM")
        self.out.close()
        self.err.close()
        if self.proc.returncode != 128 + signal.SIGTERM:
            fail(f"logcollect exited with {self.proc.returncode}: {self.stderr()}")
        return self.stderr()

    def records(self):
        return [json.loads(line) for line in self.output().splitlines() if line]


def make_pki(d):
    """A CA, a server certificate for localhost/127.0.0.1, a client
    certificate, and a client certificate from another CA."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    p = lambda name: os.path.join(d, name)
    for ca in ("ca", "other-ca"):
        run("req", "-x509", *key, "-keyout", p(f"{ca}.key"), "-out", p(f"{ca}.pem"),
            "-days", "2", "-subj", f"/CN=mimamori test {ca}")
    for name, ca, cn in (("server", "ca", "localhost"), ("client", "ca", "client"),
                         ("stranger", "other-ca", "stranger")):
        run("req", *key, "-keyout", p(f"{name}.key"), "-out", p(f"{name}.csr"),
            "-subj", f"/CN={cn}")
        ext = p(f"{name}.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n" if name == "server"
                    else "extendedKeyUsage=clientAuth\n")
        run("x509", "-req", "-in", p(f"{name}.csr"), "-CA", p(f"{ca}.pem"), "-CAkey",
            p(f"{ca}.key"), "-CAcreateserial", "-out", p(f"{name}.pem"), "-days", "2",
            "-extfile", ext)
    return {n: p(n) for n in os.listdir(d)}


def workdir():
    return tempfile.TemporaryDirectory(prefix="mimamori-syslog-")
