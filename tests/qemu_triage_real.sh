#!/usr/bin/env bash
# ci/qemu-replay.sh and ci/qemu-minimize.sh against the real QEMU
# (qemu-system-x86_64, or $PF_QEMU) on the q35 VT-d window: a reset-only
# script is clean, a zero descriptor in an enabled queue makes QEMU print
# its invalid-descriptor error tied to the tail write, and minimizing keeps
# that error while cutting the commands it does not need. Skips (77) when no
# QEMU with intel-iommu is installed. Usage: qemu_triage_real.sh
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
q=${PF_QEMU:-$(command -v qemu-system-x86_64 || true)}
if [ -z "$q" ] || [ ! -x "$q" ]; then
    echo "SKIP: no qemu-system-x86_64 (install qemu-system-x86 or set PF_QEMU)"; exit 77
fi
"$q" -device help 2>/dev/null | grep -q '"intel-iommu"' || { echo "SKIP: $q has no intel-iommu"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
echo "-M q35 -device intel-iommu,x-scalable-mode=on -accel tcg -S -display none -nodefaults" >"$tmp/cmdline.txt"
printf 'readl 0xfed90000\noutb 0xcf9 0x06\nreadl 0xfed9001c\n' >"$tmp/clean.qtest"
# Queue at 0x1000 (zeroed RAM), queue enabled, tail moved past one
# descriptor: QEMU fetches a type-0 descriptor.
cat >"$tmp/bad.qtest" <<'EOF'
readl 0xfed90000
writeq 0xfed90090 0x1000
readq 0xfed90010
writel 0xfed90018 0x04000000
readl 0xfed9001c
writeq 0xfed90088 0x10
readl 0xfed90034
readq 0xfed90080
EOF
want='qemu-error: vtd_process_inv_desc: invalid inv desc: hi=N, lo=N (unknown type)'
if "$src/ci/qemu-replay.sh" --qemu "$q" "$tmp/clean.qtest" >"$tmp/o1" 2>&1 && [ "$(sed -n 1p "$tmp/o1")" = clean ]; then
    echo "ok: reset script replays clean"
else bad "clean script"; cat "$tmp/o1"; fi
"$src/ci/qemu-replay.sh" --qemu "$q" "$tmp/bad.qtest" >"$tmp/o2" 2>&1
if [ "$(sed -n 1p "$tmp/o2")" = "$want" ] && grep -qx 'at: line 6: writeq 0xfed90088 0x10' "$tmp/o2"; then
    echo "ok: $want, at the tail write"
else bad "bad descriptor"; cat "$tmp/o2"; fi
if "$src/ci/qemu-minimize.sh" --qemu "$q" --budget 240 -o "$tmp/min.qtest" "$tmp/bad.qtest" >"$tmp/o3" 2>&1; then
    n=$(wc -l <"$tmp/min.qtest")
    if grep -qx 'writeq 0xfed90088 0x10' "$tmp/min.qtest" && [ "$n" -le 3 ] &&
        "$src/ci/qemu-replay.sh" --qemu "$q" --cmdline "$tmp/cmdline.txt" --expect "$want" "$tmp/min.qtest" >/dev/null 2>&1; then
        echo "ok: minimized to $n command(s), same outcome"
    else bad "minimized:"; cat "$tmp/o3" "$tmp/min.qtest"; fi
else bad "qemu-minimize"; cat "$tmp/o3"; fi
exit $fail
