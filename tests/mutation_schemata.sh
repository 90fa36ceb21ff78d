#!/usr/bin/env bash
# The mutant schemata build (-DPF_MUTANTS=ON, ci/measure/mutation.sh) with
# PF_MUTANT unset or 0 is the model itself: every corpus input's --trace is
# byte for byte the one of the normal build. And it is a mutant build: one
# chosen mutant (the replay phase of a PASID-cache sync deleted) makes the
# corpus replay of fuzz_pasid_cache report oracle-mismatch.
#
#   tests/mutation_schemata.sh SOURCE_DIR SELFTEST_BUILD_DIR NORMAL_BIN_DIR
#
# Exit 77 (skipped) without python3-clang-14 or clang.
set -euo pipefail
[ $# -eq 3 ] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
src=$1 build=$2 bin=$3
if ! /usr/bin/python3 -c 'import clang.cindex' 2>/dev/null; then
    echo "SKIP: python3-clang-14 is not installed (ci/install-deps.sh --mutation)"
    exit 77
fi
command -v clang >/dev/null || { echo "SKIP: clang is not installed"; exit 77; }

mapfile -t targets < <(find "$src/corpus" -mindepth 1 -maxdepth 1 -type d -name 'fuzz_*' -printf '%f\n' | sort)
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
    -DPF_MUTANTS=ON -DPF_TESTS=OFF -DPF_FUZZ_ENGINE=replay > "$build.log" 2>&1 ||
    { cat "$build.log"; exit 1; }
cmake --build "$build" --target "${targets[@]}" >> "$build.log" 2>&1 || { cat "$build.log"; exit 1; }

fail=0 n=0
for t in "${targets[@]}"; do
    for f in "$src/corpus/$t"/*; do
        [ "$(basename "$f")" != README.md ] || continue
        want=$(env -u PF_MUTANT "$bin/$t" --trace "$f" 2>&1) || true
        for m in "" 0; do
            got=$(PF_MUTANT=$m "$build/bin/$t" --trace "$f" 2>&1) || true
            if [ "$got" != "$want" ]; then
                echo "FAIL: $t --trace $f differs with PF_MUTANT='$m'"
                diff <(echo "$want") <(echo "$got") | head -5
                fail=1
            fi
        done
        n=$((n + 1))
    done
done
echo "mutation_schemata: $n corpus inputs trace the same as the normal build"

tsv=$build/mutants/mutants.tsv
id=$(awk -F'\t' '$5 == "vtd_pasid_cache_sync" && $6 == "del-call" && $7 == "live" &&
                 $9 == "vtd_replay_phase(s, d, info, start, end);" { print $1 }' "$tsv")
[ -n "$id" ] || { echo "FAIL: no live mutant deleting vtd_replay_phase() in $tsv"; exit 1; }
out=$(PF_MUTANT=$id "$build/bin/fuzz_pasid_cache" "$src/corpus/fuzz_pasid_cache" 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ] || ! grep -q 'VIOLATION oracle-mismatch' <<< "$out"; then
    echo "FAIL: mutant $id (replay phase deleted) not detected by the corpus (exit $rc)"
    fail=1
else
    echo "mutation_schemata: mutant $id (replay phase deleted) detected: oracle-mismatch"
fi
exit $fail
