#!/bin/sh
# bench/run.sh - benchmark mailc2 against DuckDB on a synthetic Falcon day.
#
# Usage: sh bench/run.sh [EVENTS [BENCH_OPTION...]]   (default 2000000, ~780 B/event)
#
# BENCH_OPTIONs go to bench/bench.mjs, e.g. --variant '--no-enrich --now {now}'.
#
# 1. writes bench/data/falcon-EVENTS.ndjson with tools/gen_falcon.py --bench
#    (unless it is already there) and a gzip copy next to it;
# 2. builds mailc2 in Release into build-bench/ (configures it if needed;
#    an up-to-date build is a no-op);
# 3. installs the DuckDB oracle dependency (npm ci) if node_modules is missing;
# 4. runs bench/bench.mjs: mailc2 and DuckDB, same files, same hunt, outputs
#    compared, table printed (and saved as bench/data/results-EVENTS.{md,json}).
#
# Environment: RUNS (timed runs per engine and file, default 3),
#              BUILD_DIR (default build-bench), JOBS (build jobs, default nproc),
#              MAILC2_REV (a commit, e.g. HEAD: benchmark that commit instead of
#              the work tree - exported with git archive into
#              bench/data/mailc2-REV/ and built there, so edits in progress
#              do not leak into the figures; DuckDB then runs that commit's
#              tests/oracle/hunt.sql too).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

EVENTS=${1:-2000000}
[ $# -gt 0 ] && shift
case $EVENTS in
    ''|*[!0-9]*) echo "usage: sh bench/run.sh [EVENTS [BENCH_OPTION...]]" >&2; exit 2 ;;
esac
[ "$EVENTS" -gt 0 ] || { echo "bench: EVENTS must be positive" >&2; exit 2; }

RUNS=${RUNS:-3}
BUILD_DIR=${BUILD_DIR:-build-bench}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
DATA=bench/data
FILE=$DATA/falcon-$EVENTS.ndjson
GZ=$FILE.gz

mkdir -p "$DATA"

# -- data ---------------------------------------------------------------------
# Written to a temporary name and renamed, so an interrupted run never leaves a
# short file that a later run would take for a complete one.
if [ ! -s "$FILE" ]; then
    echo "bench: generating $FILE (~$EVENTS events)" >&2
    python3 tools/gen_falcon.py --bench "$EVENTS" "$FILE.tmp"
    mv "$FILE.tmp" "$FILE"
    rm -f "$GZ"
fi
if [ ! -s "$GZ" ] || [ "$GZ" -ot "$FILE" ]; then
    echo "bench: compressing $GZ (gzip -6)" >&2
    gzip -6 -c "$FILE" > "$GZ.tmp"
    mv "$GZ.tmp" "$GZ"
fi

# -- mailc2, Release ----------------------------------------------------------
if [ -n "${MAILC2_REV:-}" ]; then
    REV=$(git rev-parse --short "$MAILC2_REV^{commit}")
    SRC=$DATA/mailc2-$REV
    if [ ! -f "$SRC/CMakeLists.txt" ]; then
        echo "bench: exporting $REV into $SRC" >&2
        rm -rf "$SRC" && mkdir -p "$SRC"
        git archive "$REV" | tar -x -C "$SRC"
    fi
    cmake -S "$SRC" -B "$SRC/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2
    cmake --build "$SRC/build" -j"$JOBS" >&2
    BIN=$SRC/build/mailc2
    REV_LABEL="$REV (git archive, clean)"
    ORACLE=$SRC/tests/oracle
else
    if [ ! -f "$BUILD_DIR/CMakeCache.txt" ] ||
       ! grep -q '^CMAKE_BUILD_TYPE:[A-Z]*=Release$' "$BUILD_DIR/CMakeCache.txt"; then
        cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >&2
    fi
    cmake --build "$BUILD_DIR" -j"$JOBS" >&2
    BIN=$BUILD_DIR/mailc2
    REV_LABEL=
    ORACLE=tests/oracle
fi

# -- DuckDB (node) ------------------------------------------------------------
if [ ! -d node_modules/@duckdb/node-api ]; then
    echo "bench: npm ci" >&2
    npm ci >&2
fi

exec node bench/bench.mjs --bin "$BIN" --runs "$RUNS" ${REV_LABEL:+--rev "$REV_LABEL"} \
    --oracle "$ORACLE" --out "$DATA/results-$EVENTS" "$@" "$FILE" "$GZ"
