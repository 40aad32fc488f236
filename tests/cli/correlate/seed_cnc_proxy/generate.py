#!/usr/bin/env python3
"""Write `input` for the seed C&C case: one business day of a Squid proxy.

The seeds' case (seeds/README.md, 004): one Windows PC made 1,146
connections to two C&C servers, found in the proxy logs. Here 192.168.10.23
polls two C&C domains all day (every 60 s over HTTP, every 47 s over HTTPS
CONNECT, a few seconds of jitter, a missed beacon now and then, a POST after
some polls), while five colleagues browse as people do: visits at irregular
times, each a burst of requests, to the sites of a Japanese office, and
Windows Update checks at irregular intervals.

The output is fixed by the seed below: run it again only to change the
case, then review `input` and the expectations (run_case.py --update).
    python3 generate.py > input
"""

import random

rng = random.Random(20241003)
START = 1727913600.0  # 2024-10-03T00:00:00Z (09:00 JST)
DAY = 9 * 3600        # a business day

INFECTED = "192.168.10.23"
CNC_HTTP = ("api.hinode-cdn.example", "198.51.100.23")
CNC_TLS = ("update.sakura-sync.example", "198.51.100.47")

SITES = [
    ("www.google.com", "142.250.196.100", True),
    ("www.yahoo.co.jp", "183.79.219.252", False),
    ("news.yahoo.co.jp", "183.79.250.123", False),
    ("www.nikkei.com", "23.48.34.130", True),
    ("outlook.office365.com", "52.98.152.178", True),
    ("teams.microsoft.com", "52.113.194.132", True),
    ("www.amazon.co.jp", "52.119.161.5", True),
    ("www.jma.go.jp", "219.103.188.69", False),
    ("www.mhlw.go.jp", "210.130.132.38", True),
    ("github.com", "20.27.177.113", True),
]
CDNS = [("s.yimg.jp", "183.79.248.124"), ("www.gstatic.com", "142.250.207.3"),
        ("fonts.googleapis.com", "142.250.196.138"), ("cdn.jsdelivr.net", "151.101.1.229")]
UPDATE = ("ctldl.windowsupdate.com", "152.199.19.161")
COLLEAGUES = ["192.168.10.11", "192.168.10.12", "192.168.10.13", "192.168.10.14", "192.168.10.15"]

lines = []


def log(t, client, code, size, method, url, peer, mime):
    elapsed = rng.randint(20, 900)
    lines.append((t, f"{t:.3f} {elapsed:6d} {client} {code} {size} {method} {url} - HIER_DIRECT/{peer} {mime}"))


def http(t, client, host, ip, path, mime="text/html", method="GET", size=None):
    log(t, client, "TCP_MISS/200", size or rng.randint(800, 90000), method, f"http://{host}{path}", ip, mime)


def tunnel(t, client, host, ip):
    log(t, client, "TCP_TUNNEL/200", rng.randint(3000, 250000), "CONNECT", f"{host}:443", ip, "-")


# The infected PC: 1,146 connections to the two C&C servers.
cnc = []
t = START + 17.0
while t < START + DAY:
    if rng.random() > 0.02:  # a missed beacon now and then
        cnc.append(("get", t))
        if rng.random() < 0.12:
            cnc.append(("post", t + rng.uniform(0.2, 0.9)))
    t += 60 + rng.uniform(-3, 3)
http_count = len(cnc)
t = START + 41.0
while len(cnc) < 1146:
    if rng.random() > 0.02:
        cnc.append(("tls", t))
    t += 47 + rng.uniform(-2, 2)
for kind, when in cnc:
    if kind == "get":
        http(when, INFECTED, CNC_HTTP[0], CNC_HTTP[1], f"/gate.php?id=7f3a{rng.randint(0, 99):02d}",
             "application/octet-stream", size=rng.randint(300, 600))
    elif kind == "post":
        http(when, INFECTED, CNC_HTTP[0], CNC_HTTP[1], "/submit.php", "text/plain", "POST", 212)
    else:
        tunnel(when, INFECTED, CNC_TLS[0], CNC_TLS[1])

# People: visits at irregular times, each a burst of requests.
for client in COLLEAGUES + [INFECTED]:
    t = START + rng.uniform(0, 600)
    while t < START + DAY:
        host, ip, https = rng.choice(SITES)
        if https:
            tunnel(t, client, host, ip)
        else:
            http(t, client, host, ip, rng.choice(["/", "/news/", "/index.html", "/list?p=2"]))
        for _ in range(rng.randint(0, 4)):
            cdn, cdn_ip = rng.choice(CDNS)
            tunnel(t + rng.uniform(0.1, 3.0), client, cdn, cdn_ip)
        t += rng.expovariate(1 / 300.0) + 5
    # Windows Update checks at irregular intervals (minutes to hours).
    t = START + rng.uniform(0, 3600)
    while t < START + DAY:
        http(t, client, UPDATE[0], UPDATE[1], "/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab",
             "application/vnd.ms-cab-compressed", size=rng.randint(6000, 9000))
        t += rng.uniform(600, 5400)

lines.sort(key=lambda x: x[0])
for _, text in lines:
    print(text)
