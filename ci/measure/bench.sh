#!/usr/bin/env bash
# Speed of fuzz_pasid_cache under libFuzzer+ASan+UBSan, beside
# bench_decode_only: a target that decodes the same inputs (header and ops,
# fuzz/input/ops.h) and does nothing else, which is the limit the engine and the
# decoder allow.
#
#   ci/measure/bench.sh [--time SECONDS] [--runs N] [--grow SECONDS] [--regrow] [--check]
#                       [--against REV]
#
# --time    seconds of fuzzing per run (default 20, or $PF_BENCH_TIME);
#           replay passes also aim at this budget
# --runs    fuzzing runs per target and corpus, with -seed=1..N (default 5,
#           or $PF_BENCH_RUNS); the median is reported. A run's rate depends
#           on the inputs its mutations happen to make, and a change that
#           moves one edge sends -seed=1 down another path: one run can be
#           5-10% off the next
# --grow    seconds of fuzzing that grow out/bench/corpus from the seeds the
#           first time (default 60, or $PF_BENCH_GROW); later runs reuse that
#           corpus so numbers stay comparable
# --regrow  throw out/bench/corpus away and grow it again
# --check   exit 1 when fuzz_pasid_cache misses a speed goal (below)
# --against fuzz_pasid_cache of this tree beside the one of git revision REV
#           (exported into out/bench/against-<commit>, its libfuzzer preset
#           built there), instead of beside bench_decode_only: both fuzz
#           each corpus with the same seeds, their runs interleaved, and the
#           table shows the two medians and their ratio
#
# Two corpora: the hand seeds (corpus/fuzz_pasid_cache) and the grown one.
# For each, both targets are measured the same way:
#  replay   every input of the corpus run as a file, -runs=R times each, R
#           doubled until a pass takes >= a tenth of --time; inputs/s of the
#           last pass
#  fuzz     -seed=K -max_total_time=--time over a fresh copy of the corpus
#           (so it does not grow between runs), -len_control=0 and -max_len =
#           the largest input of the corpus (so both targets see inputs of the
#           same length range); stat::average_exec_per_sec, and the same
#           executions per CPU second of the fuzzer process (fuzz_cpu/s),
#           which other jobs on a shared machine disturb far less than the
#           wall-clock rate; then the time per input (us/input, from the
#           wall-clock rate), the part of it spent inside the target
#           (in_target, PF_TARGET_CLOCK of fuzz/engine/libfuzzer.c) and the rest, the
#           engine's (in_engine: mutation, feature collection, corpus upkeep)
# Replay rates include libFuzzer reading each file again for every run, so
# they understate both targets and the decode-only one most. libFuzzer counts
# as executions the re-runs its leak check makes of any input that ends with
# more mallocs than frees: a target that frees an input's buffers only at
# the start of the next one looks faster than it is (those re-runs are
# silent). fuzz_pasid_cache keeps them balanced (pf_world_teardown).
# Goals (README.md): fuzz_pasid_cache >= 10000 exec/s fuzzing the grown corpus,
# and >= 1/4 of bench_decode_only's rate there.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$pf_root"

secs=${PF_BENCH_TIME:-20}
runs=${PF_BENCH_RUNS:-5}
grow=${PF_BENCH_GROW:-60}
regrow=0
check=0
against=""
while [ $# -gt 0 ]; do
    case "$1" in
        --time) [ $# -ge 2 ] || pf_usage; secs=$2; shift 2 ;;
        --runs) [ $# -ge 2 ] || pf_usage; runs=$2; shift 2 ;;
        --grow) [ $# -ge 2 ] || pf_usage; grow=$2; shift 2 ;;
        --regrow) regrow=1; shift ;;
        --check) check=1; shift ;;
        --against) [ $# -ge 2 ] || pf_usage; against=$2; shift 2 ;;
        -h|--help) pf_usage 0 ;;
        *) echo "bench.sh: unknown argument '$1'" >&2; pf_usage ;;
    esac
done
case "$secs$grow$runs" in
    *[!0-9]*|'') echo "bench.sh: --time, --runs and --grow take whole numbers" >&2; exit 2 ;;
esac
if [ "$secs" -lt 1 ] || [ "$grow" -lt 1 ] || [ "$runs" -lt 1 ]; then
    echo "bench.sh: --time, --runs and --grow must be >= 1" >&2
    exit 2
fi
rev=""
if [ -n "$against" ]; then
    rev=$(git rev-parse --verify --quiet "$against^{commit}") ||
        { echo "bench.sh: --against: no git revision '$against'" >&2; exit 2; }
fi

ci/install-deps.sh
pf_build_preset libfuzzer
if [ -n "$against" ]; then
    ref=$PWD/out/bench/against-$rev
    if [ ! -f "$ref/CMakeLists.txt" ]; then
        rm -rf "$ref" && mkdir -p "$ref"
        git archive "$rev" | tar -x -C "$ref"
    fi
    (cd "$ref" && cmake --preset libfuzzer >/dev/null && cmake --build --preset libfuzzer >/dev/null)
fi

bin=$PWD/build/libfuzzer/bin
real=fuzz_pasid_cache
limit=bench_decode_only
for t in $real $limit; do
    [ -x "$bin/$t" ] || { echo "bench.sh: $bin/$t was not built" >&2; exit 1; }
done
out=$PWD/out/bench
work=$out/work
rm -rf "$work"
mkdir -p "$work" "$out/artifacts"
# The fuzzing copy of a corpus, where libFuzzer also writes every new unit
# (thousands in a run), lives on a tmpfs when there is one: on a disk, file
# creation after many deletions (ext4 inode search) took a tenth of the
# real target's time, and none of the decode-only target's, which finds
# few new units.
scratch=$work
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch=$(mktemp -d /dev/shm/pf-bench.XXXXXX)
    trap 'rm -rf "$scratch"' EXIT
fi
# Leak checks stay on, as in a campaign; a crash of either target ends the
# bench, since its numbers would mean nothing.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

seeds=$PWD/corpus/$real
grown=$out/corpus
if [ "$regrow" -eq 1 ] || [ ! -d "$grown" ] || [ -z "$(ls -A "$grown" 2>/dev/null)" ]; then
    echo "bench.sh: growing $grown from the seeds for ${grow}s (-seed=1)"
    rm -rf "$grown" "$work/grow"
    mkdir -p "$work/grow"
    cp "$seeds"/* "$work/grow/"
    if ! (cd "$work" && "$bin/$real" -seed=1 -max_total_time="$grow" \
            -artifact_prefix="$out/artifacts/" "$work/grow" >"$work/grow.log" 2>&1); then
        echo "bench.sh: $real crashed while growing the corpus; see $work/grow.log" >&2
        exit 1
    fi
    mv "$work/grow" "$grown"
fi

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# replay BINARY DIR: prints "inputs/s" of running every file of DIR.
replay() {
    local b=$1 dir=$2 runs=1 files n t0 t1 ms
    mapfile -t files < <(find "$dir" -maxdepth 1 -type f | sort)
    n=${#files[@]}
    local want=$(( secs * 100 ))     # a tenth of --time, in ms
    while :; do
        t0=$(now_ms)
        if ! (cd "$work" && "$b" -runs="$runs" "${files[@]}" >"$work/replay.log" 2>&1); then
            echo "bench.sh: $(basename "$b") failed replaying $dir; see $work/replay.log" >&2
            exit 1
        fi
        t1=$(now_ms)
        ms=$(( t1 - t0 ))
        if [ "$ms" -ge "$want" ] || [ "$runs" -ge 1048576 ]; then
            break
        fi
        runs=$(( runs * 2 ))
    done
    [ "$ms" -ge 1 ] || ms=1
    echo $(( n * runs * 1000 / ms ))
}

# fuzz_once BINARY DIR MAXLEN SEED: prints "exec/s exec/cpu-s target-us
# engine-us": the microseconds per input spent inside the target
# (PF_TARGET_CLOCK, fuzz/engine/libfuzzer.c) and the rest of an input's time, which
# is the engine's.
fuzz_once() {
    local b=$1 dir=$2 maxlen=$3 seed=$4 copy=$scratch/fuzz-corpus log=$work/fuzz.log cpu=$work/fuzz.cpu
    rm -rf "$copy"
    mkdir -p "$copy"
    cp "$dir"/* "$copy/"
    # bash's own `time` gives the child's user and system seconds; no
    # /usr/bin/time needed.
    local TIMEFORMAT='%U %S' rc=0
    { time (cd "$work" && PF_TARGET_CLOCK=1 "$b" -seed="$seed" -max_total_time="$secs" \
            -len_control=0 -max_len="$maxlen" -print_final_stats=1 \
            -artifact_prefix="$out/artifacts/" "$copy" >"$log" 2>&1); } \
        2>"$cpu" || rc=$?
    rm -rf "$copy"
    if [ "$rc" -ne 0 ]; then
        echo "bench.sh: $(basename "$b") crashed fuzzing $dir with -seed=$seed; see $log" >&2
        exit 1
    fi
    local rate units clock
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    clock=$(sed -n 's/^pf_target_clock: inputs \([0-9]*\) ns \([0-9]*\)$/\1 \2/p' "$log" | tail -1)
    if [ -z "$rate" ] || [ -z "$units" ] || [ -z "$clock" ]; then
        echo "bench.sh: no final stats from $(basename "$b"); see $log" >&2
        exit 1
    fi
    echo "$rate $(awk '{ s = $1 + $2; printf "%d", (s > 0 ? u / s : 0) }' u="$units" "$cpu")" \
        "$(echo "$clock" | awk -v f="$rate" '{ t = ($1 > 0 ? $2 / $1 / 1000 : 0)
            printf "%.1f %.1f", t, (f > 0 ? 1e6 / f - t : 0) }')"
}

# fuzz BINARY DIR MAXLEN: prints what fuzz_once prints, each number the
# median of --runs runs (the rates whole), and logs every run's numbers.
fuzz() {
    local b=$1 dir=$2 maxlen=$3 k col rates=$work/fuzz.rates
    : > "$rates"
    for k in $(seq 1 "$runs"); do
        fuzz_once "$b" "$dir" "$maxlen" "$k" >> "$rates"
    done
    echo "bench.sh:   $(basename "$b") runs (exec/s exec/cpu-s target-us engine-us):" \
        "$(paste -sd, "$rates")" >&2
    local m=()
    for col in 1 2 3 4; do m+=("$(cut -d' ' -f$col "$rates" | pf_median)"); done
    printf '%.0f %.0f %.1f %.1f\n' "${m[@]}"
}

# against: this tree's fuzz_pasid_cache and REV's over both corpora, the
# runs of the two interleaved so that a change in the machine's load hits
# both alike.
if [ -n "$against" ]; then
    table=$out/bench-against.txt
    printf '%-7s %7s %14s %14s %7s %12s %12s\n' corpus inputs exec/s "exec/s@${against:0:8}" ratio \
        cpu/s "cpu/s@${against:0:8}" > "$table"
    for c in seed grown; do
        dir=$seeds
        [ "$c" = grown ] && dir=$grown
        n=$(find "$dir" -maxdepth 1 -type f | wc -l)
        maxlen=$(find "$dir" -maxdepth 1 -type f -printf '%s\n' | sort -n | tail -1)
        echo "bench.sh: $real against $against over the $c corpus ($n inputs)"
        : > "$work/this.rates"; : > "$work/ref.rates"
        for k in $(seq 1 "$runs"); do
            fuzz_once "$bin/$real" "$dir" "$maxlen" "$k" >> "$work/this.rates"
            fuzz_once "$ref/build/libfuzzer/bin/$real" "$dir" "$maxlen" "$k" >> "$work/ref.rates"
        done
        for r in this ref; do
            echo "bench.sh:   $r runs (exec/s exec/cpu-s target-us engine-us):" \
                "$(paste -sd, "$work/$r.rates")" >&2
        done
        f=$(cut -d' ' -f1 "$work/this.rates" | pf_median)
        fr=$(cut -d' ' -f1 "$work/ref.rates" | pf_median)
        printf '%-7s %7s %14.0f %14.0f %7s %12.0f %12.0f\n' "$c" "$n" "$f" "$fr" \
            "$(awk -v a="$f" -v b="$fr" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')" \
            "$(cut -d' ' -f2 "$work/this.rates" | pf_median)" \
            "$(cut -d' ' -f2 "$work/ref.rates" | pf_median)" >> "$table"
    done
    echo
    cat "$table"
    echo "bench.sh: table in $table, logs in $work"
    exit 0
fi

table=$out/bench.txt
printf '%-18s %-7s %7s %8s %10s %12s %11s %9s %9s %9s\n' target corpus inputs max_len replay/s \
    fuzz_exec/s fuzz_cpu/s us/input in_target in_engine > "$table"
declare -A rate
for c in seed grown; do
    dir=$seeds
    [ "$c" = grown ] && dir=$grown
    n=$(find "$dir" -maxdepth 1 -type f | wc -l)
    maxlen=$(find "$dir" -maxdepth 1 -type f -printf '%s\n' | sort -n | tail -1)
    for t in $real $limit; do
        echo "bench.sh: $t over the $c corpus ($n inputs)"
        r=$(replay "$bin/$t" "$dir")
        read -r f fc tus eus < <(fuzz "$bin/$t" "$dir" "$maxlen")
        # Per input: all of it (from the wall-clock rate), the target's part
        # and the engine's, each a median over the runs.
        us=$(awk -v f="$f" 'BEGIN { printf "%.1f", (f > 0 ? 1e6 / f : 0) }')
        rate[$t,$c,replay]=$r
        rate[$t,$c,fuzz]=$f
        rate[$t,$c,cpu]=$fc
        rate[$t,$c,us]=$us
        rate[$t,$c,engine]=$eus
        printf '%-18s %-7s %7s %8s %10s %12s %11s %9s %9s %9s\n' "$t" "$c" "$n" "$maxlen" "$r" "$f" \
            "$fc" "$us" "$tus" "$eus" >> "$table"
    done
done

# pct A B: A as a percentage of B, one decimal.
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }'; }
{
    echo
    for c in seed grown; do
        printf '%s / %s, %-5s corpus: replay %5s%%, fuzz %5s%%, fuzz per cpu-s %5s%%\n' \
            $real $limit $c \
            "$(pct "${rate[$real,$c,replay]}" "${rate[$limit,$c,replay]}")" \
            "$(pct "${rate[$real,$c,fuzz]}" "${rate[$limit,$c,fuzz]}")" \
            "$(pct "${rate[$real,$c,cpu]}" "${rate[$limit,$c,cpu]}")"
    done
} >> "$table"

f=${rate[$real,grown,fuzz]}
lim=${rate[$limit,grown,fuzz]}
status=0
abs=met; [ "$f" -ge 10000 ] || { abs=MISSED; status=1; }
rel=met; [ $(( f * 4 )) -ge "$lim" ] || { rel=MISSED; status=1; }
# A quarter of the decode-only rate leaves 4x its time per input for all
# of the real target's input, engine included; the engine's part alone
# grows with the coverage an input reaches.
budget=$(awk -v u="${rate[$limit,grown,us]}" 'BEGIN { printf "%.1f", 4 * u }')
{
    echo
    echo "target: $real >= 10000 exec/s fuzzing the grown corpus: $f exec/s, $abs"
    echo "target: $real >= 25% of $limit fuzzing the grown corpus: $(pct "$f" "$lim")%, $rel"
    echo "        25% of $limit leaves ${budget} us per input, engine included;" \
        "libFuzzer's own part of a $real input is ${rate[$real,grown,engine]} us" \
        "(of a $limit input: ${rate[$limit,grown,engine]} us)"
} >> "$table"

echo
cat "$table"
echo "bench.sh: table in $table, logs in $work"
if [ "$check" -eq 1 ]; then
    exit $status
fi
exit 0
