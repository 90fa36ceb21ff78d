#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: the project's own CMake build
# with the ossfuzz engine (README.md, "Builds"). CMake takes $CC $CXX
# $CFLAGS $CXXFLAGS from the environment and links every target with
# $LIB_FUZZING_ENGINE; `cmake --install` puts each target with its
# <target>_seed_corpus.zip, .dict and .options into $OUT.
# Source tree: $SRC/pasidfuzz, or the tree this script is in.
for v in CC CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE OUT WORK; do
    if [ -z "${!v+x}" ]; then
        echo "build.sh: \$$v is not set (run under OSS-Fuzz, or see ci/oss-fuzz-check.sh)" >&2
        exit 2
    fi
done
src=${SRC:-}/pasidfuzz
[ -f "$src/CMakeLists.txt" ] || src=$(cd "$(dirname "$0")/../.." && pwd)
# A fresh configure: CMake reads $CC and $CFLAGS only into a new cache,
# and $WORK outlives builds for other sanitizers and engines. No -Werror:
# the infrastructure's clang is newer than the one CI uses.
build=$WORK/pasidfuzz-build
rm -rf "$build"
cmake -S "$src" -B "$build" -DPF_FUZZ_ENGINE=ossfuzz \
      -DPF_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" -DPF_TESTS=OFF -DPF_WERROR=OFF
cmake --build "$build" --parallel "$(nproc)"
cmake --install "$build" --prefix "$OUT"
