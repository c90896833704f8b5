#!/bin/sh
# Tuning profiles (profiles/*.yml) on the bundled samples: each shipped
# profile removes its false-positive class and nothing else, so the seeds'
# Atomic behaviours (powershell to :25, nc to :110, curl to :143) stay; an
# expired entry suppresses nothing and says so; --show-suppressed keeps and
# marks; the same profile serves the seed LogScale query; a broken profile
# is named by file:line:col. The expected rows are the unprofiled rows minus
# the class, the class chosen by a second implementation of the profile's
# rule in Python below (file name, relay address, port), not by mailc2.
# Usage: sh test_profiles.sh MAILC2 PROJECT_ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }

# expect CLASS BASE OUT: OUT must be BASE without the rows of CLASS.
expect() {
    python3 - "$@" <<'EOF' || fails=$((fails + 1))
import csv, sys
cls, base, out = sys.argv[1:4]
def rows(p):
    return [r for r in csv.DictReader(open(p, newline=""))]
def name(r):
    return r["process"].replace("\\", "/").rsplit("/", 1)[-1].lower()
def in_class(r):
    if cls == "database-mail":
        return name(r) in ("sqlservr.exe", "databasemail.exe") and r["dst_ip"] == "10.20.0.25" \
            and r["dst_port"] in ("25", "587")
    if cls == "it-automation":
        return (name(r) in ("python.exe", "pythonw.exe", "python", "python3")
                or name(r).startswith("python3.")) and r["dst_ip"] == "10.20.0.25" \
            and r["dst_port"] in ("25", "587")
    if cls == "mail-archivers":
        return r["process"] in ("/usr/lib/postfix/sbin/smtp", "/usr/sbin/exim4")
    return False
b, o = rows(base), rows(out)
want = [r for r in b if not in_class(r)]
atomic = [r for r in b if (name(r), r["dst_port"]) in
          (("powershell.exe", "25"), ("nc", "110"), ("nc.openbsd", "110"), ("curl", "143"),
           ("curl.exe", "143"))]
if o != want:
    print("FAIL: %s on %s: %d rows, want %d" % (cls, out, len(o), len(want)))
    sys.exit(1)
if any(a not in o for a in atomic):
    print("FAIL: %s on %s: an Atomic behaviour was suppressed" % (cls, out))
    sys.exit(1)
print("ok: %s on %s: %d of %d rows left, %d Atomic kept" % (cls, out, len(o), len(b), len(atomic)))
EOF
}

hunt() { "$bin" hunt --now latest --format csv --no-progress "$@"; }
for d in falcon sysmon qradar; do
    hunt "$root/samples/$d" >"$tmp/$d.csv" 2>/dev/null
    [ $? -le 1 ] || fail "baseline on samples/$d"
done
removed_total=0
for p in database-mail it-automation mail-archivers; do
    for d in falcon sysmon qradar; do
        hunt --profile "$root/profiles/$p.yml" "$root/samples/$d" >"$tmp/$p.$d.csv" 2>"$tmp/$p.$d.err"
        expect "$p" "$tmp/$d.csv" "$tmp/$p.$d.csv"
    done
done
# Each class is present in the samples (else the checks above prove little).
grep -q "allowed 3 findings" "$tmp/database-mail.falcon.err" || fail "database-mail: no note of 3 allowed"
grep -q "allowed 2 findings" "$tmp/it-automation.falcon.err" || fail "it-automation: no note of 2 allowed"
grep -q "allowed 1 finding " "$tmp/it-automation.sysmon.err" || fail "it-automation (sysmon): no note"
grep -q "allowed 1 finding " "$tmp/mail-archivers.falcon.err" || fail "mail-archivers: no note"

# Scanners: none in the samples; a generated scanner host and a lookalike.
python3 - "$tmp/scan.ndjson" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for host in ("SCAN-01", "WS-9"):
        for i in range(3):
            f.write(json.dumps({"event_simpleName": "NetworkConnectIP4", "ComputerName": host,
                "LocalAddressIP4": "10.0.0.5", "RemoteAddressIP4": "10.0.0.%d" % (20 + i % 1),
                "RemotePort": "25", "ImageFileName": "/usr/bin/nmap", "UserName": "root",
                "ContextTimeStamp": "%d.000" % (1795392000 + i)}) + "\n")
EOF
hunt --profile "$root/profiles/vulnerability-scanners.yml" "$tmp/scan.ndjson" >"$tmp/scan.csv" 2>"$tmp/scan.err"
grep -q '^WS-9,' "$tmp/scan.csv" || fail "scanners: nmap on a non-scanner host was suppressed"
grep -q '^SCAN-01,' "$tmp/scan.csv" && fail "scanners: nmap on the scanner host was not suppressed"
grep -q "allowed 1 finding " "$tmp/scan.err" || fail "scanners: no note"

# Expired: the same entry, expired, suppresses nothing and says so.
sed 's/expires: 2027-12-31/expires: 2020-01-31/' "$root/profiles/database-mail.yml" >"$tmp/old.yml"
hunt --profile "$tmp/old.yml" "$root/samples/falcon" >"$tmp/old.csv" 2>"$tmp/old.err"
cmp -s "$tmp/old.csv" "$tmp/falcon.csv" || fail "expired: the rows changed"
grep -q "old.yml:11: expired on 2020-01-31, so the 3 findings it matches are shown" "$tmp/old.err" ||
    { fail "expired: no note"; cat "$tmp/old.err"; }

# --show-suppressed: every row kept; the allowed ones name their entry.
hunt --profile "$root/profiles/database-mail.yml" --show-suppressed "$root/samples/falcon" >"$tmp/show.csv" 2>/dev/null
[ "$(wc -l <"$tmp/show.csv")" -eq "$(wc -l <"$tmp/falcon.csv")" ] || fail "--show-suppressed: rows differ"
[ "$(grep -c 'database-mail.yml:11: SQL Server Database Mail' "$tmp/show.csv")" -eq 3 ] ||
    fail "--show-suppressed: 3 rows must name entry :11"
head -n 1 "$tmp/show.csv" | grep -q ',suppressed_by$' || fail "--show-suppressed: no suppressed_by column"

# The seed LogScale query on the same samples: its columns (ImageFileName,
# RemoteAddressIP4, RemotePort) mean the same fields, so the profile applies.
"$bin" run --now latest --format csv "$root/tests/e2e/data/seeds/t1071_003.logscale" "$root/samples/falcon" \
    >"$tmp/ls.csv" 2>/dev/null
"$bin" run --now latest --format csv --profile "$root/profiles/database-mail.yml" \
    "$root/tests/e2e/data/seeds/t1071_003.logscale" "$root/samples/falcon" >"$tmp/ls.p.csv" 2>"$tmp/ls.err"
n=$(grep -ci 'sqlservr.exe\|databasemail.exe' "$tmp/ls.csv")
[ "$n" -gt 0 ] || fail "seed LogScale: no database-mail rows to suppress"
[ "$(grep -ci 'sqlservr.exe\|databasemail.exe' "$tmp/ls.p.csv")" -eq 0 ] || fail "seed LogScale: not suppressed"
[ $(($(wc -l <"$tmp/ls.csv") - n)) -eq "$(wc -l <"$tmp/ls.p.csv")" ] || fail "seed LogScale: other rows changed"

# A broken profile stops the run before any input, at its place.
printf 'allow:\n  - port: [25, smtp]\n    reason: r\n' >"$tmp/bad.yml"
hunt --profile "$tmp/bad.yml" "$root/samples/falcon" >/dev/null 2>"$tmp/bad.err"
[ $? -eq 2 ] || fail "broken profile: exit status not 2"
grep -q "bad.yml:2:16: port: 'smtp' is not a port number" "$tmp/bad.err" || { fail "broken profile: message"; cat "$tmp/bad.err"; }

[ "$fails" -eq 0 ] && echo "test_profiles: all pass" || echo "test_profiles: $fails failure(s)"
[ "$fails" -eq 0 ]
