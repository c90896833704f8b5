#!/bin/sh
# The answer must not depend on the number of worker threads: every plan
# that runs on the pool (aggregates) gives byte-identical output, and the
# same event and bad-record counts, with one thread and with three, on input
# large enough to be cut into many chunks (plain, gzip and zstd). Usage: sh test_threads.sh MAILC2 ROOT SCRATCH
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp"
fails=0
if command -v python3 >/dev/null 2>&1; then
    python3 "$root/tools/gen_falcon.py" --bench 30000 "$tmp/day.ndjson" 2>/dev/null ||
        { echo "FAIL: generator"; exit 1; }
    inputs="$root/samples/falcon $tmp/day.ndjson"
else
    echo "note: python3 absent; only the samples are compared"
    inputs="$root/samples/falcon"
fi
# Formats with a header line (Zeek TSV's #fields) over many blocks: every
# worker must know the columns. 40,000 copies of the fixture's three
# connections (about 3.5 MB), with ports cycling over three mail ports.
zeek=$tmp/zeek_big.log
grep '^#' "$root/tests/e2e/data/zeek_conn.log" >"$zeek"
awk 'BEGIN { OFS = "\t" }
     /^#/ { next }
     { line[++n] = $0 }
     END { for (i = 0; i < 40000; i++) for (k = 1; k <= n; k++) {
               split(line[k], f, "\t"); f[4] = 40000 + k; f[6] = (i % 3 == 0) ? 25 : (i % 3 == 1) ? 587 : 993
               printf "%s", f[1]; for (j = 2; j <= 14; j++) printf "\t%s", f[j]; printf "\n" } }' \
    "$root/tests/e2e/data/zeek_conn.log" >>"$zeek"
inputs="$inputs $zeek"
# Many groups, so that the workers' tables are folded on threads (more than
# 16,384 groups: exec/agg_end.c) and the top 100 is taken in shares: 20,000
# destinations, three connections each by one process, written from the
# generated day's first connection (/tmp/.cache/beacon, port 25, address
# 11.0.x.y).
if [ -f "$tmp/day.ndjson" ]; then
    groups=$tmp/groups.ndjson
    grep -m1 '"event_simpleName":"NetworkConnectIP4"' "$tmp/day.ndjson" |
        awk '{ for (g = 0; g < 20000; g++) for (k = 0; k < 3; k++) {
                   l = $0
                   sub(/"RemoteAddressIP4":"[^"]*"/, sprintf("\"RemoteAddressIP4\":\"11.0.%d.%d\"", int(g / 256), g % 256), l)
                   sub(/"RemotePort":"[^"]*"/, "\"RemotePort\":\"25\"", l)
                   sub(/"ImageFileName":"([^"\\]|\\.)*"/, "\"ImageFileName\":\"/tmp/.cache/beacon\"", l)
                   sub(/"ContextBaseFileName":"[^"]*"/, "\"ContextBaseFileName\":\"beacon\"", l)
                   print l } }' >"$groups"
    inputs="$inputs $groups"
    # The hunt reports every group: 20,000 rows and the header.
    rows=$("$bin" hunt --now latest --threads 3 --format csv "$groups" 2>/dev/null | wc -l)
    if [ "$rows" -eq 20001 ]; then
        echo "ok: hunt on $(basename "$groups"): 20000 groups on 3 threads"
    else
        echo "FAIL: hunt on $groups: $rows lines, want 20001"
        fails=$((fails + 1))
    fi
fi
# Compressed copies of the day: their blocks are copied out by the worker
# that reads them and, when another waits, handed over to it while the
# reader reads on (driver/pool.c hand_over).
if [ -f "$tmp/day.ndjson" ]; then
    gzip -c "$tmp/day.ndjson" >"$tmp/day.ndjson.gz" && inputs="$inputs $tmp/day.ndjson.gz"
    command -v zstd >/dev/null 2>&1 && zstd -q -c "$tmp/day.ndjson" >"$tmp/day.ndjson.zst" &&
        inputs="$inputs $tmp/day.ndjson.zst"
fi
seeds=$root/tests/e2e/data/seeds
for input in $inputs; do
    for job in "hunt --now latest" "run $seeds/t1071_003.logscale" "run --now latest $seeds/t1071_003.aql"; do
        for t in 1 3; do
            # shellcheck disable=SC2086 # $job is a list of words on purpose
            "$bin" $job --threads $t --format csv --max-errors 0 "$input" \
                >"$tmp/out$t.csv" 2>"$tmp/err$t.txt"
            echo "rc=$?" >>"$tmp/out$t.csv"
            grep -o '[0-9]* events, [0-9]* bad records' "$tmp/err$t.txt" >"$tmp/count$t.txt"
        done
        if cmp -s "$tmp/out1.csv" "$tmp/out3.csv" && cmp -s "$tmp/count1.txt" "$tmp/count3.txt"; then
            echo "ok: $job on $(basename "$input"): 1 and 3 threads agree ($(cat "$tmp/count1.txt"))"
        else
            echo "FAIL: $job on $input differs between 1 and 3 threads"
            diff "$tmp/out1.csv" "$tmp/out3.csv" | head -20
            diff "$tmp/count1.txt" "$tmp/count3.txt"
            fails=$((fails + 1))
        fi
    done
done
[ "$fails" -eq 0 ]
