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
# A divergence's folder (here SIRTP without interrupt remapping, which QEMU
# 7.2 answers in GSTS.IRTPS) replays with QEMU alone: expected.txt is about
# the transcript's last command, and a fresh QEMU answers it as recorded.
printf 'target fuzz_pasid_cache\nheader version=1\nmmio reg=gcmd value=0x85000000\n' >"$tmp/sirtp.txt"
mkdir -p "$tmp/dv"
PF_QEMU_FINDINGS=$tmp/dv "$pfq" diff -k "$tmp/sirtp.txt" >"$tmp/sirtp" 2>&1 || true
d=$(find "$tmp/dv" -name expected.txt -printf '%h\n' -quit)
if [ -n "$d" ]; then
    ci=$(dirname "$0")/../ci
    qv() { sed -n "s/^$1: OK 0x0*\\(.\\)/0x\\1/p" "$d/expected.txt"; }
    want="qemu-divergence: $(sed -n 's/^what: //p' "$d/expected.txt"): \`$(tail -1 "$d/input.qtest")\` answers $(qv qemu), the spec $(qv spec)"
    got=$({ "$ci/qemu-replay.sh" --spec "$d/expected.txt" "$d/input.qtest" 2>&1 || true; } | head -1)
    [ "$got" = "$want" ] || fail "divergence replay: '$got', want '$want'"
elif grep -q 'VIOLATION qemu-divergence' "$tmp/sirtp"; then
    fail "a divergence without expected.txt: $(ls -R "$tmp/dv")"
fi
# Triage of that divergence: the fuzz input's ops that do not matter go
# (the model judges each cut), and the reproducer replays as open.
if [ -n "$d" ]; then
    printf '%s\n' 'target fuzz_pasid_cache' 'header version=1' 'pasid-entry pasid=1 flags=p pgtt=fs' \
        'sync' 'mmio reg=gcmd value=0x85000000' 'pasid-clear pasid=1' 'sync' >"$tmp/sirtp2.txt"
    mkdir -p "$tmp/dv2"
    PF_QEMU_FINDINGS=$tmp/dv2 "$pfq" diff -k "$tmp/sirtp2.txt" >/dev/null 2>&1 || true
    PF_QEMU_MINIMIZE_TIME=100 "$ci/triage.sh" --runs 1 --build "$(dirname "$(dirname "$pfq")")" \
        --out "$tmp/repro" "$tmp/dv2" >"$tmp/triage" 2>&1 || fail "triage of a divergence: $(cat "$tmp/triage")"
    r=$(find "$tmp/repro" -name expected.txt -printf '%h\n' -quit)
    if [ -z "$r" ] || [ "$(grep -cv -e '^#' -e '^target ' -e '^header' "$r/input.txt")" -ne 1 ] ||
        ! grep -qx 'mmio reg=gcmd value=0x85000000' "$r/input.txt"; then
        fail "the filed input is not the one op that matters: $(cat "$tmp/triage" "$r/input.txt")"
    fi
    "$ci/replay-qemu-reproducer.sh" "$r" >"$tmp/rr" 2>&1 || fail "replay of the filed divergence: $(cat "$tmp/rr")"
    [ "$(grep -c '^open: ' "$tmp/rr")" -eq 2 ] || fail "the filed divergence does not replay as open: $(cat "$tmp/rr")"
fi
echo "qemu_live: ok ($(tail -1 "$tmp/out"))"
