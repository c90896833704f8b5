#!/bin/sh
# test_convert_pipe.sh - SPL, KQL and ES|QL written by `mailc2 convert`.
# No Splunk, Sentinel or Elasticsearch runs here, so these three targets
# are checked by their text only: each of the three seed forms and the
# built-in hunt is converted to each target, and the exit status and key
# fragments of the query (or of the refusal) are checked. The fragments
# were read against each language's reference: SPL's stats/where/sort 0,
# KQL's summarize/matches regex/take, ES|QL's STATS/CIDR_MATCH/RLIKE/LIMIT.
# tests/emit/test_emit_pipe.c checks the constructs one by one.
#
# Usage: sh test_convert_pipe.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
# Exit: 0 pass, 1 fail.
if [ $# -ne 3 ]; then
    echo "usage: sh $0 MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR" >&2
    exit 1
fi
MAILC2=$1
SEEDS=$2/tests/e2e/data/seeds
SCRATCH=$3
mkdir -p "$SCRATCH" || exit 1
FAILED=0

# writes RULE TARGET FRAGMENT...: exit 0 and the query holds each fragment.
writes() {
    rule=$1 target=$2
    shift 2
    out=$SCRATCH/$(basename "$rule").$target
    if ! "$MAILC2" convert "$rule" --to "$target" >"$out" 2>"$out.err"; then
        echo "FAIL: convert $rule --to $target: $(cat "$out.err")"
        FAILED=1
        return
    fi
    for fragment in "$@"; do
        if ! grep -qF -- "$fragment" "$out"; then
            echo "FAIL: convert $rule --to $target lacks: $fragment"
            cat "$out"
            FAILED=1
            return
        fi
    done
    echo "ok   $(basename "$rule") -> $target ($# fragments)"
}

# refuses RULE TARGET WORDS: exit 2, nothing written, the construct named.
refuses() {
    "$MAILC2" convert "$1" --to "$2" >"$SCRATCH/refused.out" 2>"$SCRATCH/refused.err"
    rc=$?
    if [ $rc -ne 2 ] || [ -s "$SCRATCH/refused.out" ] ||
        ! grep -qF "$2 cannot express $3" "$SCRATCH/refused.err"; then
        echo "FAIL: convert $1 --to $2: exit $rc, expected 2 and '$2 cannot express $3'"
        cat "$SCRATCH/refused.err"
        FAILED=1
    else
        echo "ok   $2 refuses: $(cat "$SCRATCH/refused.err")"
    fi
}

LS=$SEEDS/t1071_003.logscale
SG=$SEEDS/t1071_003.sigma.yml
writes "$LS" spl 'search index="events"' '| where tostring('"'"'#event_simpleName'"'"')=="NetworkConnectIP4"' \
    'match(ImageFileName, "(?i)(?m)(outlook|' \
    '| stats count AS ConnectionCount, min(ContextTimeStamp) AS FirstSeen' \
    'by ComputerName ImageFileName RemoteAddressIP4 RemotePort Protocol UserName' \
    '| where tonumber(ConnectionCount)>2' '| sort 0 -num(ConnectionCount)' '| head 100'
writes "$LS" kql 'events' 'ImageFileName matches regex @"(?i)(?m)(outlook|' \
    '| extend Protocol = case(' '| summarize ConnectionCount = count()' \
    '| sort by ConnectionCount desc nulls last' '| take 100'
# LogScale's regexes have the m option: $ also before a newline.
writes "$LS" esql 'TO_LOWER(ImageFileName) RLIKE ".*(outlook|thunderbird|mailclient|em.client|msedge|chrome|firefox)\\.exe(\n.*)?"' \
    '| SORT ConnectionCount DESC NULLS LAST' '| LIMIT 100'

writes "$SG" spl '| where UtcTime > (now() * 1000) - 86400000 AND UtcTime <= (now() * 1000)' \
    'in(lower(tostring(DestinationPort)), "25", "465"' \
    '| stats count AS count, min(UtcTime) AS first_seen' '| where count>2'
writes "$SG" kql 'isnotempty(Computer) and isnotempty(Image)' \
    'tostring(Image) matches regex @"(?i)(?s)^(?:.*\\outlook\.exe' "| where ['count'] > 2"
writes "$SG" esql 'FROM events' 'CIDR_MATCH(TO_IP(DestinationIp), "10.0.0.0/8"' \
    'TO_LOWER(TO_STRING(Image)) RLIKE "(.*\\\\outlook\\.exe|' \
    '| STATS count = COUNT(*), first_seen = MIN(UtcTime), last_seen = MAX(UtcTime) BY Computer' \
    '| SORT count DESC NULLS LAST' '| LIMIT 10000'
# The AQL seed: LONG() is tested as mailc2 reads numbers before the
# engine's own cast (KQL: matches regex, tolong(); ES|QL: RLIKE, TO_LONG;
# SPL: match(), tonumber()), and SPL fills the keys stats would drop
# (fillnull value=... before stats, eval if(..., null(), ...) after —
# docs.splunk.com, Search Reference: fillnull, stats, eval).
writes "$SEEDS/t1071_003.aql" spl '| fillnull value="mailc2:null" sourceip destinationip username' \
    '| eval sourceip=if(sourceip=="mailc2:null", null(), sourceip),' \
    'tonumber(ltrim(tostring('"'"'Bytes Sent'"'"'), "+"))'
writes "$SEEDS/t1071_003.aql" kql 'tolong(trim_start(@"[+]", tostring(['"'"'Bytes Sent'"'"'])))'
writes "$SEEDS/t1071_003.aql" esql 'TO_LONG(REPLACE(TO_STRING(`Bytes Sent`), "^[+]", ""))'
for t in spl kql esql; do
    refuses builtin "$t" "the count across groups 'dst_hosts'"
done
# Without SUM(LONG(...)) the seed converts: the CASE key is computed first
# (KQL: extend, then summarize ... by; ES|QL: EVAL, then STATS ... BY —
# learn.microsoft.com's Kusto operator pages, elastic.co's ES|QL commands).
grep -v 'SUM(LONG' "$SEEDS/t1071_003.aql" >"$SCRATCH/nosum.aql"
writes "$SCRATCH/nosum.aql" kql \
    '| extend MailProtocol = case(destinationport in (25, 465, 587), "SMTP", destinationport in (110, 995), "POP3", destinationport in (143, 993), "IMAP", "Unknown")' \
    "by sourceip, destinationip, destinationport, username, ['Process Name'], MailProtocol" \
    '| where ConnectionCount > 2'
writes "$SCRATCH/nosum.aql" esql \
    '| EVAL MailProtocol = CASE(destinationport IN (25, 465, 587), "SMTP", destinationport IN (110, 995), "POP3", destinationport IN (143, 993), "IMAP", "Unknown")' \
    '| STATS ConnectionCount = COUNT(*), FirstSeen = MIN(starttime), LastSeen = MAX(starttime) BY sourceip, destinationip, destinationport, username, `Process Name`, MailProtocol'
# --table names the source of all three.
for t in spl kql esql; do
    "$MAILC2" convert "$SG" --to "$t" --table mail_conn >"$SCRATCH/table.$t" 2>&1
done
if grep -q '^search index="mail_conn"$' "$SCRATCH/table.spl" && grep -q '^mail_conn$' "$SCRATCH/table.kql" &&
    grep -q '^FROM mail_conn$' "$SCRATCH/table.esql"; then
    echo "ok   --table is the index or table of spl, kql and esql"
else
    echo "FAIL: --table mail_conn is not the source of every pipe target"
    FAILED=1
fi
exit $FAILED
