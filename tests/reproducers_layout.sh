#!/usr/bin/env bash
# Every reproducer is a folder ci/replay-reproducer.sh can run, so none is
# silently skipped by ctest: reproducers/<target>/<origin>-<sha1 8 hex>/ with
# input.bin (whose sha1 the name carries), input.txt, trace.txt and metadata
# naming the target, a crash state and an expected outcome. A QEMU
# reproducer (qemu-<sha1 of minimized.qtest>) holds qtest scripts instead;
# a divergence one also expected.txt, about the last command of both scripts.
# Usage: reproducers_layout.sh SOURCE_DIR PASIDFUZZ
set -u
. "$(dirname "$0")/../ci/lib/common.sh"
# shellcheck source=ci/lib/qemu_replay.sh
. "$(dirname "$0")/../ci/lib/qemu_replay.sh"
[ $# -eq 2 ] || pf_usage 2
src=$1
targets=$("$2" targets) || { echo "FAIL: $2 targets failed"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# A QEMU reproducer (ci/lib/qemu_triage.sh): qtest scripts, the QEMU it
# holds for, and the sha1 of minimized.qtest in its name.
check_qemu() {
    local r=$1 tn=$2 h=$3 f m=$1/metadata
    for f in input.qtest minimized.qtest cmdline.txt qemu.txt stderr.txt metadata; do
        [ -f "$r/$f" ] || bad "$r: no $f"
    done
    [ ! -f "$r/input.bin" ] || [ -f "$r/input.txt" ] || bad "$r: input.bin without input.txt"
    if [ ! -f "$r/minimized.qtest" ] || [ "$(sha1sum <"$r/minimized.qtest" | cut -c1-8)" != "$h" ]; then
        bad "$r: minimized.qtest's sha1 does not start with $h"
    fi
    [ -f "$m" ] || return 0
    grep -qx "target: $tn" "$m" || bad "$m: no 'target: $tn'"
    grep -Eqx 'expected: (fixed|open)' "$m" || bad "$m: no 'expected: fixed|open'"
    grep -Eq '^crash-state: qemu-(crash|hang|error|divergence): .+' "$m" || bad "$m: no qemu crash-state"
    grep -Eq '^qemu-version: .+' "$m" || bad "$m: no qemu-version"
    grep -Eq '^history: (standalone|needs [0-9]+ earlier input\(s\))$' "$m" || bad "$m: no history"
    grep -Eq '^found: [0-9]{4}-[0-9]{2}-[0-9]{2}$' "$m" || bad "$m: no 'found: YYYY-MM-DD'"
    grep -q '^crash-state: qemu-divergence: ' "$m" || return 0
    for f in input.qtest minimized.qtest; do
        why=$(pf_qemu_spec_check "$r/expected.txt" "$r/$f") || bad "$r: $why"
    done
}

n=0
for t in "$src"/reproducers/*; do
    [ "$(basename "$t")" = README.md ] && continue
    [ -d "$t" ] || { bad "$t: not a target folder"; continue; }
    tn=$(basename "$t")
    grep -qx "$tn" <<<"$targets" || bad "$t: no such target in fuzz/input/targets.def"
    for r in "$t"/*; do
        rn=$(basename "$r")
        [ -d "$r" ] || { bad "$r: a loose file; reproducers are folders (see reproducers/README.md)"; continue; }
        [[ "$rn" =~ ^[a-z][a-z0-9]*-([0-9a-f]{8})$ ]] || { bad "$r: name is not <origin>-<8 hex>"; continue; }
        if [[ "$rn" == qemu-* ]]; then check_qemu "$r" "$tn" "${BASH_REMATCH[1]}"; n=$((n + 1)); continue; fi
        for f in input.bin input.txt trace.txt metadata; do
            [ -f "$r/$f" ] || bad "$r: no $f"
        done
        if ! [ -f "$r/input.bin" ] || [ "$(sha1sum <"$r/input.bin" | cut -c1-8)" != "${BASH_REMATCH[1]}" ]; then
            bad "$r: input.bin's sha1 does not start with ${BASH_REMATCH[1]}"
        fi
        m=$r/metadata
        [ -f "$m" ] || continue
        grep -qx "target: $tn" "$m" || bad "$m: no 'target: $tn'"
        grep -Eqx 'expected: (fixed|open)' "$m" || bad "$m: no 'expected: fixed|open'"
        grep -Eq '^crash-state: .+' "$m" || bad "$m: no crash-state"
        grep -Eq '^found: [0-9]{4}-[0-9]{2}-[0-9]{2}$' "$m" || bad "$m: no 'found: YYYY-MM-DD'"
        grep -Eq '^engine: .+' "$m" || bad "$m: no engine"
        n=$((n + 1))
    done
done
[ $fail -eq 0 ] && echo "ok: $n reproducer folder(s) well formed"
exit $fail
