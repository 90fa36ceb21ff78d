#!/usr/bin/env bash
# The committed dictionaries must be exactly what `pasidfuzz dict` writes,
# so a renumbering of an op, a command or an operand cannot leave one stale;
# and every fuzz/targets/*.dict belongs to a target.
# Usage: dicts_in_sync.sh PASIDFUZZ SRCDIR
set -euo pipefail
. "$(dirname "$0")/../ci/lib/common.sh"
[ "${1:-}" != --help ] || pf_usage 0
[ $# -eq 2 ] || pf_usage 2
tool=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 count=0
targets=$("$tool" targets) || { echo "FAIL: pasidfuzz targets failed"; exit 1; }
for t in $targets; do
    count=$((count + 1))
    if ! "$tool" dict -o "$tmp/$t.dict" "$t"; then
        echo "FAIL: pasidfuzz dict $t failed"
        fail=1
    elif ! cmp -s "$tmp/$t.dict" "$src/fuzz/targets/$t.dict"; then
        echo "FAIL: fuzz/targets/$t.dict differs (rerun pasidfuzz dict -o fuzz/targets/$t.dict $t)"
        fail=1
    fi
done
for f in "$src"/fuzz/targets/*.dict; do
    grep -qx "$(basename "$f" .dict)" <<<"$targets" || { echo "FAIL: $f: no such target"; fail=1; }
done
[ "$count" -gt 0 ] || { echo "FAIL: no targets"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $count dictionaries in sync"
exit $fail
