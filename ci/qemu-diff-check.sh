#!/usr/bin/env bash
# Replays every corpus differentially (pf_qemu diff: the model and QEMU in
# lockstep) and compares the divergences with the ones written down in
# qemu/expected-divergences.tsv, each with its verdict (model/BEHAVIOUR.md,
# "Where QEMU 7.2 differs"). A new divergence, or a listed one that is
# gone, fails: the first is a finding to give a verdict, the second a fix
# to record. The list holds for the QEMU version named on its first line;
# another QEMU is skipped with the reason. A verdict may name reproducers
# (`<target>/qemu-<hash>`, under reproducers/): each must be there, open,
# for the list's QEMU version.
#
#   ci/qemu-diff-check.sh [--build DIR] [--update]
#
# --build   the dev build holding bin/pf_qemu (default build/dev)
# --update  rewrite the list's divergence lines from this run, keeping the
#           verdicts of lines that stay (new ones get "verdict?")
# Exit status: 0 as listed, 1 a difference, 2 bad usage or no pf_qemu,
# 77 no QEMU or another QEMU version than the list's.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
cd "$pf_root"

build=build/dev update=0
while [ $# -gt 0 ]; do
    case "$1" in
        --build) [ $# -ge 2 ] || pf_usage; build=$2; shift 2 ;;
        --update) update=1; shift ;;
        -h|--help) pf_usage 0 ;;
        *) echo "qemu-diff-check: unknown argument '$1'" >&2; pf_usage ;;
    esac
done
pfq=$build/bin/pf_qemu
list=qemu/expected-divergences.tsv
want=$(sed -n '1s/^# qemu: //p' "$list")
# Says what is wrong with each reproducer a verdict names.
named_reproducers() {
    local r m
    grep -v '^#' "$list" | cut -f3 | { grep -oE 'fuzz_[a-z0-9_]+/qemu-[0-9a-f]{8}' || true; } | sort -u |
    while read -r r; do
        m=reproducers/$r/metadata
        if [ ! -f "$m" ]; then echo "$list names reproducer $r, which is not in reproducers/"
        elif ! grep -qx 'expected: open' "$m"; then echo "$list names $r, which is not open"
        elif ! grep -qxF "qemu-version: $want" "$m"; then echo "$list names $r, found on another QEMU than '$want'"
        fi
    done
}
stale=$(named_reproducers)
[ -z "$stale" ] || { echo "qemu-diff-check: $stale" | sed '2,$s/^/qemu-diff-check: /'; exit 1; }
[ -x "$pfq" ] || { echo "qemu-diff-check: no $pfq (build the dev preset)" >&2; exit 2; }
info=$("$pfq" info 2>&1) || { echo "qemu-diff-check: SKIP: no usable QEMU: ${info##*$'\n'}"; exit 77; }
have=$(sed -n 's/^qemu: [^(]*(\(.*\))$/\1/p' <<<"$info" | head -1)
if [ "$update" -eq 0 ] && [ "$have" != "$want" ]; then
    echo "qemu-diff-check: SKIP: QEMU is '$have'; $list is for '$want'"
    exit 77
fi

# divergences: "<input>\t<finding>" per divergence, in corpus order.
divergences() {
    local t
    for t in $("$build/bin/pasidfuzz" targets); do
        { "$pfq" diff -k --target "$t" "corpus/$t" 2>&1 || true; } |
            awk '/^pasidfuzz: VIOLATION qemu-/ { sub(/^pasidfuzz: VIOLATION /, ""); sub(/ \(input\.qtest line [0-9]+\)$/, ""); f = $0 }
                 /^pf_qemu: the finding above is in / && f != "" { print $NF "\t" f; f = "" }'
    done
}
got=$(mktemp) && trap 'rm -f "$got"' EXIT
divergences >"$got"
if [ "$update" -eq 1 ]; then
    { echo "# qemu: $have"
      echo "# input	divergence	verdict (model/BEHAVIOUR.md, \"Where QEMU 7.2 differs\")"
      awk -F'\t' 'NR == FNR { if ($0 !~ /^#/) v[$1 "\t" $2] = $3; next }
                  { k = $1 "\t" $2; print k "\t" (k in v ? v[k] : "verdict?") }' "$list" "$got"
    } >"$list.new" && mv "$list.new" "$list"
    echo "qemu-diff-check: wrote $list ($(wc -l <"$got") divergence(s))"
    exit 0
fi
if diff <(grep -v '^#' "$list" | cut -f1,2) "$got" >/dev/null; then
    echo "qemu-diff-check: $(wc -l <"$got") divergence(s), each listed with its verdict"
    exit 0
fi
echo "qemu-diff-check: divergences differ from $list (< listed, > this run):"
diff <(grep -v '^#' "$list" | cut -f1,2) "$got" | grep '^[<>]' || true
exit 1
