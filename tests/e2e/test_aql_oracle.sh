#!/bin/sh
# test_aql_oracle.sh - `mailc2 run --now latest --format csv` on the QRadar AQL
# seed (t1071_003.aql) compared with an independent DuckDB oracle,
# tests/oracle/aql_oracle.mjs + aql_seed.sql, written by hand from
# ../shared/docs/aql.md (§2, §3, §5, §6) and fields.md (§2, §3, §5), sharing
# no code with mailc2.
#
# For every input the oracle's CSV and mailc2's must be byte-identical, mailc2
# must exit 1 when there are rows and 0 when there are none, the number of
# loopback connections mailc2 says the direction filter removed ("mailc2: N
# loopback connections ...", 0 when it prints no such line) must equal the
# oracle's, and the events read / bad records must agree.
#
# Inputs:
#   1. PROJECT_ROOT/samples/falcon (the oracle must find rows there)
#   2. PROJECT_ROOT/../shared/data/falcon, each file and all together
#      (skipped, with a message, when absent)
#   3. a generated multi-host day, tools/gen_falcon.py --bench 50000
#      (skipped, with a message, when python3 is absent)
#   4. PROJECT_ROOT/samples/qradar: the QRadar CSV / JSON / LEEF samples,
#      each file and the three together (skipped, with a message, when the
#      directory or mailc2's QRadar decoders are absent)
#   5. an embedded Falcon fixture of edge cases the docs decide
#   6. an embedded Falcon fixture of IP-address semantics (aql.md §3 "IP
#      columns compare as addresses", fields.md §5 #7)
#
# The query is the project's copy, tests/e2e/data/seeds/t1071_003.aql, so a
# fresh clone (without ../shared) can run the test; test_seeds.sh checks the
# copy against ../shared/seeds when it is there.
#
# Usage: sh test_aql_oracle.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no node, or no node_modules/@duckdb/node-api).

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
ORACLE=$ROOT/tests/oracle/aql_oracle.mjs
SHARED_DATA=$ROOT/../shared/data/falcon
QRADAR=$ROOT/samples/qradar

. "$ROOT/tests/e2e/lib.sh"
require_duckdb
mkdir -p "$SCRATCH" || exit 1
SEED=$ROOT/tests/e2e/data/seeds/t1071_003.aql

# The seed, verbatim: tests/e2e/data/seeds/ (test_seeds.sh checks it against ../shared).

FAILED=0


# compare NAME PATH...: run the oracle and mailc2 on PATH..., compare the CSV,
# mailc2's exit status, the loopback count and the event / bad-record counts.
# mailc2 runs twice: as a user would (its prefilter skips lines that are no
# connection, or connect to another port, where the notes are FALSE), and
# with --no-prefilter, which parses every line and so counts what the
# oracle counts. Both give the same CSV and the same notes.
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
    "$MAILC2" run --now latest --format csv "$SEED" "$@" >"$m_csv" 2>"$m_err"
    rc=$?
    "$MAILC2" run --now latest --format csv --no-prefilter "$SEED" "$@" >"$m_csv.all" 2>"$m_err.all" 
    rows=$(rows_of "$name")
    if [ -z "$rows" ]; then
        echo "FAIL [$name]: no summary line in the oracle's stderr:"
        cat "$o_err"
        FAILED=1
        return 1
    fi
    if [ "$rows" -gt 0 ]; then want_rc=1; else want_rc=0; fi
    ok=1
    if [ "$rc" -ne "$want_rc" ]; then
        echo "FAIL [$name]: mailc2 exited $rc, want $want_rc (the oracle has $rows row(s))"
        ok=0
    fi
    if ! diff -u "$o_csv" "$m_csv" >"$SCRATCH/$name.diff"; then
        echo "FAIL [$name]: mailc2's CSV differs from the oracle's (- oracle, + mailc2):"
        cat "$SCRATCH/$name.diff"
        ok=0
    fi
    if ! cmp -s "$m_csv" "$m_csv.all"; then
        echo "FAIL [$name]: --no-prefilter changed the CSV"
        ok=0
    fi
    # The query's notes (the join's report may differ: the events that
    # need the join may all be among the skipped lines).
    for f in "$m_err" "$m_err.all"; do
        LC_ALL=C grep '^mailc2: .*\(had no value for\|loopback connections\)' "$f" >"$f.notes"
    done
    if ! diff -u "$m_err.all.notes" "$m_err.notes"; then
        echo "FAIL [$name]: the prefilter changed the notes (- every line parsed, + prefiltered)"
        ok=0
    fi
    # "oracle: ... N loopback connection(s) removed ..." vs
    # "mailc2: N loopback connections ..." (absent = 0).
    o_lo=$(sed -n 's/^oracle: .* \([0-9][0-9]*\) loopback connection(s) .*/\1/p' "$o_err")
    m_lo=$(LC_ALL=C sed -n 's/^mailc2: \([0-9][0-9]*\) loopback connections .*/\1/p' "$m_err" | tail -n 1)
    [ -n "$m_lo" ] || m_lo=0
    if [ "$o_lo" != "$m_lo" ]; then
        echo "FAIL [$name]: loopback connections removed by the direction filter: oracle $o_lo, mailc2 $m_lo"
        ok=0
    fi
    # "oracle: F file(s), E events read, B malformed ..." vs
    # "mailc2: F files, E events, B bad records, ...".
    o_ev=$(sed -n 's/^oracle: .* \([0-9][0-9]*\) events read, \([0-9][0-9]*\) malformed.*/\1 \2/p' "$o_err")
    m_ev=$(LC_ALL=C sed -n 's/^mailc2: .* \([0-9][0-9]*\) events, \([0-9][0-9]*\) bad records.*/\1 \2/p' "$m_err.all" | tail -n 1)
    if [ -z "$m_ev" ]; then
        echo "note [$name]: mailc2's summary line was not found; event counts not compared"
    elif [ "$o_ev" != "$m_ev" ]; then
        echo "FAIL [$name]: events/bad records: oracle '$o_ev', mailc2 '$m_ev'"
        ok=0
    fi
    if [ "$ok" -eq 1 ]; then
        echo "ok [$name]: mailc2 matches the oracle ($rows row(s), exit $rc, $o_lo loopback, events/bad $o_ev)"
        return 0
    fi
    echo "  oracle stderr (last line): $(tail -n 1 "$o_err")"
    echo "  mailc2 stderr:"
    LC_ALL=C grep -v '^  ' "$m_err" | sed 's/^/    /'
    FAILED=1
    return 1
}

# --- 1-3. the samples, the shared Falcon data, a generated day (lib.sh) ----
compare_falcon_inputs

# --- 4. the QRadar samples ----------------------------------------------------
# Each file is one export of the same 30 events (samples/qradar/README.md);
# the oracle reads AQL columns natively (aql.md §5): eventdirection,
# "Process Name", "Bytes Sent" as exported, starttime in epoch ms (the CSV's
# UI time and LEEF's devTime converted, UTC), LEEF's missing eventdirection
# computed from the addresses.
"$MAILC2" formats >"$SCRATCH/formats.txt" 2>&1
if [ ! -d "$QRADAR" ]; then
    echo "SKIP part 4: $QRADAR is absent"
elif ! grep -q '^qradar-csv ' "$SCRATCH/formats.txt" ||
     ! grep -q '^qradar-json ' "$SCRATCH/formats.txt" ||
     ! grep -q '^leef ' "$SCRATCH/formats.txt"; then
    echo "SKIP part 4: mailc2 formats lists no qradar-csv / qradar-json / leef decoder"
else
    find "$QRADAR" -type f \( -name '*.csv' -o -name '*.json' -o -name '*.leef' \) |
        LC_ALL=C sort >"$SCRATCH/qradar.list"
    n=0
    while IFS= read -r f; do
        n=$((n + 1))
        echo "qradar-$n = $f"
        compare "qradar-$n" "$f"
    done <"$SCRATCH/qradar.list"
    if [ "$n" -eq 0 ]; then
        echo "SKIP part 4: $QRADAR holds no .csv, .json or .leef file"
    else
        # all exports together: every event three times
        set --
        while IFS= read -r f; do
            set -- "$@" "$f"
        done <"$SCRATCH/qradar.list"
        compare qradar-all "$@"
        if [ "$(rows_of qradar-all)" = 0 ]; then
            echo "FAIL [qradar-all]: the oracle found no rows in the QRadar samples"
            FAILED=1
        fi
    fi
fi

# --- 5. edge cases the docs decide ------------------------------------------
# NOW = the first line's ProcessRollup2 `timestamp` (2026-11-23T23:59:59.873Z),
# newer than every connection. Groups (3 events each unless said):
# - evil.exe -> 198.51.100.1:25 (aql.md §6 #3, fields.md §5 #8): RemotePort as
#   JSON number 25, "0025", "25"; ContextTimeStamp "…0.1239" (truncated to
#   .123), JSON number …1.5, absent (`timestamp` ms used); "\Device\…\evil.exe",
#   "C:/…/evil.exe", ContextBaseFileName only. Near misses that must not join:
#   RemotePort "25.0", 25.0, " 25", "", "25 ", "-25", absent.
# - win.exe: an event at exactly NOW - 86400000 is out, NOW - 86399999 is in
#   (FirstSeen 2026-11-22T23:59:59.874Z).
# - orientation (fields.md §2, §5 #1-2): NetworkReceiveAcceptIP4 with
#   ConnectionDirection "1" and without one are swapped (src := remote,
#   destinationport := LocalPort: acc.exe, acc2.exe fire); inb.exe is a real
#   inbound (R2L); NetworkConnectIP4 with ConnectionDirection "1" is swapped
#   too (cd1.exe fires); NetworkCloseIP4 "2"/"3" as logged (close2/close3
#   fire); no ConnectionDirection on NetworkConnectIP4: as logged (nocd.exe);
#   r2r.exe has a public source (R2R).
# - local networks (aql.md §5, --local-nets default): 100.64/10, 172.16/12,
#   192.168/16, 169.254/16 sources fire; 100.128.0.5, 172.32.0.1,
#   192.169.0.1, 11.0.0.1 are remote (R2R); destinations 100.127.255.255,
#   169.254.1.1, 172.16.0.1 are local (L2L); IPv6 fd00::1 and fe80::5 are
#   local, 2001:db8::7 remote, fc00::9 local (L2L).
# - NULL (aql.md §3, §6 #4, #7): no LocalAddressIP4 (direction NULL), no
#   RemotePort, no process name at all -> dropped.
# - exclusions (§6 #7-9): OUTLOOK.EXE, eM Client.exe (path), Thunderbird.exe,
#   FIREFOX.exe, MailClient.EXE, msedge.exe, Chrome.exe dropped; chrome.exe.bak,
#   "firefox.exe ", msedge, emclient.exe, "outlook.exe\" (name ''), a,b"c.exe
#   (CSV quoting) kept.
# - ordering (§3, §6 #16, #18): five.exe (5), then ports.exe (4 each, ports
#   25 < 143 < 465 < 995), then the 3s: username NULL < '' < 'B' < 'a' < 'é'
#   (nu.exe), process names Zed.exe < abc.exe < dst.exe, destinations
#   198.51.100.2 < 198.51.100.30.
# - HAVING (§6 #15): two.exe has 2 events, not reported.
# - 3 malformed lines (not JSON, truncated, an array) and a blank line.
# - loopback count: 127.0.0.1:25 (3), ::1:143 (3), an accept on 127.0.0.1
#   local port 25 (3) = 9; 127.0.0.1:8080 and events older than the window
#   do not count.
cat >"$SCRATCH/edge.ndjson" <<'FIXTURE_EOF'
{"event_simpleName":"ProcessRollup2","timestamp":"1795478399873","ImageFileName":"\\Device\\HarddiskVolume3\\Windows\\System32\\taskhostw.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470000.1239","LocalAddressIP4":"10.1.1.1","LocalPort":"50001","RemoteAddressIP4":"198.51.100.1","RemotePort":25,"UserName":"CORP\\a","ImageFileName":"\\Device\\HarddiskVolume3\\Users\\a\\evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":1795470001.5,"LocalAddressIP4":"10.1.1.1","LocalPort":"50002","RemoteAddressIP4":"198.51.100.1","RemotePort":"0025","UserName":"CORP\\a","ImageFileName":"C:/Users/a/evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","timestamp":"1795470002999","LocalAddressIP4":"10.1.1.1","LocalPort":"50003","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"CORP\\a","ContextBaseFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","RemotePort":"25.0","UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","RemotePort":25.0,"UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","RemotePort":" 25","UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","RemotePort":"","UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","RemotePort":"25 ","UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","RemotePort":"-25","UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","LocalPort":"50004","RemoteAddressIP4":"198.51.100.1","UserName":"CORP\\a","ImageFileName":"evil.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795391999.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"win.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795391999.874","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"win.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474802.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"win.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474803.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"win.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474804.873","LocalAddressIP4":"198.51.100.21","LocalPort":"993","RemoteAddressIP4":"10.2.2.3","RemotePort":"40000","UserName":"u","ImageFileName":"acc.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474805.873","LocalAddressIP4":"198.51.100.21","LocalPort":"993","RemoteAddressIP4":"10.2.2.3","RemotePort":"40000","UserName":"u","ImageFileName":"acc.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474806.873","LocalAddressIP4":"198.51.100.21","LocalPort":"993","RemoteAddressIP4":"10.2.2.3","RemotePort":"40000","UserName":"u","ImageFileName":"acc.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ContextTimeStamp":"1795474807.873","LocalAddressIP4":"198.51.100.22","LocalPort":"110","RemoteAddressIP4":"10.2.2.4","RemotePort":"40001","UserName":"u","ImageFileName":"acc2.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ContextTimeStamp":"1795474808.873","LocalAddressIP4":"198.51.100.22","LocalPort":"110","RemoteAddressIP4":"10.2.2.4","RemotePort":"40001","UserName":"u","ImageFileName":"acc2.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ContextTimeStamp":"1795474809.873","LocalAddressIP4":"198.51.100.22","LocalPort":"110","RemoteAddressIP4":"10.2.2.4","RemotePort":"40001","UserName":"u","ImageFileName":"acc2.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474810.873","LocalAddressIP4":"10.2.2.5","LocalPort":"993","RemoteAddressIP4":"198.51.100.23","RemotePort":"40002","UserName":"u","ImageFileName":"inb.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474811.873","LocalAddressIP4":"10.2.2.5","LocalPort":"993","RemoteAddressIP4":"198.51.100.23","RemotePort":"40002","UserName":"u","ImageFileName":"inb.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474812.873","LocalAddressIP4":"10.2.2.5","LocalPort":"993","RemoteAddressIP4":"198.51.100.23","RemotePort":"40002","UserName":"u","ImageFileName":"inb.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474813.873","LocalAddressIP4":"203.0.113.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"r2r.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474814.873","LocalAddressIP4":"203.0.113.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"r2r.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474815.873","LocalAddressIP4":"203.0.113.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"r2r.exe"}
{"event_simpleName":"NetworkCloseIP4","ConnectionDirection":"2","ContextTimeStamp":"1795474816.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"143","UserName":"u","ImageFileName":"close2.exe"}
{"event_simpleName":"NetworkCloseIP4","ConnectionDirection":"2","ContextTimeStamp":"1795474817.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"143","UserName":"u","ImageFileName":"close2.exe"}
{"event_simpleName":"NetworkCloseIP4","ConnectionDirection":"2","ContextTimeStamp":"1795474818.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"143","UserName":"u","ImageFileName":"close2.exe"}
{"event_simpleName":"NetworkCloseIP4","ConnectionDirection":"3","ContextTimeStamp":"1795474819.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"143","UserName":"u","ImageFileName":"close3.exe"}
{"event_simpleName":"NetworkCloseIP4","ConnectionDirection":"3","ContextTimeStamp":"1795474820.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"143","UserName":"u","ImageFileName":"close3.exe"}
{"event_simpleName":"NetworkCloseIP4","ConnectionDirection":"3","ContextTimeStamp":"1795474821.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"143","UserName":"u","ImageFileName":"close3.exe"}
{"event_simpleName":"NetworkConnectIP4","ContextTimeStamp":"1795474822.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.31","RemotePort":"465","UserName":"u","ImageFileName":"nocd.exe"}
{"event_simpleName":"NetworkConnectIP4","ContextTimeStamp":"1795474823.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.31","RemotePort":"465","UserName":"u","ImageFileName":"nocd.exe"}
{"event_simpleName":"NetworkConnectIP4","ContextTimeStamp":"1795474824.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.31","RemotePort":"465","UserName":"u","ImageFileName":"nocd.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474825.873","LocalAddressIP4":"100.64.0.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"cgnat.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474826.873","LocalAddressIP4":"100.64.0.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"cgnat.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474827.873","LocalAddressIP4":"100.64.0.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"cgnat.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474828.873","LocalAddressIP4":"100.128.0.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n100.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474829.873","LocalAddressIP4":"100.128.0.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n100.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474830.873","LocalAddressIP4":"100.128.0.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n100.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474831.873","LocalAddressIP4":"172.31.255.255","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"p172.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474832.873","LocalAddressIP4":"172.31.255.255","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"p172.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474833.873","LocalAddressIP4":"172.31.255.255","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"p172.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474834.873","LocalAddressIP4":"172.32.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n172.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474835.873","LocalAddressIP4":"172.32.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n172.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474836.873","LocalAddressIP4":"172.32.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n172.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474837.873","LocalAddressIP4":"192.168.7.7","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"p192.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474838.873","LocalAddressIP4":"192.168.7.7","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"p192.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474839.873","LocalAddressIP4":"192.168.7.7","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"p192.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474840.873","LocalAddressIP4":"192.169.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n192.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474841.873","LocalAddressIP4":"192.169.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n192.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474842.873","LocalAddressIP4":"192.169.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n192.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474843.873","LocalAddressIP4":"169.254.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"ll.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474844.873","LocalAddressIP4":"169.254.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"ll.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474845.873","LocalAddressIP4":"169.254.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"ll.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474846.873","LocalAddressIP4":"11.0.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n11.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474847.873","LocalAddressIP4":"11.0.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n11.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474848.873","LocalAddressIP4":"11.0.0.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"n11.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474849.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"100.127.255.255","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474850.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"100.127.255.255","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474851.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"100.127.255.255","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474852.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"169.254.1.1","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474853.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"169.254.1.1","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474854.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"169.254.1.1","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474855.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"172.16.0.1","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474856.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"172.16.0.1","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474857.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"172.16.0.1","RemotePort":"587","UserName":"u","ImageFileName":"l2l.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474858.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474859.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474860.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474861.873","LocalAddressIP6":"fe80::5","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474862.873","LocalAddressIP6":"fe80::5","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474863.873","LocalAddressIP6":"fe80::5","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474864.873","LocalAddressIP6":"2001:db8::7","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474865.873","LocalAddressIP6":"2001:db8::7","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474866.873","LocalAddressIP6":"2001:db8::7","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474867.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"fc00::9","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474868.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"fc00::9","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474869.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"fc00::9","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474870.873","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"nolocal.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474871.873","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"nolocal.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474872.873","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"nolocal.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474873.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","UserName":"u","ImageFileName":"noport.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474874.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","UserName":"u","ImageFileName":"noport.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474875.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","UserName":"u","ImageFileName":"noport.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474876.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474877.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474878.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474879.873","LocalAddressIP4":"198.51.100.24","LocalPort":"995","RemoteAddressIP4":"10.2.2.6","RemotePort":"40003","UserName":"u","ImageFileName":"cd1.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474880.873","LocalAddressIP4":"198.51.100.24","LocalPort":"995","RemoteAddressIP4":"10.2.2.6","RemotePort":"40003","UserName":"u","ImageFileName":"cd1.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474881.873","LocalAddressIP4":"198.51.100.24","LocalPort":"995","RemoteAddressIP4":"10.2.2.6","RemotePort":"40003","UserName":"u","ImageFileName":"cd1.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474882.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"C:\\Program Files\\Microsoft Office\\OUTLOOK.EXE"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474883.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"C:\\Program Files\\Microsoft Office\\OUTLOOK.EXE"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474884.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"C:\\Program Files\\Microsoft Office\\OUTLOOK.EXE"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474885.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"\\Device\\HarddiskVolume3\\Program Files\\eM Client\\eM Client.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474886.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"\\Device\\HarddiskVolume3\\Program Files\\eM Client\\eM Client.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474887.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"\\Device\\HarddiskVolume3\\Program Files\\eM Client\\eM Client.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474888.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"/opt/thunderbird/Thunderbird.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474889.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"/opt/thunderbird/Thunderbird.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474890.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"/opt/thunderbird/Thunderbird.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474891.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"FIREFOX.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474892.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"FIREFOX.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474893.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"FIREFOX.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474894.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"MailClient.EXE"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474895.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"MailClient.EXE"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474896.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"MailClient.EXE"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474897.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"msedge.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474898.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"msedge.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474899.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"msedge.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474900.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"C:\\x\\Chrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474901.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"C:\\x\\Chrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474902.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.40","RemotePort":"587","UserName":"u","ImageFileName":"C:\\x\\Chrome.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474903.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"chrome.exe.bak"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474904.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"chrome.exe.bak"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474905.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"chrome.exe.bak"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474906.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"firefox.exe "}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474907.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"firefox.exe "}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474908.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"firefox.exe "}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474909.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"msedge"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474910.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"msedge"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474911.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"msedge"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474912.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"emclient.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474913.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"emclient.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474914.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"emclient.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474915.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"outlook.exe\\"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474916.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"outlook.exe\\"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474917.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"outlook.exe\\"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474918.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"a,b\"c.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474919.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"a,b\"c.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474920.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"198.51.100.41","RemotePort":"587","UserName":"u","ImageFileName":"a,b\"c.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474921.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474922.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474923.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474924.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474925.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474926.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474927.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"B","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474928.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"B","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474929.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"B","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474930.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"a","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474931.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"a","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474932.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"a","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474933.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"é","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474934.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"é","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474935.873","LocalAddressIP4":"10.3.3.3","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"é","ImageFileName":"nu.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474936.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"465","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474937.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"465","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474938.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"465","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474939.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"465","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474940.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"143","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474941.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"143","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474942.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"143","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474943.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"143","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474944.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474945.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474946.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474947.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474948.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"995","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474949.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"995","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474950.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"995","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474951.873","LocalAddressIP4":"10.4.4.4","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"995","UserName":"u","ImageFileName":"ports.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474952.873","LocalAddressIP4":"10.5.5.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"five.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474953.873","LocalAddressIP4":"10.5.5.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"five.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474954.873","LocalAddressIP4":"10.5.5.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"five.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474955.873","LocalAddressIP4":"10.5.5.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"five.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474956.873","LocalAddressIP4":"10.5.5.5","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"five.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474957.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"587","UserName":"u","ImageFileName":"dst.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474958.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"587","UserName":"u","ImageFileName":"dst.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474959.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.30","RemotePort":"587","UserName":"u","ImageFileName":"dst.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474960.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"dst.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474961.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"dst.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474962.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"dst.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474963.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"Zed.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474964.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"Zed.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474965.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"Zed.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474966.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"abc.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474967.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"abc.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474968.873","LocalAddressIP4":"10.6.6.6","LocalPort":"50000","RemoteAddressIP4":"198.51.100.2","RemotePort":"587","UserName":"u","ImageFileName":"abc.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474969.873","LocalAddressIP4":"10.7.7.7","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"two.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474970.873","LocalAddressIP4":"10.7.7.7","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"two.exe"}
not json at all
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795470003","LocalAddressIP4":"10.1.1.1","RemoteAddressIP4":"198.51.100.1","RemotePort":"25","UserName":"CORP\\a","ImageFileName":"evil.exe"

[1,2]
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474971.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"25","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474972.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"25","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474973.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"25","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474974.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"8080","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474975.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"8080","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474976.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"8080","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795388399.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"25","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795388399.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"25","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795388399.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"127.0.0.1","RemotePort":"25","UserName":"u","ImageFileName":"lo.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474978.873","LocalAddressIP6":"fe80::1","LocalPort":"50000","RemoteAddressIP6":"::1","RemotePort":"143","UserName":"u","ImageFileName":"lo6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474979.873","LocalAddressIP6":"fe80::1","LocalPort":"50000","RemoteAddressIP6":"::1","RemotePort":"143","UserName":"u","ImageFileName":"lo6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474980.873","LocalAddressIP6":"fe80::1","LocalPort":"50000","RemoteAddressIP6":"::1","RemotePort":"143","UserName":"u","ImageFileName":"lo6.exe"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474981.873","LocalAddressIP4":"127.0.0.1","LocalPort":"25","RemoteAddressIP4":"127.0.0.1","RemotePort":"41000","UserName":"u","ImageFileName":"master"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474982.873","LocalAddressIP4":"127.0.0.1","LocalPort":"25","RemoteAddressIP4":"127.0.0.1","RemotePort":"41000","UserName":"u","ImageFileName":"master"}
{"event_simpleName":"NetworkReceiveAcceptIP4","ConnectionDirection":"1","ContextTimeStamp":"1795474983.873","LocalAddressIP4":"127.0.0.1","LocalPort":"25","RemoteAddressIP4":"127.0.0.1","RemotePort":"41000","UserName":"u","ImageFileName":"master"}
FIXTURE_EOF
compare edge "$SCRATCH/edge.ndjson"

# --- 6. IP addresses are addresses ------------------------------------------
# aql.md §3: "IP columns compare as addresses" (grouping keys are values,
# ORDER BY compares them); fields.md §5 #7: IPv4-mapped IPv6 is normalised to
# IPv4. Expected by the oracle:
# - sources 10.1.1.9 < 10.1.1.10 < 10.1.1.100 and destinations
#   198.51.100.20 < 198.51.100.100 in address order (text order differs);
# - 2001:0DB8:0:0:0:0:0:0025, 2001:db8:0:0:0:0:0:25 and 2001:db8::25 (and
#   fd00::1 spelled three ways) are one address: one group of 3, printed in
#   RFC 5952 form (fd00::1, 2001:db8::25);
# - ::ffff:10.9.9.9 -> ::ffff:198.51.100.7 is 10.9.9.9 -> 198.51.100.7: the
#   two mapped events and the IPv4 one make one group of 3;
# - RemoteAddressIP4 "not-an-ip" is no address: destinationip NULL, so
#   "Event Direction" is NULL and the row is dropped.
cat >"$SCRATCH/addresses.ndjson" <<'FIXTURE_EOF'
{"event_simpleName":"ProcessRollup2","timestamp":"1795478399873"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474800.873","LocalAddressIP4":"10.1.1.10","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474801.873","LocalAddressIP4":"10.1.1.10","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474802.873","LocalAddressIP4":"10.1.1.10","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474803.873","LocalAddressIP4":"10.1.1.100","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474804.873","LocalAddressIP4":"10.1.1.100","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474805.873","LocalAddressIP4":"10.1.1.100","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474806.873","LocalAddressIP4":"10.1.1.9","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474807.873","LocalAddressIP4":"10.1.1.9","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474808.873","LocalAddressIP4":"10.1.1.9","LocalPort":"50000","RemoteAddressIP4":"198.51.100.1","RemotePort":"587","UserName":"u","ImageFileName":"o.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474809.873","LocalAddressIP4":"10.8.8.8","LocalPort":"50000","RemoteAddressIP4":"198.51.100.100","RemotePort":"587","UserName":"u","ImageFileName":"d.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474810.873","LocalAddressIP4":"10.8.8.8","LocalPort":"50000","RemoteAddressIP4":"198.51.100.100","RemotePort":"587","UserName":"u","ImageFileName":"d.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474811.873","LocalAddressIP4":"10.8.8.8","LocalPort":"50000","RemoteAddressIP4":"198.51.100.100","RemotePort":"587","UserName":"u","ImageFileName":"d.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474812.873","LocalAddressIP4":"10.8.8.8","LocalPort":"50000","RemoteAddressIP4":"198.51.100.20","RemotePort":"587","UserName":"u","ImageFileName":"d.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474813.873","LocalAddressIP4":"10.8.8.8","LocalPort":"50000","RemoteAddressIP4":"198.51.100.20","RemotePort":"587","UserName":"u","ImageFileName":"d.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474814.873","LocalAddressIP4":"10.8.8.8","LocalPort":"50000","RemoteAddressIP4":"198.51.100.20","RemotePort":"587","UserName":"u","ImageFileName":"d.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474815.873","LocalAddressIP6":"fd00::1","LocalPort":"50000","RemoteAddressIP6":"2001:0DB8:0:0:0:0:0:0025","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474816.873","LocalAddressIP6":"FD00:0:0:0:0:0:0:1","LocalPort":"50000","RemoteAddressIP6":"2001:db8:0:0:0:0:0:25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474817.873","LocalAddressIP6":"fd00:0::1","LocalPort":"50000","RemoteAddressIP6":"2001:db8::25","RemotePort":"587","UserName":"u","ImageFileName":"v6.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474818.873","LocalAddressIP6":"::ffff:10.9.9.9","LocalPort":"50000","RemoteAddressIP6":"::ffff:198.51.100.7","RemotePort":"587","UserName":"u","ImageFileName":"m.exe"}
{"event_simpleName":"NetworkConnectIP6","ConnectionDirection":"0","ContextTimeStamp":"1795474819.873","LocalAddressIP6":"::ffff:10.9.9.9","LocalPort":"50000","RemoteAddressIP6":"::ffff:198.51.100.7","RemotePort":"587","UserName":"u","ImageFileName":"m.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474820.873","LocalAddressIP4":"10.9.9.9","LocalPort":"50000","RemoteAddressIP4":"198.51.100.7","RemotePort":"587","UserName":"u","ImageFileName":"m.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474821.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"not-an-ip","RemotePort":"587","UserName":"u","ImageFileName":"badip.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474822.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"not-an-ip","RemotePort":"587","UserName":"u","ImageFileName":"badip.exe"}
{"event_simpleName":"NetworkConnectIP4","ConnectionDirection":"0","ContextTimeStamp":"1795474823.873","LocalAddressIP4":"10.1.1.1","LocalPort":"50000","RemoteAddressIP4":"not-an-ip","RemotePort":"587","UserName":"u","ImageFileName":"badip.exe"}
FIXTURE_EOF
compare addresses "$SCRATCH/addresses.ndjson"

if [ "$FAILED" -ne 0 ]; then
    echo "FAIL: mailc2 and the AQL oracle disagree (see above)"
    exit 1
fi
echo "ok: mailc2 run t1071_003.aql matches the DuckDB oracle on every input"
exit 0
