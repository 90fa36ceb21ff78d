# shellcheck shell=bash
# Replays a qtest script against a fresh QEMU process and classifies what
# QEMU did with it (sourced, not run; ci/qemu-replay.sh is the command).
#
# A script is the text QEMU's qtest protocol reads: one command per line
# (`writel 0xfed90088 0x80000000`, `outb 0xcf9 0x06`, ...). Blank lines and
# lines starting with `#` are not sent: QEMU 7.2 answers `#` with FAIL and
# aborts on an empty command, so neither belongs to the device under test.
#
# Outcome kinds, with the state that groups two findings (numbers masked, so
# values and source line numbers do not split a group):
#   crash  QEMU died before answering every command: a signal (assertion,
#          abort, segfault) or an exit status; the state names the signal
#          and QEMU's report (assertion text, sanitizer type and frames)
#   hang   QEMU alive but no answer to a command within the hang bound
#   error  every command answered, but QEMU printed a line on stderr while
#          processing them (error_report and friends); the state is the
#          first message printed twice, with " (repeated)", else the first
#          line
#   clean  none of these
# QEMU's own qtest log (on stderr by default) puts each `[R ...] command`
# line before whatever that command makes QEMU print, which is how a
# finding is tied to the command that caused it.

# shellcheck source=ci/lib/crash_state.sh
. "$(dirname "${BASH_SOURCE[0]}")/crash_state.sh"

# QEMU to run: $PF_QEMU, else qemu-system-x86_64 on PATH.
pf_qemu_bin() {
    if [ -n "${PF_QEMU:-}" ]; then
        echo "$PF_QEMU"
    else
        command -v qemu-system-x86_64 || true
    fi
}

# The QEMU binary to use: $1 if given, else pf_qemu_bin; fails with a
# message when there is none.
pf_qemu_need_bin() {
    local q=${1:-$(pf_qemu_bin)}
    if [ -n "$q" ] && command -v "$q" >/dev/null 2>&1; then
        echo "$q"; return 0
    fi
    echo "no QEMU binary${q:+ \"$q\"} (install qemu-system-x86 or set PF_QEMU)" >&2
    return 1
}

# The file of QEMU arguments for SCRIPT: GIVEN (--cmdline), else
# cmdline.txt beside SCRIPT; fails with a message when it is missing.
pf_qemu_args_file() { # GIVEN SCRIPT
    local f=${1:-$(dirname "$2")/cmdline.txt}
    if [ -f "$f" ]; then
        echo "$f"; return 0
    fi
    echo "no QEMU arguments: $f missing (give --cmdline FILE)" >&2
    return 1
}

# First line of `BIN --version`: what a reproducer records and compares.
pf_qemu_version() {
    timeout 20 "$1" --version 2>/dev/null | sed -n 1p
}

# Masks numbers and the program's name and path, so a state survives a
# different value, build directory or source line.
pf_qemu_norm() {
    sed -E 's#^[^ :]*qemu-system-[a-z0-9_]*: ##; s#(\.\./)+##g;
            s/0x[0-9a-fA-F]+/0xN/g; s/\b[0-9]+\b/N/g; s/=[0-9a-fA-F]+\b/=N/g;
            s/[[:space:]]+$//'
}

# A system reset (outb 0xcf9) takes effect at the end of the main-loop
# turn that read it, and qtest reads at most 1 KiB per turn: the fence
# after each reset, one read of VER whose address carries 1 KiB of leading
# zeros (no effect; no turn reads it whole with the reset), keeps the
# commands behind it after the reset when a script is piped in at once
# (pf_qemu sends the same line; see qemu/qemu_vtd.h, qv_reset). Scripts
# written before used 61 plain reads of VER instead; both count as fences.
pf_qemu_fence_line=$(printf 'readl 0x%01032x' 0xfed90000)
# shellcheck disable=SC2016  # awk code, not shell
pf_qemu_fence_awk='function fence() { print F }
    function is_fence() { return $0 == F || $0 == "readl 0xfed90000" }
    function is_reset() { return $1 == "outb" && $2 ~ /^0x0*[cC][fF]9$/ }'

# pf_qemu_fence < SCRIPT: the script with exactly one whole fence after
# every reset (a script anyone can pipe into QEMU as it is).
pf_qemu_fence() {
    awk -v F="$pf_qemu_fence_line" "$pf_qemu_fence_awk"'
        is_reset() { print; fence(); skip = 1; next }
        skip && is_fence() { next }
        { skip = 0; print }'
}

# Commands in SCRIPT, not counting fence lines.
pf_qemu_commands() {
    grep -v -c -x -e 'readl 0xfed90000' -e '' -e "$pf_qemu_fence_line" "$1" || true
}

# Writes the commands of SCRIPT to SENT (after a probe whose answer says
# QEMU is up), each reset fenced, and the script line number of each to MAP.
pf_qemu_prepare() {
    local script=$1 sent=$2 map=$3
    echo endianness >"$sent"
    tr -d '\r' <"$script" | awk -v map="$map" -v F="$pf_qemu_fence_line" "$pf_qemu_fence_awk"'
        NF && $1 !~ /^#/ { print; print NR > map
                           if (is_reset()) { fence(); print NR > map } }' >>"$sent"
    [ -f "$map" ] || : >"$map"
}

# Lines QEMU printed on stderr after it started reading commands, without
# its qtest log lines: QEMU's own words about the commands.
pf_qemu_words() {
    awk '/^\[[RSI] / { if ($1 == "[R") started = 1; next } started' "$1"
}

# What QEMU printed after reading its last command: a dying QEMU's report,
# without the messages earlier commands caused.
pf_qemu_last_words() {
    awk '/^\[R / { n = 0; delete w; next } /^\[[SI] / { next } { w[++n] = $0 }
         END { for (i = 1; i <= n; i++) print w[i] }' "$1"
}

# Number of commands QEMU had read when it printed its first own line (or
# all it read), not counting the probe.
pf_qemu_at() {
    awk '/^\[R / { n++; next } /^\[[SI] / { next } n { exit } END { print (n > 0 ? n - 1 : 0) }' "$1"
}

# Answer lines on stdout (asynchronous IRQ lines are not answers).
pf_qemu_answers() {
    grep -c -E '^(OK|FAIL|ERR)' "$1" || true
}

# The crash state of a dead QEMU from its exit status and stderr.
pf_qemu_crash_state() {
    local rc=$1 err=$2 how report
    # The report: the assertion or error line of what the last command
    # printed, else its first line, else QEMU's last line.
    if [ "$rc" -gt 128 ]; then
        how="$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"
        how="SIG${how#SIG}"
    else
        how="exit $rc"
    fi
    if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$err"; then
        report=$(pf_crash_state "$err" 1)
    else
        report=$(pf_qemu_last_words "$err" | grep -m1 -E 'Assertion|assertion|ERROR|panic|Segmentation|Aborted' |
            pf_qemu_norm || true)
        [ -n "$report" ] || report=$(pf_qemu_last_words "$err" | grep -v -m1 '^\*\*$' | pf_qemu_norm || true)
        [ -n "$report" ] || report=$(pf_qemu_words "$err" | tail -1 | pf_qemu_norm)
    fi
    echo "$how${report:+ | $report}"
}

# Waits for QEMU (pid $1) to answer $2 lines in $3 (its stdout), die, or
# stall for $4 seconds; all in at most $5 seconds. Sets PFQ_HOW to answers|
# died|hang|timeout. Polls without forking (a loaded machine makes every
# fork cost milliseconds): answers are counted as they arrive through an
# open descriptor, and the pause is a read timeout on a FIFO nobody writes.
pf_qemu_watch() {
    local pid=$1 want=$2 hang=$(($4 * 1000000)) total=$(($5 * 1000000))
    local n=0 part="" line start since now ofd sfd
    mkfifo "$3.pause"
    exec {ofd}<"$3" {sfd}<>"$3.pause"
    start=${EPOCHREALTIME/[.,]/}; since=$start
    while :; do
        while IFS= read -r -u "$ofd" line; do
            line=$part$line; part=""
            [[ "$line" =~ ^(OK|FAIL|ERR) ]] && n=$((n + 1)) && since=${EPOCHREALTIME/[.,]/}
        done
        part+=$line
        now=${EPOCHREALTIME/[.,]/}
        if [ "$n" -ge "$want" ]; then PFQ_HOW=answers
        elif ! kill -0 "$pid" 2>/dev/null; then PFQ_HOW=died
        elif [ $((now - since)) -ge "$hang" ]; then PFQ_HOW=hang
        elif [ $((now - start)) -ge "$total" ]; then PFQ_HOW=timeout
        else read -r -t 0.02 -u "$sfd" _ || true; continue
        fi
        break
    done
    exec {ofd}<&- {sfd}<&-
    rm -f "$3.pause"
}

# Reaps QEMU (pid $1): the exit status of a dead one; a live one is killed
# first (SIGKILL: QEMU's own exit path would add lines to stderr) and 0 is
# returned for it.
pf_qemu_reap() {
    local rc=0
    if kill -0 "$1" 2>/dev/null; then
        kill -KILL "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
        return 0
    fi
    wait "$1" 2>/dev/null || rc=$?
    return "$rc"
}

# The spec's reply to a script's last command: expected.txt of a
# divergence (pf_qemu writes it; reproducers/README.md, "Wrong values"),
# `key: value` lines: command, what, spec, qemu (QEMU's reply when found).
pf_qemu_spec_get() {
    sed -n "s/^$2: //p" "$1" | sed -n 1p
}

# The last command of SCRIPT (blank and `#` lines are not commands).
pf_qemu_last_command() {
    tr -d '\r' <"$1" | awk 'NF && $1 !~ /^#/ { last = $0 } END { print last }'
}

# Says why SPEC cannot judge SCRIPT (and fails), or nothing.
pf_qemu_spec_check() {
    local k cmd
    [ -f "$1" ] || { echo "no such spec file: $1"; return 1; }
    for k in command what spec; do
        [ -n "$(pf_qemu_spec_get "$1" "$k")" ] || { echo "$1 has no '$k:' line"; return 1; }
    done
    cmd=$(pf_qemu_last_command "$2")
    [ "$cmd" = "$(pf_qemu_spec_get "$1" command)" ] ||
        { echo "$1 is about \`$(pf_qemu_spec_get "$1" command)\`, but $2 ends with \`$cmd\`"; return 1; }
}

# A reply's value as the outcome shows it: a register's without leading
# zeros, a `read`'s bytes as they are.
pf_qemu_shown() {
    local v=${1#OK }
    if [[ "$2" =~ ^read[bwlq]\  ]] && [[ "$v" =~ ^0x[0-9a-fA-F]+$ ]]; then
        v=$(sed -E 's/^0x0*([0-9a-fA-F])/0x\1/' <<<"$v")
    fi
    echo "$v"
}

# After a replay that QEMU answered whole: a divergence when its reply to
# the last command is not the spec's (messages are then not judged), else
# clean. Sets PFQ_KIND, PFQ_STATE, PFQ_AT, PFQ_CMD.
pf_qemu_judge_spec() {
    local spec=$1 w=$2 got want cmd
    cmd=$(pf_qemu_spec_get "$spec" command)
    want=$(pf_qemu_spec_get "$spec" spec)
    got=$(grep -E '^(OK|FAIL|ERR)' "$w/out" | tail -1)
    PFQ_KIND=clean PFQ_STATE="" PFQ_AT=0 PFQ_CMD=""
    [ "$got" != "$want" ] || return 0
    PFQ_KIND=divergence
    PFQ_STATE="$(pf_qemu_spec_get "$spec" what): \`$cmd\` answers $(pf_qemu_shown "$got" "$cmd"), the spec $(pf_qemu_shown "$want" "$cmd")"
    PFQ_AT=$(tail -1 "$w/map")
    PFQ_CMD=$cmd
}

# shellcheck disable=SC2034  # PFQ_* are this library's results
# pf_qemu_run BIN ARGS_FILE SCRIPT WORK HANG TOTAL [SPEC]
# Runs SCRIPT on a fresh `BIN $(cat ARGS_FILE) -qtest stdio` with the files
# in WORK, and sets (with SPEC, pf_qemu_judge_spec decides when QEMU
# answered every command):
#   PFQ_KIND   clean|crash|hang|error|divergence, or setup (QEMU never answered the
#              probe: bad arguments, no such device, no such binary), or
#              timeout (still answering when TOTAL seconds ran out)
#   PFQ_STATE  the state (empty when clean); PFQ_AT the script line number
#              of the command that showed it (0 if none); PFQ_CMD that line
#   PFQ_SENT   commands in the script; PFQ_DONE commands QEMU answered
#   WORK/stderr  QEMU's stderr as it was when the outcome was decided
pf_qemu_run() {
    local bin=$1 argf=$2 script=$3 w=$4 hang=$5 total=$6 spec=${7:-} idx
    pf_qemu_prepare "$script" "$w/sent" "$w/map"
    PFQ_SENT=$(wc -l <"$w/map"); PFQ_STATE="" PFQ_AT=0 PFQ_CMD=""
    # Bash reports a child killed by a signal on its own stderr: not ours.
    pf_qemu_exec "$bin" "$argf" "$w" "$hang" "$total" 2>/dev/null
    PFQ_DONE=$(( $(pf_qemu_answers "$w/out") - 1 ))
    pf_qemu_classify "$PFQ_HOW" "$PFQ_RC" "$w/stderr"
    idx=$(pf_qemu_at "$w/stderr")
    # A death is shown by the last command QEMU read.
    [ "$PFQ_KIND" != crash ] || idx=$(( $(grep -c '^\[R ' "$w/stderr" || true) - 1 ))
    if [ "$PFQ_KIND" != clean ] && [ "$PFQ_KIND" != setup ] && [ "$idx" -gt 0 ]; then
        PFQ_AT=$(sed -n "${idx}p" "$w/map")
        PFQ_CMD=$(sed -n "$((idx + 1))p" "$w/sent")
    fi
    # A hang is told apart by the kind of command QEMU stopped in.
    [ "$PFQ_KIND" != hang ] || PFQ_STATE="no answer to ${PFQ_CMD%% *}"
    if [ -n "$spec" ] && { [ "$PFQ_KIND" = clean ] || [ "$PFQ_KIND" = error ]; }; then
        pf_qemu_judge_spec "$spec" "$w"
    fi
    return 0
}

# Starts QEMU on WORK/sent, watches it and reaps it; sets PFQ_HOW (how the
# watch ended) and PFQ_RC (its exit status, 0 when it was still alive).
pf_qemu_exec() {
    local bin=$1 argf=$2 w=$3 hang=$4 total=$5 args=() pid
    read -r -a args <"$argf" || true
    : >"$w/out"
    "$bin" "${args[@]}" -qtest stdio <"$w/sent" >"$w/out" 2>"$w/err" &
    pid=$!
    pf_qemu_watch "$pid" $((PFQ_SENT + 1)) "$w/out" "$hang" "$total"
    # A line on stderr may be the start of a dying QEMU's report: give it a
    # moment to finish dying before calling it an error.
    if [ "$PFQ_HOW" = answers ] && [ -n "$(pf_qemu_words "$w/err")" ]; then
        sleep 0.3
        kill -0 "$pid" 2>/dev/null || PFQ_HOW=died
    fi
    cp "$w/err" "$w/stderr"
    PFQ_RC=0
    pf_qemu_reap "$pid" || PFQ_RC=$?
}

# Sets PFQ_KIND and PFQ_STATE from how the watch ended.
pf_qemu_classify() {
    local how=$1 rc=$2 err=$3 line
    PFQ_KIND=clean
    if [ "$PFQ_DONE" -lt 0 ] && [ "$how" != hang ]; then
        PFQ_KIND=setup
        PFQ_STATE="QEMU did not start: $(grep -v '^\[[RSI] ' "$err" | head -3 | paste -sd' ')"
        return
    fi
    case "$how" in
        died) PFQ_KIND=crash; PFQ_STATE=$(pf_qemu_crash_state "$rc" "$err") ;;
        hang) PFQ_KIND=hang; PFQ_STATE="no answer" ;;
        timeout) PFQ_KIND=timeout; PFQ_STATE="still answering after the time limit" ;;
        answers)
            # The first message printed twice, else the first line
            # (qemu/README.md, "QEMU's messages").
            line=$(pf_qemu_words "$err" | pf_qemu_norm | awk 'seen[$0]++ { print; exit }')
            if [ -n "$line" ]; then
                PFQ_KIND=error; PFQ_STATE="$line (repeated)"
            else
                line=$(pf_qemu_words "$err" | sed -n 1p | pf_qemu_norm)
                [ -z "$line" ] || { PFQ_KIND=error; PFQ_STATE=$line; }
            fi
            ;;
    esac
}

# One line naming an outcome, the form finding.txt and metadata use:
# `qemu-<kind>: <state>`, or `clean`.
pf_qemu_outcome() {
    if [ "$PFQ_KIND" = clean ]; then echo clean; else echo "qemu-$PFQ_KIND: $PFQ_STATE"; fi
}
