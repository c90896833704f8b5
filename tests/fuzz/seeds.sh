#!/bin/sh
# seeds.sh OUT: the seed corpus of each fuzz target, OUT/<target>/, from the
# bundled samples (samples/), the seed rules and test data (tests/e2e/data/)
# and, when it is there, the shared data (../shared/data/; skipped with a
# message when absent). Run from anywhere; OUT is emptied first.
#
# Line formats are cut into pieces of at most 20 lines (the first 8 pieces
# of each file), so that a seed runs in milliseconds and the fuzzer mutates
# records rather than megabytes; binary files (EVTX, pcap) and whole
# documents (QRadar's Ariel JSON) are kept whole. nfdump's CSV and JSON are
# made from the shared captures when nfpcapd and nfdump are installed.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=$root/../shared/data
out=$1
rm -rf "$out"
mkdir -p "$out"

# pieces TARGET FILE...: each file cut into seeds of at most 20 lines.
pieces() {
    target=$1
    shift
    mkdir -p "$out/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        base=$(basename "$f")
        split -l 20 -a 3 "$f" "$out/$target/$base."
        # keep the first 8 pieces of a long file
        ls "$out/$target/$base."* | sed -n '9,$p' | xargs -r rm -f
    done
}

# queries TARGET FILE: each rule of a language test table (tests/lang/*.test:
# the lines between "query:" and the next section) one seed.
queries() {
    mkdir -p "$out/$1"
    awk -v dir="$out/$1" '
        /^(events|expect|error|warning|warnings|args|now):/ { inq = 0 }
        inq { print > (dir "/test." n) }
        /^query:/ { inq = 1; n++ }' "$2"
}

# rules TARGET FILE: each rule of the Sigma test table (tests/lang/sigma.test:
# the lines between "rule:" and the next section or case) one seed. Only
# these four words head a section there; a rule's own "detection:" does not.
rules() {
    mkdir -p "$out/$1"
    awk -v dir="$out/$1" '
        /^(events|expect|error):$/ || /^###/ { inr = 0 }
        inr { print > (dir "/test." n) }
        /^rule:$/ { inr = 1; n++ }' "$2"
}

# whole TARGET FILE...: each file one seed.
whole() {
    target=$1
    shift
    mkdir -p "$out/$target"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$out/$target/"
    done
    return 0
}

pieces json "$root"/samples/falcon/*.ndjson
whole json "$root"/samples/qradar/ariel_search_results.json
pieces csv "$root"/samples/qradar/log_activity.csv
pieces tsv "$root"/tests/e2e/data/zeek_conn.log "$root"/tests/e2e/data/zeek_local.log
pieces syslog "$root"/samples/qradar/events.leef "$root"/tests/e2e/data/audit/*.log
pieces xml "$root"/samples/sysmon/sysmon_atomic.xml
whole aql "$root"/tests/e2e/data/seeds/t1071_003.aql
whole logscale "$root"/tests/e2e/data/seeds/t1071_003.logscale
queries aql "$root"/tests/lang/aql.test
queries logscale "$root"/tests/lang/logscale.test
# Sigma: the seed rule, the SigmaHQ rules kept as tests, any rule under
# samples/ or examples/, the test table's rules and the shared docs' rule.
whole sigma "$root"/tests/e2e/data/seeds/t1071_003.sigma.yml
# the shared copy under its own name: it may differ from the seed's
docs_rule=$root/../shared/docs/t1071_003.sigma.yml
[ ! -f "$docs_rule" ] || cp "$docs_rule" "$out/sigma/shared-docs.t1071_003.sigma.yml"
find "$root"/tests/lang/sigma "$root"/samples "$root"/examples -type f \
    \( -name '*.yml' -o -name '*.yaml' \) -exec cp {} "$out/sigma/" \;
rules sigma "$root"/tests/lang/sigma.test
mkdir -p "$out/evtx" "$out/pcap"

if [ -d "$shared" ]; then
    pieces json "$shared"/falcon/*.ndjson "$shared"/sysmon/*.json "$shared"/suricata/*.json \
        "$shared"/zeek/*.json
    whole json "$shared"/qradar/*.json
    pieces tsv "$shared"/zeek/*.log
    pieces syslog "$shared"/firewall/*.log
    whole evtx "$shared"/evtx/*.evtx
    whole pcap "$shared"/pcap/*.pcap
    if command -v nfpcapd >/dev/null 2>&1 && command -v nfdump >/dev/null 2>&1; then
        tmp=$(mktemp -d)
        for cap in "$shared"/pcap/*.pcap; do
            name=$(basename "$cap" .pcap)
            mkdir -p "$tmp/$name"
            nfpcapd -r "$cap" -w "$tmp/$name" >/dev/null 2>&1 || continue
            TZ=UTC nfdump -R "$tmp/$name" -o csv >"$tmp/$name.nfdump.csv" 2>/dev/null || true
            TZ=UTC nfdump -R "$tmp/$name" -o json >"$tmp/$name.nfdump.json" 2>/dev/null || true
        done
        pieces csv "$tmp"/*.nfdump.csv
        pieces json "$tmp"/*.nfdump.json
        rm -rf "$tmp"
    else
        echo "seeds.sh: nfpcapd/nfdump not installed; no nfdump seeds"
    fi
else
    echo "seeds.sh: $shared is absent; seeds from samples/ and tests/e2e/data/ only"
fi
for d in "$out"/*/; do
    echo "seeds.sh: $(basename "$d"): $(ls "$d" | wc -l) seeds"
done
