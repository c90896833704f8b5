#!/bin/sh
# The answer must not depend on the number of worker threads: every plan
# that runs on the pool (aggregates) gives byte-identical output, and the
# same event and bad-record counts, with one thread and with three, on input
# large enough to be cut into many chunks. Usage: sh test_threads.sh MAILC2 ROOT SCRATCH
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
