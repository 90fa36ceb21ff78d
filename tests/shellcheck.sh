#!/usr/bin/env bash
# Runs shellcheck over every shell script of the repository: ci/ and its
# subfolders, tests/, .ci/run and .clusterfuzzlite/. The files are found
# when the test runs, so a new script is checked without a CMake change;
# .shellcheckrc at the root lets shellcheck follow the sourced helpers.
# Exit status: 0 clean, 1 a warning (listed), 2 bad usage, 77 (ctest's
# skip) when shellcheck is not installed (ci/install-deps.sh installs it).
# Usage: shellcheck.sh SOURCE_DIR
set -euo pipefail
. "$(dirname "$0")/../ci/lib/common.sh"
[ $# -eq 1 ] || pf_usage 2
cd "$1"
if ! command -v shellcheck >/dev/null 2>&1; then
    echo "SKIP: shellcheck is not installed (ci/install-deps.sh installs it)"
    exit 77
fi
mapfile -t files < <({ find ci -name '*.sh' -type f; find tests .clusterfuzzlite -maxdepth 1 -name '*.sh' -type f
                       [ ! -f .ci/run ] || echo .ci/run; } 2>/dev/null | sort)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no shell scripts found under $PWD"; exit 1; }
if ! shellcheck "${files[@]}"; then
    echo "FAIL: shellcheck warnings above"
    exit 1
fi
echo "ok: ${#files[@]} scripts shellcheck clean"
