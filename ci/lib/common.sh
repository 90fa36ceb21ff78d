# shellcheck shell=bash
# Helpers shared by the scripts of ci/ and tests/ (sourced, not run). Source
# it before any cd, so that $0 still names the calling script:
#
#   . "$(dirname "$0")/lib/common.sh"     (from ci/; ../lib from ci/measure/)
#   cd "$pf_root"
#
# pf_root         the repository root, absolute
# pf_usage [N]    the calling script's header comment, then exit N (default 2)
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
