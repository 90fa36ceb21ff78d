#!/usr/bin/env bash
# The main job: a fuzzing campaign over every fuzz target, starting from
# corpus/<target>/, with one shared corpus per target, crashes triaged into
# reproducers and a summary table at the end.
#
#   ci/fuzz.sh [--engine libfuzzer|afl|both] [--time SECONDS] [--jobs N]
#              [--out DIR] [--lf-mode fork|jobs] [--reproducers DIR] [--no-triage]
#
# --engine       libfuzzer (default), afl, or both one after the other on the
#                same corpus ($PF_FUZZ_ENGINE)
# --time         total wall time, split evenly across targets and engines
#                (default 240, or $PF_FUZZ_TIME)
# --jobs         parallel workers per target (default: cores, or $PF_FUZZ_JOBS):
#                libFuzzer -fork=N (or -jobs=N -workers=N with --lf-mode jobs);
#                AFL++ one -M main and N-1 -S secondaries, CmpLog (the
#                afl-cmplog preset) on the first secondary, or on main if N=1
# --out          output folder (default out/fuzz-YYYYmmdd-HHMMSS, or $PF_FUZZ_OUT)
# --reproducers  where ci/triage.sh files the crashes (default reproducers)
# --no-triage    only count and classify crashes
# At the end each target's corpus is pruned (libFuzzer -merge=1 over the
# libFuzzer corpus and AFL++ queues, or afl-cmin for --engine afl) into
# <out>/<target>/corpus, which is then replayed under the dev build (all of
# UBSan; the libFuzzer build leaves two checks out): an input that fails
# there counts as a crash. AFL++ uses build/afl/lib/libpf_afl_mutator.so as
# custom mutator and fuzz/targets/<target>.dict as dictionary when they exist.
# Exit status: 0 when no target crashed, 1 when one did, 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. ci/lib/crash_state.sh
. ci/lib/lf_options.sh

engine=${PF_FUZZ_ENGINE:-libfuzzer}
total=${PF_FUZZ_TIME:-240}
jobs=${PF_FUZZ_JOBS:-$(nproc)}
out=${PF_FUZZ_OUT:-out/fuzz-$(date +%Y%m%d-%H%M%S)}
lfmode=fork
repro=reproducers
triage=1

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --engine|--time|--jobs|--out|--lf-mode|--reproducers)
            [ $# -ge 2 ] || { echo "fuzz.sh: $1 needs a value" >&2; usage; }
            case "$1" in
                --engine) engine=$2 ;; --time) total=$2 ;; --jobs) jobs=$2 ;;
                --out) out=$2 ;; --lf-mode) lfmode=$2 ;; --reproducers) repro=$2 ;;
            esac
            shift 2 ;;
        --no-triage) triage=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "fuzz.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$total$jobs" in
    *[!0-9]*|'') echo "fuzz.sh: --time and --jobs take whole numbers" >&2; exit 2 ;;
esac
{ [ "$jobs" -ge 1 ] && [ "$total" -ge 1 ]; } || { echo "fuzz.sh: --time and --jobs must be >= 1" >&2; exit 2; }
case "$engine" in
    libfuzzer) engines=(libfuzzer) ;; afl) engines=(afl) ;; both) engines=(libfuzzer afl) ;;
    *) echo "fuzz.sh: --engine is libfuzzer, afl or both, not '$engine'" >&2; exit 2 ;;
esac
case "$lfmode" in fork|jobs) ;; *) echo "fuzz.sh: --lf-mode is fork or jobs" >&2; exit 2 ;; esac

ci/install-deps.sh
# -DPF_MUTANT= so a seeded bug configured by hand never gets fuzzed as the model.
build() { cmake --preset "$1" -DPF_MUTANT= >/dev/null && cmake --build --preset "$1" >/dev/null; }
build dev      # crash classification and triage replay
build libfuzzer  # corpus merge, and triage's minimizer
if [ "$engine" != libfuzzer ]; then
    build afl
    build afl-cmplog
fi

mapfile -t targets < <(find build/libfuzzer/bin -maxdepth 1 -name 'fuzz_*' -type f -perm -u+x -printf '%f\n' | sort)
[ ${#targets[@]} -gt 0 ] || { echo "fuzz.sh: no fuzz targets were built" >&2; exit 1; }
per_run=$(( total / ${#targets[@]} / ${#engines[@]} ))
[ "$per_run" -ge 1 ] || per_run=1

mkdir -p "$out"
out=$(cd "$out" && pwd)
echo "fuzz.sh: ${#targets[@]} target(s) x ${engines[*]}, ${per_run}s each, $jobs job(s), output in $out"

run_libfuzzer() { # target dir
    local t=$1 dir=$2 opts=()
    mapfile -t opts < <(lf_options "$t")
    if [ "$lfmode" = fork ]; then
        opts+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    else
        opts+=(-jobs="$jobs" -workers="$jobs")
    fi
    ( cd "$dir/logs" && timeout -k 10 $((per_run + 120)) "$root/build/libfuzzer/bin/$t" \
        "${opts[@]}" -max_total_time="$per_run" -print_final_stats=1 \
        -artifact_prefix="$dir/crashes/" "$dir/corpus" >"$dir/logs/libfuzzer.log" 2>&1 ) || true
}

run_afl() { # target dir
    local t=$1 dir=$2 seeds=$2/corpus i pids=() opts=()
    [ -n "$(ls -A "$seeds")" ] || head -c 128 /dev/zero >"$seeds/zero"
    [ -f "fuzz/targets/$t.dict" ] && opts+=(-x "$PWD/fuzz/targets/$t.dict")
    # afl-fuzz wants its own sanitizer options (abort_on_error=1).
    local env=(-u ASAN_OPTIONS -u UBSAN_OPTIONS AFL_AUTORESUME=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
)
    # The op mutator for op-stream targets only, told which op dialect.
    local fmt
    fmt=$(build/afl/bin/"$t" --input-format 2>/dev/null || echo raw)
    if [ -f build/afl/lib/libpf_afl_mutator.so ] && [ "$fmt" != raw ]; then
        env+=(AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/build/afl/lib/libpf_afl_mutator.so" PF_OP_FORMAT="$fmt")
    fi
    for ((i = 0; i < jobs; i++)); do
        local role=(-S "s$i") cmplog=()
        [ $i -eq 0 ] && role=(-M main)
        # CmpLog slows the instance that runs it: one, on a secondary when
        # there is one.
        if { [ $i -eq 1 ] || [ "$jobs" -eq 1 ]; } && [ -x "build/afl-cmplog/bin/$t" ]; then
            cmplog=(-c "$PWD/build/afl-cmplog/bin/$t")
        fi
        # Own process group each, so a forkserver child left behind (the
        # CmpLog one can be) is killed with it below.
        setsid env "${env[@]}" timeout -k 10 $((per_run + 120)) afl-fuzz "${role[@]}" "${cmplog[@]}" "${opts[@]}" \
            -V "$per_run" -i "$seeds" -o "$dir/afl" -- "$PWD/build/afl/bin/$t" \
            >"$dir/logs/afl-$i.log" 2>&1 &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    for i in "${pids[@]}"; do kill -KILL -- "-$i" 2>/dev/null || true; done
}

# Stats of one target: "execs/s features corpus".
lf_stats() {
    local dir=$1 execs=0 ft=0 e f log
    for log in "$dir"/logs/libfuzzer.log "$dir"/logs/fuzz-*.log; do
        [ -f "$log" ] || continue
        # Fork mode: "#N: cov: C ft: F corp: ..." lines count all workers.
        e=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true)
        [ -n "$e" ] || e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
        f=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
        execs=$(( execs + ${e:-0} ))
        [ "${f:-0}" -gt "$ft" ] && ft=$f
    done
    echo "$(( execs / per_run )) $ft"
}
afl_stats() { # summed execs/s, max edges
    local dir=$1 rate=0 edges=0 s r e i names=(main)
    for ((i = 1; i < jobs; i++)); do names+=("s$i"); done
    for i in "${names[@]}"; do
        s=$dir/afl/$i/fuzzer_stats
        [ -f "$s" ] || continue
        r=$(awk -F: '/^execs_per_sec/ {gsub(/ /, "", $2); printf "%d", $2}' "$s")
        e=$(awk -F: '/^edges_found/ {gsub(/ /, "", $2); print $2}' "$s")
        rate=$(( rate + ${r:-0} ))
        [ "${e:-0}" -gt "$edges" ] && edges=$e
    done
    echo "$rate $edges"
}

prune_corpus() { # target dir
    local t=$1 dir=$2 q
    rm -rf "$dir/queues" "$dir/corpus.min"
    mkdir -p "$dir/queues" "$dir/corpus.min"
    for q in "$dir"/afl/*/queue; do
        [ -d "$q" ] || continue
        find "$q" -maxdepth 1 -type f -name 'id:*' -exec cp -t "$dir/queues" {} + 2>/dev/null || true
    done
    local ok=1
    if [ "$engine" = afl ]; then
        cp -n "$dir"/corpus/* "$dir/queues/" 2>/dev/null || true
        # AFL_ALLOW_TMP: afl-cmin refuses /tmp outputs without it.
        env -u ASAN_OPTIONS AFL_NO_AFFINITY=1 AFL_ALLOW_TMP=1 afl-cmin -i "$dir/queues" -o "$dir/corpus.min" \
            -- "$PWD/build/afl/bin/$t" >"$dir/logs/cmin.log" 2>&1 || ok=0
    else
        ( cd "$dir/logs" && timeout -k 10 600 "$root/build/libfuzzer/bin/$t" -merge=1 \
            "$dir/corpus.min" "$dir/corpus" "$dir/queues" >"$dir/logs/merge.log" 2>&1 ) || ok=0
    fi
    if [ $ok -eq 0 ]; then
        # Keep everything found rather than lose it to a failed prune.
        echo "fuzz.sh: $t: corpus pruning failed (see $dir/logs), corpus kept unpruned" >&2
        cp -n "$dir"/queues/* "$dir/corpus/" 2>/dev/null || true
        rm -rf "$dir/queues" "$dir/corpus.min"
        return 0
    fi
    if [ -n "$(ls -A "$dir/corpus.min")" ]; then
        rm -rf "$dir/corpus" && mv "$dir/corpus.min" "$dir/corpus"
    fi
    rm -rf "$dir/queues" "$dir/corpus.min"
}

# The libFuzzer build leaves out two UBSan checks (alignment,
# pointer-overflow; CMakeLists.txt says why). The corpus a campaign leaves
# is replayed under the dev build, which has them all; an input that fails
# there is filed with the crashes, so it is classified and triaged too.
dev_replay_corpus() { # target dir
    local t=$1 dir=$2 f n=0
    ( pf_replay_env; pf_replay "build/dev/bin/$t" "$dir/corpus" "$dir/logs/dev-replay.log" 900 ) &&
        return 0
    for f in "$dir"/corpus/*; do
        [ -f "$f" ] || continue
        if ! ( pf_replay_env; pf_replay "build/dev/bin/$t" "$f" /dev/null 60 ); then
            cp "$f" "$dir/crashes/crash-dev-replay-$(basename "$f")"
            n=$((n + 1))
        fi
    done
    echo "fuzz.sh: $t: $n corpus input(s) fail under the dev build (see $dir/logs/dev-replay.log)" >&2
}

summary="$out/summary.txt"
printf '%-22s %-9s %9s %9s %7s %7s  %s\n' target engine execs/s cov corpus crashes violations >"$summary"
status=0
for t in "${targets[@]}"; do
    dir=$out/$t
    mkdir -p "$dir/corpus" "$dir/crashes" "$dir/logs"
    [ ! -d "corpus/$t" ] || cp -n corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
    rows=()
    for e in "${engines[@]}"; do
        echo "fuzz.sh: $t with $e"
        if [ "$e" = libfuzzer ]; then
            run_libfuzzer "$t" "$dir"; read -r rate cov < <(lf_stats "$dir")
        else
            run_afl "$t" "$dir"; read -r rate cov < <(afl_stats "$dir")
        fi
        rows+=("$e $rate $cov")
    done
    prune_corpus "$t" "$dir"
    dev_replay_corpus "$t" "$dir"
    ncorpus=$(find "$dir/corpus" -type f | wc -l)

    mapfile -t crashes < <(find "$dir/crashes" "$dir/afl" -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' -o -path '*/crashes/id:*' \) 2>/dev/null | sort)
    ids=""
    for c in "${crashes[@]}"; do
        rc=0; ( pf_replay_env; pf_replay "build/dev/bin/$t" "$c" "$dir/logs/replay.log" 60 ) || rc=$?
        s=$(pf_crash_state "$dir/logs/replay.log" "$rc")
        s=${s%% | *}; s=${s#VIOLATION }
        ids="$ids ${s:-no-repro}"
    done
    ids=$(echo "$ids" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
    for r in "${rows[@]}"; do
        read -r e rate cov <<<"$r"
        printf '%-22s %-9s %9s %9s %7s %7s  %s\n' "$t" "$e" "$rate" "$cov" "$ncorpus" "${#crashes[@]}" "${ids:--}" >>"$summary"
    done
    if [ ${#crashes[@]} -gt 0 ]; then
        status=1
        if [ $triage -eq 1 ]; then
            ci/triage.sh --target "$t" --out "$repro" "${crashes[@]}" 2>&1 | tee "$dir/triage.log" | tail -n 20 || true
        fi
    fi
done

echo
echo "cov: libFuzzer features (ft) or AFL++ edges; corpus after pruning" >>"$summary"
cat "$summary"
echo "fuzz.sh: pruned corpus and crashes under $out"
[ $status -eq 0 ] || [ $triage -eq 0 ] || echo "fuzz.sh: crashes triaged into $repro/ (see <out>/<target>/triage.log)"
exit $status
