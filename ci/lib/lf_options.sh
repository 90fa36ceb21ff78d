# shellcheck shell=bash
# Sourced by ci/fuzz.sh and ci/presubmit.sh (from the repository root).
# The [libfuzzer] section of fuzz/targets/<target>.options (OSS-Fuzz's
# format), as -key=value flags; a dict named there is a file beside it.
lf_options() { # target
    local dir=$PWD/fuzz/targets
    local f=$dir/$1.options
    [ -f "$f" ] || { [ -f "$dir/$1.dict" ] && echo "-dict=$dir/$1.dict"; return 0; }
    awk -v dir="$dir" '
        /^[ \t]*\[/ { sec = $0; gsub(/[][ \t]/, "", sec); next }
        sec == "libfuzzer" && /=/ {
            k = $0; sub(/=.*/, "", k); gsub(/[ \t]/, "", k)
            v = $0; sub(/^[^=]*=/, "", v); gsub(/^[ \t]+|[ \t]+$/, "", v)
            if (k == "dict") v = dir "/" v
            if (k != "") print "-" k "=" v
        }' "$f"
}
