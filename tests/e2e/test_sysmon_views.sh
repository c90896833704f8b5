#!/bin/sh
# test_sysmon_views.sh - the built-in hunt and the two seed queries on one
# hand-written Sysmon file (samples/sysmon/sysmon_atomic.xml: two Windows
# hosts and a Linux host, one <Event> per line), with the Sysmon EID 1
# process context joined to the EID 3 connections (issue 6).
#
# Checks:
#   a. `mailc2 hunt --now latest`, `mailc2 run` of the LogScale seed and
#      `mailc2 run --now latest` of the AQL seed each print exactly the CSV
#      below, written by hand from samples/sysmon/README.md (never from
#      mailc2's output);
#   b. the hunt rows carry their process's command line: the Atomic test's
#      Send-MailMessage on powershell's row, none on devsync.exe's (its EID 1
#      is not in the file);
#   c. where the fields agree, the three give the same groups and counts,
#      computed from their actual outputs (see compare_views for which rows
#      must differ and why);
#   d. the join does not depend on record order (the file reversed gives the
#      same hunt) and reports its counts on stderr;
#   e. `--no-enrich` turns the join off: no command lines, and the Atomic
#      event without a User splits from its group (4 -> 3).
# The seed queries are the project's copies in tests/e2e/data/seeds/
# (test_seeds.sh checks them against ../shared/seeds).
#
# Usage: sh test_sysmon_views.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail.

if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
ROOT=$2
S=$3
SAMPLE=$ROOT/samples/sysmon/sysmon_atomic.xml
mkdir -p "$S" || exit 1
FAILED=0
fail() {
    printf 'FAIL: %s\n' "$*"
    FAILED=1
}
ok() {
    printf 'ok %s\n' "$*"
}
if [ ! -f "$SAMPLE" ]; then
    echo "FAIL: $SAMPLE is missing"
    exit 1
fi

# The seeds, verbatim: tests/e2e/data/seeds/ (test_seeds.sh checks them against ../shared).
cp "$ROOT/tests/e2e/data/seeds/t1071_003.logscale" "$ROOT/tests/e2e/data/seeds/t1071_003.aql" "$S/"

# --- expected answers, by hand from samples/sysmon/README.md ------------------
# hunt: six groups. Rows 1-2 count 4, rows 3-6 count 3; ties by host, then
# process. Sysmon has no byte counts, protocol conformance or session
# duration: bytes_in, not_mail and duration_ms are empty. devsync.exe
# (row 3) has no user and no EID 1: no command line, lacks "user". curl's command line is the least of its three runs.
cat >"$S/hunt.expected.csv" <<'CSV_EOF'
host,src_ip,process,user,dst_ip,dst_port,protocol,count,first_seen,last_seen,bytes_out,command_line,lacks,bytes_in,not_mail,duration_ms
FIN-LT-0417.corp.example,,C:\Users\jhalvorsen\AppData\Roaming\Updater\updater.exe,CORP\jhalvorsen,203.0.113.50,587,SMTP,4,2026-11-24T13:15:44.208Z,2026-11-24T14:51:44.815Z,,"""C:\Users\jhalvorsen\AppData\Roaming\Updater\updater.exe"" --background --channel 7",,,,
IT-WS-0212.corp.example,,C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe,CORP\rtorres,127.0.0.1,25,SMTP,4,2026-11-24T14:30:06.874Z,2026-11-24T14:47:53.961Z,,"""powershell.exe"" & {Send-MailMessage -From atomic@corp.example -To soc-test@corp.example -Subject 'T1071.003 Atomic Test' -Body 'mailc2 sample' -SmtpServer 127.0.0.1}",,,,
FIN-LT-0417.corp.example,,C:\ProgramData\DeviceSync\devsync.exe,,198.51.100.99,465,SMTP,3,2026-11-24T12:44:07.731Z,2026-11-24T16:44:07.902Z,,,user,,,
IT-WS-0212.corp.example,,C:\Program Files\Python312\python.exe,CORP\svc-reports,10.20.0.25,25,SMTP,3,2026-11-24T15:30:02.118Z,2026-11-24T15:30:04.877Z,,"""C:\Program Files\Python312\python.exe"" C:\ops\reports\mail_kpi_digest.py --relay 10.20.0.25 --port 25",,,,
lnx-build-03,,/usr/bin/curl,root,127.0.0.1,143,IMAP,3,2026-11-24T16:12:20.519Z,2026-11-24T16:15:31.063Z,,curl -v --url imap://127.0.0.1:143/ --user atomic:atomic,,,,
lnx-build-03,,/usr/bin/nc.openbsd,root,127.0.0.1,110,POP3,3,2026-11-24T16:05:12.338Z,2026-11-24T16:08:02.917Z,,nc -v 127.0.0.1 110,,,,
CSV_EOF
# LogScale seed: the hunt's rows less devsync.exe (no UserName: dropped at
# groupBy); times are ContextTimeStamp, seconds.
cat >"$S/logscale.expected.csv" <<'CSV_EOF'
ComputerName,ImageFileName,RemoteAddressIP4,RemotePort,Protocol,UserName,ConnectionCount,FirstSeen,LastSeen
FIN-LT-0417.corp.example,C:\Users\jhalvorsen\AppData\Roaming\Updater\updater.exe,203.0.113.50,587,SMTP,CORP\jhalvorsen,4,1795526144.208,1795531904.815
IT-WS-0212.corp.example,C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe,127.0.0.1,25,SMTP,CORP\rtorres,4,1795530606.874,1795531673.961
IT-WS-0212.corp.example,C:\Program Files\Python312\python.exe,10.20.0.25,25,SMTP,CORP\svc-reports,3,1795534202.118,1795534204.877
lnx-build-03,/usr/bin/curl,127.0.0.1,143,IMAP,root,3,1795536740.519,1795536931.063
lnx-build-03,/usr/bin/nc.openbsd,127.0.0.1,110,POP3,root,3,1795536312.338,1795536482.917
CSV_EOF
# AQL seed: only the L2R rows (public destinations); devsync.exe stays with a
# NULL username.
cat >"$S/aql.expected.csv" <<'CSV_EOF'
sourceip,destinationip,destinationport,username,Process Name,ConnectionCount,TotalBytesSent,FirstSeen,LastSeen,MailProtocol
10.40.12.57,203.0.113.50,587,CORP\jhalvorsen,updater.exe,4,,2026-11-24T13:15:44.208Z,2026-11-24T14:51:44.815Z,SMTP
10.40.12.57,198.51.100.99,465,,devsync.exe,3,,2026-11-24T12:44:07.731Z,2026-11-24T16:44:07.902Z,SMTP
CSV_EOF
# hunt --no-enrich: no command lines; powershell's userless event (14:41:19)
# forms a group of 1, so its row counts 3 and moves after python.exe.
cat >"$S/hunt_no_enrich.expected.csv" <<'CSV_EOF'
host,src_ip,process,user,dst_ip,dst_port,protocol,count,first_seen,last_seen,bytes_out,command_line,lacks,bytes_in,not_mail,duration_ms
FIN-LT-0417.corp.example,,C:\Users\jhalvorsen\AppData\Roaming\Updater\updater.exe,CORP\jhalvorsen,203.0.113.50,587,SMTP,4,2026-11-24T13:15:44.208Z,2026-11-24T14:51:44.815Z,,,,,,
FIN-LT-0417.corp.example,,C:\ProgramData\DeviceSync\devsync.exe,,198.51.100.99,465,SMTP,3,2026-11-24T12:44:07.731Z,2026-11-24T16:44:07.902Z,,,user,,,
IT-WS-0212.corp.example,,C:\Program Files\Python312\python.exe,CORP\svc-reports,10.20.0.25,25,SMTP,3,2026-11-24T15:30:02.118Z,2026-11-24T15:30:04.877Z,,,,,,
IT-WS-0212.corp.example,,C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe,CORP\rtorres,127.0.0.1,25,SMTP,3,2026-11-24T14:30:06.874Z,2026-11-24T14:47:53.961Z,,,,,,
lnx-build-03,,/usr/bin/curl,root,127.0.0.1,143,IMAP,3,2026-11-24T16:12:20.519Z,2026-11-24T16:15:31.063Z,,,,,,
lnx-build-03,,/usr/bin/nc.openbsd,root,127.0.0.1,110,POP3,3,2026-11-24T16:05:12.338Z,2026-11-24T16:08:02.917Z,,,,,,
CSV_EOF

# --- running mailc2 ------------------------------------------------------------
# run NAME ARGS...: stdout to $S/NAME.csv, stderr to $S/NAME.err; exit 1
# (findings) is the expected status, 0 would mean nothing was found.
run() {
    name=$1
    shift
    "$MAILC2" "$@" >"$S/$name.csv" 2>"$S/$name.err"
    rc=$?
    if [ "$rc" -ne 1 ]; then
        fail "[$name] mailc2 $* exited $rc (want 1: findings):"
        cat "$S/$name.err"
    fi
}
same() {
    name=$1
    if cmp -s "$S/$name.expected.csv" "$S/$name.csv"; then
        ok "[$name] $(($(wc -l <"$S/$name.csv") - 1)) rows, as derived by hand"
    else
        fail "[$name] output differs from the hand-derived CSV (- expected, + mailc2):"
        diff "$S/$name.expected.csv" "$S/$name.csv"
    fi
}

run hunt hunt --sort count --now latest --format csv "$SAMPLE"
run logscale run --format csv "$S/t1071_003.logscale" "$SAMPLE"
run aql run --now latest --format csv "$S/t1071_003.aql" "$SAMPLE"
run hunt_no_enrich hunt --sort count --no-enrich --now latest --format csv "$SAMPLE"
# The hand-derived tables have the detection's columns, in the seeds' order.
python3 "$ROOT/tests/e2e/seed_columns.py" "$S/hunt.csv" "$S/hunt_no_enrich.csv"
for name in hunt logscale aql hunt_no_enrich; do
    same "$name"
done

# --- b. command lines on the hunt rows -----------------------------------------
if grep '^IT-WS-0212[^,]*,,[^,]*powershell\.exe,.*Send-MailMessage .*-SmtpServer 127\.0\.0\.1' \
    "$S/hunt.csv" >/dev/null; then
    ok "[hunt] powershell's row carries the Atomic test's Send-MailMessage command line"
else
    fail "[hunt] powershell's row has no Send-MailMessage command line"
fi
if grep 'devsync\.exe,.*,,,user,,,$' "$S/hunt.csv" >/dev/null; then
    ok "[hunt] devsync.exe (no EID 1 in the file) has no command line"
else
    fail "[hunt] devsync.exe's row should have an empty command_line and lack user"
fi

# --- c. the three views against each other -------------------------------------
# Each output is projected onto the fields all of them have, from the actual
# CSVs. Rows that must differ, and why:
#   - LogScale has no row for devsync.exe: its events carry no User, and
#     groupBy drops an event that lacks a key (UserName). The hunt keeps it
#     with a NULL user, AQL with a NULL username.
#   - AQL has no row for powershell, nc, curl (127.0.0.1 -> 127.0.0.1) nor
#     python.exe (10.40.30.21 -> 10.20.0.25): "Event Direction" is L2L, and
#     the seed keeps only L2R. It has no host column.
# So: LogScale = the hunt's rows that have a user; AQL = the hunt's rows whose
# destination is not local; and times agree (ContextTimeStamp = time / 1000).
AWK_CSV='
function csv(line, f,    n, i, c, q, cur) {
    n = 0; cur = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0
            } else cur = cur c
        } else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
    }
    f[++n] = cur
    return n
}
# 2026-11-24T13:15:44.208Z -> 1795526144.208 (days from civil, proleptic Gregorian)
function secs(t,    y, m, d, era, yoe, doy, doe, days) {
    y = substr(t, 1, 4) + 0; m = substr(t, 6, 2) + 0; d = substr(t, 9, 2) + 0
    y -= (m <= 2)
    era = int(y / 400); yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    days = era * 146097 + doe - 719468
    return sprintf("%.0f.%s", days * 86400 + substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + \
                   substr(t, 18, 2), substr(t, 21, 3))
}
function base(p) { sub(/.*[\\\/]/, "", p); return p }
function local_ip(ip) { return ip ~ /^(10\.|127\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.)/ }
'
project() { # project VIEW FILE: one normalised line per row
    awk -v view="$1" "$AWK_CSV"'
NR == 1 { next }
{
    csv($0, f)
    if (view == "hunt-logscale" && f[4] != "")
        print f[1] "|" f[3] "|" f[4] "|" f[5] "|" f[6] "|" f[7] "|" f[8] "|" secs(f[9]) "|" secs(f[10])
    if (view == "logscale")
        print f[1] "|" f[2] "|" f[6] "|" f[3] "|" f[4] "|" f[5] "|" f[7] "|" f[8] "|" f[9]
    if (view == "hunt-aql" && !local_ip(f[5]))
        print f[5] "|" f[6] "|" f[4] "|" base(f[3]) "|" f[7] "|" f[8] "|" f[9] "|" f[10]
    if (view == "aql")
        print f[2] "|" f[3] "|" f[4] "|" f[5] "|" f[10] "|" f[6] "|" f[8] "|" f[9]
}' "$2" | sort
}
compare_views() { # compare_views A B WHAT
    project "$1" "$S/${1%%-*}.csv" >"$S/$1.proj"
    project "$2" "$S/$2.csv" >"$S/$2.proj"
    if [ ! -s "$S/$2.proj" ]; then
        fail "[views] $2 gave no rows to compare"
    elif cmp -s "$S/$1.proj" "$S/$2.proj"; then
        ok "[views] $3: $(wc -l <"$S/$2.proj") groups, same counts and times"
    else
        fail "[views] $3 disagree (- hunt, + $2):"
        diff "$S/$1.proj" "$S/$2.proj"
    fi
}
compare_views hunt-logscale logscale "hunt rows with a user = LogScale rows"
compare_views hunt-aql aql "hunt rows to a non-local destination = AQL rows"

# --- d. record order, and the join's report ------------------------------------
awk '{ line[NR] = $0 } END { for (i = NR; i > 0; i--) print line[i] }' "$SAMPLE" \
    >"$S/sysmon_reversed.xml"
run hunt_reversed hunt --sort count --now latest --format csv "$S/sysmon_reversed.xml"
python3 "$ROOT/tests/e2e/seed_columns.py" "$S/hunt_reversed.csv"
if cmp -s "$S/hunt.expected.csv" "$S/hunt_reversed.csv"; then
    ok "[order] the file reversed gives the same hunt"
else
    fail "[order] the file reversed gives another hunt:"
    diff "$S/hunt.expected.csv" "$S/hunt_reversed.csv"
fi
# 44 connections; 38 find their EID 1 (all but devsync.exe's 3 and
# imap-login's 3); 18 EID 1 events.
if grep '^mailc2: winxml: 38 of 44 connection events joined their process (18 Sysmon 1 / ' \
    "$S/hunt.err" >/dev/null; then
    ok "[join] stderr reports 38 of 44 connections joined, 18 process events"
else
    fail "[join] stderr lacks 'winxml: 38 of 44 connection events joined ... (18 Sysmon 1 / ...':"
    cat "$S/hunt.err"
fi
if grep 'winxml: .* joined' "$S/hunt_no_enrich.err" >/dev/null; then
    fail "[join] --no-enrich still reports a join"
else
    ok "[join] --no-enrich reports no join"
fi

[ "$FAILED" -eq 0 ] && echo "PASS test_sysmon_views" && exit 0
exit 1
