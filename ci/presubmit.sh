#!/usr/bin/env bash
# The pre-merge gate. Builds and tests a sanitizer matrix, replays corpus and
# reproducers, fuzzes every target for a short fixed time, and fails on any
# crash, filing it with ci/triage.sh so the author can replay it.
#
#   ci/presubmit.sh [--fuzz-time SECONDS] [--jobs N] [--out DIR]
#                   [--reproducers DIR] [--no-fuzz] [--mutant NAME]
#
# Steps:  dev preset (ASan+UBSan): build, ctest (unit tests, corpus and
#         reproducer replay); ubsan preset (UBSan alone, nothing recovers):
#         build, ctest; libfuzzer preset: build, corpus replay with -runs=0;
#         then each target fuzzed --fuzz-time seconds (default 60,
#         $PF_PRESUBMIT_FUZZ_TIME) with --jobs libFuzzer workers (default 1).
# A crash is triaged into <reproducers>/<target>/presubmit-<hash>/ (default
# reproducers/): replay it with
#   build/dev/bin/<target> --trace reproducers/<target>/presubmit-<hash>/input.bin
# --mutant builds the seeded bug NAME (model/mutants.md) into every preset,
# to prove the gate catches it; never for a real presubmit.
# Exit status: 0 all steps passed, 1 a step failed, 2 bad usage.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
. ci/lib/lf_options.sh

ftime=${PF_PRESUBMIT_FUZZ_TIME:-60}
jobs=1
out=out/presubmit-$(date +%Y%m%d-%H%M%S)
repro=reproducers
fuzz=1
mutant=""
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --fuzz-time|--jobs|--out|--reproducers|--mutant)
            [ $# -ge 2 ] || { echo "presubmit: $1 needs a value" >&2; usage; }
            case "$1" in
                --fuzz-time) ftime=$2 ;; --jobs) jobs=$2 ;; --out) out=$2 ;;
                --reproducers) repro=$2 ;; --mutant) mutant=$2 ;;
            esac
            shift 2 ;;
        --no-fuzz) fuzz=0; shift ;;
        -h|--help) usage 0 ;;
        *) echo "presubmit: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$ftime$jobs" in *[!0-9]*|'') echo "presubmit: --fuzz-time and --jobs take whole numbers" >&2; exit 2 ;; esac
{ [ "$ftime" -ge 1 ] && [ "$jobs" -ge 1 ]; } || { echo "presubmit: --fuzz-time and --jobs must be >= 1" >&2; exit 2; }
[[ -z "$mutant" || "$mutant" =~ ^[a-z-]+$ ]] || { echo "presubmit: bad --mutant name" >&2; exit 2; }

ci/install-deps.sh || exit 1
mkdir -p "$out" && out=$(cd "$out" && pwd)
log=$out/presubmit.log
: >"$log"
results=()
failed=0
# step NAME COMMAND...: runs one step, its output to the log, one result line.
step() {
    local name=$1 t0=$SECONDS rc=0; shift
    echo "=== $name: $*" >>"$log"
    "$@" >>"$log" 2>&1 || rc=$?
    local verdict=ok
    [ $rc -eq 0 ] || { verdict="FAIL (exit $rc)"; failed=$((failed + 1)); }
    results+=("$(printf '%-44s %-14s %5ss' "$name" "$verdict" $((SECONDS - t0)))")
    echo "presubmit: ${results[-1]}"
    return $rc
}
# shellcheck disable=SC2317 # this and the step functions below run through step
configure() { cmake --preset "$1" -DPF_MUTANT="$mutant" && cmake --build --preset "$1"; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
step "build dev (ASan+UBSan)" configure dev && step "ctest dev" ctest --preset dev
step "build ubsan (UBSan, no recover)" configure ubsan && step "ctest ubsan" ctest --preset ubsan
lf_ok=0
step "build libfuzzer" configure libfuzzer && lf_ok=1

mapfile -t targets < <(find build/libfuzzer/bin -maxdepth 1 -name 'fuzz_*' -type f -perm -u+x -printf '%f\n' 2>/dev/null | sort)
if [ $lf_ok -eq 1 ] && [ ${#targets[@]} -eq 0 ]; then
    results+=("no fuzz target was built"); failed=$((failed + 1))
fi
# shellcheck disable=SC2317
lf_replay() { # target: every corpus input once through the libFuzzer build
    [ -d "corpus/$1" ] || { echo "no corpus/$1"; return 0; }
    mkdir -p "$out/$1-replay"
    "build/libfuzzer/bin/$1" -runs=0 -artifact_prefix="$out/$1-replay/" "corpus/$1"
}
# shellcheck disable=SC2317
lf_fuzz() { # target dir
    local t=$1 dir=$2
    mkdir -p "$dir/corpus" "$dir/crashes"
    [ -d "corpus/$t" ] && cp -n corpus/"$t"/* "$dir/corpus/" 2>/dev/null
    local opts=()
    mapfile -t opts < <(lf_options "$t")
    ( cd "$dir" && timeout -k 10 $((ftime + 120)) "$root/build/libfuzzer/bin/$t" "${opts[@]}" \
        -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$ftime" -artifact_prefix="$dir/crashes/" "$dir/corpus" >"$dir/fuzz.log" 2>&1 )
    local n
    n=$(find "$dir/crashes" -type f | wc -l)
    [ "$n" -eq 0 ] || { echo "$n crash file(s) in $dir/crashes"; return 1; }
}
# shellcheck disable=SC2317
run_triage() { # target: files the crashes, output kept for the summary
    ci/triage.sh --target "$1" --origin presubmit --out "$repro" --minimize-time 20 \
        --build build/dev --libfuzzer-build build/libfuzzer "$out/$1/crashes" >"$out/$1/triage.log" 2>&1
    local rc=$?
    cat "$out/$1/triage.log"
    return "$rc"
}
found=()
if [ $lf_ok -eq 1 ]; then
    for t in "${targets[@]}"; do
        step "corpus replay $t (libfuzzer)" lf_replay "$t"
        [ $fuzz -eq 1 ] || continue
        if ! step "fuzz $t ${ftime}s" lf_fuzz "$t" "$out/$t"; then
            [ -n "$(ls -A "$out/$t/crashes" 2>/dev/null)" ] || continue
            step "triage $t" run_triage "$t"
            # Triage rows: group, state (52 wide), files, bytes -> bytes, verdict.
            while IFS= read -r l; do found+=("$l"); done < <(grep -- ' -> ' "$out/$t/triage.log" |
                sed -E 's/^ *[0-9]+ (.{52}) +[0-9]+ +[0-9]+ -> [0-9]+ +(.*)/\1  \2/; s/  +/  /')
        fi
    done
fi

echo
echo "================ presubmit summary ================"
printf '%s\n' "${results[@]}"
if [ ${#found[@]} -gt 0 ]; then
    echo "crash groups (replay: build/dev/bin/<target> --trace <folder>/input.bin):"
    printf '  %s\n' "${found[@]}"
fi
echo "full log: $log"
if [ $failed -gt 0 ]; then
    echo "presubmit: FAILED ($failed step(s))"
    exit 1
fi
echo "presubmit: PASSED"
exit 0
