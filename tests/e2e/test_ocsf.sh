#!/bin/sh
# test_ocsf.sh - `--format ocsf` checked by an independent reader (python3's
# json module, strict UTF-8), not by mailc2:
#   hunt on samples/: every line parses and is a Detection Finding
#     (class_uid 2004, category_uid 2, type_uid 200401), tagged T1071.003;
#     as many lines as `--format jsonl` has findings, in the same order, each
#     with the jsonl finding's process path, port, count, score and times;
#     the columns without an OCSF place are under unmapped;
#   the seed AQL run: as many lines as its jsonl rows, its ConnectionCount
#     under unmapped (no column dropped), its port placed, no ATT&CK claim;
#   hostile input (data/html/hostile.ndjson: markup, a BEL byte): valid
#     JSON and UTF-8 all the same;
#   and, when python3 has jsonschema, every line against
#     ocsf_detection_finding.schema.json (the class's required attributes,
#     written from the OCSF 1.2.0 schema; its source is in its $comment).
# Skips (77) when python3 is not installed.
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp" || exit 1
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is not installed"
    exit 77
fi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# both NAME ARGS...: the same run as ocsf and as jsonl.
both() {
    name=$1
    shift
    "$bin" "$@" --format ocsf --no-progress >"$tmp/$name.ocsf" 2>"$tmp/$name.ocsf.err"
    echo $? >"$tmp/$name.ocsf.rc"
    "$bin" "$@" --format jsonl --no-progress >"$tmp/$name.jsonl" 2>/dev/null
}

both hunt hunt --now latest "$root/samples"
[ "$(cat "$tmp/hunt.ocsf.rc")" = 1 ] || { fail "hunt --format ocsf: want exit 1 (findings)"; cat "$tmp/hunt.ocsf.err"; }
both aql run --now latest "$root/tests/e2e/data/seeds/t1071_003.aql" "$root/samples"
both hostile hunt --now latest "$root/tests/e2e/data/html/hostile.ndjson"

python3 - "$tmp" "$root/tests/e2e/ocsf_detection_finding.schema.json" <<'PY_EOF' || fails=$((fails + 1))
import json, sys

tmp, schema_path = sys.argv[1], sys.argv[2]
bad = []

def lines(name, ext):
    # Strict UTF-8: an invalid byte is a failure, not a replacement.
    with open(f"{tmp}/{name}.{ext}", "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad.append(f"{name}.{ext}: not UTF-8: {e}")
        return []
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            out.append(json.loads(line))
        except ValueError as e:
            bad.append(f"{name}.{ext}:{n}: not JSON: {e}")
    return out

def dig(obj, *path):
    for p in path:
        if isinstance(p, int):
            obj = obj[p] if isinstance(obj, list) and len(obj) > p else None
        else:
            obj = obj.get(p) if isinstance(obj, dict) else None
    return obj

def techniques(f):
    ids = set()
    for a in dig(f, "finding_info", "attacks") or []:
        for k in ("technique", "sub_technique"):
            if dig(a, k, "uid"):
                ids.add(a[k]["uid"])
    return ids

def check_class(name, findings):
    for i, f in enumerate(findings, 1):
        for key, want in (("class_uid", 2004), ("category_uid", 2), ("type_uid", 200401),
                          ("activity_id", 1)):
            if f.get(key) != want:
                bad.append(f"{name} #{i}: {key} is {f.get(key)!r}, want {want}")
        if not isinstance(f.get("time"), int) or not isinstance(f.get("severity_id"), int):
            bad.append(f"{name} #{i}: time and severity_id must be integers")

def same(name, i, what, got, want):
    if got != want:
        bad.append(f"{name} #{i}: {what} is {got!r}, the jsonl finding's {want!r}")

# The hunt: one finding per jsonl row, the same values.
ocsf, rows = lines("hunt", "ocsf"), lines("hunt", "jsonl")
if len(rows) < 3:
    bad.append(f"hunt: the samples should give findings (jsonl has {len(rows)})")
same("hunt", 0, "the number of findings", len(ocsf), len(rows))
check_class("hunt", ocsf)
sev = lambda s: 2 if s < 25 else 3 if s < 50 else 4 if s < 75 else 5
for i, (f, r) in enumerate(zip(ocsf, rows), 1):
    if "T1071.003" not in techniques(f):
        bad.append(f"hunt #{i}: finding_info.attacks lacks T1071.003")
    same("hunt", i, "process path", dig(f, "evidences", 0, "actor", "process", "file", "path"),
         r["process"])
    same("hunt", i, "port", dig(f, "evidences", 0, "dst_endpoint", "port"), r["dst_port"])
    same("hunt", i, "ip", dig(f, "evidences", 0, "dst_endpoint", "ip"), r["dst_ip"])
    same("hunt", i, "count", f.get("count"), r["count"])
    same("hunt", i, "risk_score", f.get("risk_score"), r["score"])
    same("hunt", i, "severity_id", f.get("severity_id"), sev(r["score"]))
    same("hunt", i, "start_time_dt", f.get("start_time_dt"), r["first_seen"])
    same("hunt", i, "time_dt", f.get("time_dt"), r["last_seen"])
    same("hunt", i, "host", dig(f, "device", "hostname"), r["host"])
    for col in ("lacks", "bytes_out", "not_mail"):
        if col not in (f.get("unmapped") or {}):
            bad.append(f"hunt #{i}: unmapped lacks the column {col}")

# A rule's own columns: placed or under unmapped, never dropped.
ocsf, rows = lines("aql", "ocsf"), lines("aql", "jsonl")
same("aql", 0, "the number of findings", len(ocsf), len(rows))
check_class("aql", ocsf)
for i, (f, r) in enumerate(zip(ocsf, rows), 1):
    same("aql", i, "unmapped ConnectionCount", dig(f, "unmapped", "ConnectionCount"),
         r["ConnectionCount"])
    same("aql", i, "port", dig(f, "evidences", 0, "dst_endpoint", "port"), r["destinationport"])
    if techniques(f):
        bad.append(f"aql #{i}: a rule's findings should claim no ATT&CK technique")

hostile = lines("hostile", "ocsf")
check_class("hostile", hostile)
if not hostile:
    bad.append("hostile: no findings (the input should give some)")

try:
    import jsonschema
except ImportError:
    print("note: python3 has no jsonschema; the schema check is skipped")
else:
    schema = json.load(open(schema_path))
    v = jsonschema.Draft202012Validator(schema)
    for name, found in (("hunt", lines("hunt", "ocsf")), ("aql", ocsf), ("hostile", hostile)):
        for i, f in enumerate(found, 1):
            for e in v.iter_errors(f):
                bad.append(f"{name} #{i}: schema: {'/'.join(map(str, e.path))}: {e.message}")

for b in bad:
    print("FAIL:", b)
print(f"checked {len(lines('hunt', 'ocsf'))} hunt, {len(ocsf)} aql, {len(hostile)} hostile findings")
sys.exit(1 if bad else 0)
PY_EOF

if [ "$fails" -eq 0 ]; then
    echo "ok: --format ocsf"
    exit 0
fi
exit 1
