#!/bin/sh
# test_convert_all.sh - issue 12's matrix: each of the three seed forms
# (tests/e2e/data/seeds/t1071_003.aql, .logscale, .sigma.yml) converted by
# `mailc2 convert` to each of the ten targets.
#
# Each pair must exit 0. Where the target cannot express a part the query
# stands without, the pair is refused (exit 2, nothing written) unless
# --allow-loss is given, and then stderr holds exactly the `not carried:`
# lines listed below, no more. Each output must hold fragments written by
# hand from the target's own reference (cited at each pair), not pasted
# from mailc2's output. The AQL, LogScale and Sigma written are read back
# by mailc2's own front ends (`mailc2 explain` compiles them), and the
# LogScale converted again to LogScale gives the same plan (a fixpoint:
# what LogScale reads back is what was written).
#
# Usage: sh test_convert_all.sh MAILC2_BINARY PROJECT_ROOT SCRATCH_DIR
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
NL='
'

# pair SEED TARGET LOST FRAGMENT...: LOST is "-" when the pair converts
# without loss, else the exact `not carried:` parts, one a line.
pair() {
    seed=$1 target=$2 lost=$3
    shift 3
    out=$SCRATCH/$seed.$target
    flag=
    if [ "$lost" != - ]; then
        if "$MAILC2" convert "$SEEDS/t1071_003.$seed" --to "$target" >"$out" 2>"$out.err" || [ -s "$out" ]; then
            echo "FAIL: $seed -> $target converts without --allow-loss, though it loses parts"
            FAILED=1
            return
        fi
        flag=--allow-loss
    fi
    if ! "$MAILC2" convert "$SEEDS/t1071_003.$seed" --to "$target" $flag >"$out" 2>"$out.err"; then
        echo "FAIL: $seed -> $target $flag: $(cat "$out.err")"
        FAILED=1
        return
    fi
    want=
    [ "$lost" = - ] || want=$(printf '%s\n' "$lost" | sed 's/^/mailc2: convert: not carried: /')
    if [ "$(cat "$out.err")" != "$want" ]; then
        echo "FAIL: $seed -> $target: stderr is not the parts named"
        printf 'want:\n%s\ngot:\n%s\n' "$want" "$(cat "$out.err")"
        FAILED=1
        return
    fi
    for fragment in "$@"; do
        if ! grep -qF -- "$fragment" "$out"; then
            echo "FAIL: $seed -> $target lacks: $fragment"
            cat "$out"
            FAILED=1
            return
        fi
    done
    echo "ok   $seed -> $target${flag:+ (--allow-loss)} ($# fragments)"
}

# reads_back SEED TARGET EXT: mailc2's front end compiles what was written.
reads_back() {
    cp "$SCRATCH/$1.$2" "$SCRATCH/back.$3"
    if "$MAILC2" explain "$SCRATCH/back.$3" >/dev/null 2>"$SCRATCH/back.err"; then
        echo "ok   $1 -> $2 reads back"
    else
        echo "FAIL: $1 -> $2 does not read back: $(cat "$SCRATCH/back.err")"
        FAILED=1
    fi
}

# fixpoint SEED: the LogScale written, converted again, gives the same plan.
fixpoint() {
    cp "$SCRATCH/$1.logscale" "$SCRATCH/once.logscale"
    "$MAILC2" convert "$SCRATCH/once.logscale" --to logscale >"$SCRATCH/twice.logscale" &&
        "$MAILC2" explain "$SCRATCH/once.logscale" >"$SCRATCH/once.plan" &&
        "$MAILC2" explain "$SCRATCH/twice.logscale" >"$SCRATCH/twice.plan"
    if [ $? -eq 0 ] && diff "$SCRATCH/once.plan" "$SCRATCH/twice.plan"; then
        echo "ok   $1 -> logscale -> logscale gives the same plan"
    else
        echo "FAIL: $1 -> logscale -> logscale gives another plan (above)"
        FAILED=1
    fi
}

# ---- the AQL seed ----------------------------------------------------------
# AQL (IBM, AQL reference: GROUP BY an alias, HAVING on an aggregate alias).
pair aql aql - 'GROUP BY sourceip, destinationip, destinationport, username, "Process Name", MailProtocol' \
    'HAVING ConnectionCount > 2'
# LogScale: test() filters on an expression and now() is the query's time in
# ms (library.humio.com functions-test, functions-now); `F >= n` compares
# numbers while `=` compares text, so the port is two orderings; a NOT IN
# requires the field first (`F=*`) and negates in() (syntax-operators,
# functions-in); groupBy(limit=max) keeps GroupMaxLimit groups.
pair aql logscale "the test on Event Direction (local or remote by QRadar's network hierarchy; LogScale's ConnectionDirection is by who opened the connection)${NL}the events lacking sourceip (groupBy leaves them out; the plan groups them)${NL}the events lacking destinationip (groupBy leaves them out; the plan groups them)${NL}the events lacking username (groupBy leaves them out; the plan groups them)${NL}the column TotalBytesSent (LogScale cannot read its input)" \
    'test(@timestamp > now() - 86400000)' '(RemotePort >= 25 and RemotePort <= 25)' \
    '!in(field=ContextBaseFileName, values=["outlook.exe", "thunderbird.exe"' \
    'MailProtocol := case {' '    limit=max' '| ConnectionCount > 2'
# Sigma (correlation rules specification: event_count, group-by, timespan,
# condition gt; the taxonomy names the image's path Image).
pair aql sigma "the test on Event Direction (local or remote by QRadar's network hierarchy; the taxonomy has no such field)${NL}the group key 'Process Name' as the file name (the taxonomy names the image's path, Image: grouped by it, a name run from several paths is split into groups)${NL}events dated after now (the filter on the time since now has no end; a timespan ends now)${NL}the event kind (the query reads events of every kind; the rule's logsource is network_connection)" \
    '    type: event_count' '        - Image' '    timespan: 1d' '        gt: 2' \
    '    category: network_connection'
# SPL (docs.splunk.com, Search Reference): fillnull value=<string> <fields>
# before stats, which leaves out an event lacking a by field, then eval's
# if() and null() make the value null again; LONG() read by match() first.
pair aql spl - '| fillnull value="mailc2:null" sourceip destinationip username' \
    '| eval sourceip=if(sourceip=="mailc2:null", null(), sourceip)' \
    'if(match(tostring('"'"'Bytes Sent'"'"'), "^[+-]?[0-9]+$")' '| stats count AS ConnectionCount'
# KQL (learn.microsoft.com, Kusto): iff(), matches regex, tolong() of the
# text without its '+', summarize ... by.
pair aql kql - 'iff(tostring(['"'"'Bytes Sent'"'"']) matches regex @"^[+-]?[0-9]+$"' \
    '| summarize ConnectionCount = count(), TotalBytesSent = sum(TotalBytesSent)'
# ES|QL (elastic.co): CASE(), RLIKE over the whole value, TO_LONG, STATS ... BY.
pair aql esql - 'CASE(TO_STRING(`Bytes Sent`) RLIKE "[+\\-]?[0-9]+"' \
    '| STATS ConnectionCount = COUNT(*)'
# SQL (each engine's reference): now in epoch ms — DuckDB epoch_ms(),
# PostgreSQL clock_timestamp(), ClickHouse toUnixTimestamp(now()), Spark
# unix_millis(); HAVING on COUNT.
pair aql sql:duckdb - 'epoch_ms(current_timestamp)' 'HAVING (COUNT(*) > 2)'
pair aql sql:postgres - 'clock_timestamp()' 'HAVING (COUNT(*) > 2)'
pair aql sql:clickhouse - 'toUnixTimestamp(now())' 'HAVING (count() > 2)'
pair aql sql:spark - 'unix_millis(current_timestamp())' 'HAVING (COUNT(*) > 2)'

# ---- the LogScale seed -----------------------------------------------------
# AQL: ContextTimeStamp is the time in seconds (fields.md §3), starttime in
# ms over 1000.0; IPv4 is INCIDR's test of the family (IBM, "CIDR IP
# addresses in AQL queries"); the kind and direction have no AQL field.
pair logscale aql "the kind and direction of #event_simpleName=NetworkConnectIP4 (AQL's events name no kind, and its Event Direction is by networks, not by who opened a connection)" \
    'MIN(DOUBLE((starttime / 1000.0))) AS FirstSeen' \
    "(destinationip IS NULL OR NOT INCIDR('::/0', destinationip))" 'LIMIT 100'
pair logscale logscale - '#event_simpleName=NetworkConnectIP4' \
    '| sort(ConnectionCount, order=desc, limit=100)'
# Sigma: NetworkConnectIP4 is a network_connection Sysmon marks Initiated
# 'true' to a destination not in ::/0 (the |cidr modifier); pySigma's
# CrowdStrike pipeline reads it so (sigma.md §6).
pair logscale sigma "a limit on the rows (100; Sigma reports every group)${NL}the search's time range (the query takes it from the search, not its text; the timespan 1d is a placeholder for it)" \
    "        Initiated: 'true'" "        DestinationIp|cidr: '::/0'" '    timespan: 1d' \
    '        gt: 2'
# --window gives the search's range LogScale keeps outside the query: the
# timespan is then carried (7d, Sigma's d unit), only the row limit is lost.
out=$SCRATCH/logscale.sigma.window
if "$MAILC2" convert "$SEEDS/t1071_003.logscale" --to sigma --allow-loss --window 7d \
        >"$out" 2>"$out.err" && grep -qxF '    timespan: 7d' "$out" &&
        [ "$(cat "$out.err")" = "mailc2: convert: not carried: a limit on the rows (100; Sigma reports every group)" ]; then
    echo "ok   logscale -> sigma --window 7d: the timespan carried"
else
    echo "FAIL: logscale -> sigma --window 7d:"; cat "$out.err" "$out"; FAILED=1
fi
if "$MAILC2" convert "$SEEDS/t1071_003.logscale" --to sigma --window 7x >/dev/null 2>"$out.err" ||
        ! grep -qF "'7x' is not a duration" "$out.err"; then
    echo "FAIL: --window 7x is not refused as a duration: $(cat "$out.err")"; FAILED=1
else
    echo "ok   --window 7x refused: $(cat "$out.err")"
fi
pair logscale spl - '| head 100'
pair logscale kql - '| take 100'
pair logscale esql - '| LIMIT 100'
pair logscale sql:duckdb - 'LIMIT 100'
pair logscale sql:postgres - 'LIMIT 100'
pair logscale sql:clickhouse - 'LIMIT 100'
pair logscale sql:spark - 'LIMIT 100'

# ---- the Sigma seed --------------------------------------------------------
# AQL: the window is LAST (IBM, time criteria); the product is the path's
# system (Windows: a backslash or a drive's colon; Linux: a leading slash).
pair sigma.yml aql "the test kind = 'conn' (AQL's events hold every kind of event and name none)${NL}the test that a connection is outbound (AQL's Event Direction is by networks, not by who opened it)" \
    'LAST 1 DAYS' 'MATCHES '"'"'/([^:\\][^\\]*)?'"'"'' "INCIDR('fe80::/10', destinationip)"
# LogScale: the window as test()s against now(); the logsource and
# Initiated as the outbound event names (fields.md §3); cidr() negated.
pair sigma.yml logscale - 'test(@timestamp > now() - 86400000)' '| test(@timestamp <= now())' \
    'in(field=#event_simpleName, values=[NetworkConnectIP4, NetworkConnectIP6])' \
    '!cidr(field=RemoteAddressIP4, subnet=["10.0.0.0/8"'
pair sigma.yml sigma - '    timespan: 1d' '    category: network_connection'
pair sigma.yml spl - '| stats count AS count'
pair sigma.yml kql - '| summarize ['"'"'count'"'"'] = count()'
pair sigma.yml esql - '| STATS count = COUNT(*)'
pair sigma.yml sql:duckdb - '"UtcTime" <= epoch_ms(current_timestamp)'
pair sigma.yml sql:postgres - '"UtcTime" <= CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS bigint)'
pair sigma.yml sql:clickhouse - '"UtcTime" <= (toInt64(toUnixTimestamp(now())) * 1000)'
pair sigma.yml sql:spark - '`UtcTime` <= unix_millis(current_timestamp())'

# ---- read back -------------------------------------------------------------
for seed in aql logscale sigma.yml; do
    reads_back "$seed" aql aql
    reads_back "$seed" logscale logscale
    reads_back "$seed" sigma sigma.yml
    fixpoint "$seed"
done
exit $FAILED
