#!/bin/sh
# Runs each libFuzzer binary for SECONDS, seeded with the shared vectors (copied into a
# fresh corpus directory per target).  Exits non-zero if any target found a crash.
set -u
secs=$1
shift
status=0
for f in "$@"; do
    name=$(basename "$f")
    corpus=build/fuzz/corpus-$name
    mkdir -p "$corpus"
    cp ../shared/vectors/asrcb/*_one ../shared/vectors/sehdr/*.hdr "$corpus"/ 2>/dev/null
    if "$f" -max_total_time="$secs" -max_len=70000 -rss_limit_mb=2048 \
        -artifact_prefix=build/fuzz/"$name"- "$corpus" >build/fuzz/"$name".log 2>&1; then
        echo "fuzz $name: clean for ${secs}s ($(grep -o "Done [0-9]* runs" build/fuzz/"$name".log))"
    else
        echo "fuzz $name: FAILED (see build/fuzz/$name.log)"
        status=1
    fi
done
exit $status
