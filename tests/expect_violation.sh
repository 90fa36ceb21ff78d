#!/usr/bin/env bash
# An open finding: a reproducer of a model bug not fixed yet must still end
# in the violation recorded beside it (FILE.expect), so the suite stays green
# while the bug is open and turns red the day it is fixed (then delete the
# .expect file and mark the finding fixed in reproducers/README.md).
# Usage: expect_violation.sh TARGET_BINARY FILE VIOLATION_ID
set -u
bin=$1 file=$2 id=$3
out=$("$bin" "$file" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "FAIL: $file replays clean: the finding looks fixed; delete $file.expect and record the fix in reproducers/README.md"
    exit 1
fi
if ! grep -q "pasidfuzz: VIOLATION $id:" <<<"$out"; then
    echo "FAIL: $file: expected VIOLATION $id, got:"
    echo "$out" | grep -m5 -E "VIOLATION|ERROR|pasidfuzz"
    exit 1
fi
echo "ok: $file still shows the open finding: $(grep -m1 -o "VIOLATION $id:.*" <<<"$out")"
