#!/bin/sh
# The library as a user installs it: `cmake --install` into a temporary
# prefix; the example (examples/seed_memory.c) compiled against it with
# pkg-config alone runs the seed LogScale query over events held in memory
# and prints the same rows as `mailc2 run`; the shared library exports only
# mc_ symbols.
#   test_install.sh MAILC2 ROOT SCRATCH  (the build directory is MAILC2's)
set -eu
bin=$1 root=$2 tmp=$3
build=$(dirname "$bin")
rm -rf "$tmp" && mkdir -p "$tmp"
command -v cc >/dev/null 2>&1 || { echo "SKIP: no C compiler"; exit 77; }
command -v pkg-config >/dev/null 2>&1 || { echo "SKIP: no pkg-config"; exit 77; }
fails=0

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
    { echo "FAIL: cmake --install"; cat "$tmp/install.log"; exit 1; }
pcdir=$(dirname "$(find "$tmp/prefix" -name mailc2.pc | head -1)")
[ -f "$tmp/prefix/include/mailc2.h" ] || { echo "FAIL: header not installed"; fails=$((fails + 1)); }
[ -f "$tmp/prefix/share/man/man1/mailc2.1" ] || { echo "FAIL: man page not installed"; fails=$((fails + 1)); }
[ -x "$tmp/prefix/bin/mailc2" ] || { echo "FAIL: binary not installed"; fails=$((fails + 1)); }

flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs mailc2)
# A sanitizer build of the library needs its runtime first in the program.
if nm -D "$(find "$tmp/prefix" -name 'libmailc2.so*' -type f | head -1)" | grep -q __asan_init; then
    flags="-fsanitize=address,undefined $flags"
fi
libdir=$(PKG_CONFIG_PATH="$pcdir" pkg-config --variable=libdir mailc2)
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror "$root/examples/seed_memory.c" $flags -Wl,-rpath,"$libdir" \
    -o "$tmp/seed_memory" || { echo "FAIL: the example does not build against the installed library"; exit 1; }

seed="$root/tests/e2e/data/seeds/t1071_003.logscale"
for events in "$root"/samples/falcon/*.ndjson; do
    name=$(basename "$events")
    "$tmp/seed_memory" "$seed" "$events" latest >"$tmp/$name.example" 2>"$tmp/$name.example.err" || true
    "$tmp/prefix/bin/mailc2" run --now latest --format jsonl "$seed" "$events" \
        >"$tmp/$name.cli" 2>"$tmp/$name.cli.err" || true
    if ! cmp -s "$tmp/$name.example" "$tmp/$name.cli"; then
        echo "FAIL: $name: the example's rows differ from mailc2 run's"
        diff "$tmp/$name.cli" "$tmp/$name.example" | head -10
        fails=$((fails + 1))
    elif [ ! -s "$tmp/$name.cli" ] && [ "$name" = workstations.ndjson ]; then
        echo "FAIL: $name: no rows at all (the sample holds findings)"
        fails=$((fails + 1))
    fi
done

lib=$(find "$tmp/prefix" -name 'libmailc2.so*' -type f | head -1)
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^mc_' || true)
if [ -n "$others" ]; then
    echo "FAIL: libmailc2.so exports symbols outside mc_:"
    echo "$others" | head -20
    fails=$((fails + 1))
fi
nm -D --defined-only "$lib" | grep -q ' T mc_run$' || { echo "FAIL: mc_run not exported"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] || exit 1
echo "ok: installed, example == mailc2 run on $(ls "$root"/samples/falcon/*.ndjson | wc -l) files, only mc_ symbols"
