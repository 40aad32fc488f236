#!/usr/bin/env python3
"""Check that man/<tool>.1 documents every long option `<tool> --help` prints.

  check_options.py --bin BINDIR man/<tool>.1

The page is rendered with mandoc (so `Fl \\-config`, `\\-\\-config` and
`--config` all count) and each `--option` from --help must appear in it as a
whole word. Exit status: 0 all documented, 1 some missing or --help failed,
77 the tool is not built (CTest reports the test as skipped).
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

LONG_OPTION = re.compile(r"(?<![\w-])--[A-Za-z0-9][A-Za-z0-9_-]*")
SKIP = 77


def long_options(text):
    return {m.group(0) for m in LONG_OPTION.finditer(text)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("page")
    args = ap.parse_args()

    page = Path(args.page)
    tool = page.stem  # man/logcollect.1 -> logcollect
    exe = Path(args.bin) / tool
    if not os.access(exe, os.X_OK):
        print(f"{exe}: not built; skipped")
        return SKIP

    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    helped = subprocess.run([exe, "--help"], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, errors="replace", timeout=30)
    if helped.returncode != 0:
        print(f"{tool} --help exited {helped.returncode}, expected 0\n{helped.stderr}")
        return 1

    # -Tascii prints roff's \- as a plain hyphen; strip bold/underline overstrike.
    rendered = subprocess.run(["mandoc", "-Tascii", "-Owidth=300", str(page)],
                              capture_output=True, text=True, errors="replace", check=True).stdout
    rendered = re.sub(r".\x08", "", rendered)

    missing = sorted(long_options(helped.stdout) - long_options(rendered))
    if missing:
        print(f"{page}: options that `{tool} --help` prints but the page does not document:")
        for option in missing:
            print(f"  {option}")
        return 1
    print(f"{page}: documents all {len(long_options(helped.stdout))} long options of {tool}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
