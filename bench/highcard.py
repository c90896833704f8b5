#!/usr/bin/env python3
"""highcard.py IN OUT - a high-cardinality copy of a tools/gen_falcon.py --bench day.

Why: the generated day has a few hundred groups per query (its destinations come
from small fixed pools), so it never tests the group tables. This copy turns
every NetworkConnectIP4 event into a connection to port 25 of its own public
destination, shared by exactly three consecutive events of the same host and
image: each such (host, image, destination) group has 3 connections, more than
the seeds' threshold of 2, so it is a result row. At 4G (2.56 M connection
events, of which the non-mail-client ones pass) that is about 5 x 10^5 groups;
every other line is copied unchanged.

Destinations are 11.0.0.0/8 and up (public: the AQL seed's L2R filter keeps
them), numbered in order of first use. The bench data's values are plain JSON
strings without escapes in these keys, which the regular expressions rely on.
"""
import re
import sys

ADDR = re.compile(r'"RemoteAddressIP4":"[^"]*"')
PORT = re.compile(r'"RemotePort":"[^"]*"')
HOST = re.compile(r'"ComputerName":"([^"]*)"')
IMAGE = re.compile(r'"ImageFileName":"((?:[^"\\]|\\.)*)"')


def main(src, dst):
    per_key = {}     # (host, image) -> events seen
    group_of = {}    # (host, image, n // 3) -> destination number
    with open(src, encoding="utf-8") as fi, open(dst, "w", encoding="utf-8") as fo:
        for line in fi:
            if '"event_simpleName":"NetworkConnectIP4"' in line:
                h, i = HOST.search(line), IMAGE.search(line)
                key = (h.group(1) if h else "", i.group(1) if i else "")
                n = per_key.get(key, 0)
                per_key[key] = n + 1
                g = group_of.setdefault((key, n // 3), len(group_of))
                ip = "%d.%d.%d.%d" % (11 + (g >> 24), (g >> 16) & 255, (g >> 8) & 255, g & 255)
                line = ADDR.sub('"RemoteAddressIP4":"%s"' % ip, line, count=1)
                line = PORT.sub('"RemotePort":"25"', line, count=1)
            fo.write(line)
    print("highcard: %d destinations (groups of up to 3 connections)" % len(group_of), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: highcard.py IN OUT")
    main(sys.argv[1], sys.argv[2])
