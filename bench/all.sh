#!/bin/sh
# bench/all.sh - issue 11's whole benchmark in one command: every input the
# issue names, each against DuckDB and cat / zcat / zstdcat, interleaved, with
# times, CPU seconds, peak RSS and the ratios (bench/suite.mjs prints them).
#
# Usage: sh bench/all.sh
#
#   1. bench/suite.sh 1G             the 1 GB day: plain, gzip, zstd
#   2. bench/suite.sh 4G             the 4 GB day: plain, gzip, zstd
#   3. HIGHCARD=1 bench/suite.sh 4G  its high-cardinality copy (bench/highcard.py:
#                                    3.4x10^5 groups at 2M events, so near the
#                                    issue's 10^6 at the 4 GB day's 5.12M)
#   4. bench/linear.sh 5120000       mailc2's seconds per GB from 0.25 to 4 GB,
#                                    cut from the 4 GB day
#
# Each step saves its own tables (bench/data/falcon-*-suite.md, as the step
# says); this script prints them and gathers them into bench/data/all.md.
# It takes about an hour and a half on the 2-core machine of BENCHMARKS.md
# and needs about 25 GB of disk in bench/data/ (the days, their gzip and zstd
# copies, the high-cardinality copies, linear.sh's cuts); the data is made
# once and kept. RUNS (runs per engine, query and input) defaults to 3 for
# the 1 GB day and 1 for the 4 GB ones, where each DuckDB run takes tens of
# seconds; set it to use one value for all. Run nothing else heavy meanwhile.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=bench/data/all.md
mkdir -p bench/data
{
    echo "# bench/all.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ), mailc2 $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
} > "$OUT"

step() { # title, then the command and its arguments
    title=$1
    shift
    echo "all: $title" >&2
    echo "## $title" >> "$OUT"
    echo >> "$OUT"
    "$@" | tee -a "$OUT"
    echo >> "$OUT"
}

step "1 GB day" env RUNS="${RUNS:-3}" sh bench/suite.sh 1G
step "4 GB day" env RUNS="${RUNS:-1}" sh bench/suite.sh 4G
step "4 GB high cardinality" env RUNS="${RUNS:-1}" HIGHCARD=1 sh bench/suite.sh 4G
step "time against input size" env RUNS="${RUNS:-1}" sh bench/linear.sh 5120000
echo "all: the tables are in $OUT" >&2
