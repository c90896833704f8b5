#!/bin/sh
# Flow records (src/input/nfdump.c, nfdump_json.c): nfpcapd turns captures
# into nfcapd files, `nfdump -o csv` and `-o json` print them, and mailc2
# must count, in each form, the same flows,
# bytes and packets as nfdump's own Summary line says — an independent
# count — with the AQL seed's byte column, SUM(LONG("Bytes Sent")), filled.
#   test_flows.sh MAILC2 ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
for tool in nfpcapd nfdump; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool is not installed (Debian package nfdump)"; exit 77; }
done
shared=$root/../shared/data/pcap
[ -d "$shared" ] || { echo "SKIP: $shared is absent (the captures to make flows from)"; exit 77; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# Flows and bytes through the AQL view ("Bytes Sent" reads the canonical
# bytes); packets through LogScale, which reads nfdump's own column names.
cat >"$tmp/q.aql" <<'EOF2'
SELECT COUNT(*) AS flows, SUM(LONG("Bytes Sent")) AS bytes FROM flows LAST 10000 DAYS
EOF2
echo 'sum(ipkt)' >"$tmp/q.logscale"
echo 'sum(in_packets)' >"$tmp/qj.logscale"
for cap in "$shared"/*.pcap; do
    name=$(basename "$cap" .pcap)
    mkdir -p "$tmp/$name"
    nfpcapd -r "$cap" -w "$tmp/$name" >/dev/null 2>&1
    TZ=UTC nfdump -R "$tmp/$name" -o csv >"$tmp/$name.csv" 2>/dev/null
    want=$(tail -n 1 "$tmp/$name.csv" | cut -d, -f1-3)
    got=$("$bin" run --now 2026-12-01T00:00:00Z --format csv "$tmp/q.aql" "$tmp/$name.csv" \
              2>"$tmp/$name.err" | tail -n 1)
    got="$got,$("$bin" run --format csv "$tmp/q.logscale" "$tmp/$name.csv" 2>/dev/null | tail -n 1)"
    grep -q ' 0 bad records' "$tmp/$name.err" || { fail "$name: bad records"; cat "$tmp/$name.err"; }
    [ "$got" = "$want" ] || fail "$name: mailc2 flows,bytes,packets '$got', nfdump's Summary '$want'"
    echo "$name: $got"
    TZ=UTC nfdump -R "$tmp/$name" -o json >"$tmp/$name.json" 2>/dev/null
    got=$("$bin" run --now 2026-12-01T00:00:00Z --format csv "$tmp/q.aql" "$tmp/$name.json" \
              2>"$tmp/$name.jerr" | tail -n 1)
    got="$got,$("$bin" run --format csv "$tmp/qj.logscale" "$tmp/$name.json" 2>/dev/null | tail -n 1)"
    grep -q ' 0 bad records' "$tmp/$name.jerr" || { fail "$name.json: bad records"; cat "$tmp/$name.jerr"; }
    [ "$got" = "$want" ] || fail "$name.json: mailc2 flows,bytes,packets '$got', nfdump's Summary '$want'"
done
[ "$fails" -eq 0 ] || exit 1
echo "ok: flows, bytes and packets equal nfdump's own Summary on every capture, CSV and JSON"
