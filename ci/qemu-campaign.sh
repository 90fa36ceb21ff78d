#!/usr/bin/env bash
# A fuzzing campaign against QEMU's intel-iommu (qemu/README.md), guided by
# the model's coverage: per target, libFuzzer grows the corpus on the
# instrumented model, and every corpus input (the seeds of corpus/<target>/
# first, then each input libFuzzer adds) goes to QEMU twice, through
# `pf_qemu diff -k` (model and QEMU compared) and `pf_qemu target -k` (QEMU
# alone, so the crashes diff steps around are hit too). QEMU is the slow
# side, so it sees only the inputs that reached new model coverage. At the
# end ci/triage.sh files each distinct crash, hang and message finding as a
# reproducer; divergences are listed for a verdict (model/BEHAVIOUR.md).
#
#   ci/qemu-campaign.sh [--time S] [--out DIR] [--jobs N] [--reproducers DIR]
#                       [--no-triage] [TARGET...]
#
# TARGET         fuzz_inv_queue, fuzz_pasid_cache, fuzz_pasid_table (default
#                all three); --time is split evenly across them
# --time S       total wall time (default 600, or $PF_FUZZ_TIME)
# --out DIR      output (default out/qemu-YYYYmmdd-HHMMSS)
# --jobs N       libFuzzer workers and parallel pf_qemu processes (default 1)
# --reproducers  where triage files findings (default reproducers)
# --no-triage    only count and list the findings
# PF_QEMU picks the QEMU (default qemu-system-x86_64), PF_QEMU_DEVICE its
# -device line. Writes <out>/summary.txt (one line per target: QEMU inputs,
# qtest commands, their rates beside the no-op round-trip limit of
# `pf_qemu bench` measured in the same run, findings by kind, divergence
# groups, registers and descriptor types that reached QEMU) and
# <out>/<target>/{corpus,findings,logs,coverage.txt}.
# Exit status: 0 no finding, 1 findings, 2 bad usage or no usable QEMU.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$pf_root"
. ci/lib/lf_options.sh

total=${PF_FUZZ_TIME:-600}
jobs=1
out=out/qemu-$(date +%Y%m%d-%H%M%S)
repro=reproducers
triage=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time|--out|--jobs|--reproducers)
            [ $# -ge 2 ] || { echo "qemu-campaign: $1 needs a value" >&2; pf_usage; }
            case "$1" in
                --time) total=$2 ;; --out) out=$2 ;; --jobs) jobs=$2 ;; --reproducers) repro=$2 ;;
            esac
            shift 2 ;;
        --no-triage) triage=0; shift ;;
        -h|--help) pf_usage 0 ;;
        fuzz_inv_queue|fuzz_pasid_cache|fuzz_pasid_table) targets+=("$1"); shift ;;
        *) echo "qemu-campaign: unknown argument '$1'" >&2; pf_usage ;;
    esac
done
case "$total$jobs" in
    *[!0-9]*|'') echo "qemu-campaign: --time and --jobs take whole numbers" >&2; exit 2 ;;
esac
{ [ "$jobs" -ge 1 ] && [ "$total" -ge 1 ]; } || { echo "qemu-campaign: --time and --jobs must be >= 1" >&2; exit 2; }
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_inv_queue fuzz_pasid_cache fuzz_pasid_table)

ci/install-deps.sh
pf_build_preset dev || exit 2
pf_build_preset libfuzzer || exit 2
pfq=$pf_root/build/dev/bin/pf_qemu
"$pfq" info >/dev/null || { echo "qemu-campaign: no usable QEMU (see above)" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
"$pfq" info >"$out/qemu.txt"

now() { echo "${EPOCHREALTIME/[.,]/}"; }   # microseconds

# The no-op limit: median of 5 `pf_qemu bench` runs, round trips/s.
bench() {
    local runs=5
    while [ $runs -gt 0 ]; do
        "$pfq" bench --rounds 4000 | sed -n 's/^noop round trips\/s //p'
        runs=$((runs - 1))
    done | pf_median
}

# libFuzzer on the model for S seconds, adding to DIR/corpus.
grow() { # target dir seconds
    local t=$1 dir=$2 s=$3 opts=()
    mapfile -t opts < <(lf_options "$t" "$pf_root/build/libfuzzer/bin")
    [ "$jobs" -eq 1 ] || opts+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    ( cd "$dir/logs" && timeout -k 10 $((s + 60)) nice "$pf_root/build/libfuzzer/bin/$t" "${opts[@]}" \
        -max_total_time="$s" -artifact_prefix="$dir/model-crashes/" "$dir/corpus" \
        >>"$dir/logs/libfuzzer.log" 2>&1 ) || true
}

# The corpus inputs QEMU has not seen yet, and marks them seen.
unseen() { # dir
    local dir=$1
    find "$dir/corpus" -maxdepth 1 -type f -printf '%f\n' | sort >"$dir/logs/all"
    comm -23 "$dir/logs/all" "$dir/logs/seen" | sed "s#^#$dir/corpus/#"
    cp "$dir/logs/all" "$dir/logs/seen"
}

# One piece of the batch through both modes, none started after END.
piece() { # target dir list end
    local t=$1 dir=$2 list=$3 end=$4 mode left
    for mode in diff target; do
        left=$(( (end - $(now)) / 1000000 ))
        [ "$left" -ge 1 ] || return 0
        xargs -a "$list" -d '\n' -r env PF_QEMU_FINDINGS="$dir/findings" \
            nice "$pfq" "$mode" -k --target "$t" --max-time "$left" >>"$dir/logs/qemu-$mode.log" 2>&1 || true
    done
}

# The batch in pieces of 50 inputs, $jobs pieces at a time, until END; the
# inputs left are counted in the logs. Wall time added to DIR/logs/qemu-us.
to_qemu() { # target dir list end
    local t=$1 dir=$2 list=$3 end=$4 t0 p n=0
    [ -s "$list" ] || return 0
    t0=$(now)
    rm -f "$list".piece-*
    split -l 50 -d -a 5 "$list" "$list.piece-"
    for p in "$list".piece-*; do
        piece "$t" "$dir" "$p" "$end" &
        n=$((n + 1))
        [ $((n % jobs)) -ne 0 ] || wait
    done
    wait
    rm -f "$list".piece-*
    echo $(($(now) - t0)) >>"$dir/logs/qemu-us"
}

# Rounds: libFuzzer grows the corpus (at most 60 s a round) while QEMU
# runs what the last round added; the seeds go first. QEMU, the slow side,
# sets the pace: libFuzzer waits for it between rounds.
campaign() { # target dir seconds
    local t=$1 dir=$2 s=$3 end round
    end=$(( $(now) + s * 1000000 ))
    : >"$dir/logs/seen"
    unseen "$dir" >"$dir/logs/batch"
    while [ "$(now)" -lt "$end" ]; do
        # A third of what is left, at most 60 s: the last rounds are short,
        # so little of what libFuzzer adds is left for QEMU at the end.
        round=$(( (end - $(now)) / 3000000 ))
        [ "$round" -le 60 ] || round=60
        [ "$round" -ge 1 ] || break
        grow "$t" "$dir" "$round" &
        to_qemu "$t" "$dir" "$dir/logs/batch" "$end"
        wait
        unseen "$dir" >"$dir/logs/batch"
    done
}

# Sums over the pf_qemu summary lines of a log: inputs commands left.
sums() { # log
    awk '/^(diff|target): [0-9]+ inputs/ { i += $2; c += $4
             for (k = 1; k < NF; k++) if ($(k + 1) == "left") l += $k }
         END { print i + 0, c + 0, l + 0 }' "$1"
}

# The union of one coverage line ("registers read: A B", ...) over the logs.
union() { # prefix logs...
    local p=$1
    shift
    sed -n "s/^$p: *//p" "$@" | tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd' '
}

descriptors() { # logs...
    sed -n 's/^descriptor types submitted: *//p' "$@" |
        awk '{ for (i = 1; i < NF; i += 2) { n[$i] += substr($(i + 1), 2) } }
             END { for (t in n) print t, n[t] }' | sort -n | awk '{ printf "%s%s x%s", s, $1, $2; s = " " }'
}

# Findings by kind (from the VIOLATION lines) and the divergence groups.
findings() { # dir
    grep -ho 'VIOLATION qemu-[a-z]*' "$1"/logs/qemu-*.log 2>/dev/null | sed 's/VIOLATION qemu-//' |
        sort | uniq -c | awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }' || true
}
divergences() { # dir
    grep -h 'VIOLATION qemu-divergence' "$1"/logs/qemu-diff.log 2>/dev/null |
        sed -E 's/.*qemu-divergence: //; s/ step [0-9]+ .*//; s/0x[0-9a-f]+/0xN/g' | sort | uniq -c | sort -rn || true
}

report() { # target dir noop
    local t=$1 dir=$2 noop=$3 us in cmd left ips cps
    read -r in cmd left < <(cat "$dir"/logs/qemu-*.log | sums /dev/stdin)
    us=$(awk '{ s += $1 } END { print s + 0 }' "$dir/logs/qemu-us" 2>/dev/null || echo 0)
    ips=$(awk -v n="$in" -v us="$us" 'BEGIN { printf "%.1f", us ? n * 1e6 / us : 0 }')
    cps=$(awk -v n="$cmd" -v us="$us" 'BEGIN { printf "%.0f", us ? n * 1e6 / us : 0 }')
    {
        echo "QEMU runs: $in (diff and target); corpus $(find "$dir/corpus" -type f | wc -l) inputs, $(wc -l <"$dir/logs/batch") added in the last round and $left more left for lack of time"
        echo "registers read: $(union 'registers read' "$dir"/logs/qemu-*.log)"
        echo "registers written: $(union 'registers written' "$dir"/logs/qemu-*.log)"
        echo "descriptor types: $(descriptors "$dir"/logs/qemu-*.log)"
        echo "qemu messages (once per process, not findings):"
        sed -n 's/^qemu message x[0-9]*: /  /p' "$dir"/logs/qemu-*.log | sort -u || true
        echo "divergences (count, what):"
        divergences "$dir"
    } >"$dir/coverage.txt"
    printf '%-18s %7s %9s %8s %8s %8s %6s %5s %4s  %s\n' "$t" "$in" "$cmd" "$ips" "$cps" "$noop" \
        "$(find "$dir/corpus" -type f | wc -l)" "$(grep -c . <(union 'registers written' "$dir"/logs/qemu-*.log | tr ' ' '\n'))" \
        "$(descriptors "$dir"/logs/qemu-*.log | wc -w | awk '{ print $1 / 2 }')" "$(findings "$dir")"
}

per=$(( total / ${#targets[@]} ))
[ "$per" -ge 1 ] || per=1
echo "qemu-campaign: ${targets[*]}, ${per}s each, $jobs job(s), $(head -1 "$out/qemu.txt"), output in $out"
echo "qemu-campaign: load before: $(cut -d' ' -f1-3 /proc/loadavg)"
noop=$(bench)
summary=$out/summary.txt
printf '%-18s %7s %9s %8s %8s %8s %6s %5s %4s  %s\n' target inputs commands inputs/s cmds/s noop/s corpus regs desc findings >"$summary"
status=0
for t in "${targets[@]}"; do
    dir=$out/$t
    mkdir -p "$dir/corpus" "$dir/logs" "$dir/findings" "$dir/model-crashes"
    [ ! -d "corpus/$t" ] || cp -n corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
    echo "qemu-campaign: $t"
    campaign "$t" "$dir" "$per"
    report "$t" "$dir" "$noop" >>"$summary"
    [ -z "$(ls -A "$dir/findings")" ] || status=1
done
echo "qemu-campaign: load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$summary"
echo "regs: 4-byte register slots written; desc: descriptor types submitted; details in <target>/coverage.txt" >>"$summary"

# Divergences need a verdict by a person first (model/BEHAVIOUR.md); one
# found to be a QEMU bug is filed with `ci/triage.sh <its finding folder>`.
# The rest goes to triage now.
for t in "${targets[@]}"; do
    mapfile -t found < <(grep -L '^qemu-divergence' "$out/$t"/findings/*/finding.txt 2>/dev/null | xargs -r -n1 dirname)
    if [ ${#found[@]} -eq 0 ] || [ "$triage" -eq 0 ]; then continue; fi
    ci/triage.sh --target "$t" --out "$repro" "${found[@]}" >"$out/$t/triage.log" 2>&1 || true
    grep -E '^triage: [0-9]+ QEMU|qemu-(crash|hang|error)' "$out/$t/triage.log" | sed "s/^/$t: /" || true
done
cat "$summary"
for t in "${targets[@]}"; do
    [ -s "$out/$t/coverage.txt" ] || continue
    echo "== $t"; sed -n '/^divergences/,$p' "$out/$t/coverage.txt" | head -20
done
exit $status
