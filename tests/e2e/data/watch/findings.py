"""Reads the CSV that `mailc2 watch --format csv` or `hunt`/`run --format
csv` wrote, for tests/e2e/test_watch.sh.

  findings.py final FILE
      The findings as they stand at the end: watch writes a row again each
      time its values change, so the last row of each group wins; a group is
      its columns other than the aggregates. Printed sorted, as CSV.
  findings.py expect FILE PROCESS USER PORT MIN_COUNT [COMMAND_LINE]
      Exit 1 (saying why) unless the final findings hold a group of that
      process path, user and destination port on 127.0.0.1 whose count is at
      least MIN_COUNT (and whose command line is COMMAND_LINE). Reads the
      hunt's columns or the LogScale seed's."""
import csv
import sys

AGGREGATES = {"count", "first_seen", "last_seen", "bytes_out", "command_line", "lacks",
              "bytes_in", "not_mail", "duration_ms", "ConnectionCount", "FirstSeen", "LastSeen"}
# hunt column -> LogScale seed column
SEED = {"process": "ImageFileName", "user": "UserName", "dst_port": "RemotePort",
        "dst_ip": "RemoteAddressIP4", "count": "ConnectionCount"}


def final(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    last = {}
    for row in rows:
        key = tuple((k, v) for k, v in row.items() if k not in AGGREGATES)
        last[key] = row
    return list(last.values())


def col(row, name):
    return row[name] if name in row else row[SEED[name]]


def expect(path, process, user, port, min_count, cmdline=None):
    rows = final(path)
    for row in rows:
        if (col(row, "process"), col(row, "user"), col(row, "dst_port"),
                col(row, "dst_ip")) != (process, user, port, "127.0.0.1"):
            continue
        if int(col(row, "count")) < int(min_count):
            return "count %s < %s in %s" % (col(row, "count"), min_count, row)
        if cmdline is not None and row.get("command_line") != cmdline:
            return "command line %r, want %r" % (row.get("command_line"), cmdline)
        return None
    return "no finding for %s user %s port %s among %d: %s" % (process, user, port, len(rows),
                                                              rows)


def main():
    if sys.argv[1] == "final":
        rows = final(sys.argv[2])
        out = csv.writer(sys.stdout, lineterminator="\n")
        for row in sorted(rows, key=lambda r: list(r.values())):
            out.writerow(list(row.values()))
        return 0
    why = expect(*sys.argv[2:])
    if why:
        print(why)
        return 1
    return 0


sys.exit(main())
