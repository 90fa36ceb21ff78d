#!/usr/bin/env bash
# The test command: installs what is missing, builds the dev preset
# (ASan+UBSan) and runs every test: model and stub unit tests, corpus and
# reproducer replay. Non-zero exit on any failure.
#
#   ci/test.sh
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$pf_root"
case "${1:-}" in
    "") ;;
    -h|--help) pf_usage 0 ;;
    *) echo "test.sh: takes no arguments" >&2; pf_usage ;;
esac

ci/install-deps.sh
pf_build_preset dev
ctest --preset dev
