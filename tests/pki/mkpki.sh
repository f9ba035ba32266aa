#!/bin/sh
# mkpki — mints a fresh fake IBM Z host-key PKI for tests (installed as $(BUILD)/mkpki).
#
# Usage:
#   mkpki -o DIR [--crl-base URL] [--revoke-host] [--stale-crls] [--days N] [--crl-days N]
#
#   -o DIR           output directory (created; existing files of the same names are replaced)
#   --crl-base URL   put a CRL Distribution Point URL/NAME.crl into every certificate
#                    below the root (inter_ca.crt -> URL/root_ca.crl, ibm.crt ->
#                    URL/inter_ca.crl, host*.crt -> URL/ibm.crl).  Repeatable: one
#                    distribution point per URL, in the order given.  Without it the
#                    certificates carry no distribution point (offline use).
#   --revoke-host    ibm.crl revokes host.crt (host2.crt stays valid)
#   --stale-crls     also write NAME.stale.crl for every CA: same issuer and key, but
#                    lastUpdate 2020-01-01 and nextUpdate 2020-02-01 (expired)
#   --days N         certificate validity from now (default 3650)
#   --crl-days N     CRL nextUpdate = now + N days (default 30)
#
# Output (PEM; keys are unencrypted PKCS#8 test material — never use them for anything real):
#   root_ca.key root_ca.crt root_ca.crl root_ca.chained.crt (crt + crl)
#   inter_ca.key inter_ca.crt inter_ca.crl inter_ca.chained.crt
#   ibm.key ibm.crt ibm.crl ibm.chained.crt         IBM Z signing key (RSA), its CRL
#   host.key host.crt host2.key host2.crt           host-key documents, EC secp521r1
#   host.phkh host2.phkh                            SHA-256 of X80|Y80 (keyslot PHKH), hex
# Subjects follow the real IBM shape (shared/spec/host-key-verification.md §3):
#   C=US, O=International Business Machines Corporation, CN=International Business
#   Machines Corporation, ST=New York, L=<Armonk|Poughkeepsie>, OU=<unit>.
# The signing key (OU "IBM Z Host Key Signing Service", L Poughkeepsie) is CA:FALSE,
# keyUsage digitalSignature, EKU codeSigning; host-key documents have keyUsage
# keyAgreement (critical), AKID = the signing key's SKID, signed with SHA-512.
#
# Verify the result offline with the uvsecret options:
#   -C DIR/ibm.crt -C DIR/inter_ca.crt --root-ca DIR/root_ca.chained.crt
#   --crl DIR/inter_ca.crl --crl DIR/ibm.crl --offline -k DIR/host.crt
# Needs the openssl command-line tool (OpenSSL >= 3.0).
set -eu

prog=mkpki
die() { echo "$prog: $*" >&2; exit 1; }

out= base= revoke=0 stale=0 days=3650 crldays=30
while [ $# -gt 0 ]; do
    case $1 in
    -o) [ $# -ge 2 ] || die "-o needs a directory"; out=$2; shift 2 ;;
    --crl-base) [ $# -ge 2 ] || die "--crl-base needs a URL"; base="$base ${2%/}"; shift 2 ;;
    --revoke-host) revoke=1; shift ;;
    --stale-crls) stale=1; shift ;;
    --days) [ $# -ge 2 ] || die "--days needs a number"; days=$2; shift 2 ;;
    --crl-days) [ $# -ge 2 ] || die "--crl-days needs a number"; crldays=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[ -n "$out" ] || die "missing -o DIR"
case $days in ''|*[!0-9]*) die "--days: not a number: $days" ;; esac
case $crldays in ''|*[!0-9]*) die "--crl-days: not a number: $crldays" ;; esac
for b in $base; do
    case $b in http://*|https://*) ;; *) die "--crl-base: not an http or https URL: $b" ;; esac
    case $b in *[,\"\ ]*) die "--crl-base: URL with a comma, quote or space: $b" ;; esac
done
command -v openssl >/dev/null 2>&1 || die "the openssl command is needed"
mkdir -p "$out"
[ -d "$out" ] && [ ! -L "$out" ] || die "$out: not a directory"
work=$(mktemp -d "${TMPDIR:-/tmp}/mkpki.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

O="International Business Machines Corporation"
subj() { # subj LOCALITY UNIT
    echo "/C=US/O=$O/CN=$O/ST=New York/L=$1/OU=$2"
}
serial() { echo "0x7$(openssl rand -hex 15)"; }
dp() { # dp NAME -> the extension line, or nothing without --crl-base
    [ -n "$base" ] || return 0
    l=
    for b in $base; do l="${l:+$l, }URI:$b/$1.crl"; done
    echo "crlDistributionPoints = $l"
}

cat >"$work/ext.cnf" <<EOF
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$(dp root_ca)
[sign]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$(dp inter_ca)
[host]
keyUsage = critical, keyAgreement
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$(dp ibm)
EOF

q() { "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; die "failed: $*"; }; }

rsa_key() { q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/$1.key"; }
ec_key() { q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp521r1 -pkeyopt ec_param_enc:named_curve -out "$work/$1.key"; }
# issue NAME SECTION SUBJECT ISSUER MD
issue() {
    q openssl req -new -key "$work/$1.key" -subj "$3" -out "$work/$1.csr"
    if [ "$4" = self ]; then
        q openssl x509 -req -in "$work/$1.csr" -signkey "$work/$1.key" -days "$days" -"$5" \
            -set_serial "$(serial)" -extfile "$work/ext.cnf" -extensions "$2" -out "$work/$1.crt"
    else
        q openssl x509 -req -in "$work/$1.csr" -CA "$work/$4.crt" -CAkey "$work/$4.key" -days "$days" -"$5" \
            -set_serial "$(serial)" -extfile "$work/ext.cnf" -extensions "$2" -out "$work/$1.crt"
    fi
}
# crl ISSUER [REVOKED_CERT] -> ISSUER.crl (and ISSUER.stale.crl with --stale-crls)
crl() {
    db=$work/db.$1
    mkdir -p "$db"
    : >"$db/index"
    echo 01 >"$db/crlnumber"
    cat >"$db/ca.cnf" <<EOF
[ca]
default_ca = d
[d]
database = $db/index
crlnumber = $db/crlnumber
default_md = sha512
unique_subject = no
crl_extensions = crlext
[crlext]
authorityKeyIdentifier = keyid:always
EOF
    if [ $# -ge 2 ]; then
        q openssl ca -batch -config "$db/ca.cnf" -keyfile "$work/$1.key" -cert "$work/$1.crt" -revoke "$2"
    fi
    q openssl ca -batch -config "$db/ca.cnf" -keyfile "$work/$1.key" -cert "$work/$1.crt" -gencrl \
        -crldays "$crldays" -out "$work/$1.crl"
    if [ "$stale" = 1 ]; then
        q openssl ca -batch -config "$db/ca.cnf" -keyfile "$work/$1.key" -cert "$work/$1.crt" -gencrl \
            -crl_lastupdate 20200101000000Z -crl_nextupdate 20200201000000Z -out "$work/$1.stale.crl"
    fi
}

rsa_key root_ca
rsa_key inter_ca
rsa_key ibm
ec_key host
ec_key host2
issue root_ca root "$(subj Armonk "IBM Z Root CA")" self sha256
issue inter_ca inter "$(subj Armonk "IBM Z Intermediate CA")" root_ca sha256
issue ibm sign "$(subj Poughkeepsie "IBM Z Host Key Signing Service")" inter_ca sha256
issue host host "$(subj Armonk "IBM Z Host Key")" ibm sha512
issue host2 host "$(subj Armonk "IBM Z Host Key")" ibm sha512
crl root_ca
crl inter_ca
if [ "$revoke" = 1 ]; then crl ibm "$work/host.crt"; else crl ibm; fi
cat "$work/root_ca.crt" "$work/root_ca.crl" >"$work/root_ca.chained.crt"
cat "$work/inter_ca.crt" "$work/inter_ca.crl" >"$work/inter_ca.chained.crt"
cat "$work/ibm.crl" "$work/ibm.crt" >"$work/ibm.chained.crt"
for h in host host2; do
    # X and Y of the uncompressed point (04|X66|Y66), each left-padded to 80 bytes
    pt=$(openssl pkey -in "$work/$h.key" -pubout -outform DER | tail -c 133 | od -An -v -tx1 | tr -d ' \n')
    pad=0000000000000000000000000000
    x=$(echo "$pt" | cut -c3-134) y=$(echo "$pt" | cut -c135-266)
    printf '%s' "$pad$x$pad$y" | sed 's/../\\x&/g' | xargs -0 printf '%b' | openssl dgst -sha256 -r |
        cut -d' ' -f1 >"$work/$h.phkh"
done
for f in root_ca inter_ca ibm host host2; do
    install -m 0600 "$work/$f.key" "$out/$f.key"
    install -m 0644 "$work/$f.crt" "$out/$f.crt"
done
for f in root_ca inter_ca ibm; do
    install -m 0644 "$work/$f.crl" "$out/$f.crl"
    [ "$stale" = 0 ] || install -m 0644 "$work/$f.stale.crl" "$out/$f.stale.crl"
done
for f in root_ca.chained.crt inter_ca.chained.crt ibm.chained.crt host.phkh host2.phkh; do
    install -m 0644 "$work/$f" "$out/$f"
done
