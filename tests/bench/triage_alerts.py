#!/usr/bin/env python3
"""Writes the alert mix triage's benchmark reads.

  triage_alerts.py --count N -o OUT

What correlate hands triage in a SOC watching a few customers: threat-intel
matches of proxy traffic (a few infected PCs calling their C&C servers again
and again, as the seeds' PC did 1,146 times), EDR detections (a few hashes
per PC, repeats inside 72 hours), Sigma alerts on servers (SSH logins), and
noise that an exception list removes; four organizations, one alert every
0.2 s of event time. The shapes are those lib/intel/alert.cpp and
lib/sigma/alert.cpp write. The same arguments give the same bytes.
"""

import argparse
import datetime
import json
import random


def stamp(t):
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (d.microsecond // 1000)


def alert(n, rnd, t):
    org = 'org%d' % (n % 4)
    ts = stamp(t)
    kind = rnd.random()
    pc = rnd.randrange(64)
    if kind < 0.5:
        domain = 'c2-%d.example' % (pc % 8)
        ip = '10.%d.20.%d' % (n % 4, pc)
        return {
            '@timestamp': ts,
            'event': {'kind': 'alert', 'category': ['threat'], 'type': ['indicator'],
                      'dataset': 'mimamori.intel', 'severity': 73,
                      'original': '%.3f 88 %s TCP_MISS/200 1210 GET http://%s/gate.php?id=%d - HIER_DIRECT/203.0.113.%d application/octet-stream'
                                  % (t, ip, domain, n % 1000, pc % 8)},
            'rule': {'name': 'Threat intel match: domain-name', 'ruleset': 'mimamori-intel',
                     'category': 'threat-intel'},
            'threat': {'feed': {'name': 'feeds'},
                       'indicator': {'type': 'domain-name', 'name': domain, 'url': {'domain': domain},
                                     'confidence': 'High'},
                       'enrichments': [{'matched': {'atomic': domain, 'field': 'url.domain',
                                                    'type': 'indicator_match_rule'}}]},
            'organization': {'id': org},
            'source': {'address': ip, 'ip': ip},
            'destination': {'domain': domain, 'ip': '203.0.113.%d' % (pc % 8)},
            'observer': {'type': 'proxy', 'product': 'Squid', 'vendor': 'Squid'},
            'url': {'domain': domain, 'original': 'http://%s/gate.php?id=%d' % (domain, n % 1000),
                    'path': '/gate.php', 'scheme': 'http'},
        }
    if kind < 0.8:
        host = 'PC-%04d' % pc
        digest = '%064x' % (pc * 3 + rnd.randrange(3) + 1)
        return {
            '@timestamp': ts,
            'event': {'kind': 'alert', 'category': ['malware'], 'severity': 60, 'action': 'detected',
                      'original': 'EDR %s %s detected Trojan:Win32/Emotet file=%s' % (ts, host, digest)},
            'rule': {'id': 'edr-emotet', 'name': 'Trojan:Win32/Emotet'},
            'observer': {'type': 'edr', 'product': 'ExampleEDR'},
            'organization': {'id': org},
            'host': {'name': host, 'os': {'name': 'Windows 10 Pro'}},
            'user': {'name': 'user%d' % pc},
            'file': {'hash': {'sha256': digest}, 'path': 'C:\\Users\\user%d\\AppData\\a.exe' % pc},
            'process': {'executable': 'C:\\Users\\user%d\\AppData\\a.exe' % pc, 'pid': 4000 + pc},
        }
    server = 'srv%02d' % (pc % 16)
    src = '192.0.2.%d' % (pc % 32)
    return {
        '@timestamp': ts,
        'event': {'kind': 'alert', 'module': 'sigma', 'category': ['intrusion_detection'], 'severity': 50,
                  'original': '%s %s sshd[%d]: Accepted password for root from %s port 40138 ssh2'
                              % (ts, server, 20000 + n % 5000, src)},
        'rule': {'id': '5f0b7c4e-2a51-4d8e-9c3a-7e1d2b6a9f10', 'name': 'SSH Login As Root Accepted',
                 'ruleset': 'sigma', 'level': 'medium'},
        'threat': {'framework': 'MITRE ATT&CK',
                   'tactic': {'id': ['TA0001', 'TA0004'], 'name': ['Initial Access', 'Privilege Escalation']},
                   'technique': {'id': ['T1078']}},
        'organization': {'id': org},
        'host': {'hostname': server},
        'user': {'name': 'root'},
        'source': {'address': src, 'ip': src, 'port': 40138},
        'process': {'name': 'sshd', 'pid': 20000 + n % 5000},
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--count', type=int, required=True)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('-o', '--output', required=True)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    start = 1790812800  # 2026-10-01T00:00:00Z
    with open(a.output, 'w') as out:
        for n in range(a.count):
            out.write(json.dumps(alert(n, rnd, start + n * 0.2), separators=(',', ':'), ensure_ascii=False) + '\n')
    print('%d alerts' % a.count)


if __name__ == '__main__':
    main()
