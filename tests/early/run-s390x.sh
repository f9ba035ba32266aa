#!/bin/sh
# Runs the s390x (big-endian, static musl + BearSSL) builds of the guest unit tests under
# qemu-s390x-static and passes their TAP lines through, renumbered into one stream.
# Usage: run-s390x.sh PROG...   (from the repository root)
. tests/lib/tap.sh
QEMU=${QEMU_S390X:-qemu-s390x-static}
for p in "$@"; do
    name=${p##*/}
    out=$("$QEMU" "$p" 2>&1)
    rc=$?
    echo "$out" | grep -E '^(ok|not ok) ' | while IFS= read -r line; do
        echo "# s390x $name: $line"
    done
    pass=$(echo "$out" | grep -c '^ok ')
    fail=$(echo "$out" | grep -c '^not ok ')
    [ "$rc" -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
    ok $? "s390x $name: $pass checks passed, $fail failed under $QEMU (exit $rc)"
    echo "$out" | grep '^not ok ' | sed 's/^/#   /'
done
tap_done
