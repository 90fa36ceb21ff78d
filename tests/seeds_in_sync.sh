#!/usr/bin/env bash
# The committed seeds must be exactly what `pasidfuzz seed` writes from the
# text scenarios, so a change to the input format or to a scenario cannot
# silently leave stale seeds behind.
# Usage: seeds_in_sync.sh PASIDFUZZ CORPUS_DIR
set -u
tool=$1 corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tool" seed -o "$tmp" "$corpus" >/dev/null || { echo "FAIL: pasidfuzz seed failed"; exit 1; }
fail=0 count=0
for f in "$tmp"/*/*.bin; do
    rel=${f#"$tmp"/}
    count=$((count + 1))
    if ! cmp -s "$f" "$corpus/$rel"; then
        echo "FAIL: $corpus/$rel differs from its scenario (rerun pasidfuzz seed)"
        fail=1
    fi
done
[ "$count" -gt 0 ] || { echo "FAIL: no seeds generated"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $count seeds in sync"
exit $fail
