#!/usr/bin/env bash
# Replays one reproducer folder (the layout ci/triage.sh writes) and checks
# the outcome its metadata expects; ctest runs this for every reproducer.
#
#   ci/replay-reproducer.sh TARGET_BINARY REPRODUCER_DIR
#
# expected: fixed  the input must replay clean (4 runs, no report)
# expected: open   the input must still fail with exactly its recorded
#                  crash-state; a clean replay or a different state fails,
#                  so a known finding keeps the suite green without hiding
#                  either its fix (flip it to fixed) or a new failure mode
# Exit status: 0 as expected, 1 not as expected, 2 bad usage or a
# malformed reproducer folder.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$pf_root/ci/lib/crash_state.sh"

case "${1:-}" in -h|--help) pf_usage 0 ;; esac
[ $# -eq 2 ] || { echo "replay-reproducer.sh: want TARGET_BINARY REPRODUCER_DIR" >&2; pf_usage; }
bin=$1 dir=${2%/}
bad() { echo "replay-reproducer: $dir: $*" >&2; exit 2; }
[ -x "$bin" ] || bad "no executable $bin"
[ -f "$dir/metadata" ] || bad "no metadata file"
[ -f "$dir/input.bin" ] || bad "no input.bin"
expected=$(sed -n 's/^expected: *//p' "$dir/metadata")
want=$(sed -n 's/^crash-state: *//p' "$dir/metadata")
case "$expected" in
    fixed) ;;
    open) [ -n "$want" ] || bad "expected: open needs a crash-state line" ;;
    *) bad "expected must be 'fixed' or 'open', not '$expected'" ;;
esac

pf_replay_env
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
pf_replay "$bin" "$dir/input.bin" "$log" 120 || rc=$?
got=$(pf_crash_state "$log" "$rc")

if [ "$expected" = fixed ]; then
    [ -z "$got" ] && { echo "ok: fixed, replays clean"; exit 0; }
    echo "FAIL: $dir is expected fixed but fails again (regression):"
    echo "  crash-state: $got"
elif [ "$got" = "$want" ]; then
    echo "ok: open finding still fails as recorded: $got"
    exit 0
elif [ -n "$got" ] && [ "$got" = "${got%% | *}" ] && [ "${want%% | *}" = "$got" ]; then
    # A build without ASan (the ubsan preset) prints no stack on abort: the
    # kind is all it can check.
    echo "ok: open finding still fails as recorded: $got (no stack in this build, frames not compared)"
    exit 0
elif [ -z "$got" ]; then
    echo "FAIL: $dir is expected open but replays clean: if the bug is fixed, set"
    echo "  'expected: fixed' and 'fixed-by:' in its metadata (and keep the reproducer)"
else
    echo "FAIL: $dir fails differently from its record:"
    echo "  recorded:   $want"
    echo "  now:        $got"
fi
echo "--- replay output (tail) ---"
tail -40 "$log"
exit 1
