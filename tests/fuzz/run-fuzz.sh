#!/bin/sh
# Runs each libFuzzer binary for SECONDS, seeded with the shared vectors and, where present,
# tests/fuzz/seeds/NAME/ (copied into a fresh corpus directory beside the binary).
# Exits non-zero if any target found a crash.  Run from the repository root.
set -u
secs=$1
shift
shared=${UVS_SHARED:-../shared}
status=0
for f in "$@"; do
    name=$(basename "$f")
    out=$(dirname "$f")
    corpus=$out/corpus-$name
    mkdir -p "$corpus"
    cp "$shared"/vectors/asrcb/*_one "$shared"/vectors/sehdr/*.hdr "$corpus"/ 2>/dev/null
    [ -d "tests/fuzz/seeds/$name" ] && cp tests/fuzz/seeds/"$name"/* "$corpus"/ 2>/dev/null
    # 200000 bytes reach an SE image's metadata at 0xC000 and the header behind it.
    if "$f" -max_total_time="$secs" -max_len=200000 -rss_limit_mb=2048 \
        -artifact_prefix="$out/$name-" "$corpus" >"$out/$name.log" 2>&1; then
        echo "fuzz $name: clean for ${secs}s ($(grep -o "Done [0-9]* runs" "$out/$name.log"))"
    else
        echo "fuzz $name: FAILED (see $out/$name.log)"
        status=1
    fi
done
exit $status
