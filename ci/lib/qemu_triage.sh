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
# A divergence finding (pf_qemu diff: expected.txt beside input.qtest, the
# spec's reply to its last command) replays with QEMU alone as
# `qemu-divergence: <what>: <command> answers <v>, the spec <v>`. Before its
# script is cut, its fuzz input (input.bin) is: whole ops go while
# `pf_qemu diff` of what is left shows the same divergence (the model in
# the loop judges every cut), then the script of the last such run is cut
# with --spec (ci/qemu-minimize.sh). Its folder also gets expected.txt.
# A divergence is filed unless the same minimized script is: two QEMU bugs
# may answer the same wrong value at the same register, so the outcome
# alone does not make it known (the summary names open reproducers with
# the same outcome instead).
# PF_QEMU_HANG (seconds without an answer, default 10) and
# PF_QEMU_MINIMIZE_TIME (seconds of cutting per group, default 300; as much
# again for a divergence's ops) tune it.

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

# The options that judge finding F's script by its expected.txt, if any.
pf_qemu_spec_opt() {
    [ ! -f "$1/expected.txt" ] || printf '%s\n' --spec "$1/expected.txt"
}

# Replays finding F RUNS times; prints hits, outcome and a flaky note,
# tab-separated (an outcome may hold '|').
pf_qemu_replays() {
    local f=$1 runs=$2 q=$3 r o hits=0 tally spec
    mapfile -t spec < <(pf_qemu_spec_opt "$f")
    tally=$(for ((r = 0; r < runs; r++)); do
        "$PF_QEMU_TRIAGE_CI/qemu-replay.sh" --qemu "$q" --hang "$PF_QEMU_HANG" "${spec[@]}" \
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

# An open QEMU reproducer under OUT with OUTCOME, if any, under any target: a
# QEMU finding is QEMU's, whichever target's input showed it. (For a
# divergence this only says the outcome is the same; see the header.)
pf_qemu_known() {
    local m
    for m in "$1"/*/qemu-*/metadata; do
        [ -f "$m" ] || continue
        if [ "$(sed -n 's/^crash-state: //p' "$m")" = "$2" ] && grep -qx 'expected: open' "$m"; then
            dirname "$m"; return
        fi
    done
}

# Writes reproducer DIR from finding F: the minimizer's results in W, the
# QEMU Q, and the group's details.
pf_qemu_write() {
    local dir=$1 f=$2 w=$3 q=$4 t=$5 outcome=$6 flaky=$7 nf=$8 tool=$9 origin=${10}
    mkdir -p "$dir"
    cp "$w/inputs.qtest" "$dir/input.qtest"
    cp "$w/min.qtest" "$dir/minimized.qtest"
    cp "$f/cmdline.txt" "$dir/cmdline.txt"
    [ ! -f "$f/expected.txt" ] || cp "$f/expected.txt" "$dir/expected.txt"
    printf '%s\n%s\n' "$(realpath "$(command -v "$q")")" "$(pf_qemu_version "$q")" >"$dir/qemu.txt"
    "$PF_QEMU_TRIAGE_CI/qemu-replay.sh" --qemu "$q" --hang "$PF_QEMU_HANG" --cmdline "$dir/cmdline.txt" \
        --stderr "$dir/stderr.txt" "$dir/minimized.qtest" >/dev/null 2>&1 || true
    [ ! -f "$f/finding.txt" ] || cp "$f/finding.txt" "$dir/finding.txt"
    pf_qemu_input_bin "$dir" "$f" "$t" "$tool"
    pf_qemu_metadata "$dir" "$f" "$w" "$q" "$t" "$outcome" "$flaky" "$nf" "$origin" >"$dir/metadata"
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
    local dir=$1 f=$2 w=$3 q=$4 t=$5 outcome=$6 flaky=$7 nf=$8 origin=$9
    echo "target: $t"
    echo "crash-state: $outcome"
    echo "found: $(date -u +%Y-%m-%d)"
    echo "engine: qemu"
    local note=""
    [ "$f" = "$origin" ] || note=" (its fuzz input cut by triage)"
    echo "origin-folder: $(basename "$origin")$note"
    echo "expected: open"
    echo "qemu-version: $(pf_qemu_version "$q")"
    sed -n 's/^history: //p' "$w/min.log" | sed 's/^/history: /'
    echo "flaky: ${flaky:-no}"
    echo "size: $(pf_qemu_commands "$dir/minimized.qtest") lines (input $(pf_qemu_commands "$dir/input.qtest"), transcript $(pf_qemu_commands "$f/input.qtest")), fences after resets not counted"
    echo "findings-in-group: $nf"
    echo "commit: $(git -C "$PF_QEMU_TRIAGE_CI" rev-parse --short HEAD 2>/dev/null || echo unknown)"
}

# The divergence in a finding.txt, without its step and line: what must
# stay while a fuzz input is cut.
pf_qemu_divergence_of() {
    sed -n '1s/^\(qemu-divergence: .*\) step [0-9]* (input\.qtest line [0-9]*)$/\1/p' "$1"
}

# Runs fuzz input TEXT (target T) through `pf_qemu diff` on a fresh QEMU
# into finding folder DIR/found; true when it shows divergence WANT.
pf_qemu_diff_shows() {
    local text=$1 t=$2 dir=$3 want=$4 pfq=$5 q=$6 dev=$7 got
    rm -rf "$dir" && mkdir -p "$dir"
    PF_QEMU=$q PF_QEMU_DEVICE=$dev PF_QEMU_FINDINGS=$dir "$pfq" diff --target "$t" "$text" >/dev/null 2>&1 || true
    got=$(find "$dir" -name finding.txt -print -quit)
    [ -n "$got" ] && [ "$(pf_qemu_divergence_of "$got")" = "$want" ] || return 1
    mv "$(dirname "$got")" "$dir.found"
    rm -rf "$dir" && mv "$dir.found" "$dir"
}

# pf_qemu_shrink F W PASIDFUZZ T Q: cuts whole ops of divergence finding F's
# fuzz input while `pf_qemu diff` of what is left, on a fresh QEMU, shows
# the same divergence (the model judges every cut), for at most
# PF_QEMU_MINIMIZE_TIME seconds; prints the finding folder of the smallest
# such run, or F when its input alone does not show it (or it has none).
pf_qemu_shrink() {
    local f=$1 w=$2 tool=$3 t=$4 q=$5 pfq want dev n chunk i k changed deadline
    pfq=$(dirname "$tool")/pf_qemu
    want=$(pf_qemu_divergence_of "$f/finding.txt" 2>/dev/null || true)
    dev=$(sed -n 's/.*-device \([^ ]*\).*/\1/p' "$f/cmdline.txt")
    mkdir -p "$w"
    if [ -z "$want" ] || [ ! -f "$f/input.bin" ] || [ ! -x "$pfq" ] ||
        ! "$tool" decode --target "$t" "$f/input.bin" 2>/dev/null | grep -v '^#' >"$w/best.txt" ||
        ! pf_qemu_diff_shows "$w/best.txt" "$t" "$w/best" "$want" "$pfq" "$q" "$dev"; then
        echo "$f"; return
    fi
    deadline=$(( $(date +%s) + ${PF_QEMU_MINIMIZE_TIME:-300} ))
    # shellcheck disable=SC2016  # awk code, not shell
    local op='NF && $1 != "target" && $1 != "header"'
    n=$(awk "$op { n++ } END { print n + 0 }" "$w/best.txt")
    chunk=$(( n > 1 ? n / 2 : 1 ))
    while [ "$n" -ge 1 ] && [ "$(date +%s)" -lt "$deadline" ]; do
        changed=0; i=0
        while [ "$i" -lt "$n" ] && [ "$(date +%s)" -lt "$deadline" ]; do
            k=$(( chunk < n - i ? chunk : n - i ))
            awk -v a=$((i + 1)) -v b=$((i + k)) "$op"' { c++; if (c >= a && c <= b) next } { print }' \
                "$w/best.txt" >"$w/try.txt"
            if pf_qemu_diff_shows "$w/try.txt" "$t" "$w/try" "$want" "$pfq" "$q" "$dev"; then
                mv "$w/try.txt" "$w/best.txt"; rm -rf "$w/best"; mv "$w/try" "$w/best"
                n=$((n - k)); changed=1
            else
                i=$((i + chunk))
            fi
        done
        if [ "$chunk" -gt 1 ]; then chunk=$((chunk / 2)); elif [ $changed -eq 0 ]; then break; fi
    done
    echo "$w/best"
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
    local keys=() bad=() summary=() nnew=0 n=0 gi=0
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
        local mode=() spec=() g=$w/group-$((++gi))
        if [ "$minimize" -eq 1 ] && [ -f "$f/expected.txt" ]; then
            f=$(pf_qemu_shrink "$f" "$g" "$tool" "$t" "$q")
            [ "$f" = "${gfirst[$key]}" ] ||
                echo "triage: its fuzz input cut to $(grep -cv -e '^target ' -e '^header' "$g/best.txt") op(s), the same divergence"
        fi
        mapfile -t spec < <(pf_qemu_spec_opt "$f")
        [ "$minimize" -eq 1 ] && [ -z "${gflaky[$key]:-}" ] || mode=(--inputs-only)
        if ! "$PF_QEMU_TRIAGE_CI/qemu-minimize.sh" --qemu "$q" --cmdline "$f/cmdline.txt" --expect "$o" \
            --hang "$PF_QEMU_HANG" --budget "${PF_QEMU_MINIMIZE_TIME:-300}" "${mode[@]}" "${spec[@]}" \
            --inputs-out "$w/inputs.qtest" -o "$w/min.qtest" "$f/input.qtest" >"$w/min.log"; then
            bad+=("$f: the minimizer could not confirm '$o'"); continue
        fi
        hash=$(sha1sum "$w/min.qtest" | cut -c1-8)
        dir="$out/$t/qemu-$hash"
        known=$(pf_qemu_known "$out" "$o")
        if [ -d "$dir" ]; then
            verdict="same script as $dir"
        elif [ -n "$known" ] && [ ! -f "$f/expected.txt" ]; then
            verdict="known: matches $known (open)"
        else
            pf_qemu_write "$dir" "$f" "$w" "$q" "$t" "$o" "${gflaky[$key]:-}" "${gcount[$key]}" "$tool" \
                "${gfirst[$key]}"
            verdict="new: $dir"; nnew=$((nnew + 1))
            [ -z "$known" ] || verdict+=" (the same outcome as open $known: the same bug?)"
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
