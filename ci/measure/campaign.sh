#!/usr/bin/env bash
# Campaign speed of ci/fuzz.sh beside lone libFuzzer processes, side by side
# in one run, so a busy machine disturbs every mode alike.
#
#   ci/measure/campaign.sh [--time S] [--runs N] [--jobs N] [--target T]
#                          [--modes "jobs fork"] [--mutant NAME]
#
# Each run (default 5) takes every mode in turn on the same seeds
# (corpus/<target>/, default fuzz_pasid_cache), each for --time seconds
# (default 30) on --jobs processes (default: cores):
#   lone   N plain libFuzzer processes, each on its own copy of the seeds,
#          -max_total_time=S: what N cores give with no campaign at all
#   jobs   ci/fuzz.sh --lf-mode jobs (N processes over one shared corpus)
#   fork   ci/fuzz.sh --lf-mode fork (one libFuzzer -fork=N)
# and prints per mode the medians of: executions (libFuzzer's own count),
# executions per core-second (executions / (N x S)), executions per CPU
# second (CPU time of all the mode's processes: what other jobs on a shared
# machine disturb least), the share of lone's executions, and the coverage
# of the corpus it left (edges and features of one libFuzzer -runs=0 over
# it; for lone, over the union of its N corpora).
# --mutant NAME: time to bug instead: the seeded bug NAME (model/mutants.md)
# built in build/libfuzzer-mutant-NAME, every mode from the seeds that do not
# show it alone ("blind", as ci/mutant-hunt.sh --start blind), stopped at
# the first crash or after --time; prints found/runs and the median seconds
# from start to the first crash file.
# Output also in out/measure/campaign-<target>[-<mutant>].txt.
# Exit status: 0 done, 1 a build or run failed, 2 bad usage.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$pf_root"
root=$PWD
. ci/lib/lf_options.sh
. ci/lib/engines.sh

usage() { pf_usage "$@"; }
die() { echo "measure/campaign: $1" >&2; exit "${2:-2}"; }
secs=30 runs=5 jobs=$(nproc) target=fuzz_pasid_cache modes="jobs fork" mutant=""
while [ $# -gt 0 ]; do
    case "$1" in
        --time|--runs|--jobs|--target|--modes|--mutant)
            [ $# -ge 2 ] || die "$1 needs a value"
            case "$1" in
                --time) secs=$2 ;; --runs) runs=$2 ;; --jobs) jobs=$2 ;; --target) target=$2 ;;
                --modes) modes=$2 ;; --mutant) mutant=$2 ;;
            esac
            shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "measure/campaign: unknown argument '$1'" >&2; usage ;;
    esac
done
for n in "$secs" "$runs" "$jobs"; do case "$n" in ''|*[!0-9]*|0) die "--time, --runs, --jobs take whole numbers >= 1" ;; esac; done
for m in $modes; do case "$m" in jobs|fork) ;; *) die "--modes: jobs and/or fork, not '$m'" ;; esac; done
[ -d "corpus/$target" ] || die "no seeds corpus/$target"
[[ -z "$mutant" || "$mutant" =~ ^[a-z-]+$ ]] || die "bad --mutant name"

ci/install-deps.sh
lfbuild=$root/build/libfuzzer${mutant:+-mutant-$mutant}
pf_build_preset libfuzzer -B "$lfbuild" -DPF_MUTANT="$mutant" ${mutant:+-DPF_TESTS=OFF} || die "the libfuzzer build failed" 1
bin=$lfbuild/bin/$target
[ -x "$bin" ] || die "no target $target in $lfbuild/bin"
work=$root/out/measure/campaign-work
mkdir -p out/measure
table=out/measure/campaign-$target${mutant:+-$mutant}.txt
rm -rf "$work" && mkdir -p "$work"

# The start corpus: the seeds, or for --mutant those that do not show it.
seeds=$work/seeds
mkdir -p "$seeds"
for f in corpus/"$target"/*; do
    [ -n "$mutant" ] && ! "$bin" -runs=1 "$f" >/dev/null 2>&1 && continue
    cp "$f" "$seeds/"
done
echo "measure/campaign: $target, $jobs job(s), ${secs}s per mode, $runs run(s), $(find "$seeds" -type f | wc -l) seed(s)${mutant:+, mutant $mutant (blind seeds)}"

# Coverage of corpus folders: "edges features" of one -runs=0 pass.
corpus_cov() {
    "$bin" -runs=0 "$@" 2>&1 | awk '/INITED/ { for (i = 1; i < NF; i++) { if ($i == "cov:") c = $(i + 1); if ($i == "ft:") f = $(i + 1) } }
        END { print c + 0, f + 0 }'
}
first_crash() { # start-epoch folders...: seconds to the oldest crash file, or empty
    local t0=$1
    shift
    find "$@" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
        -printf '%T@\n' 2>/dev/null | sort -n | head -1 | awk -v t="$t0" 'NF { printf "%.1f", $1 - t }'
}

# lone: N processes, each its own corpus; prints "execs cpu edges ft ttb".
run_lone() {
    local d=$work/lone i opts=() t0 ttb execs=0 pids=() p
    rm -rf "$d" && mkdir -p "$d"
    mapfile -t opts < <(libfuzzer_opts "$target" "$lfbuild/bin")
    times >"$d/times0"
    t0=$(date +%s.%N)
    for ((i = 0; i < jobs; i++)); do
        mkdir -p "$d/c$i" "$d/x$i" && cp "$seeds"/* "$d/c$i/"
        ( cd "$d/x$i" && exec timeout -k 10 $((secs + 60)) "$bin" "${opts[@]}" -max_total_time="$secs" \
            -print_final_stats=1 -artifact_prefix="$d/x$i/" "$d/c$i" >"$d/log$i" 2>&1 ) &
        pids+=($!)
    done
    if [ -n "$mutant" ]; then
        # The first crash ends the mode, as --stop-on-crash ends a campaign.
        while [ -n "$(jobs -rp)" ] && [ -z "$(first_crash "$t0" "$d"/x*)" ]; do sleep 0.2; done
        for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
    fi
    wait || true
    times >"$d/times1"
    ttb=$(first_crash "$t0" "$d"/x*)
    read -r execs _ < <(lf_logs_stats "$d"/log*)
    echo "$execs $(cpu_of "$d") $(corpus_cov "$d"/c*) ${ttb:--}"
}
cpu_of() { # DIR with times0 and times1
    awk 'FNR == 2 { split($1 " " $2, a, /[ms ]+/); c[++n] = a[1] * 60 + a[2] + a[3] * 60 + a[4] }
         END { printf "%.1f", c[2] - c[1] }' "$1/times0" "$1/times1"
}

# A campaign mode through ci/fuzz.sh itself; same output as run_lone.
run_mode() {
    local m=$1 d=$work/$1 t0 ttb row
    rm -rf "$d" && mkdir -p "$d/$target/corpus" && cp "$seeds"/* "$d/$target/corpus/"
    ci/fuzz.sh --lf-mode "$m" --jobs "$jobs" --time-per-target "$secs" --no-triage \
        ${mutant:+--mutant "$mutant" --stop-on-crash} --out "$d" "$target" >"$d.log" 2>&1 || true
    row=$(awk -F'\t' -v t="$target" '$1 == t { print $5, $7 }' "$d/summary.tsv" 2>/dev/null)
    [ -n "$row" ] || die "ci/fuzz.sh --lf-mode $m failed; see $d.log" 1
    t0=$(stat -c %.3Y "$d/$target/logs/s1-libfuzzer/start")
    ttb=$(first_crash "$t0" "$d/$target/crashes")
    echo "$row $(corpus_cov "$d/$target/corpus") ${ttb:--}"
}

declare -A res
for ((r = 1; r <= runs; r++)); do
    for m in lone $modes; do
        if [ "$m" = lone ]; then res[$m,$r]=$(run_lone); else res[$m,$r]=$(run_mode "$m"); fi
        echo "measure/campaign: run $r $m: ${res[$m,$r]} (execs cpu_s edges ft time-to-bug)"
    done
done

median() { pf_median; }
col() { local m=$1 c=$2 r; for ((r = 1; r <= runs; r++)); do echo "${res[$m,$r]}" | awk -v c="$c" '{ print $c }'; done; }
{
    echo "$target, $jobs job(s), ${secs}s per mode, medians of $runs run(s), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -z "$mutant" ]; then
        lone=$(col lone 1 | median)
        printf '%-6s %10s %12s %11s %8s %7s %7s\n' mode execs exec/core-s exec/cpu-s vs_lone edges ft
        for m in lone $modes; do
            e=$(col "$m" 1 | median)
            perc=$(for ((r = 1; r <= runs; r++)); do echo "${res[$m,$r]}" | awk '{ if ($2 > 0) print $1 / $2 }'; done | median)
            printf '%-6s %10s %12s %11s %7s%% %7s %7s\n' "$m" "$e" \
                "$(awk -v e="$e" -v n="$jobs" -v s="$secs" 'BEGIN { printf "%.0f", e / n / s }')" "$perc" \
                "$(awk -v e="$e" -v l="$lone" 'BEGIN { printf "%.0f", (l > 0 ? 100 * e / l : 0) }')" \
                "$(col "$m" 3 | median)" "$(col "$m" 4 | median)"
        done
    else
        printf '%-6s %6s %14s  %s\n' mode found median_ttb_s all
        for m in lone $modes; do
            found=$(col "$m" 5 | grep -vc -- '-' || true)
            printf '%-6s %3s/%-2s %14s  %s\n' "$m" "$found" "$runs" "$(col "$m" 5 | grep -v -- '-' | median)" "$(col "$m" 5 | paste -sd' ' -)"
        done
    fi
} | tee "$table"
