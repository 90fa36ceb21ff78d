#!/usr/bin/env bash
# QEMU-side rates, side by side, medians of 5 runs: no-op qtest round trips
# and resets (pf_qemu bench), then inputs/s of `pf_qemu target` and
# `pf_qemu diff` over a corpus directory, with the qtest commands per second
# that reached QEMU. Usage: ci/measure/qemu-rate.sh [--corpus DIR] [--target NAME]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$here/corpus/fuzz_inv_queue target=fuzz_inv_queue
while [ $# -gt 0 ]; do
    case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --help|-h) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "qemu-rate: unknown argument $1" >&2; exit 2 ;;
    esac
done
"$here/ci/install-deps.sh"
(cd "$here" && cmake --preset dev >/dev/null && cmake --build --preset dev --target pf_qemu >/dev/null)
pfq=$here/build/dev/bin/pf_qemu
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
noop=() reset=() tin=() din=() tcmd=()
for _ in 1 2 3 4 5; do
    out=$("$pfq" bench --rounds 20000)
    noop+=("$(awk '/^noop/ {print $4}' <<<"$out")")
    reset+=("$(awk '/^resets/ {print $2}' <<<"$out")")
    t0=$(date +%s.%N)
    out=$(PF_QEMU_FINDINGS='' "$pfq" target -k --target "$target" "$corpus" 2>/dev/null || true)
    t1=$(date +%s.%N)
    tin+=("$(sed -n 's/.* \([0-9.]*\) inputs\/s.*/\1/p' <<<"$out")")
    mmio=$(sed -n 's/.* \([0-9]*\) MMIO accesses, \([0-9]*\) memory writes.*/\1 \2/p' <<<"$out")
    tcmd+=("$(awk -v t="$(echo "$t1 - $t0" | bc)" '{printf "%.0f", ($1 + $2) / t}' <<<"$mmio")")
    out=$(PF_QEMU_FINDINGS='' "$pfq" diff -k --target "$target" "$corpus" 2>/dev/null || true)
    din+=("$(sed -n 's/.* \([0-9.]*\) inputs\/s.*/\1/p' <<<"$out")")
done
printf '%-40s %s\n' "no-op qtest round trips/s" "$(printf '%s\n' "${noop[@]}" | median)"
printf '%-40s %s\n' "resets/s" "$(printf '%s\n' "${reset[@]}" | median)"
printf '%-40s %s\n' "target inputs/s ($target)" "$(printf '%s\n' "${tin[@]}" | median)"
printf '%-40s %s\n' "target MMIO+memory commands/s" "$(printf '%s\n' "${tcmd[@]}" | median)"
printf '%-40s %s\n' "diff inputs/s ($target)" "$(printf '%s\n' "${din[@]}" | median)"
