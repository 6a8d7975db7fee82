#!/usr/bin/env python3
"""Sums meson test logs into one line "N passed, N failed".

Each doctest program reports "[doctest] test cases: T | P passed | F failed | S skipped"; its
test cases are counted. A test program with no such line counts as one test, passed or failed
by its exit status. A doctest program that crashed after its summary, or whose exit status
disagrees with its summary, adds one failure. Exit status 0 when nothing failed."""
import json
import re
import sys

SUMMARY = re.compile(r"\[doctest\] test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed"
                     r"(?:\s*\|\s*(\d+) skipped)?")

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            lines = [json.loads(l) for l in f if l.strip()]
    except OSError as e:
        print(f"count-tests: cannot read {path}: {e}")
        failed += 1
        continue
    for t in lines:
        ok = t.get("result") == "OK"
        out = (t.get("stdout") or "") + (t.get("stderr") or "")
        m = SUMMARY.findall(out)
        if m:
            _, p, f, s = m[-1]
            passed += int(p)
            failed += int(f)
            skipped += int(s or 0)
            if not ok and int(f) == 0:
                failed += 1  # crashed or sanitizer error after its tests passed
        elif ok:
            passed += 1
        else:
            failed += 1
if skipped:
    # Nothing may skip under the test command.
    failed += skipped
print(f"{passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
