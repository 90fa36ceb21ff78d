#!/usr/bin/env bash
# Every input of a target's corpus and reproducers decodes to text that
# encodes back to the same bytes. The text names its target, so encode is
# not told it. A DIR holds inputs, or reproducer folders NAME/input.bin.
# Usage: text_roundtrip.sh PASIDFUZZ TARGET DIR...
set -u
. "$(dirname "$0")/../ci/lib/common.sh"
[ $# -ge 3 ] || pf_usage 2
tool=$1 target=$2; shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 count=0
for dir in "$@"; do
    [ -d "$dir" ] || continue
    for f in "$dir"/* "$dir"/*/input.bin; do
        { [ -f "$f" ] && [ "$(basename "$f")" != README.md ]; } || continue
        count=$((count + 1))
        if ! "$tool" decode --target "$target" "$f" >"$tmp/t.txt"; then
            echo "FAIL: decode $f"; fail=1; continue
        fi
        if ! "$tool" encode "$tmp/t.txt" -o "$tmp/t.bin"; then
            echo "FAIL: encode of decoded $f"; fail=1; continue
        fi
        cmp -s "$f" "$tmp/t.bin" || { echo "FAIL: $f: round trip changed the bytes"; fail=1; }
        # A reproducer's own input.txt is its input too.
        txt=$(dirname "$f")/input.txt
        if [ "$(basename "$f")" = input.bin ] && [ -f "$txt" ]; then
            { "$tool" encode "$txt" -o "$tmp/r.bin" && cmp -s "$f" "$tmp/r.bin"; } ||
                { echo "FAIL: $txt does not encode to $f"; fail=1; }
        fi
    done
done
[ "$count" -gt 0 ] || { echo "FAIL: no inputs for $target"; exit 1; }
[ $fail -eq 0 ] && echo "ok: $count input(s) of $target round-trip"
exit $fail
