#!/bin/sh
# uvsecret create: every class of malformed input and every usage error ends with exit
# status 1, one "uvsecret: WHAT: reason" line, and no output file.
. tests/host/cli_common.inc

cd "$T" || exit 1
P=$HDR/test_hdr_plain.hdr
NV="--no-verify --hdr $P"
OUT=$T/out.req

# fails WHAT PATTERN ARGS...: create fails as described and leaves no -o file.
fails() {
    what=$1; pat=$2; shift 2
    rm -f "$OUT"
    expect_err "$what" "$pat" "$UVS" create "$@"
    left=$(ls -A "$T" | grep -c -e '^out.req' -e '^\.out.req')
    [ "$left" -eq 0 ]; ok $? "$what: no output file"
}

# ---- SE header / image ---------------------------------------------------------
head -c 600 "$P" >bad_trunc.hdr
fails "truncated header" "bad_trunc.hdr: .*SE header" -k "$PKI/host.crt" --no-verify --hdr bad_trunc.hdr -o "$OUT" meta
{ head -c 12 "$P"; printf '\000\000\100\000'; tail -c +17 "$P"; head -c 20000 /dev/zero; } >bad_big.hdr
fails "oversized header" "bad_big.hdr: .*8192" -k "$PKI/host.crt" --no-verify --hdr bad_big.hdr -o "$OUT" meta
{ printf 'IBMSecEy'; tail -c +9 "$P"; } >bad_magic.hdr
fails "wrong header magic" "bad_magic.hdr: .*no SE header" -k "$PKI/host.crt" --no-verify --hdr bad_magic.hdr -o "$OUT" meta
{ head -c 8 "$P"; printf '\000\000\001\001'; tail -c +13 "$P"; } >bad_ver.hdr
fails "wrong header version" "bad_ver.hdr: .*version" -k "$PKI/host.crt" --no-verify --hdr bad_ver.hdr -o "$OUT" meta
fails "missing header file" "nothere.hdr: .*No such file" -k "$PKI/host.crt" --no-verify --hdr nothere.hdr -o "$OUT" meta
ln -s "$P" link.hdr
fails "symlinked header" "link.hdr: .*symbolic link" -k "$PKI/host.crt" --no-verify --hdr link.hdr -o "$OUT" meta
mkfifo fifo.hdr
fails "FIFO as header (no hang)" "fifo.hdr: .*regular file" -k "$PKI/host.crt" --no-verify --hdr fifo.hdr -o "$OUT" meta
rm -f fifo.hdr

# ---- Host-key documents and their verification --------------------------------------
fails "host-key document with an RSA key" "ibm.crt" -k "$PKI/ibm.crt" $NV -o "$OUT" meta
printf 'not a certificate' >garbage.crt
fails "host-key document that is no certificate" "garbage.crt" -k garbage.crt $NV -o "$OUT" meta
: >empty.crt
fails "empty host-key document" "empty.crt" -k empty.crt $NV -o "$OUT" meta
fails "expired host-key document" "host_crt_expired.crt.*[Vv]alidity" -k "$PKI/host_crt_expired.crt" $VERIFY --hdr "$P" -o "$OUT" meta
fails "revoked host-key document" "host_rev.crt.*revoked" -k "$PKI/host_rev.crt" $VERIFY --hdr "$P" -o "$OUT" meta
fails "host-key document of another signing key" "fake_host.crt.*Authority Key" -k "$PKI/fake_host.crt" $VERIFY --hdr "$P" -o "$OUT" meta
fails "CRL with a bad signature is not used" "No valid CRL" -k "$PKI/host.crt" -C "$PKI/inter_ca.crt" -C "$PKI/ibm.crt" \
    --root-ca "$PKI/root_ca.chained.crt" --crl "$PKI/inter_ca.crl" --crl "$PKI/ibm_invalid_hash.crl" --offline --hdr "$P" -o "$OUT" meta
fails "intermediate CRL signed by the wrong key" "could not be verified" -k "$PKI/host.crt" -C "$PKI/inter_ca.crt" -C "$PKI/ibm.crt" \
    --root-ca "$PKI/root_ca.chained.crt" --crl "$PKI/inter_ca.invalid_signer.crl" --crl "$PKI/ibm.crl" --offline --hdr "$P" -o "$OUT" meta
fails "revoked signing key" "could not be verified" -k "$PKI/host.crt" -C "$PKI/inter_ca.crt" -C "$PKI/ibm_rev.crt" \
    --root-ca "$PKI/root_ca.chained.crt" --crl "$PKI/inter_ca.crl" --crl "$PKI/ibm.crl" --offline --hdr "$P" -o "$OUT" meta
fails "no IBM signing key among -C" "Specify one IBM Z signing key" -k "$PKI/host.crt" -C "$PKI/inter_ca.crt" \
    --root-ca "$PKI/root_ca.chained.crt" --crl "$PKI/inter_ca.crl" --offline --hdr "$P" -o "$OUT" meta
fails "two IBM signing keys" "Specify only one IBM Z signing key" -k "$PKI/host.crt" -C "$PKI/ibm.crt" -C "$PKI/ibm_rev.crt" \
    -C "$PKI/inter_ca.crt" --root-ca "$PKI/root_ca.chained.crt" --offline --hdr "$P" -o "$OUT" meta
printf 'junk' >junk.crl
fails "unparsable --crl file" "junk.crl" -k "$PKI/host.crt" $VERIFY --crl junk.crl --hdr "$P" -o "$OUT" meta
ks=""; i=0; while [ $i -lt 256 ]; do ks="$ks -k $PKI/host.crt"; i=$((i + 1)); done
fails "256 host-key documents" "too many host-key documents" $ks $NV -o "$OUT" meta
ks="$PKI/host.crt"; i=1; while [ $i -lt 255 ]; do ks="$ks,$PKI/host.crt"; i=$((i + 1)); done
"$UVS" create -k "$ks" $NV -o "$T/max.req" meta 2>/dev/null && [ "$(stat -c %s "$T/max.req")" = $((1272 + 80 * 255)) ]
ok $? "255 host-key documents (comma list) are accepted: 21672-byte request"
rm -f "$T/max.req"

# ---- Secret inputs --------------------------------------------------------------
rep 1 31 >k31; rep 1 32 >k32; rep 1 33 >k33; rep 1 100 >k100; rep 1 65 >k65
fails "31-byte CCK" "k31: .*32" -k "$PKI/host.crt" $NV -o "$OUT" --cck k31 meta
fails "31-byte extension secret" "k31: .*32" -k "$PKI/host.crt" $NV -o "$OUT" --extension-secret k31 meta
fails "33-byte --input-secret" "k33: .*32" -k "$PKI/host.crt" $NV -o "$OUT" association A --input-secret k33
fails "31-byte new CCK" "k31: .*32" -k "$PKI/host.crt" $NV -o "$OUT" update-cck --secret k31
fails "unknown --type" "unknown secret type 'des'" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k32 --type des
fails "100-byte AES key" "Is: 800; expected: 128, 192, or 256" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k100 --type aes
fails "65-byte AES-XTS key" "AES-XTS" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k65 --type aes-xts
# A file name that also occurs inside the reason is still named in front of it.
rep 1 100 >a
fails "100-byte AES key named 'a'" "uvsecret: a: Incorrect key size for a AES-KEY" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret a --type aes
rep 1 20 >EC
fails "20 bytes as an EC key named 'EC'" "uvsecret: EC: Cannot read the secret as EC PRIVATE KEY" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret EC --type ec
rm -f a EC
fails "65-byte HMAC key" "HMAC" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k65 --type hmac-sha
head -c 8191 /dev/zero >p8191
fails "8191-byte plaintext" "p8191" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret p8191 --type plain
fails "EC secret that is no key" "k32" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k32 --type ec
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out k1.key 2>/dev/null
fails "EC key on secp256k1" "[Cc]urve" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k1.key --type ec

# ---- User data -----------------------------------------------------------------
head -c 513 /dev/zero | tr '\0' u >ud513; head -c 257 /dev/zero | tr '\0' u >ud257; head -c 129 /dev/zero | tr '\0' u >ud129
fails "513 bytes of unsigned user data" "ud513: .*512" -k "$PKI/host.crt" $NV -o "$OUT" --user-data ud513 meta
fails "257 bytes with an EC signing key" "256" -k "$PKI/host.crt" $NV -o "$OUT" --user-data ud257 --user-sign-key "$PKI/host.key" meta
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out r3072.key 2>/dev/null
fails "129 bytes with an RSA-3072 signing key" "128" -k "$PKI/host.crt" $NV -o "$OUT" --user-data ud129 --user-sign-key r3072.key meta
fails "RSA-4096 signing key" "ibm.key: .*unsupported" -k "$PKI/host.crt" $NV -o "$OUT" --user-sign-key "$PKI/ibm.key" meta
fails "signing key that is no key" "k32: " -k "$PKI/host.crt" $NV -o "$OUT" --user-sign-key k32 meta
fails "--policy with --user-data" "--policy" -k "$PKI/host.crt" $NV -o "$OUT" --policy k32 --user-data k32 meta
fails "--policy with --user-sign-key" "--policy" -k "$PKI/host.crt" $NV -o "$OUT" --policy k32 --user-sign-key "$PKI/host.key" meta

# ---- CUID, flags -----------------------------------------------------------------
fails "--cuid-hex with 31 digits" "--cuid-hex" -k "$PKI/host.crt" $NV -o "$OUT" --cuid-hex 0x0011223344556677889900aabbccdde meta
fails "--cuid-hex not hex" "--cuid-hex" -k "$PKI/host.crt" $NV -o "$OUT" --cuid-hex 0x0011223344556677889900aabbccddxx meta
printf 'foo: bar\n' >nocuid.yaml
fails "--cuid file without cuid" "nocuid.yaml: No 'cuid' entry found" -k "$PKI/host.crt" $NV -o "$OUT" --cuid nocuid.yaml meta
fails "--flags unknown" "--flags: unknown flag" -k "$PKI/host.crt" $NV -o "$OUT" --flags enable-dump meta
fails "--pcf too long" "--pcf" -k "$PKI/host.crt" $NV -o "$OUT" --pcf 0x11112222333344445 meta

# ---- Usage errors --------------------------------------------------------------
fails "no host-key document" "-k" $NV -o "$OUT" meta
fails "no --hdr" "--hdr is required" -k "$PKI/host.crt" --no-verify -o "$OUT" meta
fails "no -o" "-o/--output is required" -k "$PKI/host.crt" $NV meta
fails "neither -C nor --no-verify" "--no-verify is required" -k "$PKI/host.crt" --hdr "$P" -o "$OUT" meta
fails "--no-verify with -C" "--no-verify: excludes" -k "$PKI/host.crt" $NV -C "$PKI/ibm.crt" -o "$OUT" meta
fails "--crl without -C" "--crl: requires" -k "$PKI/host.crt" $NV --crl "$PKI/ibm.crl" -o "$OUT" meta
fails "--offline without -C" "--offline: requires" -k "$PKI/host.crt" $NV --offline -o "$OUT" meta
fails "--hdr twice" "--hdr: given more than once" -k "$PKI/host.crt" $NV --hdr "$P" -o "$OUT" meta
fails "--cck with --extension-secret" "excludes --cck" -k "$PKI/host.crt" $NV --cck k32 --extension-secret k32 -o "$OUT" meta
fails "--cuid with --cuid-hex" "excludes --cuid" -k "$PKI/host.crt" $NV --cuid k32 --cuid-hex 0x00000000000000000000000000000000 -o "$OUT" meta
fails "--flags with --pcf" "excludes --pcf" -k "$PKI/host.crt" $NV --flags disable-dump --pcf 1 -o "$OUT" meta
fails "--input-secret with --output-secret" "excludes" -k "$PKI/host.crt" $NV -o "$OUT" association A --input-secret k32 --output-secret s
fails "--input-secret for meta" "only for 'association'" -k "$PKI/host.crt" $NV -o "$OUT" meta --input-secret k32
fails "retrievable without --type" "--type is required" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --secret k32
fails "retrievable without --secret" "--secret FILE is required" -k "$PKI/host.crt" $NV -o "$OUT" retrievable R --type aes
fails "association without NAME" "missing NAME" -k "$PKI/host.crt" $NV -o "$OUT" association
fails "no sub-command" "missing sub-command" -k "$PKI/host.crt" $NV -o "$OUT"
fails "unknown sub-command" "bogus: unknown create sub-command" -k "$PKI/host.crt" $NV -o "$OUT" bogus
fails "extra argument" "extra: unexpected argument" -k "$PKI/host.crt" $NV -o "$OUT" association A extra
fails "unknown option" "unknown option '--bogus'" -k "$PKI/host.crt" $NV -o "$OUT" --bogus meta
fails "option without value" "needs a value" -k "$PKI/host.crt" $NV meta -o
fails "--crl-timeout not a number" "--crl-timeout" -k "$PKI/host.crt" $VERIFY --hdr "$P" --crl-timeout soon -o "$OUT" meta
fails "name with a slash (NAME.yaml)" "a/b: " -k "$PKI/host.crt" $NV -o "$OUT" association a/b
long=$(head -c 300 /dev/zero | tr '\0' n)
fails "NAME.yaml file name over 255 bytes" "too long" -k "$PKI/host.crt" $NV -o "$OUT" association "$long"
tap_done
