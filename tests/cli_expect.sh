# shellcheck shell=bash disable=SC2034 # fail is read by the scripts that source this
# Sourced by the command-line tests: a scratch folder $tmp (removed on exit),
# a failure flag $fail, and expect CODE DESCRIPTION -- command..., which runs
# the command with its output in $tmp/out and $tmp/err and checks its exit
# status, showing both outputs when it is wrong.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect CODE DESCRIPTION -- command...
    local want=$1 what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, want $want"; cat "$tmp/out" "$tmp/err"; fail=1
    else
        echo "ok: $what"
    fi
}
