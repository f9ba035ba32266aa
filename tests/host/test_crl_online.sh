#!/bin/sh
# Online CRL retrieval (HKV §6, docs/revocation.md): a fresh PKI from $(BUILD)/mkpki whose
# distribution points name a loopback HTTP server started here (tests/pki/crl_server.py,
# which logs every request and can redirect, hang or tamper).  Verification goes through
# $(BUILD)/test/pki/hkdverify, a thin driver of host-tools/hkd.c.  Loopback only.
. tests/lib/tap.sh
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
MKPKI=$BUILD/mkpki
HV=$BUILD/test/pki/hkdverify
T=$(mktemp -d /tmp/uvs-crl.XXXXXX)
SRV_PID=
cleanup() {
    [ -z "$SRV_PID" ] || kill "$SRV_PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export no_proxy='*'

WWW=$T/www
LOG=$T/requests
mkdir -p "$WWW"
: >"$LOG"
echo normal >"$WWW/.mode"
python3 tests/pki/crl_server.py "$WWW" "$T/port" "$LOG" &
SRV_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$T/port" 2>/dev/null)
[ -n "$PORT" ]
ok $? "loopback CRL server started (port $PORT)"
BASE=http://127.0.0.1:$PORT/a
P=$WWW/a

"$MKPKI" -o "$P" --crl-base "$BASE" --revoke-host --stale-crls >"$T/mkpki.out" 2>&1
ok $? "mkpki minted a PKI with distribution points under $BASE"
for f in root_ca.crt root_ca.crl inter_ca.crt inter_ca.crl ibm.crt ibm.crl host.crt host2.crt host.key \
    host2.key ibm.stale.crl host2.phkh; do
    [ -s "$P/$f" ] || { echo "# missing $f"; false; }
done
ok $? "mkpki wrote every file"
openssl x509 -in "$P/host2.crt" -noout -ext crlDistributionPoints 2>/dev/null | grep -q "URI:$BASE/ibm.crl"
ok $? "host2.crt names $BASE/ibm.crl"

nreq() { wc -l <"$LOG" | tr -d ' '; }
CHAIN="-C $P/ibm.crt -C $P/inter_ca.crt --root-ca $P/root_ca.crt"
run() { # run NAME ARGS... -> $T/NAME.out, $T/NAME.err, status in $T/NAME.rc
    n=$1
    shift
    "$HV" "$@" >"$T/$n.out" 2>"$T/$n.err"
    echo $? >"$T/$n.rc"
}
rc() { cat "$T/$1.rc"; }
has() { grep -q -- "$2" "$T/$1.err"; }

# 1. online, no --crl at all: every CRL downloaded
n0=$(nreq)
run first $CHAIN --crl-cache "$T/cache" -v -k "$P/host2.crt"
[ "$(rc first)" = 0 ]
ok $? "online without any --crl: host2.crt verifies"
[ $(($(nreq) - n0)) -eq 3 ]
ok $? "three CRLs downloaded (root, intermediate, signing key): $(($(nreq) - n0))"
grep -q "GET /a/ibm.crl" "$LOG" && grep -q "GET /a/inter_ca.crl" "$LOG" && grep -q "GET /a/root_ca.crl" "$LOG"
ok $? "the distribution-point URLs were requested"
has first "CRL for .*IBM Z Host Key Signing Service: from $BASE/inter_ca.crl" &&
    has first "CRL for .*IBM Z Intermediate CA: from $BASE/root_ca.crl" &&
    has first "CRL for $P/host2.crt: from $BASE/ibm.crl"
ok $? "verbose: one line per certificate naming the URL"
grep -q "$(cat "$P/host2.phkh")" "$T/first.out"
ok $? "PHKH of host2.crt matches mkpki's host2.phkh"
[ "$(ls "$T/cache" | grep -c '\.crl$')" = 3 ]
ok $? "three CRLs stored in the cache"

# 2. second run: from the cache, no request
n0=$(nreq)
run second $CHAIN --crl-cache "$T/cache" -v -k "$P/host2.crt"
[ "$(rc second)" = 0 ] && [ "$(nreq)" = "$n0" ]
ok $? "second run served from the cache (server saw no request)"
has second "from cache $T/cache/.*($BASE/ibm.crl)"
ok $? "verbose: the cache is named as the source"

# 2b. a cache directory others can write to is neither read nor written
cp -R "$T/cache" "$T/cache_w"
chmod 0777 "$T/cache_w"
n0=$(nreq)
run shared $CHAIN --crl-cache "$T/cache_w" -v -k "$P/host2.crt"
[ "$(rc shared)" = 0 ] && [ $(($(nreq) - n0)) -eq 3 ] && ! has shared "from cache"
ok $? "world-writable cache directory not read: three downloads ($(($(nreq) - n0)))"
has shared "CRL cache: $T/cache_w is writable by other users; not used"
ok $? "verbose: the world-writable cache directory is named"
chmod 0770 "$T/cache_w"
n0=$(nreq)
run shared2 $CHAIN --crl-cache "$T/cache_w" -k "$P/host2.crt"
[ "$(rc shared2)" = 0 ] && [ $(($(nreq) - n0)) -eq 3 ]
ok $? "group-writable cache directory not read either"
ln -s "$T/cache" "$T/cache_l"
n0=$(nreq)
run linked $CHAIN --crl-cache "$T/cache_l" -k "$P/host2.crt"
[ "$(rc linked)" = 0 ] && [ $(($(nreq) - n0)) -eq 3 ]
ok $? "a cache directory that is a symbolic link is not read"

# 3. revoked host key refused (online CRL)
run revoked $CHAIN --crl-cache "$T/cache" -k "$P/host.crt"
[ "$(rc revoked)" = 1 ] && has revoked "Host-key verification failed: $P/host.crt: Host-key document is revoked."
ok $? "host.crt revoked by the downloaded ibm.crl"

# 4. offline makes no request; without local CRLs the chain has none
n0=$(nreq)
run offline $CHAIN --offline -k "$P/host2.crt"
[ "$(rc offline)" = 1 ] && has offline "Error occurred at level 0: unable to get certificate CRL" && [ "$(nreq)" = "$n0" ]
ok $? "--offline: no request, missing CRL reported"
run offline2 $CHAIN --offline --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl" --crl "$P/ibm.crl" -v -k "$P/host2.crt"
[ "$(rc offline2)" = 0 ] && [ "$(nreq)" = "$n0" ] && has offline2 "CRL for $P/host2.crt: from file $P/ibm.crl"
ok $? "--offline with local CRLs verifies, no request, file named"

# 5. redirects are followed
echo redirect >"$WWW/.mode"
n0=$(nreq)
run redir $CHAIN --no-crl-cache -k "$P/host2.crt"
[ "$(rc redir)" = 0 ] && grep -q "GET /real/a/ibm.crl" "$LOG"
ok $? "redirect followed (302 -> /real/...)"
[ $(($(nreq) - n0)) -eq 6 ]
ok $? "three redirects + three fetches: $(($(nreq) - n0)) requests"

# 6. a tampered CRL is refused (signature), and not cached
echo tamper >"$WWW/.mode"
run tamper $CHAIN --crl-cache "$T/cache_t" --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl" -k "$P/host2.crt"
[ "$(rc tamper)" = 1 ] && has tamper "$P/host2.crt: No valid CRL found"
ok $? "tampered downloaded CRL refused: No valid CRL found"
[ ! -d "$T/cache_t" ] || [ -z "$(ls "$T/cache_t")" ]
ok $? "a tampered CRL is not cached"
run tamper2 $CHAIN --no-crl-cache -k "$P/host2.crt"
[ "$(rc tamper2)" = 1 ] && has tamper2 "level 0: CRL signature failure"
ok $? "tampered chain CRL: CRL signature failure"
run tamper3 $CHAIN --no-crl-cache --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl" --crl "$P/ibm.crl" -k "$P/host2.crt"
[ "$(rc tamper3)" = 0 ]
ok $? "bad downloads fall back to the --crl files"

# 7. a server that never answers: bounded by the timeout, named in the error
echo hang >"$WWW/.mode"
t0=$(date +%s)
run hang $CHAIN --no-crl-cache --crl-timeout-ms 1000 --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl" -k "$P/host2.crt"
t1=$(date +%s)
[ "$(rc hang)" = 1 ] && has hang "No valid CRL found; CRL download: $BASE/ibm.crl: .*timed out"
ok $? "hanging server named in the error with the reason"
[ $((t1 - t0)) -le 6 ]
ok $? "three hanging downloads with a 1 s timeout took $((t1 - t0)) s (<= 6)"
t0=$(date +%s)
run hang2 $CHAIN --no-crl-cache --crl-timeout-ms 1000 -k "$P/host2.crt"
t1=$(date +%s)
[ "$(rc hang2)" = 1 ] && has hang2 "unable to get certificate CRL" && has hang2 "CRL download: $BASE/inter_ca.crl: "
ok $? "missing chain CRL: error names the certificate and the URL tried"
[ $((t1 - t0)) -le 4 ]
ok $? "two hanging downloads took $((t1 - t0)) s (<= 4)"

t0=$(date +%s)
run hang3 $CHAIN --no-crl-cache --crl "$P/inter_ca.crl" --crl "$P/root_ca.crl"
t1=$(date +%s)
[ "$(rc hang3)" = 0 ] && [ $((t1 - t0)) -ge 5 ] && [ $((t1 - t0)) -le 9 ]
ok $? "default timeout 3 s: two hanging downloads took $((t1 - t0)) s, then the local CRLs decided"

# 8. a cached CRL past its nextUpdate is fetched again
echo normal >"$WWW/.mode"
mkdir -p "$T/cache_s"
chmod 0700 "$T/cache_s" # a private cache directory (the umask may allow group writes)
for n in root_ca inter_ca ibm; do
    h=$(printf '%s' "$BASE/$n.crl" | sha256sum | cut -d' ' -f1)
    openssl crl -in "$P/$n.stale.crl" -outform DER -out "$T/cache_s/$h.crl"
done
n0=$(nreq)
run stale $CHAIN --crl-cache "$T/cache_s" -v -k "$P/host2.crt"
[ "$(rc stale)" = 0 ] && [ $(($(nreq) - n0)) -eq 3 ]
ok $? "cached CRLs past nextUpdate re-fetched ($(($(nreq) - n0)) requests)"
h=$(printf '%s' "$BASE/ibm.crl" | sha256sum | cut -d' ' -f1)
openssl crl -in "$P/ibm.crl" -outform DER | cmp -s - "$T/cache_s/$h.crl"
ok $? "the cache entry was replaced by the fresh CRL"

# 9. default cache location: $XDG_CACHE_HOME/uvsecret/crl
XDG_CACHE_HOME=$T/xdg "$HV" $CHAIN -k "$P/host2.crt" >/dev/null 2>&1 &&
    [ "$(ls "$T/xdg/uvsecret/crl" | grep -c '\.crl$')" = 3 ]
ok $? "default cache directory under \$XDG_CACHE_HOME/uvsecret/crl"
n0=$(nreq)
run nocache $CHAIN --no-crl-cache -k "$P/host2.crt"
[ "$(rc nocache)" = 0 ] && [ $(($(nreq) - n0)) -eq 3 ]
ok $? "--no-crl-cache always downloads"

# 10. several distribution points: tried in order, the first that yields a CRL wins
M=$WWW/m
"$MKPKI" -o "$M" --crl-base "http://127.0.0.1:$PORT/missing" --crl-base "http://127.0.0.1:$PORT/m" \
    --crl-base "http://127.0.0.1:$PORT/never" >"$T/mkpki2.out" 2>&1
ok $? "mkpki with three --crl-base URLs"
n0=$(nreq)
run multi -C "$M/ibm.crt" -C "$M/inter_ca.crt" --root-ca "$M/root_ca.crt" --no-crl-cache -v -k "$M/host.crt"
tail -n +$((n0 + 1)) "$LOG" >"$T/multi.log"
[ "$(rc multi)" = 0 ] && [ "$(wc -l <"$T/multi.log")" -eq 6 ] && ! grep -q /never/ "$T/multi.log" &&
    [ "$(grep -n 'GET /missing/ibm.crl' "$T/multi.log" | cut -d: -f1)" -lt "$(grep -n 'GET /m/ibm.crl' "$T/multi.log" | cut -d: -f1)" ]
ok $? "404 on the first URI, the second one used, the third never asked"
has multi "CRL download failed: http://127.0.0.1:$PORT/missing/ibm.crl: HTTP status 404" &&
    has multi "CRL for $M/host.crt: from http://127.0.0.1:$PORT/m/ibm.crl"
ok $? "verbose: the failed URI and the source of the CRL"

# 11. a cache entry signed by someone else (current dates) is ignored and replaced
h=$(printf '%s' "$BASE/ibm.crl" | sha256sum | cut -d' ' -f1)
openssl crl -in "$M/ibm.crl" -outform DER -out "$T/cache/$h.crl"
n0=$(nreq)
run poisoned $CHAIN --crl-cache "$T/cache" -v -k "$P/host2.crt"
[ "$(rc poisoned)" = 0 ] && [ $(($(nreq) - n0)) -eq 1 ] && [ "$(tail -n 1 "$LOG")" = "GET /a/ibm.crl" ]
ok $? "foreign CRL in the cache: ignored, ibm.crl downloaded again, verified"
has poisoned "CRL cache: ignoring $T/cache/$h.crl" &&
    openssl crl -in "$P/ibm.crl" -outform DER | cmp -s - "$T/cache/$h.crl"
ok $? "the cache entry was replaced by the verified download"

# 12. the vectors' host_uri_na.crt: its bare-name DP is not downloadable; local CRLs decide
PKI=${UVS_SHARED:-../shared}/vectors/pki
VCHAIN="-C $PKI/ibm.crt -C $PKI/inter_ca.crt --root-ca $PKI/root_ca.chained.crt --crl $PKI/inter_ca.crl"
run na $VCHAIN --no-crl-cache -k "$PKI/host_uri_na.crt"
[ "$(rc na)" = 1 ] && has na "No valid CRL found; CRL download: notavailable: not an http or https URL"
ok $? "vectors: host_uri_na.crt online without local CRL -> No valid CRL found (URI named)"
run na2 $VCHAIN --crl "$PKI/ibm.crl" --no-crl-cache -k "$PKI/host_uri_na.crt"
[ "$(rc na2)" = 0 ]
ok $? "vectors: host_uri_na.crt online with ibm.crl -> OK"
tap_done
