#!/usr/bin/env bash
# Replays a qtest script on a fresh QEMU process and says what QEMU did.
#
#   ci/qemu-replay.sh [options] SCRIPT.qtest
#
# QEMU runs as `QEMU $(cat CMDLINE) -qtest stdio`, fed SCRIPT one command per
# line (blank and `#` lines are not sent). The first output line is the
# outcome, in the form finding.txt uses:
#   clean
#   qemu-crash: SIGABRT | <assertion or sanitizer report, numbers masked>
#   qemu-hang: no answer to <command>
#   qemu-error: <first line QEMU printed on stderr, numbers masked>
#   qemu-divergence: <what>: `<command>` answers <value>, the spec <value>
#                    (with --spec: QEMU's reply to the script's last command
#                    is not the spec's; messages are then listed, not judged)
# then `at: line N: <command>` (the command that showed it), `answered: D/S`
# and QEMU's own stderr lines (its last words), indented. Two findings with
# the same outcome line are the same finding.
#
# Options:
#   --qemu BIN         QEMU binary (default: $PF_QEMU, else
#                      qemu-system-x86_64 on PATH)
#   --cmdline FILE     QEMU arguments, one line (default: cmdline.txt beside
#                      SCRIPT)
#   --hang S           seconds without an answer that make a hang (default 10)
#   --timeout S        limit for the whole replay (default 600)
#   --stderr FILE      write QEMU's whole stderr there
#   --expect OUTCOME   exit 0 exactly when the outcome line is OUTCOME
#   --spec FILE        the spec's reply to the script's last command
#                      (expected.txt of a divergence: `command:`, `what:`,
#                      `spec:` lines; reproducers/README.md, "Wrong values")
#   -h, --help
# Exit status: 0 clean (with --expect: as expected); 1 a finding (with
# --expect: another outcome); 2 bad usage, no QEMU, QEMU did not start, or
# the replay ran out of time while QEMU still answered.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ci/lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=ci/lib/qemu_replay.sh
. "$here/lib/qemu_replay.sh"
die() { echo "qemu-replay: $*" >&2; exit 2; }

qemu="" argf="" hang=10 total=600 errout="" spec=""
unset expect    # set only by --expect
pf_parse_args --qemu=qemu --cmdline=argf --hang=hang --timeout=total --stderr=errout \
              --expect=expect --spec=spec -- "$@"
pf_one_file script
script=${pf_args[0]}
pf_need_whole --hang "$hang"
pf_need_whole --timeout "$total"
argf=$(pf_qemu_args_file "$argf" "$script") || exit 2
grep -q -- '-qtest' "$argf" && die "$argf must not carry -qtest: the replayer adds '-qtest stdio'"
qemu=$(pf_qemu_need_bin "$qemu") || exit 2
if [ -n "$spec" ]; then
    why=$(pf_qemu_spec_check "$spec" "$script") || die "$why"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pf_qemu_run "$qemu" "$argf" "$script" "$work" "$hang" "$total" "$spec"
[ -z "$errout" ] || cp "$work/stderr" "$errout"
case "$PFQ_KIND" in
    setup) die "$PFQ_STATE" ;;
    timeout) die "QEMU still answering after ${total}s ($PFQ_DONE/$PFQ_SENT commands): raise --timeout" ;;
esac
outcome=$(pf_qemu_outcome)
echo "$outcome"
[ "$PFQ_AT" -eq 0 ] || echo "at: line $PFQ_AT: $PFQ_CMD"
echo "answered: $PFQ_DONE/$PFQ_SENT"
pf_qemu_words "$work/stderr" | head -20 | sed 's/^/  /'
if [ -n "${expect+set}" ]; then
    [ "$outcome" = "$expect" ] && exit 0
    echo "qemu-replay: expected: $expect" >&2
    exit 1
fi
[ "$PFQ_KIND" = clean ]
