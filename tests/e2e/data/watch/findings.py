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
      hunt's columns or the LogScale seed's. eBPF sees the whole machine, so
      another process of the same path may join the group (a test elsewhere
      running python to 127.0.0.1:25); the group's command line is its least
      one, so it is compared only while the count is MIN_COUNT exactly, and
      the `events` check below covers the command line always.
  findings.py events FILE PROCESS COMMAND_LINE USER PORT MIN_COUNT
      Exit 1 unless the recorded JSON lines hold at least MIN_COUNT
      connections to 127.0.0.1:PORT with exactly that Image, CommandLine and
      User."""
import csv
import json
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
        exact = int(col(row, "count")) == int(min_count)
        if cmdline is not None and exact and row.get("command_line") != cmdline:
            return "command line %r, want %r" % (row.get("command_line"), cmdline)
        return None
    return "no finding for %s user %s port %s among %d: %s" % (process, user, port, len(rows),
                                                              rows)


def events(path, process, cmdline, user, port, min_count):
    n = 0
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            n += (e.get("Image"), e.get("CommandLine"), e.get("User"), e.get("DestinationIp"),
                  str(e.get("DestinationPort"))) == (process, cmdline, user, "127.0.0.1", port)
    if n < int(min_count):
        return "%d events of %s %r user %s to 127.0.0.1:%s, want %s" % (n, process, cmdline,
                                                                        user, port, min_count)
    return None


def main():
    if sys.argv[1] == "events":
        why = events(*sys.argv[2:])
        if why:
            print(why)
        return 1 if why else 0
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
