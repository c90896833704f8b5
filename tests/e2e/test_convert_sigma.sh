#!/bin/sh
# test_convert_sigma.sh - Sigma written by `mailc2 convert --to sigma`
# (issue 12), read back by the Sigma front end:
#   1. the seed Sigma rule converted to Sigma compiles to the same plan
#      (`mailc2 explain` of both is identical), and so do its two detection
#      rules alone (an event list, whose `rule` column names each rule);
#   2. the built-in hunt converted to Sigma and run with `run --lang sigma`
#      finds what `mailc2 hunt` finds, on the Falcon samples, the Sysmon
#      sample, a generated Falcon day and a generated raw FDR bundle (whose
#      processes, users and hosts come from the context join). The two print different columns
#      (host, process... against Computer, Image...), so each side is
#      reduced by finding_keys.py to host, process, user, destination
#      address, port and count, sorted, and the two lists must be equal.
#      Hunt groups without a host, process or user (its `lacks` column) are
#      left out first: a Sigma correlation does not count an event that
#      lacks a group-by field (sigma.md §5), which the run reports.
#
# Usage: sh test_convert_sigma.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skipped (no python3).
if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
mkdir -p "$SCRATCH" || exit 1
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
FAILED=0

# --- 1. the seed, through Sigma and back ------------------------------------
SEED=$ROOT/tests/e2e/data/seeds/t1071_003.sigma.yml
if "$MAILC2" convert "$SEED" --to sigma >"$SCRATCH/seed.yml" &&
    "$MAILC2" explain "$SEED" >"$SCRATCH/seed.plan" 2>/dev/null &&
    "$MAILC2" explain --lang sigma "$SCRATCH/seed.yml" >"$SCRATCH/back.plan" 2>/dev/null &&
    diff "$SCRATCH/seed.plan" "$SCRATCH/back.plan"; then
    echo "ok   seed -> sigma -> same plan"
else
    echo "FAIL: the seed converted to Sigma does not compile to the seed's plan"
    FAILED=1
fi

python3 -c 'import sys; d = open(sys.argv[1]).read().split("\n---\n"); open(sys.argv[2], "w").write("\n---\n".join(d[1:]))' \
    "$SEED" "$SCRATCH/detections.yml"
if "$MAILC2" convert "$SCRATCH/detections.yml" --lang sigma --to sigma >"$SCRATCH/det.yml" &&
    "$MAILC2" explain --lang sigma "$SCRATCH/detections.yml" >"$SCRATCH/det.plan" 2>/dev/null &&
    "$MAILC2" explain --lang sigma "$SCRATCH/det.yml" >"$SCRATCH/det.back.plan" 2>/dev/null &&
    diff "$SCRATCH/det.plan" "$SCRATCH/det.back.plan" >/dev/null; then
    echo "ok   the seed's detection rules -> sigma -> same plan"
else
    echo "FAIL: the seed's detection rules converted to Sigma give another plan"
    FAILED=1
fi

# --- 2. the built-in hunt as Sigma, run against the hunt ---------------------
"$MAILC2" convert builtin --to sigma >"$SCRATCH/builtin.yml" ||
    { echo "FAIL: convert builtin --to sigma"; exit 1; }

# same NAME INPUT: hunt and the converted rule give the same keyed rows.
same() {
    "$MAILC2" hunt --now latest --format csv "$2" >"$SCRATCH/$1.hunt.csv" 2>/dev/null
    "$MAILC2" run --lang sigma "$SCRATCH/builtin.yml" --now latest --format csv "$2" \
        >"$SCRATCH/$1.sigma.csv" 2>"$SCRATCH/$1.sigma.err"
    python3 "$ROOT/tests/e2e/finding_keys.py" "$SCRATCH/$1.hunt.csv" >"$SCRATCH/$1.hunt.keys" &&
        python3 "$ROOT/tests/e2e/finding_keys.py" "$SCRATCH/$1.sigma.csv" >"$SCRATCH/$1.sigma.keys" ||
        { echo "FAIL [$1]: could not read the findings"; FAILED=1; return; }
    n=$(wc -l <"$SCRATCH/$1.hunt.keys")
    if [ "$n" -eq 0 ]; then
        echo "FAIL [$1]: the hunt found nothing; the comparison proves little"
        FAILED=1
    elif diff "$SCRATCH/$1.hunt.keys" "$SCRATCH/$1.sigma.keys"; then
        echo "ok   [$1] hunt and its Sigma find the same $n groups"
    else
        echo "FAIL [$1]: hunt (<) and its Sigma (>) differ"
        FAILED=1
    fi
}
same falcon "$ROOT/samples/falcon"
same sysmon "$ROOT/samples/sysmon"
if python3 "$ROOT/tools/gen_falcon.py" --bench 20000 "$SCRATCH/day.ndjson" 2>"$SCRATCH/gen.err"; then
    same day "$SCRATCH/day.ndjson"
else
    echo "FAIL: tools/gen_falcon.py failed:"
    cat "$SCRATCH/gen.err"
    FAILED=1
fi
rm -rf "$SCRATCH/fdr"
if python3 "$ROOT/tools/gen_falcon.py" --fdr 5000 "$SCRATCH/fdr" >/dev/null 2>"$SCRATCH/gen.err"; then
    same fdr "$SCRATCH/fdr/raw"
else
    echo "FAIL: tools/gen_falcon.py --fdr failed:"
    cat "$SCRATCH/gen.err"
    FAILED=1
fi
exit $FAILED
