#!/usr/bin/env bash
# pasidfuzz's command line: exit codes (0 clean, 1 violation, 2 bad usage,
# unreadable file or malformed text) and a FILE:LINE message for each way
# text can be malformed.
# Usage: pasidfuzz_cli.sh PASIDFUZZ PASIDFUZZ_MUTANT CORPUS_DIR
set -u
. "$(dirname "$0")/../ci/lib/common.sh"
[ $# -eq 3 ] || pf_usage 2
tool=$1 mutant=$2 corpus=$3
. "$(dirname "$0")/cli_expect.sh"
has() { # has FILE PATTERN DESCRIPTION
    grep -q -e "$2" "$1" || { echo "FAIL: $3: no '$2' in:"; cat "$1"; fail=1; }
}

expect 2 "no command" -- "$tool"
expect 0 "--help" -- "$tool" --help
expect 2 "unknown command" -- "$tool" frobnicate
expect 2 "unknown option" -- "$tool" decode --frob x
expect 2 "unknown target" -- "$tool" run --target fuzz_nope x
expect 2 "decode without file" -- "$tool" decode
expect 2 "encode without -o" -- "$tool" encode x.txt
expect 2 "decode of a missing file" -- "$tool" decode "$tmp/missing"
has "$tmp/err" "cannot read $tmp/missing" "missing file message"
expect 2 "run of a directory" -- "$tool" run "$tmp"
expect 2 "seed without scenarios" -- "$tool" seed "$tmp"

# Clean inputs, binary and text, in both dialects.
expect 0 "run clean seeds" -- "$tool" run "$corpus"/fuzz_pasid_cache/bind_first_stage.bin \
    "$corpus"/scenarios/fuzz_pasid_cache/did_change.txt
has "$tmp/out" "2 clean" "run summary"
expect 0 "run --target fuzz_lifecycle" -- "$tool" run --target fuzz_lifecycle \
    "$corpus"/fuzz_lifecycle/fail_every_call.bin
expect 2 "target line against --target" -- "$tool" run --target fuzz_lifecycle \
    "$corpus"/scenarios/fuzz_pasid_cache/did_change.txt
has "$tmp/err" "did_change.txt:[0-9]*:[0-9]*: target fuzz_pasid_cache conflicts" "conflict message"

# --trace: ops, MMIO writes and reads, backend calls, checks, verdict.
expect 0 "run --trace" -- "$tool" run --trace "$corpus"/scenarios/fuzz_pasid_cache/bind_first_stage.txt
for p in "^input: pasid-entry pasid=1 flags=p|sre|wpe|eafe pgtt=fs" "^op: pc-inv" "^mmio: write 0x088" \
         "^mmio: read 0x01c" "^hb: attach dev=1 pasid=1" "^check: " "^oracle: pasid-cache" \
         "bind_first_stage.txt: clean"; do
    has "$tmp/out" "$p" "trace line $p"
done

# A violation. With no bug in the model no input breaks an invariant, so
# this runs the tool built over the model with mutant deleted-flag-sticky
# (fuzz/cli/CMakeLists.txt) on the seed written to catch it; the abort in
# the child becomes a verdict naming the violation and exit status 1.
seed="$corpus"/scenarios/fuzz_pasid_cache/deleted_then_replay_same_pasid.txt
cp "$seed" "$tmp/violation.txt"
expect 0 "the seed is clean on the real model" -- "$tool" run "$seed"
expect 1 "run of a violating input" -- "$mutant" run "$tmp/violation.txt" \
    "$corpus"/fuzz_pasid_cache/bind_first_stage.bin
has "$tmp/out" "violation.txt: VIOLATION oracle-mismatch" "violation verdict"
has "$tmp/out" "bind_first_stage.bin: clean" "the run goes on after a violation"
has "$tmp/err" "^pasidfuzz: VIOLATION oracle-mismatch: " "the VIOLATION line is shown"
expect 1 "--trace up to the violation" -- "$mutant" run --trace "$tmp/violation.txt"
has "$tmp/out" "^input: pc-inv g=pasid pasid=1" "trace before the abort"
expect 2 "unreadable outranks a violation" -- "$mutant" run "$tmp/violation.txt" "$tmp/missing"

# Round trip of odd inputs: short header, non-canonical code bytes,
# truncated last op, in both dialects.
printf '\001\002\003' >"$tmp/short.bin"
head -c 72 /dev/zero >"$tmp/odd.bin"; printf '\055\001\002\003\377\006\007' >>"$tmp/odd.bin"
for t in fuzz_pasid_cache fuzz_lifecycle; do
    for f in short odd; do
        expect 0 "decode $f $t" -- "$tool" decode --target $t "$tmp/$f.bin"
        cp "$tmp/out" "$tmp/$f.$t.txt"
        expect 0 "encode $f $t" -- "$tool" encode "$tmp/$f.$t.txt" -o "$tmp/$f.$t.bin"
        cmp -s "$tmp/$f.bin" "$tmp/$f.$t.bin" || { echo "FAIL: $f $t round trip"; fail=1; }
    done
done
has "$tmp/odd.fuzz_pasid_cache.txt" "^pc-inv@45 " "non-canonical code kept"
has "$tmp/odd.fuzz_pasid_cache.txt" "^tail " "truncated op as tail"
has "$tmp/short.fuzz_pasid_cache.txt" "^tail 010203" "short header as tail"

# Malformed text: exit 2 and FILE:LINE:COL: message, one case per error path.
bad() { # bad LINE COL PATTERN TEXT
    printf '%b' "$4" >"$tmp/bad.txt"
    expect 2 "malformed: $3" -- "$tool" encode "$tmp/bad.txt" -o "$tmp/bad.bin"
    has "$tmp/err" "^$tmp/bad.txt:$1:$2: .*$3" "message for $3"
}
bad 1 1 "unknown op 'frob'" "frob dev=1\n"
bad 2 6 "expected FIELD=VALUE" "sync\nplug 1\n"
bad 1 13 "has no field 'x'" "pasid-entry x=1\n"
bad 1 12 "field dev given twice" "plug dev=1 dev=2\n"
bad 2 10 "does not fit in 1 byte" "# c\nplug dev=256\n"
bad 1 12 "bad number '12z'" "unplug dev=12z\n"
bad 1 12 "bad number '99999999999999999999'" "unplug dev=99999999999999999999\n"
bad 1 26 "bad value 'zz' for field pgtt" "pasid-entry flags=p pgtt=zz\n"
bad 1 14 "'|' joins flag names" "gcmd cmd=srtp|te-on\n"
bad 1 15 "bad value '' for field flags" "wait flags=if||sw\n"
bad 1 6 "bad code byte '256'" "sync@256\n"
bad 2 6 "code 45 is pc-inv in fuzz_pasid_cache, not sync" "target fuzz_pasid_cache\nsync@45\n"
bad 2 1 "target must come before" "sync\ntarget fuzz_lifecycle\n"
bad 1 8 "unknown target 'fuzz_x'" "target fuzz_x\n"
bad 1 1 "target needs a name" "target\n"
bad 1 23 "target takes one name" "target fuzz_lifecycle x\n"
bad 2 1 "header must come before the ops" "sync\nheader ndev=1\n"
bad 1 8 "header has no field 'bogus'" "header bogus=1\n"
bad 2 1 "only tail lines may follow a tail" "tail 00\nsync\n"
bad 1 6 "odd count" "tail 0a0\n"
bad 1 8 "bad hex byte 'zz'" "tail 0azz\n"
bad 1 1 "tail needs hex bytes" "tail\n"
bad 1 6 "NUL byte" "sync \0\n"

# The raw-byte targets: replay (binary and text), round trip of odd inputs,
# and their own ways to be malformed.
expect 0 "run fuzz_inv_queue seed" -- "$tool" run --target fuzz_inv_queue \
    "$corpus"/fuzz_inv_queue/all_types.bin
has "$tmp/out" "all_types.bin: clean" "fuzz_inv_queue verdict"
expect 0 "run --trace fuzz_pasid_table seed" -- "$tool" run --trace --target fuzz_pasid_table \
    "$corpus"/fuzz_pasid_table/aliased_root.bin
has "$tmp/out" "^op: fill windows" "fuzz_pasid_table's own trace"
has "$tmp/out" "^check: " "fuzz_pasid_table trace has checks"
expect 0 "decode fuzz_inv_queue seed" -- "$tool" decode --target fuzz_inv_queue \
    "$corpus"/fuzz_inv_queue/all_types.bin
has "$tmp/out" "^desc type=wait " "named command fields"
cp "$tmp/out" "$tmp/iq.txt"
expect 0 "run decoded fuzz_inv_queue text" -- "$tool" run "$tmp/iq.txt"
expect 2 "raw target text against --target" -- "$tool" run --target fuzz_pasid_table "$tmp/iq.txt"
head -c 1508 /dev/zero >"$tmp/ptodd.bin"; printf '\001\002\003\004\005\006\007\010\011\012\013\014\015' >>"$tmp/ptodd.bin"
printf '\000\000\013\001\002\003\004\005\006\001\002\003' >"$tmp/iqodd.bin"
for c in "fuzz_inv_queue iqodd" "fuzz_inv_queue short" "fuzz_pasid_table ptodd" "fuzz_pasid_table short"; do
    read -r t f <<<"$c"
    expect 0 "decode $f $t" -- "$tool" decode --target "$t" "$tmp/$f.bin"
    cp "$tmp/out" "$tmp/$f.$t.txt"
    expect 0 "encode $f $t" -- "$tool" encode "$tmp/$f.$t.txt" -o "$tmp/$f.$t.bin"
    cmp -s "$tmp/$f.bin" "$tmp/$f.$t.bin" || { echo "FAIL: $f $t round trip"; fail=1; }
done
has "$tmp/iqodd.fuzz_inv_queue.txt" "^iqt@11 mode=value value=0x5040302$" "non-canonical command code kept"
has "$tmp/iqodd.fuzz_inv_queue.txt" "^tail 06010203" "truncated command as tail"
has "$tmp/ptodd.fuzz_pasid_table.txt" "^edit where=1 index=770 value=0xb0a090807060504$" "an edit"
has "$tmp/ptodd.fuzz_pasid_table.txt" "^tail 0c0d" "truncated edit as tail"
has "$tmp/short.fuzz_pasid_table.txt" "^tail 010203" "short header as tail"
head -c 40 /dev/zero >"$tmp/ptcut.bin"; printf '\001\002' >>"$tmp/ptcut.bin"
expect 0 "decode an input cut inside the windows" -- "$tool" decode --target fuzz_pasid_table "$tmp/ptcut.bin"
has "$tmp/out" "^cut ctx page=a dev=0$" "cut names the record the input ends in"
has "$tmp/out" "^tail 000000000102$" "the cut record's bytes as tail"
cp "$tmp/out" "$tmp/ptcut.txt"
expect 0 "encode a cut input" -- "$tool" encode "$tmp/ptcut.txt" -o "$tmp/ptcut2.bin"
cmp -s "$tmp/ptcut.bin" "$tmp/ptcut2.bin" || { echo "FAIL: cut round trip"; fail=1; }
bad 2 5 "ctx needs page=VALUE" "target fuzz_pasid_table\nctx dev=0 page=a\n"
bad 2 4 "no pe table=4 entry=0" "target fuzz_pasid_table\npe table=4 entry=0\n"
bad 3 1 "root must come before the edits" "target fuzz_pasid_table\nedit value=1\nroot bus0=1\n"
bad 2 5 "edit has no code byte" "target fuzz_pasid_table\nedit@3 value=1\n"
bad 2 1 "unknown line 'frob'" "target fuzz_pasid_table\nfrob\n"
bad 3 1 "cut ends the input inside the prelude" "target fuzz_pasid_table\nedit value=1\ncut root\n"
bad 3 1 "only tail lines may follow a cut" "target fuzz_pasid_table\ncut root\nroot bus0=1\n"
bad 3 5 "a line above sets fields past the cut" "target fuzz_pasid_table\nroot bus0=1\ncut root\n"
bad 2 5 "cut comes before a prelude record" "target fuzz_pasid_table\ncut edit\n"
bad 2 6 "code 4 is queue in fuzz_inv_queue, not skip" "target fuzz_inv_queue\nskip@4 n=1\n"
bad 2 1 "unknown command 'pasid-entry'" "target fuzz_inv_queue\npasid-entry pasid=1\n"
bad 2 6 "tail takes hex bytes, not FIELD=VALUE" "target fuzz_inv_queue\ntail mode=1\n"
exit $fail
