#!/usr/bin/env python3
"""logcollect beside rsyslog: syslog over TCP to NDJSON, and a file to NDJSON.

usage: logcollect_bench.py BUILD CORPUS

CORPUS holds N syslog lines (mimamori-bench-generate --kind mixed: Cisco
ASA, FortiGate, PAN-OS and iptables firewall lines, Squid, sshd). Both
receivers run pinned to one core (BENCH_CPU, default 0) with `taskset`,
threads and all; this script, the TCP sender and the output watcher run on
the other cores.

  TCP   logcollect --tcp 127.0.0.1:0 > out.ndjson, and rsyslogd with imtcp ->
        omfile (its own config in a temporary directory, no system rsyslog),
        writing a record of the same shape with a string template. One
        connection sends the corpus with sendfile(2) (LF framing); the clock
        runs from connect until the output file holds all N lines.
  file  logcollect FILE > out.ndjson (the clock stops when it exits), and
        rsyslogd with imfile -> omfile (until the output holds N lines).
        The file case is also measured by mimamori-bench-measure with stdout
        to /dev/null and into a pipe, as the other pairs are: that is the
        one-core figure the issue's 1,000,000 lines/s target is about.

Peak RSS is VmHWM (the receiver's own; logcollect FILE: the rusage of its
exit); CPU seconds are utime+stime of the receiver, all threads. Each
output is checked to hold exactly N lines: a receiver that loses or repeats
messages gets no figure. Prints in the style of tests/bench/run; never fails
the build (exit 0 with a message when something is missing).

Environment: BENCH_CPU, BENCH_REPEAT (our runs; the fastest counts),
BENCH_PEER_REPEAT, BENCH_MODES (as tests/bench/run).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CPU = os.environ.get("BENCH_CPU", "0")
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PEER_REPEAT = int(os.environ.get("BENCH_PEER_REPEAT", "1"))
MODES = os.environ.get("BENCH_MODES", "null pipe").split()
TIMEOUT = 300  # seconds for one run
TICK = os.sysconf("SC_CLK_TCK")

# The record logcollect writes (lib/collect/raw_record.hpp), as rsyslog templates.
RSYSLOG_TCP_TEMPLATE = (
    '{"@timestamp":"%timegenerated:::date-rfc3339%","event":{"original":"%rawmsg:::json%",'
    '"created":"%timegenerated:::date-rfc3339%"},"input":{"type":"tcp"},'
    '"log":{"source":{"address":"%fromhost-ip%"}},'  # no fromhost-port before 8.2308
    '"observer":{"ip":"%fromhost-ip%"},"organization":{"id":"bench"}}\\n')
RSYSLOG_FILE_TEMPLATE = (
    '{"@timestamp":"%timegenerated:::date-rfc3339%","event":{"original":"%rawmsg:::json%",'
    '"created":"%timegenerated:::date-rfc3339%"},"input":{"type":"file"},'
    '"log":{"file":{"path":"%$!metadata!filename%"},"offset":%$!metadata!fileoffset%},'
    '"organization":{"id":"bench"}}\\n')


class failed(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_figures(pid):
    """(cpu seconds user, system, peak RSS MiB) of a running process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    user, system = int(fields[11]) / TICK, int(fields[12]) / TICK
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    return user, system, rss


class watcher:
    """Counts the lines of a growing file."""

    def __init__(self, path):
        self.path = path
        self.lines = 0
        self.offset = 0
        self.file = None

    def poll(self):
        if self.file is None:
            try:
                self.file = open(self.path, "rb")
            except FileNotFoundError:
                return self.lines
        while True:
            chunk = self.file.read(1 << 22)
            if not chunk:
                return self.lines
            self.lines += chunk.count(b"\n")
            self.offset += len(chunk)

    def wait_for(self, n, proc, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while self.poll() < n:
            if proc.poll() is not None:
                raise failed(f"exited with {proc.returncode} after {self.lines} of {n} lines")
            if time.monotonic() > deadline:
                raise failed(f"{self.lines} of {n} lines after {timeout} s")
            time.sleep(0.002)
        return time.monotonic()

    def close(self):
        if self.file:
            self.file.close()


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rsyslog_conf(d, inputs, template):
    conf = os.path.join(d, "rsyslog.conf")
    with open(conf, "w") as f:
        f.write(f'global(workDirectory="{d}" net.enableDNS="off" maxMessageSize="64k")\n')
        f.write(inputs)
        body = template.replace('"', '\\"')
        f.write(f'template(name="ndjson" type="string" string="{body}")\n')
        out = os.path.join(d, "out.ndjson")
        # internal messages (start, stop) go nowhere: only the input is written
        f.write('if $inputname != "rsyslogd" then {\n'
                f'  action(type="omfile" file="{out}" template="ndjson" ioBufferSize="256k")\n'
                '}\n')
    return conf


def start_rsyslog(d, conf, log):
    return subprocess.Popen(["taskset", "-c", CPU, "rsyslogd", "-n", "-f", conf,
                             "-i", os.path.join(d, "rsyslogd.pid")],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log)


def send(port, corpus, errors):
    try:
        with socket.create_connection(("127.0.0.1", port)) as s, open(corpus, "rb") as f:
            s.sendfile(f)
            s.shutdown(socket.SHUT_WR)
    except OSError as e:
        errors.append(str(e))


def wait_listening(port, proc, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise failed(f"exited with {proc.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.02)
    raise failed("not listening after 15 s")


def tcp_run(build, corpus, n, d, peer, log):
    """One TCP run: (seconds, user, sys, rss)."""
    out_path = os.path.join(d, "out.ndjson")
    if peer:
        port = free_port()
        conf = rsyslog_conf(
            d, 'module(load="imtcp")\n'
            f'input(type="imtcp" address="127.0.0.1" port="{port}")\n', RSYSLOG_TCP_TEMPLATE)
        proc = start_rsyslog(d, conf, log)
        wait_listening(port, proc)
    else:
        err_path = os.path.join(d, "err.txt")
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(["taskset", "-c", CPU, os.path.join(build, "bin", "logcollect"),
                                     "--org", "bench", "--tcp", "127.0.0.1:0"],
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        port = None
        deadline = time.monotonic() + 15
        while port is None and time.monotonic() < deadline:
            with open(err_path) as f:
                for line in f:
                    if line.startswith("logcollect: tcp ") and line.endswith(": listening\n"):
                        port = int(line.rsplit(":", 2)[1])
            if proc.poll() is not None:
                raise failed(f"exited with {proc.returncode}")
            time.sleep(0.02)
        if port is None:
            stop(proc)
            raise failed("no listening line")
    w = watcher(out_path)
    try:
        errors = []
        start = time.monotonic()
        sender = threading.Thread(target=send, args=(port, corpus, errors))
        sender.start()
        end = w.wait_for(n, proc)
        user, system, rss = proc_figures(proc.pid)
        sender.join()
        if errors:
            raise failed(f"sending: {errors[0]}")
        time.sleep(0.05)  # anything beyond N would be a repeat
    finally:
        stop(proc)
    if not peer:
        with open(os.path.join(d, "err.txt")) as f:
            log.write(f.read().encode())
    if w.poll() != n:
        raise failed(f"{w.lines} lines for {n} messages")
    w.close()
    return end - start, user, system, rss


def file_run(build, corpus, n, d, peer, log):
    """One file run: (seconds, user, sys, rss)."""
    out_path = os.path.join(d, "out.ndjson")
    if peer:
        conf = rsyslog_conf(
            d, 'module(load="imfile" mode="inotify")\n'
            f'input(type="imfile" file="{corpus}" tag="bench" addMetadata="on")\n',
            RSYSLOG_FILE_TEMPLATE)
        start = time.monotonic()
        proc = start_rsyslog(d, conf, log)
        w = watcher(out_path)
        try:
            end = w.wait_for(n, proc)
            user, system, rss = proc_figures(proc.pid)
            time.sleep(0.05)
        finally:
            stop(proc)
        if w.poll() != n:
            raise failed(f"{w.lines} lines for {n} lines in")
        w.close()
        return end - start, user, system, rss
    with open(out_path, "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(["taskset", "-c", CPU, os.path.join(build, "bin", "logcollect"),
                                 "--org", "bench", corpus],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        end = time.monotonic()
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise failed(f"exited with {proc.returncode}")
    w = watcher(out_path)
    if w.poll() != n:
        raise failed(f"{w.lines} lines for {n} lines in")
    w.close()
    return end - start, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024


def best_of(repeat, run, *args):
    best = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="mimamori-bench-") as d:
            r = run(*args, d)
        if best is None or r[0] < best[0]:
            best = r
    return best


def show(role, name, n, size, r):
    seconds, user, system, rss = r
    if len(name) > 34:
        name = name[:31] + "..."
    print(f"    {role:<5} {name:<34} {n / seconds:11.0f} rec/s {size / seconds / 1e6:8.1f} MB/s"
          f"  user {user:6.2f} s  sys {system:6.2f} s  rss {rss:6.1f} MiB"
          f"  ({n} records in {seconds:.3f} s)", flush=True)


def pair(title, build, corpus, n, size, run, ours_name, peer_name, have_peer, log):
    print()
    print(title, flush=True)
    results = []
    for role, name, peer, repeat in (("ours", ours_name, False, REPEAT),
                                     ("peer", peer_name, True, PEER_REPEAT)):
        if peer and not have_peer:
            print("    peer  rsyslogd: peer not installed")
            results.append(None)
            continue
        try:
            r = best_of(repeat, lambda d, peer=peer: run(build, corpus, n, d, peer, log))
            show(role, name, n, size, r)
            results.append(r)
        except failed as e:
            print(f"    {role:<5} {name} failed: {e}")
            results.append(None)
    if results[0] and results[1]:
        (a, _, _, ra), (b, _, _, rb) = results
        print(f"    ratio {b / a:.1f}x records/s, {ra / rb:.2f}x the peer's peak RSS")


def measure_floor(build, corpus, n, log_path):
    """logcollect FILE through mimamori-bench-measure: one core, as the other pairs."""
    measure = os.path.join(build, "bench", "mimamori-bench-measure")
    logcollect = os.path.join(build, "bin", "logcollect")
    for mode in MODES:
        flags = ["--tsv", "--cpu", CPU, "--repeat", str(REPEAT), "--input", corpus,
                 "--records", str(n), "--stderr", log_path, "--name", "logcollect FILE"]
        if mode == "pipe":
            flags.append("--pipe")
        r = subprocess.run([measure, *flags, "--", logcollect, "--org", "bench", corpus],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = r.stdout.strip().split("\t")
        where = "stdout to /dev/null" if mode == "null" else "stdout into a pipe"
        if r.returncode != 0 or len(line) < 10:
            print(f"    one core, {where}: failed (see {log_path})")
            continue
        name, rps, mbps, user, system, rss, wall, records = line[:8]
        print(f"    ours  {'one core, ' + where:<34} {float(rps):11.0f} rec/s "
              f"{float(mbps):8.1f} MB/s  user {float(user):6.2f} s  sys {float(system):6.2f} s"
              f"  rss {float(rss):6.1f} MiB  ({records} records in {float(wall):.3f} s)",
              flush=True)


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    build, corpus = sys.argv[1], sys.argv[2]
    if not os.access(os.path.join(build, "bin", "logcollect"), os.X_OK):
        print(f"\nlogcollect: {build}/bin/logcollect not built")
        return 0
    with open(corpus, "rb") as f:
        n = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 22), b""))
    size = os.path.getsize(corpus)
    have_peer = shutil.which("rsyslogd") is not None
    log_path = os.path.join(os.path.dirname(corpus), "stderr.log")
    print(f"\nlogcollect beside rsyslog {rsyslog_version() if have_peer else ''}: {n} syslog lines "
          f"({size // n} bytes on average), receivers pinned to CPU {CPU},")
    print("best of %d runs for ours, %d for the peer; MB/s is of syslog input" % (REPEAT,
                                                                                 PEER_REPEAT))
    with open(log_path, "ab") as log:
        pair("logcollect: syslog over TCP to NDJSON, until the output holds every message "
             "(issue 3: >= rsyslog)", build, corpus, n, size, tcp_run,
             "logcollect --tcp > file", "rsyslogd imtcp -> omfile", have_peer, log)
        pair("logcollect: a file to NDJSON, until the output holds every line "
             "(issue 3: >= rsyslog, 1M lines/s on one core)", build, corpus, n, size, file_run,
             "logcollect FILE > file", "rsyslogd imfile -> omfile", have_peer, log)
    measure_floor(build, corpus, n, log_path)
    return 0


def rsyslog_version():
    r = subprocess.run(["rsyslogd", "-v"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       text=True)
    words = r.stdout.split()
    return words[1] if len(words) > 1 else ""


sys.exit(main())
