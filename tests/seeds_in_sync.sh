#!/usr/bin/env bash
# The committed seeds must be exactly what the in-tree generator writes, so
# a change to the input format cannot silently leave stale seeds behind.
# Usage: seeds_in_sync.sh GENERATOR CORPUS_DIR [GENERATOR_ARG...]
# (the generator runs as: GENERATOR [GENERATOR_ARG...] OUTDIR)
set -u
gen=$1 corpus=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" "$@" "$tmp" >/dev/null || { echo "FAIL: generator failed"; exit 1; }
fail=0
for f in "$tmp"/*; do
    name=$(basename "$f")
    if ! cmp -s "$f" "$corpus/$name"; then
        echo "FAIL: $corpus/$name differs from the generator's output (rerun $(basename "$gen") ${*:+$* }$corpus)"
        fail=1
    fi
done
[ $fail -eq 0 ] && echo "ok: $(ls "$tmp" | wc -l) seeds in sync"
exit $fail
