#!/usr/bin/env bash
# Checks that a SanitizerCoverage build (libfuzzer preset, or an OSS-Fuzz
# libFuzzer build) instrumented every object file as fuzz/instrumentation.list
# says, by the coverage callbacks each object calls (nm):
#   none      no __sanitizer_cov symbol at all (the generated ignorelist)
#   edges     edge counters, no compare tracing (__sanitizer_cov_trace_*)
#   unlisted  edge counters (compare tracing wherever the file compares)
# (an object that defines no function, a table, has nothing to instrument),
# and that every listed source file was compiled at least once. In an ASan build
# (some object checks memory accesses: __asan_report_*), the none objects
# check none and every model/ object checks its accesses.
#
#   ci/instrumentation-check.sh BUILD_DIR
#
# Exit status: 0 as listed, 1 an object instrumented otherwise, 2 bad usage.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
root=$pf_root
case "${1:-}" in
    -h|--help) pf_usage 0 ;;
    ''|-*) pf_usage ;;
esac
[ $# -eq 1 ] || pf_usage
build=$(cd "$1" 2>/dev/null && pwd) || { echo "instrumentation-check: no folder $1" >&2; exit 2; }
"$root/ci/install-deps.sh"

declare -A group=() seen=()
while read -r kind path; do
    case "$kind" in
        none|edges) group[$root/$path]=$kind ;;
    esac
done < <(grep -v '^#' "$root/fuzz/instrumentation.list")

# source OBJECT: the source file CMake compiled OBJECT from
# (<dir>/CMakeFiles/<target>.dir/<path>.o, ".." written as "__").
source_of() {
    local rel=${1#"$build"/} dir rest
    dir=${rel%%CMakeFiles/*}
    rest=${rel#*CMakeFiles/*.dir/}
    rest=${rest//__/..}
    realpath -ms "$root/$dir${rest%.o}"
}

# asan_of OBJECT: 1 if OBJECT checks memory accesses with ASan.
asan_of() {
    if nm "$1" | grep -q ' U __asan_report_'; then echo 1; else echo 0; fi
}
asan_build=0
while read -r obj; do
    [ "$(asan_of "$obj")" = 0 ] || { asan_build=1; break; }
done < <(find "$build" -name '*.c.o')

fail=0 objects=0 traced=0
declare -A count=([none]=0 [edges]=0 [unlisted]=0)
while read -r obj; do
    src=$(source_of "$obj")
    case "$src" in "$root"/*) ;; *) continue ;; esac
    kind=${group[$src]:-unlisted}
    seen[$src]=1
    objects=$((objects + 1)); count[$kind]=$((count[$kind] + 1))
    syms=$(nm "$obj" | grep -o '__sanitizer_cov_[a-z0-9_]*' | sort -u || true)
    counters=0; grep -q '^__sanitizer_cov_8bit_counters_init$' <<<"$syms" && counters=1
    nm --defined-only "$obj" | grep -q ' [Tt] [^.]*$' || counters=1   # only sanitizer ctors
    cmps=$(grep -c '^__sanitizer_cov_trace_' <<<"$syms" || true)
    [ "$cmps" -eq 0 ] || traced=$((traced + 1))
    why=""
    case "$kind" in
        none) [ -z "$syms" ] || why="has coverage callbacks: ${syms//$'\n'/ }" ;;
        edges) [ $counters -eq 1 ] || why="no edge counters"
               [ "$cmps" -eq 0 ] || why="traces compares" ;;
        unlisted) [ $counters -eq 1 ] || why="no edge counters" ;;
    esac
    if [ $asan_build = 1 ] && [ -z "$why" ]; then
        asan=$(asan_of "$obj")
        [ "$kind" != none ] || [ "$asan" = 0 ] || why="checks memory accesses (ASan)"
        case "$src" in "$root"/model/*) [ "$asan" = 1 ] || why="no ASan checks" ;; esac
    fi
    if [ -n "$why" ]; then
        echo "instrumentation-check: FAIL: ${src#"$root"/} ($kind): $why (${obj#"$build"/})" >&2
        fail=1
    fi
done < <(find "$build" -name '*.c.o' | sort)

for src in "${!group[@]}"; do
    # A header is compiled within the files that include it.
    [[ "$src" == *.h ]] || [ -n "${seen[$src]:-}" ] || { echo "instrumentation-check: FAIL: ${src#"$root"/} was never compiled in $build" >&2; fail=1; }
done
[ "$objects" -gt 0 ] || { echo "instrumentation-check: FAIL: no object files in $build" >&2; fail=1; }
[ "$traced" -gt 0 ] || { echo "instrumentation-check: FAIL: no object traces compares" >&2; fail=1; }
echo "instrumentation-check: $objects objects: ${count[none]} none, ${count[edges]} edges," \
     "${count[unlisted]} unlisted ($traced tracing compares)$([ $asan_build = 1 ] && echo ", ASan")"
[ $fail -eq 0 ] && echo "instrumentation-check: OK: every object as fuzz/instrumentation.list says"
exit $fail
