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
#         build, ctest; libfuzzer preset: build; shellcheck of every script
#         in ci/ and tests/; corpus replay with -runs=0; text_codec_check
#         for $PF_PRESUBMIT_CODEC_TIME seconds (default 30); when QEMU is
#         installed, the corpora replayed on the model and QEMU in lockstep
#         against qemu/expected-divergences.tsv; then ci/fuzz.sh
#         over every target, --fuzz-time seconds each (default 60,
#         $PF_PRESUBMIT_FUZZ_TIME) with --jobs processes (default 1), its
#         campaign folder (report.html) in <out>/fuzz.
# A crash is triaged into <reproducers>/<target>/presubmit-<hash>/ (default
# reproducers/): replay it with
#   build/dev/bin/<target> --trace reproducers/<target>/presubmit-<hash>/input.bin
# --mutant builds the seeded bug NAME (model/mutants.md) into every preset,
# to prove the gate catches it; never for a real presubmit.
# Exit status: 0 all steps passed, 1 a step failed, 2 bad usage.

# shellcheck disable=SC2317  # the step functions run through step()
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$pf_root" || exit 2
root=$PWD
. ci/lib/targets.sh

ftime=${PF_PRESUBMIT_FUZZ_TIME:-60}
codec_time=${PF_PRESUBMIT_CODEC_TIME:-30}
jobs=1
out=out/presubmit-$(date +%Y%m%d-%H%M%S)
repro=reproducers
fuzz=1
mutant=""
usage() { pf_usage "$@"; }
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
configure() { cmake --preset "$1" -DPF_MUTANT="$mutant" && cmake --build --preset "$1"; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
step "build dev (ASan+UBSan)" configure dev && step "ctest dev" ctest --preset dev
# The corpora on the model and QEMU in lockstep, when QEMU is installed
# (ci/qemu-diff-check.sh: 77 means no QEMU or another version, not a fail).
qemu_diff() { local rc=0; ci/qemu-diff-check.sh || rc=$?; [ "$rc" -eq 77 ] || return "$rc"; }
step "qemu differential corpus replay" qemu_diff
step "build ubsan (UBSan, no recover)" configure ubsan && step "ctest ubsan" ctest --preset ubsan
lf_ok=0
step "build libfuzzer" configure libfuzzer && lf_ok=1

mapfile -t targets < <(pf_targets build/libfuzzer/bin)
if [ $lf_ok -eq 1 ] && [ ${#targets[@]} -eq 0 ]; then
    results+=("no fuzz target was built"); failed=$((failed + 1))
fi
lf_replay() { # target: every corpus input once through the libFuzzer build
    [ -d "corpus/$1" ] || { echo "no corpus/$1"; return 0; }
    mkdir -p "$out/$1-replay"
    "build/libfuzzer/bin/$1" -runs=0 -artifact_prefix="$out/$1-replay/" "corpus/$1"
}
# The text form's own fuzzer (fuzz/text_codec_check.c): bytes and text must
# survive a round trip, for a bounded time.
text_codec() {
    mkdir -p "$out/text_codec_check"
    ( cd "$out/text_codec_check" && timeout -k 10 $((codec_time + 60)) "$root/build/libfuzzer/bin/text_codec_check" \
        -max_total_time="$codec_time" -timeout=25 . )
}
lint() { bash tests/shellcheck.sh "$root"; }  # every script of ci/ and tests/
step "shellcheck ci/ tests/" lint
found=()
if [ $lf_ok -eq 1 ]; then
    for t in "${targets[@]}"; do
        step "corpus replay $t (libfuzzer)" lf_replay "$t"
    done
    step "text_codec_check ${codec_time}s" text_codec
    # The fuzzing step is the campaign itself; it triages what it finds.
    if [ $fuzz -eq 1 ] && ! step "fuzz ${#targets[@]} target(s), ${ftime}s each (ci/fuzz.sh)" \
            ci/fuzz.sh --time-per-target "$ftime" --jobs "$jobs" --out "$out/fuzz" --reproducers "$repro" \
            --origin presubmit ${mutant:+--mutant "$mutant"}; then
        # Crash groups from triage's table (columns: ci/triage.sh --help).
        for tsv in "$out"/fuzz/*/triage.tsv; do
            [ -f "$tsv" ] || continue
            while IFS=$'\t' read -r _ t state _ _ _ result rep _; do
                found+=("$t: $state  [$result] $rep")
            done < <(tail -n +2 "$tsv")
        done
    fi
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
