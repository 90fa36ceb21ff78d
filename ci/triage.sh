#!/usr/bin/env bash
# Turns fuzzer crashes into reproducers people can act on.
#
#   ci/triage.sh [options] PATH...
#
# PATH is a crash file, a folder of crashes (libFuzzer crash-*/leak-*/
# timeout-*/oom-*, AFL++ crashes/id:*) or a whole libFuzzer/AFL++ output
# tree. Every input is replayed --runs times on the dev build and classified
# by its crash state (VIOLATION id or sanitizer report type, plus the top 3
# frames). Inputs are grouped by crash state; one per group is minimized
# (libFuzzer -minimize_crash, then whole-op removal for op-stream targets),
# each step kept only if the crash state is unchanged, and written to
#   <out>/<target>/<origin>-<sha1 of the bytes, 8 hex>/
#     input.bin  input.txt (text form)  trace.txt (--trace of the failing run)
#     metadata   (target, crash-state, found, engine, expected: open, ...)
# A group whose crash state matches an existing reproducer expected `open`
# is reported as known and not written again; one matching a `fixed`
# reproducer is a regression and is written.
# A QEMU finding (a folder with input.qtest, or a folder of them) is filed
# by ci/lib/qemu_triage.sh into <out>/<target>/qemu-<hash>/ instead.
#
# Options:
#   --target NAME        target (default: inferred from a fuzz_* path component)
#   --origin NAME        origin in the reproducer name (default: per input,
#                        libfuzzer or afl from the file name, else manual)
#   --out DIR            reproducer root (default: reproducers)
#   --build DIR          replay build (default: build/dev, built if needed)
#   --libfuzzer-build DIR  build for -minimize_crash (default: build/libfuzzer)
#   --runs N             replays per input (default 4)
#   --minimize-time S    libFuzzer minimization budget per group (default 30)
#   --timeout S          limit per replay (default 60)
#   --no-minimize        write the smallest input of each group as it is
#   --summary-tsv FILE   also write the group table as tab-separated columns
#                        group target crash_state inputs bytes min_bytes
#                        result (new|known|same|regression) reproducer flaky
#                        (what ci/presubmit.sh and ci/fuzz-report.sh read)
#   -h, --help
# Exit status: 0 every input crashed reproducibly and was triaged; 1 some
# input did not crash, did not reproduce or is flaky (all others are still
# triaged); 2 bad usage, a missing path or no crash input at all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/ci/lib/common.sh"
. "$root/ci/lib/crash_state.sh"
# shellcheck source=ci/lib/qemu_triage.sh
. "$root/ci/lib/qemu_triage.sh"

die() { echo "triage: $*" >&2; exit 2; }

target="" origin="" out=reproducers build="" lfbuild="" runs=4 mintime=30 tlimit=60 minimize=1 tsv=""
pf_parse_args --target=target --origin=origin --out=out --build=build --libfuzzer-build=lfbuild \
              --runs=runs --minimize-time=mintime --timeout=tlimit --summary-tsv=tsv \
              --no-minimize=minimize:0 -- "$@"
paths=("${pf_args[@]}")
[ ${#paths[@]} -gt 0 ] || { echo "triage: no crash file or folder given" >&2; pf_usage 2; }
pf_need_whole --runs "$runs"
pf_need_whole --minimize-time "$mintime"
pf_need_whole --timeout "$tlimit"
[[ -z "$origin" || "$origin" =~ ^[a-z][a-z0-9]*$ ]] || die "--origin must be lower-case letters and digits"
for p in "${paths[@]}"; do
    [ -e "$p" ] || die "no such file or folder: $p"
done
[ -z "$tsv" ] || tsv=$(realpath -m "$tsv")
qpaths=() rest=()
for p in "${paths[@]}"; do
    if pf_qemu_is_finding "$p"; then
        qpaths+=("$(realpath "$p")")
        pf_qemu_has_other "$p" || continue
    fi
    rest+=("$p")
done
paths=("${rest[@]}")

# Inputs: known crash file names anywhere below a folder; a folder without
# any is taken as a plain folder of crash files.
inputs=()
for p in "${paths[@]}"; do
    if [ -f "$p" ]; then
        inputs+=("$(realpath "$p")")
        continue
    fi
    mapfile -t found < <(find "$p" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' -o -path '*/crashes/id:*' \) -not -name '*.txt' | sort)
    if [ ${#found[@]} -eq 0 ]; then
        mapfile -t found < <(find "$p" -maxdepth 1 -type f -not -name 'README*' -not -name '.*' | sort)
    fi
    [ ${#found[@]} -gt 0 ] || die "no crash inputs in $p"
    for f in "${found[@]}"; do inputs+=("$(realpath "$f")"); done
done

# The target of an input: --target, else the innermost path component that
# names a built target (out/fuzz-*/fuzz_x/crashes/..., out/afl/fuzz_x/main/...).
infer_target() {
    local d=$1 c
    while [ "$d" != / ] && [ "$d" != . ]; do
        c=$(basename "$d")
        if [[ "$c" =~ ^(fuzz_[a-z0-9_]+) ]] && [ -x "$build/bin/${BASH_REMATCH[1]}" ]; then
            echo "${BASH_REMATCH[1]}"; return
        fi
        d=$(dirname "$d")
    done
}
engine_of() {
    case "$origin" in libfuzzer|afl) echo "$origin"; return ;; esac
    case "$(basename "$1")" in
        crash-*|leak-*|timeout-*|oom-*) echo libfuzzer ;;
        id:*) echo afl ;;
        *) echo manual ;;
    esac
}

cd "$root"
ci/install-deps.sh
qrc=0
if [ ${#qpaths[@]} -gt 0 ]; then
    pf_qemu_triage "$out" "$target" "$runs" "$minimize" "${build:-build/dev}/bin/pasidfuzz" "${qpaths[@]}" || qrc=$?
    [ ${#paths[@]} -gt 0 ] || exit "$qrc"
fi
if [ -z "$build" ]; then
    build=build/dev
    { cmake --preset dev >/dev/null && cmake --build --preset dev >/dev/null; } \
        || die "the dev build failed"
fi
[ -d "$build/bin" ] || die "no build in $build"
if [ -z "$lfbuild" ] && [ $minimize -eq 1 ]; then
    lfbuild=build/libfuzzer
    { cmake --preset libfuzzer -DPF_MUTANT= >/dev/null && cmake --build --preset libfuzzer >/dev/null; } \
        || echo "triage: libFuzzer build failed; minimizing by whole ops only" >&2
fi
opcut=$build/bin/pf_opcut
[ -x "$opcut" ] || opcut=build/dev/bin/pf_opcut
pf_replay_env
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Replays FILE on TARGET once; prints its crash state (empty when clean).
state_of() {
    local rc=0
    pf_replay "$build/bin/$1" "$2" "$work/log" "$tlimit" || rc=$?
    pf_crash_state "$work/log" "$rc"
}

echo "triage: ${#inputs[@]} input(s), $runs replay(s) each on $build"
declare -A gstate gfiles gflaky
gkeys=()
bad=()
gid=0
for f in "${inputs[@]}"; do
    t=${target:-$(infer_target "$(dirname "$f")")}
    [ -n "$t" ] || die "cannot infer the target of $f; use --target"
    [ -x "$build/bin/$t" ] || die "no binary $build/bin/$t"
    declare -A seen=()
    hits=0
    for ((r = 0; r < runs; r++)); do
        s=$(state_of "$t" "$f")
        [ -n "$s" ] || continue
        hits=$((hits + 1))
        seen[$s]=$(( ${seen[$s]:-0} + 1 ))
    done
    if [ $hits -eq 0 ]; then
        echo "triage: $f: replays clean ($runs runs): does not reproduce (or is not a crash)" >&2
        bad+=("$f: no crash in $runs replays")
        unset seen; continue
    fi
    # The most frequent state names the input.
    s=$(for k in "${!seen[@]}"; do echo "${seen[$k]} $k"; done | sort -rn | head -1 | cut -d' ' -f2-)
    flaky=""
    if [ $hits -lt "$runs" ] || [ ${#seen[@]} -gt 1 ]; then
        flaky="$hits/$runs replays crashed, ${#seen[@]} state(s)"
        echo "triage: $f: FLAKY: $flaky" >&2
        bad+=("$f: flaky ($flaky)")
    fi
    unset seen
    key="$t|$s"
    if [ -z "${gstate[$key]+x}" ]; then
        gid=$((gid + 1)); gstate[$key]=$gid; gfiles[$key]=""; gkeys+=("$key")
    fi
    gfiles[$key]+="$f"$'\n'
    [ -z "$flaky" ] || gflaky[$key]=$flaky
done

# Op-stream targets get the whole-op minimizer. Replay drivers that know
# --input-format say so ("raw" for raw-byte targets); older ones do not.
is_op_stream() {
    local f
    if f=$("$build/bin/$1" --input-format 2>/dev/null) && [ -n "$f" ]; then
        [ "$f" != raw ]; return
    fi
    # Otherwise the target registry says (pasidfuzz targets --long).
    [ -x build/dev/bin/pasidfuzz ] && f=$(build/dev/bin/pasidfuzz targets --long) || return 1
    grep -q "^$1"$'\t'"op-stream"$'\t' <<<"$f"
}

# libFuzzer's byte-level minimizer, kept only if the state is unchanged.
lf_minimize() {
    local t=$1 in=$2 want=$3 lf="$lfbuild/bin/$1"
    { [ -n "$lfbuild" ] && [ -x "$lf" ]; } || { echo "triage:   no libFuzzer binary $lf, skipped" >&2; return; }
    ( cd "$work" && timeout -k 5 $((mintime + 30)) "$lf" -minimize_crash=1 -max_total_time="$mintime" \
        -runs=100000 -exact_artifact_path="$work/lfmin" "$in" >"$work/lf.log" 2>&1 ) || true
    [ -s "$work/lfmin" ] || return 0
    if [ "$(stat -c %s "$work/lfmin")" -lt "$(stat -c %s "$in")" ] \
        && [ "$(state_of "$t" "$work/lfmin")" = "$want" ]; then
        cp "$work/lfmin" "$in"
    fi
    rm -f "$work/lfmin"
}

# Removes whole ops, halving chunk sizes (delta debugging), while the crash
# state holds.
op_minimize() {
    local t=$1 in=$2 want=$3 n chunk i k changed
    n=$("$opcut" --target "$t" count "$in") || return 0
    chunk=$(( n > 1 ? n / 2 : 1 ))
    while [ "$n" -gt 0 ]; do
        changed=0; i=0
        while [ "$i" -lt "$n" ]; do
            k=$(( chunk < n - i ? chunk : n - i ))
            "$opcut" --target "$t" drop "$in" "$i" "$k" -o "$work/cut" >/dev/null
            if [ "$(state_of "$t" "$work/cut")" = "$want" ]; then
                mv "$work/cut" "$in"; n=$((n - k)); changed=1
            else
                i=$((i + chunk))
            fi
        done
        if [ "$chunk" -gt 1 ]; then chunk=$((chunk / 2)); elif [ $changed -eq 0 ]; then break; fi
    done
}

# Existing reproducer of TARGET with this crash state: "dir expected".
existing_match() {
    local t=$1 s=$2 m
    for m in "$out/$t"/*/metadata; do
        [ -f "$m" ] || continue
        if [ "$(sed -n 's/^crash-state: //p' "$m")" = "$s" ]; then
            echo "$(dirname "$m") $(sed -n 's/^expected: //p' "$m")"; return
        fi
    done
}

summary=()
tsv_rows=()
nnew=0
for key in "${gkeys[@]}"; do
    t=${key%%|*}; s=${key#*|}
    mapfile -t files < <(printf '%s' "${gfiles[$key]}" | xargs -d '\n' ls -S -r)
    rep=${files[0]}
    before=$(stat -c %s "$rep")
    cp "$rep" "$work/min"
    echo "triage: group ${gstate[$key]}: $s (${#files[@]} input(s)), smallest $(basename "$rep")"
    # A flaky crash would let the minimizer keep cuts by luck: kept as found.
    if [ $minimize -eq 1 ] && [ -z "${gflaky[$key]:-}" ]; then
        lf_minimize "$t" "$work/min" "$s"
        is_op_stream "$t" && op_minimize "$t" "$work/min" "$s"
    fi
    after=$(stat -c %s "$work/min")
    hash=$(sha1sum "$work/min" | cut -c1-8)
    o=${origin:-$(engine_of "$rep")}
    dir="$out/$t/$o-$hash"
    match=$(existing_match "$t" "$s")
    verdict=""
    result=new repdir=$dir
    if [ -d "$dir" ]; then
        verdict="same bytes as $dir"; result=same
    elif [ -n "$match" ] && [ "${match##* }" = open ]; then
        verdict="known: matches ${match% *} (open)"; result=known repdir=${match% *}
    else
        [ -z "$match" ] || { verdict="REGRESSION of ${match% *} (fixed); "; result=regression; }
        mkdir -p "$dir"
        cp "$work/min" "$dir/input.bin"
        if [ -x build/dev/bin/pasidfuzz ] && build/dev/bin/pasidfuzz decode --target "$t" "$dir/input.bin" >"$dir/input.txt" 2>"$work/dec"; then
            :
        else
            { echo "# no text form: build/dev/bin/pasidfuzz decode was not available or failed"
              cat "$work/dec" 2>/dev/null || true; } >"$dir/input.txt"
        fi
        rc=0
        timeout -k 5 "$tlimit" "$build/bin/$t" --trace "$dir/input.bin" >"$dir/trace.txt" 2>&1 || rc=$?
        echo "# exit status $rc" >>"$dir/trace.txt"
        {
            echo "target: $t"
            echo "crash-state: $s"
            echo "found: $(date -u +%Y-%m-%d)"
            echo "engine: $(engine_of "$rep")"
            echo "origin-file: $(basename "$rep")"
            echo "expected: open"
            echo "flaky: ${gflaky[$key]:-no}"
            echo "size: $after (original $before)"
            echo "inputs-in-group: ${#files[@]}"
            echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
        } >"$dir/metadata"
        verdict+="new: $dir"
        nnew=$((nnew + 1))
    fi
    tsv_rows+=("$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "${gstate[$key]}" "$t" "$s" "${#files[@]}" \
        "$before" "$after" "$result" "$(realpath "$repdir")" "${gflaky[$key]:-no}")")
    summary+=("$(printf '%3s %-52s %5s %6s -> %-6s %s' "${gstate[$key]}" "${s:0:52}" "${#files[@]}" "$before" "$after" "$verdict${gflaky[$key]:+ [FLAKY ${gflaky[$key]}]}")")
done

echo
printf '%3s %-52s %5s %6s    %-6s %s\n' grp crash-state files bytes after result
printf '%s\n' "${summary[@]}"
echo "triage: ${#inputs[@]} input(s), $gid group(s), $nnew new reproducer(s)"
if [ -n "$tsv" ]; then
    { printf 'group\ttarget\tcrash_state\tinputs\tbytes\tmin_bytes\tresult\treproducer\tflaky\n'
      [ ${#tsv_rows[@]} -eq 0 ] || printf '%s\n' "${tsv_rows[@]}"; } >"$tsv" || echo "triage: cannot write $tsv" >&2
fi
if [ ${#bad[@]} -gt 0 ]; then
    echo "triage: ${#bad[@]} input(s) not triaged cleanly:" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
fi
[ "$gid" -gt 0 ] || exit 1
exit "$qrc"
