#!/bin/sh
# Linux audit logs (src/input/audit.c) on records written for the purpose
# (tests/e2e/data/audit/, derived in data/README.md): seven events — three
# curl connects to 127.0.0.1:143, one nc connect to 127.0.0.1:110, a connect
# to an AF_UNIX socket, an execve, and a python3 connect over IPv6 to
# [2001:db8::25]:587 whose command line comes from EXECVE and which is the
# last event of the file (no PROCTITLE follows: emitted at the end). Raw and
# `ausearch -i` interpreted copies must give the same connections.
#   test_audit.sh MAILC2 ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp"
data=$root/tests/e2e/data/audit
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

printf '%s\n' 'SELECT starttime, username, "Process Path", "Command", destinationip, destinationport FROM events LAST 30 DAYS' >"$tmp/q.aql"
for f in raw interpreted; do
    "$bin" run --now 2026-11-25T00:00:00Z --format csv "$tmp/q.aql" "$data/$f.log" >"$tmp/$f.csv" 2>"$tmp/$f.err"
    grep -q ' 5 events, 0 bad records' "$tmp/$f.err" || { fail "$f: want 5 events, 0 bad"; cat "$tmp/$f.err"; }
done
# By hand: the connects of serials 101-104 and 107 (105 is AF_UNIX, 106 an
# execve), times 1795500000 + 0/60/120/180/360 s plus the serial's ms.
cat >"$tmp/want.csv" <<'CSV'
starttime,username,Process Path,Command,destinationip,destinationport
2026-11-24T06:00:00.101Z,1000,/usr/bin/curl,curl --url imap://127.0.0.1:143/ --user atomic:atomic,127.0.0.1,143
2026-11-24T06:01:00.102Z,1000,/usr/bin/curl,curl --url imap://127.0.0.1:143/ --user atomic:atomic,127.0.0.1,143
2026-11-24T06:02:00.103Z,1000,/usr/bin/curl,curl --url imap://127.0.0.1:143/ --user atomic:atomic,127.0.0.1,143
2026-11-24T06:03:00.104Z,1000,/usr/bin/nc.openbsd,nc -v 127.0.0.1 110,127.0.0.1,110
2026-11-24T06:06:00.107Z,0,/usr/bin/python3.11,python3 /opt/beacon.py --smtp 2001:db8::25,2001:db8::25,587
CSV
diff -u "$tmp/want.csv" "$tmp/raw.csv" || fail "raw audit records"
# Interpreted: the same, with user names (auid 1000 = alice, uid 0 = root).
sed 's/,1000,/,alice,/; s/,0,\/usr\/bin\/python/,root,\/usr\/bin\/python/' "$tmp/want.csv" >"$tmp/want_i.csv"
diff -u "$tmp/want_i.csv" "$tmp/interpreted.csv" || fail "interpreted audit records"

# The hunt: curl's three connects are one finding (count 3 > 2), the
# process and user known, only the host lacking (no node= prefix).
"$bin" hunt --now latest --format csv "$data/raw.log" >"$tmp/hunt.csv" 2>/dev/null
python3 "$root/tests/e2e/seed_columns.py" "$tmp/hunt.csv" # the detection's columns
grep -q '^,,/usr/bin/curl,1000,127.0.0.1,143,IMAP,3,2026-11-24T06:00:00.101Z,2026-11-24T06:02:00.103Z,,curl --url imap://127.0.0.1:143/ --user atomic:atomic,host,,,$' "$tmp/hunt.csv" ||
    { fail "hunt: curl's finding"; cat "$tmp/hunt.csv"; }
[ "$(wc -l <"$tmp/hunt.csv")" -eq 2 ] || fail "hunt: want exactly one finding"

[ "$fails" -eq 0 ] || exit 1
echo "ok: audit raw and interpreted give the 5 hand-derived connections; the hunt finds curl"
