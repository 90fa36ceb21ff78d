# shellcheck shell=bash
# Crash state of a replay, shared by ci/triage.sh and ci/replay-reproducer.sh
# (sourced, not run). A crash state is what ClusterFuzz groups on: the kind
# of failure plus the top three frames of its stack, one line:
#
#   VIOLATION bind-deleted | hb_check_bind | hb_attach | hb_op_attach
#   ASan heap-use-after-free | vtd_pce_drop | vtd_pasid_cache_sync | ...
#   UBSan shift exponent | vtd_iqa_size | ...
#
# Frames of the machinery that reports the failure (abort, raise,
# pf_violation, sanitizer and libFuzzer runtimes) are skipped, so the state
# names the code that failed, not the code that noticed.

# Sanitizer settings for a replay that must yield a state: a stack on abort
# (violations abort), symbolized, UBSan fatal with its stack.
pf_replay_env() {
    local sym
    sym=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || true)
    export ASAN_OPTIONS="handle_abort=1:detect_leaks=1:symbolize=1:allocator_may_return_null=1${sym:+:external_symbolizer_path=$sym}"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:symbolize=1${sym:+:external_symbolizer_path=$sym}"
}

# pf_replay BIN FILE LOG [SECONDS]: replay FILE once (the binary itself runs
# it 4 times), all output to LOG. Returns the exit status; 124 on timeout.
pf_replay() {
    local bin=$1 file=$2 log=$3 secs=${4:-60}
    timeout -k 5 "$secs" "$bin" "$file" >"$log" 2>&1
}

# Frame function names of the first stack after the report line, skipping
# reporting machinery.
pf_frames() {
    awk -v start="$2" '
        !go && index($0, start) { go = 1; next }
        go && /^ *#[0-9]+ / { seen = 1
            if ($3 != "in") next
            f = $4
            if (f ~ /^(__|_start$|raise$|abort$|gsignal$|pthread_kill$|pf_violation$|fuzzer::|malloc$|calloc$|realloc$|free$|std::)/) next
            print f; if (++n == 3) exit; next }
        go && seen && !/^ *#[0-9]+ / { exit }
    ' "$1"
}

# pf_crash_state LOG STATUS: the crash state of a replay, or nothing when the
# replay was clean (status 0, no report).
pf_crash_state() {
    local log=$1 rc=$2 kind="" start="" line
    if line=$(grep -m1 -o 'pasidfuzz: VIOLATION [A-Za-z0-9-]*' "$log"); then
        kind="VIOLATION ${line##* }"
        start="ERROR: AddressSanitizer"
    elif line=$(grep -m1 -o 'ERROR: AddressSanitizer: [A-Za-z-]*' "$log"); then
        kind="ASan ${line##* }"
        start="ERROR: AddressSanitizer"
    elif grep -q 'ERROR: LeakSanitizer' "$log"; then
        kind="LSan leak"
        start="ERROR: LeakSanitizer"
    elif line=$(grep -m1 -o 'runtime error: .*' "$log"); then
        # Words up to the first one carrying a value: "shift exponent",
        # "signed integer overflow", "load of misaligned address".
        kind="UBSan $(echo "${line#runtime error: }" | awk '{
            for (i = 1; i <= NF; i++) { if ($i ~ /[0-9'\''"]/) break; sub(/:$/, "", $i); s = s (s ? " " : "") $i }
            print s }')"
        start="runtime error:"
    elif grep -q 'pasidfuzz: NONDETERMINISTIC' "$log"; then
        echo "NONDETERMINISTIC"
        return 0
    elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "timeout"
        return 0
    elif [ "$rc" -ne 0 ]; then
        echo "exit $rc"
        return 0
    else
        return 0
    fi
    local frames
    frames=$(pf_frames "$log" "$start" | paste -sd'|' | sed 's/|/ | /g')
    echo "$kind${frames:+ | $frames}"
}
