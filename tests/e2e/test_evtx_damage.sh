#!/bin/sh
# Damaged EVTX, as a responder meets it (issue 15): a file cut inside a
# chunk or at a chunk boundary, a stale chunk count, a damaged file header (checksum, or zeroed), a
# chunk without its signature, a chunk header checksum broken, a record cut
# in the middle of a chunk, a chunk overwritten with zeros, a template value
# count libevtx would overrun (a crafted file). For each: the
# message with its byte offset, the records still read, and the exit status.
#
# The files are made from real logs in ../shared/data/evtx by
# data/evtx/make_damaged.py, which also gives the expected record counts
# and messages from its own walk of the sound file (never from mailc2; see
# its header). Each file is run twice:
# - `hunt` (no findings in these samples): the message, the summary's event
#   count, and exit 3 when records were lost, else 0;
# - LogScale `count()` (always one row, so a finding): the row is the number
#   of records read, and the exit status is 5 when records were lost, else 1.
# Usage: sh test_evtx_damage.sh MAILC2 PROJECT_ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
shared=$root/../shared/data/evtx
rm -rf "$tmp" && mkdir -p "$tmp"
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed"; exit 77; }
[ -d "$shared" ] || { echo "SKIP: $shared is absent"; exit 77; }

python3 "$root/tests/e2e/data/evtx/make_damaged.py" "$shared" "$tmp/cases" >"$tmp/cases.tsv" ||
    { echo "FAIL: make_damaged.py"; exit 1; }
[ "$(wc -l <"$tmp/cases.tsv")" -eq 10 ] || fail "make_damaged.py made $(wc -l <"$tmp/cases.tsv") cases, want 10"

tab=$(printf '\t')
while IFS="$tab" read -r name path records status message; do
    "$bin" hunt --now latest --format csv --no-progress "$path" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq "$status" ] || fail "$name: hunt exit $rc, want $status"
    grep -F -- "$message" "$tmp/err" | grep -qF -- "$path" || fail "$name: no '$message'"
    # --now latest reads the file twice (its newest time first): said once.
    said=$(grep -cF -- "$message" "$tmp/err")
    [ "$said" -le 1 ] || fail "$name: '$message' said $said times"
    grep -qF -- "mailc2: 1 files, $records events," "$tmp/err" || fail "$name: want $records events"
    if [ "$status" -ne 0 ]; then
        [ "$(grep -cF -- "mailc2: $path: damaged: " "$tmp/err")" -eq 1 ] ||
            fail "$name: the 'damaged' note not said once"
    fi
    [ "$fails" -eq 0 ] || { cat "$tmp/err"; break; }

    echo 'count()' | "$bin" run --lang logscale --format csv --no-progress /dev/stdin "$path" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    want=$((status == 0 ? 1 : 5))
    [ "$rc" -eq "$want" ] || fail "$name: count() exit $rc, want $want"
    [ "$(tail -n 1 "$tmp/out")" = "$records" ] ||
        fail "$name: count() gives '$(tail -n 1 "$tmp/out")', want $records"
    [ "$fails" -eq 0 ] || { cat "$tmp/err"; break; }
    echo "ok: $name: $records records, exit $status"
done <"$tmp/cases.tsv"

# The sound samples say nothing: a dirty log whose header counts one chunk
# of nine (omer_sysmon.evtx), stale bytes past the last chunk, zeroed
# chunks at the end (PanacheSysmon) are not damage.
for f in "$shared"/*.evtx; do
    "$bin" hunt --now latest --format csv --no-progress "$f" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 0 ] || fail "$(basename "$f"): exit $rc, want 0"
    grep -q ' 0 bad records' "$tmp/err" || { fail "$(basename "$f"): bad records"; cat "$tmp/err"; }
done

[ "$fails" -eq 0 ] && echo "all EVTX damage cases pass"
[ "$fails" -eq 0 ]
