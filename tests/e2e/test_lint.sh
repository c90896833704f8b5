#!/bin/sh
# mailc2 lint on the three seed forms: the copies the project ships
# (tests/e2e/data/seeds/) and the specification's own in ../shared (seeds/
# for AQL and LogScale, docs/ for Sigma) when it is beside the checkout.
# Each expected line was written from reading the seed pages and the seed
# files (the comment above it names the seed line it is about), not copied
# from mailc2's output; the test asserts every expected warning line, the
# count of warnings, "N warnings" on stderr and the exit status (1: warnings).
# Then a rule without warnings (exit 0), --format jsonl, --format-of, the
# built-in rule and the usage errors (exit 2).
# Usage: sh test_lint.sh MAILC2 ROOT SCRATCH
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp"
fails=0

fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# lint_seed NAME FILE EXPECTED-FILE: every line of EXPECTED-FILE (id and
# position) must be a warning line, no other warning may appear, and the
# exit status must be 1.
lint_seed() {
    name=$1 rule=$2 want=$3
    "$bin" lint "$rule" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    [ "$rc" -eq 1 ] || fail "$name: exit status $rc, want 1"
    n=0
    while IFS=' ' read -r where id; do
        n=$((n + 1))
        grep -q "^$rule:$where: warning: .* \[$id\]\$" "$tmp/$name.out" ||
            fail "$name: no warning $id at $where"
    done <"$want"
    got=$(grep -c ': warning: ' "$tmp/$name.out")
    [ "$got" -eq "$n" ] || { fail "$name: $got warnings, want $n"; cat "$tmp/$name.out"; }
    fixes=$(grep -c '^  fix: ' "$tmp/$name.out")
    [ "$fixes" -eq "$n" ] || fail "$name: $fixes fix lines for $n warnings"
    grep -qx "$n warnings" "$tmp/$name.err" || fail "$name: stderr lacks '$n warnings'"
    [ "$fails" -eq 0 ] && echo "ok: $name ($n warnings)"
}

# The AQL seed (000_*.txt, t1071_003.aql).
# 19:3  `starttime > NOW() - 86400000` with `HAVING ConnectionCount > 2`: a
#       24-hour look-back and a count threshold; a QRadar rule counts per 5 minutes.
# 21:7  `"Event Direction" = 'L2R'`: L2L left out, so the page's Atomic tests
#       (127.0.0.1:25, :110, :143) never match.
# 22:13 `LOWER("Process Name") NOT IN (...)`: the exclusion is the file name alone.
# No LIMIT (IBM documents no default), ports are numbers, NULL keys are grouped.
cat >"$tmp/aql.want" <<'EOF'
19:3 aql-rule-window
21:7 aql-l2r-loopback
22:13 exclusion-name-only
EOF

# The LogScale seed (004_*.txt, t1071_003.logscale).
# 2:12  `in(field=RemotePort, values=[25, ...])`: in() compares strings.
# 3:37  `"(?i)(outlook|...|firefox)\\.exe$"`: not anchored on the left.
# 10:3  `groupBy([ComputerName, ImageFileName, RemoteAddressIP4, RemotePort, Protocol,
#       UserName], ...)`: events lacking ComputerName, ImageFileName, RemoteAddressIP4 or
#       UserName are dropped (raw FDR lacks ImageFileName and UserName); and no limit=,
#       so 20,000 groups at most.
# 19:37 `sort(..., limit=100)`: rows past 100 are dropped.
cat >"$tmp/logscale.want" <<'EOF'
2:12 port-as-text
3:37 exclusion-unanchored
10:3 groupby-drops-missing
10:3 limit-groups
19:37 limit-rows
EOF

# The Sigma seed (shared/docs/t1071_003.sigma.yml).
# 24:5  the correlation's `group-by` (Computer, Image, User, DestinationIp,
#       DestinationPort): events lacking one are not counted.
# 49:9  `DestinationPort:` with a list of numbers: Sigma compares them as text.
# Image|endswith values carry their separator (\outlook.exe, /firefox): anchored.
cat >"$tmp/sigma.want" <<'EOF'
24:5 groupby-drops-missing
49:9 port-as-text
EOF

seeds=$root/tests/e2e/data/seeds
lint_seed repo-aql "$seeds/t1071_003.aql" "$tmp/aql.want"
lint_seed repo-logscale "$seeds/t1071_003.logscale" "$tmp/logscale.want"
lint_seed repo-sigma "$seeds/t1071_003.sigma.yml" "$tmp/sigma.want"

shared=$root/../shared
if [ -f "$shared/seeds/t1071_003.aql" ] && [ -f "$shared/seeds/t1071_003.logscale" ] &&
   [ -f "$shared/docs/t1071_003.sigma.yml" ]; then
    lint_seed shared-aql "$shared/seeds/t1071_003.aql" "$tmp/aql.want"
    lint_seed shared-logscale "$shared/seeds/t1071_003.logscale" "$tmp/logscale.want"
    lint_seed shared-sigma "$shared/docs/t1071_003.sigma.yml" "$tmp/sigma.want"
else
    echo "SKIP: ../shared/seeds or ../shared/docs absent beside $root; linted the repo's copies only"
fi

# A rule without warnings: exit 0, "0 warnings", nothing on stdout.
printf 'ComputerName=ws1\n| groupBy([ComputerName], limit=max)\n' >"$tmp/clean.logscale"
"$bin" lint "$tmp/clean.logscale" >"$tmp/clean.out" 2>"$tmp/clean.err"
rc=$?
[ "$rc" -eq 0 ] || fail "clean rule: exit status $rc, want 0"
[ -s "$tmp/clean.out" ] && fail "clean rule: output on stdout"
grep -qx '0 warnings' "$tmp/clean.err" || fail "clean rule: stderr lacks '0 warnings'"

# JSON lines: one object per warning, with the id and place.
"$bin" lint --format jsonl "$seeds/t1071_003.aql" >"$tmp/aql.jsonl" 2>/dev/null
[ "$(wc -l <"$tmp/aql.jsonl")" -eq 3 ] || fail "jsonl: not 3 lines"
grep -q '"line":21,"column":7,"id":"aql-l2r-loopback"' "$tmp/aql.jsonl" ||
    fail "jsonl: no aql-l2r-loopback at 21:7"

# --format-of: AQL's qid has no meaning on Falcon input (the view maps it to nothing).
printf 'SELECT qid FROM events\nWHERE\n  destinationport = 25\nLAST 5 MINUTES\n' >"$tmp/qid.aql"
"$bin" lint --format-of falcon "$tmp/qid.aql" >"$tmp/qid.out" 2>&1
grep -q "^$tmp/qid.aql:1:8: warning: .*\[format-lacks-field\]\$" "$tmp/qid.out" ||
    fail "--format-of falcon: no format-lacks-field for qid"
"$bin" lint --format-of qradar-csv "$tmp/qid.aql" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 0 ] || fail "--format-of qradar-csv: exit status $rc, want 0 (qid is QRadar's own column)"

# The built-in rule has no text: its warning has no place.
"$bin" lint builtin >"$tmp/builtin.out" 2>/dev/null
grep -q '^builtin: warning: .*\[exclusion-name-only\]$' "$tmp/builtin.out" ||
    fail "builtin: no exclusion-name-only"

# Usage and rule errors: exit 2.
for args in "" "--format csv $seeds/t1071_003.aql" "--format-of nope $seeds/t1071_003.aql" \
            "$tmp/no-such.aql"; do
    # shellcheck disable=SC2086
    "$bin" lint $args >/dev/null 2>&1
    rc=$?
    [ "$rc" -eq 2 ] || fail "lint $args: exit status $rc, want 2"
done
printf 'SELECT FROM\n' >"$tmp/bad.aql"
"$bin" lint "$tmp/bad.aql" >/dev/null 2>"$tmp/bad.err"
[ $? -eq 2 ] || fail "a rule that does not compile: want exit 2"
grep -q "bad.aql:1:" "$tmp/bad.err" || fail "a rule error names file:line:col"

[ "$fails" -eq 0 ] && echo "ok: lint"
[ "$fails" -eq 0 ]
