#!/usr/bin/env bash
# The main job: a libFuzzer campaign over every fuzz target, starting from
# corpus/<target>/, with new corpus and crashes under one output folder and a
# summary table at the end.
#
#   ci/fuzz.sh [--time SECONDS] [--jobs N] [--out DIR]
#
# --time  total wall time for the whole campaign, split evenly across the
#         targets (default 240, or $PF_FUZZ_TIME)
# --jobs  parallel libFuzzer workers per target (default: cores, or
#         $PF_FUZZ_JOBS)
# --out   output folder (default out/fuzz-YYYYmmdd-HHMMSS, or $PF_FUZZ_OUT)
# Exit status: 0 when no target crashed, 1 when one did, 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

total=${PF_FUZZ_TIME:-240}
jobs=${PF_FUZZ_JOBS:-$(nproc)}
out=${PF_FUZZ_OUT:-out/fuzz-$(date +%Y%m%d-%H%M%S)}

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --time) [ $# -ge 2 ] || usage; total=$2; shift 2 ;;
        --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
        --out) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
        -h|--help) usage ;;
        *) echo "fuzz.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$total$jobs" in
    *[!0-9]*|'') echo "fuzz.sh: --time and --jobs take whole numbers" >&2; exit 2 ;;
esac
[ "$jobs" -ge 1 ] && [ "$total" -ge 1 ] || { echo "fuzz.sh: --time and --jobs must be >= 1" >&2; exit 2; }

ci/install-deps.sh
# -DPF_MUTANT= so a seeded bug configured by hand never gets fuzzed as the model.
cmake --preset libfuzzer -DPF_MUTANT= >/dev/null
cmake --build --preset libfuzzer >/dev/null

mapfile -t targets < <(find build/libfuzzer/bin -maxdepth 1 -name 'fuzz_*' -type f -perm -u+x -printf '%f\n' | sort)
[ ${#targets[@]} -gt 0 ] || { echo "fuzz.sh: no fuzz targets were built" >&2; exit 1; }
per_target=$(( total / ${#targets[@]} ))
[ "$per_target" -ge 1 ] || per_target=1

mkdir -p "$out"
out=$(cd "$out" && pwd)
echo "fuzz.sh: ${#targets[@]} target(s), ${per_target}s each, $jobs job(s), output in $out"

summary="$out/summary.txt"
printf '%-22s %10s %10s %8s %8s  %s\n' target execs/s features corpus crashes violations > "$summary"
status=0
for t in "${targets[@]}"; do
    bin=$PWD/build/libfuzzer/bin/$t
    dir=$out/$t
    mkdir -p "$dir/corpus" "$dir/crashes" "$dir/logs"
    [ -d "corpus/$t" ] && cp -n corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
    opts=()
    [ -f "fuzz/$t.dict" ] && opts+=("-dict=$PWD/fuzz/$t.dict")
    echo "fuzz.sh: $t"
    ( cd "$dir/logs" && "$bin" "${opts[@]}" -max_total_time="$per_target" -jobs="$jobs" \
        -workers="$jobs" -print_final_stats=1 -artifact_prefix="$dir/crashes/" \
        "$dir/corpus" >/dev/null 2>&1 ) || true

    execs=0; secs=0; ft=0
    for log in "$dir"/logs/fuzz-*.log; do
        [ -f "$log" ] || continue
        # A worker that crashed at once has no stats or ft: lines.
        e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
        f=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
        execs=$(( execs + ${e:-0} ))
        [ "${f:-0}" -gt "$ft" ] && ft=$f
    done
    rate=$(( execs / per_target ))
    ncorpus=$(find "$dir/corpus" -type f | wc -l || true)
    crashes=$(find "$dir/crashes" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    ncrash=0; ids=""
    for c in $crashes; do
        ncrash=$(( ncrash + 1 ))
        id=$(timeout 60 "$bin" "$c" 2>&1 | grep -o 'VIOLATION [a-z-]*' | head -1 | cut -d' ' -f2 || true)
        [ -n "$id" ] || id=$(timeout 60 "$bin" "$c" 2>&1 | grep -o 'ERROR: [A-Za-z]*Sanitizer: [a-z-]*' | head -1 | sed 's/ERROR: //' || true)
        ids="$ids ${id:-unclassified}"
    done
    [ "$ncrash" -eq 0 ] || status=1
    ids=$(echo "$ids" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
    printf '%-22s %10s %10s %8s %8s  %s\n' "$t" "$rate" "$ft" "$ncorpus" "$ncrash" "${ids:--}" >> "$summary"
done

echo
cat "$summary"
echo "fuzz.sh: new corpus and crashes under $out"
exit $status
