#!/usr/bin/env bash
# How long libFuzzer takes to find each seeded bug of model/mutants.md.
#
#   ci/measure/mutant-hunt.sh [--runs N] [--time SECONDS] [--start seeds|blind|empty]
#                     [--mutator off|on|PERCENT] [MUTANT...]
#
# For each mutant: a libFuzzer+ASan+UBSan build in build/mutant-<name>, then
# N runs (default 5) with -seed=1..N, each from a fresh copy of the start
# corpus (the committed seeds; `blind`: the seeds minus every seed that
# already shows the mutant when replayed alone, so the fuzzer has to find
# the bug rather than replay a seed written for it; or a single empty
# input), stopped at the first
# crash or after --time seconds (default 120). --mutator sets PF_MUTATOR, the
# share of structure-aware mutations (default: the driver's own default).
# Prints, per mutant, the median seconds to the first crash and what the
# crash was; the table also lands in out/mutants/summary-<start>-<mutator>.txt.
# Exit 1 if a mutant was never found.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$pf_root"

runs=5
limit=120
start=seeds
mutator=default
all=(deleted-flag-sticky deleted-flag-any-granularity replay-stale-copy unlink-after-free)
mutants=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs|--time|--start|--mutator)
            [ $# -ge 2 ] || { echo "mutant-hunt.sh: $1 needs a value" >&2; pf_usage; }
            case "$1" in
                --runs) runs=$2 ;; --time) limit=$2 ;; --start) start=$2 ;; --mutator) mutator=$2 ;;
            esac
            shift 2 ;;
        -h|--help) pf_usage 0 ;;
        -*) echo "mutant-hunt.sh: unknown option $1" >&2; pf_usage ;;
        *) mutants+=("$1"); shift ;;
    esac
done
[ ${#mutants[@]} -gt 0 ] || mutants=("${all[@]}")
for n in "$runs" "$limit"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "mutant-hunt.sh: --runs and --time take whole numbers >= 1" >&2; exit 2; }
done
case "$start" in seeds|blind|empty) ;; *) echo "mutant-hunt.sh: --start seeds|blind|empty" >&2; exit 2 ;; esac
case "$mutator" in
    default|off|on) ;;
    *) if ! [[ "$mutator" =~ ^[0-9]+$ ]] || [ "$mutator" -gt 100 ]; then
           echo "mutant-hunt.sh: --mutator off|on|0..100" >&2
           exit 2
       fi ;;
esac
# Empty PF_MUTATOR is the driver's default. A custom mutator turns
# libFuzzer's -len_control off by default; "off" turns it back on, so it is
# libFuzzer as it runs without the op mutator.
pf_mutator=$mutator; [ "$mutator" != default ] || pf_mutator=
len=(); [ "$mutator" != off ] || len=(-len_control=100)
for m in "${mutants[@]}"; do
    grep -q "PF_MUTANT_$(echo "$m" | tr 'a-z-' 'A-Z_')" model/*.c ||
        { echo "mutant-hunt.sh: no mutant named '$m' in model/" >&2; exit 2; }
done

ci/install-deps.sh
out=out/mutants
mkdir -p "$out"
table="$out/summary-$start-$mutator.txt"
printf '%-30s %5s %6s %10s  %s\n' mutant runs found median_s kinds > "$table"
status=0
for m in "${mutants[@]}"; do
    build=build/mutant-$m
    pf_build_preset libfuzzer -B "$build" -DPF_MUTANT="$m"
    # blind: which seeds the mutant trips on their own.
    blind=$out/$m/blind-seeds
    if [ "$start" = blind ]; then
        rm -rf "$blind" && mkdir -p "$blind"
        for f in corpus/fuzz_pasid_cache/*; do
            "$build/bin/fuzz_pasid_cache" -runs=1 "$f" >/dev/null 2>&1 && cp "$f" "$blind/"
        done
        echo "mutant-hunt: $m: $(find "$blind" -type f | wc -l) of" \
            "$(find corpus/fuzz_pasid_cache -type f | wc -l) seeds do not show it on their own"
    fi
    times=(); kinds=(); found=0
    for i in $(seq 1 "$runs"); do
        dir=$out/$m/$start-$mutator-run$i
        rm -rf "$dir" && mkdir -p "$dir/corpus" "$dir/crashes"
        case "$start" in
            seeds) cp corpus/fuzz_pasid_cache/* "$dir/corpus/" ;;
            blind) cp "$blind"/* "$dir/corpus/" 2>/dev/null || : > "$dir/corpus/empty" ;;
            empty) : > "$dir/corpus/empty" ;;
        esac
        t0=$(date +%s.%N)
        PF_MUTATOR=$pf_mutator "$build/bin/fuzz_pasid_cache" "${len[@]}" -seed="$i" -max_total_time="$limit" \
            -artifact_prefix="$dir/crashes/" "$dir/corpus" > "$dir/log.txt" 2>&1 || true
        t1=$(date +%s.%N)
        if ls "$dir"/crashes/crash-* >/dev/null 2>&1; then
            found=$((found + 1))
            times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')")
            kind=$(grep -o 'VIOLATION [a-z-]*' "$dir/log.txt" | head -1 | cut -d' ' -f2 || true)
            [ -n "$kind" ] || kind=$(grep -o 'AddressSanitizer: [a-z-]*' "$dir/log.txt" | head -1 | cut -d' ' -f2 || true)
            kinds+=("${kind:-unknown}")
        fi
    done
    if [ "$found" -eq 0 ]; then
        median="not-found"; status=1
    else
        median=$(printf '%.1f' "$(printf '%s\n' "${times[@]}" | pf_median)")
    fi
    k=$(printf '%s\n' "${kinds[@]:-}" | sed '/^$/d' | sort | uniq -c | awk '{printf "%s%s x%s", s, $2, $1; s=", "}')
    printf '%-30s %5s %6s %10s  %s\n' "$m" "$runs" "$found" "$median" "${k:--}" >> "$table"
    echo "mutant-hunt: $m (mutator $mutator): found $found/$runs, median ${median}s"
done
echo
cat "$table"
exit $status
