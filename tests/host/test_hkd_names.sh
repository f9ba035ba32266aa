#!/bin/sh
# The signing-key CRL lookup by name (HKV §5.6) beyond what the reference vectors cover:
# CRLs issued under the reordered subject (C, O, OU, L, ST, CN), the Armonk ->
# Poughkeepsie fix-up followed by the reordering, and OpenSSL's name comparison (case
# and white space).  A fresh PKI from $(BUILD)/mkpki; extra CRLs and an Armonk signing
# key are made here with the openssl tool from mkpki's keys.  Offline only.
. tests/lib/tap.sh
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
HV=$BUILD/test/pki/hkdverify
T=$(mktemp -d /tmp/uvs-names.XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
P=$T/pki
O="International Business Machines Corporation"
OU="IBM Z Host Key Signing Service"

"$BUILD/mkpki" -o "$P" --revoke-host >"$T/mkpki.out" 2>&1
ok $? "mkpki minted a PKI (ibm.crl revokes host.crt)"

# crl NAME "SUBJECT": a CRL issued under SUBJECT, signed by ibm.key, revoking host.crt.
# The issuing certificate is a throw-away self-signed one for ibm.key (same SKID).
crl() {
    d=$T/db.$1
    mkdir -p "$d"
    : >"$d/index"
    echo 01 >"$d/crlnumber"
    printf '[ca]\ndefault_ca = d\n[d]\ndatabase = %s/index\ncrlnumber = %s/crlnumber\ndefault_md = sha512\ncrl_extensions = e\n[e]\nauthorityKeyIdentifier = keyid:always\n' \
        "$d" "$d" >"$d/ca.cnf"
    openssl req -new -x509 -key "$P/ibm.key" -subj "$2" -days 30 -out "$d/issuer.crt" \
        -addext subjectKeyIdentifier=hash >/dev/null 2>&1 &&
        openssl ca -batch -config "$d/ca.cnf" -keyfile "$P/ibm.key" -cert "$d/issuer.crt" \
            -revoke "$P/host.crt" >/dev/null 2>&1 &&
        openssl ca -batch -config "$d/ca.cnf" -keyfile "$P/ibm.key" -cert "$d/issuer.crt" -gencrl \
            -crldays 30 -out "$T/$1.crl" >/dev/null 2>&1
}
crl reordered "/C=US/O=$O/OU=$OU/L=Poughkeepsie/ST=New York/CN=$O"
ok $? "CRL under the reordered subject (C, O, OU, L, ST, CN)"
crl folded "/C=us/O=  international   BUSINESS machines Corporation /CN=$O/ST=NEW YORK/L=poughkeepsie/OU=IBM Z  Host Key Signing Service"
ok $? "CRL under the subject in other case and white space"
crl other "/C=US/O=$O/CN=$O/ST=New York/L=Poughkeepsie/OU=$OU X"
ok $? "CRL under a different OU"
crl armonk_re "/C=US/O=$O/OU=$OU/L=Armonk/ST=New York/CN=$O"
ok $? "CRL under the reordered Armonk subject"

# The same signing key with L=Armonk, issued by the intermediate.
printf 'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = codeSigning\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n' >"$T/sign.ext"
openssl req -new -key "$P/ibm.key" -subj "/C=US/O=$O/CN=$O/ST=New York/L=Armonk/OU=$OU" -out "$T/armonk.csr" >/dev/null 2>&1 &&
    openssl x509 -req -in "$T/armonk.csr" -CA "$P/inter_ca.crt" -CAkey "$P/inter_ca.key" -days 30 -sha256 \
        -set_serial 0x5151 -extfile "$T/sign.ext" -out "$T/ibm_armonk.crt" >/dev/null 2>&1
ok $? "Armonk signing-key certificate for the same key"

CHAIN="-C $P/inter_ca.crt --root-ca $P/root_ca.crt --crl $P/root_ca.crl --crl $P/inter_ca.crl --offline"
v() { "$HV" $CHAIN "$@" >"$T/out" 2>"$T/err"; }

v -C "$P/ibm.crt" --crl "$T/reordered.crl" -k "$P/host2.crt"
ok $? "step 4: Poughkeepsie key, CRL under the reordered subject -> OK"
v -C "$P/ibm.crt" --crl "$T/reordered.crl" -k "$P/host.crt"
[ $? -ne 0 ] && grep -q "Host-key document is revoked." "$T/err"
ok $? "step 4: that CRL revokes host.crt"
v -C "$P/ibm.crt" --crl "$T/folded.crl" -k "$P/host.crt"
[ $? -ne 0 ] && grep -q "Host-key document is revoked." "$T/err"
ok $? "names compared after case folding and white-space collapsing"
v -C "$P/ibm.crt" --crl "$T/other.crl" -k "$P/host2.crt"
[ $? -ne 0 ] && grep -q "No valid CRL found" "$T/err"
ok $? "a CRL under another OU is not found -> No valid CRL found"
v -C "$T/ibm_armonk.crt" -k "$P/host2.crt"
[ $? -ne 0 ] && grep -q "No valid CRL found" "$T/err"
ok $? "Armonk key without any CRL -> No valid CRL found"
v -C "$T/ibm_armonk.crt" --crl "$P/ibm.crl" -k "$P/host.crt"
[ $? -ne 0 ] && grep -q "Host-key document is revoked." "$T/err"
ok $? "step 2: Armonk key finds the Poughkeepsie CRL (revoked host.crt)"
v -C "$T/ibm_armonk.crt" --crl "$T/reordered.crl" -k "$P/host.crt"
[ $? -ne 0 ] && grep -q "Host-key document is revoked." "$T/err"
ok $? "step 3: Armonk key finds the reordered Poughkeepsie CRL"
v -C "$T/ibm_armonk.crt" --crl "$T/armonk_re.crl" -k "$P/host.crt"
[ $? -ne 0 ] && grep -q "Host-key document is revoked." "$T/err"
ok $? "step 4: Armonk key finds the reordered Armonk CRL"
v -C "$T/ibm_armonk.crt" --crl "$T/armonk_re.crl" -k "$P/host2.crt"
ok $? "step 4: Armonk key, host2.crt not revoked -> OK"
v -C "$P/ibm.crt" --crl "$T/armonk_re.crl" -k "$P/host2.crt"
[ $? -ne 0 ] && grep -q "No valid CRL found" "$T/err"
ok $? "no Poughkeepsie -> Armonk fix-up"
tap_done
