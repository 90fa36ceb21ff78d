#!/usr/bin/env bash
# ci/replay-reproducer.sh and the crash-state classifier against fake
# targets whose output is known: every expected outcome must pass when it
# holds and fail when it does not. Usage: replay_reproducer_test.sh
set -u
. "$(dirname "$0")/../ci/lib/common.sh"
[ $# -eq 0 ] || pf_usage 2
runner=$(cd "$(dirname "$0")/.." && pwd)/ci/replay-reproducer.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# A fake target: prints what a violation (or UBSan report) under ASan looks
# like, with reporting frames the state must skip.
cat >"$tmp/violation" <<'EOF'
#!/bin/sh
echo "pasidfuzz: VIOLATION bind-deleted: attach dev=1 pasid=3" >&2
echo "==1==ERROR: AddressSanitizer: ABRT on unknown address 0x1 (pc 0x2 bp 0x3 sp 0x4 T0)" >&2
echo "    #0 0x7f0 in __pthread_kill_implementation nptl/pthread_kill.c:44" >&2
echo "    #1 0x7f1 in __GI_raise ../sysdeps/posix/raise.c:26" >&2
echo "    #2 0x7f2 in __GI_abort stdlib/abort.c:79" >&2
echo "    #3 0x5f3 in pf_violation stubs/violation.c:56" >&2
echo "    #4 0x5f4 in hb_check_bind stubs/host_backend.c:234" >&2
echo "    #5 0x5f5 (/lib/x86_64-linux-gnu/libc.so.6+0x1)" >&2
echo "    #6 0x5f6 in hb_attach stubs/host_backend.c:320" >&2
echo "    #7 0x5f7 in vtd_bind model/vtd_pasid_cache.c:67" >&2
echo "    #8 0x5f8 in main fuzz/engine/libfuzzer.c:220" >&2
exit 1
EOF
cat >"$tmp/ubsan" <<'EOF'
#!/bin/sh
echo "model/vtd_regs.c:10:5: runtime error: shift exponent 64 is too large for 64-bit type 'uint64_t'" >&2
echo "    #0 0x5f4 in vtd_iqa_size model/vtd_regs.c:10" >&2
echo "    #1 0x5f5 in vtd_reg_store model/vtd_regs.c:321" >&2
exit 1
EOF
printf '#!/bin/sh\necho replayed\n' >"$tmp/clean"
# A build without ASan: the violation line and abort, no stack.
printf '#!/bin/sh\necho "pasidfuzz: VIOLATION bind-deleted: x" >&2\nexit 134\n' >"$tmp/nostack"
chmod +x "$tmp/violation" "$tmp/ubsan" "$tmp/clean" "$tmp/nostack"

mkrepro() { # mkrepro NAME EXPECTED STATE
    mkdir -p "$tmp/$1"; : >"$tmp/$1/input.bin"
    printf 'target: fuzz_x\nexpected: %s\ncrash-state: %s\n' "$2" "$3" >"$tmp/$1/metadata"
}
expect() { # expect CODE BINARY REPRO
    "$runner" "$tmp/$2" "$tmp/$3" >"$tmp/out" 2>&1
    local got=$?
    if [ $got -ne "$1" ]; then echo "FAIL: $2 on $3: exit $got, want $1"; cat "$tmp/out"; fail=1
    else echo "ok: $2 on $3 -> $got"; fi
}
mkrepro fixed fixed ""
mkrepro open-vio open "VIOLATION bind-deleted | hb_check_bind | hb_attach | vtd_bind"
mkrepro open-other open "VIOLATION bind-config | hb_check_bind | hb_attach | vtd_bind"
mkrepro open-frames open "VIOLATION bind-deleted | hb_attach | vtd_bind | main"
mkrepro open-ubsan open "UBSan shift exponent | vtd_iqa_size | vtd_reg_store"
mkrepro bad-expect maybe ""
mkdir -p "$tmp/no-meta"; : >"$tmp/no-meta/input.bin"

expect 0 clean fixed
expect 1 violation fixed
expect 0 violation open-vio
expect 1 clean open-vio
expect 1 violation open-other
expect 1 violation open-frames
expect 0 ubsan open-ubsan
expect 1 violation open-ubsan
expect 0 nostack open-vio
expect 1 nostack open-other
expect 1 nostack fixed
expect 2 clean bad-expect
expect 2 clean no-meta
"$runner" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: no arguments must exit 2"; fail=1; }
exit $fail
