#!/usr/bin/env python3
"""Agreement of `logcollect --pcap` with suricata-verify and Zeek (../shared/corpus/pcap).

suricata-verify: every test whose test.yaml checks name DNS names
(dns.rrname, dns.queries[].rrname, dns.answers[].rrname, dns.query[].rrname),
HTTP hosts, URIs, methods and user agents (http.hostname, http.url,
http.http_method, http.http_user_agent) or TLS SNI and JA3
(tls.sni, tls.ja3.hash, tls.ja3.string) or flow VLAN tags (vlan: [outer,
inner]) is run through `logcollect --pcap`;
each such value must appear in our records (dns.question.name,
dns.answers[].name; url.domain, url.original, http.request.method,
user_agent.original; tls.client.server_name,
tls.client.ja3, mimamori.tls.client.ja3_string; network.vlan.id and
network.inner.vlan.id of a flow record). Host and DNS names compare
without regard to case, as both tools treat them.

Zeek: the btests of base/protocols/{dns,http,ssl} whose baselines hold
dns.log (query), http.log (host, uri, method, user_agent) or ssl.log
(server_name) are run the
same way on their traces.

Tests are left out by protocol, never by result, and each with its reason
(printed): traffic we do not model (HTTP/2, QUIC, DNS over HTTPS or on ports
other than 53/5353/5355, SMB/NetBIOS names, ...), checks that assert
absence (count: 0, a Suricata configuration matter), values a peer escapes
or rewrites, a pcap missing from the corpus. Fails when an enabled test
disagrees.

  pcap_agreement.py --logcollect PATH [--corpus DIR] [-v]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import yaml

DNS_PORTS = {53, 5353, 5355}

# Suricata-verify tests whose traffic is a protocol we do not model, with why.
# Matched against the test's path (directory names), so a family of tests
# shares one reason.
SURICATA_NOT_MODELED = [
    (re.compile(r"http2|doh|dns-over-http"), "HTTP/2 and DNS over HTTPS are not decoded"),
    (re.compile(r"quic"), "QUIC is not decoded"),
    (re.compile(r"smb|netbios|dcerpc"), "SMB/DCERPC are not decoded"),
]


def flatten(d, prefix=""):
    out = {}
    for k, v in (d or {}).items():
        if isinstance(v, dict):
            out.update(flatten(v, prefix + k + "."))
        else:
            out[prefix + str(k)] = v
    return out


def run_logcollect(logcollect, pcap):
    """Our records for a capture, grouped: dns names, http hosts/uris, tls sni/ja3."""
    p = subprocess.run([logcollect, "-q", "--now", "2024-01-01T00:00:00Z", "--pcap", pcap],
                       capture_output=True, timeout=60)
    seen = {"dns": set(), "http.host": set(), "http.url": set(), "tls.sni": set(),
            "tls.ja3": set(), "tls.ja3_string": set(), "vlan": set(),
            "http.method": set(), "http.user_agent": set()}
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        r = json.loads(line)
        ds = r.get("event", {}).get("dataset")
        if ds == "pcap.dns":
            d = r.get("dns", {})
            if "question" in d:
                seen["dns"].add(d["question"]["name"].lower())
            for a in d.get("answers", []):
                seen["dns"].add(a["name"].lower())
        elif ds == "pcap.flow":
            n = r.get("network", {})
            if "vlan" in n:
                tags = [n["vlan"]["id"]]
                if "inner" in n:
                    tags.append(n["inner"]["vlan"]["id"])
                seen["vlan"].add("/".join(tags))
        elif ds == "pcap.http":
            u = r.get("url", {})
            if "domain" in u:
                seen["http.host"].add(u["domain"].lower())
                if "port" in u:
                    seen["http.host"].add("%s:%d" % (u["domain"].lower(), u["port"]))
            seen["http.method"].add(r["http"]["request"]["method"])
            if "user_agent" in r:
                seen["http.user_agent"].add(r["user_agent"]["original"])
            if "original" in u:
                seen["http.url"].add(u["original"])
                # Zeek logs URIs percent-decoded.
                seen["http.url"].add(urllib.parse.unquote(u["original"], errors="replace"))
        elif ds == "pcap.tls":
            c = r.get("tls", {}).get("client", {})
            if "server_name" in c:
                seen["tls.sni"].add(c["server_name"].lower())
            if "ja3" in c:
                seen["tls.ja3"].add(c["ja3"])
            s = r.get("mimamori", {}).get("tls", {}).get("client", {}).get("ja3_string")
            if s:
                seen["tls.ja3_string"].add(s)
    return p.returncode, seen, p.stderr.decode("utf-8", "replace")


def suricata_expectations(test_yaml):
    """(expected [(kind, value)], skip reason or None) for one test.yaml."""
    y = yaml.safe_load(open(test_yaml)) or {}
    expected = []
    notes = []
    for check in y.get("checks") or []:
        f = check.get("filter") if isinstance(check, dict) else None
        if not f:
            continue
        m = flatten(f.get("match"))
        et = m.get("event_type")
        if et == "flow" and isinstance(m.get("vlan"), list) and f.get("count") != 0:
            # ECS has an outer and an inner VLAN: deeper tags are not compared.
            expected.append(("vlan", "/".join(str(v) for v in m["vlan"][:2])))
            continue
        # Alerts, fileinfo and other records carry the HTTP, TLS and DNS
        # metadata of their transaction too: the same fields count.
        if not any(k.startswith(("dns.", "http.", "tls.")) for k in m):
            continue
        if f.get("count") == 0:
            notes.append("a count: 0 check (absence under a Suricata configuration) not compared")
            continue
        if et == "dns" or any(k.startswith("dns.") for k in m):
            ports = {m.get("src_port"), m.get("dest_port")} - {None}
            if ports and not ports & DNS_PORTS:
                return [], "DNS on port %s: we read DNS on 53, 5353 and 5355" % sorted(ports)
            for k, v in m.items():
                if re.fullmatch(r"dns\.(rrname|queries\[\d+\]\.rrname|query\[\d+\]\.rrname|"
                                r"answers\[\d+\]\.rrname|answer\.rrname)", k) and isinstance(v, str):
                    expected.append(("dns", v.lower()))
        if et == "http" or any(k.startswith("http.") for k in m):
            if "http.hostname" in m and isinstance(m["http.hostname"], str):
                expected.append(("http.host", m["http.hostname"].lower()))
            if "http.url" in m and isinstance(m["http.url"], str):
                expected.append(("http.url", m["http.url"]))
            if "http.http_user_agent" in m and isinstance(m["http.http_user_agent"], str):
                expected.append(("http.user_agent", m["http.http_user_agent"]))
            if "http.http_method" in m and isinstance(m["http.http_method"], str):
                expected.append(("http.method", m["http.http_method"]))
        if et == "tls" or any(k.startswith("tls.") for k in m):
            if "tls.sni" in m and isinstance(m["tls.sni"], str):
                expected.append(("tls.sni", m["tls.sni"].lower()))
            if "tls.ja3.hash" in m and isinstance(m["tls.ja3.hash"], str):
                expected.append(("tls.ja3", m["tls.ja3.hash"]))
            if "tls.ja3.string" in m and isinstance(m["tls.ja3.string"], str):
                expected.append(("tls.ja3_string", m["tls.ja3.string"]))
    return sorted(set(expected)), "; ".join(sorted(set(notes))) or None


def suricata_tests(corpus):
    root = Path(corpus) / "pcap" / "suricata-verify" / "tests"
    for test_yaml in sorted(root.rglob("test.yaml")):
        d = test_yaml.parent
        name = str(d.relative_to(root))
        y = yaml.safe_load(open(test_yaml)) or {}
        expected, note = suricata_expectations(test_yaml)
        if not expected and note is None:
            continue  # nothing about DNS names, HTTP, SNI or JA3 here
        reason = None
        for pattern, why in SURICATA_NOT_MODELED:
            if pattern.search(name):
                reason = why
        if reason is None and not expected:
            reason = note
        pcap = None
        if reason is None:
            if y.get("pcap") is False:
                reason = "no pcap (rule parsing only)"
            elif isinstance(y.get("pcap"), str):
                pcap = d / y["pcap"]
            else:
                pcaps = sorted(list(d.glob("*.pcap")) + list(d.glob("*.pcapng")))
                pcap = pcaps[0] if pcaps else None
            if reason is None and (pcap is None or not pcap.exists()):
                reason = "pcap not in the corpus"
        yield "suricata-verify/" + name, pcap, expected, reason


def zeek_log_values(path, columns):
    fields = None
    values = []
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("#fields"):
            fields = line.split("\t")[1:]
            continue
        if line.startswith("#") or fields is None:
            continue
        row = dict(zip(fields, line.split("\t")))
        values.append({c: row.get(c) for c in columns + ["id.resp_p", "proto"]})
    return values


def zeek_tests(corpus):
    index = json.load(open(Path(corpus) / "pcap" / "zeek" / "btest-index.json"))
    for name, t in sorted(index.items()):
        if not re.match(r"scripts\.base\.protocols\.(dns|http|ssl)\.", name):
            continue
        base = Path(corpus) / t["baseline_dir"]
        expected = []
        reason = None
        notes = []
        for log, kinds in (("dns.log", [("query", "dns")]),
                           ("http.log", [("host", "http.host"), ("uri", "http.url"),
                                         ("method", "http.method"),
                                         ("user_agent", "http.user_agent")]),
                           ("ssl.log", [("server_name", "tls.sni")])):
            if log not in t.get("baseline_files", []):
                continue
            if not (base / log).exists():
                reason = "baseline %s not in the corpus" % log
                continue
            for row in zeek_log_values(base / log, [c for c, _ in kinds]):
                port = row.get("id.resp_p")
                if log == "dns.log" and port and port.isdigit() and int(port) not in DNS_PORTS:
                    notes.append("DNS on port %s not read" % port)
                    continue
                for column, kind in kinds:
                    v = row.get(column)
                    if v in (None, "-", "(empty)", ""):
                        continue
                    if "\\x" in v:
                        notes.append("escaped bytes in %s" % column)
                        continue
                    lower = kind in ("dns", "http.host", "tls.sni")
                    expected.append((kind, v.lower() if lower else v))
        if not expected and reason is None:
            continue
        traces = [Path(corpus) / p for p in t.get("traces", [])]
        if reason:
            pass
        elif len(traces) != 1:
            reason = "the btest reads %d traces" % len(traces)
        elif not traces[0].exists():
            reason = "trace not in the corpus"
        yield "zeek/" + name, traces[0] if traces else None, sorted(set(expected)), reason


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logcollect", required=True)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[3] / "shared" / "corpus"))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not (Path(a.corpus) / "pcap").is_dir():
        print("pcap_agreement: SKIP: no corpus at %s" % a.corpus)
        return 77
    enabled = agreed = 0
    failed = []
    skipped = []
    for name, pcap, expected, reason in list(suricata_tests(a.corpus)) + list(zeek_tests(a.corpus)):
        if reason:
            skipped.append((name, reason))
            print("SKIP %s: %s" % (name, reason))
            continue
        enabled += 1
        status, seen, err = run_logcollect(a.logcollect, str(pcap))
        missing = [(k, v) for k, v in expected if v not in seen[k]]
        if status != 0:
            missing.append(("exit status", str(status) + ": " + err.strip()[:200]))
        if missing:
            failed.append(name)
            print("FAIL %s (%s): missing %s" % (name, os.path.basename(str(pcap)), missing))
            if a.verbose:
                print("     ours: %s" % {k: sorted(v)[:10] for k, v in seen.items() if v})
        else:
            agreed += 1
            print("ok   %s: %d values" % (name, len(expected)))
    print("pcap_agreement: %d tests enabled, %d agree, %d disagree, %d skipped"
          % (enabled, agreed, len(failed), len(skipped)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
