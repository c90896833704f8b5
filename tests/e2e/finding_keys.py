#!/usr/bin/env python3
"""finding_keys.py CSV: the rows of a findings CSV reduced to the keys
every rule form prints — host, process, user, destination address, port,
count — one tab-separated line each, sorted, so that findings of the hunt
and of a rule in another language (whose columns are named otherwise:
Computer, Image, User, DestinationIp, DestinationPort for Sigma) can be
compared with diff. Columns are found by any of their names. A hunt row
whose `lacks` column is not empty (a group of events without a host,
process or user) is left out and written to stderr: a Sigma correlation
does not count events without a group-by field (docs sigma.md §5)."""
import csv
import sys

NAMES = [
    ("host", "Computer"),
    ("process", "Image"),
    ("user", "User"),
    ("dst_ip", "DestinationIp"),
    ("dst_port", "DestinationPort"),
    ("count",),
]

with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
head = rows[0] if rows else []
cols = []
for names in NAMES:
    found = [head.index(n) for n in names if n in head]
    if not found:
        sys.exit("finding_keys.py: %s has no column %s" % (sys.argv[1], " or ".join(names)))
    cols.append(found[0])
lacks = head.index("lacks") if "lacks" in head else -1
out = []
for row in rows[1:]:
    keys = "\t".join(row[i] for i in cols)
    if lacks >= 0 and row[lacks]:
        sys.stderr.write("left out (lacks %s): %s\n" % (row[lacks], keys))
        continue
    out.append(keys)
for line in sorted(out):
    print(line)
