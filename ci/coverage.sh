#!/usr/bin/env bash
# Line and branch coverage of model/ under the coverage preset.
#
#   ci/coverage.sh [--tests-only | --corpus-only]
#
# Default: unit tests plus replay of every target's corpus and every
# reproducer. --corpus-only: corpus and reproducers alone (what fuzzing
# reaches); --tests-only: the unit tests alone. Writes an HTML report to
# build/coverage/html/, prints the llvm-cov summary of model/, the model
# functions with lines left uncovered (build/coverage/missed.txt, most
# missed first) and one line:
#   coverage: model/ lines NN.NN% branches NN.NN% (<what ran>)
# Exit status: 0 report written, 1 a build or test failed, 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

select=all
case "${1:-}" in
    "") ;;
    --tests-only) select=tests ;;
    --corpus-only) select=corpus ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--tests-only | --corpus-only]" >&2; exit 2 ;;
esac

ci/install-deps.sh
cmake --preset coverage >/dev/null
cmake --build --preset coverage >/dev/null
prof=build/coverage/prof
rm -rf "$prof" && mkdir -p "$prof"
case $select in
    tests) filter=(-E '^(corpus|reproducer)\.') ;;
    corpus) filter=(-R '^(corpus|reproducer)\.') ;;
    all) filter=() ;;
esac
LLVM_PROFILE_FILE="$PWD/$prof/%p-%m.profraw" ctest --test-dir build/coverage -j"$(nproc)" \
    --output-on-failure "${filter[@]}" >/dev/null
llvm-profdata merge -sparse "$prof"/*.profraw -o build/coverage/merged.profdata

bins=()
for b in build/coverage/bin/*; do
    [ -x "$b" ] && [ -f "$b" ] && bins+=("$b")
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
awk -v what="$select" '/^TOTAL/ { printf "coverage: model/ lines %s branches %s (%s)\n", $10, $13, what }' \
    build/coverage/summary.txt
echo "coverage: HTML report in build/coverage/html/index.html"
