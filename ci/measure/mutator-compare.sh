#!/usr/bin/env bash
# Is the structure-aware mutator worth keeping? Runs the fuzzer with each
# mutator setting and prints one table.
#
#   ci/measure/mutator-compare.sh [--engine libfuzzer|afl] [--runs N] [--time SECONDS]
#                         [--start seeds|empty] [--settings "off 50 on"]
#                         [--mutants "NAME..."|all|none] [--mutant-time SECONDS]
#
# Coverage: per setting, N runs (default 5, seeds 1..N, one at a time) of
# fuzz_pasid_cache from a fresh copy of the start corpus for --time seconds
# (default 300). libFuzzer settings are PF_MUTATOR values (off, on, 0..100):
# median final cov (edges), ft (features), corpus size, exec/s, ft range.
# AFL++ settings are off (no custom mutator), on (custom stage beside havoc)
# and only (AFL_CUSTOM_MUTATOR_ONLY): median edges_found, corpus, exec/s.
# Mutants (libFuzzer only, default none): per setting, ci/measure/mutant-hunt.sh
# with the same runs and start, --mutant-time seconds per run (default 120):
# median seconds to the first crash, found/runs.
# Everything lands in out/mutator-compare/; the table in table-<engine>-<start>.txt.
# Timings depend on machine load: compare settings run on the same machine.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$pf_root"

engine=libfuzzer
runs=5
limit=300
start=seeds
settings="off 50 on"
mutants=none
mutant_time=120
target=fuzz_pasid_cache
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) pf_usage 0 ;;
        --engine|--runs|--time|--start|--settings|--mutants|--mutant-time) ;;
        *) echo "mutator-compare.sh: unknown argument '$1'" >&2; pf_usage ;;
    esac
    [ $# -ge 2 ] || { echo "mutator-compare.sh: $1 needs a value" >&2; pf_usage; }
    case "$1" in
        --engine) engine=$2 ;;
        --runs) runs=$2 ;;
        --time) limit=$2 ;;
        --start) start=$2 ;;
        --settings) settings=$2 ;;
        --mutants) mutants=$2 ;;
        --mutant-time) mutant_time=$2 ;;
    esac
    shift 2
done
case "$start" in seeds|empty) ;; *) echo "mutator-compare.sh: --start seeds|empty" >&2; exit 2 ;; esac
case "$engine" in
    libfuzzer) ;;
    afl) [ "$settings" != "off 50 on" ] || settings="off on only"
         [ "$mutants" = none ] || { echo "mutator-compare.sh: --mutants is libFuzzer only" >&2; exit 2; } ;;
    *) echo "mutator-compare.sh: --engine libfuzzer|afl" >&2; exit 2 ;;
esac
for n in "$runs" "$limit" "$mutant_time"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "mutator-compare.sh: '$n' is not a positive number" >&2; exit 2; }
done
for s in $settings; do
    if [ "$engine" = afl ]; then
        case "$s" in off|on|only) continue ;; esac
        echo "mutator-compare.sh: AFL++ setting '$s': want off, on or only" >&2
        exit 2
    fi
    if [ "$s" != off ] && [ "$s" != on ] && { ! [[ "$s" =~ ^[0-9]+$ ]] || [ "$s" -gt 100 ]; }; then
        echo "mutator-compare.sh: setting '$s': want off, on or 0..100" >&2
        exit 2
    fi
done
first=${settings%% *}

ci/install-deps.sh
pf_build_preset "$engine"
bin=build/$engine/bin/$target
out=out/mutator-compare
mkdir -p "$out"

# med WORD...: the median of the non-empty words, whole, or "-".
med() {
    local m
    m=$(printf '%s\n' "$@" | pf_median)
    if [ "$m" = - ]; then echo -; else printf '%.0f\n' "$m"; fi
}

# One libFuzzer run in $dir; sets cov ft corp speed. A custom mutator turns
# libFuzzer's -len_control off by default; "off" turns it back on, so it is
# libFuzzer as it runs without the op mutator.
run_libfuzzer() {
    local len=()
    [ "$1" != off ] || len=(-len_control=100)
    PF_MUTATOR=$1 "$bin" "${len[@]}" -seed="$2" -max_total_time="$limit" -print_final_stats=1 \
        -artifact_prefix="$dir/" "$dir/corpus" > "$dir/log.txt" 2>&1 || true
    local last
    last=$(grep -E '^#[0-9]+.*cov: ' "$dir/log.txt" | tail -1)
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$last")
    ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$last")
    corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<< "$last")
    speed=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$dir/log.txt")
}

# One afl-fuzz run in $dir; sets cov (edges_found) corp speed.
run_afl() {
    local lib=$PWD/build/afl/lib/libpf_afl_mutator.so
    local -a env=(AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
                  AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1)
    case "$1" in
        on) env+=(AFL_CUSTOM_MUTATOR_LIBRARY="$lib" PF_OP_FORMAT="$target") ;;
        only) env+=(AFL_CUSTOM_MUTATOR_LIBRARY="$lib" PF_OP_FORMAT="$target" AFL_CUSTOM_MUTATOR_ONLY=1) ;;
    esac
    env "${env[@]}" afl-fuzz -V "$limit" -s "$2" -i "$dir/corpus" -o "$dir/afl" -- "$bin" \
        > "$dir/log.txt" 2>&1 || true
    local stats=$dir/afl/default/fuzzer_stats
    cov=$(sed -nE 's/^edges_found *: *([0-9]+).*/\1/p' "$stats" 2>/dev/null || true)
    corp=$(sed -nE 's/^corpus_count *: *([0-9]+).*/\1/p' "$stats" 2>/dev/null || true)
    speed=$(sed -nE 's/^execs_per_sec *: *([0-9]+).*/\1/p' "$stats" 2>/dev/null || true)
    ft=
}

table=$out/table-$engine-$start.txt
{
    echo "$target, $engine, start $start, $runs run(s) per setting, ${limit}s each (medians)"
    if [ "$engine" = afl ]; then
        printf '%-8s %6s %8s %8s %9s\n' mutator runs edges corpus exec/s
    else
        printf '%-8s %6s %8s %8s %8s %9s  %s\n' mutator runs cov ft corpus exec/s ft-range
    fi
} > "$table"
for s in $settings; do
    covs=(); fts=(); corps=(); speeds=()
    for i in $(seq 1 "$runs"); do
        dir=$out/$engine-$start-$s-run$i
        rm -rf "$dir" && mkdir -p "$dir/corpus"
        if [ "$start" = seeds ]; then
            cp "corpus/$target"/* "$dir/corpus/"
        else
            # afl-fuzz skips empty files; one zero byte reads the same.
            head -c 1 /dev/zero > "$dir/corpus/empty"
        fi
        "run_$engine" "$s" "$i"
        covs+=("$cov"); fts+=("$ft"); corps+=("$corp"); speeds+=("$speed")
        echo "mutator-compare: $engine $s run $i: cov/edges ${cov:-?} ft ${ft:--} corpus ${corp:-?} exec/s ${speed:-?}"
    done
    if [ "$engine" = afl ]; then
        printf '%-8s %6s %8s %8s %9s\n' "$s" "$runs" "$(med "${covs[@]}")" "$(med "${corps[@]}")" \
            "$(med "${speeds[@]}")" >> "$table"
    else
        range=$(printf '%s\n' "${fts[@]}" | sed '/^$/d' | sort -n | sed -n '1p;$p' | paste -sd- -)
        printf '%-8s %6s %8s %8s %8s %9s  %s\n' "$s" "$runs" "$(med "${covs[@]}")" \
            "$(med "${fts[@]}")" "$(med "${corps[@]}")" "$(med "${speeds[@]}")" "${range:--}" >> "$table"
    fi
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
        ci/measure/mutant-hunt.sh --runs "$runs" --time "$mutant_time" --start "$start" --mutator "$s" \
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
