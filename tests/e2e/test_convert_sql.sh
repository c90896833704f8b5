#!/bin/sh
# test_convert_sql.sh - `mailc2 convert --to sql:*` checked on real engines:
# the SQL emitted for each seed form (the AQL seed, the LogScale seed, the
# Sigma seed) must give the same rows in DuckDB, PostgreSQL 15 and a
# two-shard ClickHouse 18.16 cluster as `mailc2 run` gives on the same events.
#
# The events are tests/engines/events.py's Falcon JSON lines (case variants
# of image names, missing fields, ports as text and as numbers, loopback,
# private and external destinations, inbound events, events outside the
# window, groups of 0 to 4 events around the threshold). Each engine's table
# is derived from the same file (events.py table: what each language's field
# names read on Falcon input). The expected rows are the engines' own
# answers; mailc2's are compared with them, sorted and normalised (times as
# epoch milliseconds, numbers as numbers, NULL as empty).
#
# Each engine is started here, on 127.0.0.1 in a temporary directory, and
# stopped on exit; one whose package is missing is skipped with the reason.
#
# Usage: sh test_convert_sql.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no engine at all, or no python3).

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
EVENTS_PY=$ROOT/tests/engines/events.py
NOW=2026-01-01T00:00:00Z
PG_BIN=/usr/lib/postgresql/15/bin
SEEDS="aql:$ROOT/tests/e2e/data/seeds/t1071_003.aql
logscale:$ROOT/tests/e2e/data/seeds/t1071_003.logscale
sigma:$ROOT/tests/e2e/data/seeds/t1071_003.sigma.yml"

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH" || exit 1
TMP=$(mktemp -d) || exit 1
chmod 755 "$TMP"
PG_UP=
CH_PIDS=
cleanup() {
    [ -n "$PG_UP" ] && as_pg "$PG_BIN/pg_ctl" -D "$TMP/pg/data" -m immediate -w stop >/dev/null 2>&1
    for pid in $CH_PIDS; do
        kill "$pid" 2>/dev/null
    done
    for pid in $CH_PIDS; do # bounded: a server that ignores TERM for 10 s is killed
        n=0
        while kill -0 "$pid" 2>/dev/null && [ $n -lt 20 ]; do sleep 0.5; n=$((n + 1)); done
        kill -9 "$pid" 2>/dev/null
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

FAILED=0
RAN=0
fail() { echo "FAIL: $*"; FAILED=1; }

# A free TCP port on 127.0.0.1, from the kernel.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

python3 "$EVENTS_PY" gen "$SCRATCH/events.ndjson" || exit 1
for pair in $SEEDS; do
    lang=${pair%%:*}
    rule=${pair#*:}
    python3 "$EVENTS_PY" table "$lang" "$SCRATCH/events.ndjson" >"$SCRATCH/$lang.jsonl" || exit 1
    "$MAILC2" run --now "$NOW" --no-enrich --quiet --format csv "$rule" "$SCRATCH/events.ndjson" \
        >"$SCRATCH/$lang.mailc2.csv"
    python3 "$EVENTS_PY" norm csv "$SCRATCH/$lang.mailc2.csv" >"$SCRATCH/$lang.mailc2.rows"
    if [ ! -s "$SCRATCH/$lang.mailc2.rows" ]; then
        fail "[$lang] mailc2 found no rows: the comparison would prove little"
    fi
done

# check ENGINE LANG FORMAT OUTPUT: the engine's rows against mailc2's.
check() {
    python3 "$EVENTS_PY" norm "$3" "$4" >"$4.rows" || { fail "[$1 $2] unreadable result"; return; }
    if diff "$SCRATCH/$2.mailc2.rows" "$4.rows" >"$4.diff"; then
        echo "ok   [$1 $2] $(wc -l <"$4.rows") rows"
    else
        fail "[$1 $2] rows differ (< mailc2, > $1):"
        cat "$4.diff"
    fi
}

# convert ENGINE LANG RULE: the SQL, or a failure.
convert() {
    "$MAILC2" convert "$3" --to "sql:$1" --now "$NOW" --table "ev_$2" >"$SCRATCH/$2.$1.sql" ||
        { fail "[$1 $2] mailc2 convert failed"; return 1; }
}

run_duckdb() {
    for pair in $SEEDS; do
        lang=${pair%%:*}
        convert duckdb "$lang" "${pair#*:}" || continue
        node "$ROOT/tests/engines/duckdb_run.mjs" "ev_$lang" "$(python3 "$EVENTS_PY" schema "$lang")" \
            "$SCRATCH/$lang.jsonl" "$SCRATCH/$lang.duckdb.sql" >"$SCRATCH/$lang.duckdb.out" ||
            { fail "[duckdb $lang] the query failed"; continue; }
        check duckdb "$lang" jsonl "$SCRATCH/$lang.duckdb.out"
    done
}

# PostgreSQL refuses to run as root: as nobody then, in a directory it owns.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

run_postgres() {
    mkdir -p "$TMP/pg" && [ "$(id -u)" = 0 ] && chown nobody "$TMP/pg"
    as_pg "$PG_BIN/initdb" -D "$TMP/pg/data" -A trust -U postgres --no-locale -E UTF8 \
        >"$SCRATCH/initdb.log" 2>&1 || { fail "initdb (see $SCRATCH/initdb.log)"; return; }
    port=$(free_port)
    as_pg "$PG_BIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w -t 30 \
        -o "-k $TMP/pg -p $port -c listen_addresses=127.0.0.1" start >/dev/null ||
        { fail "PostgreSQL did not start"; cat "$TMP/pg/log"; return; }
    PG_UP=1
    psql_() { psql -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1 "$@"; }
    for pair in $SEEDS; do
        lang=${pair%%:*}
        python3 "$EVENTS_PY" pg "$lang" "ev_$lang" "$SCRATCH/$lang.jsonl" | psql_ >/dev/null ||
            { fail "[postgres $lang] loading the table failed"; continue; }
        convert postgres "$lang" "${pair#*:}" || continue
        psql_ --csv -f "$SCRATCH/$lang.postgres.sql" >"$SCRATCH/$lang.postgres.out" ||
            { fail "[postgres $lang] the query failed"; continue; }
        check postgres "$lang" csv "$SCRATCH/$lang.postgres.out"
    done
}

# One ClickHouse server: its own config and users in $TMP/chN.
ch_start() {
    d=$TMP/ch$1
    mkdir -p "$d"
    sed -e "s|@DIR@|$d|g" -e "s|@TCP@|$2|" -e "s|@HTTP@|$3|" -e "s|@SHARD1@|$CH_TCP1|" \
        -e "s|@SHARD2@|$CH_TCP2|" "$ROOT/tests/engines/clickhouse.xml" >"$d/config.xml"
    cp "$ROOT/tests/engines/clickhouse-users.xml" "$d/users.xml"
    clickhouse-server --config-file="$d/config.xml" >"$d/stdout" 2>&1 &
    CH_PIDS="$CH_PIDS $!"
}

# Waits at most 30 s for a server to answer.
ch_ready() {
    n=0
    until clickhouse-client --port "$1" -q 'SELECT 1' >/dev/null 2>&1; do
        n=$((n + 1))
        [ $n -ge 60 ] && return 1
        sleep 0.5
    done
}

run_clickhouse() {
    CH_TCP1=$(free_port) CH_TCP2=$(free_port)
    ch_start 1 "$CH_TCP1" "$(free_port)"
    ch_start 2 "$CH_TCP2" "$(free_port)"
    for p in "$CH_TCP1" "$CH_TCP2"; do
        ch_ready "$p" || { fail "ClickHouse on port $p did not start"; cat "$TMP"/ch*/error.log; return; }
    done
    ch() { clickhouse-client --port "$CH_TCP1" "$@"; }
    for pair in $SEEDS; do
        lang=${pair%%:*}
        cols=$(python3 "$EVENTS_PY" ch "$lang")
        for p in "$CH_TCP1" "$CH_TCP2"; do
            clickhouse-client --port "$p" -q "CREATE TABLE ev_${lang}_local ($cols) ENGINE = MergeTree() ORDER BY _row" ||
                { fail "[clickhouse $lang] CREATE TABLE"; continue 2; }
        done
        ch -q "CREATE TABLE ev_$lang AS ev_${lang}_local ENGINE = Distributed(two, default, ev_${lang}_local, _row)"
        ch --insert_distributed_sync=1 -q "INSERT INTO ev_$lang FORMAT JSONEachRow" <"$SCRATCH/$lang.jsonl" ||
            { fail "[clickhouse $lang] INSERT through the Distributed table"; continue; }
        for p in "$CH_TCP1" "$CH_TCP2"; do
            rows=$(clickhouse-client --port "$p" -q "SELECT count() FROM ev_${lang}_local")
            [ "${rows:-0}" -gt 0 ] || fail "[clickhouse $lang] the shard on port $p holds no rows"
        done
        convert clickhouse "$lang" "${pair#*:}" || continue
        { cat "$SCRATCH/$lang.clickhouse.sql"; echo "FORMAT JSONCompact"; } |
            ch --multiquery >"$SCRATCH/$lang.clickhouse.out" ||
            { fail "[clickhouse $lang] the query failed"; continue; }
        check clickhouse "$lang" jsoncompact "$SCRATCH/$lang.clickhouse.out"
    done
}

if ! command -v node >/dev/null 2>&1; then
    echo "SKIP duckdb: node is not installed"
elif [ ! -d "$ROOT/node_modules/@duckdb/node-api" ]; then
    echo "SKIP duckdb: $ROOT/node_modules/@duckdb/node-api is missing (npm ci in $ROOT)"
else
    RAN=$((RAN + 1))
    run_duckdb
fi
if [ ! -x "$PG_BIN/initdb" ] || ! command -v psql >/dev/null 2>&1; then
    echo "SKIP postgres: $PG_BIN/initdb or psql is missing (apt-get install postgresql-15)"
else
    RAN=$((RAN + 1))
    run_postgres
fi
if ! command -v clickhouse-server >/dev/null 2>&1 || ! command -v clickhouse-client >/dev/null 2>&1; then
    echo "SKIP clickhouse: clickhouse-server or clickhouse-client is missing (apt-get install clickhouse-server clickhouse-client)"
else
    RAN=$((RAN + 1))
    run_clickhouse
fi
[ "$RAN" -eq 0 ] && { echo "SKIP: no SQL engine is installed"; exit 77; }
[ "$FAILED" -eq 0 ] && echo "PASS: $RAN engine(s)"
exit "$FAILED"
