#!/usr/bin/env bash
# Replays one QEMU reproducer folder (reproducers/<target>/qemu-<hash>/, the
# layout ci/lib/qemu_triage.sh writes) on the QEMU it names and checks the
# outcome its metadata expects; ctest runs this for every QEMU reproducer.
#
#   ci/replay-qemu-reproducer.sh REPRODUCER_DIR
#
# The QEMU is $PF_QEMU, else qemu-system-x86_64 on PATH; it must print the
# same `--version` first line as the metadata's qemu-version, since a
# finding holds for the QEMU it was found on. Otherwise the replay is
# skipped, saying why (exit 77, ctest's SKIP_RETURN_CODE).
# expected: open   minimized.qtest and input.qtest must both still show
#                  exactly the recorded crash-state (the outcome line of
#                  ci/qemu-replay.sh)
# expected: fixed  both must replay clean on this QEMU
# A divergence reproducer (expected.txt: the spec's reply to the scripts'
# last command) is judged by that reply (ci/qemu-replay.sh --spec). Each
# script's line says what QEMU does now: `open` (the recorded finding),
# `fixed` (clean: for a divergence, QEMU answers the spec's value) or
# `changed` (another outcome).
# Exit status: 0 as expected, 1 not as expected, 2 bad usage or a malformed
# folder, 77 skipped (no QEMU, or another version).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ci/lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=ci/lib/qemu_replay.sh
. "$here/lib/qemu_replay.sh"

usage() { pf_usage "${1:-2}"; }
case "${1:-}" in -h|--help) usage 0 ;; esac
[ $# -eq 1 ] || usage
dir=${1%/}
bad() { echo "replay-qemu-reproducer: $dir: $*" >&2; exit 2; }
for f in metadata minimized.qtest input.qtest cmdline.txt; do
    [ -f "$dir/$f" ] || bad "no $f"
done
spec=()
if [ -f "$dir/expected.txt" ]; then
    spec=(--spec "$dir/expected.txt")
    for s in minimized.qtest input.qtest; do
        why=$(pf_qemu_spec_check "$dir/expected.txt" "$dir/$s") || bad "$why"
    done
fi
meta() { sed -n "s/^$1: *//p" "$dir/metadata" | sed -n 1p; }
expected=$(meta expected) want=$(meta crash-state) version=$(meta qemu-version)
[ -n "$version" ] || bad "no qemu-version line"
case "$expected" in
    open) [ -n "$want" ] || bad "expected: open needs a crash-state line" ;;
    fixed) want=clean ;;
    *) bad "expected must be 'fixed' or 'open', not '$expected'" ;;
esac

if ! qemu=$(pf_qemu_need_bin "" 2>/dev/null); then
    echo "SKIP: no QEMU installed (set PF_QEMU or install qemu-system-x86); this reproducer needs: $version"
    exit 77
fi
have=$(pf_qemu_version "$qemu")
if [ "$have" != "$version" ]; then
    echo "SKIP: $qemu is '$have'; this reproducer needs '$version'"
    exit 77
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fail=0
for s in minimized.qtest input.qtest; do
    "$here/qemu-replay.sh" --qemu "$qemu" --cmdline "$dir/cmdline.txt" "${spec[@]}" "$dir/$s" >"$log" 2>&1 || true
    got=$(head -1 "$log")
    case "$got" in
        "$(meta crash-state)") status=open ;;
        clean) status=fixed ;;
        *) status=changed ;;
    esac
    if [ "$got" = "$want" ]; then
        echo "$status: $s replays as expected ($expected): $got"
    else
        fail=1
        echo "FAIL: $status: $dir/$s is expected $expected ($want) but replays as:"
        sed 's/^/  /' "$log"
        [ "$status" != fixed ] || [ "$expected" = fixed ] ||
            echo "  if QEMU fixed it, set 'expected: fixed' and 'fixed-by:' in its metadata"
    fi
done
exit $fail
