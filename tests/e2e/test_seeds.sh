#!/bin/sh
# The seed queries the tests run are tests/e2e/data/seeds/, copies kept in
# the project because a user's clone has no ../shared. This checks they are
# byte-identical to the specification's own, when ../shared is beside us,
# and that mailc2 compiles both. Usage: sh test_seeds.sh MAILC2 ROOT SCRATCH
bin=$1 root=$2 tmp=$3
mkdir -p "$tmp"
fails=0
for seed in t1071_003.logscale t1071_003.aql; do
    ours=$root/tests/e2e/data/seeds/$seed
    "$bin" explain "$ours" >"$tmp/$seed.plan" 2>"$tmp/$seed.err" ||
        { echo "FAIL: mailc2 explain $seed"; cat "$tmp/$seed.err"; fails=$((fails + 1)); }
    if [ -f "$root/../shared/seeds/$seed" ]; then
        if cmp "$root/../shared/seeds/$seed" "$ours"; then
            echo "ok: $seed is byte-identical to ../shared/seeds/$seed"
        else
            echo "FAIL: $seed differs from ../shared/seeds/$seed"
            fails=$((fails + 1))
        fi
    else
        echo "note: ../shared/seeds absent; $seed not compared"
    fi
done
[ "$fails" -eq 0 ]
