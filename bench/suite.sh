#!/bin/sh
# bench/suite.sh - issue 11's benchmark in one command: mailc2 hunt, mailc2 run
# of the seed LogScale and of the seed AQL, each against DuckDB running the
# matching oracle SQL (tests/oracle/), plus cat / zcat / zstdcat, on plain
# NDJSON, gzip and zstd copies of one synthetic Falcon day, runs interleaved.
#
# Usage: sh bench/suite.sh [SIZE]      SIZE = 1G (default), 4G, ... or NUMBERe
#                                      (an event count, e.g. 200000e)
#
# 1. data: bench/data/falcon-EVENTS.ndjson from tools/gen_falcon.py --bench
#    (about 781 bytes per event, so 1G = 1,280,000 events = 1.00 GB), and
#    next to it .gz (gzip -6) and .zst (zstd -3); each written under a
#    temporary name and renamed, so a cut-short run leaves no short file;
#    kept for later runs (bench/data/ is gitignored). 4G needs ~5 GB of disk.
# 2. builds mailc2 in Release into build-bench/ (a no-op when up to date);
# 3. npm ci if node_modules lacks @duckdb/node-api;
# 4. node bench/suite.mjs (see its header for what runs and how it is timed),
#    results printed and saved as bench/data/falcon-EVENTS[-hc]-suite.{md,json}.
#
# Environment: HIGHCARD=1 benchmarks a high-cardinality copy of the day instead
# (bench/highcard.py: every connection event to port 25 of its own destination,
# three per group; falcon-EVENTS-hc.ndjson and its .gz/.zst), RUNS (per engine,
# query and input; default 3), DUCKDB_THREADS
# (default 2), BUILD_DIR (default build-bench), JOBS (build jobs).
# Run nothing else heavy meanwhile: the figures are wall times on a shared
# machine; the report gives the load average and other processes' CPU time.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

SIZE=${1:-1G}
case $SIZE in
    *[0-9]G) EVENTS=$(( ${SIZE%G} * 1280000 )) ;;
    *[0-9]e) EVENTS=${SIZE%e} ;;
    *) echo "usage: sh bench/suite.sh [SIZE]   (1G, 4G, or an event count like 200000e)" >&2; exit 2 ;;
esac
case $EVENTS in ''|*[!0-9]*) echo "suite: bad SIZE $SIZE" >&2; exit 2 ;; esac

RUNS=${RUNS:-3}
DUCKDB_THREADS=${DUCKDB_THREADS:-2}
BUILD_DIR=${BUILD_DIR:-build-bench}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
DATA=bench/data
FILE=$DATA/falcon-$EVENTS.ndjson
mkdir -p "$DATA"

# -- data ---------------------------------------------------------------------
if [ ! -s "$FILE" ]; then
    echo "suite: generating $FILE (~$EVENTS events)" >&2
    python3 tools/gen_falcon.py --bench "$EVENTS" "$FILE.tmp"
    mv "$FILE.tmp" "$FILE"
    rm -f "$FILE.gz" "$FILE.zst"
fi
if [ "${HIGHCARD:-0}" = 1 ]; then
    BASE=$FILE
    FILE=$DATA/falcon-$EVENTS-hc.ndjson
    if [ ! -s "$FILE" ] || [ "$FILE" -ot "$BASE" ]; then
        echo "suite: writing the high-cardinality copy $FILE" >&2
        python3 bench/highcard.py "$BASE" "$FILE.tmp"
        mv "$FILE.tmp" "$FILE"
    fi
fi
if [ ! -s "$FILE.gz" ] || [ "$FILE.gz" -ot "$FILE" ]; then
    echo "suite: compressing $FILE.gz (gzip -6)" >&2
    gzip -6 -c "$FILE" > "$FILE.gz.tmp" && mv "$FILE.gz.tmp" "$FILE.gz"
fi
if [ ! -s "$FILE.zst" ] || [ "$FILE.zst" -ot "$FILE" ]; then
    echo "suite: compressing $FILE.zst (zstd -3)" >&2
    zstd -3 -q -c "$FILE" > "$FILE.zst.tmp" && mv "$FILE.zst.tmp" "$FILE.zst"
fi

# -- mailc2, Release ----------------------------------------------------------
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ] ||
   ! grep -q '^CMAKE_BUILD_TYPE:[A-Z]*=Release$' "$BUILD_DIR/CMakeCache.txt"; then
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2
fi
cmake --build "$BUILD_DIR" -j"$JOBS" >&2

# -- DuckDB (node) ------------------------------------------------------------
if [ ! -d node_modules/@duckdb/node-api ]; then
    echo "suite: npm ci" >&2
    npm ci >&2
fi

exec node bench/suite.mjs --bin "$BUILD_DIR/mailc2" --runs "$RUNS" \
    --duckdb-threads "$DUCKDB_THREADS" --label "SIZE $SIZE${HIGHCARD:+, HIGHCARD=$HIGHCARD}" \
    --out "${FILE%.ndjson}-suite" "$FILE" "$FILE.gz" "$FILE.zst"
