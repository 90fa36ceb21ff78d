# shellcheck shell=bash
# Helpers shared by the scripts of ci/ and tests/ (sourced, not run). Source
# it before any cd, so that $0 still names the calling script:
#
#   . "$(dirname "$0")/lib/common.sh"     (from ci/; ../lib from ci/measure/)
#   cd "$pf_root"
#
# pf_root         the repository root, absolute
# pf_usage [N]    the calling script's header comment, then exit N (default 2)
# pf_parse_args   the calling script's options (below)
# pf_build_preset configure and build one CMake preset, quiet unless it fails
# pf_median       the median of the numbers on stdin

pf_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pf_script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
pf_name=$(basename "$0")

# pf_header FILE: the header comment of a script, without its "# ": the
# lines after the shebang up to the first line that is not a comment.
pf_header() {
    awk 'NR == 1 && /^#!/ { next }
         !/^#/ { exit }
         { sub(/^# ?/, ""); print }' "$1"
}

# pf_usage [STATUS]: --help (STATUS 0) prints the header on stdout; bad
# usage (any other STATUS, default 2) prints it on stderr.
pf_usage() {
    local status=${1:-2}
    if [ "$status" -eq 0 ]; then
        pf_header "$pf_script"
    else
        pf_header "$pf_script" >&2
    fi
    exit "$status"
}

# pf_parse_args SPEC... -- ARG...
#   Each SPEC is one option: OPTION=VAR takes a value, stored in $VAR;
#   OPTION=VAR:VALUE is a flag that sets $VAR to VALUE. -h and --help print
#   the header (exit 0); an option without its value, or one no SPEC names,
#   is bad usage (a message, exit 2). The other arguments go, in order,
#   into the array pf_args.
# pf_one_file NOUN
#   bad usage unless pf_args holds exactly one argument, an existing file
# pf_need_whole OPTION VALUE
#   bad usage unless VALUE is a whole number >= 1

pf_args=()
_pf_specs=()

# The calling script's name in its messages ("triage", "qemu-replay").
_pf_args_name() { echo "${pf_name%.sh}"; }

# _pf_option ARG [VALUE...]: sets what the SPEC naming ARG says; how many
# arguments that took (1 or 2) in _pf_took. Its locals are _pf_ names, so
# that no SPEC's variable is one of them.
_pf_option() {
    local _pf_spec _pf_rest
    for _pf_spec in "${_pf_specs[@]}"; do
        [ "${_pf_spec%%=*}" = "$1" ] || continue
        _pf_rest=${_pf_spec#*=}
        if [[ "$_pf_rest" == *:* ]]; then
            printf -v "${_pf_rest%%:*}" '%s' "${_pf_rest#*:}"
            _pf_took=1
        else
            [ $# -ge 2 ] || { echo "$(_pf_args_name): $1 needs a value" >&2; exit 2; }
            printf -v "$_pf_rest" '%s' "$2"
            _pf_took=2
        fi
        return 0
    done
    echo "$(_pf_args_name): unknown option '$1'" >&2
    pf_usage 2
}

pf_parse_args() {
    _pf_specs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do _pf_specs+=("$1"); shift; done
    [ $# -eq 0 ] || shift
    pf_args=()
    while [ $# -gt 0 ]; do
        case "$1" in
            -h|--help) pf_usage 0 ;;
            -*) _pf_option "$@"; shift "$_pf_took" ;;
            *) pf_args+=("$1"); shift ;;
        esac
    done
}

pf_one_file() { # NOUN
    local name
    name=$(_pf_args_name)
    [ ${#pf_args[@]} -le 1 ] || { echo "$name: one $1 at a time" >&2; exit 2; }
    [ ${#pf_args[@]} -eq 1 ] || { echo "$name: no $1 given" >&2; pf_usage 2; }
    [ -f "${pf_args[0]}" ] || { echo "$name: no such $1: ${pf_args[0]}" >&2; exit 2; }
}

pf_need_whole() { # OPTION VALUE
    case "$2" in
        ''|*[!0-9]*|0)
            echo "$(_pf_args_name): $1 takes a whole number >= 1, not '$2'" >&2
            exit 2 ;;
    esac
}

# pf_build_preset PRESET [-B DIR] [-DNAME=VALUE...]: configure and build
# PRESET (in DIR instead of build/PRESET with -B), from the repository root.
# No seeded model bug unless the arguments ask for one (-DPF_MUTANT=NAME), so
# a mutant configured by hand is never taken for the model. Prints nothing on
# success; on failure the configure and compiler output, and returns 1.
pf_build_preset() {
    local preset=$1 dir=build/$1 log rc=0
    shift
    if [ "${1:-}" = -B ]; then
        dir=$2
    fi
    log=$(mktemp)
    (cd "$pf_root" && cmake --preset "$preset" -DPF_MUTANT= "$@" && cmake --build "$dir") \
        >"$log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "$pf_name: building preset $preset in $dir failed:" >&2
        grep -v '^\[[0-9]*/[0-9]*\] ' "$log" >&2
    fi
    rm -f "$log"
    return "$rc"
}

# pf_median: the median of the numbers on stdin, one a line (blank lines
# skipped): the middle one of an odd count, as written; the mean of the two
# middle ones of an even count. "-" when there are none.
pf_median() {
    sort -g | awk 'NF { v[++n] = $1 }
        END { if (!n) print "-"
              else if (n % 2) print v[(n + 1) / 2]
              else printf "%.10g\n", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
