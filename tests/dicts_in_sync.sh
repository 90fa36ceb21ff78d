#!/usr/bin/env bash
# The build's dictionaries (BINDIR/NAME.dict, written at build time) must
# be exactly what `pasidfuzz dict` writes from the code as it is now, so a
# renumbering of an op, a command or an operand cannot leave one stale; and
# no dictionary is kept in the source tree, where nothing would regenerate
# it.
# Usage: dicts_in_sync.sh PASIDFUZZ BINDIR SRCDIR
set -euo pipefail
. "$(dirname "$0")/../ci/lib/common.sh"
[ "${1:-}" != --help ] || pf_usage 0
[ $# -eq 3 ] || pf_usage 2
tool=$1 bin=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 count=0
targets=$("$tool" targets) || { echo "FAIL: pasidfuzz targets failed"; exit 1; }
for t in $targets; do
    count=$((count + 1))
    if ! "$tool" dict -o "$tmp/$t.dict" "$t"; then
        echo "FAIL: pasidfuzz dict $t failed"
        fail=1
    elif ! cmp -s "$tmp/$t.dict" "$bin/$t.dict"; then
        echo "FAIL: $bin/$t.dict differs from what the code writes (the build did not regenerate it)"
        fail=1
    fi
done
while IFS= read -r f; do
    echo "FAIL: $f: dictionaries are written by the build (fuzz/targets/CMakeLists.txt), not kept"
    fail=1
done < <(find "$src/fuzz" "$src/corpus" -name '*.dict' 2>/dev/null)
[ "$count" -gt 0 ] || { echo "FAIL: no targets"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $count dictionaries in sync"
exit $fail
