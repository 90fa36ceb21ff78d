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
# A message QEMU prints once per process is counted, not a finding, however
# often the guest repeats what caused it (qemu/README.md, "QEMU's messages").
printf 'target fuzz_inv_queue\nheader\nraw q0=0xf\nsync\n' >"$tmp/bad_desc.txt"
"$pfq" target -k "$tmp/bad_desc.txt" "$tmp/bad_desc.txt" "$tmp/bad_desc.txt" >"$tmp/once" 2>&1 ||
    fail "a once-per-process message became a finding: $(cat "$tmp/once")"
grep -q '^qemu message x1: vtd_process_inv_desc: invalid inv desc' "$tmp/once" ||
    fail "the message was not listed once: $(cat "$tmp/once")"
# CCMD's write-only FM and SID read back as 0 on QEMU 7.2 and as written on
# the model: undefined on read, so no divergence (rule ccmd-write-only-fields),
# here with the reserved CIRG 00 and a device-selective request.
printf 'target fuzz_pasid_cache\nheader version=1\nsync\ngcmd cmd=qie-off\n%s\n%s\n' \
    'mmio reg=ccmd-hi value=0x80000003' 'mmio reg=ccmd wide=1 value=0xe000000312340005' >"$tmp/ccmd.txt"
"$pfq" diff "$tmp/ccmd.txt" >"$tmp/ccmd" 2>&1 || fail "CCMD's write-only fields diverge: $(cat "$tmp/ccmd")"
grep -q '^diff: 1 inputs.* 0 finding' "$tmp/ccmd" || fail "CCMD case: $(cat "$tmp/ccmd")"
echo "qemu_live: ok ($(tail -1 "$tmp/out"))"
