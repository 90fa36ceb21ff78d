# shellcheck shell=bash
# Files QEMU findings as reproducers (sourced by ci/triage.sh; see
# reproducers/README.md, "QEMU findings").
#
# A QEMU finding is a folder holding input.qtest (every qtest command that
# QEMU process was sent, in order) and cmdline.txt (its arguments, one line,
# without -qtest); qemu.txt (binary path, then its version line),
# finding.txt, stderr.txt, target.txt (the fuzz target) and input.bin (the
# fuzz input) are used when present. Each finding is replayed on a fresh
# QEMU, grouped by its outcome line (ci/qemu-replay.sh), and one per group
# is confirmed alone and minimized by ci/qemu-minimize.sh, then written to
#   <out>/<target>/qemu-<sha1 of minimized.qtest, 8 hex>/
#     input.qtest      the fuzzer's whole inputs that show it on a fresh QEMU
#     minimized.qtest  whole commands cut while the outcome held
#     cmdline.txt  qemu.txt (binary, version)  stderr.txt (QEMU's last words)
#     finding.txt (as reported)  input.bin + input.txt (when given)
#     metadata     target, crash-state (the outcome line), qemu-version,
#                  history, expected: open, ...
# PF_QEMU_HANG (seconds without an answer, default 10) and
# PF_QEMU_MINIMIZE_TIME (seconds of cutting per group, default 300) tune it.

# shellcheck source=ci/lib/qemu_replay.sh
. "$(dirname "${BASH_SOURCE[0]}")/qemu_replay.sh"

# Does PATH hold QEMU findings (is one, or has some below it)?
pf_qemu_is_finding() {
    [ -d "$1" ] && [ -n "$(find "$1" -name input.qtest -print -quit)" ]
}

# Does PATH also hold model crash files (a campaign tree with both)?
pf_qemu_has_other() {
    [ -n "$(find "$1" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' -o -path '*/crashes/id:*' \) -not -name '*.txt' -print -quit)" ]
}

# The finding folders under PATH, one per line, absolute.
pf_qemu_findings() {
    find "$1" -name input.qtest -printf '%h\n' | sort | xargs -r -d '\n' realpath
}

# The fuzz target of finding F: $2 if given, else target.txt, else a path
# component named fuzz_<name>.
pf_qemu_target_of() {
    local f=$1 d
    [ -z "$2" ] || { echo "$2"; return; }
    [ ! -s "$f/target.txt" ] || { head -1 "$f/target.txt"; return; }
    d=$f
    while [ "$d" != / ]; do
        [[ "$(basename "$d")" =~ ^fuzz_[a-z0-9_]+$ ]] && { basename "$d"; return; }
        d=$(dirname "$d")
    done
}

# The QEMU that replays finding F: $PF_QEMU, else the binary its qemu.txt
# names when that is installed, else the default one.
pf_qemu_for() {
    local named=""
    [ -z "${PF_QEMU:-}" ] || { echo "$PF_QEMU"; return; }
    [ ! -f "$1/qemu.txt" ] || named=$(head -1 "$1/qemu.txt" | cut -d' ' -f1)
    if [ -n "$named" ] && [ -x "$named" ]; then echo "$named"; else pf_qemu_bin; fi
}

# Replays finding F RUNS times; prints hits, outcome and a flaky note,
# tab-separated (an outcome may hold '|').
pf_qemu_replays() {
    local f=$1 runs=$2 q=$3 r o hits=0 tally
    tally=$(for ((r = 0; r < runs; r++)); do
        "$PF_QEMU_TRIAGE_CI/qemu-replay.sh" --qemu "$q" --hang "$PF_QEMU_HANG" \
            --cmdline "$f/cmdline.txt" "$f/input.qtest" 2>/dev/null | sed -n 1p
    done | grep -v '^clean$' | sort | uniq -c | sort -rn)
    [ -n "$tally" ] || { printf '0\t\t\n'; return; }
    hits=$(awk '{ n += $1 } END { print n }' <<<"$tally")
    o=$(head -1 <<<"$tally" | sed -E 's/^ *[0-9]+ //')
    if [ "$hits" -lt "$runs" ] || [ "$(wc -l <<<"$tally")" -gt 1 ]; then
        printf '%s\t%s\t%s\n' "$hits" "$o" "$hits/$runs replays failed, $(wc -l <<<"$tally") outcome(s)"
    else
        printf '%s\t%s\t\n' "$hits" "$o"
    fi
}

# An open reproducer of TARGET with this outcome, if any.
pf_qemu_known() {
    local m
    for m in "$1/$2"/qemu-*/metadata; do
        [ -f "$m" ] || continue
        if [ "$(sed -n 's/^crash-state: //p' "$m")" = "$3" ] && grep -qx 'expected: open' "$m"; then
            dirname "$m"; return
        fi
    done
}

# Writes reproducer DIR from finding F: the minimizer's results in W, the
# QEMU Q, and the group's details.
pf_qemu_write() {
    local dir=$1 f=$2 w=$3 q=$4 t=$5 outcome=$6 flaky=$7 nf=$8 tool=$9
    mkdir -p "$dir"
    cp "$w/inputs.qtest" "$dir/input.qtest"
    cp "$w/min.qtest" "$dir/minimized.qtest"
    cp "$f/cmdline.txt" "$dir/cmdline.txt"
    printf '%s\n%s\n' "$(realpath "$(command -v "$q")")" "$(pf_qemu_version "$q")" >"$dir/qemu.txt"
    "$PF_QEMU_TRIAGE_CI/qemu-replay.sh" --qemu "$q" --hang "$PF_QEMU_HANG" --cmdline "$dir/cmdline.txt" \
        --stderr "$dir/stderr.txt" "$dir/minimized.qtest" >/dev/null 2>&1 || true
    [ ! -f "$f/finding.txt" ] || cp "$f/finding.txt" "$dir/finding.txt"
    pf_qemu_input_bin "$dir" "$f" "$t" "$tool"
    pf_qemu_metadata "$dir" "$f" "$w" "$q" "$t" "$outcome" "$flaky" "$nf" >"$dir/metadata"
}

# Copies the fuzz input that drove QEMU, when the finding has one, with its
# text form.
pf_qemu_input_bin() {
    local dir=$1 f=$2 t=$3 tool=$4
    [ -f "$f/input.bin" ] || return 0
    cp "$f/input.bin" "$dir/input.bin"
    if [ -x "$tool" ] && "$tool" decode --target "$t" "$dir/input.bin" >"$dir/input.txt" 2>"$dir/input.err"; then
        rm -f "$dir/input.err"
    else
        { echo "# no text form: $tool decode was not available or failed"
          cat "$dir/input.err" 2>/dev/null || true; } >"$dir/input.txt"
        rm -f "$dir/input.err"
    fi
}

pf_qemu_metadata() {
    local dir=$1 f=$2 w=$3 q=$4 t=$5 outcome=$6 flaky=$7 nf=$8
    echo "target: $t"
    echo "crash-state: $outcome"
    echo "found: $(date -u +%Y-%m-%d)"
    echo "engine: qemu"
    echo "origin-folder: $(basename "$f")"
    echo "expected: open"
    echo "qemu-version: $(pf_qemu_version "$q")"
    sed -n 's/^history: //p' "$w/min.log" | sed 's/^/history: /'
    echo "flaky: ${flaky:-no}"
    echo "size: $(grep -c . "$dir/minimized.qtest") lines (input $(grep -c . "$dir/input.qtest"), transcript $(grep -c . "$f/input.qtest"))"
    echo "findings-in-group: $nf"
    echo "commit: $(git -C "$PF_QEMU_TRIAGE_CI" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# pf_qemu_triage OUT TARGET RUNS MINIMIZE PASIDFUZZ PATH...
# Triages the QEMU findings under each PATH into OUT (TARGET may be empty:
# inferred per finding). Returns 0 when every finding reproduced and was
# triaged, 1 otherwise, 2 on bad input (no target, no QEMU).
pf_qemu_triage() (
    set -euo pipefail
    local out=$1 target=$2 runs=$3 minimize=$4 tool=$5 p f t q r hits o flaky key
    shift 5
    PF_QEMU_TRIAGE_CI=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    PF_QEMU_HANG=${PF_QEMU_HANG:-10}
    local -A gfirst gcount gflaky gq
    local keys=() bad=() summary=() nnew=0 n=0
    for p in "$@"; do
        while IFS= read -r f; do
            n=$((n + 1))
            [ -f "$f/cmdline.txt" ] || { echo "triage: $f: no cmdline.txt" >&2; return 2; }
            t=$(pf_qemu_target_of "$f" "$target")
            [ -n "$t" ] || { echo "triage: cannot infer the fuzz target of $f; use --target or target.txt" >&2; return 2; }
            q=$(pf_qemu_need_bin "$(pf_qemu_for "$f")") || return 2
            IFS=$'\t' read -r hits o flaky <<<"$(pf_qemu_replays "$f" "$runs" "$q")"
            if [ "$hits" -eq 0 ]; then
                echo "triage: $f: clean on a fresh QEMU ($runs runs): does not reproduce" >&2
                bad+=("$f: no finding in $runs fresh replays"); continue
            fi
            [ -z "$flaky" ] || { echo "triage: $f: FLAKY: $flaky" >&2; bad+=("$f: flaky ($flaky)"); }
            key="$t"$'\t'"$o"
            if [ -z "${gcount[$key]+x}" ]; then keys+=("$key"); gcount[$key]=0; gfirst[$key]=$f; gq[$key]=$q; fi
            gcount[$key]=$((gcount[$key] + 1))
            [ "$(grep -c . "$f/input.qtest")" -ge "$(grep -c . "${gfirst[$key]}/input.qtest")" ] || gfirst[$key]=$f
            [ -z "$flaky" ] || gflaky[$key]=$flaky
        done < <(pf_qemu_findings "$p")
    done
    echo "triage: $n QEMU finding(s), ${#keys[@]} group(s)"
    local w dir hash known verdict
    w=$(mktemp -d)
    trap 'rm -rf "$w"' EXIT
    for key in "${keys[@]}"; do
        t=${key%%$'\t'*}; o=${key#*$'\t'}; f=${gfirst[$key]}; q=${gq[$key]}
        echo "triage: QEMU group: $o (${gcount[$key]} finding(s)), smallest $(basename "$f")"
        local mode=()
        [ "$minimize" -eq 1 ] && [ -z "${gflaky[$key]:-}" ] || mode=(--inputs-only)
        if ! "$PF_QEMU_TRIAGE_CI/qemu-minimize.sh" --qemu "$q" --cmdline "$f/cmdline.txt" --expect "$o" \
            --hang "$PF_QEMU_HANG" --budget "${PF_QEMU_MINIMIZE_TIME:-300}" "${mode[@]}" \
            --inputs-out "$w/inputs.qtest" -o "$w/min.qtest" "$f/input.qtest" >"$w/min.log"; then
            bad+=("$f: the minimizer could not confirm '$o'"); continue
        fi
        hash=$(sha1sum "$w/min.qtest" | cut -c1-8)
        dir="$out/$t/qemu-$hash"
        known=$(pf_qemu_known "$out" "$t" "$o")
        if [ -d "$dir" ]; then
            verdict="same script as $dir"
        elif [ -n "$known" ]; then
            verdict="known: matches $known (open)"
        else
            pf_qemu_write "$dir" "$f" "$w" "$q" "$t" "$o" "${gflaky[$key]:-}" "${gcount[$key]}" "$tool"
            verdict="new: $dir"; nnew=$((nnew + 1))
        fi
        summary+=("$(printf '%-60s %4s  %-30s %s' "${o:0:60}" "${gcount[$key]}" \
            "$(sed -n 's/^history: //p' "$w/min.log")" "$(sed -n 's/^minimized: //p' "$w/min.log"): $verdict")")
    done
    [ ${#summary[@]} -eq 0 ] || printf '%s\n' "${summary[@]}"
    echo "triage: $n QEMU finding(s), ${#keys[@]} group(s), $nnew new reproducer(s)"
    if [ ${#bad[@]} -gt 0 ]; then
        echo "triage: ${#bad[@]} QEMU finding(s) not triaged cleanly:" >&2
        printf '  %s\n' "${bad[@]}" >&2
        return 1
    fi
    [ "$n" -gt 0 ]
)
