#!/usr/bin/env bash
# Cuts whole commands from a qtest script while QEMU still fails the same
# way, each try on a fresh QEMU process, and says whether the finding stands
# alone or needs what earlier inputs left behind.
#
#   ci/qemu-minimize.sh [options] INPUT.qtest
#
# A fuzzing process drives one long-lived QEMU, resetting it (`outb 0xcf9
# ...`) between inputs, so a transcript is a run of inputs, each starting at
# a reset line. Steps, each kept only when the outcome line (see
# ci/qemu-replay.sh) is unchanged:
#   1. drop every command after the one that showed the finding, and the
#      blank and `#` lines
#   2. fresh-process confirmation: the last input alone (from the last
#      reset on); if it does not show the finding, the shortest run of
#      whole inputs ending there that does ("needs history")
#   3. delta debugging over lines: chunks of half the script, then smaller,
#      down to single lines, until no single line can go
# With --spec (a divergence: QEMU's reply to the last command is not the
# spec's), only commands that cannot change what the spec answers are cut:
# whole earlier inputs (each starts from a reset and zeroed RAM), zeroing
# memsets before anything wrote RAM (RAM starts zeroed), and reads (no
# register or memory read has a side effect); the last command stays. A
# shorter input that shows the same wrong value is the job of triage, which
# cuts the fuzz input's ops with the model in the loop (reproducers/README.md).
# Prints the outcome, `history: standalone` or `history: needs N earlier
# input(s)`, and `minimized: M lines (from N)`; writes the result to OUT.
#
# Options:
#   --qemu BIN         QEMU binary (default: $PF_QEMU, else
#                      qemu-system-x86_64 on PATH)
#   --cmdline FILE     QEMU arguments (default: cmdline.txt beside INPUT)
#   --expect OUTCOME   the outcome to keep (default: the input's own)
#   --spec FILE        the spec's reply to the last command (expected.txt)
#   --hang S           seconds without an answer that make a hang (default 10)
#   --budget S         stop cutting after S seconds, keeping the best so far
#                      (default 600)
#   -o OUT             result (default: minimized.qtest beside INPUT)
#   --inputs-out FILE  also write the script after step 2: the fuzzer's own
#                      commands, whole inputs, that show it from a fresh QEMU
#   --inputs-only      stop after step 2 (OUT is then that script too)
#   -h, --help
# Exit status: 0 minimized; 1 INPUT does not show a finding (or not the
# expected one); 2 bad usage, no QEMU, or QEMU did not start.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=ci/lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=ci/lib/qemu_replay.sh
. "$here/lib/qemu_replay.sh"
die() { echo "qemu-minimize: $*" >&2; exit 2; }

qemu="" argf="" hang=10 budget=600 out="" want="" inputs_out="" cut=1 spec=""
pf_parse_args --qemu=qemu --cmdline=argf --hang=hang --budget=budget --expect=want -o=out \
              --inputs-out=inputs_out --inputs-only=cut:0 --spec=spec -- "$@"
pf_one_file input
input=${pf_args[0]}
pf_need_whole --hang "$hang"
pf_need_whole --budget "$budget"
argf=$(pf_qemu_args_file "$argf" "$input") || exit 2
qemu=$(pf_qemu_need_bin "$qemu") || exit 2
if [ -n "$spec" ]; then
    why=$(pf_qemu_spec_check "$spec" "$input") || die "$why"
fi
[ -n "$out" ] || out=$(dirname "$input")/minimized.qtest

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deadline=$(( $(date +%s) + budget ))
tries=0

# Replays the lines in FILE; true when the outcome is the wanted one. A
# match also cuts FILE after the command that showed it.
holds() {
    local f=$1 got
    tries=$((tries + 1))
    pf_qemu_run "$qemu" "$argf" "$f" "$work" "$hang" $((hang * 4 + 120)) "$spec"
    [ "$PFQ_KIND" != setup ] || die "$PFQ_STATE"
    got=$(pf_qemu_outcome)
    [ "$got" = "$want" ] || return 1
    [ "$PFQ_AT" -eq 0 ] || { head -n "$PFQ_AT" "$f" >"$work/head" && mv "$work/head" "$f"; }
    return 0
}

# Where each input starts: line 1 and every reset line.
input_starts() {
    { echo 1; grep -n -E '^[[:space:]]*outb[[:space:]]+0xcf9[[:space:]]' "$1" | cut -d: -f1; } | sort -nu
}

# Does the run of the last K+1 inputs of FILE (starts in STARTS) show it?
# On success $work/try holds that run.
tail_holds() {
    tail -n +"${starts[$(( ${#starts[@]} - 1 - $2 ))]}" "$1" >"$work/try"
    holds "$work/try"
}

# The shortest run of whole inputs at the end of FILE that shows the
# finding: the last input alone, else doubling the earlier inputs taken,
# then bisecting. Sets EARLIER to how many earlier inputs it needs; FILE
# keeps the run.
shortest_history() {
    local f=$1 lo=0 hi k
    mapfile -t starts < <(input_starts "$f")
    EARLIER=0
    [ ${#starts[@]} -gt 1 ] || return 0
    tail_holds "$f" 0 && { mv "$work/try" "$f"; return 0; }
    hi=1
    while [ "$hi" -lt $(( ${#starts[@]} - 1 )) ] && ! tail_holds "$f" "$hi"; do
        lo=$hi; hi=$((hi * 2))
    done
    [ "$hi" -lt ${#starts[@]} ] || hi=$(( ${#starts[@]} - 1 ))
    while [ $((hi - lo)) -gt 1 ]; do
        k=$(( (lo + hi) / 2 ))
        if tail_holds "$f" "$k"; then hi=$k; else lo=$k; fi
    done
    tail -n +"${starts[$(( ${#starts[@]} - 1 - hi ))]}" "$f" >"$work/try"
    mv "$work/try" "$f"
    EARLIER=$hi
}

# The lines step 3 may cut, as an awk condition: any line; with --spec the
# reads before the last line.
cuttable='1'
# shellcheck disable=SC2016  # awk code, not shell
[ -z "$spec" ] || cuttable='NR < last && $1 ~ /^(read[bwlq]?|in[bwl])$/'

# Delta debugging over the cuttable lines: drop chunks, halving their
# size, while the outcome holds and the budget lasts.
cut_lines() {
    local f=$1 n chunk i k changed
    n=$(awk -v last="$(wc -l <"$f")" "$cuttable { n++ } END { print n + 0 }" "$f")
    chunk=$(( n > 1 ? n / 2 : 1 ))
    while [ "$n" -ge 1 ] && [ "$(date +%s)" -lt "$deadline" ]; do
        changed=0; i=0
        while [ "$i" -lt "$n" ] && [ "$(date +%s)" -lt "$deadline" ]; do
            k=$(( chunk < n - i ? chunk : n - i ))
            awk -v a=$((i + 1)) -v b=$((i + k)) -v last="$(wc -l <"$f")" \
                "$cuttable"' { c++; if (c >= a && c <= b) next } { print }' "$f" >"$work/try"
            if [ -s "$work/try" ] && holds "$work/try"; then
                mv "$work/try" "$f"; n=$((n - k)); changed=1
            else
                i=$((i + chunk))
            fi
        done
        if [ "$chunk" -gt 1 ]; then chunk=$((chunk / 2)); elif [ $changed -eq 0 ]; then break; fi
    done
}

# With --spec: zeroing memsets before the first command that can write RAM
# (a RAM write, a nonzero memset, an MMIO write that makes QEMU write by
# DMA) are no-ops on a fresh QEMU; dropped when the outcome holds without.
drop_dead_zeroing() {
    awk '!wrote && $1 == "memset" && $4 ~ /^(0x)?0+$/ { next }
         $1 ~ /^(write[bwlq]?|memset)$/ { wrote = 1 } { print }' "$1" >"$work/try"
    if ! cmp -s "$1" "$work/try" && holds "$work/try"; then mv "$work/try" "$1"; fi
}

pf_qemu_run "$qemu" "$argf" "$input" "$work" "$hang" 3600 "$spec"
[ "$PFQ_KIND" != setup ] || die "$PFQ_STATE"
got=$(pf_qemu_outcome)
[ -n "$want" ] || want=$got
if [ "$got" != "$want" ]; then
    echo "qemu-minimize: $input replays as '$got', not '$want'" >&2
    exit 1
fi
[ "$want" != clean ] || { echo "qemu-minimize: $input replays clean: nothing to minimize" >&2; exit 1; }
before=$(grep -c . "$input" || true)
# Step 1: the commands up to the one that showed it.
tr -d '\r' <"$input" | awk -v at="$PFQ_AT" 'NF && $1 !~ /^#/ && (at == 0 || NR <= at)' >"$work/min"
cp "$work/min" "$work/whole"
holds "$work/min" || cp "$work/whole" "$work/min"
shortest_history "$work/min"
[ -z "$inputs_out" ] || pf_qemu_fence <"$work/min" >"$inputs_out"
[ $cut -eq 0 ] || [ -z "$spec" ] || drop_dead_zeroing "$work/min"
[ $cut -eq 0 ] || cut_lines "$work/min"
pf_qemu_fence <"$work/min" >"$out"
echo "$want"
if [ "$EARLIER" -eq 0 ]; then
    echo "history: standalone"
else
    echo "history: needs $EARLIER earlier input(s)"
fi
echo "minimized: $(wc -l <"$work/min") lines (from $before; the fence after each reset not counted), $tries replays"
