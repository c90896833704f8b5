#!/bin/sh
# bench/linear.sh - issue 11's "time linear in input size": mailc2's three
# queries (the hunt, the seed LogScale, the seed AQL, as bench/suite.mjs runs
# them) on 0.25, 0.5, 1, 2 and 4 GB of the same generated Falcon day, and
# the seconds per GB of each, which a linear engine keeps flat.
#
# Usage: sh bench/linear.sh [EVENTS]   (the day bench/suite.sh made; default 2000000)
#
# The inputs are cut from bench/data/falcon-EVENTS.ndjson: the first N lines
# for the sizes below the day, the day repeated (then cut) for those above
# it. A repeated day repeats its events, times and processes: the groups are
# the same and count more, the join tables hold the same keys, so every GB
# costs what the day's GB costs; that is the point, not the answers (which
# bench/suite.sh checks against DuckDB). Files are kept in bench/data/
# (about 7.8 GB for all sizes) and made once. RUNS (default 3) runs per
# query and size, the fastest kept; sizes run smallest first, each query in
# turn. Nothing else heavy should run meanwhile.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
EVENTS=${1:-2000000}
RUNS=${RUNS:-3}
BIN=${BIN:-build-bench/mailc2}
SEEDS=${SEEDS:-../shared/seeds}
DAY=bench/data/falcon-$EVENTS.ndjson
[ -s "$DAY" ] || { echo "linear: $DAY is missing (sh bench/suite.sh ${EVENTS}e makes it)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "linear: $BIN is missing (sh bench/suite.sh builds it)" >&2; exit 2; }
[ -s "$SEEDS/t1071_003.aql" ] || { echo "linear: no seeds in $SEEDS" >&2; exit 2; }

# bytes -> a file of whole lines of about that many bytes
make_size() {
    out=bench/data/linear-$1.ndjson
    if [ ! -s "$out" ]; then
        day_bytes=$(wc -c < "$DAY")
        copies=$(( $1 / day_bytes + 1 ))
        i=0
        while [ $i -lt $copies ]; do cat "$DAY"; i=$((i + 1)); done |
            head -c "$1" | sed '$d' > "$out.tmp"   # drop the cut last line
        mv "$out.tmp" "$out"
    fi
    echo "$out"
}

TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
best() { # command... -> the fastest wall time of RUNS runs, in seconds
    b=
    r=0
    while [ $r -lt "$RUNS" ]; do
        /usr/bin/time -f %e -o "$TIMES" "$@" > /dev/null 2>&1 || true # 1: findings
        t=$(tail -1 "$TIMES")
        b=$(awk -v b="$b" -v t="$t" 'BEGIN { print (b == "" || t + 0 < b + 0) ? t : b }')
        r=$((r + 1))
    done
    echo "$b"
}

printf '| size | GB | lines | hunt s | s/GB | LogScale s | s/GB | AQL s | s/GB |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for gb in 0.25 0.5 1 2 4; do
    bytes=$(awk -v g="$gb" 'BEGIN { printf "%.0f", g * 1000000000 }')
    f=$(make_size "$bytes")
    # Dropped from the page cache and read again, as bench/suite.mjs does:
    # a file cached long ago may lie in 4 KiB pages, read up to twice as slowly.
    dd if="$f" iflag=nocache count=0 status=none
    cat "$f" > /dev/null
    real=$(wc -c < "$f")
    lines=$(wc -l < "$f")
    h=$(best "$BIN" hunt --sort count --now latest --format csv --quiet "$f")
    l=$(best "$BIN" run --format csv --quiet "$SEEDS/t1071_003.logscale" "$f")
    a=$(best "$BIN" run --now latest --format csv --quiet "$SEEDS/t1071_003.aql" "$f")
    awk -v gb="$gb" -v real="$real" -v lines="$lines" -v h="$h" -v l="$l" -v a="$a" 'BEGIN {
        g = real / 1e9
        printf "| %s GB | %.3f | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
               gb, g, lines, h, h / g, l, l / g, a, a / g }'
done
