#!/usr/bin/env bash
# Line and branch coverage of model/ under the coverage preset.
#
#   ci/coverage.sh [--tests-only | --corpus-only]
#
# Default: unit tests and corpus replay together. Writes an HTML report to
# build/coverage/html/ and prints the llvm-cov summary of model/ plus one line:
#   coverage: model/ lines NN.NN% branches NN.NN% (<what ran>)
set -euo pipefail
cd "$(dirname "$0")/.."

select=all
case "${1:-}" in
    "") ;;
    --tests-only) select=tests ;;
    --corpus-only) select=corpus ;;
    *) echo "usage: $0 [--tests-only | --corpus-only]" >&2; exit 2 ;;
esac

ci/install-deps.sh
cmake --preset coverage >/dev/null
cmake --build --preset coverage >/dev/null
prof=build/coverage/prof
rm -rf "$prof" && mkdir -p "$prof"
case $select in
    tests) filter=(-E '^corpus\.') ;;
    corpus) filter=(-R '^corpus\.') ;;
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
awk -v what="$select" '/^TOTAL/ { printf "coverage: model/ lines %s branches %s (%s)\n", $10, $13, what }' \
    build/coverage/summary.txt
echo "coverage: HTML report in build/coverage/html/index.html"
