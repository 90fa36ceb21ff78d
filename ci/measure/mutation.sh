#!/usr/bin/env bash
# Mutation analysis of the model: how many first-order mutants of model/*.c
# the unit tests and the fuzz targets kill.
#
#   ci/measure/mutation.sh [--sample N] [--seed K] [--budget S] [--jobs J]
#                          [--fast] [--stages S,S...] [--ids ID,ID...]
#                          [--targets T,T...] [--out DIR]
#
# ci/measure/mutagen.py writes every mutant of every function in model/*.c
# into one mutant schemata build per preset (mutants: unit tests and replay
# drivers; mutants-libfuzzer: the fuzz targets); env PF_MUTANT=N turns
# mutant N on. Mutants that do not compile or are provably equivalent are
# dropped and counted there (build/mutants/mutants/mutants.tsv). Each live
# mutant then goes through, in order:
#   1. the unit tests (ctest -R '^test_', stop at the first failure);
#   2. corpus replay of each target (its libFuzzer binary, -runs=0 over
#      corpus/<target>);
#   3. for each target whose replay did not kill it, libFuzzer from a copy
#      of corpus/<target> for --budget seconds (default 60, -seed=1, the
#      target's .options and dictionary).
# A failing test, a VIOLATION, a sanitizer report, a crash, an out-of-memory
# or a timeout (10 s per input) all kill; the results say which. A binary
# that cannot be run is an error, counted apart, never a kill. Every stage
# runs by default, so the score of each target and of the unit tests stands
# alone; --fast stops a mutant at the first stage that kills it (pre-merge).
# --stages runs only the stages named (unit, replay, fuzz; default all):
# `--stages replay` surveys the fuzz targets at a second or two per target
# and mutant, `--stages replay,fuzz` scores the targets without the unit
# tests; fuzz without replay fuzzes every target.
# --sample N runs N live mutants drawn with --seed (default 1): the first N
# live ones of a permutation of all mutant ids, so the same ones every time,
# and a mutant dropped later as equivalent only makes room for the next;
# --ids runs the given ones; --jobs (default: cores) runs mutants side by
# side, each with one core.
# Output in --out (default out/mutation/<date>): results.tsv (one line per
# mutant: stage results, killed-by, time to kill), summary.txt (scores per
# target and overall, the survivors with file:line and the edit).
# Exit 0 when it ran (whatever the score), 2 on bad usage.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$pf_root"

sample=0 seed=1 budget=60 jobs=$(nproc) fast=0 ids="" targets="" out="" worker=""
stages=unit,replay,fuzz
while [ $# -gt 0 ]; do
    case "$1" in
        --sample|--seed|--budget|--jobs|--ids|--targets|--out|--worker|--stages)
            [ $# -ge 2 ] || { echo "mutation.sh: $1 needs a value" >&2; pf_usage; }
            case "$1" in
                --sample) sample=$2 ;; --seed) seed=$2 ;; --budget) budget=$2 ;;
                --jobs) jobs=$2 ;; --ids) ids=$2 ;; --targets) targets=$2 ;;
                --out) out=$2 ;; --worker) worker=$2 ;; --stages) stages=$2 ;;
            esac
            shift 2 ;;
        --fast) fast=1; shift ;;
        -h|--help) pf_usage 0 ;;
        *) echo "mutation.sh: unknown argument '$1'" >&2; pf_usage ;;
    esac
done
for v in "$sample" "$seed" "$budget" "$jobs"; do
    case "$v" in *[!0-9]*|'') echo "mutation.sh: --sample, --seed, --budget and --jobs take whole numbers" >&2; exit 2 ;; esac
done
if [ "$jobs" -lt 1 ] || [ "$budget" -lt 1 ]; then
    echo "mutation.sh: --jobs and --budget must be >= 1" >&2
    exit 2
fi
case "$ids" in *[!0-9,]*) echo "mutation.sh: --ids takes numbers separated by commas" >&2; exit 2 ;; esac
run_unit=0 run_replay=0 run_fuzz=0
IFS=, read -r -a stage_list <<< "$stages"
for s in "${stage_list[@]}"; do
    case "$s" in
        unit) run_unit=1 ;; replay) run_replay=1 ;; fuzz) run_fuzz=1 ;;
        *) echo "mutation.sh: --stages takes unit, replay and fuzz separated by commas, not '$s'" >&2
           exit 2 ;;
    esac
done
[ "${#stage_list[@]}" -gt 0 ] || { echo "mutation.sh: --stages names no stage" >&2; exit 2; }

testbuild=build/mutants
fuzzbuild=build/mutants-libfuzzer
py=/usr/bin/python3
. ci/lib/lf_options.sh

# How a failed run died, from its log: the first VIOLATION or sanitizer
# report, else what libFuzzer or ctest said.
kill_kind() { # log
    local v
    v=$(grep -o -m1 'VIOLATION [a-z0-9-]*' "$1" | cut -d' ' -f2 || true)
    [ -z "$v" ] || { echo "violation:$v"; return; }
    v=$(grep -o -m1 'ERROR: AddressSanitizer: [A-Za-z-]*' "$1" | cut -d' ' -f3 || true)
    [ -z "$v" ] || { echo "asan:$v"; return; }
    grep -q -m1 'LeakSanitizer: detected memory leaks' "$1" && { echo leak; return; }
    grep -q -m1 'runtime error:' "$1" && { echo ubsan; return; }
    grep -q -m1 -e 'ERROR: libFuzzer: timeout' -e '\*\*\*Timeout' "$1" && { echo timeout; return; }
    grep -q -m1 -e 'out-of-memory' -e 'MemorySanitizer' "$1" && { echo oom; return; }
    grep -q -m1 -e 'deadly signal' -e 'Subprocess aborted' -e 'SegFault' "$1" && { echo crash-no-violation; return; }
    v=$(grep -o -m1 'test_[A-Za-z0-9_]*\.[A-Za-z0-9_]* .*(Failed)' "$1" | cut -d' ' -f1 || true)
    [ -z "$v" ] || { echo "test:$v"; return; }
    echo failed
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# One mutant, all its stages: one line of results.tsv on stdout.
run_worker() { # id
    local id=$1 dir=$out/m/$1 t0 rc unit=survived unit_s=- killed=0 line
    rm -rf "$dir" && mkdir -p "$dir"
    export PF_MUTANT=$id
    if [ "$run_unit" = 1 ]; then
        t0=$(now)
        rc=0
        timeout 900 ctest --test-dir "$testbuild" -R '^test_' --stop-on-failure --timeout 30 -j1 \
            --output-on-failure > "$dir/unit.log" 2>&1 || rc=$?
        unit_s=$(since "$t0")
        if grep -q -e 'Not Run' -e 'Could not find executable' "$dir/unit.log"; then
            unit=error    # a test binary missing: the build, not the mutant
        elif [ $rc -ne 0 ]; then
            unit="unit:$(kill_kind "$dir/unit.log")"; killed=1
        fi
    else
        unit=skipped
    fi
    line="$id	$unit	$unit_s"
    local t results=() len
    for t in "${target_list[@]}"; do
        if [ "$fast" = 1 ] && [ $killed = 1 ]; then results+=("skipped	-"); continue; fi
        if [ "$run_replay" = 0 ]; then results+=("survived	-"); continue; fi
        mapfile -t len < <(lf_options "$t" "$fuzzbuild/bin" | grep max_len || true)
        t0=$(now); rc=0
        timeout 600 "$fuzzbuild/bin/$t" -runs=0 -timeout=10 -rss_limit_mb=2048 \
            "-artifact_prefix=$dir/$t-replay-" "${len[@]}" \
            "corpus/$t" > "$dir/$t-replay.log" 2>&1 || rc=$?
        if [ $rc -eq 126 ] || [ $rc -eq 127 ]; then
            results+=("error	-")
        elif [ $rc -ne 0 ]; then
            results+=("replay:$(kill_kind "$dir/$t-replay.log")	$(since "$t0")"); killed=1
        else
            results+=("survived	-")
        fi
    done
    local i=0 tmp opts
    for t in "${target_list[@]}"; do
        if [[ "${results[$i]}" == survived* ]] && [ "$run_fuzz" = 1 ] &&
            ! { [ "$fast" = 1 ] && [ $killed = 1 ]; }; then
            tmp=$(mktemp -d "${TMPDIR:-/tmp}/pf-mutation.XXXXXX")
            cp "corpus/$t"/* "$tmp/"
            mapfile -t opts < <(lf_options "$t" "$fuzzbuild/bin")
            t0=$(now); rc=0
            timeout $((budget + 120)) "$fuzzbuild/bin/$t" "${opts[@]}" -seed=1 -timeout=10 \
                -rss_limit_mb=2048 -max_total_time="$budget" -print_final_stats=0 \
                "-artifact_prefix=$dir/$t-fuzz-" "$tmp" > "$dir/$t-fuzz.log" 2>&1 || rc=$?
            rm -rf "$tmp"
            if [ $rc -eq 126 ] || [ $rc -eq 127 ]; then
                results[i]="error	-"
            elif [ $rc -ne 0 ]; then
                results[i]="fuzz:$(kill_kind "$dir/$t-fuzz.log")	$(since "$t0")"; killed=1
            fi
        elif [[ "${results[$i]}" == survived* ]] && [ "$run_fuzz" = 1 ]; then
            results[i]="skipped	-"
        elif [ "$run_replay" = 0 ] && [[ "${results[$i]}" == survived* ]]; then
            results[i]="skipped	-"    # neither stage ran for this target
        fi
        i=$((i + 1))
    done
    for i in "${!results[@]}"; do line+="	${results[$i]}"; done
    printf '%s\n' "$line"
}

if [ -n "$targets" ]; then
    IFS=, read -r -a target_list <<< "$targets"
else
    mapfile -t target_list < <(find corpus -mindepth 1 -maxdepth 1 -type d -name 'fuzz_*' -printf '%f\n' | sort)
fi
for t in "${target_list[@]}"; do
    [ -d "corpus/$t" ] || { echo "mutation.sh: no corpus/$t" >&2; exit 2; }
done

if [ -n "$worker" ]; then
    run_worker "$worker"
    exit 0
fi

ci/install-deps.sh --mutation
# One run at a time: a second one would rebuild the binaries under the
# first one's feet.
mkdir -p build
exec 9> build/mutation.lock
flock -n 9 || { echo "mutation.sh: another mutation.sh is running (build/mutation.lock)" >&2; exit 1; }
pf_build_preset mutants
pf_build_preset mutants-libfuzzer
tsv=$testbuild/mutants/mutants.tsv
cmp -s "$tsv" "$fuzzbuild/mutants/mutants.tsv" ||
    { echo "mutation.sh: the two builds disagree on the mutants ($tsv)" >&2; exit 1; }

out=${out:-out/mutation/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/m"
"$py" ci/measure/mutation_equivalents.py --list ci/measure/equivalent-mutants.tsv \
    --mutants "$tsv" > "$out/mutants.tsv"
if [ -n "$ids" ]; then
    tr , '\n' <<< "$ids" > "$out/ids"
else
    "$py" - "$out/mutants.tsv" "$sample" "$seed" > "$out/ids" <<'EOF'
import random, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
order = [int(r[0]) for r in rows]
random.Random(int(sys.argv[3])).shuffle(order)
live = {int(r[0]) for r in rows if r[6] == "live"}
n = int(sys.argv[2])
pick = [i for i in order if i in live][:n] if n > 0 else sorted(live)
print("\n".join(map(str, sorted(pick))))
EOF
fi
echo "mutation.sh: $(wc -l < "$out/ids") mutant(s), budget ${budget}s per target, $jobs job(s) -> $out"
args=(--budget "$budget" --out "$out" --stages "$stages" --targets "$(IFS=,; echo "${target_list[*]}")")
[ "$fast" = 0 ] || args+=(--fast)
{
    printf 'id\tunit\tunit_s'
    for t in "${target_list[@]}"; do printf '\t%s\t%s_s' "$t" "$t"; done
    printf '\n'
} > "$out/stages.tsv"
xargs -P "$jobs" -I{} "$pf_script" "${args[@]}" --worker {} < "$out/ids" >> "$out/stages.tsv"
"$py" ci/measure/mutation_report.py --mutants "$out/mutants.tsv" --stages "$out/stages.tsv" \
    --results "$out/results.tsv" --budget "$budget" --fast "$fast" --stages-run "$stages" \
    > "$out/summary.txt"
cat "$out/summary.txt"
case "$out" in /*) ;; *) out=$pf_root/$out ;; esac
echo "mutation.sh: results in $out"
