#!/bin/sh
# Runs each test program given as an argument and sums their TAP lines.
# A program passes a check per "ok" line and fails one per "not ok" line; a program
# that exits non-zero without having reported a failure counts as one failure (crash,
# sanitizer report, missing binary).  Ends with the line "N passed, N failed".
set -u
passed=0
failed=0
logdir=${TEST_LOGDIR:-build/test-logs}
mkdir -p "$logdir"
for t in "$@"; do
    name=$(echo "$t" | tr '/ ' '__')
    log="$logdir/$name.log"
    "./$t" >"$log" 2>&1 </dev/null
    rc=$?
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        failed=$((failed + 1))
        echo "not ok - $t exited with status $rc (see $log)"
        tail -n 20 "$log" | sed 's/^/    /'
    elif [ "$f" -ne 0 ]; then
        echo "FAIL $t: $p passed, $f failed (see $log)"
        grep -A3 '^not ok ' "$log" | head -n 60 | sed 's/^/    /'
    else
        echo "PASS $t: $p checks"
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$rc" -eq 0 ]; then
        failed=$((failed + 1))
        echo "not ok - $t ran no checks"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
