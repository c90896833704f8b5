#!/bin/sh
# test_oracle_samples.sh - mailc2's hunt on the bundled samples, checked twice:
#   1. against tests/e2e/expected/samples_hunt.csv, derived by hand from the
#      scenario in samples/README.md (needs nothing but mailc2);
#   2. against the independent DuckDB oracle, tests/oracle/hunt_oracle.mjs
#      (needs node and `npm ci`; skipped, exit 77, when they are missing).
# Usage: sh test_oracle_samples.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (part 1 still ran and passed).

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
SAMPLES=$ROOT/samples/falcon
EXPECTED=$ROOT/tests/e2e/expected/samples_hunt.csv
ORACLE=$ROOT/tests/oracle/hunt_oracle.mjs

mkdir -p "$SCRATCH" || exit 1

# --- 1. mailc2 against the hand-derived answer ------------------------------
"$MAILC2" hunt --sort count --now latest --format csv "$SAMPLES" \
    >"$SCRATCH/mailc2.csv" 2>"$SCRATCH/mailc2.err"
rc=$?
# The detection's columns, in the seeds' order (the triage ones have their own test).
python3 "$ROOT/tests/e2e/seed_columns.py" "$SCRATCH/mailc2.csv"
if [ "$rc" -ne 1 ]; then
    echo "FAIL: mailc2 hunt exited $rc, want 1 (findings); its stderr:"
    cat "$SCRATCH/mailc2.err"
    exit 1
fi
if ! diff -u "$EXPECTED" "$SCRATCH/mailc2.csv" >"$SCRATCH/expected.diff"; then
    echo "FAIL: mailc2 hunt differs from $EXPECTED (- expected, + mailc2):"
    cat "$SCRATCH/expected.diff"
    echo "mailc2 stderr:"
    cat "$SCRATCH/mailc2.err"
    exit 1
fi
echo "ok: mailc2 hunt matches tests/e2e/expected/samples_hunt.csv"

# --- 2. mailc2 against the DuckDB oracle ------------------------------------
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: oracle part: node is not installed"
    exit 77
fi
if [ ! -d "$ROOT/node_modules/@duckdb/node-api" ]; then
    echo "SKIP: oracle part: $ROOT/node_modules/@duckdb/node-api is missing (run npm ci)"
    exit 77
fi
if ! node "$ORACLE" "$SAMPLES" >"$SCRATCH/oracle.csv" 2>"$SCRATCH/oracle.err"; then
    echo "FAIL: the oracle did not run:"
    cat "$SCRATCH/oracle.err"
    exit 1
fi
if ! diff -u "$SCRATCH/oracle.csv" "$SCRATCH/mailc2.csv" >"$SCRATCH/oracle.diff"; then
    echo "FAIL: mailc2 hunt differs from the oracle (- oracle, + mailc2):"
    cat "$SCRATCH/oracle.diff"
    echo "oracle stderr:"
    cat "$SCRATCH/oracle.err"
    exit 1
fi
echo "ok: mailc2 hunt matches the DuckDB oracle"
tail -n 1 "$SCRATCH/oracle.err"
exit 0
