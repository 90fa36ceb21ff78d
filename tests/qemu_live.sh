#!/usr/bin/env bash
# pf_qemu against the installed QEMU: setup errors are clear exits, the
# hardware is read, and a differential run ends clean or with complete
# finding folders. Exits 77 (ctest SKIP) when no QEMU is installed.
# Usage: tests/qemu_live.sh PF_QEMU_BINARY CORPUS_DIR
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,5p' "$0"; exit 2; }
pfq=$1 corpus=$2
qemu=${PF_QEMU:-qemu-system-x86_64}
if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "SKIP: $qemu not installed (ci/install-deps.sh installs qemu-system-x86)"
    exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

set +e
PF_QEMU=/nonexistent/qemu "$pfq" info >"$tmp/out" 2>&1; rc=$?
set -e
if [ $rc -ne 2 ] || ! grep -q 'no QEMU' "$tmp/out"; then fail "missing QEMU: rc $rc: $(cat "$tmp/out")"; fi
set +e
PF_QEMU_DEVICE=intel-iommu,intremap=off "$pfq" info >"$tmp/out" 2>&1; rc=$?
set -e
if [ $rc -ne 2 ] || ! grep -q 'scalable mode' "$tmp/out"; then fail "no scalable mode: rc $rc: $(cat "$tmp/out")"; fi

"$pfq" info >"$tmp/info" || fail "info: $(cat "$tmp/info")"
grep -q '^model: pasid_bits' "$tmp/info" || fail "info prints no model line"

set +e
PF_QEMU_FINDINGS=$tmp/f "$pfq" diff -k --target fuzz_inv_queue \
    "$corpus/fuzz_inv_queue/all_types.bin" "$corpus/fuzz_inv_queue/wrap_around.bin" >"$tmp/out" 2>&1
rc=$?
set -e
case $rc in
0) ;;
1) for d in "$tmp"/f/*/; do
       for f in input.qtest cmdline.txt qemu.txt stderr.txt finding.txt; do
           [ -s "$d/$f" ] || [ "$f" = stderr.txt ] || fail "$d lacks $f"
       done
       grep -q '^qemu-\(crash\|hang\|error\|divergence\): ' "$d/finding.txt" || fail "bad finding.txt"
   done ;;
*) fail "diff exit $rc: $(cat "$tmp/out")" ;;
esac
grep -q '^diff: 2 inputs' "$tmp/out" || fail "no summary: $(cat "$tmp/out")"
echo "qemu_live: ok ($(tail -1 "$tmp/out"))"
