#!/usr/bin/env bash
# The main job: a fuzzing campaign over the fuzz targets (default all),
# starting from corpus/<target>/, one shared corpus per target, a progress
# line every few seconds, crashes triaged into reproducers, summary.txt and
# report.html at the end.
#
#   ci/fuzz.sh [options] [TARGET...]
#
#   --engine E       libfuzzer (default), afl, or both one after the other on
#                    the same corpus ($PF_FUZZ_ENGINE); qemu: QEMU's
#                    intel-iommu as the target, through ci/qemu-campaign.sh
#   --time S         seconds in all, split evenly across targets and engines
#                    (default 240, $PF_FUZZ_TIME); with --resume, the time added
#   --time-per-target S  seconds per target and engine instead
#   --jobs N         processes per target (default: cores, $PF_FUZZ_JOBS)
#   --lf-mode M      libFuzzer: jobs (default: N processes over the shared
#                    corpus) or fork (one -fork=N process); README.md says why
#   --out DIR        campaign folder (default out/fuzz-YYYYmmdd-HHMMSS,
#                    $PF_FUZZ_OUT)
#   --resume DIR     continue the campaign in DIR: its corpus, crashes, plots
#                    and settings (engine, jobs, targets unless given again)
#   --progress S     seconds between progress lines (default 5)
#   --reproducers DIR  where ci/triage.sh files crashes (default reproducers)
#   --origin NAME    reproducer name prefix (default: the engine)
#   --no-triage      only count and classify crashes
#   --coverage       llvm-cov HTML of the pruned corpora in DIR/coverage/
#   --stop-on-crash  end a target's run at its first crash
#   --mutant NAME    fuzz the seeded bug NAME (model/mutants.md), built in
#                    build/<preset>-mutant-NAME: proves a campaign finds it
#
# A progress line per target shows elapsed/total seconds, exec/s, coverage
# (libFuzzer cov and ft, AFL++ edges), corpus files, crashes and the
# violation ids seen; on a terminal it is one line updated in place. At the
# end each corpus is pruned (libFuzzer -merge=1 over its corpus and the AFL++
# queues, or afl-cmin for --engine afl) into DIR/<target>/corpus and
# replayed under the dev build (all of UBSan): an input failing there counts
# as a crash. DIR/summary.txt (a table), DIR/summary.tsv, DIR/<target>/
# stats.tsv (the progress samples) and DIR/report.html (ci/fuzz-report.sh)
# are written even when the run is cut short.
# Exit status: 0 no crash; 1 a target crashed; 2 bad usage (an unknown
# target among them); 3 the campaign could not run or stopped early (disk
# nearly full, a corpus file over max_len, an engine that cannot start);
# 130 interrupted (Ctrl-C or SIGTERM: the run stops, prunes, summarizes).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$pf_root"
root=$PWD
. ci/lib/crash_state.sh
. ci/lib/lf_options.sh
. ci/lib/targets.sh
. ci/lib/engines.sh

usage() { pf_usage "$@"; }
# --engine qemu: QEMU's intel-iommu is the target (qemu/README.md), run by
# ci/qemu-campaign.sh with the options that mean the same there.
qemu_campaign() {
    if [ -n "$resume$lfmode$mutant$origin" ] || [ $coverage -eq 1 ] || [ $stop_on_crash -eq 1 ]; then
        die "--engine qemu takes --time, --time-per-target, --jobs, --out, --reproducers, --no-triage and targets only"
    fi
    local args=(--time "$total" --jobs "${jobs:-1}" --reproducers "$repro")
    [ -z "$per_target" ] || args[1]=$(( per_target * (${#want[@]} > 0 ? ${#want[@]} : 3) ))
    [ -z "$out" ] || args+=(--out "$out")
    [ $triage -eq 1 ] || args+=(--no-triage)
    exec ci/qemu-campaign.sh "${args[@]}" "${want[@]}"
}
die() { echo "fuzz.sh: $1" >&2; exit "${2:-2}"; }
whole() { case "$2" in ''|*[!0-9]*|0) die "$1 takes a whole number >= 1, not '$2'" ;; esac; }

engine=${PF_FUZZ_ENGINE:-} total=${PF_FUZZ_TIME:-240} per_target="" jobs=${PF_FUZZ_JOBS:-}
out=${PF_FUZZ_OUT:-} lfmode="" resume="" tick=5 repro=reproducers origin=""
triage=1 coverage=0 stop_on_crash=0 mutant=""
min_free_mb=${PF_FUZZ_MIN_FREE_MB:-256}
want=()
while [ $# -gt 0 ]; do
    case "$1" in
        --engine|--time|--time-per-target|--jobs|--out|--lf-mode|--resume|--progress|--reproducers|--origin|--mutant)
            [ $# -ge 2 ] || { echo "fuzz.sh: $1 needs a value" >&2; usage; }
            case "$1" in
                --engine) engine=$2 ;; --time) total=$2 ;; --time-per-target) per_target=$2 ;;
                --jobs) jobs=$2 ;; --out) out=$2 ;; --lf-mode) lfmode=$2 ;; --resume) resume=$2 ;;
                --progress) tick=$2 ;; --reproducers) repro=$2 ;; --origin) origin=$2 ;;
                --mutant) mutant=$2 ;;
            esac
            shift 2 ;;
        --no-triage) triage=0; shift ;;
        --coverage) coverage=1; shift ;;
        --stop-on-crash) stop_on_crash=1; shift ;;
        -h|--help) usage 0 ;;
        -*) echo "fuzz.sh: unknown option '$1'" >&2; usage ;;
        *) want+=("$1"); shift ;;
    esac
done
whole --time "$total"; whole --progress "$tick"
[ -z "$per_target" ] || whole --time-per-target "$per_target"
[ -z "$jobs" ] || whole --jobs "$jobs"
[[ -z "$mutant" || "$mutant" =~ ^[a-z-]+$ ]] || die "bad --mutant name '$mutant'"
[[ -z "$origin" || "$origin" =~ ^[a-z][a-z0-9]*$ ]] || die "--origin must be lower-case letters and digits"

# --resume: the settings the campaign was started with, unless given again.
conf_get() { sed -n "s/^$1=//p" "$resume/campaign.conf" | tail -1; }
session=1
if [ -n "$resume" ]; then
    [ -f "$resume/campaign.conf" ] || die "--resume $resume: no campaign there (no campaign.conf)"
    [ -z "$out" ] || die "--resume and --out name the same folder: give one"
    out=$resume
    engine=${engine:-$(conf_get engine)}
    jobs=${jobs:-$(conf_get jobs)}
    lfmode=${lfmode:-$(conf_get lfmode)}
    [ ${#want[@]} -gt 0 ] || read -r -a want <<<"$(conf_get targets)"
    session=$(( $(conf_get sessions) + 1 ))
fi
engine=${engine:-libfuzzer}
[ "$engine" != qemu ] || qemu_campaign
jobs=${jobs:-$(nproc)}
lfmode=${lfmode:-jobs}
out=${out:-out/fuzz-$(date +%Y%m%d-%H%M%S)}
case "$engine" in
    both) engines=(libfuzzer afl) ;;
    *) [[ " $PF_ENGINES " == *" $engine "* ]] || die "--engine is one of: $PF_ENGINES both; not '$engine'"
       engines=("$engine") ;;
esac
case "$lfmode" in jobs|fork) ;; *) die "--lf-mode is jobs or fork, not '$lfmode'" ;; esac

ci/install-deps.sh
# Preset builds; --mutant builds beside them so the real ones stay clean.
build_dir() { echo "$root/build/$1${mutant:+-mutant-$mutant}"; }
build() {
    local d
    d=$(build_dir "$1")
    # A mutant build needs no unit tests.
    pf_build_preset "$1" -B "$d" -DPF_MUTANT="$mutant" ${mutant:+-DPF_TESTS=OFF} || die "the $1 build failed" 3
}
pf_jobs=$jobs pf_lfmode=$lfmode
pf_devbuild=$(build_dir dev) pf_lfbuild=$(build_dir libfuzzer)
pf_aflbuild=$(build_dir afl) pf_cmplogbuild=$(build_dir afl-cmplog)
build dev        # crash classification, dev replay and triage
build libfuzzer  # corpus merge and triage's minimizer
if [ "$engine" != libfuzzer ]; then build afl; build afl-cmplog; fi

mapfile -t known < <(pf_targets "$pf_lfbuild/bin")
[ ${#known[@]} -gt 0 ] || die "no fuzz targets were built in $pf_lfbuild/bin" 3
for t in "${want[@]}"; do
    [[ " ${known[*]} " == *" $t "* ]] || die "unknown target '$t'; targets: ${known[*]}"
done
targets=("${want[@]}")
[ ${#targets[@]} -gt 0 ] || targets=("${known[@]}")
per_run=${per_target:-$(( total / ${#targets[@]} / ${#engines[@]} ))}
[ "$per_run" -ge 1 ] || per_run=1

mkdir -p "$out" || die "cannot create $out" 3
out=$(cd "$out" && pwd)
free_mb() { df -Pm "$out" | awk 'NR == 2 { print $4 }'; }
[ "$(free_mb)" -ge "$min_free_mb" ] ||
    die "only $(free_mb) MiB free on the disk of $out (need $min_free_mb, PF_FUZZ_MIN_FREE_MB): free some space" 3
{
    echo "engine=$engine"; echo "jobs=$jobs"; echo "lfmode=$lfmode"
    # A resumed campaign keeps every target it ever ran.
    echo "targets=$(printf '%s\n' "${targets[@]}" ${resume:+$(conf_get targets)} | sort -u | paste -sd' ' -)"
    echo "sessions=$session"
    [ -z "$mutant" ] || echo "mutant=$mutant"
} >"$out/campaign.conf.new" || die "cannot write $out/campaign.conf.new (disk full?)" 3
mv "$out/campaign.conf.new" "$out/campaign.conf"

# Every target's folder seeded, and no corpus file over max_len: libFuzzer
# would quietly fuzz a cut copy of it.
for t in "${targets[@]}"; do
    d=$out/$t
    mkdir -p "$d/corpus" "$d/crashes" "$d/logs"
    [ -n "$(ls -A "$d/corpus")" ] || [ ! -d "corpus/$t" ] || cp -n corpus/"$t"/* "$d/corpus/" 2>/dev/null || true
    max=$(pf_max_len "$t" "$pf_lfbuild/bin")
    [ -n "$max" ] || continue
    big=$(find "corpus/$t" "$d/corpus" -maxdepth 1 -type f -size +"${max}"c 2>/dev/null | head -5)
    [ -z "$big" ] || die "$(printf 'files over %s max_len %s (its MAX_LEN in fuzz/input/targets.def); libFuzzer would fuzz a cut copy: shorten or remove them, or raise MAX_LEN:\n%s' \
        "$t" "$max" "$big")" 3
done

echo "fuzz.sh: ${#targets[@]} target(s) x ${engines[*]}, ${per_run}s each, $jobs job(s)" \
     "(${lfmode} mode for libFuzzer), session $session, output in $out"

# ---- running, watching, stopping ---------------------------------------------
stopped=""      # why the campaign stopped early: interrupted, disk, failed
pf_pids=()
# shellcheck disable=SC2317  # run by the trap
on_signal() {
    if [ "$stopped" = interrupted ]; then
        echo; echo "fuzz.sh: interrupted again: leaving now, no summary" >&2
        [ -z "${PF_LOGS:-}" ] || pf_engine_stop
        exit 130
    fi
    stopped=interrupted
    echo; echo "fuzz.sh: interrupted: stopping, then pruning and writing the summary and report" >&2
    [ -z "${PF_LOGS:-}" ] || pf_engine_stop
}
trap on_signal INT TERM
# Any command that fails unhandled ends the campaign with a message; the
# usual cause mid-run is a full disk.
# shellcheck disable=SC2317  # run by the trap
on_error() {
    local rc=$? line=$1
    [ "$BASHPID" = $$ ] || exit 3
    trap - ERR
    if [ "$(df -Pk "$out" | awk 'NR == 2 { print $4 }')" -lt 1024 ]; then
        echo; echo "fuzz.sh: the disk of $out is full (line $line failed): stopped; free space, then --resume $out" >&2
    else
        echo; echo "fuzz.sh: line $line failed (exit $rc): stopped" >&2
    fi
    [ -z "${PF_LOGS:-}" ] || pf_engine_stop
    exit 3
}
set -E
trap 'on_error $LINENO' ERR

any_alive() { local p; for p in "${pf_pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
# Seconds a target already ran with this engine in earlier sessions.
elapsed_before() { awk -F'\t' -v e="$2" '!/^#/ && $2 == e { s = $1 } END { print s + 0 }' "$1" 2>/dev/null || echo 0; }
tty=0; [ -t 1 ] && tty=1
progress() { # TARGET ENGINE ELAPSED SAMPLE [final]: with no process started
    local s cov rate execs c f corp crashes ids
    read -r execs rate c f corp crashes ids <<<"$4"
    cov="cov $c"; [ "$f" = - ] || cov="$cov ft $f"
    [ "$rate" -lt 10000 ] || rate="$((rate / 1000)).$((rate % 1000 / 100))k"
    [ "$ids" = - ] && ids="" || ids=" ($ids)"
    printf -v s '%-20s %-9s %4s/%ss %8s exec/s  %-18s corpus %-6s crashes %s%s' "$1" "$2" "$3" "$per_run" \
        "$rate" "$cov" "$corp" "$crashes" "$ids"
    if [ $tty -eq 1 ]; then printf '\r\033[K%s' "$s"; [ -z "${5:-}" ] || echo
    else echo "$s"; fi
}
now() { printf '%(%s)T' -1; }
# CPU seconds of the finished children of this shell between two `times`
# (run here: a subshell starts from zero).
cpu_between() { # FILE0 FILE1
    awk 'FNR == 2 { split($1 " " $2, a, /[ms ]+/); c[++n] = a[1] * 60 + a[2] + a[3] * 60 + a[4] }
         END { printf "%.1f", c[2] - c[1] }' "$1" "$2"
}

# run_engine TARGET ENGINE DIR: one engine's share of one target, watched.
# Appends to DIR/stats.tsv; sets the globals r_execs r_secs r_cpu.
w_t0=0 w_off=0 w_c0=0
run_engine() {
    local t=$1 e=$2 dir=$3
    export PF_LOGS=$dir/logs/s$session-$e
    rm -rf "$PF_LOGS" && mkdir -p "$PF_LOGS" && : >"$PF_LOGS/start"
    [ -f "$dir/stats.tsv" ] || printf '#elapsed\tengine\tsession\texecs\texec_s\tcov\tft\tcorpus\tcrashes\tids\n' >"$dir/stats.tsv"
    w_off=$(elapsed_before "$dir/stats.tsv" "$e")
    w_c0=$(pf_engine "$e" crashes "$dir" | pf_count_lines)
    times >"$PF_LOGS/times0"; w_t0=$(now); pf_pids=()
    pf_engine "$e" start "$t" "$dir" "$per_run"
    while any_alive; do
        sleep "$tick" & wait $! 2>/dev/null || true
        [ -z "$stopped" ] || break
        any_alive || break
        # A Ctrl-C kills whatever runs in the foreground: a tick, or the
        # end below, that fails then is not an error of the campaign.
        watch_tick "$t" "$e" "$dir" || true
    done
    [ -z "$stopped" ] || pf_engine_stop
    [ ${#pf_pids[@]} -eq 0 ] || wait "${pf_pids[@]}" 2>/dev/null || true
    times >"$PF_LOGS/times1"
    r_execs=0 r_secs=0 r_cpu=0
    finish_engine "$t" "$e" "$dir" || true
}
watch_tick() { # TARGET ENGINE DIR: one progress sample
    local t=$1 e=$2 dir=$3 el sample crashes
    printf -v el '%(%s)T' -1; el=$((el - w_t0))
    sample=$(pf_engine "$e" sample "$dir")
    if ! stats_row "$dir" $((w_off + el)) "$e" "$sample"; then
        stopped=disk; echo; echo "fuzz.sh: cannot write $dir/stats.tsv: disk full? stopping" >&2
        pf_engine_stop; return 0
    fi
    progress "$t" "$e" "$el" "$sample"
    read -r _ _ _ _ _ crashes _ <<<"$sample"
    if [ "$(free_mb)" -lt "$min_free_mb" ]; then
        stopped=disk; echo
        echo "fuzz.sh: only $(free_mb) MiB left on the disk of $out (PF_FUZZ_MIN_FREE_MB=$min_free_mb): stopping" >&2
        pf_engine_stop
    elif [ $stop_on_crash -eq 1 ] && [ "$crashes" -gt "$w_c0" ]; then
        pf_engine_stop
    fi
}
finish_engine() { # TARGET ENGINE DIR: the last sample; sets r_execs r_secs r_cpu
    local t=$1 e=$2 dir=$3 el sample
    el=$(( $(now) - w_t0 ))
    sample=$(pf_engine "$e" sample "$dir")
    # The last row: the session's mean rate (no process is running now).
    sample=$(echo "$sample" | awk -v s="$el" '{ $2 = int($1 / (s > 0 ? s : 1)); print }')
    stats_row "$dir" $((w_off + el)) "$e" "$sample" || true
    progress "$t" "$e" "$el" "$sample" final
    r_execs=${sample%% *}; r_secs=$el
    r_cpu=$(cpu_between "$PF_LOGS/times0" "$PF_LOGS/times1")
    [ ! -f "$PF_LOGS/failed" ] || cat "$PF_LOGS/failed" >&2
    # Nothing ran and the time was not up: the engine cannot run here.
    if [ "$r_execs" -eq 0 ] && [ -z "$stopped" ] && [ "$el" -lt "$per_run" ]; then
        echo "fuzz.sh: $t: $e made no execution and ended after ${el}s; see $PF_LOGS" >&2
        stopped=failed
    fi
}
stats_row() { # DIR ELAPSED ENGINE SAMPLE
    local execs rate cov ft corp crashes ids
    read -r execs rate cov ft corp crashes ids <<<"$4"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$session" "$execs" "$rate" "$cov" "$ft" \
        "$corp" "$crashes" "$ids" >>"$1/stats.tsv"
}

# ---- after the run -------------------------------------------------------------
prune_corpus() { # target dir
    local t=$1 dir=$2 q e ok=1
    rm -rf "$dir/queues" "$dir/corpus.min"
    mkdir -p "$dir/queues" "$dir/corpus.min"
    for e in "${engines[@]}"; do
        while read -r q; do
            find "$q" -maxdepth 1 -type f -name 'id:*' -exec cp -t "$dir/queues" {} + 2>/dev/null || true
        done < <(pf_engine "$e" queues "$dir")
    done
    if [ "$engine" = afl ]; then
        cp -n "$dir"/corpus/* "$dir/queues/" 2>/dev/null || true
        # AFL_ALLOW_TMP: afl-cmin refuses /tmp outputs without it.
        env -u ASAN_OPTIONS AFL_NO_AFFINITY=1 AFL_ALLOW_TMP=1 afl-cmin -i "$dir/queues" -o "$dir/corpus.min" \
            -- "$pf_aflbuild/bin/$t" >"$dir/logs/cmin.log" 2>&1 || ok=0
    else
        ( cd "$dir/logs" && timeout -k 10 600 "$pf_lfbuild/bin/$t" -merge=1 \
            "$dir/corpus.min" "$dir/corpus" "$dir/queues" >"$dir/logs/merge.log" 2>&1 ) || ok=0
    fi
    if [ $ok -eq 0 ] || [ -z "$(ls -A "$dir/corpus.min")" ]; then
        # Keep everything found rather than lose it to a failed prune.
        echo "fuzz.sh: $t: corpus pruning failed (see $dir/logs), corpus kept unpruned" >&2
        cp -n "$dir"/queues/* "$dir/corpus/" 2>/dev/null || true
    else
        rm -rf "$dir/corpus" && mv "$dir/corpus.min" "$dir/corpus"
    fi
    rm -rf "$dir/queues" "$dir/corpus.min"
}

# The libFuzzer build leaves out two UBSan checks (alignment,
# pointer-overflow; CMakeLists.txt says why). The pruned corpus is replayed
# under the dev build, which has them all; an input failing there is filed
# with the crashes, so it is classified and triaged too.
dev_replay_corpus() { # target dir
    local t=$1 dir=$2 f n=0
    ( pf_replay_env; pf_replay "$pf_devbuild/bin/$t" "$dir/corpus" "$dir/logs/dev-replay.log" 900 ) &&
        return 0
    for f in "$dir"/corpus/*; do
        [ -f "$f" ] || continue
        if ! ( pf_replay_env; pf_replay "$pf_devbuild/bin/$t" "$f" /dev/null 60 ); then
            # Killed by a Ctrl-C, not failing.
            [ -z "$stopped" ] || return 0
            cp "$f" "$dir/crashes/crash-dev-replay-$(basename "$f")"
            n=$((n + 1))
        fi
    done
    echo "fuzz.sh: $t: $n corpus input(s) fail under the dev build (see $dir/logs/dev-replay.log)" >&2
}

# "id xN, id xM" of a target's crash files, by their dev-build crash state.
classify() { # target crash-files...
    local t=$1 c rc s ids=""
    shift
    for c in "$@"; do
        rc=0; ( pf_replay_env; pf_replay "$pf_devbuild/bin/$t" "$c" "$out/$t/logs/replay.log" 60 ) || rc=$?
        s=$(pf_crash_state "$out/$t/logs/replay.log" "$rc")
        s=${s%% | *}; s=${s#VIOLATION }
        ids="$ids ${s// /-}"
        [ -n "$s" ] || ids="$ids no-repro"
    done
    echo "$ids" | tr ' ' '\n' | sed '/^$/d' | sort | uniq -c | awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}'
}

coverage_html() {
    local t objs=() bin=build/coverage/bin prof=$out/coverage/prof
    echo "fuzz.sh: coverage of the pruned corpora (coverage preset)"
    { cmake --preset coverage >/dev/null && cmake --build --preset coverage >/dev/null; } ||
        { echo "fuzz.sh: coverage build failed; no coverage report" >&2; return 0; }
    rm -rf "$out/coverage" && mkdir -p "$prof"
    for t in "${ran[@]}"; do
        [ -x "$bin/$t" ] || continue
        LLVM_PROFILE_FILE="$prof/$t-%p.profraw" timeout -k 5 900 "$bin/$t" "$out/$t/corpus" >/dev/null 2>&1 || true
        [ ${#objs[@]} -eq 0 ] && objs=("$bin/$t") || objs+=(-object "$bin/$t")
    done
    [ ${#objs[@]} -gt 0 ] && compgen -G "$prof/*.profraw" >/dev/null || return 0
    llvm-profdata merge -sparse "$prof"/*.profraw -o "$prof/merged.profdata" &&
        llvm-cov show "${objs[@]}" -instr-profile="$prof/merged.profdata" -format=html \
            -output-dir="$out/coverage" "$root"/model/*.c >/dev/null ||
        echo "fuzz.sh: llvm-cov failed; no coverage report" >&2
}

# Host flushes beyond what the guest asked for (stubs/README.md, "The host
# IOTLB check"), summed over the exit lines of every libFuzzer process of
# the target, all sessions; "-" when no process reported (AFL++ only).
over_invalidation() { # TARGET_DIR
    find "$1/logs" -name '*.log' -type f -exec cat {} + 2>/dev/null |
        awk '/^pasidfuzz: over-invalidation [0-9]+$/ { n += $3; seen = 1 }
             END { if (seen) printf "%d", n; else printf "-" }'
}

summary=$out/summary.txt
tsv=$out/summary.tsv
printf '%-20s %-9s %6s %10s %8s %6s %6s %7s %7s %10s  %s\n' target engine secs execs exec/s cov ft corpus crashes over-inval \
    violations >"$summary.new"
printf 'target\tengine\tsession\tsecs\texecs\texec_s\tcpu_s\tjobs\tcov\tft\tcorpus\tcrashes\tviolations\tstatus\tover_invalidation\n' \
    >"$tsv.new"
status=0
ran=()
for t in "${targets[@]}"; do
    [ -z "$stopped" ] || break
    dir=$out/$t
    rows=()
    for e in "${engines[@]}"; do
        [ -z "$stopped" ] || break
        run_engine "$t" "$e" "$dir"
        last=$(tail -1 "$dir/stats.tsv")
        rows+=("$e $r_secs $r_execs $r_cpu $(echo "$last" | cut -f6,7)")
    done
    ran+=("$t")
    prune_corpus "$t" "$dir"
    dev_replay_corpus "$t" "$dir"
    ncorpus=$(find "$dir/corpus" -type f | pf_count_lines)
    mapfile -t crashes < <(for e in "${engines[@]}"; do pf_engine "$e" crashes "$dir"; done; \
        find "$dir/crashes" -maxdepth 1 -name 'crash-dev-replay-*' -type f)
    mapfile -t crashes < <(printf '%s\n' "${crashes[@]}" | sed '/^$/d' | sort -u)
    ids=$(classify "$t" "${crashes[@]}")
    over=$(over_invalidation "$dir")
    for r in "${rows[@]}"; do
        read -r e secs execs cpu cov ft <<<"$r"
        rate=$(( execs / (secs > 0 ? secs : 1) ))
        printf '%-20s %-9s %6s %10s %8s %6s %6s %7s %7s %10s  %s\n' "$t" "$e" "$secs" "$execs" "$rate" "$cov" "$ft" \
            "$ncorpus" "${#crashes[@]}" "$over" "${ids:--}" >>"$summary.new"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$e" "$session" "$secs" "$execs" \
            "$rate" "$cpu" "$jobs" "$cov" "$ft" "$ncorpus" "${#crashes[@]}" "${ids:--}" "${stopped:-done}" "$over" \
            >>"$tsv.new"
    done
    [ ${#crashes[@]} -eq 0 ] || status=1
    if [ ${#crashes[@]} -gt 0 ] && [ $triage -eq 1 ] && [ -z "$stopped" ]; then
        ci/triage.sh --target "$t" --out "$repro" --summary-tsv "$dir/triage.tsv" \
            --build "$pf_devbuild" --libfuzzer-build "$pf_lfbuild" ${origin:+--origin "$origin"} \
            "${crashes[@]}" >"$dir/triage.log" 2>&1 || true
        tail -n 20 "$dir/triage.log"
    fi
done
{
    echo
    echo "cov: libFuzzer edges (cov) and features (ft), or AFL++ edges; corpus after pruning"
    echo "over-inval: host IOTLB flushes beyond what the guest asked (allowed; a vIOMMU that flushes everything is slow)"
    echo "exec/s: all of a target's processes together, over its wall time"
} >>"$summary.new"
mv "$summary.new" "$summary" && mv "$tsv.new" "$tsv" || echo "fuzz.sh: cannot write $summary (disk full?)" >&2

[ $coverage -eq 0 ] || [ ${#ran[@]} -eq 0 ] || coverage_html
ci/fuzz-report.sh --reproducers "$repro" "$out" || echo "fuzz.sh: no report.html (see above)" >&2

echo
cat "$summary" 2>/dev/null || true
echo "fuzz.sh: report $out/report.html; pruned corpora and crashes under $out"
[ $status -eq 0 ] || [ $triage -eq 0 ] || [ -n "$stopped" ] ||
    echo "fuzz.sh: crashes triaged into $repro/ (see <out>/<target>/triage.log)"
case "$stopped" in
    interrupted) echo "fuzz.sh: INTERRUPTED: ${#ran[@]} of ${#targets[@]} target(s) ran; crashes not triaged (continue with --resume $out)" >&2
                 exit 130 ;;
    disk) echo "fuzz.sh: STOPPED: the disk is nearly full" >&2; exit 3 ;;
    failed) echo "fuzz.sh: STOPPED: an engine could not run (see above)" >&2; exit 3 ;;
esac
exit $status
