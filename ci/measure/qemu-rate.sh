#!/usr/bin/env bash
# QEMU-side rates, medians of --runs runs: no-op qtest round trips and
# resets per second (pf_qemu bench: QEMU's own limit), then `pf_qemu target`
# and `pf_qemu diff` over a corpus directory: inputs/s, qtest commands/s and
# input ops/s (the input's MMIO accesses and guest-memory writes that
# reached QEMU, per second: the work done, which does not change when the
# same input takes fewer commands).
#
#   ci/measure/qemu-rate.sh [--corpus DIR] [--target NAME] [--runs N] [--against REV]
#
# --corpus   inputs to run (default corpus/fuzz_inv_queue)
# --target   their target (default fuzz_inv_queue)
# --runs     runs per measure, the median is printed (default 5)
# --against  this tree's pf_qemu beside the one of git revision REV
#            (exported into out/measure/qemu-rate-<commit>, its dev preset's
#            pf_qemu built there), the runs of the two interleaved so a
#            change in the machine's load hits both alike; a third column
#            gives the ratio
# Exit status: 0, or 2 on bad usage or a build that fails.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$pf_root"
corpus=corpus/fuzz_inv_queue target=fuzz_inv_queue runs=5 against=""
while [ $# -gt 0 ]; do
    case $1 in
    --corpus|--target|--runs|--against)
        [ $# -ge 2 ] || { echo "qemu-rate: $1 needs a value" >&2; pf_usage; }
        case $1 in
            --corpus) corpus=$2 ;; --target) target=$2 ;; --runs) runs=$2 ;; --against) against=$2 ;;
        esac
        shift 2 ;;
    -h|--help) pf_usage 0 ;;
    *) echo "qemu-rate: unknown argument $1" >&2; pf_usage ;;
    esac
done
case "$runs" in ''|*[!0-9]*|0) echo "qemu-rate: --runs takes a whole number >= 1" >&2; exit 2 ;; esac
[ -d "$corpus" ] || { echo "qemu-rate: no corpus directory $corpus" >&2; exit 2; }
if [ -n "$against" ]; then
    rev=$(git rev-parse --verify --quiet "$against^{commit}") ||
        { echo "qemu-rate: --against: no git revision '$against'" >&2; exit 2; }
fi
ci/install-deps.sh
cmake --preset dev >/dev/null && cmake --build --preset dev --target pf_qemu >/dev/null
this=$pf_root/build/dev/bin/pf_qemu
ref=""
if [ -n "$against" ]; then
    refdir=$pf_root/out/measure/qemu-rate-$rev
    if [ ! -f "$refdir/CMakeLists.txt" ]; then
        rm -rf "$refdir" && mkdir -p "$refdir"
        git archive "$rev" | tar -x -C "$refdir"
    fi
    (cd "$refdir" && cmake --preset dev >/dev/null && cmake --build --preset dev --target pf_qemu >/dev/null)
    ref=$refdir/build/dev/bin/pf_qemu
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }'; }

# run BIN MODE TAG: one pass over the corpus; appends inputs/s, commands/s
# and ops/s to $work/TAG.MODE.{in,cmd,ops}.
run() {
    local out
    out=$(PF_QEMU_FINDINGS='' "$1" "$2" -k --target "$target" "$corpus" 2>/dev/null || true)
    out=$(grep -m1 "^$2: " <<<"$out") || { echo "qemu-rate: $1 $2 printed no summary" >&2; exit 2; }
    sed -E 's/.* ([0-9.]+) inputs\/s.*/\1/' <<<"$out" >>"$work/$3.$2.in"
    sed -E 's/.* ([0-9.]+) commands\/s.*/\1/' <<<"$out" >>"$work/$3.$2.cmd"
    sed -E 's/^[a-z]+: ([0-9]+) inputs, .* ([0-9]+) MMIO accesses, ([0-9]+) memory writes,.* ([0-9.]+) inputs\/s.*/\1 \2 \3 \4/' <<<"$out" |
        awk '{ printf "%.0f\n", $1 ? ($2 + $3) * $4 / $1 : 0 }' >>"$work/$3.$2.ops"
}

for _ in $(seq 1 "$runs"); do
    out=$("$this" bench --rounds 20000)
    awk '/^noop/ { print $4 }' <<<"$out" >>"$work/noop"
    awk '/^resets/ { print $2 }' <<<"$out" >>"$work/reset"
    for mode in target diff; do
        run "$this" "$mode" this
        [ -z "$ref" ] || run "$ref" "$mode" ref
    done
done

row() {
    local name=$1 file=$2 a b
    a=$(median <"$work/this.$file")
    if [ -z "$ref" ]; then printf '%-34s %10s\n' "$name" "$a"; return; fi
    b=$(median <"$work/ref.$file")
    printf '%-34s %10s %12s %7s\n' "$name" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf (b > 0 ? "%.2fx" : "-"), a / b }')"
}
echo "qemu-rate: $corpus ($target, $(find "$corpus" -maxdepth 1 -type f | wc -l) inputs), medians of $runs"
[ -z "$ref" ] || printf '%-34s %10s %12s %7s\n' "" "this tree" "${against:0:12}" ratio
printf '%-34s %10s\n' "no-op qtest round trips/s" "$(median <"$work/noop")"
printf '%-34s %10s\n' "resets/s" "$(median <"$work/reset")"
for mode in target diff; do
    row "$mode inputs/s" "$mode.in"
    row "$mode qtest commands/s" "$mode.cmd"
    row "$mode input ops/s (MMIO + memory)" "$mode.ops"
done
