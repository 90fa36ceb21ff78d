#!/usr/bin/env bash
# Proves ci/oss-fuzz/build.sh works the way OSS-Fuzz runs it: a copy of the
# tree in $SRC/pasidfuzz, the environment OSS-Fuzz's base-builder sets, empty
# $OUT and $WORK. Then checks $OUT holds, for every target (`pasidfuzz
# targets` of the dev build when there is one, else the fuzz_* binaries in
# $OUT), the binary, <target>_seed_corpus.zip, <target>.dict and
# <target>.options, that each target runs one seed input, and for libFuzzer
# that every object is instrumented as fuzz/instrumentation.list says
# (ci/instrumentation-check.sh).
#
#   ci/oss-fuzz-check.sh [--sanitizer address|undefined] [--engine libfuzzer|afl] [--keep]
#
# --sanitizer  which OSS-Fuzz build to imitate (default address; undefined
#              uses OSS-Fuzz's UBSan flag set, non-recoverable)
# --engine     libfuzzer (default: clang, LIB_FUZZING_ENGINE=-fsanitize=fuzzer)
#              or afl (afl-clang-fast, LIB_FUZZING_ENGINE=AFL++'s libAFLDriver.a)
# --keep       keep the temporary SRC/OUT/WORK folders and print where
# Exit status: 0 all present and running, 1 something missing or failing,
# 2 bad usage.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/targets.sh"
root=$pf_root
sanitizer=address keep=0 engine=libfuzzer
while [ $# -gt 0 ]; do
    case "$1" in
        --sanitizer) [ $# -ge 2 ] || pf_usage; sanitizer=$2; shift 2 ;;
        --engine) [ $# -ge 2 ] || pf_usage; engine=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) pf_usage 0 ;;
        *) echo "oss-fuzz-check: unknown argument '$1'" >&2; pf_usage ;;
    esac
done
"$root/ci/install-deps.sh" || exit 1

base="-O1 -fno-omit-frame-pointer -gline-tables-only"
case "$sanitizer" in
    address) san="-fsanitize=address -fsanitize-address-use-after-scope" ;;
    undefined)
        # OSS-Fuzz's SANITIZER_FLAGS_undefined: unsigned overflow is
        # instrumented but recoverable, and ClusterFuzz runs with
        # silence_unsigned_overflow=1 (hashes wrap on purpose).
        checks=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
        san="-fsanitize=$checks,unsigned-integer-overflow -fno-sanitize-recover=$checks" ;;
    *) echo "oss-fuzz-check: --sanitizer is address or undefined" >&2; exit 2 ;;
esac

# The runtime options ClusterFuzz uses, in the parts that decide pass/fail.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:silence_unsigned_overflow=1
case "$engine" in
    libfuzzer) cc=clang cxx=clang++ cflags="$base $san -fsanitize=fuzzer-no-link"
               lib=-fsanitize=fuzzer ;;
    afl) cc=afl-clang-fast cxx=afl-clang-fast++ cflags="$base $san"
         lib=
         for a in /usr/lib/afl/libAFLDriver.a /usr/local/lib/afl/libAFLDriver.a; do
             [ -f "$a" ] && { lib=$a; break; }
         done
         [ -n "$lib" ] || { echo "oss-fuzz-check: no libAFLDriver.a" >&2; exit 1; } ;;
    *) echo "oss-fuzz-check: --engine is libfuzzer or afl" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
if [ $keep -eq 1 ]; then echo "oss-fuzz-check: keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
mkdir -p "$tmp/src/pasidfuzz" "$tmp/out" "$tmp/work"
# What the Dockerfile's COPY puts in $SRC: the tree without build output.
tar -C "$root" --exclude=./build --exclude=./out --exclude=./.git -cf - . | tar -C "$tmp/src/pasidfuzz" -xf -
cp "$root/ci/oss-fuzz/build.sh" "$tmp/src/build.sh"

echo "oss-fuzz-check: running build.sh ($sanitizer, $engine)"
if ! (cd "$tmp/src/pasidfuzz" && env -i PATH="$PATH" HOME="$HOME" \
        CC=$cc CXX=$cxx CFLAGS="$cflags" CXXFLAGS="$cflags" \
        LIB_FUZZING_ENGINE="$lib" SANITIZER="$sanitizer" FUZZING_ENGINE="$engine" \
        SRC="$tmp/src" OUT="$tmp/out" WORK="$tmp/work" \
        bash -eu "$tmp/src/build.sh") >"$tmp/build.log" 2>&1; then
    echo "oss-fuzz-check: FAIL: build.sh failed:" >&2
    tail -30 "$tmp/build.log" >&2
    exit 1
fi

fail=0
# A libFuzzer build carries the per-file instrumentation of the libfuzzer
# preset (fuzz/instrumentation.list).
if [ "$engine" = libfuzzer ] && ! "$root/ci/instrumentation-check.sh" "$tmp/work/pasidfuzz-build"; then
    fail=1
fi
bad() { echo "oss-fuzz-check: FAIL: $*" >&2; fail=1; }
n=0
mapfile -t targets < <(cd "$root" && pf_targets "$tmp/out")
for t in "${targets[@]}"; do
    n=$((n + 1))
    [ -x "$tmp/out/$t" ] || { bad "no target $t in \$OUT"; continue; }
    for want in "${t}_seed_corpus.zip" "$t.dict" "$t.options"; do
        case "$want" in *.zip) from="seeds in corpus/$t/" ;; *) from="its install() in fuzz/targets/CMakeLists.txt" ;; esac
        [ -s "$tmp/out/$want" ] || bad "no $want in \$OUT (see $from)"
    done
    if [ -f "$tmp/out/$t.options" ] && ! grep -q '^\[libfuzzer\]' "$tmp/out/$t.options"; then
        bad "$t.options has no [libfuzzer] section"
    fi
    seed=""
    if [ -s "$tmp/out/${t}_seed_corpus.zip" ]; then
        mkdir -p "$tmp/seed-$t"
        unzip -q -o "$tmp/out/${t}_seed_corpus.zip" -d "$tmp/seed-$t" ||
            bad "${t}_seed_corpus.zip does not unzip"
        seed=$(find "$tmp/seed-$t" -type f | sort | sed -n 1p)
    fi
    [ -n "$seed" ] || { seed=$tmp/seed-$t.empty; : >"$seed"; }
    # libFuzzer says "Executed"; libAFLDriver runs file arguments silently.
    if (cd "$tmp/work" && timeout 60 "$tmp/out/$t" -runs=1 "$seed") >"$tmp/run-$t.log" 2>&1 \
        && { [ "$engine" = afl ] || grep -q 'Executed' "$tmp/run-$t.log"; }; then
        echo "oss-fuzz-check: $t runs $(basename "$seed")"
    else
        bad "$t did not run $(basename "$seed") cleanly:"; tail -15 "$tmp/run-$t.log" >&2
    fi
done
[ $n -gt 0 ] || bad "no targets"
if [ $fail -eq 0 ]; then
    echo "oss-fuzz-check: OK: $n target(s) with seed corpus, dict and options ($sanitizer, $engine)"
fi
exit $fail
