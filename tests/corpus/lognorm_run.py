"""Helpers the corpus agreement scripts share: run lognorm, flatten its records."""
import json
import os
import subprocess


def flatten(doc, prefix="", out=None):
    """{"a": {"b": 1}} -> {"a.b": 1}."""
    out = {} if out is None else out
    for key, value in doc.items():
        if isinstance(value, dict):
            flatten(value, f"{prefix}{key}.", out)
        else:
            out[f"{prefix}{key}"] = value
    return out


def lognorm_records(who, cmd, lines=None):
    """Run lognorm (cmd, reading the given lines on stdin when there are
    some) with TZ=UTC and return its records flattened. Exit 1 (some lines
    kept as errors) is fine; anything else ends the script naming who ran it."""
    text = None if lines is None else "".join(l + "\n" for l in lines)
    done = subprocess.run(cmd, input=text, capture_output=True, text=True, errors="replace",
                          env={**os.environ, "TZ": "UTC"})
    if done.returncode not in (0, 1):
        raise SystemExit(f"{who}: {' '.join(cmd)}: exit {done.returncode}: {done.stderr.strip()}")
    return [flatten(json.loads(l)) for l in done.stdout.splitlines() if l.strip()]
