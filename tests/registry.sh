#!/usr/bin/env bash
# Every row of the target registry (fuzz/input/targets.def, as `pasidfuzz
# targets --long` lists it) is a whole target: a built binary whose
# --input-format agrees with the row, fuzz/targets/NAME.c naming the row,
# NAME.options and NAME.dict; and every fuzz/targets/fuzz_*.c is a row.
# Usage: registry.sh PASIDFUZZ BINDIR SRCDIR
set -euo pipefail
. "$(dirname "$0")/../ci/lib/common.sh"
[ "${1:-}" != --help ] || pf_usage 0
[ $# -eq 3 ] || pf_usage 2
tool=$1 bin=$2 src=$3
fail=0 rows=0
bad() { echo "FAIL: $*"; fail=1; }
list=$("$tool" targets --long) || { echo "FAIL: pasidfuzz targets --long failed"; exit 1; }
[ "$("$tool" targets)" = "$(cut -f1 <<<"$list")" ] || bad "targets and targets --long disagree"
while IFS=$'\t' read -r name kind format; do
    rows=$((rows + 1))
    [[ "$name" =~ ^fuzz_[a-z0-9_]+$ ]] || bad "$name: not a fuzz_* name"
    case "$kind" in op-stream) want=$name ;; raw) want=raw ;; *) bad "$name: kind '$kind'"; want= ;; esac
    [ -n "$format" ] || bad "$name: no input format"
    if [ -x "$bin/$name" ]; then
        got=$("$bin/$name" --input-format) || got="(failed)"
        [ "$got" = "$want" ] || bad "$name: --input-format says '$got', the registry '$want'"
    else
        bad "$name: no binary $bin/$name"
    fi
    grep -q "PF_TARGET_BINARY(" "$src/fuzz/targets/$name.c" 2>/dev/null ||
        bad "$name: fuzz/targets/$name.c does not name its row"
    for ext in options dict; do
        [ -f "$src/fuzz/targets/$name.$ext" ] || bad "$name: no fuzz/targets/$name.$ext"
    done
    "$tool" decode --target "$name" /dev/null | grep -qx "target $name" ||
        bad "$name: the text form does not know it"
done <<<"$list"
for f in "$src"/fuzz/targets/fuzz_*.c; do
    n=$(basename "$f" .c)
    cut -f1 <<<"$list" | grep -qx "$n" || bad "$f: not a row of fuzz/input/targets.def"
done
"$tool" targets extra >/dev/null 2>&1 && bad "targets took an operand"
[ $rows -gt 0 ] || bad "no rows"
[ $fail -eq 0 ] && echo "ok: $rows targets, each with a binary, a dialect or raw bytes, a text format"
exit $fail
