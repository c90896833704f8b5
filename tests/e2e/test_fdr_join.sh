#!/bin/sh
# test_fdr_join.sh - the Falcon context join (issue 7) on a generated FDR
# bundle. tools/gen_falcon.py --fdr writes one scenario twice: raw/ as Falcon
# Data Replicator ships it (network events without ImageFileName, UserName
# and ComputerName; ProcessRollup2 with UserSid; UserIdentity/UserLogon;
# aidmaster/aid_master.json) and enriched/ as LogScale's view has it, plus
# manifest.json with the counts the join must report. Checks:
#   0. the bundle is what it claims to be (checked with python3, not mailc2),
#      and the generator is deterministic;
#   a. `mailc2 hunt --now latest --format csv` gives the same CSV on raw/ and
#      on enriched/ (the only unjoinable processes never reach a mail port,
#      by construction), with the rows the scenario plants;
#   b. the same for the LogScale seed, `mailc2 run --format csv SEED`;
#   c. both equal the independent DuckDB oracles run on enriched/
#      (tests/oracle/hunt_oracle.mjs, logscale_oracle.mjs), so the expected
#      rows never come from mailc2;
#   d. `mailc2 run --no-enrich --format csv SEED raw/` prints the header only
#      and exits 0: LogScale's answer on raw FDR, every event dropped at
#      groupBy for a missing key;
#   e. mailc2's stderr on raw/ has a `mailc2: falcon:` line whose counts are
#      the generator's: joined = network events (NetworkConnect*,
#      NetworkReceiveAccept*) whose process is in the bundle.
# The seed is the project's copy, tests/e2e/data/seeds/t1071_003.logscale
# (test_seeds.sh checks it against ../shared/seeds).
#
# Usage: sh test_fdr_join.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail, 77 skip (no python3; or no node / node_modules, in
# which case every part but c still ran and passed).

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
SCRATCH=$3
GEN=$ROOT/tools/gen_falcon.py
N=20000

if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is not installed (tools/gen_falcon.py writes the bundle)"
    exit 77
fi
mkdir -p "$SCRATCH" || exit 1
B=$SCRATCH/bundle
rm -rf "$B" "$SCRATCH/bundle2"
FAILED=0
fail() {
    printf 'FAIL: %s\n' "$*"
    FAILED=1
}

if ! python3 "$GEN" --fdr "$N" "$B" 2>"$SCRATCH/gen.err"; then
    echo "FAIL: tools/gen_falcon.py --fdr $N failed:"
    cat "$SCRATCH/gen.err"
    exit 1
fi
cat "$SCRATCH/gen.err"

# --- 0. the bundle ------------------------------------------------------------
if python3 - "$B" >"$SCRATCH/bundle.check" 2>&1 <<'PY_EOF'
import gzip, json, os, sys
root = sys.argv[1]
raw = os.path.join(root, "raw")
bad = []
files = sorted(os.path.join(d, f)[len(raw) + 1:] for d, _, fs in os.walk(raw) for f in fs)
net_pos, proc_after, n_files_after = {}, 0, set()
for rel in files:
    op = gzip.open if rel.endswith(".gz") else open
    with op(os.path.join(raw, rel), "rt", encoding="ascii") as f:
        for i, line in enumerate(f):
            ev = json.loads(line)
            name = ev.get("event_simpleName")
            if rel.startswith("aidmaster/"):
                if name is not None or not ev.get("aid") or not ev.get("ComputerName"):
                    bad.append("%s:%d: not an aid_master row" % (rel, i + 1))
                continue
            if "ComputerName" in ev:
                bad.append("%s:%d: a raw event with ComputerName" % (rel, i + 1))
            if name.startswith(("NetworkConnect", "NetworkReceiveAccept")):
                if "ImageFileName" in ev or "UserName" in ev:
                    bad.append("%s:%d: a raw network event with ImageFileName/UserName" % (rel, i + 1))
                net_pos.setdefault((rel, ev["aid"], ev["ContextProcessId"]), i)
            elif name in ("ProcessRollup2", "SyntheticProcessRollup2"):
                if "UserName" in ev or not ev.get("UserSid") or not ev.get("ImageFileName"):
                    bad.append("%s:%d: a raw process event with UserName or without UserSid" % (rel, i + 1))
                if (rel, ev["aid"], ev["TargetProcessId"]) in net_pos:
                    proc_after += 1     # announced after a network event that needs it
                    n_files_after.add(rel)
            elif name in ("UserIdentity", "UserLogon"):
                if not ev.get("UserSid") or not ev.get("UserName"):
                    bad.append("%s:%d: an identity event without UserSid/UserName" % (rel, i + 1))
if proc_after == 0:
    bad.append("no file announces a process after a network event that needs it")
data = [f for f in files if f.startswith("data/")]
if not data or not data[-1].startswith("data/process-"):
    bad.append("the look-back process file does not come last: %s" % data)
for b in bad[:20]:
    print(b)
print("bundle: %d raw files; %d process events come after their network events, in %d file(s)"
      % (len(files), proc_after, len(n_files_after)))
sys.exit(1 if bad else 0)
PY_EOF
then
    echo "ok [bundle] $(tail -n 1 "$SCRATCH/bundle.check")"
else
    fail "[bundle] the generated bundle is not what it claims:"
    cat "$SCRATCH/bundle.check"
fi
python3 "$GEN" --fdr "$N" "$SCRATCH/bundle2" 2>/dev/null
if diff -r "$B" "$SCRATCH/bundle2" >/dev/null 2>&1; then
    echo "ok [bundle] a second --fdr $N run writes identical files"
else
    fail "[bundle] tools/gen_falcon.py --fdr $N is not deterministic"
fi
rm -rf "$SCRATCH/bundle2"

# manifest.json -> shell variables M_events, M_joined, ...
python3 - "$B/manifest.json" >"$SCRATCH/manifest.sh" <<'PY_EOF' || { echo "FAIL: manifest.json"; exit 1; }
import json, sys
m = json.load(open(sys.argv[1]))
for k in ("events", "network_events", "joined", "unjoined", "process_events",
          "identity_events", "hosts", "mail_port_connections"):
    print("M_%s=%d" % (k, m[k]))
PY_EOF
M_events='' M_network_events='' M_joined='' M_unjoined='' M_process_events=''
M_identity_events='' M_hosts='' M_mail_port_connections=''
# shellcheck source=/dev/null
. "$SCRATCH/manifest.sh"

# The seed, verbatim: tests/e2e/data/seeds/ (test_seeds.sh checks it against ../shared).
SEED=$ROOT/tests/e2e/data/seeds/t1071_003.logscale

# events NAME: the event count of mailc2's summary line in NAME.err
events() {
    sed -n 's/^mailc2: .* \([0-9][0-9]*\) events, [0-9][0-9]* bad records.*/\1/p' "$SCRATCH/$1.err" | tail -n 1
}

# mailc2_run NAME WANT_RC ARGS...: runs mailc2, output in NAME.csv/NAME.err
mailc2_run() {
    name=$1
    want=$2
    shift 2
    "$MAILC2" "$@" >"$SCRATCH/$name.csv" 2>"$SCRATCH/$name.err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "[$name] mailc2 $* exited $rc, want $want; its stderr:"
        cat "$SCRATCH/$name.err"
    fi
    ev=$(events "$name")
    if [ "$ev" != "$M_events" ]; then
        fail "[$name] mailc2 read '$ev' events, the generator wrote $M_events"
    fi
}

# --- a. hunt: raw = enriched -----------------------------------------------------
# Every line parsed (--no-prefilter) for the event count; the default run,
# which skips lines the hunt's first filters rule out, gives the same rows.
mailc2_run hunt-raw 1 hunt --sort count --now latest --format csv --no-prefilter "$B/raw"
mailc2_run hunt-enriched 1 hunt --sort count --now latest --format csv --no-prefilter "$B/enriched"
for tree in raw enriched; do
    "$MAILC2" hunt --sort count --now latest --format csv "$B/$tree" \
        >"$SCRATCH/hunt-$tree-pf.csv" 2>"$SCRATCH/hunt-$tree-pf.err"
    cmp -s "$SCRATCH/hunt-$tree-pf.csv" "$SCRATCH/hunt-$tree.csv" ||
        fail "[a] hunt on $tree/: the prefilter changed the rows"
done
# The detection's columns, in the seeds' order, as the oracle writes them.
python3 "$ROOT/tests/e2e/seed_columns.py" "$SCRATCH/hunt-raw.csv" "$SCRATCH/hunt-enriched.csv"
if diff -u "$SCRATCH/hunt-enriched.csv" "$SCRATCH/hunt-raw.csv" >"$SCRATCH/hunt.diff"; then
    echo "ok [a] hunt: raw/ and enriched/ give the same CSV ($(($(wc -l <"$SCRATCH/hunt-raw.csv") - 1)) rows)"
else
    fail "[a] hunt: raw/ differs from enriched/ (- enriched, + raw):"
    cat "$SCRATCH/hunt.diff"
fi
# Rows the scenario plants (tools/gen_falcon.py FdrDay.plant, N=20000),
# found by column name. The powershell count is 4 only if the join keys on
# aid: its first run has the TargetProcessId of chrome.exe on WS-00000. The
# deploy row needs the user join keyed on aid: uid 1001 is svc-report on
# LNX-0007. DatabaseMail.exe's SID has no user-identity event: no user.
# Where the CSV has a command_line column, the powershell row must show the
# Atomic test's Send-MailMessage, which only the joined ProcessRollup2 has.
if python3 - "$SCRATCH/hunt-raw.csv" >"$SCRATCH/planted.check" 2>&1 <<'PY_EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
keys = ("host", "process", "user", "dst_ip", "dst_port", "count")
have = {tuple(r.get(k) for k in keys): r for r in rows}
SQL = "\\Device\\HarddiskVolume2\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\"
PS = "\\Device\\HarddiskVolume3\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
want = [
    ("SQL-0011", SQL + "sqlservr.exe", "NT SERVICE\\MSSQLSERVER", "10.20.0.25", "587", "24"),
    ("WS-00005", PS, "CORP\\user00005", "127.0.0.1", "25", "4"),
    ("WS-00003", "\\Device\\HarddiskVolume3\\Program Files\\Python312\\python.exe",
     "CORP\\user00003", "10.20.0.25", "25", "9"),
    ("LNX-0015", "/usr/bin/python3", "deploy", "10.20.0.25", "25", "4"),
    ("LNX-0007", "/usr/bin/nc", "root", "127.0.0.1", "110", "3"),
    ("LNX-0007", "/usr/bin/curl", "root", "127.0.0.1", "143", "3"),
    ("SQL-0011", SQL + "DatabaseMail.exe", "", "10.20.0.25", "587", "5"),
]
bad = 0
for w in want:
    if w not in have:
        print("missing planted row: " + ",".join(w))
        bad = 1
ps = have.get(want[1])
if ps is not None and "command_line" in ps and "Send-MailMessage" not in ps["command_line"]:
    print("the powershell row's command_line lacks Send-MailMessage: %r" % ps["command_line"])
    bad = 1
print("%d planted rows present%s" % (len(want), "; command_line joined" if ps and "command_line" in ps else ""))
sys.exit(bad)
PY_EOF
then
    echo "ok [a] $(tail -n 1 "$SCRATCH/planted.check")"
else
    fail "[a] hunt on raw/:"
    cat "$SCRATCH/planted.check"
fi

# --- b. the LogScale seed: raw = enriched ----------------------------------------
# Every line parsed (--no-prefilter), so the event count is the generator's;
# the default run, which skips lines the seed's first filters rule out
# unparsed, must give the same rows.
mailc2_run seed-raw 1 run --no-prefilter --format csv "$SEED" "$B/raw"
mailc2_run seed-enriched 1 run --no-prefilter --format csv "$SEED" "$B/enriched"
for tree in raw enriched; do
    "$MAILC2" run --format csv "$SEED" "$B/$tree" >"$SCRATCH/seed-$tree-pf.csv" 2>"$SCRATCH/seed-$tree-pf.err"
    cmp -s "$SCRATCH/seed-$tree-pf.csv" "$SCRATCH/seed-$tree.csv" ||
        fail "[b] seed on $tree/: the prefilter changed the rows"
    grep -q "lines could not pass the query's first filters" "$SCRATCH/seed-$tree-pf.err" ||
        fail "[b] seed on $tree/: the summary does not say how many lines the prefilter skipped"
done
if diff -u "$SCRATCH/seed-enriched.csv" "$SCRATCH/seed-raw.csv" >"$SCRATCH/seed.diff"; then
    echo "ok [b] seed: raw/ and enriched/ give the same CSV ($(($(wc -l <"$SCRATCH/seed-raw.csv") - 1)) rows)"
else
    fail "[b] seed: raw/ differs from enriched/ (- enriched, + raw):"
    cat "$SCRATCH/seed.diff"
fi

# --- d. --no-enrich: LogScale's raw answer -----------------------------------------
"$MAILC2" run --no-enrich --format csv "$SEED" "$B/raw" >"$SCRATCH/noenrich.csv" 2>"$SCRATCH/noenrich.err"
rc=$?
printf '%s\n' 'ComputerName,ImageFileName,RemoteAddressIP4,RemotePort,Protocol,UserName,ConnectionCount,FirstSeen,LastSeen' \
    >"$SCRATCH/header.csv"
if [ "$rc" -eq 0 ] && cmp -s "$SCRATCH/header.csv" "$SCRATCH/noenrich.csv"; then
    echo "ok [d] --no-enrich on raw/: the header only, exit 0"
else
    fail "[d] mailc2 run --no-enrich on raw/ exited $rc (want 0) and printed (want the header only):"
    head -n 5 "$SCRATCH/noenrich.csv"
    cat "$SCRATCH/noenrich.err"
fi

# The hunt without the join: it must run (exit 0 or 1, the first pass that
# finds --now latest must not need the tables) and no row can name a
# process, since no raw network event carries ImageFileName.
"$MAILC2" hunt --no-enrich --now latest --format csv "$B/raw" >"$SCRATCH/hunt-noenrich.csv" \
    2>"$SCRATCH/hunt-noenrich.err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    fail "[d] mailc2 hunt --no-enrich --now latest on raw/ exited $rc (want 0 or 1); its stderr:"
    cat "$SCRATCH/hunt-noenrich.err"
elif python3 - "$SCRATCH/hunt-noenrich.csv" <<'PY_EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
named = [r for r in rows if r.get("process")]
for r in named[:5]:
    print("a row names a process without the join: %r" % r)
sys.exit(1 if named else 0)
PY_EOF
then
    echo "ok [d] hunt --no-enrich on raw/: exit $rc, no row names a process"
else
    fail "[d] hunt --no-enrich on raw/ (see above)"
fi

# --- f. the try without join tables (driver/run.c) ----------------------------------
# A run over files first tries without the tables: raw/ lacks ImageFileName
# on every network event, so the try stops and the run says it starts over
# (the rows, above, are the oracle's); with --now latest (the hunt) too. enriched/ starts over too:
# 122 of its network events lack UserName (SIDs without an identity event),
# which the user table might fill. The unit test tests/driver/test_run.c
# test_join_late has input that needs no table.
RESTART='mailc2: falcon: events lack fields its join tables fill; the inputs are read again, with the tables'
grep -qxF "$RESTART" "$SCRATCH/seed-raw.err" ||
    fail "[f] seed on raw/: no line '$RESTART'"
grep -qxF "$RESTART" "$SCRATCH/hunt-raw.err" ||
    fail "[f] hunt --now latest on raw/: no line '$RESTART'"
echo "ok [f] the try without tables: raw/ starts over, seed and hunt"

# --- e. the join counts on stderr ---------------------------------------------------
for name in hunt-raw seed-raw; do
    line=$(grep '^mailc2: falcon: [0-9]' "$SCRATCH/$name.err" | head -n 1)
    if [ -z "$line" ]; then
        fail "[e] no 'mailc2: falcon:' line in mailc2's stderr on raw/ ($name):"
        cat "$SCRATCH/$name.err"
        continue
    fi
    jc=$(printf '%s\n' "$line" | sed -n 's/^mailc2: falcon: \([0-9][0-9]*\) of \([0-9][0-9]*\) network events joined.*/\1 \2/p')
    if [ "$jc" != "$M_joined $M_network_events" ]; then
        fail "[e] ($name) joined/network events: mailc2 '$jc', the generator $M_joined $M_network_events: $line"
        continue
    fi
    pih=$(printf '%s\n' "$line" | sed -n 's/.*(\([0-9][0-9]*\) ProcessRollup2, \([0-9][0-9]*\) user-identity events, \([0-9][0-9]*\) hosts read).*/\1 \2 \3/p')
    if [ -z "$pih" ]; then
        echo "note [e] ($name): no '(P ProcessRollup2, I user-identity events, H hosts read)' in: $line"
    elif [ "$pih" != "$M_process_events $M_identity_events $M_hosts" ]; then
        fail "[e] ($name) process/identity/host counts: mailc2 '$pih', the generator $M_process_events $M_identity_events $M_hosts"
        continue
    fi
    if ! grep '^mailc2: falcon: [0-9]' "$SCRATCH/$name.err" | grep -E -q "(^|[^0-9])$M_unjoined([^0-9]|$)"; then
        fail "[e] ($name) mailc2 does not report the $M_unjoined network events whose process is missing: $line"
        continue
    fi
    echo "ok [e] ($name) $line"
done

# --- c. the independent oracles on enriched/ -----------------------------------------
if ! command -v node >/dev/null 2>&1; then
    ORACLE_SKIP="node is not installed"
elif [ ! -d "$ROOT/node_modules/@duckdb/node-api" ]; then
    ORACLE_SKIP="$ROOT/node_modules/@duckdb/node-api is missing (run npm ci in $ROOT)"
else
    ORACLE_SKIP=
    for pair in hunt:hunt_oracle.mjs seed:logscale_oracle.mjs; do
        kind=${pair%%:*}
        if ! node "$ROOT/tests/oracle/${pair#*:}" "$B/enriched" >"$SCRATCH/$kind-oracle.csv" \
                2>"$SCRATCH/$kind-oracle.err"; then
            fail "[c] ${pair#*:} did not run:"
            cat "$SCRATCH/$kind-oracle.err"
            continue
        fi
        rows=$(sed -n 's/^oracle: .* \([0-9][0-9]*\) row(s)$/\1/p' "$SCRATCH/$kind-oracle.err")
        same=1
        if [ -z "$rows" ] || [ "$rows" -lt 5 ]; then
            fail "[c] ${pair#*:} found '$rows' rows on enriched/; the comparison would prove little"
            same=0
        fi
        for side in raw enriched; do
            if ! diff -u "$SCRATCH/$kind-oracle.csv" "$SCRATCH/$kind-$side.csv" >"$SCRATCH/$kind-$side.oracle.diff"; then
                fail "[c] $kind on $side/ differs from ${pair#*:} on enriched/ (- oracle, + mailc2):"
                cat "$SCRATCH/$kind-$side.oracle.diff"
                same=0
            fi
        done
        if [ "$same" -eq 1 ]; then
            echo "ok [c] $kind: mailc2 on raw/ and enriched/ = ${pair#*:} on enriched/ ($rows rows)"
        fi
    done
    # the hunt oracle counts connections to mail ports as the generator does
    mp=$(sed -n 's/^oracle: .* \([0-9][0-9]*\) connections to mail ports,.*/\1/p' "$SCRATCH/hunt-oracle.err")
    if [ "$mp" != "$M_mail_port_connections" ]; then
        fail "[c] mail-port connections: oracle '$mp', the generator $M_mail_port_connections"
    fi
fi

if [ "$FAILED" -ne 0 ]; then
    echo "FAIL: the Falcon join on a generated FDR bundle (see above)"
    exit 1
fi
if [ -n "$ORACLE_SKIP" ]; then
    echo "SKIP part c: $ORACLE_SKIP (parts 0, a, b, d, e passed)"
    exit 77
fi
echo "ok: raw FDR and its enriched view give the same hunt and seed results, equal to the oracles"
exit 0
