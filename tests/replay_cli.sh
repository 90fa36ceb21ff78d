#!/usr/bin/env bash
# The standalone replay driver's command line: exit codes and messages for
# good and bad usage. Usage: replay_cli.sh TARGET_BINARY
set -u
. "$(dirname "$0")/../ci/lib/common.sh"
[ $# -eq 1 ] || pf_usage 2
bin=$1
. "$(dirname "$0")/cli_expect.sh"
: >"$tmp/empty"
head -c 517 /dev/zero | tr '\0' '\7' >"$tmp/sevens"
mkdir "$tmp/dir" && cp "$tmp/empty" "$tmp/sevens" "$tmp/dir/"
expect 2 "no arguments" -- "$bin"
expect 2 "--help" -- "$bin" --help
expect 2 "missing file" -- "$bin" "$tmp/does-not-exist"
grep -q "cannot stat" "$tmp/err" || { echo "FAIL: missing file message"; fail=1; }
expect 0 "empty input" -- "$bin" "$tmp/empty"
expect 0 "a directory" -- "$bin" "$tmp/dir"
grep -q "replayed 2 input(s)" "$tmp/out" || { echo "FAIL: directory count"; cat "$tmp/out"; fail=1; }
expect 0 "--trace" -- "$bin" --trace "$tmp/sevens"
if ! grep -q "^begin: " "$tmp/out" || ! grep -q "^end: digest " "$tmp/out"; then
    echo "FAIL: --trace printed no run"; fail=1
fi
cp "$tmp/out" "$tmp/trace"
expect 0 "--input-format" -- "$bin" --input-format
# An op-stream target's format is named after it (its op dialect), and its
# trace shows the ops; raw-byte targets say raw.
case "$(cat "$tmp/out")" in
    "$(basename "$bin")") grep -q "^op: " "$tmp/trace" || { echo "FAIL: --trace printed no op"; fail=1; } ;;
    raw) ;;
    *) echo "FAIL: --input-format printed '$(cat "$tmp/out")', want $(basename "$bin") or raw"; fail=1 ;;
esac
exit $fail
