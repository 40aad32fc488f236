#!/usr/bin/env python3
"""Writes a plain indicator feed of N entries for correlate's intel benchmark.

  intel_feed.py --events ECS.ndjson --count 1000000 -o FEED

Most indicators are random (40% domains, 30% IPv4 addresses, 5% IPv4
blocks, 5% IPv6 addresses, 10% URLs, 10% SHA-256/MD5 hashes: the shape of
mimamori-bench-intel's feed); one in a thousand is a destination domain or
address that occurs in the first events of ECS.ndjson, so the run raises
alerts as a real feed would: the rarest such values, until they cover about
1% of those events (most events touch no indicator). The same inputs give
the same bytes.
"""

import argparse
import json
import random
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--events", required=True)
    p.add_argument("--count", type=int, default=1000000)
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()

    counts = {}
    scanned = 0
    with open(a.events, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= 20000:
                break
            scanned += 1
            try:
                d = json.loads(line).get("destination", {})
            except ValueError:
                continue
            for key in ("domain", "ip"):
                v = d.get(key)
                if isinstance(v, str) and v and not v.startswith(("10.", "192.168.", "172.")):
                    counts[v] = counts.get(v, 0) + 1
    seen, covered = [], 0
    for v, c in sorted(counts.items(), key=lambda kv: (kv[1], kv[0])):
        if covered + c > scanned // 100:
            break
        seen.append(v)
        covered += c
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"

    def label(k):
        return "".join(rng.choice(letters) for _ in range(k))

    def ipv4():
        return f"{rng.randint(11, 126)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"

    real = 0
    with open(a.output, "w", encoding="utf-8") as out:
        out.write(f"# mimamori bench feed: {a.count} indicators\n")
        for i in range(a.count):
            if i < len(seen):
                out.write(seen[i] + "\n")
                real += 1
                continue
            r = rng.random()
            if r < 0.40:
                v = f"{label(10)}.{label(rng.randint(3, 7))}.com"
            elif r < 0.70:
                v = ipv4()
            elif r < 0.75:
                bits = rng.randint(16, 28)
                addr = rng.getrandbits(32) & ~((1 << (32 - bits)) - 1) | (11 << 24)
                v = f"{addr >> 24 & 255}.{addr >> 16 & 255}.{addr >> 8 & 255}.{addr & 255}/{bits}"
            elif r < 0.80:
                v = "2a0" + "%x" % rng.randint(0, 15) + "".join(":%04x" % rng.getrandbits(16) for _ in range(7))
            elif r < 0.90:
                v = f"http://{label(8)}.net/{label(12)}.php?id={rng.getrandbits(32):08x}"
            elif r < 0.95:
                v = "%064x" % rng.getrandbits(256)
            else:
                v = "%032x" % rng.getrandbits(128)
            out.write(v + "\n")
    print(f"{a.count} indicators, {real} of them from {len(seen)} destinations of the events "
          f"(in {covered} of the first {scanned} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
