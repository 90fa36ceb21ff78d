#!/usr/bin/env bash
# The QEMU findings path without QEMU: ci/qemu-replay.sh, ci/qemu-minimize.sh,
# ci/triage.sh on QEMU finding folders and ci/replay-qemu-reproducer.sh, all
# against tests/fake_qemu.sh, whose faults are known. Usage: qemu_triage_test.sh
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
fake=$src/tests/fake_qemu.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok: $*"; }
export PF_QEMU=$fake
crash='qemu-crash: SIGABRT | hw/i386/intel_iommu.c:N: vtd_fake: Assertion `iq_head < N'"'"' failed.'

# expect CODE FIRST_LINE SCRIPT [replay options]: exit status and outcome.
expect() {
    local code=$1 line=$2 script=$3 got
    shift 3
    "$src/ci/qemu-replay.sh" "$@" "$script" >"$tmp/out" 2>&1
    got=$?
    if [ $got -ne "$code" ]; then bad "replay $script $*: exit $got, want $code"; cat "$tmp/out"
    elif [ -n "$line" ] && [ "$(head -1 "$tmp/out")" != "$line" ]; then
        bad "replay $script $*: '$(head -1 "$tmp/out")', want '$line'"
    else ok "replay $(basename "$script") $* -> $got ${line:+($line)}"; fi
}

mkdir -p "$tmp/r"
echo "-M q35 -fake-crash writel,0xfed90088,0xdead -fake-hang readq,0xfed90010 -fake-error writel,0xfed90018,0x1" >"$tmp/r/cmdline.txt"
printf '# a comment\nreadl 0xfed90000\n\noutb 0xcf9 0x06\nreadl 0xfed9001c\n' >"$tmp/r/clean.qtest"
printf 'readl 0xfed90000\nwritel 0xfed90088 0xdead\nreadl 0xfed90000\n' >"$tmp/r/crash.qtest"
printf 'readl 0xfed90000\nreadq 0xfed90010\n' >"$tmp/r/hang.qtest"
printf 'writel 0xfed90018 0x1\nreadl 0xfed9001c\n' >"$tmp/r/error.qtest"
expect 0 clean "$tmp/r/clean.qtest"
expect 1 "$crash" "$tmp/r/crash.qtest"
grep -qx 'at: line 2: writel 0xfed90088 0xdead' "$tmp/out" || bad "crash not tied to line 2"
expect 1 "qemu-hang: no answer to readq" "$tmp/r/hang.qtest" --hang 1
expect 1 "qemu-error: vtd_fake_error: bad value 0xN at N" "$tmp/r/error.qtest"
# The same message twice is a repeat, whatever lies between.
printf 'writel 0xfed90018 0x1\nreadl 0xfed9001c\nwritel 0xfed90018 0x1\n' >"$tmp/r/repeat.qtest"
expect 1 "qemu-error: vtd_fake_error: bad value 0xN at N (repeated)" "$tmp/r/repeat.qtest"
expect 0 "$crash" "$tmp/r/crash.qtest" --expect "$crash"
expect 1 "$crash" "$tmp/r/crash.qtest" --expect clean
echo "-M q35 -fake-bad" >"$tmp/bad.txt"
expect 2 "" "$tmp/r/clean.qtest" --cmdline "$tmp/bad.txt"
expect 2 "" "$tmp/r/clean.qtest" --cmdline "$tmp/none.txt"
expect 2 "" "$tmp/r/clean.qtest" --qemu "$tmp/no-such-qemu"
expect 2 "" "$tmp/r/clean.qtest" --hang x

# A transcript of four inputs; the crash needs a command of the first one
# (state that survives the reset), then the same crash standalone.
mkdir -p "$tmp/f/fuzz_inv_queue/hist" "$tmp/f/fuzz_inv_queue/alone"
echo "-M q35 -fake-crash writel,0xfed90088,0xdead -fake-arm writel,0xfed90000,0x1" \
    | tee "$tmp/f/fuzz_inv_queue/hist/cmdline.txt" >"$tmp/f/fuzz_inv_queue/alone/cmdline.txt"
{ echo "readl 0xfed90000"; echo "writel 0xfed90000 0x1"; echo "readl 0xfed90004"
  for i in 1 2 3; do echo "outb 0xcf9 0x06"; echo "writel 0xfed90010 0x$i"; echo "readl 0xfed90014"; done
  echo "writel 0xfed90088 0xdead"; echo "readl 0xfed90000"; } >"$tmp/f/fuzz_inv_queue/hist/input.qtest"
{ echo "readl 0xfed90000"; echo "outb 0xcf9 0x06"; echo "writel 0xfed90000 0x1"; echo "readl 0xfed90004"
  echo "writel 0xfed90088 0xdead"; } >"$tmp/f/fuzz_inv_queue/alone/input.qtest"
mz() { "$src/ci/qemu-minimize.sh" --budget 200 "$@"; }
fence=$(printf 'readl 0x%01032x' 0xfed90000)
if mz -o "$tmp/min1" "$tmp/f/fuzz_inv_queue/hist/input.qtest" >"$tmp/m1"; then
    grep -qx 'history: needs 3 earlier input(s)' "$tmp/m1" || { bad "history not found"; cat "$tmp/m1"; }
    if printf 'writel 0xfed90000 0x1\nwritel 0xfed90088 0xdead\n' | cmp -s - "$tmp/min1"; then
        ok "minimized a history finding to its 2 commands"
    else bad "minimized to:"; cat "$tmp/min1"; fi
else bad "qemu-minimize failed on the history transcript"; cat "$tmp/m1"; fi
if mz --inputs-only --inputs-out "$tmp/in2" -o "$tmp/min2" "$tmp/f/fuzz_inv_queue/alone/input.qtest" >"$tmp/m2"; then
    # 4 commands, and the reset fenced (one read of VER, its address 1 KiB
    # long) for piped replays.
    if grep -qx 'history: standalone' "$tmp/m2" && [ "$(grep -cvx -e "$fence" "$tmp/min2")" -eq 4 ] &&
        [ "$(sed -n 2p "$tmp/min2")" = "$fence" ] && [ "$(wc -l <"$tmp/min2")" -eq 5 ] &&
        cmp -s "$tmp/in2" "$tmp/min2"; then
        ok "last input alone shows it: standalone, whole input kept, reset fenced"
    else bad "standalone case:"; cat "$tmp/m2" "$tmp/min2"; fi
else bad "qemu-minimize failed on the standalone input"; cat "$tmp/m2"; fi
mz "$tmp/r/clean.qtest" --cmdline "$tmp/r/cmdline.txt" -o "$tmp/min3" >/dev/null 2>&1
if [ $? -eq 1 ]; then ok "a clean script is not minimized (exit 1)"; else bad "clean script: want exit 1"; fi

# Filing: both findings are one group; the smaller one is filed once.
export PF_QEMU_MINIMIZE_TIME=200
"$src/ci/triage.sh" --runs 2 --out "$tmp/repro" "$tmp/f" >"$tmp/t1" 2>&1
rc=$?
mapfile -t dirs < <(find "$tmp/repro/fuzz_inv_queue" -mindepth 1 -maxdepth 1 -type d -name 'qemu-*')
if [ $rc -ne 0 ] || [ ${#dirs[@]} -ne 1 ]; then bad "triage: exit $rc, ${#dirs[@]} reproducer(s)"; cat "$tmp/t1"
else
    d=${dirs[0]}
    for f in input.qtest minimized.qtest cmdline.txt qemu.txt stderr.txt metadata; do
        [ -s "$d/$f" ] || bad "triage: no $f"
    done
    [ "qemu-$(sha1sum <"$d/minimized.qtest" | cut -c1-8)" = "$(basename "$d")" ] || bad "name is not the sha1 of minimized.qtest"
    grep -qxF "crash-state: $crash" "$d/metadata" || bad "metadata crash-state"
    grep -qx 'qemu-version: QEMU emulator version 0.0.0 (fake)' "$d/metadata" || bad "metadata qemu-version"
    grep -qx 'expected: open' "$d/metadata" || bad "metadata expected"
    grep -q 'Assertion' "$d/stderr.txt" || bad "stderr.txt lacks QEMU's last words"
    ok "triage filed $(basename "$d"): $(sed -n 's/^history: //p' "$d/metadata")"
    "$src/ci/triage.sh" --runs 1 --out "$tmp/repro" "$tmp/f/fuzz_inv_queue/alone" >"$tmp/t2" 2>&1
    if [ "$(find "$tmp/repro" -name metadata | wc -l)" -eq 1 ] && grep -q 'known\|same script' "$tmp/t2"; then
        ok "second triage: known, nothing new"
    else bad "second triage filed again"; cat "$tmp/t2"; fi
    run() { "$src/ci/replay-qemu-reproducer.sh" "$d" >"$tmp/rr" 2>&1; echo $?; }
    if [ "$(run)" -eq 0 ]; then ok "reproducer replays as recorded"; else bad "replay-qemu-reproducer"; cat "$tmp/rr"; fi
    if [ "$(FAKE_QEMU_VERSION="QEMU emulator version 9.9" run)" -eq 77 ] && grep -q '^SKIP: ' "$tmp/rr"; then
        ok "another QEMU version: skipped with a reason"
    else bad "version mismatch must skip (77)"; fi
    if [ "$(PF_QEMU=$tmp/none run)" -eq 77 ]; then ok "no QEMU: skipped"; else bad "no QEMU must skip (77)"; fi
    sed -i 's/^expected: open/expected: fixed/' "$d/metadata"
    if [ "$(run)" -eq 1 ]; then ok "expected fixed but still crashing: fails"; else bad "fixed reproducer that crashes must fail"; fi
fi
# Divergences: QEMU's reply to the last command against the spec's
# (expected.txt, as pf_qemu diff writes it). The fake answers IQH 0x40.
dv=$tmp/dv/fuzz_inv_queue/wrong
mkdir -p "$dv"
echo "-M q35 -fake-value readq,0xfed90080,0x0000000000000040" >"$dv/cmdline.txt"
{ echo "readl 0xfed90000"; echo "outb 0xcf9 0x6"; echo "memset 0x10000 0x1000 0"
  echo "writeq 0xfed90090 0x10800"; echo "readl 0xfed9001c"; echo "writel 0xfed90018 0x4000000"
  echo "write 0x10000 0x10 0x07000000000000000000000000000000"; echo "readl 0xfed90034"
  echo "writeq 0xfed90088 0x20"; echo "readq 0xfed90080"; } >"$dv/input.qtest"
printf '%s\n' 'command: readq 0xfed90080' 'what: IQH' 'spec: OK 0x0000000000000000' \
    'qemu: OK 0x0000000000000040' >"$dv/expected.txt"
echo 'qemu-divergence: IQH model=0x0 qemu=0x40 step 4 (input.qtest line 10)' >"$dv/finding.txt"
# shellcheck disable=SC2016  # the backquotes are text
wrong='qemu-divergence: IQH: `readq 0xfed90080` answers 0x40, the spec 0x0'
expect 1 "$wrong" "$dv/input.qtest" --spec "$dv/expected.txt"
grep -qx 'at: line 10: readq 0xfed90080' "$tmp/out" || bad "divergence not tied to the last line"
sed 's/^spec: .*/spec: OK 0x0000000000000040/' "$dv/expected.txt" >"$tmp/right.txt"
expect 0 clean "$dv/input.qtest" --spec "$tmp/right.txt"
printf 'readq 0xfed90080\nreadl 0xfed90000\n' >"$tmp/r/other.qtest"
expect 2 "" "$tmp/r/other.qtest" --spec "$dv/expected.txt"
# Only what cannot change the spec's answer goes: reads, the input before
# the last reset, a zeroing memset before anything wrote RAM.
if mz --spec "$dv/expected.txt" -o "$tmp/dvmin" "$dv/input.qtest" >"$tmp/m4" &&
    printf '%s\n' "outb 0xcf9 0x6" "$fence" "writeq 0xfed90090 0x10800" "writel 0xfed90018 0x4000000" \
        "write 0x10000 0x10 0x07000000000000000000000000000000" "writeq 0xfed90088 0x20" \
        "readq 0xfed90080" | cmp -s - "$tmp/dvmin"; then
    ok "a divergence minimized to its writes and the read"
else bad "divergence minimized to:"; cat "$tmp/m4" "$tmp/dvmin"; fi
"$src/ci/triage.sh" --runs 1 --out "$tmp/drepro" "$tmp/dv" >"$tmp/t4" 2>&1
dd=$(find "$tmp/drepro/fuzz_inv_queue" -mindepth 1 -maxdepth 1 -name 'qemu-*' | head -1)
if [ -n "$dd" ] && grep -qxF "crash-state: $wrong" "$dd/metadata" && cmp -s "$dd/expected.txt" "$dv/expected.txt" &&
    cmp -s "$dd/minimized.qtest" "$tmp/dvmin"; then
    ok "triage filed the divergence $(basename "$dd") with expected.txt"
    rr() { "$src/ci/replay-qemu-reproducer.sh" "$dd" >"$tmp/rr" 2>&1; echo $?; }
    if [ "$(rr)" -eq 0 ] && [ "$(grep -c '^open: ' "$tmp/rr")" -eq 2 ]; then ok "divergence reproducer: open"
    else bad "divergence replay"; cat "$tmp/rr"; fi
    echo "-M q35" >"$dd/cmdline.txt"        # a QEMU that answers the spec's 0
    if [ "$(rr)" -eq 1 ] && grep -q '^FAIL: fixed: ' "$tmp/rr" && grep -q "set 'expected: fixed'" "$tmp/rr"; then
        ok "QEMU answering the spec's value: fixed, and the open reproducer says to flip it"
    else bad "fixed divergence"; cat "$tmp/rr"; fi
    sed -i 's/^expected: open/expected: fixed/' "$dd/metadata"
    if [ "$(rr)" -eq 0 ] && [ "$(grep -c '^fixed: ' "$tmp/rr")" -eq 2 ]; then ok "expected: fixed replays as fixed"
    else bad "expected fixed"; cat "$tmp/rr"; fi
    echo "-M q35 -fake-value readq,0xfed90080,0x0000000000000080" >"$dd/cmdline.txt"
    if [ "$(rr)" -eq 1 ] && grep -q '^FAIL: changed: ' "$tmp/rr"; then ok "another wrong value: changed"
    else bad "changed divergence"; cat "$tmp/rr"; fi
    # Another script with the same wrong value is filed (two bugs may share
    # an outcome), naming the open one.
    sed -i 's/^expected: fixed/expected: open/' "$dd/metadata"
    echo "-M q35 -fake-value readq,0xfed90080,0x0000000000000040" >"$dd/cmdline.txt"
    sed -i 's/^write 0x10000 0x10 0x07/write 0x10000 0x10 0x04/' "$dv/input.qtest"
    "$src/ci/triage.sh" --runs 1 --out "$tmp/drepro" "$tmp/dv" >"$tmp/t5" 2>&1
    if [ "$(find "$tmp/drepro" -name expected.txt | wc -l)" -eq 2 ] && grep -q 'the same outcome as open' "$tmp/t5"; then
        ok "a second script with the same outcome: filed, the open one named"
    else bad "second divergence script"; cat "$tmp/t5"; fi
else bad "triage of a divergence: $dd"; cat "$tmp/t4"; fi
printf 'readl 0xfed90000\n' >"$tmp/f/fuzz_inv_queue/alone/input.qtest"
"$src/ci/triage.sh" --runs 1 --out "$tmp/repro2" "$tmp/f/fuzz_inv_queue/alone" >"$tmp/t3" 2>&1
if [ $? -eq 1 ] && [ ! -d "$tmp/repro2" ]; then ok "a finding that replays clean is reported, not filed"
else bad "clean finding"; cat "$tmp/t3"; fi
exit $fail
