#!/usr/bin/env bash
# A stand-in for qemu-system-x86_64 that speaks enough of the qtest protocol
# for the QEMU triage tests (tests/qemu_triage_test.sh): one answer line per
# command (`OK` for writes and ports, `OK 0x0...` for reads, `OK little` for
# endianness, `FAIL` for anything else, and an abort on an empty command as
# QEMU 7.2 does), its qtest log on stderr, and faults chosen by arguments,
# each naming a command with commas for spaces:
#   -fake-crash CMD   assertion failure and SIGABRT on CMD
#   -fake-hang CMD    never answers CMD
#   -fake-error CMD   prints an error line for CMD, then answers it
#   -fake-value CMD,V answers CMD (a read) with V instead of 0 (its value
#                     is its reply after the last comma)
#   -fake-arm CMD     with it, -fake-crash fires only after CMD was seen;
#                     the reset `outb 0xcf9 ...` does not disarm it (state
#                     that survives a reset, as in a real device model)
#   -fake-bad         refuses to start, as QEMU does on a bad -device
# `--version` prints $FAKE_QEMU_VERSION (default "QEMU emulator version
# 0.0.0 (fake)"). Usage: fake_qemu.sh [QEMU ARGS...] -qtest stdio
set -uo pipefail
crash="" hang="" err="" arm="" armed=1 qtest=0 vcmd="" vval=""
case "${1:-}" in
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --version) echo "${FAKE_QEMU_VERSION:-QEMU emulator version 0.0.0 (fake)}"; echo "(c) nobody"; exit 0 ;;
esac
while [ $# -gt 0 ]; do
    case "$1" in
        -fake-crash) crash=${2//,/ }; shift ;;
        -fake-hang) hang=${2//,/ }; shift ;;
        -fake-error) err=${2//,/ }; shift ;;
        -fake-value) vcmd=${2%,*}; vcmd=${vcmd//,/ }; vval=${2##*,}; shift ;;
        -fake-arm) arm=${2//,/ }; armed=0; shift ;;
        -fake-bad) echo "qemu-system-x86_64: -device fake: no such device" >&2; exit 1 ;;
        -qtest) [ "${2:-}" = stdio ] && qtest=1; shift ;;
    esac
    shift
done
[ $qtest -eq 1 ] || { echo "qemu-system-x86_64: fake QEMU needs -qtest stdio" >&2; exit 1; }

# Sets a to the answer to command $1.
answer() {
    case "$1" in
        endianness) a="OK little" ;;
        read[bwlq]\ *|in[bwl]\ *) a="OK 0x0000000000000000" ;;
        write[bwlq]\ *|out[bwl]\ *|write\ *|memset\ *) a="OK" ;;
        *) a="FAIL Unknown command '${1%% *}'" ;;
    esac
}

echo "[I 0.000000] OPENED" >&2
while IFS= read -r line; do
    echo "[R +0.000001] $line" >&2
    if [ -z "$line" ]; then
        echo "ERROR:../../softmmu/qtest.c:383:qtest_process_command: assertion failed: (command)" >&2
        kill -ABRT $$
    fi
    [ -z "$arm" ] || [ "$line" != "$arm" ] || armed=1
    if [ -n "$crash" ] && [ "$line" = "$crash" ] && [ $armed -eq 1 ]; then
        echo "qemu-system-x86_64: ../hw/i386/intel_iommu.c:1234: vtd_fake: Assertion \`iq_head < 256' failed." >&2
        kill -ABRT $$
    fi
    [ -z "$hang" ] || [ "$line" != "$hang" ] || exec sleep 3600
    [ -z "$err" ] || [ "$line" != "$err" ] || echo "qemu-system-x86_64: vtd_fake_error: bad value 0x1f at 12" >&2
    answer "$line"
    [ -z "$vcmd" ] || [ "$line" != "$vcmd" ] || a="OK $vval"
    echo "$a"
    echo "[S +0.000002] $a" >&2
done
echo "[I +0.000003] CLOSED" >&2
# QEMU keeps running after stdin closes.
exec sleep 3600
