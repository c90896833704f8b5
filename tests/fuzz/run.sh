#!/bin/sh
# run.sh SECONDS [TARGET...]: builds the libFuzzer targets (clang,
# -fsanitize=fuzzer,address,undefined) in build-fuzz/ and runs each target,
# one at a time, for SECONDS over its corpus (build-fuzz/corpus/<target>/,
# kept between runs) and its seeds (seeds.sh), with its dictionary when
# tests/fuzz/<target>.dict exists. Prints per target the seconds, the
# executions, the edges covered (libFuzzer's cov:) and the crashes; exits 1
# when any target crashed (the input is in build-fuzz/crashes/<target>/ and
# the log in build-fuzz/logs/<target>.log).
#
# Environment: MAILC2_FUZZ_BUILD (build directory, default build-fuzz),
# MAILC2_FUZZ_JOBS (build jobs, default 2), MAILC2_FUZZ_NICE (a nice level
# for the fuzzers, default 0).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 SECONDS [TARGET...]" >&2; exit 2; }
secs=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MAILC2_FUZZ_BUILD:-$root/build-fuzz}
jobs=${MAILC2_FUZZ_JOBS:-2}
niceness=${MAILC2_FUZZ_NICE:-0}
all="json csv tsv syslog xml evtx pcap aql logscale sigma"
targets=${*:-$all}

# Inputs larger than a target needs only slow it down: records are short,
# rules shorter; EVTX needs its 4 KiB header and a 64 KiB chunk.
max_len() {
    case $1 in
        evtx) echo 131072 ;;
        pcap) echo 65536 ;;
        aql | logscale | sigma) echo 4096 ;;
        *) echo 8192 ;;
    esac
}

CC=${CC:-clang} cmake -S "$root" -B "$build" -DMAILC2_FUZZ=ON -DMAILC2_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
for t in $targets; do
    cmake --build "$build" -j "$jobs" --target "fuzz_$t" >/dev/null
done
sh "$root/tests/fuzz/seeds.sh" "$build/seeds" >/dev/null

# Leaks inside third-party libraries (lsan.supp says which and why). An
# allocation refused returns NULL, as without the sanitizer: the child that
# reads an EVTX chunk libevtx could overrun (src/input/evtx_records.h) bounds its address space so that libevtx's
# overrun fails there; mailc2's own allocations still end in xoom's abort.
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
status=0
printf '%-9s %8s %10s %7s %8s\n' target seconds execs edges crashes
for t in $targets; do
    mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/logs"
    dict=""
    [ -f "$root/tests/fuzz/$t.dict" ] && dict="-dict=$root/tests/fuzz/$t.dict"
    log=$build/logs/$t.log
    start=$(date +%s)
    # shellcheck disable=SC2086 # $dict is one option or none
    nice -n "$niceness" "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len="$(max_len "$t")" -print_final_stats=1 \
        -artifact_prefix="$build/crashes/$t/" $dict "$build/corpus/$t" "$build/seeds/$t" \
        >"$log" 2>&1 || true
    took=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    edges=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    crashes=$(find "$build/crashes/$t" -type f | wc -l)
    printf '%-9s %8s %10s %7s %8s\n' "$t" "$took" "${execs:-?}" "${edges:-?}" "$crashes"
    if [ "$crashes" -ne 0 ]; then
        status=1
        grep -E '^(==[0-9]+==ERROR|SUMMARY)' "$log" | sed "s/^/    $t: /" || true
        find "$build/crashes/$t" -type f | sed "s/^/    $t: input /"
    fi
done
exit $status
