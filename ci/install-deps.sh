#!/usr/bin/env bash
# Installs the toolchain pasidfuzz needs on Debian 12, only what is missing.
# Shared by every script of ci/, so a fresh machine needs no other step.
#
#   ci/install-deps.sh [--mutation]
#
# --mutation also installs what ci/measure/mutation.sh needs: libclang's
# Python bindings (python3-clang-14) for the mutant generator. ci/test.sh
# does not ask for them; its two mutation tests skip without them.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
mutation=0
case "${1:-}" in
    "") ;;
    --mutation) mutation=1 ;;
    -h|--help) pf_usage 0 ;;
    *) echo "install-deps.sh: unknown argument '$1'" >&2; pf_usage 2 ;;
esac

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_cmd cmake cmake
need_cmd ninja ninja-build
need_cmd clang clang
need_cmd llvm-profdata llvm
need_cmd llvm-cov llvm
need_cmd afl-clang-fast afl++
need_cmd gcc gcc
need_cmd zip zip
need_cmd unzip unzip          # ci/oss-fuzz-check.sh reads the seed corpus zips
need_cmd llvm-symbolizer llvm  # symbolized stacks for triage crash states
need_cmd gnuplot gnuplot-nox   # ci/fuzz-report.sh plots
need_cmd chromium chromium     # the campaign report test renders report.html
need_cmd shellcheck shellcheck # the shellcheck ctest and ci/presubmit.sh
need_cmd qemu-system-x86_64 qemu-system-x86  # QEMU findings: replay, triage, reproducers
# libFuzzer and the sanitizer runtimes come with libclang-rt-14-dev.
if ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
    missing+=(libclang-rt-14-dev)
fi
if [ $mutation = 1 ] && ! /usr/bin/python3 -c 'import clang.cindex' 2>/dev/null; then
    missing+=(python3 python3-clang-14)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
# Deduplicate (llvm may be listed twice).
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
