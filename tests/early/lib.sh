# Shared helpers of the uvsecret-early shell tests (sourced; run from the repo root).
. tests/lib/tap.sh
B=${EARLY_BUILD:-build}
E=$B/test/early/uvsecret-early-sim
STATIC=$B/uvsecret-early
S=${UVS_SHARED:-../shared}
export UVS_SHARED=$S
HDR=$S/vectors/sehdr/test_hdr_plain.hdr
# The request maker; it exits on errors without freeing its mbedTLS contexts, so leak
# reports are off for it (the checked binaries keep them on).
mkreq() { ASAN_OPTIONS=detect_leaks=0 "$B/test/early/mkreq" --hdr "$HDR" "$@"; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/uvsecret-early-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
sim_on() {
    export UVSIM_HDR=$HDR UVSIM_HOST_KEYS=$S/vectors/pki/host.key UVSIM_STATE=$1
    mkdir -p "$1"
}
# total_num_secrets of the simulated store
total() { "$E" list --format json 2>/dev/null | sed -n 's/^{"total_num_secrets":\([0-9]*\).*/\1/p'; }
