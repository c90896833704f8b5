#!/bin/sh
# End-to-end checks of the mailc2 command on a hand-made fixture (see
# data/README.md for the derivation of every expected value): exit codes,
# bad-record messages and counts, compression, stdin, the window hint, and
# each tuning flag, write errors. Usage: sh test_cli.sh MAILC2 PROJECT_ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp"
data=$root/tests/e2e/data
fx=$data/bad_lines.ndjson
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_rc WANT DESCRIPTION -- command...
expect_rc() {
    want=$1 what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ "$rc" -eq "$want" ] || { fail "$what: exit $rc, want $want"; cat "$tmp/err"; }
}
expect_err() { grep -q -- "$1" "$tmp/err" || { fail "stderr lacks '$1'"; cat "$tmp/err"; }; }
# The detection's columns only (seed_columns.py drops the triage ones; runs
# compared with it use --sort count, the seeds' order).
expect_out() {
    python3 "$root/tests/e2e/seed_columns.py" "$tmp/out"
    diff -u "$1" "$tmp/out" >"$tmp/diff" || { fail "output differs from $1"; cat "$tmp/diff"; }
}

# Usage errors exit 2; help exits 0 and lists every flag.
expect_rc 0 "help" -- "$bin" --help
for flag in --ports --allow --threshold --window --now --format --output --max-errors \
            --progress --no-progress --quiet --lang --local-nets --emulate-limits --no-enrich --map --threads \
            --max-record --max-memory --max-groups --regex-limit --profile --show-suppressed --wide --columns --summary-json --no-prefilter \
            --min-score --sort; do
    grep -q -- "$flag" "$tmp/out" || fail "--help does not mention $flag"
done
expect_rc 2 "unknown command" -- "$bin" frobnicate
expect_rc 2 "bad --now" -- "$bin" hunt --now yesterday "$fx"; expect_err "--now: 'yesterday'"
expect_rc 2 "bad --ports" -- "$bin" hunt --ports 25,x "$fx"; expect_err "--ports"
expect_rc 2 "bad --format" -- "$bin" hunt --format xml "$fx"; expect_err "--format: 'xml'"
expect_rc 2 "bad --window" -- "$bin" hunt --window 24 "$fx"; expect_err "--window"

# Findings exit 1; bad records are named by file:line and counted; the rest
# is read. Every line is parsed (--no-prefilter) so that every bad one is
# named; the default run skips lines that cannot match unparsed, same rows.
expect_rc 1 "fixture" -- "$bin" hunt --sort count --now latest --format csv "$fx"
cp "$tmp/out" "$tmp/prefiltered.csv"
grep -q "lines could not pass the query's first filters" "$tmp/err" ||
    fail "the summary does not count the lines the prefilter skipped"
expect_rc 1 "fixture" -- "$bin" hunt --sort count --now latest --format csv --no-prefilter "$fx"
cmp -s "$tmp/out" "$tmp/prefiltered.csv" || fail "the prefilter changed the rows"
expect_out "$data/bad_lines.expected.csv"
expect_err "bad_lines.ndjson:2: falcon: invalid JSON"
expect_err "bad_lines.ndjson:4: falcon: invalid JSON"
expect_err "bad_lines.ndjson:10: falcon: invalid JSON"
expect_err "15 events, 3 bad records, 2 findings"
expect_err "the time window kept 14 of 15 events (1 outside it, 0 without a time)" # line 19

# --max-errors limits the messages, never the count.
expect_rc 1 "max-errors" -- "$bin" hunt --sort count --now latest --format csv --max-errors 1 --no-prefilter "$fx"
expect_err "2 more bad records not shown"
[ "$(grep -c 'invalid JSON' "$tmp/err")" -eq 1 ] || fail "--max-errors 1 showed more than one"

# Compression is detected by content, whatever the name; stdin is '-'.
gzip -c "$fx" >"$tmp/fixture.data"
expect_rc 1 "gzip" -- "$bin" hunt --sort count --now latest --format csv "$tmp/fixture.data"
expect_out "$data/bad_lines.expected.csv"
if command -v zstd >/dev/null 2>&1; then
    zstd -q -c "$fx" >"$tmp/fixture.zst"
    expect_rc 1 "zstd" -- "$bin" hunt --sort count --now latest --format csv "$tmp/fixture.zst"
    expect_out "$data/bad_lines.expected.csv"
else
    echo "note: zstd command absent; zstd input is covered by the reader unit test"
fi
"$bin" hunt --sort count --now latest --format csv - <"$fx" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "stdin: exit status"
expect_out "$data/bad_lines.expected.csv"
expect_err "<stdin>:2: falcon"

# A directory is every file below it; an unreadable path is named and exits 3,
# or 5 when the readable inputs still gave findings (one never hides the other).
mkdir -p "$tmp/dir/sub" && cp "$fx" "$tmp/dir/sub/a.json"
expect_rc 1 "directory" -- "$bin" hunt --sort count --now latest --format csv "$tmp/dir"
expect_out "$data/bad_lines.expected.csv"
expect_rc 5 "findings and a missing input" -- "$bin" hunt --sort count --now latest --format csv "$fx" "$tmp/nope.json"
expect_out "$data/bad_lines.expected.csv"
expect_err "nope.json"
expect_rc 3 "missing input, nothing found" -- "$bin" hunt --now 2025-11-23T12:00:00Z --format csv "$fx" "$tmp/nope.json"
expect_err "nope.json"

# The wall-clock window removes these 2025 events, and says what to do.
expect_rc 0 "wall clock" -- "$bin" hunt --format csv "$fx"
expect_err "use --now latest"
expect_rc 0 "explicit now, before the events" -- "$bin" hunt --now 2025-11-23T12:00:00Z "$fx"

# --no-enrich with a first pass for --now latest (a crash once): same answer here,
# since the fixture carries its own process names.
expect_rc 1 "no-enrich" -- "$bin" hunt --sort count --no-enrich --now latest --format csv "$fx"
expect_out "$data/bad_lines.expected.csv"

# Tuning: each flag changes the answer the way data/README.md says.
expect_rc 0 "allow" -- "$bin" hunt --now latest --allow POWERSHELL.EXE,nc "$fx"
expect_rc 1 "threshold 1" -- "$bin" hunt --sort count --now latest --format csv --threshold 1 "$fx"
[ "$(wc -l <"$tmp/out")" -eq 4 ] || fail "--threshold 1 should add the curl pair (3 rows)"
expect_rc 1 "ports" -- "$bin" hunt --sort count --now latest --format csv --ports 995 "$fx"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "--ports 995 should leave only nc"
expect_rc 1 "window 7d" -- "$bin" hunt --sort count --now latest --format csv --window 7d "$fx"
grep -q ',POP3,4,' "$tmp/out" || fail "--window 7d should count the old nc event (4)"

# Formats: JSON lines (one object per finding) and an aligned table.
expect_rc 1 "jsonl" -- "$bin" hunt --now latest --format jsonl --quiet "$fx"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "jsonl: want 2 lines"
grep -q '"count":3,"first_seen":"2025-11-23T12:13:20.100Z"' "$tmp/out" || fail "jsonl fields"
grep -q '"bytes_out":null' "$tmp/out" || fail "jsonl null"
grep -v 'invalid JSON' "$tmp/err" | grep -q . && fail "--quiet wrote more than bad-record messages"
expect_rc 1 "quiet, no messages" -- "$bin" hunt --now latest --quiet --max-errors 0 "$fx"
[ ! -s "$tmp/err" ] || fail "--quiet --max-errors 0 still wrote to stderr"
expect_rc 1 "table" -- "$bin" hunt --now latest --format table "$fx"
head -1 "$tmp/out" | grep -q '^host  *src_ip  *process  *user' || fail "table header"
expect_rc 1 "output file" -- "$bin" hunt --sort count --now latest --format csv --output "$tmp/o.csv" "$fx"
python3 "$root/tests/e2e/seed_columns.py" "$tmp/o.csv"
diff -u "$data/bad_lines.expected.csv" "$tmp/o.csv" || fail "--output file"

# A network source: direction from the local networks (data/README.md).
expect_rc 1 "zeek default local nets" -- "$bin" hunt --sort count --now latest --format csv "$data/zeek_conn.log"
expect_out "$data/zeek_conn.expected.csv"
expect_rc 0 "zeek --local-nets" -- "$bin" hunt --now latest --local-nets 192.168.0.0/16 "$data/zeek_conn.log"
expect_rc 2 "bad --local-nets" -- "$bin" hunt --local-nets 10.0.0.0/99 "$data/zeek_conn.log"
expect_err "'10.0.0.0/99' is not an IPv4 or IPv6 network"

# Free text searches the raw record of any line format, not only Falcon's:
# all three conn.log records name 203.0.113.5, and C2 is in one of them.
printf '"203.0.113.5" | count()\n' >"$tmp/free.logscale"
expect_rc 1 "free text on zeek" -- "$bin" run --format csv "$tmp/free.logscale" "$data/zeek_conn.log"
[ "$(tail -1 "$tmp/out")" = 3 ] || fail "free text on zeek: want a count of 3"
printf 'C2 | count()\n' >"$tmp/free.logscale"
expect_rc 1 "free text C2" -- "$bin" run --format csv "$tmp/free.logscale" "$data/zeek_conn.log"
[ "$(tail -1 "$tmp/out")" = 1 ] || fail "free text C2: want a count of 1"

# run: rule errors exit 2 with file:line:col, the source line and a caret.
printf '#event_simpleName=NetworkConnectIP4\n| groupBy([a], limitt=5)\n' >"$tmp/bad.logscale"
expect_rc 2 "bad LogScale rule" -- "$bin" run "$tmp/bad.logscale" "$fx"
expect_err "bad.logscale:2:16: groupBy(): parameter 'limitt' is not supported"
grep -q '^ *\^$' "$tmp/err" || fail "no caret line under the error"
printf 'SELECT username FROM events LIMIT 5 WHERE x = 1\n' >"$tmp/bad.aql"
expect_rc 2 "bad AQL rule" -- "$bin" run "$tmp/bad.aql" "$fx"
expect_err "bad.aql:1:37: clause out of order"
printf 'x' >"$tmp/rule.txt"
expect_rc 2 "unknown rule language" -- "$bin" run "$tmp/rule.txt" "$fx"
expect_err "use --lang logscale or --lang aql"
expect_rc 2 "run without a rule" -- "$bin" run
# A NUL byte in a rule is refused at its place (it would hide the rest).
printf 'ComputerName=h\0001 | count()\n' >"$tmp/nul.logscale"
expect_rc 2 "NUL in a rule" -- "$bin" run "$tmp/nul.logscale" "$fx"
expect_err "nul.logscale:1:15: a NUL byte in the rule text"
printf "SELECT * FROM events\nWHERE sourceip='1\0002'\n" >"$tmp/nul.aql"
expect_rc 2 "NUL in an AQL rule" -- "$bin" run "$tmp/nul.aql" "$fx"
expect_err "nul.aql:2:18: a NUL byte in the rule text"
for flag in --max-memory --max-groups; do
    expect_rc 2 "bad $flag" -- "$bin" hunt $flag -1 "$fx"; expect_err "$flag: '-1'"
done
expect_rc 2 "bad --regex-limit" -- "$bin" hunt --regex-limit 0 "$fx"; expect_err "--regex-limit: '0'"
# A rule's findings exit 1, like hunt's; --lang overrides the extension.
printf 'RemotePort=995 | groupBy([ComputerName], function=count(as=n))\n' >"$tmp/rule.txt"
expect_rc 1 "--lang logscale" -- "$bin" run --lang logscale --format csv "$tmp/rule.txt" "$fx"
grep -qx 'srv-1,4' "$tmp/out" || fail "--lang logscale: want srv-1,4 (lines 16-19)"

# Symbolic-link loops and files reached twice: read once, said once, no
# hang. Two links to the directory itself and one to its parent.
loop=$tmp/loop
rm -rf "$loop" && mkdir -p "$loop/sub"
cp "$fx" "$loop/" && ln -s . "$loop/a" && ln -s . "$loop/b" && ln -s .. "$loop/sub/up"
expect_rc 1 "link loops" -- "$bin" hunt --sort count --now latest --format csv --no-prefilter "$loop" "$loop/bad_lines.ndjson"
expect_err "1 files, 15 events, 3 bad records"
expect_err "$loop/a: a directory already read (a link loop or a second name); not read again"
expect_err "$loop/sub/up: a directory already read"
expect_err "$loop/bad_lines.ndjson: a file already read under another name; not read again"

# A regex that gives up at its match limit: each record is an error, shown
# and counted, never taken as "no match" (so `!=` finds nothing false).
for i in 1 2 3; do
    printf '{"event_simpleName":"NetworkConnectIP4","ComputerName":"h","CommandLine":"%s"}\n' \
        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab
done >"$tmp/redos.ndjson"
printf '%s\n' 'CommandLine!=/^(a+)+$/ | groupBy([ComputerName])' >"$tmp/redos.logscale"
expect_rc 0 "regex match limit" -- "$bin" run --format csv "$tmp/redos.logscale" "$tmp/redos.ndjson"
expect_err "redos.ndjson:2: a regular expression reached its match limit on this record"
expect_err "3 events, 3 bad records, 0 findings"

# Output hygiene: a field's escape sequence reaches no terminal raw (table
# and CSV show \x1b; JSON escapes it as JSON does), JSON output is valid
# UTF-8 (an invalid byte becomes \ufffd), and a file name's control
# characters are escaped in messages.
esc="$tmp/esc$(printf '\033')[31m.ndjson"
printf '{"event_simpleName":"NetworkConnectIP4","ComputerName":"ws\\u001b[31mRED"}\n' >"$esc"
printf '{"event_simpleName":"NetworkConnectIP4","ComputerName":"bad\377"}\nnot json\n' >>"$esc"
echo 'select([ComputerName])' >"$tmp/esc.logscale"
"$bin" run --format table "$tmp/esc.logscale" "$esc" >"$tmp/out" 2>"$tmp/err"
grep -q 'ws\\x1b\[31mRED' "$tmp/out" || fail "table: the escape sequence was not escaped"
grep -q "$(printf '\033')" "$tmp/out" && fail "table: a raw ESC reached the output"
"$bin" run --format jsonl "$tmp/esc.logscale" "$esc" >"$tmp/out" 2>"$tmp/err"
grep -q '"bad\\ufffd"' "$tmp/out" || fail "jsonl: the invalid byte was not replaced"
grep -q 'esc\\x1b\[31m.ndjson:3: falcon' "$tmp/err" || { fail "messages: the file name's ESC not escaped"; cat -v "$tmp/err"; }
grep -q "$(printf '\033')" "$tmp/err" && fail "messages: a raw ESC reached stderr"

# Zeek's own local flags against --local-nets (data/README.md): two records
# where Zeek marks 64.225.56.201 local, one where it marks 10.1.1.1 remote.
expect_rc 1 "zeek local flags" -- "$bin" hunt --now latest --threshold 0 "$data/zeek_local.log"
expect_err "zeek: 2 times Zeek marks an address local that --local-nets does not (first 64.225.56.201); 1 times Zeek marks an address remote that --local-nets holds (first 10.1.1.1)"

# --max-record: the input ends before the first longer line, the lines before
# it are kept (so the answer is the fixture's own, above) and the line is
# named; findings and the cut input both show in the exit status (5). The
# fixture has 19 lines, so the 3 MB line is line 20; the line is 3,000,008
# bytes (6 + 3,000,000 + 2, without its newline), so a limit of exactly that keeps it. A file without a newline stops
# at line 1 (exit 3); a bad size exits 2.
{ cat "$fx"; printf '{"x":"%s"}\n' "$(head -c 3000000 /dev/zero | tr '\0' a)"; cat "$fx"; } >"$tmp/long.json"
for th in 1 4; do
    expect_rc 5 "max-record, $th threads" -- "$bin" hunt --sort count --now latest --format csv --threads $th \
        --max-record 2M "$tmp/long.json"
    expect_out "$data/bad_lines.expected.csv"
    expect_err "long.json: line 20: a record longer than the limit of 2097152 bytes (--max-record)"
done
gzip -c "$tmp/long.json" >"$tmp/long.json.gz"
expect_rc 5 "max-record, gzip" -- "$bin" hunt --sort count --now latest --format csv --max-record 3000007 "$tmp/long.json.gz"
expect_err "line 20: a record longer than the limit of 3000007 bytes"
expect_rc 1 "max-record at the line's length" -- "$bin" hunt --sort count --now latest --format csv \
    --max-record 3000008 "$tmp/long.json.gz"
head -c 3000000 /dev/zero >"$tmp/zeros"
expect_rc 3 "max-record, no newline" -- "$bin" hunt --now latest --max-record 1M "$tmp/zeros"
expect_err "zeros: line 1: a record longer than the limit of 1048576 bytes"
expect_rc 2 "bad --max-record" -- "$bin" hunt --max-record 5X "$fx"; expect_err "--max-record: '5X'"

# Results that cannot be written: a message naming the output, exit 4 (not
# 1, "found something"). /dev/full fails every write with ENOSPC.
if [ -w /dev/full ]; then
    "$bin" hunt --now latest "$root/samples/falcon" >/dev/full 2>"$tmp/err"; rc=$?
    [ "$rc" -eq 4 ] || fail "write to /dev/full: exit $rc, want 4"
    expect_err "<stdout>: write error: No space left on device"
    "$bin" hunt --sort count --now latest --format csv --output /dev/full "$root/samples/falcon" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 4 ] || fail "--output /dev/full: exit $rc, want 4"
    expect_err "/dev/full: write error: No space left on device"
else
    echo "note: /dev/full is not writable here; the write-error checks did not run"
fi

# MAILC2_SIMD: a value the library does not know is said to be ignored,
# and the run's rows are those of the default.
MAILC2_SIMD=avx3 "$bin" hunt --sort count --now latest --format csv "$root/samples/falcon" \
    >"$tmp/simd.csv" 2>"$tmp/err"
expect_err "mailc2: MAILC2_SIMD=avx3 is not avx512, avx2 or none; ignored"
"$bin" hunt --sort count --now latest --format csv "$root/samples/falcon" >"$tmp/simd-default.csv" 2>/dev/null
cmp -s "$tmp/simd.csv" "$tmp/simd-default.csv" || fail "MAILC2_SIMD=avx3: rows differ from the default"

[ "$fails" -eq 0 ] && echo "all checks passed"
[ "$fails" -eq 0 ]
