# lib.sh - sourced by the oracle tests (not a test itself): the skip rule for
# a missing DuckDB, and the inputs every oracle is compared on, in order. The
# caller defines `compare NAME PATH` (which sets FAILED=1 on a difference),
# and sets ROOT, SCRATCH, SHARED_DATA and FAILED.

# Exits 77 (ctest's "skipped") when node or the DuckDB package is missing.
require_duckdb() {
    if ! command -v node >/dev/null 2>&1; then
        echo "SKIP: node is not installed"
        exit 77
    fi
    if [ ! -d "$ROOT/node_modules/@duckdb/node-api" ]; then
        echo "SKIP: $ROOT/node_modules/@duckdb/node-api is missing (run npm ci in $ROOT)"
        exit 77
    fi
}

# rows_of NAME: the row count on the oracle's summary line (a quoted field
# may hold a newline, so counting CSV lines would not do).
rows_of() {
    sed -n 's/^oracle: .* \([0-9][0-9]*\) row(s)$/\1/p' "$SCRATCH/$1.oracle.err"
}

# 1. the bundled samples (the oracle must find rows there, or the
#    comparison proves little); 2. every Falcon file of ../shared/data, one
#    by one and together; 3. a generated multi-host day.
compare_falcon_inputs() {
    compare samples "$ROOT/samples/falcon"
    if [ "$(rows_of samples)" = 0 ]; then
        echo "FAIL [samples]: the oracle found no rows in the samples; the comparison proves little"
        FAILED=1
    fi
    if [ -d "$SHARED_DATA" ]; then
        n=0
        find "$SHARED_DATA" -type f ! -name '.*' | LC_ALL=C sort >"$SCRATCH/shared.list"
        while IFS= read -r f; do
            n=$((n + 1))
            echo "shared-$n = $f"
            compare "shared-$n" "$f"
        done <"$SCRATCH/shared.list"
        if [ "$n" -eq 0 ]; then
            echo "note: $SHARED_DATA holds no files"
        else
            compare shared-all "$SHARED_DATA"
        fi
    else
        echo "SKIP part 2: $SHARED_DATA is absent (shared data is not beside this checkout)"
    fi
    if command -v python3 >/dev/null 2>&1; then
        if python3 "$ROOT/tools/gen_falcon.py" --bench 50000 "$SCRATCH/day.ndjson" \
                2>"$SCRATCH/gen.err"; then
            compare bench-day "$SCRATCH/day.ndjson"
        else
            echo "FAIL [bench-day]: tools/gen_falcon.py failed:"
            cat "$SCRATCH/gen.err"
            FAILED=1
        fi
    else
        echo "SKIP part 3: python3 is not installed"
    fi
}
