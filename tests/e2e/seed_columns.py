#!/usr/bin/env python3
"""seed_columns.py FILE...: rewrites each hunt CSV in place without the
triage columns (score, score_parts, why, next_steps), so that tests and
oracles written for the seeds' columns compare the detection itself. The
rows are run with `hunt --sort count`, the seeds' order, so the order is
still checked; the triage columns have tests of their own (test_triage.sh,
tests/triage/)."""
import csv
import sys

TRIAGE = {"score", "score_parts", "why", "next_steps"}

for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows:
        continue
    keep = [i for i, name in enumerate(rows[0]) if name not in TRIAGE]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        for row in rows:
            w.writerow([row[i] for i in keep if i < len(row)])
