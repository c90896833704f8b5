#!/bin/sh
# test_html.sh - `--format html` rendered by headless Chromium (Debian's
# chromium). The report for samples/ must:
#   - be one self-contained file: no external script, style, image or link;
#   - render without a console error (chromium --enable-logging: "Uncaught",
#     or a console message of level error);
#   - hold one table row per finding (as many as the CSV of the same run), in
#     the same order (score first);
#   - sort when asked (#sort=count: counts ascending, and the order changes)
#     and filter (#filter=powershell: only the powershell row stays shown);
#   - have a timeline (inline SVG) for each finding with times.
# Then a hostile input (data/html/hostile.ndjson: markup in the host,
# process and command line, a BEL byte) must come out as text: no element
# from the data, the page's own single script, and no console error.
# Skips (77) when chromium is not installed.
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp" || exit 1
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "SKIP: chromium is not installed (Debian: apt-get install chromium)"
    exit 77
fi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# dom FILE URL-SUFFIX NAME: the DOM after the page's scripts ran, and the log.
dom() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 \
        --dump-dom "file://$1$2" >"$tmp/$3.dom" 2>"$tmp/$3.log" ||
        fail "$3: chromium exited $?"
    if grep -E 'Uncaught|CONSOLE\([0-9]+\)\] "?[^"]*[Ee]rror|:ERROR:CONSOLE' "$tmp/$3.log"; then
        fail "$3: console errors (above)"
    fi
}

# row_attr FILE ATTR: the values of ATTR on the findings' rows, in DOM order.
rows_i() { grep -o '<tr data-i="[0-9]*"[^>]*>' "$1" | sed 's/.*data-i="\([0-9]*\)".*/\1/' | tr '\n' ' '; }

"$bin" hunt --now latest --format html --output "$tmp/report.html" "$root/samples" 2>"$tmp/html.err"
[ $? -eq 1 ] || { fail "hunt --format html: want exit 1"; cat "$tmp/html.err"; }
"$bin" hunt --now latest --format csv "$root/samples" >"$tmp/report.csv" 2>/dev/null
want=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="")))))' \
       "$tmp/report.csv")
[ "$want" -gt 2 ] || fail "the samples should give findings (got $want)"

# Self-contained: nothing to fetch.
if grep -Eiq '<(script|img|link|iframe)[^>]* (src|href)=|url\(|@import' "$tmp/report.html"; then
    fail "the page refers to an outside resource"
fi
grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$tmp/report.html" ||
    fail "the page should forbid fetches with its Content-Security-Policy"

dom "$tmp/report.html" "" plain
n=$(grep -o '<tr data-i=' "$tmp/plain.dom" | wc -l)
[ "$n" -eq "$want" ] || fail "table rows: $n, the CSV has $want findings"
i=0 expect=""
while [ "$i" -lt "$want" ]; do expect="$expect$i "; i=$((i + 1)); done
[ "$(rows_i "$tmp/plain.dom")" = "$expect" ] || fail "rows should start in the CSV's order"
svgs=$(grep -o '<svg class="timeline"' "$tmp/plain.dom" | wc -l)
[ "$svgs" -eq "$want" ] || fail "timelines: $svgs for $want findings"
grep -q 'Run summary' "$tmp/plain.dom" && grep -q 'findings in' "$tmp/plain.dom" ||
    fail "the run summary is missing"
echo "ok: $n rows, $svgs timelines, no console error"

# Sorting: by count, ascending; the order must change and the counts rise.
dom "$tmp/report.html" "#sort=count" sorted
grep -q 'data-sorted="count asc"' "$tmp/sorted.dom" || fail "#sort=count did not sort"
[ "$(rows_i "$tmp/sorted.dom")" != "$expect" ] || fail "#sort=count left the order unchanged"
python3 - "$tmp/sorted.dom" <<'PY_EOF' || fail "#sort=count: counts are not ascending"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
heads = re.findall(r'<th data-col="([^"]*)"', page)
col = heads.index("count")
counts = []
for row in re.findall(r'<tr data-i="\d+"[^>]*>(.*?)</tr>', page, re.S):
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    counts.append(int(re.sub(r"<[^>]*>", "", cells[col])))
print("  counts after #sort=count:", counts)
sys.exit(0 if counts == sorted(counts) else 1)
PY_EOF

# Filtering: only rows whose text holds the word stay shown.
dom "$tmp/report.html" "#filter=powershell" filtered
shown=$(grep -o '<tr data-i="[0-9]*">' "$tmp/filtered.dom" | wc -l)
hidden=$(grep -o '<tr data-i="[0-9]*" hidden=""' "$tmp/filtered.dom" | wc -l)
ps=$(grep -ci 'powershell' "$tmp/report.csv")
[ "$shown" -eq "$ps" ] && [ $((shown + hidden)) -eq "$want" ] ||
    fail "#filter=powershell: $shown shown, $hidden hidden; want $ps shown of $want"
echo "ok: sorting and filtering work"

# Hostile values are text.
"$bin" hunt --now latest --format html --output "$tmp/hostile.html" \
    "$root/tests/e2e/data/html/hostile.ndjson" 2>/dev/null
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/hostile.html" ||
    fail "hostile: the command line should be escaped"
grep -q '&lt;img src=x onerror=alert(2)&gt;' "$tmp/hostile.html" ||
    fail "hostile: the process should be escaped"
grep -q '&lt;b&gt;WS&lt;/b&gt;\\x07' "$tmp/hostile.html" ||
    fail "hostile: the host's markup and BEL should be shown as text"
dom "$tmp/hostile.html" "" hostile
[ "$(grep -o '<script' "$tmp/hostile.dom" | wc -l)" -eq 1 ] || fail "hostile: a script from the data"
grep -Eq '<img|<b>' "$tmp/hostile.dom" && fail "hostile: an element from the data"
echo "ok: hostile values are shown as text"

# A screenshot, for the eye (the note keeps one).
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size=1400,1800 --screenshot="$tmp/report.png" \
    "file://$tmp/report.html" >/dev/null 2>&1
head -c 8 "$tmp/report.png" 2>/dev/null | od -An -c | grep -q 'P   N   G' ||
    fail "no screenshot"

[ "$fails" -eq 0 ] || { echo "test_html: $fails failures"; exit 1; }
echo "test_html: all passed (screenshot: $tmp/report.png)"
