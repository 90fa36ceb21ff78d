#!/usr/bin/env bash
# Every row of the target registry (fuzz/input/targets.def, as `pasidfuzz
# targets --long` lists it) is a whole target: a built binary whose
# --input-format agrees with the row, with NAME.dict and NAME.options
# beside it (libFuzzer's section, a max_len, the dictionary), and a text
# form that knows it.
# Usage: registry.sh PASIDFUZZ BINDIR
set -euo pipefail
. "$(dirname "$0")/../ci/lib/common.sh"
[ "${1:-}" != --help ] || pf_usage 0
[ $# -eq 2 ] || pf_usage 2
tool=$1 bin=$2
fail=0 rows=0
bad() { echo "FAIL: $*"; fail=1; }
list=$("$tool" targets --long) || { echo "FAIL: pasidfuzz targets --long failed"; exit 1; }
[ "$("$tool" targets)" = "$(cut -f1 <<<"$list")" ] || bad "targets and targets --long disagree"
# NAME.options: a [libfuzzer] section with max_len = N and dict = NAME.dict.
check_options() {
    local name=$1 f=$bin/$1.options
    [ -s "$f" ] || { bad "$name: no $f"; return; }
    grep -qx '\[libfuzzer\]' "$f" || bad "$name: $f has no [libfuzzer] section"
    grep -Eqx 'max_len = [1-9][0-9]*' "$f" || bad "$name: $f has no max_len"
    grep -qx "dict = $name.dict" "$f" || bad "$name: $f does not name $name.dict"
}
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
    check_options "$name"
    [ -s "$bin/$name.dict" ] || bad "$name: no $bin/$name.dict"
    "$tool" decode --target "$name" /dev/null | grep -qx "target $name" ||
        bad "$name: the text form does not know it"
done <<<"$list"
"$tool" targets extra >/dev/null 2>&1 && bad "targets took an operand"
[ $rows -gt 0 ] || bad "no rows"
[ $fail -eq 0 ] && echo "ok: $rows targets, each with a binary, a dialect or raw bytes, a text format, .dict and .options"
exit $fail
