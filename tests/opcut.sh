#!/usr/bin/env bash
# pf_opcut against byte arithmetic done here: dropping ops [i, i+k) must give
# exactly the bytes before op i and from op i+k on, and count k fewer ops.
# With PASIDFUZZ and a fuzz_lifecycle seed, the framing must follow that
# target's dialect: as many ops as the text form has op lines.
# Usage: opcut.sh PF_OPCUT SEED_FILE [PASIDFUZZ LIFECYCLE_SEED]
set -u
. "$(dirname "$0")/../ci/lib/common.sh"
[ $# -eq 2 ] || [ $# -eq 4 ] || pf_usage 2
cut=$1 seed=$2 tool=${3:-} lseed=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

n=$("$cut" count "$seed") || { echo "FAIL: count exited $?"; exit 1; }
mapfile -t offs < <("$cut" offsets "$seed")
[ "$n" -ge 3 ] || bad "seed $seed has only $n ops; need 3"
[ "${#offs[@]}" -eq "$n" ] || bad "offsets lists ${#offs[@]} ops, count says $n"
size=$(stat -c %s "$seed")
for ((i = 1; i < ${#offs[@]}; i++)); do
    [ "${offs[i]}" -gt "${offs[i-1]}" ] || bad "offsets not increasing at $i"
done
offs+=("$size")

for i in 0 1 $((n - 2)); do
    for k in 1 2; do
        "$cut" drop "$seed" "$i" "$k" -o "$tmp/out" || { bad "drop $i $k exited $?"; continue; }
        { head -c "${offs[i]}" "$seed"; tail -c +"$(( offs[i + k] + 1 ))" "$seed"; } >"$tmp/want"
        cmp -s "$tmp/out" "$tmp/want" || bad "drop $i $k: bytes differ from the cut done here"
        m=$("$cut" count "$tmp/out")
        [ "$m" -eq $((n - k)) ] || bad "drop $i $k: $m ops left, want $((n - k))"
    done
done
if ! { "$cut" drop "$seed" 0 "$n" -o "$tmp/hdr" && [ "$(stat -c %s "$tmp/hdr")" -eq "${offs[0]}" ] \
        && [ "$("$cut" count "$tmp/hdr")" -eq 0 ]; }; then
    bad "dropping every op must leave the bare header"
fi

# A trailing partial op is still an op (the reader zero-pads it).
head -c $(( offs[n - 1] + 1 )) "$seed" >"$tmp/partial"
[ "$("$cut" count "$tmp/partial")" -eq "$n" ] || bad "partial last op not counted"

expect2() { "$@" >/dev/null 2>&1; local rc=$?; [ $rc -eq 2 ] || bad "exit $rc, want 2: ${*:2}"; }
expect2 "$cut"
expect2 "$cut" frobnicate "$seed"
expect2 "$cut" drop "$seed" "$n" 1 -o "$tmp/x"
expect2 "$cut" drop "$seed" 0 0 -o "$tmp/x"
expect2 "$cut" drop "$seed" 0 x -o "$tmp/x"
expect2 "$cut" drop "$seed" 0 1 "$tmp/x"
expect2 "$cut" --target fuzz_nothing count "$seed"
if [ -n "$lseed" ]; then
    want=$("$tool" decode --target fuzz_lifecycle "$lseed" | grep -cv '^\(#\|target \|header \|tail \|$\)')
    got=$("$cut" --target fuzz_lifecycle count "$lseed")
    [ "$got" = "$want" ] || bad "lifecycle dialect: $got ops, the text form has $want"
    plain=$("$cut" count "$lseed")
    [ "$plain" != "$want" ] || bad "lifecycle seed frames the same in both dialects; pick another seed"
fi
"$cut" count "$tmp/missing" >/dev/null 2>&1; [ $? -eq 1 ] || bad "missing file must exit 1"
[ $fail -eq 0 ] && echo "ok: pf_opcut ($n ops in $(basename "$seed"))"
exit $fail
