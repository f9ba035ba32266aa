#!/bin/sh
# Benchmark of `uvsecret create association` (the optimised build/uvsecret): wall time
# for 1, 8 and 64 host-key documents (the same test host certificate repeated, with and
# without chain verification), requests per second over a batch of 200, and the bare
# cryptography of the same request measured in the same run (bench_crypto), with the
# overhead ratio CLI / bare.
BUILD=${BUILD:-build}
UVS=$BUILD/uvsecret
BARE=$BUILD/bench/bench_crypto
SHARED=${UVS_SHARED:-../shared}
PKI=$SHARED/vectors/pki
HDR=$SHARED/vectors/sehdr/test_hdr_plain.hdr
VERIFY="-C $PKI/inter_ca.crt -C $PKI/ibm.crt --root-ca $PKI/root_ca.chained.crt --crl $PKI/inter_ca.crl --crl $PKI/ibm.crl --offline"
T=$(mktemp -d /tmp/uvs-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
for f in "$UVS" "$BARE"; do
    [ -x "$f" ] || { echo "bench-cli: $f missing (make BUILD=$BUILD first)" >&2; exit 1; }
done
[ -f "$HDR" ] || { echo "bench-cli: vectors not found under $SHARED (set UVS_SHARED)" >&2; exit 1; }

now_ns() { date +%s%N; }
keys() { k="$PKI/host.crt"; i=1; while [ $i -lt "$1" ]; do k="$k,$PKI/host.crt"; i=$((i + 1)); done; echo "$k"; }
# time_create N REPS MODE -> mean microseconds per run
time_create() {
    n=$1; reps=$2; ks=$(keys "$n")
    if [ "$3" = verify ]; then opts=$VERIFY; else opts=--no-verify; fi
    t0=$(now_ns); r=0
    while [ $r -lt "$reps" ]; do
        "$UVS" -q create -k "$ks" $opts --hdr "$HDR" -o "$T/req.$r" association "bench $r" --stdout >/dev/null 2>&1 ||
            { echo "bench-cli: create failed" >&2; exit 1; }
        r=$((r + 1))
    done
    t1=$(now_ns)
    echo $(( (t1 - t0) / 1000 / reps ))
}

echo "uvsecret create association benchmark ($(uname -m), $(nproc) CPUs)"
printf '%-6s %12s %12s %12s %12s %10s\n' keys "cli-noverify" "cli-verify" "bare-crypto" "cli-process" "overhead"
for n in 1 8 64; do
    reps=10; [ $n -eq 64 ] && reps=5
    nv=$(time_create $n $reps noverify) && v=$(time_create $n $reps verify) || exit 1
    bare=$("$BARE" $n 10 | sed -n 's/^bare_us [0-9]* \([0-9.]*\)$/\1/p')
    bare_int=${bare%.*}; [ "$bare_int" -gt 0 ] || bare_int=1
    ratio=$(awk "BEGIN { printf \"%.2f\", $nv / $bare }")
    printf '%-6s %10sus %10sus %10sus %10sus %9sx\n' $n "$nv" "$v" "$bare" $((nv - bare_int)) "$ratio"
done
"$BARE" 1 20 | sed 's/^/bare breakdown (1 key): /'
# Process start alone (dynamic loading of mbedTLS and libcurl with its dependencies).
t0=$(now_ns); i=0
while [ $i -lt 20 ]; do "$UVS" --version >/dev/null 2>&1; i=$((i + 1)); done
t1=$(now_ns)
echo "process start (uvsecret --version): $(( (t1 - t0) / 1000 / 20 ))us, $(ldd "$UVS" 2>/dev/null | wc -l) shared libraries"

# Batch: 200 requests, one host key, verified chain.
t0=$(now_ns)
i=0
while [ $i -lt 200 ]; do
    "$UVS" -q create -k "$PKI/host.crt" $VERIFY --hdr "$HDR" -o "$T/b.$i" association "batch $i" --stdout >/dev/null 2>&1 ||
        { echo "bench-cli: batch create failed" >&2; exit 1; }
    i=$((i + 1))
done
t1=$(now_ns)
us=$(( (t1 - t0) / 1000 ))
bare=$("$BARE" 1 50 | sed -n 's/^bare_us 1 \([0-9.]*\)$/\1/p')
awk "BEGIN { printf \"batch of 200 (1 key, verified): %.1f requests/s (%.0f us each); bare crypto %.0f us -> overhead ratio %.2fx\n\", 200e6 / $us, $us / 200, $bare, ($us / 200) / $bare }"
