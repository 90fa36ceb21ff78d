# shellcheck shell=bash
# Sourced by the scripts that run libFuzzer binaries. The [libfuzzer]
# section of BINDIR/<target>.options (OSS-Fuzz's format, written by the
# build beside each binary from the registry, fuzz/input/targets.def), as
# -key=value flags; a dict named there is a file beside it.
lf_options() { # TARGET BINDIR
    local dir f
    dir=$(realpath -m "$2")
    f=$dir/$1.options
    [ -f "$f" ] || { echo "lf_options: no $f (a build from before .options were generated? build again)" >&2; return 0; }
    awk -v dir="$dir" '
        /^[ \t]*\[/ { sec = $0; gsub(/[][ \t]/, "", sec); next }
        sec == "libfuzzer" && /=/ {
            k = $0; sub(/=.*/, "", k); gsub(/[ \t]/, "", k)
            v = $0; sub(/^[^=]*=/, "", v); gsub(/^[ \t]+|[ \t]+$/, "", v)
            if (k == "dict") v = dir "/" v
            if (k != "") print "-" k "=" v
        }' "$f"
}
