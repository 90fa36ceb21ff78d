#!/usr/bin/env bash
# The test command: installs what is missing, builds the dev preset
# (ASan+UBSan) and runs every test: model and stub unit tests, corpus and
# reproducer replay. Non-zero exit on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev
