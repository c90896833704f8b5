#!/bin/sh
# test_oracle_shared.sh - mailc2's hunt on the real Falcon FDR sample in
# ../shared/data/falcon, compared with the independent DuckDB oracle.
# That sample has no connection to a mail port, so both must print just the
# CSV header, and mailc2 must exit 0 (ran, found nothing).
# Usage: sh test_oracle_shared.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no shared data, no node or no npm ci).

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
DATA=$ROOT/../shared/data/falcon
ORACLE=$ROOT/tests/oracle/hunt_oracle.mjs
HEADER='host,src_ip,process,user,dst_ip,dst_port,protocol,count,first_seen,last_seen,bytes_out,command_line,lacks,bytes_in,not_mail,duration_ms'

if [ ! -d "$DATA" ]; then
    echo "SKIP: $DATA is absent (shared data is not beside this checkout)"
    exit 77
fi
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: node is not installed"
    exit 77
fi
if [ ! -d "$ROOT/node_modules/@duckdb/node-api" ]; then
    echo "SKIP: $ROOT/node_modules/@duckdb/node-api is missing (run npm ci)"
    exit 77
fi
mkdir -p "$SCRATCH" || exit 1

if ! node "$ORACLE" "$DATA" >"$SCRATCH/oracle.csv" 2>"$SCRATCH/oracle.err"; then
    echo "FAIL: the oracle did not run:"
    cat "$SCRATCH/oracle.err"
    exit 1
fi
# The oracle must agree that the data has no mail-port connection at all.
printf '%s\n' "$HEADER" >"$SCRATCH/header.csv"
if ! diff -u "$SCRATCH/header.csv" "$SCRATCH/oracle.csv" >"$SCRATCH/oracle.diff"; then
    echo "FAIL: the oracle found rows in the shared data, want just the header:"
    cat "$SCRATCH/oracle.diff"
    exit 1
fi
if ! grep -q ' 0 connections to mail ports' "$SCRATCH/oracle.err"; then
    echo "FAIL: the oracle counts connections to mail ports in the shared data, want 0:"
    cat "$SCRATCH/oracle.err"
    exit 1
fi

"$MAILC2" hunt --sort count --now latest --format csv "$DATA" \
    >"$SCRATCH/mailc2.csv" 2>"$SCRATCH/mailc2.err"
rc=$?
python3 "$ROOT/tests/e2e/seed_columns.py" "$SCRATCH/mailc2.csv" # the detection's columns
if [ "$rc" -ne 0 ]; then
    echo "FAIL: mailc2 hunt exited $rc, want 0 (nothing found); its stderr:"
    cat "$SCRATCH/mailc2.err"
    exit 1
fi
if ! diff -u "$SCRATCH/oracle.csv" "$SCRATCH/mailc2.csv" >"$SCRATCH/mailc2.diff"; then
    echo "FAIL: mailc2 hunt differs from the oracle (- oracle, + mailc2):"
    cat "$SCRATCH/mailc2.diff"
    echo "mailc2 stderr:"
    cat "$SCRATCH/mailc2.err"
    exit 1
fi
# The JSON-lines run must be clean (no output rows, no bad records) and read
# exactly the events the oracle read (every line parsed: --no-prefilter),
# anchored at the same newest event.
"$MAILC2" hunt --no-prefilter --now latest --format jsonl "$DATA" >"$SCRATCH/mailc2.jsonl" 2>"$SCRATCH/mailc2.err"
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: jsonl run exited $rc"; cat "$SCRATCH/mailc2.err"; exit 1; }
[ ! -s "$SCRATCH/mailc2.jsonl" ] || { echo "FAIL: jsonl run printed rows"; exit 1; }
events=$(sed -n 's/.* \([0-9]*\) events read.*/\1/p' "$SCRATCH/oracle.err")
bad=$(sed -n 's/.* \([0-9]*\) malformed line.*/\1/p' "$SCRATCH/oracle.err")
now=$(sed -n 's/.*now=\([^,]*\),.*/\1/p' "$SCRATCH/oracle.err")
if ! grep -q "mailc2: 1 files, $events events, $bad bad records, 0 findings" "$SCRATCH/mailc2.err"; then
    echo "FAIL: mailc2's counts differ from the oracle's ($events events, $bad malformed):"
    cat "$SCRATCH/mailc2.err" "$SCRATCH/oracle.err"
    exit 1
fi
grep -q "to $now, latest event" "$SCRATCH/mailc2.err" || {
    echo "FAIL: mailc2's newest event differs from the oracle's ($now)"; cat "$SCRATCH/mailc2.err"; exit 1; }
echo "ok: mailc2 hunt and the oracle agree on $DATA (header only; $events events, $bad bad, now $now)"
tail -n 1 "$SCRATCH/oracle.err"
exit 0
