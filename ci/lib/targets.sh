# shellcheck shell=bash
# The fuzz targets, from one place (sourced, run from the repository root).

# pf_targets BINDIR: the target names, one a line. `pasidfuzz targets` (the
# target registry) when the dev build has it, else the fuzz_* binaries of
# BINDIR.
pf_targets() {
    local list=""
    if [ -x build/dev/bin/pasidfuzz ]; then
        list=$(build/dev/bin/pasidfuzz targets 2>/dev/null | awk '$1 ~ /^fuzz_/ { print $1 }' || true)
    fi
    if [ -z "$list" ]; then
        list=$(find "$1" -maxdepth 1 -name 'fuzz_*' -type f -perm -u+x -printf '%f\n' 2>/dev/null)
    fi
    [ -z "$list" ] || printf '%s\n' "$list" | sort -u
}

# pf_max_len TARGET BINDIR: the max_len of BINDIR/<target>.options (the
# registry's MAX_LEN, written by the build), empty if none.
pf_max_len() {
    local f=$2/$1.options
    [ -f "$f" ] || return 0
    awk -F= '/^[ \t]*\[/ { sec = $0; gsub(/[][ \t]/, "", sec); next }
        sec == "libfuzzer" { k = $1; gsub(/[ \t]/, "", k); v = $2; gsub(/[ \t]/, "", v)
                             if (k == "max_len") print v }' "$f"
}
