#!/usr/bin/env bash
# Line and branch coverage of model/ under the coverage preset.
#
#   ci/coverage.sh [--tests-only | --corpus-only]
#
# The goal is what the corpus reaches: >= 95% of model/ lines
# and >= 85% of branches from replaying every target's corpus and every
# reproducer, without the unit tests. Default: the corpus replay and the
# unit tests, profiled apart; the report is the corpus one and the summary
# line gives both. --corpus-only: corpus and reproducers alone;
# --tests-only: the unit tests alone. Writes an HTML report to
# build/coverage/html/, prints the llvm-cov summary of model/, the model
# functions with lines or branches left uncovered (build/coverage/missed.txt,
# most missed first) and one line:
#   coverage: model/ lines NN.NN% branches NN.NN% (<what ran>)[; ...]
# Exit status: 0 report written, 1 a build or test failed, 2 bad usage.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$pf_root"

select=all
[ $# -le 1 ] || { echo "coverage.sh: one option at most" >&2; pf_usage; }
case "${1:-}" in
    "") ;;
    --tests-only) select=tests ;;
    --corpus-only) select=corpus ;;
    -h|--help) pf_usage 0 ;;
    *) echo "coverage.sh: unknown argument '$1'" >&2; pf_usage ;;
esac

ci/install-deps.sh
pf_build_preset coverage
prof=build/coverage/prof
rm -rf "$prof" && mkdir -p "$prof/corpus" "$prof/tests"
replay=(-R '^(corpus|reproducer)\.')
units=(-E '^(corpus|reproducer)\.')
# Each run writes its own profiles, so the corpus figure never includes
# what only a unit test reached.
run_tests() {
    LLVM_PROFILE_FILE="$PWD/$prof/$1/%p-%m.profraw" ctest --test-dir build/coverage \
        -j"$(nproc)" --output-on-failure "${@:2}" >/dev/null
}
case $select in
    tests) run_tests tests "${units[@]}" ;;
    corpus) run_tests corpus "${replay[@]}" ;;
    all) run_tests corpus "${replay[@]}" && run_tests tests "${units[@]}" ;;
esac
report_dir=$prof/corpus
[ "$select" = tests ] && report_dir=$prof/tests
llvm-profdata merge -sparse "$report_dir"/*.profraw -o build/coverage/merged.profdata
if [ "$select" = all ]; then
    llvm-profdata merge -sparse "$prof"/corpus/*.profraw "$prof"/tests/*.profraw \
        -o build/coverage/with-tests.profdata
fi

bins=()
# pasidfuzz_mutant is built with a seeded model bug (model/mutants.md): not
# the model under test, whatever it reaches.
for b in build/coverage/bin/*; do
    [ -x "$b" ] && [ -f "$b" ] && [[ $b != *_mutant ]] && bins+=("$b")
done
objs=("${bins[0]}")
for b in "${bins[@]:1}"; do objs+=(-object "$b"); done
sources=("$PWD"/model/*.c)
llvm-cov report "${objs[@]}" -instr-profile=build/coverage/merged.profdata "${sources[@]}" \
    | tee build/coverage/summary.txt
llvm-cov show "${objs[@]}" -instr-profile=build/coverage/merged.profdata -format=html \
    -output-dir=build/coverage/html "${sources[@]}" >/dev/null
# Per function (columns: name, regions, missed, %, lines, missed, %,
# branches, missed, %): those with missed lines or branches, most missed first.
llvm-cov report -show-functions "${objs[@]}" -instr-profile=build/coverage/merged.profdata "${sources[@]}" \
    | awk '$1 != "TOTAL" && NF == 10 && $2 ~ /^[0-9]+$/ && ($6 > 0 || $9 > 0) {
           printf "%-36s %4d of %4d lines, %4d of %4d branches missed\n", $1, $6, $5, $9, $8 }' \
    | sort -k2,2nr -k7,7nr >build/coverage/missed.txt
if [ -s build/coverage/missed.txt ]; then
    echo "coverage: model/ functions with uncovered lines or branches (build/coverage/missed.txt):"
    head -15 build/coverage/missed.txt | sed 's/^/  /'
fi
percent() { awk -v col="$1" '/^TOTAL/ { print $col }' "$2"; }
what="corpus and reproducers"
[ "$select" = tests ] && what="unit tests"
line="coverage: model/ lines $(percent 10 build/coverage/summary.txt) branches $(percent 13 build/coverage/summary.txt)"
if [ "$select" = all ]; then
    llvm-cov report "${objs[@]}" -instr-profile=build/coverage/with-tests.profdata "${sources[@]}" \
        >build/coverage/summary-with-tests.txt
    line="$line ($what); with unit tests lines $(percent 10 build/coverage/summary-with-tests.txt)"
    line="$line branches $(percent 13 build/coverage/summary-with-tests.txt)"
else
    line="$line ($what)"
fi
echo "$line"
if [ "$select" != tests ]; then
    awk '/^TOTAL/ { l = $10 + 0; b = $13 + 0
         printf "coverage: corpus target (lines >= 95%%, branches >= 85%%): %s\n",
                (l >= 95 && b >= 85) ? "met" : "not met" }' build/coverage/summary.txt
fi
echo "coverage: HTML report in build/coverage/html/index.html"
