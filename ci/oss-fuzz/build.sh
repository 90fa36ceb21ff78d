#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: every fuzz target of pasidfuzz,
# compiled with the toolchain the infrastructure hands us.
#
# Honours $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $SRC $WORK:
# every source is compiled with $CC $CFLAGS (which carry the sanitizer and
# coverage flags of the build being made), each target is linked with
# $CXX $CXXFLAGS $LIB_FUZZING_ENGINE (libFuzzer, or AFL++'s libAFLDriver,
# both of which call the LLVMFuzzerTestOneInput of fuzz/engine/libfuzzer.c). Nothing
# here names a sanitizer or an engine, except that a libFuzzer build (one
# whose $CFLAGS carry -fsanitize=fuzzer...) gets the per-file coverage
# feedback of the libfuzzer preset.
#
# Writes to $OUT, per target: <target>, <target>_seed_corpus.zip (from
# corpus/<target>/), and <target>.dict / <target>.options when
# fuzz/targets/<target>.dict / fuzz/targets/<target>.options exist.
# Source tree: $SRC/pasidfuzz, or the tree this script is in.
for v in CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE OUT WORK; do
    if [ -z "${!v+x}" ]; then
        echo "build.sh: \$$v is not set (run under OSS-Fuzz, or see ci/oss-fuzz-check.sh)" >&2
        exit 2
    fi
done
src=${SRC:-}/pasidfuzz
[ -f "$src/fuzz/driver.c" ] || src=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$src/fuzz/driver.c" ] || { echo "build.sh: no pasidfuzz source tree" >&2; exit 2; }

obj=$WORK/pasidfuzz-obj
rm -rf "$obj"
mkdir -p "$obj" "$OUT"

# The harness library's sources are whatever fuzz/CMakeLists.txt lists for
# pf_harness, so a file added there is built here too.
harness=$(sed -n '/add_library(pf_harness/,/)/p' "$src/fuzz/CMakeLists.txt" |
          tr ' ()' '[\n*]' | grep '\.c$' | sed "s|^|$src/fuzz/|")
[ -n "$harness" ] || { echo "build.sh: cannot read pf_harness sources from fuzz/CMakeLists.txt" >&2; exit 1; }
# Extra sources every target links (beyond its own file and driver.c).
# shellcheck disable=SC2016 # ${name} and ${src} are CMake's, matched literally
extra=$(sed -n 's/.*add_executable(\${name} \${src} \(.*\))/\1/p' "$src/fuzz/CMakeLists.txt" |
        tr ' ' '\n' | grep '\.c$' | sed "s|^|$src/fuzz/|")

includes=(-I"$src/model" -I"$src/stubs" -I"$src/fuzz")
# shellcheck disable=SC2206 # $CFLAGS is a word list, as OSS-Fuzz sets it
cflags=($CFLAGS -std=gnu11 -Wall -g -DPF_ENGINE_LIBFUZZER)

# Coverage feedback per file, as in the libfuzzer preset
# (fuzz/instrumentation.list), and no indirect-call tracing, when the build
# is a libFuzzer one: those flags talk to SanitizerCoverage, and other
# engines instrument their own way.
declare -A feedback=()
case " $CFLAGS " in
    *" -fsanitize=fuzzer"*)
        cflags+=(-fno-sanitize-coverage=indirect-calls)
        while read -r kind path; do
            case "$kind" in
                none) feedback[$path]="-fno-sanitize-coverage=inline-8bit-counters,indirect-calls,trace-cmp,pc-table" ;;
                edges) feedback[$path]="-fno-sanitize-coverage=trace-cmp" ;;
                ''|'#'*) continue ;;
                *) echo "build.sh: fuzz/instrumentation.list: bad line '$kind $path'" >&2; exit 1 ;;
            esac
            [ -f "$src/$path" ] || { echo "build.sh: fuzz/instrumentation.list: no file $path" >&2; exit 1; }
        done < "$src/fuzz/instrumentation.list" ;;
esac
compile() { # source object
    local cov=${feedback[${1#"$src"/}]:-}
    # shellcheck disable=SC2086  # cov is one flag or none
    "$CC" "${cflags[@]}" $cov "${includes[@]}" -c "$1" -o "$2"
}
lib_objs=()
for f in "$src"/model/*.c "$src"/stubs/*.c $harness; do
    o=$obj/$(basename "$(dirname "$f")")_$(basename "$f" .c).o
    compile "$f" "$o"
    lib_objs+=("$o")
done
ar rcs "$obj/libpasidfuzz.a" "${lib_objs[@]}"

targets=()
for f in "$src"/fuzz/targets/fuzz_*.c; do
    t=$(basename "$f" .c)
    objs=("$obj/$t.o" "$obj/driver_$t.o")
    compile "$f" "$obj/$t.o"
    compile "$src/fuzz/driver.c" "$obj/driver_$t.o"
    for e in $extra; do
        [ "$(basename "$e")" = driver.c ] && continue
        compile "$e" "$obj/$(basename "$e" .c)_$t.o"
        objs+=("$obj/$(basename "$e" .c)_$t.o")
    done
    # shellcheck disable=SC2086 # compiler and flags are word lists, as OSS-Fuzz sets them
    $CXX $CXXFLAGS "${objs[@]}" "$obj/libpasidfuzz.a" $LIB_FUZZING_ENGINE -o "$OUT/$t"
    targets+=("$t")

    if [ -d "$src/corpus/$t" ] && [ -n "$(ls -A "$src/corpus/$t")" ]; then
        rm -f "$OUT/${t}_seed_corpus.zip"
        (cd "$src/corpus/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
    fi
    for ext in dict options; do
        if [ -f "$src/fuzz/targets/$t.$ext" ]; then cp "$src/fuzz/targets/$t.$ext" "$OUT/$t.$ext"; fi
    done
done
echo "build.sh: built ${targets[*]} into $OUT"
