#!/bin/sh
# How findings meet a person (issue 17's output polish): a table on a
# terminal fits its width (checked under script(1) with stty cols), --wide
# keeps values whole, --columns picks and orders columns, --summary-json is
# valid JSON with the counts the summary line gives, the note when events
# come from a terminal, and the bash completion offers the flags --help
# lists. Expectations are widths and names, not pasted output.
# Usage: sh test_present.sh MAILC2 PROJECT_ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v script >/dev/null 2>&1 || { echo "SKIP: script(1) (bsdutils) is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
fx=$root/samples/falcon

# widest WIDTH FILE: fails unless every line of FILE (ANSI colours removed)
# is at most WIDTH characters.
widest() {
    python3 - "$@" <<'PY'
import re, sys
w = max(len(re.sub(r"\x1b\[[0-9;]*m", "", l.rstrip("\r\n"))) for l in open(sys.argv[2], encoding="utf-8"))
print(w)
sys.exit(0 if w <= int(sys.argv[1]) else 1)
PY
}

script -qc "stty cols 200; '$bin' hunt --now latest '$fx' 2>/dev/null" /dev/null >"$tmp/fit.txt"
widest 200 "$tmp/fit.txt" >/dev/null || fail "a 200-column terminal: a line is wider than 200"
grep -q '…' "$tmp/fit.txt" || fail "fit: nothing was shortened (the samples' paths are longer)"
grep -q '(no values: src_ip' "$tmp/fit.txt" || fail "fit: the hidden empty columns are not named"
grep -q "$(printf '\033')\[1m" "$tmp/fit.txt" || fail "fit: no bold column names on a terminal"
script -qc "stty cols 200; NO_COLOR=1 '$bin' hunt --now latest '$fx' 2>/dev/null" /dev/null >"$tmp/nocolor.txt"
grep -q "$(printf '\033')" "$tmp/nocolor.txt" && fail "NO_COLOR: escape sequences printed"
script -qc "stty cols 200; '$bin' hunt --now latest --wide '$fx' 2>/dev/null" /dev/null >"$tmp/wide.txt"
widest 200 "$tmp/wide.txt" >/dev/null && fail "--wide: rows fit 200 columns, so nothing was kept whole"
grep -q 'MSSQL16.MSSQLSERVER' "$tmp/wide.txt" || fail "--wide: the full path is not shown"
# Not a terminal: no fitting, no colour.
"$bin" hunt --now latest --format table "$fx" >"$tmp/pipe.txt" 2>/dev/null
grep -q '…' "$tmp/pipe.txt" && fail "a table into a pipe was shortened"

# --columns: these, in this order; a name the result lacks is a usage error.
"$bin" hunt --now latest --format csv --columns count,host "$fx" >"$tmp/cols.csv" 2>/dev/null
[ "$(head -n 1 "$tmp/cols.csv")" = "count,host" ] || fail "--columns: header $(head -n 1 "$tmp/cols.csv")"
"$bin" hunt --now latest --columns host,nope "$fx" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "--columns with an unknown name: exit $rc, want 2"
grep -q "no column 'nope' (it has: host, src_ip" "$tmp/err" || fail "--columns: message"

# --summary-json: one object whose counts agree with the summary line.
"$bin" hunt --now latest --format csv --summary-json "$tmp/s.json" "$fx" >/dev/null 2>"$tmp/err"; rc=$?
python3 - "$tmp/s.json" "$tmp/err" "$rc" <<'PY' || fails=$((fails + 1))
import json, re, sys
s = json.load(open(sys.argv[1]))
line = [l for l in open(sys.argv[2]) if re.match(r"mailc2: \d+ files", l)][0]
f, e, b, n = map(int, re.match(r"mailc2: (\d+) files, (\d+) events, (\d+) bad records, (\d+) findings", line).groups())
ok = (s["files"], s["events"], s["bad_records"], s["findings"], s["exit_status"]) == (f, e, b, n, int(sys.argv[3]))
ok = ok and s["now"].endswith("Z") and s["notes"][0] == line[len("mailc2: "):].rstrip("\n")
print("summary-json: ok" if ok else "FAIL: summary-json %r vs %r" % (s, line))
sys.exit(0 if ok else 1)
PY

# Events from a terminal: said, so a missing path does not look like a hang.
script -qc "'$bin' hunt --now latest </dev/tty" /dev/null >"$tmp/tty.txt" 2>&1 </dev/null &
sleep 2; kill $! 2>/dev/null
grep -q 'reading events from the terminal' "$tmp/tty.txt" || fail "no note when stdin is a terminal"

# bash completion: the flags --help lists.
if command -v bash >/dev/null 2>&1; then
    out=$(PATH="$(dirname "$bin"):$PATH" bash -c ". '$root/completions/mailc2.bash'
        COMP_WORDS=(mailc2 hunt --sum); COMP_CWORD=2; _mailc2; echo \${COMPREPLY[*]}
        COMP_WORDS=(mailc2 hu); COMP_CWORD=1; _mailc2; echo \${COMPREPLY[*]}
        COMP_WORDS=(mailc2 convert r.aql --all); COMP_CWORD=3; _mailc2; echo \${COMPREPLY[*]}" 2>&1)
    echo "$out" | grep -q -- '--summary-json' || fail "bash completion: --sum gives '$out'"
    echo "$out" | grep -qx -- '--allow-loss' || fail "bash completion: convert --all gives '$out'"
    echo "$out" | grep -qx 'hunt' || fail "bash completion: hu gives '$out'"
fi

[ "$fails" -eq 0 ] && echo "test_present: all pass" || echo "test_present: $fails failure(s)"
[ "$fails" -eq 0 ]
