#!/bin/sh
# test_logscale_oracle.sh - `mailc2 run --format csv` on the LogScale seed
# (t1071_003.logscale) compared with an independent DuckDB oracle,
# tests/oracle/logscale_oracle.mjs + logscale_seed.sql, written by hand from
# ../shared/docs/logscale.md and sharing no code with mailc2.
#
# Inputs compared (the CSV must be byte-identical, and mailc2 must exit 1 when
# it prints rows, 0 when it prints none):
#   1. PROJECT_ROOT/samples/falcon
#   2. every file under PROJECT_ROOT/../shared/data/falcon, one by one and all
#      together (skipped, with a message, when that directory is absent)
#   3. a generated multi-host day, tools/gen_falcon.py --bench 50000
#      (skipped, with a message, when python3 is absent)
#   4. an edge-case fixture embedded below (logscale.md §2, §3, §5, §6 cases)
#   5. a generated fixture of 110 qualifying groups (sort limit=100)
# The events read and bad records mailc2 reports must also equal the
# oracle's counts.
#
# The query is the project's copy, tests/e2e/data/seeds/t1071_003.logscale, so a
# fresh clone (without ../shared) can run the test; test_seeds.sh checks the
# copy against ../shared/seeds when it is there.
#
# Usage: sh test_logscale_oracle.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no node, or no node_modules/@duckdb/node-api).

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
ORACLE=$ROOT/tests/oracle/logscale_oracle.mjs
SHARED_DATA=$ROOT/../shared/data/falcon

. "$ROOT/tests/e2e/lib.sh"
require_duckdb
mkdir -p "$SCRATCH" || exit 1
SEED=$ROOT/tests/e2e/data/seeds/t1071_003.logscale

# The seed, verbatim: tests/e2e/data/seeds/ (test_seeds.sh checks it against ../shared).

FAILED=0

# compare NAME PATH...: run the oracle and mailc2 on PATH..., diff the CSVs,
# check mailc2's exit status and its event / bad-record counts.
compare() {
    name=$1
    shift
    o_csv=$SCRATCH/$name.oracle.csv
    o_err=$SCRATCH/$name.oracle.err
    m_csv=$SCRATCH/$name.mailc2.csv
    m_err=$SCRATCH/$name.mailc2.err
    if ! node "$ORACLE" "$@" >"$o_csv" 2>"$o_err"; then
        echo "FAIL [$name]: the oracle did not run:"
        cat "$o_err"
        FAILED=1
        return 1
    fi
    # Rows with the prefilter (the default) and without it must both be the
    # oracle's; events and bad records are compared on the run that parses
    # every line (--no-prefilter), as the oracle does.
    "$MAILC2" run --no-prefilter --format csv "$SEED" "$@" >"$m_csv.all" 2>"$m_err.all"
    "$MAILC2" run --format csv "$SEED" "$@" >"$m_csv" 2>"$m_err"
    rc=$?
    # Rows from the oracle's summary (a quoted field may hold a newline, so
    # counting CSV lines would not do).
    rows=$(sed -n 's/^oracle: .* \([0-9][0-9]*\) row(s)$/\1/p' "$o_err")
    if [ -z "$rows" ]; then
        echo "FAIL [$name]: no summary line in the oracle's stderr:"
        cat "$o_err"
        FAILED=1
        return 1
    fi
    if [ "$rows" -gt 0 ]; then want_rc=1; else want_rc=0; fi
    ok=1
    if [ "$rc" -ne "$want_rc" ]; then
        echo "FAIL [$name]: mailc2 exited $rc, want $want_rc (the oracle has $rows row(s)); its stderr:"
        cat "$m_err"
        ok=0
    fi
    if ! cmp -s "$m_csv" "$m_csv.all"; then
        echo "FAIL [$name]: the rows differ with and without the prefilter:"
        diff -u "$m_csv.all" "$m_csv"
        ok=0
    fi
    if ! diff -u "$o_csv" "$m_csv" >"$SCRATCH/$name.diff"; then
        echo "FAIL [$name]: mailc2's CSV differs from the oracle's (- oracle, + mailc2):"
        cat "$SCRATCH/$name.diff"
        echo "oracle stderr (last line):"
        tail -n 1 "$o_err"
        echo "mailc2 stderr:"
        cat "$m_err"
        ok=0
    fi
    # Counts: "oracle: F file(s), E events read, B malformed ..." and
    # "mailc2: F files, E events, B bad records, ...".
    o_ev=$(sed -n 's/^oracle: .* \([0-9][0-9]*\) events read, \([0-9][0-9]*\) malformed.*/\1 \2/p' "$o_err")
    m_ev=$(sed -n 's/^mailc2: .* \([0-9][0-9]*\) events, \([0-9][0-9]*\) bad records.*/\1 \2/p' "$m_err.all" | tail -n 1)
    if [ -z "$m_ev" ]; then
        echo "note [$name]: mailc2's summary line was not found; event counts not compared"
    elif [ "$o_ev" != "$m_ev" ]; then
        echo "FAIL [$name]: events/bad records: oracle '$o_ev', mailc2 '$m_ev'"
        ok=0
    fi
    if [ "$ok" -eq 1 ]; then
        echo "ok [$name]: mailc2 matches the oracle ($rows row(s), exit $rc; events/bad $o_ev)"
        return 0
    fi
    FAILED=1
    return 1
}

# --- 1-3. the samples, the shared Falcon data, a generated day (lib.sh) ----
compare_falcon_inputs

# --- 4. edge cases ----------------------------------------------------------
# Groups (3 events each unless said): H1 = RemotePort and ContextTimeStamp as
# JSON numbers (text kept: 1795392005.000), numeric min/max (999.5 < 1000),
# "abc" ignored, JSON with spaces; near misses that must not join H1: JSON
# 25.0, "025", " 25", networkconnectip4, NetworkConnectIP6, no
# event_simpleName, no RemotePort; a blank line and 2 malformed lines.
# H2 = Falcon Protocol 6 and 17 merge, no numeric ContextTimeStamp -> empty
# FirstSeen/LastSeen. R = the !regex: outlook/eM Client/evilchrome/FIREFOX,
# `$` at a line end, are dropped; chrome.exe.bak, chromeXexe, eM<LF>Client.exe,
# "firefox.exe ", chrome.exe<CR>, MailClient.exe.exe, msedge_exe are kept;
# a missing ImageFileName is kept by !regex and dropped by groupBy. Keys:
# WS-1/ws-1/B/a/Z/z/é distinct, byte order; E = empty UserName is grouped;
# M, C, I lack UserName, ComputerName, RemoteAddressIP4 -> not grouped.
# P, Q, S = numbers: negatives, 0x10 and 12,5 are not numbers, 10.0001 vs
# 10.00009. T2 = count 2 is not > 2; T5 = four ports with count 5 (ties
# ordered by RemotePort as text: 143 < 25 < 465 < 993).
cat >"$SCRATCH/edge.ndjson" <<'FIXTURE_EOF'
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":25,"UserName":"u","ContextTimeStamp":1795392005.000,"ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"999.5","ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"1000","ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"abc","ImageFileName":"/bin/a"}
{ "event_simpleName" : "NetworkConnectIP4" , "ComputerName" : "H1", "RemoteAddressIP4":"10.9.9.9", "RemotePort" : 25 , "UserName":"u", "ContextTimeStamp" : 1795392004.90 , "ImageFileName" : "/bin/a" }
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":25.0,"UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"025","UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":" 25","UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}
{"event_simpleName":"networkconnectip4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP6","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}
{"ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","RemoteAddressIP4":"10.9.9.9","UserName":"u","ContextTimeStamp":"1","ImageFileName":"/bin/a"}

not json at all
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H1","ImageFileName":"\bin\a","RemotePort":"25"
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H2","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"x","ImageFileName":"x","Protocol":"6"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H2","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ImageFileName":"x","Protocol":"17"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"H2","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"","ImageFileName":"x"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"C:\\tmp\\OUTLOOK.EXE"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"C:\\tmp\\OUTLOOK.EXE"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"C:\\tmp\\OUTLOOK.EXE"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"eM Client.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"eM Client.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"eM Client.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"evilchrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"evilchrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"evilchrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe.bak"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe.bak"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe.bak"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"foo.exe\nchrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"foo.exe\nchrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"foo.exe\nchrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe\nfoo"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe\nfoo"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe\nfoo"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chromeXexe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chromeXexe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chromeXexe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"eM\nClient.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"eM\nClient.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"eM\nClient.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"Thunderbird.Exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"Thunderbird.Exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"Thunderbird.Exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"a,b\"c.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"a,b\"c.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"a,b\"c.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"firefox.exe "}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"firefox.exe "}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"firefox.exe "}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe\r"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe\r"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"chrome.exe\r"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"\\Device\\HarddiskVolume3\\Program Files\\Mozilla Firefox\\FIREFOX.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"\\Device\\HarddiskVolume3\\Program Files\\Mozilla Firefox\\FIREFOX.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"\\Device\\HarddiskVolume3\\Program Files\\Mozilla Firefox\\FIREFOX.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"MailClient.exe.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"MailClient.exe.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"MailClient.exe.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"msedge_exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"msedge_exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"msedge_exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"R","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"WS-1","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"WS-1","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"WS-1","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"ws-1","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"ws-1","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"ws-1","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"B","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"B","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"B","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"a","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"a","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"a","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"é","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"é","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"é","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"z","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"z","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"z","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"Z","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"Z","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"Z","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"E","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"E","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"E","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"M","RemoteAddressIP4":"10.9.9.9","RemotePort":"110","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"M","RemoteAddressIP4":"10.9.9.9","RemotePort":"110","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"M","RemoteAddressIP4":"10.9.9.9","RemotePort":"110","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","RemoteAddressIP4":"10.9.9.9","RemotePort":"995","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","RemoteAddressIP4":"10.9.9.9","RemotePort":"995","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","RemoteAddressIP4":"10.9.9.9","RemotePort":"995","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"I","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"I","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"I","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p.exe"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"P","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"-1.5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"P","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"-1.25","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"P","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"2","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"Q","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"12.5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"Q","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"0x10","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"Q","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"12,5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"S","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"9.99","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"S","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"10.0001","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"S","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"10.00009","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T2","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T2","RemoteAddressIP4":"10.9.9.9","RemotePort":"587","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"993","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"143","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"465","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"465","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"465","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"465","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"465","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
{"event_simpleName":"NetworkConnectIP4","ComputerName":"T5","RemoteAddressIP4":"10.9.9.9","RemotePort":"25","UserName":"u","ContextTimeStamp":"5","ImageFileName":"p"}
FIXTURE_EOF
compare edge "$SCRATCH/edge.ndjson"

# --- 5. more than 100 groups: sort(limit=100) -------------------------------
# 110 groups L000..L109 on port 143; odd ones have 4 events, even ones 3.
i=0
: >"$SCRATCH/limit.ndjson"
while [ "$i" -lt 110 ]; do
    h=$(printf 'L%03d' "$i")
    k=0
    while [ "$k" -lt $((3 + i % 2)) ]; do
        printf '{"event_simpleName":"NetworkConnectIP4","ComputerName":"%s","ImageFileName":"/usr/bin/fetchmail","RemoteAddressIP4":"192.0.2.%d","RemotePort":"143","UserName":"svc","ContextTimeStamp":"17953920%02d.5"}\n' \
            "$h" $((i % 7)) "$k" >>"$SCRATCH/limit.ndjson"
        k=$((k + 1))
    done
    i=$((i + 1))
done
compare limit "$SCRATCH/limit.ndjson"
if [ "$(($(wc -l <"$SCRATCH/limit.oracle.csv")))" -ne 101 ]; then
    echo "FAIL [limit]: the oracle printed $(($(wc -l <"$SCRATCH/limit.oracle.csv") - 1)) rows, want 100"
    FAILED=1
fi

if [ "$FAILED" -ne 0 ]; then
    echo "FAIL: mailc2 and the LogScale oracle disagree (see above)"
    exit 1
fi
echo "ok: mailc2 run t1071_003.logscale matches the DuckDB oracle on every input"
exit 0
