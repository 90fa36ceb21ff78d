#!/usr/bin/env bash
# Is the structure-aware mutator worth keeping? Runs libFuzzer with each
# PF_MUTATOR setting and prints one table.
#
#   ci/mutator-compare.sh [--runs N] [--time SECONDS] [--start seeds|empty]
#                         [--settings "off 50 on"] [--mutants "NAME..."|all|none]
#                         [--mutant-time SECONDS]
#
# Coverage: per setting, N runs (default 5, -seed=1..N, one at a time) of
# fuzz_pasid_cache from a fresh copy of the start corpus for --time seconds
# (default 300); median of the final cov (edges), ft (features), corpus size
# and exec/s, and the range of ft. Mutants (default none): per setting,
# ci/mutant-hunt.sh with the same runs and start, --mutant-time seconds per
# run (default 120); median seconds to the first crash, found/runs.
# Everything lands in out/mutator-compare/; the table in table.txt.
# Timings depend on machine load: compare settings run on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
limit=300
start=seeds
settings="off 50 on"
mutants=none
mutant_time=120
target=fuzz_pasid_cache
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || case "$1" in -h|--help) usage ;; *) echo "mutator-compare.sh: $1 needs a value" >&2; exit 2 ;; esac
    case "$1" in
        --runs) runs=$2 ;;
        --time) limit=$2 ;;
        --start) start=$2 ;;
        --settings) settings=$2 ;;
        --mutants) mutants=$2 ;;
        --mutant-time) mutant_time=$2 ;;
        *) usage ;;
    esac
    shift 2
done
case "$start" in seeds|empty) ;; *) echo "mutator-compare.sh: --start seeds|empty" >&2; exit 2 ;; esac
for n in "$runs" "$limit" "$mutant_time"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "mutator-compare.sh: '$n' is not a positive number" >&2; exit 2; }
done
for s in $settings; do
    if [ "$s" != off ] && [ "$s" != on ] && { ! [[ "$s" =~ ^[0-9]+$ ]] || [ "$s" -gt 100 ]; }; then
        echo "mutator-compare.sh: setting '$s': want off, on or 0..100" >&2
        exit 2
    fi
done
first=${settings%% *}

ci/install-deps.sh
cmake --preset libfuzzer >/dev/null
cmake --build --preset libfuzzer >/dev/null
bin=build/libfuzzer/bin/$target
out=out/mutator-compare
mkdir -p "$out"

median() { sort -n | awk '{a[NR]=$1} END {if (!NR) {print "-"; exit} m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f\n", m}'; }

table=$out/table.txt
{
    echo "fuzz_pasid_cache, start $start, $runs run(s) per setting, ${limit}s each (medians)"
    printf '%-8s %6s %8s %8s %8s %9s  %s\n' mutator runs cov ft corpus exec/s ft-range
} > "$table"
for s in $settings; do
    covs=(); fts=(); corps=(); speeds=()
    for i in $(seq 1 "$runs"); do
        dir=$out/cov-$start-$s-run$i
        rm -rf "$dir" && mkdir -p "$dir/corpus"
        if [ "$start" = seeds ]; then cp corpus/$target/* "$dir/corpus/"; else : > "$dir/corpus/empty"; fi
        PF_MUTATOR=$s "$bin" -seed="$i" -max_total_time="$limit" -print_final_stats=1 \
            -artifact_prefix="$dir/" "$dir/corpus" > "$dir/log.txt" 2>&1 || true
        last=$(grep -E '^#[0-9]+.*cov: ' "$dir/log.txt" | tail -1)
        covs+=("$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$last")")
        fts+=("$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$last")")
        corps+=("$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<< "$last")")
        speeds+=("$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$dir/log.txt")")
        echo "mutator-compare: PF_MUTATOR=$s run $i: $last"
    done
    range=$(printf '%s\n' "${fts[@]}" | sed '/^$/d' | sort -n | sed -n '1p;$p' | paste -sd- -)
    printf '%-8s %6s %8s %8s %8s %9s  %s\n' "$s" "$runs" \
        "$(printf '%s\n' "${covs[@]}" | sed '/^$/d' | median)" \
        "$(printf '%s\n' "${fts[@]}" | sed '/^$/d' | median)" \
        "$(printf '%s\n' "${corps[@]}" | sed '/^$/d' | median)" \
        "$(printf '%s\n' "${speeds[@]}" | sed '/^$/d' | median)" "${range:--}" >> "$table"
done

if [ "$mutants" != none ]; then
    [ "$mutants" != all ] || mutants=""
    {
        echo
        echo "seeded bugs, start $start, $runs run(s) per setting, ${mutant_time}s cap: median s to first crash (found/runs)"
        printf '%-30s' mutant
        for s in $settings; do printf ' %16s' "mutator=$s"; done
        echo
    } >> "$table"
    for s in $settings; do
        # shellcheck disable=SC2086 # the mutant list is words on purpose
        ci/mutant-hunt.sh --runs "$runs" --time "$mutant_time" --start "$start" --mutator "$s" \
            $mutants > "$out/mutants-$start-$s.log" 2>&1 || true
    done
    names=$(tail -n +2 "out/mutants/summary-$start-$first.txt" | awk '{print $1}')
    for m in $names; do
        printf '%-30s' "$m" >> "$table"
        for s in $settings; do
            cell=$(awk -v m="$m" '$1 == m {printf "%s (%s/%s)", $4, $3, $2}' "out/mutants/summary-$start-$s.txt")
            printf ' %16s' "${cell:--}" >> "$table"
        done
        echo >> "$table"
    done
fi
echo
cat "$table"
