# shellcheck shell=bash
# The fuzzing engines of a campaign (sourced by ci/fuzz.sh, not run).
#
# An engine E is four functions, reached only through pf_engine:
#   E_start TARGET DIR SECONDS   start fuzzing DIR/corpus in the background
#                                (the campaign ends when the jobs it adds
#                                to pf_pids end); every process group it
#                                starts is listed in $PF_LOGS/pgids
#   E_sample DIR                 one line "execs exec_s cov ft corpus crashes
#                                ids" of the session so far (ft "-" if none;
#                                ids: violation ids and sanitizer reports
#                                seen, comma-separated, "-" if none); it runs
#                                every few seconds beside the fuzzers, so it
#                                starts as few processes as it can
#   E_crashes DIR                crash files found so far, one a line
#   E_queues DIR                 folders of inputs to merge into the pruned
#                                corpus besides DIR/corpus
# Another engine is a file defining these four, sourced by ci/fuzz.sh, and
# its name in PF_ENGINES.
#
# Globals set by ci/fuzz.sh: PF_LOGS (this session's log folder), pf_jobs,
# pf_lfmode (jobs|fork), pf_lfbuild, pf_aflbuild, pf_cmplogbuild.
# shellcheck disable=SC2154
export PF_ENGINES="libfuzzer afl"

pf_engine() { # ENGINE OP ARGS...
    local e=$1 op=$2
    shift 2
    declare -F "${e}_$op" >/dev/null || { echo "engine $e has no $op" >&2; return 2; }
    "${e}_$op" "$@"
}

# Stops the session's jobs (their loops first, so none starts another
# process) and every process group they started (all engines alike).
pf_engine_stop() {
    local g
    : >"$PF_LOGS/stop" 2>/dev/null || true
    for g in "${pf_pids[@]}"; do kill -TERM "$g" 2>/dev/null || true; done
    [ -f "$PF_LOGS/pgids" ] || return 0
    while read -r g; do kill -TERM -- "-$g" 2>/dev/null || true; done <"$PF_LOGS/pgids"
    sleep 1
    while read -r g; do kill -KILL -- "-$g" 2>/dev/null || true; done <"$PF_LOGS/pgids"
}

pf_count_lines() { sed '/^$/d' | wc -l; }

# ---- libFuzzer --------------------------------------------------------------
# jobs (default): pf_jobs plain libFuzzer processes over the one corpus
# folder, each reloading what the others add (-reload, every second); a
# process that stops on a crash is started again for the time left. fork:
# one libFuzzer -fork=N process. README.md, "Campaign speed", says why.

libfuzzer_opts() { # TARGET BINDIR: defaults, then BINDIR/<target>.options over them
    echo "-timeout=25"
    lf_options "$1" "$2"
}

libfuzzer_start() { # TARGET DIR SECONDS
    local t=$1 dir=$2 secs=$3 end i
    end=$(( $(date +%s) + secs ))
    if [ "$pf_lfmode" = fork ]; then
        lf_run "$t" "$dir" "$secs" "$PF_LOGS/fork.log" -fork="$pf_jobs" \
            -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 &
        pf_pids+=($!)
        return 0
    fi
    for ((i = 0; i < pf_jobs; i++)); do
        lf_worker "$t" "$dir" "$end" "$i" &
        pf_pids+=($!)
    done
}

# lf_run TARGET DIR SECONDS LOG FLAGS...: one libFuzzer process in its own
# process group (timeout makes one), waited for.
lf_run() {
    local t=$1 dir=$2 secs=$3 log=$4 opts=()
    shift 4
    mapfile -t opts < <(libfuzzer_opts "$t" "$pf_lfbuild/bin")
    ( cd "$PF_LOGS" && exec timeout -k 10 $((secs + 60)) "$pf_lfbuild/bin/$t" "${opts[@]}" "$@" \
        -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$dir/crashes/" \
        "$dir/corpus" ) >"$log" 2>&1 &
    echo $! >>"$PF_LOGS/pgids"
    wait $! || true
}

# One worker of jobs mode: runs until END (epoch seconds) or the stop file.
# Three runs in a row that end within 3 s without a crash mean the target
# cannot run: the worker gives up and says so in $PF_LOGS/failed.
lf_worker() { # TARGET DIR END INDEX
    local t=$1 dir=$2 end=$3 i=$4 run=0 left t0 n quick=0
    while [ ! -e "$PF_LOGS/stop" ]; do
        left=$(( end - $(date +%s) ))
        [ "$left" -ge 1 ] || break
        run=$((run + 1)); t0=$SECONDS
        n=$(libfuzzer_crashes "$dir" | pf_count_lines)
        lf_run "$t" "$dir" "$left" "$PF_LOGS/w$i-$run.log"
        if [ $((SECONDS - t0)) -lt 3 ] && [ ! -e "$PF_LOGS/stop" ] &&
            [ "$(libfuzzer_crashes "$dir" | pf_count_lines)" -eq "$n" ]; then
            quick=$((quick + 1))
        else
            quick=0
        fi
        if [ $quick -ge 3 ]; then
            echo "libFuzzer worker $i of $t stopped 3 times at start; see $PF_LOGS/w$i-$run.log" >>"$PF_LOGS/failed"
            break
        fi
    done
}

# All the session's logs in one pass: each log's last status line (#N ...
# cov: C ft: F ... exec/s: R) or its final stats, summed over the logs (the
# rate only of those still running), and the ids of the failures they
# report. Prints "execs exec_s cov ft ids".
lf_logs_stats() {
    awk '
        function flush() {
            if (!seen) return
            E += e; if (!fin) R += r; if (c > C) C = c; if (f > F) F = f
            seen = e = r = c = f = fin = 0
        }
        function id(s) { if (!(s in ids)) { ids[s] = 1; list = list (list == "" ? "" : ",") s } }
        FNR == 1 { flush(); seen = 1 }
        /^#[0-9]+/ { e = substr($1, 2) + 0
            for (i = 2; i < NF; i++) {
                if ($i == "cov:") c = $(i + 1) + 0
                else if ($i == "ft:") f = $(i + 1) + 0
                else if ($i == "exec/s:" || $i == "exec/s") r = $(i + 1) + 0
            }
            next }
        /^stat::number_of_executed_units:/ { e = $2 + 0; fin = 1; next }
        /pasidfuzz: VIOLATION / { for (i = 1; i < NF; i++) if ($i == "VIOLATION") { v = $(i + 1); sub(/:$/, "", v); id(v) } }
        /ERROR: AddressSanitizer: / { for (i = 1; i < NF; i++) if ($i == "AddressSanitizer:") id("asan:" $(i + 1)) }
        /ERROR: LeakSanitizer/ { id("leak") }
        /runtime error:/ { id("ubsan") }
        END { flush(); printf "%d %d %d %d %s\n", E, R, C, F, (list == "" ? "-" : list) }' "$@" </dev/null
}

libfuzzer_sample() { # DIR
    local dir=$1 logs corp crashes execs rate cov ft ids
    shopt -s nullglob
    logs=("$PF_LOGS"/w*.log "$PF_LOGS"/fork*.log) corp=("$dir"/corpus/*)
    crashes=("$dir"/crashes/crash-* "$dir"/crashes/leak-* "$dir"/crashes/timeout-* "$dir"/crashes/oom-*)
    shopt -u nullglob
    execs=0 rate=0 cov=0 ft=0 ids=-
    [ ${#logs[@]} -eq 0 ] || read -r execs rate cov ft ids < <(lf_logs_stats "${logs[@]}")
    echo "$execs $rate $cov $ft ${#corp[@]} ${#crashes[@]} $ids"
}

libfuzzer_crashes() { # DIR
    find "$1/crashes" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
        -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | sort
}

libfuzzer_queues() { :; }

# ---- AFL++ -------------------------------------------------------------------
# One -M main and pf_jobs-1 -S secondaries on the target's afl/ folder, the
# op mutator for op-stream targets, the target's dictionary, CmpLog on one
# instance (s1, or main when alone).

afl_start() { # TARGET DIR SECONDS
    local t=$1 dir=$2 secs=$3 i fmt opts=() role cmplog
    [ -n "$(ls -A "$dir/corpus")" ] || head -c 128 /dev/zero >"$dir/corpus/zero"
    [ -f "$pf_aflbuild/bin/$t.dict" ] && opts+=(-x "$pf_aflbuild/bin/$t.dict")
    # afl-fuzz wants its own sanitizer options (abort_on_error=1).
    local env=(-u ASAN_OPTIONS -u UBSAN_OPTIONS AFL_AUTORESUME=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1
        AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1)
    fmt=$("$pf_aflbuild/bin/$t" --input-format 2>/dev/null || echo raw)
    if [ -f "$pf_aflbuild/lib/libpf_afl_mutator.so" ] && [ "$fmt" != raw ]; then
        env+=(AFL_CUSTOM_MUTATOR_LIBRARY="$pf_aflbuild/lib/libpf_afl_mutator.so" PF_OP_FORMAT="$fmt")
    fi
    for ((i = 0; i < pf_jobs; i++)); do
        role=(-S "s$i"); cmplog=()
        [ $i -eq 0 ] && role=(-M main)
        if { [ $i -eq 1 ] || [ "$pf_jobs" -eq 1 ]; } && [ -x "$pf_cmplogbuild/bin/$t" ]; then
            cmplog=(-c "$pf_cmplogbuild/bin/$t")
        fi
        # setsid and timeout: its own process group, so a forkserver child
        # left behind (the CmpLog one can be) goes with it.
        setsid env "${env[@]}" timeout -k 10 $((secs + 60)) afl-fuzz "${role[@]}" "${cmplog[@]}" \
            "${opts[@]}" -V "$secs" -i "$dir/corpus" -o "$dir/afl" -- "$pf_aflbuild/bin/$t" \
            >"$PF_LOGS/afl-$i.log" 2>&1 &
        pf_pids+=($!)
        echo $! >>"$PF_LOGS/pgids"
    done
}

# plot_data (rewritten every few seconds) of each instance, columns by
# their header names; the session's executions are what its instances did
# since they started.
afl_sample() { # DIR
    local dir=$1 p execs=0 rate=0 cov=0 corpus=0 e r c q
    for p in "$dir"/afl/*/plot_data; do
        [ -f "$p" ] || continue
        [ "$p" -nt "$PF_LOGS/start" ] || continue
        read -r e r c q < <(awk -F', *' '
            /^#/ { for (i = 1; i <= NF; i++) { h = $i; sub(/^# */, "", h); col[h] = i }; next }
            { last = $0 }
            END { if (last == "") { print "0 0 0 0"; exit }
                  n = split(last, v, /, */)
                  printf "%d %d %d %d\n", v[col["total_execs"]], v[col["execs_per_sec"]],
                         v[col["edges_found"]], v[col["corpus_count"]] }' "$p")
        execs=$((execs + e)); rate=$((rate + r))
        [ "$c" -le "$cov" ] || cov=$c
        [ "$q" -le "$corpus" ] || corpus=$q
    done
    shopt -s nullglob
    local crashes=("$dir"/afl/*/crashes/id:*)
    shopt -u nullglob
    echo "$execs $rate $cov - $corpus ${#crashes[@]} -"
}

afl_crashes() { # DIR
    find "$1/afl" -path '*/crashes/id:*' -type f 2>/dev/null | sort
}

afl_queues() { # DIR
    local q
    for q in "$1"/afl/*/queue; do [ -d "$q" ] && echo "$q"; done
    return 0
}
