#!/bin/sh
# Bench of the boot job itself: `uvsecret-early boot` with 1, 16 and 64 requests on a
# config-disk directory, over the crypto-free stub UV (tests/early/uv_stub.c), so the time
# is the job's own (reading, copying to tmpfs, parsing, listing, status) without the
# simulated ultravisor's cryptography.  The binary is the shipping build with the stub
# transport linked in place of ioctl(2).
# Also prints the stripped sizes of both static binaries.
set -eu
B=${EARLY_BUILD:-build}
S=${UVS_SHARED:-../shared}
STUB=$B/test/early/uvsecret-early-bench
# /run is a tmpfs in an initramfs: bench on one too when there is one.
base=${TMPDIR:-/tmp}
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
TMP=$(mktemp -d "$base/uvsecret-early-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
ASAN_OPTIONS=detect_leaks=0 "$B/test/early/mkreq" --hdr "$S/vectors/sehdr/test_hdr_plain.hdr" \
    --type plain --use-name bench --secret x -o "$TMP/one.asr"
now_ns() { date +%s%N; }
for n in 1 16 64; do
    R=$TMP/r$n
    mkdir -p "$R/proc" "$R/run" "$R/cfg/uvsecret"
    echo "rd.uvsecret.disk=/cfg rd.uvsecret.timeout=0 rd.uvsecret.lock=0" >"$R/proc/cmdline"
    i=0
    while [ $i -lt $n ]; do
        # Distinct IDs so nothing is skipped: patch the ID bytes (S+16 = 0x518 + 16).
        cp "$TMP/one.asr" "$R/cfg/uvsecret/r$i.asr"
        printf "$(printf '\\%03o\\%03o' $((i / 256 + 1)) $((i % 256)))" |
            dd of="$R/cfg/uvsecret/r$i.asr" bs=1 seek=$((0x4B8 + 80 + 16 + 20)) conv=notrunc 2>/dev/null
        i=$((i + 1))
    done
    runs=5 best=
    k=0
    while [ $k -lt $runs ]; do
        t0=$(now_ns)
        "$STUB" boot --root "$R" >/dev/null 2>&1 || { echo "bench: boot failed for $n" >&2; exit 1; }
        t1=$(now_ns)
        us=$(( (t1 - t0) / 1000 ))
        [ -z "$best" ] || [ $us -lt $best ] && best=$us
        k=$((k + 1))
    done
    grep -q "\"reason\":\"$n added, $n found\"" "$R/run/uvsecret/status.json" ||
        { echo "bench: expected $n added" >&2; exit 1; }
    echo "bench uvsecret-early boot: $n request(s): best of $runs = $best us (stub UV, static musl -Os build, files on $base)"
done
for f in "$B/uvsecret-early" "$B/s390x/uvsecret-early"; do
    if [ -f "$f" ]; then
        echo "bench size $f: $(stat -c %s "$f") bytes (stripped, static)"
    else
        echo "bench size $f: not built (make cross)"
    fi
done
